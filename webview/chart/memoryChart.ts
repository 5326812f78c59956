// The two canvases of the panel: RSS and friends over time, and a thin strip of threads and
// file descriptors below it sharing the time axis. Settings follow chart-performance.md:
// no parsing, normalized data, no animation, min-max decimation (keeps GC troughs and peaks),
// a fresh array per update, only the chart.js parts in use registered. The decimation runs
// on our columns for the visible range (model/decimate.ts) rather than in chart.js's plugin:
// measured 24 ms per update with the plugin on four day-long series, see bench/chart.ts.
import {
  Chart,
  ChartDataset,
  Filler,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Scale,
  Tooltip,
  TooltipItem,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { formatBytes } from '../../src/core/units';
import { Point } from '../model/point';
import { SeriesKey, SeriesStore } from '../model/series';
import { byteTicks, roundUpToStep } from '../model/byteTicks';
import { liveEdgeMs, maxY, maxYBetween } from '../model/decimate';
import { firstIndexAtOrAfter } from '../model/stats';
import { chooseTickStep, formatClock, formatTick, localOffsetMs, timeTicks } from '../model/timeTicks';
import { OverlayState, overlayPlugin } from './overlays';
import { SeriesLayerState, extentPoints, seriesLayerPlugin } from './seriesLayer';
import { ChartTheme, withAlpha } from './theme';
import { DecompositionPart, DECOMPOSITION_PARTS } from '../../src/core/shared/decomposition';
import { DecompositionStore, STACKED_PARTS } from '../model/decomposition';

// Not chart.js's Decimation plugin: the panel decimates itself; the bench registers it for its baseline.
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Filler, zoomPlugin);

export const MAIN_SERIES: readonly SeriesKey[] = ['rss', 'childrenRss', 'uss', 'pss', 'heap', 'gpu'];
export const STRIP_SERIES: readonly SeriesKey[] = ['threads', 'fds'];

export const SERIES_LABELS: Record<SeriesKey, string> = {
  rss: 'RSS',
  childrenRss: 'Children RSS',
  uss: 'USS',
  pss: 'PSS',
  heap: 'Heap',
  gpu: 'GPU',
  threads: 'Threads',
  fds: 'File descriptors',
};

/** The parts of RSS (stacked under it) and swap: the legend's words. */
export const PART_LABELS: Record<DecompositionPart, string> = {
  anon: 'Anonymous',
  file: 'File-backed',
  shmem: 'Shared',
  swap: 'Swap',
};

/** Anything the legend can switch off: a series of the samples or a part of the decomposition. */
export type LegendKey = SeriesKey | DecompositionPart;

/**
 * Knobs the bench turns to measure baselines; the panel uses the default. `ours`: min-max on
 * the columns for the visible range; `chartjs`: all points with chart.js's min-max plugin
 * (registered by the bench's page only); `none`: all points, no decimation.
 */
export interface ChartTuning {
  decimation: 'ours' | 'chartjs' | 'none';
}
export const DEFAULT_TUNING: ChartTuning = { decimation: 'ours' };

export interface ChartView {
  /** What RSS is made of, read every few seconds: stacked under RSS. */
  parts: DecompositionStore;
  followLive: boolean;
  /** x range while following live (computed by the app, with room for the projection). */
  liveRange: { min: number; max: number };
  hidden: ReadonlySet<LegendKey>;
  /** Another trace shifted to start where this one starts. */
  comparison: Point[] | undefined;
  comparisonLabel: string;
  overlay: OverlayState;
  /** Fixed y top when the limit or projection must be on scale (see yAxisMax). */
  yMax: (visibleDataMax: number) => number;
}

export interface ChartCallbacks {
  /** The user started to zoom or pan: the app stops following live. */
  onUserRange(): void;
  /** The visible range changed: the app redraws (decimation depends on the range). */
  onRangeChanged(): void;
}

/** The main chart's datasets while the layer draws them: none for chart.js. */
const NO_DATASETS: ChartDataset<'line', Point[]>[] = [];

/** Both y axes get the same width so the two charts' time axes line up. */
const Y_AXIS_WIDTH = 64;
const COMPARISON_INDEX = MAIN_SERIES.length;
/** The parts come after the comparison: chart.js draws later datasets first, so RSS stays on top. */
const PART_INDEX = COMPARISON_INDEX + 1;

interface Range {
  min: number;
  max: number;
}
/** Intervals on the memory axis: enough to read values, few enough to stay quiet. */
const Y_TICKS = 5;

export class MemoryChart {
  readonly main: Chart<'line', Point[]>;
  readonly strip: Chart<'line', Point[]>;
  private overlayState: OverlayState;
  /** The decomposition last drawn, for the tooltip's values (the stack's heights are sums). */
  private parts: DecompositionStore | undefined;
  /** What the series layer draws on each chart (seriesLayer.ts), by dataset index. */
  private mainLayer: SeriesLayerState = { active: false, datasets: [], points: [] };
  private stripLayer: SeriesLayerState = { active: false, datasets: [], points: [] };
  /**
   * The charts' datasets, styled here and handed to chart.js only while it draws them: while the
   * layer draws, the main chart has none (its axes have fixed bounds) and the strip's keep their extent.
   */
  private readonly mainDatasets: ChartDataset<'line', Point[]>[];
  private readonly stripDatasets: ChartDataset<'line', Point[]>[];
  /** The pointer is over the chart: chart.js draws its datasets, whose elements its tooltip needs. */
  private readonly pointerOn = new Set<HTMLCanvasElement>();
  /** What the scales were last fitted to, per chart: the same again needs a redraw, not an update. */
  private readonly fittedTo = new Map<Chart<'line', Point[]>, string>();
  private readonly removeListeners: (() => void)[] = [];

  constructor(
    mainCanvas: HTMLCanvasElement,
    stripCanvas: HTMLCanvasElement,
    private theme: ChartTheme,
    private readonly callbacks: ChartCallbacks,
    private readonly tuning: ChartTuning = DEFAULT_TUNING,
  ) {
    this.overlayState = { theme, events: [], limitOnScale: false };
    this.mainDatasets = [...MAIN_SERIES.map((key) => dataset(key, theme)), dataset('comparison', theme), ...DECOMPOSITION_PARTS.map((part) => dataset(part, theme))];
    this.stripDatasets = STRIP_SERIES.map((key) => dataset(key, theme));
    this.main = new Chart(mainCanvas, this.mainConfig());
    this.strip = new Chart(stripCanvas, this.stripConfig());
    for (const canvas of [mainCanvas, stripCanvas]) this.watchPointer(canvas);
  }

  /** Entering or leaving a chart switches who draws its series: the app redraws. */
  private watchPointer(canvas: HTMLCanvasElement): void {
    const enter = (): void => {
      this.pointerOn.add(canvas);
      this.callbacks.onRangeChanged();
    };
    const leave = (): void => {
      this.pointerOn.delete(canvas);
      this.callbacks.onRangeChanged();
    };
    canvas.addEventListener('pointerenter', enter);
    canvas.addEventListener('pointerleave', leave);
    this.removeListeners.push(() => {
      canvas.removeEventListener('pointerenter', enter);
      canvas.removeEventListener('pointerleave', leave);
    });
  }

  /** The layer draws our decimated points; chart.js's own decimation (the bench's baselines) draws through chart.js. */
  private layerDraws(chart: Chart<'line', Point[]>): boolean {
    return this.tuning.decimation === 'ours' && !this.pointerOn.has(chart.canvas);
  }

  /** One synchronous update of both charts; the app calls it at most once per frame. */
  render(store: SeriesStore, view: ChartView): void {
    this.overlayState = view.overlay;
    const main = this.main;
    const x = main.options.scales?.x;
    const columns = Math.max(50, Math.round(main.chartArea?.width ?? main.width));
    const live = { min: view.liveRange.min, max: this.tuning.decimation === 'ours' ? liveEdgeMs(view.liveRange, columns) : view.liveRange.max };
    if (x && (view.followLive || typeof x.min !== 'number' || typeof x.max !== 'number')) {
      x.min = live.min;
      x.max = live.max;
    }
    const range = { min: asNumber(x?.min) ?? live.min, max: asNumber(x?.max) ?? live.max };
    const mainPoints = MAIN_SERIES.map((key, i) => this.setSeries(this.mainDatasets[i], store, key, view.hidden, range, columns));
    const comparison = this.mainDatasets[COMPARISON_INDEX];
    mainPoints.push(view.comparison ?? []);
    comparison.hidden = !view.comparison;
    comparison.label = view.comparisonLabel;
    const stripPoints = STRIP_SERIES.map((key, i) => this.setSeries(this.stripDatasets[i], store, key, view.hidden, range, columns));
    mainPoints.push(...this.setParts(view.parts, view.hidden, range, columns));
    this.handOver(main, this.mainDatasets, mainPoints);
    this.handOver(this.strip, this.stripDatasets, stripPoints, (points) => extentPoints(points, range.min, range.max));

    this.setZoomLimits(live);
    const y = main.options.scales?.y;
    if (y) {
      // The overlaid trace counts too: a previous run that grew higher would be drawn off the chart.
      const shown = Math.max(this.visibleMax(store, view.hidden, range, mainPoints), maxYBetween(view.comparison ?? [], range.min, range.max));
      y.max = roundUpToStep(view.yMax(shown), Y_TICKS);
      main.canvas.dataset.yMax = String(y.max);
    }
    this.refresh(main, `${x?.min},${x?.max},${y?.max}`);
    this.syncStrip();
  }

  /**
   * The points to the series layer, or to chart.js while it draws (the pointer is on the chart);
   * `forScale`: what the datasets keep while the layer draws (what a fitted axis needs of them);
   * without it, chart.js gets no datasets then (no per-dataset options resolved per update).
   */
  private handOver(chart: Chart<'line', Point[]>, datasets: ChartDataset<'line', Point[]>[], points: Point[][], forScale?: (points: Point[]) => Point[]): void {
    const active = this.layerDraws(chart);
    const layer = { active, datasets, points };
    if (chart === this.main) this.mainLayer = layer;
    else this.stripLayer = layer;
    const handed = active && !forScale ? NO_DATASETS : datasets;
    if (chart.data.datasets !== handed) chart.data.datasets = handed;
    datasets.forEach((ds, i) => {
      ds.data = active ? forScale?.(points[i]) ?? [] : points[i];
    });
  }

  /**
   * chart.js's update (scales, ticks, layout, datasets) only when what the scales are fitted to
   * changed; else, with the layer drawing the series, a redraw is all it takes (a paused or
   * zoomed view whose new samples fall outside it).
   */
  private refresh(chart: Chart<'line', Point[]>, scaleInputs: string): void {
    const key = `${this.layerDraws(chart)};${chart.width}x${chart.height};${scaleInputs};${chart.data.datasets.map((ds) => (ds.hidden ? '-' : ds.data.map((p) => p.y).join('/'))).join(',')}`;
    if (this.layerDraws(chart) && this.fittedTo.get(chart) === key) {
      chart.draw();
      return;
    }
    this.fittedTo.set(chart, key);
    chart.update('none');
  }

  /**
   * Anonymous, file-backed and shared memory as areas stacked from zero, each filled down to the
   * shown part below it; swap as a dashed line. RSS's own fill would cover them: it is left out
   * while a stacked part is shown.
   */
  private setParts(parts: DecompositionStore, hidden: ReadonlySet<LegendKey>, range: Range, columns: number): Point[][] {
    this.parts = parts;
    const shown = new Set(DECOMPOSITION_PARTS.filter((p) => !hidden.has(p) && parts.has(p)));
    const points = DECOMPOSITION_PARTS.map((part, i) => {
      this.mainDatasets[PART_INDEX + i].hidden = !shown.has(part);
      return shown.has(part) ? parts.points(part, shown, range.min, range.max, columns) : [];
    });
    let below: number | 'origin' = 'origin';
    for (const part of STACKED_PARTS) {
      const index = PART_INDEX + DECOMPOSITION_PARTS.indexOf(part);
      this.mainDatasets[index].fill = this.theme.highContrast || !shown.has(part) ? false : below;
      if (shown.has(part)) below = index;
    }
    const rss = this.mainDatasets[0];
    rss.fill = !this.theme.highContrast && !STACKED_PARTS.some((p) => shown.has(p)) ? 'origin' : false;
    return points;
  }

  /** The series' points to draw (none when hidden): a fresh array, chart.js never holds data that changes under it. */
  private setSeries(ds: ChartDataset<'line', Point[]>, store: SeriesStore, key: SeriesKey, hidden: ReadonlySet<LegendKey>, range: Range, columns: number): Point[] {
    const off = hidden.has(key) || !store.has(key);
    ds.hidden = off;
    if (off) return [];
    return this.tuning.decimation === 'ours' ? store.decimated(key, range.min, range.max, columns) : store.points(key);
  }

  /** Highest shown value in the visible range, for the y axis; `points` as the main chart's datasets. */
  private visibleMax(store: SeriesStore, hidden: ReadonlySet<LegendKey>, range: Range, points: readonly Point[][]): number {
    // The parts are decimated here in every tuning: their points hold their maximum.
    const parts = points.slice(PART_INDEX).reduce((top, p) => Math.max(top, maxY(p)), 0);
    if (this.tuning.decimation !== 'ours') return Math.max(parts, visibleMax(store, hidden, range.min, range.max));
    // Decimated points keep every column's maximum, so their maximum is the data's.
    let top = parts;
    MAIN_SERIES.forEach((key, i) => {
      if (!hidden.has(key)) top = Math.max(top, maxY(points[i]));
    });
    return top;
  }

  get currentTheme(): ChartTheme {
    return this.theme;
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    this.overlayState = { ...this.overlayState, theme };
    for (const chart of [this.main, this.strip]) applyTheme(chart, theme);
    this.mainDatasets.forEach((ds, i) => styleDataset(ds, mainDatasetKey(i), theme));
    this.stripDatasets.forEach((ds, i) => styleDataset(ds, STRIP_SERIES[i], theme));
    this.main.update('none');
    this.strip.update('none');
  }

  /** Keyboard zoom and pan (the wheel and drag do the same through the zoom plugin). */
  zoomBy(factor: number): void {
    this.callbacks.onUserRange();
    this.main.zoom({ x: factor });
    this.callbacks.onRangeChanged();
  }

  panBy(pixels: number): void {
    this.callbacks.onUserRange();
    this.main.pan({ x: pixels }, undefined, 'none');
    this.callbacks.onRangeChanged();
  }

  destroy(): void {
    for (const remove of this.removeListeners) remove();
    this.main.destroy();
    this.strip.destroy();
  }

  private syncStrip(): void {
    const x = this.strip.options.scales?.x;
    if (x) {
      x.min = this.main.scales.x.min;
      x.max = this.main.scales.x.max;
    }
    this.refresh(this.strip, `${x?.min},${x?.max}`);
  }

  private setZoomLimits(range: { min: number; max: number }): void {
    const zoom = this.main.options.plugins?.zoom;
    if (zoom?.limits) zoom.limits.x = { min: range.min, max: range.max, minRange: 5_000 };
  }

  private mainConfig(): ConstructorParameters<typeof Chart<'line', Point[]>>[1] {
    const t = this.theme;
    const userRange = (): boolean => {
      this.callbacks.onUserRange();
      return true;
    };
    const changed = (): void => {
      this.syncStrip();
      this.callbacks.onRangeChanged();
    };
    return {
      type: 'line',
      data: {
        datasets: this.mainDatasets,
      },
      options: {
        ...baseOptions(t, this.tuning, formatBytes),
        scales: { x: timeAxis(t, true), y: bytesAxis(t) },
        plugins: {
          ...baseOptions(t, this.tuning, formatBytes).plugins,
          tooltip: { ...tooltipColors(t), animation: false as const, callbacks: tooltipCallbacks(formatBytes, (item) => this.partValue(item)) },
          zoom: {
            pan: { enabled: true, mode: 'x', onPanStart: userRange, onPan: changed, onPanComplete: changed },
            zoom: {
              mode: 'x',
              wheel: { enabled: true },
              pinch: { enabled: true },
              drag: { enabled: true, modifierKey: 'shift', backgroundColor: withAlpha(t.series.rss, 0.15) },
              onZoomStart: userRange,
              onZoomComplete: changed,
            },
            limits: { x: { min: 0, max: 1, minRange: 5_000 } },
          },
        },
      },
      // The label boxes go on the canvas as data, for the e2e test that checks none overlap on screen.
      plugins: [plotExtentPlugin, seriesLayerPlugin(() => this.mainLayer), overlayPlugin(() => this.overlayState, (drawn, canvas) => { canvas.dataset.labels = JSON.stringify(drawn); })],
    };
  }

  /** A part's own reading under the pointer (its point's height is the stack's). */
  private partValue(item: TooltipItem<'line'>): number | undefined {
    const part = DECOMPOSITION_PARTS[item.datasetIndex - PART_INDEX];
    return part && typeof item.parsed.x === 'number' ? this.parts?.valueAt(part, item.parsed.x) : undefined;
  }

  private stripConfig(): ConstructorParameters<typeof Chart<'line', Point[]>>[1] {
    const t = this.theme;
    return {
      type: 'line',
      data: { datasets: this.stripDatasets },
      options: {
        ...baseOptions(t, this.tuning, String),
        scales: { x: timeAxis(t, false), y: countAxis(t) },
      },
      plugins: [plotExtentPlugin, seriesLayerPlugin(() => this.stripLayer)],
    };
  }
}

function mainDatasetKey(index: number): LegendKey | 'comparison' {
  if (index < COMPARISON_INDEX) return MAIN_SERIES[index];
  return index === COMPARISON_INDEX ? 'comparison' : DECOMPOSITION_PARTS[index - PART_INDEX];
}

/** Highest value of the shown main series within [min, max], for the y axis. */
function visibleMax(store: SeriesStore, hidden: ReadonlySet<LegendKey>, min?: number, max?: number): number {
  const c = store.data;
  const from = min === undefined ? 0 : Math.max(0, firstIndexAtOrAfter(c.t, min) - 1);
  const to = max === undefined ? c.t.length : Math.min(c.t.length, firstIndexAtOrAfter(c.t, max) + 1);
  let top = 0;
  for (const key of MAIN_SERIES) {
    if (hidden.has(key)) continue;
    const values = c[key];
    if (!values) continue;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && v > top) top = v;
    }
  }
  return top;
}

/** Room for the last time label's right half and the top value label's upper half. */
const PLOT_PADDING = { top: 8, right: 28, bottom: 0, left: 0 };

function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/**
 * Each chart's plot area, horizontally, on its canvas after every layout of its own (a resize
 * included), for the test that the two grids line up. Written when the main chart updated, it
 * went stale when a chart was laid out again on its own, and the test read a pixel's difference.
 */
const plotExtentPlugin = {
  id: 'leakscopePlotExtent',
  afterLayout(chart: Chart) {
    const area = chart.chartArea;
    if (area) chart.canvas.dataset.plotX = `${Math.round(area.left)},${Math.round(area.right)}`;
  },
};

function baseOptions(t: ChartTheme, tuning: ChartTuning, formatValue: (v: number) => string) {
  return {
    parsing: false as const,
    normalized: true,
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: true,
    // The same fixed padding for both charts: chart.js's automatic padding makes room for the main
    // chart's time labels only, which left the strip's plot wider and its grid out of line.
    layout: { autoPadding: false, padding: PLOT_PADDING },
    interaction: { mode: 'nearest' as const, axis: 'x' as const, intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3, hitRadius: 4 }, line: { tension: 0 } },
    plugins: {
      decimation: { enabled: tuning.decimation === 'chartjs', algorithm: 'min-max' as const },
      tooltip: { ...tooltipColors(t), animation: false as const, callbacks: tooltipCallbacks(formatValue) },
    },
  };
}

function tooltipColors(t: ChartTheme) {
  return {
    // What the tooltip says, on the canvas as data: for the test that it still works over the series layer.
    external: ({ chart, tooltip }: { chart: Chart; tooltip: { opacity: number; body?: { lines: string[] }[] } }) => {
      chart.canvas.dataset.tooltip = tooltip.opacity ? (tooltip.body ?? []).flatMap((b) => b.lines).join('\n') : '';
    },
    backgroundColor: t.background,
    titleColor: t.foreground,
    bodyColor: t.foreground,
    borderColor: t.grid,
    borderWidth: 1,
    titleFont: { family: t.fontFamily },
    bodyFont: { family: t.fontFamily },
  };
}

function tooltipCallbacks(formatValue: (v: number) => string, ownValue: (item: TooltipItem<'line'>) => number | undefined = () => undefined) {
  return {
    title: (items: TooltipItem<'line'>[]) => {
      const x = items[0]?.parsed.x;
      return typeof x === 'number' ? formatClock(x, localOffsetMs(x)) : '';
    },
    label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${formatValue(ownValue(item) ?? item.parsed.y ?? 0)}`,
  };
}

function timeAxis(t: ChartTheme, showLabels: boolean) {
  let step = 60_000;
  return {
    type: 'linear' as const,
    grid: { color: withAlpha(t.grid, 0.35) },
    border: { color: t.grid },
    ticks: {
      display: showLabels,
      color: t.muted,
      font: { family: t.fontFamily },
      maxRotation: 0,
      autoSkip: false,
      callback: (value: number | string) => formatTick(Number(value), step, localOffsetMs(Number(value))),
    },
    // Clock-aligned ticks (14:00, 14:05 …) instead of chart.js's nice numbers of milliseconds.
    afterBuildTicks: (scale: Scale) => {
      step = chooseTickStep(scale.max - scale.min, Math.max(2, Math.floor(scale.width / 90)));
      scale.ticks = timeTicks(scale.min, scale.max, step, localOffsetMs(scale.min)).map((value) => ({ value }));
    },
  };
}

function bytesAxis(t: ChartTheme) {
  return {
    type: 'linear' as const,
    beginAtZero: true,
    min: 0,
    grid: { color: withAlpha(t.grid, 0.35) },
    border: { color: t.grid },
    ticks: { color: t.muted, font: { family: t.fontFamily }, callback: (v: number | string) => formatBytes(Number(v)) },
    afterBuildTicks: (scale: Scale) => {
      scale.ticks = byteTicks(scale.max, Y_TICKS).map((value) => ({ value }));
    },
    afterFit: (scale: Scale) => {
      scale.width = Y_AXIS_WIDTH;
    },
  };
}

function countAxis(t: ChartTheme) {
  return {
    type: 'linear' as const,
    beginAtZero: true,
    // Room above the highest count: a flat line of fds must not merge with the top border.
    grace: '15%',
    grid: { color: withAlpha(t.grid, 0.35) },
    border: { color: t.grid },
    ticks: { color: t.muted, font: { family: t.fontFamily }, maxTicksLimit: 3, precision: 0 },
    afterFit: (scale: Scale) => {
      scale.width = Y_AXIS_WIDTH;
    },
  };
}

function dataset(key: LegendKey | 'comparison', t: ChartTheme): ChartDataset<'line', Point[]> {
  const ds: ChartDataset<'line', Point[]> = { label: legendLabel(key), data: [] };
  styleDataset(ds, key, t);
  return ds;
}

function legendLabel(key: LegendKey | 'comparison'): string {
  if (key === 'comparison') return 'Comparison';
  return isPart(key) ? PART_LABELS[key] : SERIES_LABELS[key];
}

function isPart(key: LegendKey | 'comparison'): key is DecompositionPart {
  return (DECOMPOSITION_PARTS as readonly string[]).includes(key);
}

function styleDataset(ds: ChartDataset<'line', Point[]>, key: LegendKey | 'comparison', t: ChartTheme): void {
  if (isPart(key)) return stylePart(ds, key, t);
  const color = key === 'comparison' ? t.comparison : t.series[key];
  ds.borderColor = color;
  ds.backgroundColor = withAlpha(color, 0.12);
  ds.borderWidth = t.highContrast ? 2 : key === 'rss' ? 1.5 : 1.2;
  ds.borderDash = key === 'comparison' ? [5, 3] : [];
  // The RSS area is filled so the baseline under the sawtooth reads as a shape, not a zigzag.
  ds.fill = key === 'rss' && !t.highContrast ? 'origin' : false;
}

/** Areas faint enough for RSS's line to read over them; in high contrast, lines only (the fill is set per render). */
function stylePart(ds: ChartDataset<'line', Point[]>, part: DecompositionPart, t: ChartTheme): void {
  const color = t.parts[part];
  ds.borderColor = color;
  ds.backgroundColor = withAlpha(color, 0.22);
  ds.borderWidth = t.highContrast ? 2 : 1;
  ds.borderDash = part === 'swap' ? [4, 3] : part === 'shmem' && t.highContrast ? [2, 2] : [];
  ds.fill = false;
}

function applyTheme(chart: Chart<'line', Point[]>, t: ChartTheme): void {
  const scales = chart.options.scales ?? {};
  for (const scale of Object.values(scales)) {
    if (!scale) continue;
    if (scale.grid) scale.grid.color = withAlpha(t.grid, 0.35);
    if (scale.border) scale.border.color = t.grid;
    if (scale.ticks) scale.ticks.color = t.muted;
  }
  const tooltip = chart.options.plugins?.tooltip;
  if (tooltip) Object.assign(tooltip, tooltipColors(t));
}
