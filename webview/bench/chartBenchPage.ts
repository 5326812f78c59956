// Browser side of bench/chart.ts (bundled by the bench, not part of the panel): the panel's
// chart with a day of samples (and the RSS decomposition, every 5th), updated one sample at a time, timed per update. Variants give
// the baselines: chart.js's own min-max decimation plugin on all points (fresh arrays, and
// mutated in place), no decimation at all, and uPlot drawing the same series on the same canvases'
// sizes (uPlot reduces each pixel column to its min and max itself).
import { Chart, Decimation } from 'chart.js';
import uPlot from 'uplot';
import { MemoryChart } from '../chart/memoryChart';
import { readTheme } from '../chart/theme';
import { liveXRange, yAxisMax } from '../model/projection';
import { Point } from '../model/point';
import { SeriesStore, sliceColumns } from '../model/series';
import { syntheticDecomposition, syntheticTrace } from '../model/synthetic';
import { DecompositionStore } from '../model/decomposition';
import { DecompositionColumns } from '../../src/core/shared/decomposition';
import { BenchResult, UPDATE_END_MARK, UPDATE_START_MARK, Variant } from './benchTypes';

export type { BenchResult, Variant };

// The `chartjs-plugin` baselines use chart.js's own decimation, which the panel does not ship.
Chart.register(Decimation);

function makeCanvases(): { main: HTMLCanvasElement; strip: HTMLCanvasElement; dispose(): void } {
  const box = document.createElement('div');
  box.style.width = '1200px';
  const frame = document.createElement('div');
  frame.style.cssText = 'position:relative;height:420px';
  const stripFrame = document.createElement('div');
  stripFrame.style.cssText = 'position:relative;height:84px';
  const main = document.createElement('canvas');
  const strip = document.createElement('canvas');
  frame.append(main);
  stripFrame.append(strip);
  box.append(frame, stripFrame);
  document.body.append(box);
  return { main, strip, dispose: () => box.remove() };
}

function run(variant: Variant, points: number, updates: number): BenchResult {
  if (variant === 'uplot') return runUplot(points, updates);
  const trace = syntheticTrace({ samples: points + WARM_UP_UPDATES + updates + 5 });
  const store = new SeriesStore(points * 2);
  store.replace(sliceColumns(trace, 0, points));
  // The RSS decomposition stacked under RSS, as the panel draws it: a reading every 5 samples.
  const allParts = syntheticDecomposition(trace);
  const parts = new DecompositionStore();
  const partsUntil = allParts.t.findIndex((t) => t >= trace.t[points]);
  parts.replace({ t: allParts.t.slice(0, partsUntil), anon: allParts.anon.slice(0, partsUntil), file: allParts.file.slice(0, partsUntil), shmem: allParts.shmem.slice(0, partsUntil), swap: allParts.swap.slice(0, partsUntil) });
  // One reading per message, as the host sends them (made before the timing starts).
  const readingAt = (sample: number): DecompositionColumns | undefined => {
    const r = allParts.t.indexOf(trace.t[sample]);
    return r < 0 ? undefined : { t: [allParts.t[r]], anon: [allParts.anon[r]], file: [allParts.file[r]], shmem: [allParts.shmem[r]], swap: [allParts.swap[r]] };
  };
  const canvases = makeCanvases();
  const chart = new MemoryChart(canvases.main, canvases.strip, readTheme(), { onUserRange: () => undefined, onRangeChanged: () => undefined }, { decimation: variant === 'ours' ? 'ours' : variant === 'no-decimation' ? 'none' : 'chartjs' });
  const view = () => ({
    parts,
    followLive: true,
    liveRange: liveXRange(store.data.t[0], store.data.t[store.length - 1]),
    hidden: new Set<never>(),
    comparison: undefined,
    comparisonLabel: '',
    overlay: { theme: chart.currentTheme, events: [], limitOnScale: false },
    yMax: (max: number) => yAxisMax(max, undefined, undefined).max,
  });
  const first = performance.now();
  chart.render(store, view());
  const firstDrawMs = performance.now() - first;
  const times = timedUpdates(updates, (i) => {
    const next = sliceColumns(trace, points + i, points + i + 1);
    const reading = readingAt(points + i);
    return () => {
      store.append(next);
      if (variant === 'chartjs-plugin-in-place') {
        mutateInPlace(chart.main, next.t[0], next.rss[0]);
        return;
      }
      if (reading) parts.append(reading);
      chart.render(store, view());
    };
  });
  const pixels = pixelHash([canvases.main, canvases.strip]);
  chart.destroy();
  canvases.dispose();
  return { ...summary(variant, points, updates, times, firstDrawMs), pixels };
}

/** FNV-1a over the canvases' pixels: two builds that drew the same picture give the same hash. */
function pixelHash(canvases: HTMLCanvasElement[]): string {
  let hash = 0x811c9dc5;
  for (const canvas of canvases) {
    const bytes = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Updates not timed first: the JIT's warm-up (the first ten took 20–150 ms each, whatever was drawn). */
const WARM_UP_UPDATES = 10;

/**
 * Runs the warm-up, then `updates` timed updates; `prepare(i)` builds update i's input untimed
 * and returns the update. Each timed update sits between two marks, for the bench's CPU times
 * from a Chromium trace (wall times on a loaded machine swing with the other processes).
 */
function timedUpdates(updates: number, prepare: (i: number) => () => void): number[] {
  for (let i = 0; i < WARM_UP_UPDATES; i++) prepare(i)();
  const times: number[] = [];
  for (let i = WARM_UP_UPDATES; i < WARM_UP_UPDATES + updates; i++) {
    const update = prepare(i);
    const start = performance.mark(UPDATE_START_MARK).startTime;
    update();
    times.push(performance.mark(UPDATE_END_MARK).startTime - start);
  }
  performance.clearMarks();
  return times;
}

function summary(variant: Variant, points: number, updates: number, times: number[], firstDrawMs: number): BenchResult {
  const inOrder = times.slice();
  times.sort((a, b) => a - b);
  return { variant, points, updates, medianMs: times[Math.floor(times.length / 2)], p90Ms: times[Math.floor(times.length * 0.9)], firstDrawMs, timesMs: inOrder };
}

type UplotColumns = [number[], ...(number | null)[][]];
/** uPlot's third constructor argument in its callback form. */
type UplotMount = Exclude<ConstructorParameters<typeof uPlot>[2], HTMLElement | undefined>;

/**
 * The baseline: uPlot with the series our chart draws (RSS, children, USS, PSS on 1200×420;
 * threads and fds on a 1200×84 strip), updated as its docs show for streaming: push the sample
 * onto the columns and setData, drawn at once (batch) rather than on the next microtask.
 */
function runUplot(points: number, updates: number): BenchResult {
  const trace = syntheticTrace({ samples: points + WARM_UP_UPDATES + updates + 5 });
  const main: UplotColumns = [trace.t.slice(0, points), trace.rss.slice(0, points), trace.childrenRss.slice(0, points), (trace.uss ?? []).slice(0, points), (trace.pss ?? []).slice(0, points)];
  const strip: UplotColumns = [trace.t.slice(0, points), trace.threads.slice(0, points), trace.fds.slice(0, points)];
  const box = document.createElement('div');
  document.body.append(box);
  const line = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 1, spanGaps: true, points: { show: false } });
  const options = (height: number, series: uPlot.Series[]): uPlot.Options => ({ width: 1200, height, ms: 1, legend: { show: false }, cursor: { show: false }, series: [{}, ...series] });
  // Given a callback, uPlot hands over its init: run in batch, the first draw happens now, not on
  // the next microtask, so it is inside the timing.
  const drawNow: UplotMount = (plot, init) => {
    box.append(plot.root);
    plot.batch(() => (init as () => void)());
  };
  const first = performance.now();
  const mainPlot = new uPlot(options(420, [line('RSS', '#3794ff'), line('Children', '#89d185'), line('USS', '#cca700'), line('PSS', '#b180d7')]), main, drawNow);
  const stripPlot = new uPlot(options(84, [line('Threads', '#f48771'), line('Open files', '#75beff')]), strip, drawNow);
  const firstDrawMs = performance.now() - first;
  const times = timedUpdates(updates, (i) => () => {
    const at = points + i;
    main[0].push(trace.t[at]);
    main[1].push(trace.rss[at]);
    main[2].push(trace.childrenRss[at]);
    main[3].push(trace.uss?.[at] ?? null);
    main[4].push(trace.pss?.[at] ?? null);
    strip[0].push(trace.t[at]);
    strip[1].push(trace.threads[at]);
    strip[2].push(trace.fds[at]);
    mainPlot.batch(() => mainPlot.setData(main));
    stripPlot.batch(() => stripPlot.setData(strip));
  });
  mainPlot.destroy();
  stripPlot.destroy();
  box.remove();
  return summary('uplot', points, updates, times, firstDrawMs);
}

/**
 * The way chart-performance.md measured as slower: push onto the array chart.js already has.
 * With decimation on, `data` is the decimated copy; the original array is kept as `_data`.
 */
function mutateInPlace(chart: Chart<'line', Point[]>, x: number, y: number): void {
  const dataset = chart.data.datasets[0] as { _data?: Point[]; data: Point[] };
  (dataset._data ?? dataset.data).push({ x, y });
  const scale = chart.options.scales?.x;
  if (scale) scale.max = x;
  chart.update('none');
}

declare global {
  interface Window {
    runChartBench(variant: Variant, points: number, updates: number): BenchResult;
  }
}

window.runChartBench = run;
