// Browser part of `npm run bench`: how long the panel takes to show one more sample on top of
// a day of them (86,400 points at 1 Hz, GC sawtooth over a slow leak, and the RSS decomposition stacked under it, a reading every 5 s), in headless Chromium,
// against baselines in the same run; and the webview bundle's minified size.
//
// Targets (issue 4): median update < 16 ms (one frame at 60 Hz); bundle ≤ 350 KB minified.
// Issue 16's table: the chart's update ≤ 5 ms median, p90 ≤ 8 ms, ≤ 3× uPlot drawing the same
// series; the panel opened with a day of data painted ≤ 300 ms after its init message.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplesToColumns } from '../src/core/shared/columns';
import { PANEL_MAX_SAMPLES } from '../src/core/shared/thin';
import { MemorySample } from '../src/core/model';
import { fromRoot } from '../test/helpers/paths';
import { Browser, PanelPage, browserUnavailable, launchBrowser, openPanelPage } from '../test/unit/webview/fixtures/harness';
import { sceneMonitor } from '../test/unit/webview/fixtures/scene';
import { syntheticDecomposition, syntheticTrace } from '../webview/model/synthetic';
import { BenchResult, UPDATE_END_MARK, UPDATE_START_MARK, Variant } from '../webview/bench/benchTypes';
import { figure } from './lib/figure';
import { CPU_TRACE_CATEGORIES, cpuBetweenMarks, cpuOfIntervals } from './lib/chromeTrace';

const POINTS = 86_400;
const UPDATES = 60;
const FRAME_BUDGET_MS = 16;
const UPDATE_GOAL_MS = 5;
const UPDATE_P90_GOAL_MS = 8;
const UPLOT_RATIO_GOAL = 3;
const FIRST_PAINT_GOAL_MS = 300;
/** Fresh pages per wire form (the update bench's page adds one packed first paint). */
const FIRST_PAINT_ROUNDS = 2;
const BUNDLE_BUDGET_BYTES = 350 * 1024;

// page.evaluate callbacks run in the browser (tests and benches compile without the DOM lib).
declare const window: { runChartBench(variant: Variant, points: number, updates: number): BenchResult; postMessage(message: unknown, targetOrigin: string): void; __pack(message: unknown): unknown };
declare const performance: { now(): number; mark(name: string): { startTime: number } };
declare function requestAnimationFrame(callback: () => void): number;
declare class PerformanceObserver {
  constructor(callback: (list: { getEntries(): { name: string; duration: number }[] }) => void);
  observe(options: { type: string }): void;
}

async function bundleSize(dir: string): Promise<{ js: number; css: number }> {
  const result = await esbuild.build({
    absWorkingDir: fromRoot(),
    entryPoints: ['webview/main.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    loader: { '.css': 'css' },
    outdir: dir,
    write: false,
    logLevel: 'warning',
  });
  const size = (ext: string): number => result.outputFiles.filter((f) => f.path.endsWith(ext)).reduce((n, f) => n + f.contents.length, 0);
  return { js: size('.js'), css: size('.css') };
}

async function buildBenchPage(dir: string): Promise<string> {
  const outfile = join(dir, 'chart-bench.js');
  await esbuild.build({
    absWorkingDir: fromRoot(),
    entryPoints: ['webview/bench/chartBenchPage.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** One variant's run: wall times from the page, and each update's CPU time from a trace. */
interface ChartRun extends BenchResult {
  /** Shown in the table: the variant, or `baseline` for another build's `ours`. */
  label: string;
  cpuMedianMs: number;
  cpuP90Ms: number;
}

/**
 * The chart alone, several ways, each on a fresh page; with LEAKSCOPE_CHART_BASELINE=a bench
 * page bundle built from another tree (e.g. main's), its `ours` too: a before/after in one run.
 */
async function chartVariants(browser: Browser, script: string): Promise<ChartRun[]> {
  const baseline = process.env.LEAKSCOPE_CHART_BASELINE;
  const runs: { label: string; variant: Variant; script: string }[] = [
    { label: 'ours', variant: 'ours', script },
    ...(baseline ? [{ label: 'baseline', variant: 'ours' as const, script: baseline }] : []),
    ...(['chartjs-plugin', 'chartjs-plugin-in-place', 'no-decimation', 'uplot'] as const).map((variant) => ({ label: variant, variant, script })),
  ];
  const results: ChartRun[] = [];
  for (const run of runs) results.push(await chartRun(browser, run.label, run.variant, run.script, POINTS));
  return results;
}

/** One variant on a fresh page with `points` of history: wall times, and CPU times from a trace. */
async function chartRun(browser: Browser, label: string, variant: Variant, script: string, points: number): Promise<ChartRun> {
  const panel = await openPanelPage(browser, { theme: 'dark', scriptPath: script, width: 1280, height: 800 });
  const pictures = process.env.LEAKSCOPE_CHART_PNG;
  if (pictures) await capturePictures(panel);
  // LEAKSCOPE_CHART_PROFILE=dir: a sampled JavaScript profile with each variant's trace, for DevTools.
  const profile = process.env.LEAKSCOPE_CHART_PROFILE;
  await browser.startTracing(panel.page, { categories: [...CPU_TRACE_CATEGORIES, ...(profile ? PROFILE_CATEGORIES : [])] });
  // The callback runs in the page: everything it needs goes in the argument, not by closure.
  const result = await panel.page.evaluate((a) => window.runChartBench(a.variant, a.points, a.updates), { variant, points, updates: UPDATES });
  const raw = (await browser.stopTracing()).toString('utf8');
  if (profile) writeFileSync(join(profile, `${label}-${points}.json`), raw);
  const cpu = cpuOfIntervals(JSON.parse(raw) as Parameters<typeof cpuOfIntervals>[0], UPDATE_START_MARK, UPDATE_END_MARK);
  if (pictures) await savePictures(panel, join(pictures, `${label}-${points}`));
  // LEAKSCOPE_CHART_TIMES=1: each update's CPU time in order (is the p90 one slow update in n, or noise?).
  if (process.env.LEAKSCOPE_CHART_TIMES) console.log(`  ${label} CPU ms per update: ${cpu.map((t) => t.toFixed(1)).join(' ')}`);
  return { ...result, label, cpuMedianMs: quantile(cpu, 0.5), cpuP90Ms: quantile(cpu, 0.9) };
}

/**
 * LEAKSCOPE_CHART_PNG=dir: each variant's canvases after its updates, as PNG files, to look at
 * (or diff) where the pixel hash says the picture moved. Taken when the page reads them for its
 * hash, so another build's bench page (the baseline) is captured the same way.
 */
async function capturePictures(panel: PanelPage): Promise<void> {
  await panel.page.evaluate(() => {
    const w = globalThis as unknown as { __pictures: string[]; CanvasRenderingContext2D: { prototype: { getImageData(...a: unknown[]): unknown; canvas: { toDataURL(): string } } } };
    w.__pictures = [];
    const proto = w.CanvasRenderingContext2D.prototype;
    const read = proto.getImageData;
    proto.getImageData = function (this: typeof proto, ...a: unknown[]) {
      w.__pictures.push(this.canvas.toDataURL());
      return read.apply(this, a);
    };
  }, null);
}

async function savePictures(panel: PanelPage, prefix: string): Promise<void> {
  const urls = await panel.page.evaluate(() => (globalThis as unknown as { __pictures: string[] }).__pictures, null);
  urls.forEach((url, i) => writeFileSync(`${prefix}-${i}.png`, Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64')));
}

/** History lengths beside the day: 3 h, and the panel's bound (two days at 1 Hz). */
const HISTORY_POINTS = [10_800, PANEL_MAX_SAMPLES];

/**
 * Does an update's work grow with the history? Ours and uPlot's CPU medians at other lengths of
 * history, beside the day's: ours decimates only what came since the last update (flat); uPlot
 * goes through every point each update (grows).
 */
async function printScaling(browser: Browser, script: string, day: { ours: ChartRun; uplot?: ChartRun }): Promise<void> {
  console.log('\nupdate CPU median by length of history (does the work grow with it?):');
  const rows = new Map<number, { ours: ChartRun; uplot?: ChartRun }>([[POINTS, day]]);
  for (const points of HISTORY_POINTS) rows.set(points, { ours: await chartRun(browser, 'ours', 'ours', script, points), uplot: await chartRun(browser, 'uplot', 'uplot', script, points) });
  for (const [points, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    console.log(`  ${points.toLocaleString('en-US').padStart(8)} points  ours ${ms(row.ours.cpuMedianMs).padStart(9)}${row.uplot ? `  uPlot ${ms(row.uplot.cpuMedianMs).padStart(9)}` : ''}`);
  }
}

/** The value at fraction q of the sorted values (NaN for none), as the page's summary takes it. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length * q)] : NaN;
}

/** The panel page, with its renders observed and the host's packing of columns at hand. */
async function observedPanel(browser: Browser, scriptPath?: string): Promise<PanelPage> {
  const panel = await openPanelPage(browser, { theme: 'dark', width: 1280, height: 900, scriptPath });
  // Another bundle is opened as a bench page: wait for its `ready` here.
  if (scriptPath) await panel.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0, null);
  await panel.page.evaluate(() => {
    const w = globalThis as unknown as { __renders: number[]; __pack(message: unknown): unknown };
    w.__renders = [];
    // The host posts its columns as Float64Arrays (packForPosting in src/core/protocol.ts);
    // page.evaluate's argument cannot carry them, so the page packs what it is given, untimed.
    const isColumns = (o: Record<string, unknown>): boolean => Array.isArray(o.t) && (o.rss !== undefined || o.anon !== undefined);
    const pack = (v: unknown): unknown => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      const o = v as Record<string, unknown>;
      if (isColumns(o)) return Object.fromEntries(Object.entries(o).map(([k, c]) => [k, Float64Array.from(c as (number | null)[], (x) => x ?? NaN)]));
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, pack(x)]));
    };
    w.__pack = pack;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'leakscope:render') w.__renders.push(e.duration);
    }).observe({ type: 'measure' });
  }, null);
  return panel;
}

/**
 * From posting `init` (its structured clone included) to the frame after the first full render,
 * when the chart is on screen. The message is built in the page first, untimed (as the host
 * builds it before posting), with its columns packed as the host sends them or, for the
 * baseline, as plain arrays (the wire form before issue 16).
 */
async function measureFirstPaint(browser: Browser, panel: PanelPage, init: unknown, packed: boolean): Promise<Paint> {
  await panel.page.evaluate((a) => {
    (globalThis as unknown as { __init: unknown }).__init = a.packed ? window.__pack(a.init) : a.init;
  }, { init, packed });
  await panel.frames();
  await browser.startTracing(panel.page, { categories: [...CPU_TRACE_CATEGORIES, ...(process.env.LEAKSCOPE_PAINT_TRACE ? PROFILE_CATEGORIES : [])] });
  const wallMs = await panel.page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const w = globalThis as unknown as { __renders: number[]; __init: unknown };
        const start = performance.mark('bench:paint-start').startTime;
        const painted = (): void => {
          if (w.__renders.length === 0) {
            requestAnimationFrame(painted);
            return;
          }
          requestAnimationFrame(() => resolve(performance.mark('bench:paint-end').startTime - start));
        };
        window.postMessage(w.__init, '*');
        requestAnimationFrame(painted);
      }),
    null,
  );
  const raw = (await browser.stopTracing()).toString('utf8');
  // For a closer look in DevTools' Performance panel: LEAKSCOPE_PAINT_TRACE=file (the last paint's trace).
  if (process.env.LEAKSCOPE_PAINT_TRACE) writeFileSync(process.env.LEAKSCOPE_PAINT_TRACE, raw);
  const trace = JSON.parse(raw) as Parameters<typeof cpuBetweenMarks>[0];
  const cpu = cpuBetweenMarks(trace, 'bench:paint-start', 'bench:paint-end');
  return { wallMs, cpuMs: cpu?.mainMs ?? NaN, otherThreadsCpuMs: cpu?.otherThreadsMs ?? NaN };
}

/** What DevTools' Performance panel shows: tasks by kind and a sampled JavaScript profile. */
const PROFILE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'v8'];

/** A first paint's wall time, and the CPU time the page's renderer spent on it (from a trace). */
interface Paint {
  wallMs: number;
  /** The page's main thread. */
  cpuMs: number;
  /** The renderer's other threads (garbage collection, raster, compiling). */
  otherThreadsCpuMs: number;
}

function dayInit(trace: ReturnType<typeof syntheticTrace>): unknown {
  const day = { ...trace, ...sliceAll(trace, 0, POINTS) };
  return { type: 'init', monitor: sceneMonitor({ startedMs: trace.t[0] }), samples: day, events: [], verdict: null, probe: null, comparison: null, decomposition: { readings: syntheticDecomposition(day), diagnosis: null } };
}

/**
 * First paints on fresh pages (the code cold, as when a panel opens), alternating the columns
 * packed as the host sends them and, the baseline, plain arrays (the wire form before issue 16).
 */
async function firstPaints(browser: Browser, rounds: number): Promise<FirstPaints> {
  const init = dayInit(syntheticTrace({ samples: POINTS + UPDATES }));
  const otherBundles = (process.env.LEAKSCOPE_PAINT_BASELINE ?? '').split(',').filter(Boolean);
  const paints: FirstPaints = { packed: [], plain: [], otherBundles: new Map(otherBundles.map((b) => [b, []])) };
  for (let i = 0; i < rounds; i++) {
    paints.plain.push(await measureFirstPaint(browser, await observedPanel(browser), init, false));
    for (const [bundle, measured] of paints.otherBundles) measured.push(await measureFirstPaint(browser, await observedPanel(browser, bundle), init, true));
    paints.packed.push(await measureFirstPaint(browser, await observedPanel(browser), init, true));
  }
  return paints;
}

/**
 * `otherBundles`: other builds of the webview (LEAKSCOPE_PAINT_BASELINE=their webview.js, comma
 * separated, e.g. main's), the columns packed: a before/after in the same run, whatever the load.
 */
interface FirstPaints {
  packed: Paint[];
  plain: Paint[];
  otherBundles: Map<string, Paint[]>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall and CPU time of first paints, with the range of the wall times. */
function paintSummary(paints: Paint[]): string {
  const walls = paints.map((p) => p.wallMs);
  return `wall ${ms(median(walls))} (${ms(Math.min(...walls))}–${ms(Math.max(...walls))}), CPU main thread ${ms(median(paints.map((p) => p.cpuMs)))}, other threads ${ms(median(paints.map((p) => p.otherThreadsCpuMs)))}`;
}

/** The real webview bundle end to end: `init` with a day, then one-sample `samples` messages. */
async function fullPanel(browser: Browser): Promise<{ medianMs: number; p90Ms: number; firstPaint: Paint }> {
  const panel = await observedPanel(browser);
  const trace = syntheticTrace({ samples: POINTS + UPDATES });
  const firstPaint = await measureFirstPaint(browser, panel, dayInit(trace), true);
  await panel.frames();
  await panel.page.evaluate(() => {
    (globalThis as unknown as { __renders: number[] }).__renders = [];
  }, null);
  for (let i = POINTS; i < POINTS + UPDATES; i++) {
    await sendPacked(panel, { type: 'samples', samples: samplesToColumns([sampleAt(trace, i)]) });
    // A decomposition reading every 5 samples, as the host sends them.
    if (i % 5 === 0) await sendPacked(panel, { type: 'decomposition', decomposition: { readings: { t: [trace.t[i]], anon: [trace.rss[i] - 44 * 2 ** 20], file: [38 * 2 ** 20], shmem: [6 * 2 ** 20], swap: [0] }, diagnosis: null } });
    await panel.frames();
  }
  const renders = await panel.page.evaluate(() => (globalThis as unknown as { __renders: number[] }).__renders.slice(), null);
  renders.sort((a, b) => a - b);
  return { medianMs: renders[Math.floor(renders.length / 2)], p90Ms: renders[Math.floor(renders.length * 0.9)], firstPaint };
}

/** Like PanelPage.send, with the columns packed as the host posts them. */
async function sendPacked(panel: PanelPage, message: unknown): Promise<void> {
  await panel.page.evaluate((m) => window.postMessage(window.__pack(m), '*'), message);
}

function sliceAll(trace: ReturnType<typeof syntheticTrace>, from: number, to: number): ReturnType<typeof syntheticTrace> {
  const out = {} as Record<string, unknown>;
  for (const [key, values] of Object.entries(trace)) out[key] = (values as unknown[]).slice(from, to);
  return out as unknown as ReturnType<typeof syntheticTrace>;
}

function sampleAt(c: ReturnType<typeof syntheticTrace>, i: number): MemorySample {
  return { tMs: c.t[i], rssBytes: c.rss[i], deltaBytes: c.rss[i] - c.rss[i - 1], threads: c.threads[i], fds: c.fds[i], childrenRssBytes: c.childrenRss[i], childCount: c.childCount[i], cpuPercent: c.cpu[i] };
}

function ms(x: number): string {
  return `${x.toFixed(2)} ms`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function printFirstPaints(paints: FirstPaints, uplot: BenchResult | undefined): void {
  console.log(`\nfirst paint of a day after init, ${paints.packed.length} fresh pages, medians (range of wall times); CPU from a Chromium trace:`);
  console.log(`  ${'columns packed (host)'.padEnd(24)} ${paintSummary(paints.packed)}`);
  console.log(`  ${'columns as plain arrays'.padEnd(24)} ${paintSummary(paints.plain)}`);
  for (const [bundle, measured] of paints.otherBundles) console.log(`  ${'other bundle, packed'.padEnd(24)} ${paintSummary(measured)}  (${bundle})`);
  const baselines = [`columns as plain arrays ${ms(median(paints.plain.map((p) => p.wallMs)))}`, ...(uplot ? [`uPlot's first draw of the same day ${ms(uplot.firstDrawMs)}`] : [])];
  figure('panel open with a day of data, first paint after init (wall, median)', median(paints.packed.map((p) => p.wallMs)), FIRST_PAINT_GOAL_MS, 'ms', `baselines: ${baselines.join('; ')}`);
  figure('panel open with a day of data, first paint after init (CPU, main thread)', median(paints.packed.map((p) => p.cpuMs)), FIRST_PAINT_GOAL_MS, 'ms', 'the wall time less the waits on a loaded machine');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-bench-'));
  let failed = false;
  try {
    const size = await bundleSize(dir);
    const total = size.js + size.css;
    const sizeOk = total <= BUNDLE_BUDGET_BYTES;
    failed ||= !sizeOk;
    console.log(`webview bundle, minified: ${kb(size.js)} JS + ${kb(size.css)} CSS = ${kb(total)} (budget ${kb(BUNDLE_BUDGET_BYTES)}) ${sizeOk ? 'OK' : 'OVER'}`);

    const unavailable = browserUnavailable();
    if (unavailable) {
      console.log(`chart render: skipped (${unavailable})`);
      return;
    }
    const script = await buildBenchPage(dir);
    const { browser, dispose } = await launchBrowser();
    try {
      if (process.argv.includes('--first-paint-only')) {
        printFirstPaints(await firstPaints(browser, FIRST_PAINT_ROUNDS + 2), undefined);
        return;
      }
      const variants = await chartVariants(browser, script);
      const ours = variants[0];
      console.log(`\nchart update with ${POINTS.toLocaleString('en-US')} points, ${UPDATES} one-sample updates after 10 untimed (headless Chromium, 1200×420 + strip);`);
      console.log('wall time, and the CPU time of the page\'s main thread per update (from a trace: what the load does not inflate):');
      const baseline = variants.find((r) => r.label === 'baseline');
      if (baseline) console.log(`  the same pixels as the baseline after the updates: ${baseline.pixels === ours.pixels ? 'yes' : `NO (${ours.pixels} against ${baseline.pixels})`}`);
      for (const r of variants) {
        const ratio = r === ours ? '' : `  (${(r.cpuMedianMs / ours.cpuMedianMs).toFixed(1)}× ours in CPU)`;
        console.log(`  ${r.label.padEnd(24)} median ${ms(r.medianMs).padStart(10)}  p90 ${ms(r.p90Ms).padStart(10)}  CPU median ${ms(r.cpuMedianMs).padStart(9)}  p90 ${ms(r.cpuP90Ms).padStart(9)}${ratio}`);
      }
      await printScaling(browser, script, { ours, uplot: variants.find((r) => r.label === 'uplot') });
      // --updates-only: the chart's updates alone (a quick before/after with LEAKSCOPE_CHART_BASELINE).
      if (process.argv.includes('--updates-only')) return;
      const panel = await fullPanel(browser);
      const paints = await firstPaints(browser, FIRST_PAINT_ROUNDS);
      paints.packed.push(panel.firstPaint);
      console.log(`  ${'whole panel (messages)'.padEnd(24)} median ${ms(panel.medianMs).padStart(10)}  p90 ${ms(panel.p90Ms).padStart(10)}  (validation, store, stats, chart, banner, tables)`);
      // Reported, not failed on: timings on a shared 2-core machine swing with its load; the
      // bundle size above is deterministic and does fail the bench when over budget.
      const renderOk = panel.medianMs < FRAME_BUDGET_MS && ours.medianMs < FRAME_BUDGET_MS;
      console.log(`target: median < ${FRAME_BUDGET_MS} ms per update: ${renderOk ? 'OK' : 'MISSED'}`);
      const uplot = variants.find((r) => r.label === 'uplot');
      console.log(`\nfirst draw of the day (chart alone): ours ${ms(ours.firstDrawMs)}${uplot ? `, uPlot ${ms(uplot.firstDrawMs)}` : ''}`);
      console.log('performance table (issue 16):');
      figure('chart update with 86,400 points, median (chart alone)', ours.medianMs, UPDATE_GOAL_MS, 'ms');
      figure('chart update with 86,400 points, p90 (chart alone)', ours.p90Ms, UPDATE_P90_GOAL_MS, 'ms');
      figure('chart update with 86,400 points, CPU median (chart alone)', ours.cpuMedianMs, UPDATE_GOAL_MS, 'ms', 'main thread, from a trace');
      figure('chart update with 86,400 points, CPU p90 (chart alone)', ours.cpuP90Ms, UPDATE_P90_GOAL_MS, 'ms', 'main thread, from a trace');
      figure('chart update, whole panel (messages), median', panel.medianMs, UPDATE_GOAL_MS, 'ms');
      figure('chart update, whole panel (messages), p90', panel.p90Ms, UPDATE_P90_GOAL_MS, 'ms');
      if (uplot) figure('chart update against uPlot on the same data, median', ours.medianMs / uplot.medianMs, UPLOT_RATIO_GOAL, '×', `uPlot ${ms(uplot.medianMs)}, p90 ${ms(uplot.p90Ms)}`);
      if (uplot) figure('chart update against uPlot on the same data, CPU median', ours.cpuMedianMs / uplot.cpuMedianMs, UPLOT_RATIO_GOAL, '×', `uPlot ${ms(uplot.cpuMedianMs)}, p90 ${ms(uplot.cpuP90Ms)}`);
      printFirstPaints(paints, uplot);
      console.log('ours: min-max on the columns for the visible range; chartjs-plugin: all points, chart.js min-max decimation, fresh arrays;');
      console.log('chartjs-plugin-in-place: same but pushing onto the RSS array only and redrawing the main chart only (less work than the others);');
      console.log('uplot: uPlot 1.6 with the same series, push + setData, drawn at once (its own per-pixel min-max).');
    } finally {
      await dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

void main();
