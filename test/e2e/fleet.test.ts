// The fleet view as a person meets it: a Prometheus holding six hours of three services
// (backfilled with promtool), "Leakscope: Open fleet from Prometheus…" from the command palette,
// the server's URL typed into its input box, and the Fleet view in the Leakscope side bar listing
// the leaking service first; looked at in dark and light; a click opens the series in the panel.
import * as assert from 'node:assert/strict';
import { Workbench, openWorkbench, waitForWorkbench } from './browser';
import { Selectors, findWebviewFrame, parkMouse, runCommand, screenshot, screenshotIfFailed, setTheme, requiredEnv } from './workbench';
import { FLEET_SERVICES, fleetHistory } from '../helpers/fleetHistory';
import { startPrometheus, TestPrometheus } from '../helpers/prometheus';
import { Locator, Page } from './playwright';

/** The rows of the Fleet view (the only tree an extension contributes that is on screen). */
function fleetRows(page: Page): Locator {
  return page.locator('.part.sidebar .tree-explorer-viewlet-tree-view .monaco-list-row:visible');
}

async function readRows(page: Page): Promise<{ label: string; description: string }[]> {
  return fleetRows(page).evaluateAll((rows) =>
    rows.map((row) => {
      const text = (selector: string) => (row as unknown as { querySelector(s: string): { textContent: string | null } | null }).querySelector(selector)?.textContent?.trim() ?? '';
      return { label: text('.label-name'), description: text('.label-description') };
    }),
  );
}

describe('Leakscope Fleet view in the side bar', function () {
  this.timeout(180_000);
  const steps: (() => unknown)[] = [];
  let workbench: Workbench;
  let prometheus: TestPrometheus;
  const pageErrors: string[] = [];

  before(async () => {
    prometheus = await startPrometheus({ after: (fn) => steps.push(fn) }, [], { backfill: fleetHistory(Date.now() - 60_000) });
    workbench = await openWorkbench(requiredEnv('LEAKSCOPE_E2E_URL'));
    workbench.page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForWorkbench(workbench.page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, workbench?.page);
  });

  after(async () => {
    await workbench?.close();
    for (const step of steps.reverse()) await step();
  });

  it('"Open fleet from Prometheus…" asks for the server and lists the services in the Leakscope side bar, the leaking one first', async () => {
    const page = workbench.page;
    await runCommand(page, 'Open fleet from Prometheus…');
    const box = page.locator(Selectors.quickInputBox).first();
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    await box.fill(prometheus.url);
    await page.keyboard.press('Enter');
    await fleetRows(page).nth(FLEET_SERVICES.length - 1).waitFor({ state: 'visible', timeout: 60_000 });
    const rows = await readRows(page);
    console.log(`      rows: ${rows.map((r) => `${r.label} (${r.description})`).join('; ')}`);
    assert.deepEqual(rows.map((r) => r.label), ['api-2:8000', 'api-3:8000', 'api-1:8000']);
    assert.match(rows[0].description, /^steady leak · [\d.]+ KB\/min · \d+%$/);
    assert.match(rows[1].description, /^plateau · /);
    assert.match(rows[2].description, /^flat · /);
    // On screen, not just in the DOM: a view squeezed under the explorer's folder cut the last row off.
    const sideBar = await page.locator('.part.sidebar').first().boundingBox();
    for (let i = 0; i < rows.length; i++) {
      const box = await fleetRows(page).nth(i).boundingBox();
      assert.ok(sideBar && box && box.y >= sideBar.y && box.y + box.height <= sideBar.y + sideBar.height, `row ${i + 1} (${rows[i].label}) is cut off: ${JSON.stringify(box)} in ${JSON.stringify(sideBar)}`);
    }
    const message = await page.locator('.part.sidebar .tree-explorer-viewlet-tree-view .message:visible').first().innerText();
    assert.match(message, /^1 of 3 leaking · last 6 h at 15 s$/);
  });

  it('looks right in dark and light themes', async () => {
    const shots: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(workbench.page, theme);
      await parkMouse(workbench.page);
      assert.equal(await fleetRows(workbench.page).count(), 3, `the rows are still there in ${theme}`);
      shots.push(await screenshot(workbench.page, `e2e-fleet-${theme}`));
    }
    console.log(`      screenshots: ${shots.join(', ')}`);
    assert.deepEqual(pageErrors, []);
  });

  it('a click on the leaking service opens its series in the memory panel', async () => {
    await fleetRows(workbench.page).first().click();
    const panel = await findWebviewFrame(workbench.page, Selectors.panelRoot, 60_000);
    await panel.locator(Selectors.panelRoot).first().waitFor({ state: 'visible', timeout: 15_000 });
    const tab = workbench.page.locator('.tabs-container .tab', { hasText: 'Memory: api-2:8000' }).first();
    await tab.waitFor({ state: 'visible', timeout: 15_000 });
    await parkMouse(workbench.page);
    await workbench.page.waitForTimeout(1_000); // the chart's first paint
    console.log(`      screenshot: ${await screenshot(workbench.page, 'e2e-fleet-series-dark')}`);
  });
});
