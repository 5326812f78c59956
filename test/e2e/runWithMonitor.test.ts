// "Leakscope: Run with memory monitor" in the real workbench (issue 18): on the demo's Python file
// it runs the program in a terminal and charts it in the panel from its first second.
// Run by `node scripts/run-vscode-tests.mjs e2e`, which starts code-server and sets the env below.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Workbench, openWorkbench, waitForWorkbench } from './browser';
import { panelFrame, readPanel, waitForPanel } from './panel';
import { Selectors, findWebviewFrame, pickQuickInputRow, requiredEnv, runCommand, screenshot, screenshotIfFailed } from './workbench';
import { processStartMs } from '../../src/core/discovery/rerun';

/** The process start of `pid`, epoch ms, from /proc (clock ticks since boot). */
function startMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return processStartMs(Number(fields[19]));
}

describe('Run with memory monitor', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  let pid: number | undefined;

  before(async () => {
    workbench = await openWorkbench(requiredEnv('LEAKSCOPE_E2E_URL'));
    await waitForWorkbench(workbench.page);
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, workbench?.page);
  });

  after(async () => {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended already
      }
    }
    await workbench?.close();
  });

  it('runs the demo\'s Python file in a terminal and charts it in the panel from its first second', async () => {
    const page = workbench.page;
    await page.locator('.monaco-workbench').first().click();
    await page.keyboard.press('Control+P');
    await pickQuickInputRow(page, 'federated_server.py', /^federated_server\.py$/, 30_000);
    await page.locator('.monaco-editor .view-lines', { hasText: 'argparse' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await runCommand(page, 'Run with memory monitor');
    const frame = await panelFrame(page, 'live');
    const reading = await waitForPanel(page, frame, 'a few samples', (r) => r.points >= 3, 30_000);
    const match = /PID (\d+)/.exec(reading.facts);
    assert.ok(match, `the panel names the pid: ${reading.facts}`);
    pid = Number(match[1]);
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /python.*\0.*federated_server\.py/);
    const lateMs = reading.firstMs - startMsOf(pid);
    assert.ok(lateMs < 1500, `the first sample came ${lateMs} ms after the program started`);
    await waitForPanel(page, frame, 'the chart growing', (r) => r.points > reading.points && r.lastMs > reading.lastMs, 15_000);
    assert.equal((await readPanel(frame)).state, 'running');
    await screenshot(page, 'e2e-run-with-monitor');
    assert.ok(await page.locator(Selectors.statusItem).first().isVisible());
  });

  it('the Markdown report of `leakscope run` draws its chart in VS Code\'s Markdown preview', async () => {
    const page = workbench.page;
    const workspace = requiredEnv('LEAKSCOPE_E2E_WORKSPACE');
    const report = join(workspace, 'leak-report.md');
    // A short program that grows 1 MB every 0.1 s: the chart has a line worth drawing.
    const grow = 'import time\nkeep = []\nfor _ in range(40):\n    keep.append(bytearray(1 << 20)); time.sleep(0.1)';
    const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
    await promisify(execFile)(process.execPath, [cli, 'run', '--interval', '200ms', '--markdown', report, '--', 'python3', '-c', grow], { cwd: workspace, timeout: 60_000 });
    assert.match(readFileSync(report, 'utf8'), /<svg[^>]*>.*<polyline/s);
    await page.locator('.monaco-workbench').first().click();
    await page.keyboard.press('Control+P');
    // The absolute path: quick open resolves it from disk, not from a file index that may predate it.
    await pickQuickInputRow(page, report, /^leak-report\.md$/, 30_000);
    await page.locator('.monaco-editor .view-lines', { hasText: 'Leakscope' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await runCommand(page, 'Open Preview to the Side', 'Markdown');
    const preview = await findWebviewFrame(page, 'svg polyline', 30_000);
    const line = preview.locator('svg polyline').first();
    const box = await line.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 20, `the RSS line is drawn: ${JSON.stringify(box)}`);
    const points = (await line.getAttribute('points'))?.trim().split(/\s+/).length ?? 0;
    assert.ok(points >= 10, `the line has the run's samples: ${points} points`);
    assert.ok(await preview.locator('svg text', { hasText: /RSS of pid \d+/ }).first().isVisible(), 'the chart title is shown');
    // The screenshot shows the chart, not only the report's header above it.
    await line.scrollIntoViewIfNeeded();
    console.log(`      ${points} points, line ${Math.round(box.width)}×${Math.round(box.height)} px; screenshot: ${await screenshot(page, 'e2e-markdown-report')}`);
  });
});
