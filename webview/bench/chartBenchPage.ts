// Browser side of bench/chart.ts (bundled by the bench, not part of the panel): the panel's
// chart with a day of samples (and the RSS decomposition, every 5th), updated one sample at a time, timed per update. Variants give
// the baselines: chart.js's own min-max decimation plugin on all points (fresh arrays, and
// mutated in place), and no decimation at all.
import { Chart } from 'chart.js';
import { MemoryChart } from '../chart/memoryChart';
import { readTheme } from '../chart/theme';
import { liveXRange, yAxisMax } from '../model/projection';
import { Point } from '../model/point';
import { SeriesStore, sliceColumns } from '../model/series';
import { syntheticDecomposition, syntheticTrace } from '../model/synthetic';
import { DecompositionStore } from '../model/decomposition';
import { BenchResult, Variant } from './benchTypes';

export type { BenchResult, Variant };

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
  const trace = syntheticTrace({ samples: points + updates + 5 });
  const store = new SeriesStore(points * 2);
  store.replace(sliceColumns(trace, 0, points));
  // The RSS decomposition stacked under RSS, as the panel draws it: a reading every 5 samples.
  const allParts = syntheticDecomposition(trace);
  const parts = new DecompositionStore();
  const partsUpTo = (end: number) => {
    const n = allParts.t.findIndex((t) => t >= trace.t[end]);
    return { t: allParts.t.slice(0, n), anon: allParts.anon.slice(0, n), file: allParts.file.slice(0, n), shmem: allParts.shmem.slice(0, n), swap: allParts.swap.slice(0, n) };
  };
  parts.replace(partsUpTo(points));
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
  chart.render(store, view());
  const times: number[] = [];
  for (let i = 0; i < updates; i++) {
    const next = sliceColumns(trace, points + i, points + i + 1);
    const start = performance.now();
    if (variant === 'chartjs-plugin-in-place') {
      store.append(next);
      mutateInPlace(chart.main, next.t[0], next.rss[0]);
    } else {
      store.append(next);
      if ((points + i) % 5 === 0) parts.append(partsUpTo(points + i + 1));
      chart.render(store, view());
    }
    times.push(performance.now() - start);
  }
  chart.destroy();
  canvases.dispose();
  times.sort((a, b) => a - b);
  return { variant, points, updates, medianMs: times[Math.floor(times.length / 2)], p90Ms: times[Math.floor(times.length * 0.9)] };
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
