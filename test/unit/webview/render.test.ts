// The real webview bundle in headless Chromium under the real CSP: it asks for data with
// `ready`, renders what the host sends, posts actions, ignores junk, restores its saved state,
// and looks right in dark, light and high-contrast themes (screenshots in .test-artifacts/).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { PROTOCOL_VERSION } from '../../../src/core/protocol';
import { samplesToColumns } from '../../../src/core/shared/columns';
import { fromRoot } from '../../helpers/paths';
import { Browser, PanelPage, browserUnavailable, launchBrowser, openPanelPage } from './fixtures/harness';
import { SCENE_START_MS, sceneInit, sceneMonitor } from './fixtures/scene';

// Callbacks of page.evaluate run in the browser; tests compile without the DOM library, so
// these module-local declarations type just what those callbacks touch.
declare const document: { querySelector(selector: string): unknown; body: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string };
declare const window: { __listeners: Record<string, number>; dispatchEvent(event: unknown): boolean };
declare const Event: new (type: string) => unknown;
type Canvas = { width: number; height: number };
type Checkbox = { checked: boolean };

const skip = browserUnavailable();
const shots = fromRoot('.test-artifacts', 'webview');

describe('webview in headless Chromium', { skip }, () => {
  let browser: Browser;
  let dispose: () => Promise<void>;

  before(async () => {
    ({ browser, dispose } = await launchBrowser());
    mkdirSync(shots, { recursive: true });
  });
  after(async () => dispose?.());

  async function openWithScene(theme: 'dark' | 'light' | 'high-contrast' = 'dark'): Promise<PanelPage> {
    const panel = await openPanelPage(browser, { theme });
    await panel.send(sceneInit());
    await panel.frames();
    return panel;
  }

  it('says ready first, then renders the monitor, verdict and stats', async () => {
    const panel = await openWithScene();
    assert.deepEqual((await panel.posted())[0], { type: 'ready' });
    const text = (selector: string): Promise<string | null> => panel.page.locator(selector).textContent();
    assert.match((await text('#monitor-header')) ?? '', /python train_federated\.py.*running.*PID 48213/s);
    assert.match((await text('#verdict')) ?? '', /Steady leak · 93% confidence/);
    assert.match((await text('#verdict')) ?? '', /\+1\.17 MB\/min/);
    assert.match((await text('#stats')) ?? '', /Current RSS.*Peak.*Threads.*File descriptors.*Watched for\s*6 h/s);
    assert.match((await text('#probe')) ?? '', /server\.py:87.*\+41\.3 MB/s);
    const canvas = await panel.page.evaluate(() => {
      const c = document.querySelector('#rss-chart') as Canvas;
      return { w: c.width, h: c.height };
    }, null);
    assert.ok(canvas.w > 500 && canvas.h > 200, JSON.stringify(canvas));
    assert.deepEqual(await panel.cspViolations(), []);
    assert.deepEqual(panel.errors, []);
  });

  it('removes its visibilitychange listener when the page unloads', async () => {
    const panel = await openWithScene();
    const listeners = (): Promise<number> => panel.page.evaluate(() => window.__listeners.visibilitychange ?? 0, null);
    assert.equal(await listeners(), 1);
    await panel.page.evaluate(() => window.dispatchEvent(new Event('unload')), null);
    assert.equal(await listeners(), 0);
    assert.deepEqual(panel.errors, []);
  });

  it('posts one protocol message per control', async () => {
    const panel = await openWithScene();
    for (const action of ['pause', 'detach', 'runGc', 'runMallocTrim', 'markFixApplied', 'findGrowing', 'exportCsv', 'exportJson', 'openTrace', 'compareTrace']) {
      await panel.page.locator(`[data-action="${action}"]`).click();
    }
    await panel.page.locator('#probe tbody tr:first-child a.location').click();
    const posted = (await panel.posted()).slice(1);
    assert.deepEqual(posted, [
      { type: 'pause' },
      { type: 'detach' },
      { type: 'runGc' },
      { type: 'runMallocTrim' },
      { type: 'markFixApplied' },
      { type: 'findGrowing' },
      { type: 'exportTrace', format: 'csv' },
      { type: 'exportTrace', format: 'json' },
      { type: 'openTrace' },
      { type: 'compareTrace' },
      { type: 'openLocation', file: '/work/demo/python/federated/server.py', line: 87 },
    ]);
  });

  it('appends sample batches, follows state changes and shows errors', async () => {
    const panel = await openWithScene();
    const last = SCENE_START_MS + 6 * 3600 * 1000;
    const batch = [0, 1, 2].map((i) => ({ tMs: last + i * 1000, rssBytes: 2e9, deltaBytes: 0, threads: 99, fds: 7, childrenRssBytes: 0, childCount: 0, cpuPercent: 1 }));
    await panel.send({ type: 'samples', samples: samplesToColumns(batch) });
    await panel.send({ type: 'state', state: 'paused' });
    await panel.send({ type: 'error', text: 'Could not read /proc/48213/status' });
    await panel.frames();
    assert.match((await panel.page.locator('#stats').textContent()) ?? '', /Current RSS\s*1\.86 GB.*Threads\s*99.*Samples\s*21,603/s);
    assert.equal(await panel.page.locator('[data-action="resume"]:not([hidden])').count(), 1);
    assert.equal(await panel.page.locator('[data-action="pause"][hidden]').count(), 1);
    assert.match((await panel.page.locator('#error').textContent()) ?? '', /Could not read/);
  });

  it('ignores malformed and unknown messages and keeps working', async () => {
    const panel = await openWithScene();
    const before = await panel.page.locator('#stats').textContent();
    await panel.send({ type: 'samples', samples: { t: [1], rss: ['lots'] } });
    await panel.send({ type: 'launchMissiles' });
    await panel.send('init');
    await panel.frames();
    assert.equal(await panel.page.locator('#stats').textContent(), before);
    assert.deepEqual(panel.errors, []);
  });

  it('saves a thinned state and shows it again after a reload, before the host answers', async () => {
    const first = await openWithScene();
    const state = (await first.savedState()) as { version: number; samples: { t: number[] } };
    assert.equal(state.version, PROTOCOL_VERSION);
    assert.ok(state.samples.t.length <= 4000 && state.samples.t.length > 1000);
    const reloaded = await openPanelPage(browser, { theme: 'dark', savedState: state });
    await reloaded.frames();
    assert.match((await reloaded.page.locator('#monitor-header').textContent()) ?? '', /train_federated/);
    assert.match((await reloaded.page.locator('#verdict').textContent()) ?? '', /Steady leak/);
    assert.deepEqual(await reloaded.posted(), [{ type: 'ready' }]);
  });

  it('names the limit that applies on its line, in the banner and in the stats, as the host sent it', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark' });
    const limits = { memoryBytes: 1.5 * 1024 * 2 ** 20, memoryLabel: 'container limit 1.5 GB', memoryDescription: "the container's 1.5 GB memory limit (the OOM killer stops it there), memory.max of /docker/abc" };
    await panel.send({ ...sceneInit(), monitor: sceneMonitor({ limits }) });
    await panel.frames();
    const raw = await panel.page.locator('#rss-chart').getAttribute('data-labels');
    const drawn = JSON.parse(raw ?? '{"labels":[]}') as { labels: { id: string; text: string }[] };
    assert.equal(drawn.labels.find((l) => l.id === 'limit')?.text, 'container limit 1.5 GB');
    assert.match((await panel.page.locator('#verdict').textContent()) ?? '', /container limit 1\.5 GB in .* at this slope/);
    assert.match((await panel.page.locator('#stats').textContent()) ?? '', /memory\.max of \/docker\/abc/);
    assert.deepEqual(panel.errors, []);
  });

  it('shows an opened trace read-only, without live controls', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark' });
    const init = sceneInit(3600);
    await panel.send({ ...init, monitor: sceneMonitor({ kind: 'trace', state: 'exited', title: 'mprofile_20260105.dat', pid: undefined }), verdict: null, probe: null });
    await panel.frames();
    assert.equal(await panel.page.locator('[data-action="pause"]:visible').count(), 0);
    assert.equal(await panel.page.locator('[data-action="exportCsv"]:visible').count(), 1);
    assert.match((await panel.page.locator('#verdict').textContent()) ?? '', /No verdict yet/);
  });

  it('hides the threads/fds strip for a recording without thread or fd counts, while a live monitor with counts keeps it', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark' });
    const init = sceneInit(600);
    const samples = { ...init.samples, threads: init.samples.t.map(() => 0), fds: init.samples.t.map(() => -1) };
    await panel.send({ ...init, monitor: sceneMonitor({ kind: 'trace', state: 'exited', title: 'prometheus series', pid: undefined }), samples });
    await panel.frames();
    assert.equal(await panel.page.locator('#threads-chart:visible').count(), 0);
    assert.equal(await panel.page.locator('[data-series="threads"]:visible').count(), 0);
    const live = await openWithScene();
    assert.equal(await live.page.locator('#threads-chart:visible').count(), 1);
    assert.deepEqual(panel.errors, []);
  });

  it('reacts to keyboard zoom on the chart and stops following live', async () => {
    const panel = await openWithScene();
    await panel.page.locator('.chart-frame').focus();
    await panel.page.keyboard.press('+');
    await panel.frames();
    const following = await panel.page.evaluate(() => (document.querySelector('#follow-live') as Checkbox).checked, null);
    assert.equal(following, false);
    await panel.page.keyboard.press('0');
    await panel.frames();
    assert.equal(await panel.page.evaluate(() => (document.querySelector('#follow-live') as Checkbox).checked, null), true);
  });

  it('zooms with the mouse wheel on the time axis and stops following live', async () => {
    const panel = await openWithScene();
    const box = await panel.page.evaluate(() => {
      const r = (document.querySelector('#rss-chart') as { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }).getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, null);
    await panel.page.mouse.move(box.x, box.y);
    await panel.page.mouse.wheel(0, -500);
    await panel.frames();
    await panel.frames();
    assert.equal(await panel.page.evaluate(() => (document.querySelector('#follow-live') as Checkbox).checked, null), false);
    assert.deepEqual(panel.errors, []);
  });

  it('draws the same series while the pointer is on the chart (chart.js draws them, for its tooltip) as when it is not', async () => {
    const panel = await openWithScene();
    type Pixels = { data: ArrayLike<number> };
    type PlotCanvas = Canvas & { dataset: Record<string, string | undefined>; getBoundingClientRect(): { x: number; y: number; width: number; height: number }; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): Pixels } };
    // The left 40% of the plot: the tooltip and the hovered point are drawn by the pointer, at the right.
    const leftPart = (): Promise<number[]> =>
      panel.page.evaluate(() => {
        const c = document.querySelector('#rss-chart') as PlotCanvas;
        return Array.from(c.getContext('2d').getImageData(0, 0, Math.floor(c.width * 0.4), c.height).data);
      }, null);
    const tooltip = (): Promise<string> => panel.page.evaluate(() => (document.querySelector('#rss-chart') as PlotCanvas).dataset.tooltip ?? '', null);
    const layer = await leftPart();
    const box = await panel.page.evaluate(() => {
      const r = (document.querySelector('#rss-chart') as PlotCanvas).getBoundingClientRect();
      return { x: r.x + r.width * 0.85, y: r.y + r.height / 2 };
    }, null);
    // The first move hands the series to chart.js (a render); the next one finds its points.
    await panel.page.mouse.move(box.x, box.y);
    await panel.frames();
    await panel.page.mouse.move(box.x + 3, box.y);
    await panel.frames();
    assert.match(await tooltip(), /RSS: [\d.]+ MB/);
    const drawnByChartJs = await leftPart();
    let differing = 0;
    let inked = 0;
    for (let i = 0; i < layer.length; i += 4) {
      if (Math.max(...[0, 1, 2].map((k) => Math.abs(layer[i + k] - drawnByChartJs[i + k]))) > 64) differing++;
      if (layer[i + 3] > 0) inked++;
    }
    assert.ok(inked > layer.length / 4 / 50, `the layer drew the series (${inked} pixels)`);
    assert.ok(differing < layer.length / 4 / 500, `${differing} of ${layer.length / 4} pixels differ between the layer and chart.js`);
    await panel.page.mouse.move(1, 1);
    await panel.frames();
    assert.equal(await tooltip(), '');
    assert.deepEqual(await leftPart(), layer, 'the layer draws again once the pointer leaves');
    assert.deepEqual(panel.errors, []);
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`renders in the ${theme} theme (screenshot)`, async () => {
      const panel = await openWithScene(theme);
      await panel.page.screenshot({ path: `${shots}/panel-${theme}.png`, fullPage: true });
      assert.deepEqual(panel.errors, []);
    });
  }

  it('overlays a comparison trace aligned at the start, and shows an exit (narrow panel screenshot)', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark', width: 760, height: 1000 });
    const init = sceneInit();
    const before = sceneInit(4 * 3600).samples;
    const shifted = { ...before, t: before.t.map((t) => t - 3 * 86_400_000), rss: before.rss.map((v) => Math.round(v * 1.3)) };
    await panel.send({ ...init, verdict: null, comparison: { label: 'before-fix.csv', samples: shifted, events: [] } });
    await panel.send({ type: 'state', state: 'exited', summary: 'exited with code 137 after 6 h (killed: out of memory?)' });
    await panel.send({ type: 'event', event: { tMs: init.samples.t[init.samples.t.length - 1], kind: 'exit', label: 'exit 137' } });
    await panel.frames();
    assert.match((await panel.page.locator('#monitor-header').textContent()) ?? '', /exited.*code 137/s);
    assert.equal(await panel.page.locator('[data-action="clearComparison"]:visible').count(), 1);
    assert.equal(await panel.page.locator('[data-action="pause"]:visible').count(), 0);

    await panel.page.screenshot({ path: `${shots}/panel-comparison-exited-narrow.png`, fullPage: true });
    assert.deepEqual(panel.errors, []);
  });

  it('makes room on the y axis for an overlaid run that grew higher than this one', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark' });
    const init = sceneInit(600);
    const higher = { ...init.samples, rss: init.samples.rss.map((v) => (v === null ? null : v * 4)) };
    await panel.send({ ...init, comparison: { label: 'previous run (pid 1)', samples: higher, events: [] } });
    await panel.frames();
    const yMax = Number(await panel.page.locator('#rss-chart').getAttribute('data-y-max'));
    const overlayPeak = Math.max(...higher.rss.filter((v): v is number => v !== null));
    assert.ok(yMax >= overlayPeak, `y axis up to ${yMax}, overlay peak ${overlayPeak}`);
    assert.deepEqual(panel.errors, []);
  });

  it('stacks the RSS decomposition under RSS with legend toggles, and the banner names the kind of growth', async () => {
    const panel = await openWithScene();
    const init = sceneInit();
    const readings = init.decomposition?.readings.t.length ?? 0;
    assert.equal(await panel.page.locator('#rss-chart').getAttribute('data-decomposition-readings'), String(readings));
    for (const part of ['anon', 'file', 'shmem']) assert.equal(await panel.page.locator(`[data-series="${part}"]:visible`).count(), 1, part);
    assert.equal(await panel.page.locator('[data-series="swap"]:visible').count(), 0, 'no swap legend without swap');
    assert.match((await panel.page.locator('#growth-kind').textContent()) ?? '', /^Live objects growing\. RSS grew 402 MB .*Find what keeps them/);
    assert.match((await panel.page.locator('#chart-description').textContent()) ?? '', /anonymous [\d.]+ MB, file-backed 38 MB, shared 6 MB; swap 0 B/);
    const last = init.decomposition?.readings.t.at(-1) ?? 0;
    await panel.send({ type: 'decomposition', decomposition: { readings: { t: [last + 5000], anon: [700 * 2 ** 20], file: [38 * 2 ** 20], shmem: [6 * 2 ** 20], swap: [3 * 2 ** 20] }, diagnosis: null } });
    await panel.frames();
    assert.equal(await panel.page.locator('#rss-chart').getAttribute('data-decomposition-readings'), String(readings + 1));
    assert.equal(await panel.page.locator('[data-series="swap"]:visible').count(), 1, 'swap, once there is some');
    assert.equal(await panel.page.locator('#growth-kind').count(), 0, 'no diagnosis now: no kind named');
    await panel.page.locator('[data-series="file"]').click();
    await panel.frames();
    const state = (await panel.savedState()) as { ui: { hiddenSeries: string[] } };
    assert.deepEqual(state.ui.hiddenSeries, ['file'], 'the toggle is saved like the other series');
    assert.deepEqual(panel.errors, []);
  });

  it('follows a theme change without reloading', async () => {
    const panel = await openWithScene('dark');
    await panel.setTheme('light');
    await panel.frames();
    const tick = await panel.page.evaluate(() => getComputedStyle(document.body).backgroundColor, null);
    assert.equal(tick, 'rgb(255, 255, 255)');
    await panel.page.screenshot({ path: `${shots}/panel-dark-to-light.png` });
  });
});
