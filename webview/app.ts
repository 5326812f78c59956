// The panel: receives protocol messages, keeps the model, and redraws at most once per
// animation frame (and not while hidden). Everything it shows is re-derived from the model,
// so a restored state, an `init` and a stream of `samples` all end in the same picture.
import { GrowthVerdict, MonitorEvent } from '../src/core/model';
import {
  ComparisonTrace,
  FamilyView,
  FromWebviewMessage,
  MonitorDescriptor,
  PROTOCOL_VERSION,
  PanelState,
  ProbeReport,
  ToWebviewMessage,
  assertNever,
  describeRejected,
  parsePanelState,
  parseToWebview,
} from '../src/core/protocol';
import { formatBytes } from '../src/core/units';
import { ChartTuning, DEFAULT_TUNING, LegendKey, MemoryChart } from './chart/memoryChart';
import { Diagnosis } from '../src/core/shared/decomposition';
import { DecompositionStore, isDecompositionPart } from './model/decomposition';
import { readTheme, watchTheme } from './chart/theme';
import { liveXRange, projectedSlope, projectToLimit, yAxisMax } from './model/projection';
import { Point } from './model/point';
import { SERIES_KEYS, SeriesStore } from './model/series';
import { PanelStats, StatsTracker } from './model/stats';
import { minMaxThin } from '../src/core/shared/thin';
import { localOffsetMs } from './model/timeTicks';
import { bannerContent } from './model/verdictText';
import { familyBanner } from './model/familyText';
import { FamilyPanel } from './view/familyPanel';
import { ChartArea } from './view/chartArea';
import { Controls } from './view/controls';
import { h } from './view/dom';
import { ErrorBar, Header, ProbeTable, StatsTable, VerdictBanner } from './view/panels';
import { HostChannel } from './vscodeApi';

/** Points kept in the saved state: enough to redraw the curve's shape after a reload. */
const SAVED_POINTS = 4000;
/** Saving serialises the state; during a stream of samples, at most this often. */
const SAVE_EVERY_MS = 10_000;

export class PanelApp {
  private monitor: MonitorDescriptor | undefined;
  private readonly store = new SeriesStore();
  private events: MonitorEvent[] = [];
  private verdict: GrowthVerdict | null = null;
  private probe: ProbeReport | null = null;
  private comparison: { label: string; points: Point[] } | null = null;
  private followLive = true;
  private hidden = new Set<LegendKey>();
  /** What RSS is made of, every few seconds, and why it grows (null until the host says). */
  private readonly parts = new DecompositionStore();
  private diagnosis: Diagnosis | null = null;
  private stats: PanelStats | undefined;
  private readonly statsTracker = new StatsTracker();
  private family: FamilyView | null = null;
  private readonly familyPanel = new FamilyPanel();

  private readonly chart: MemoryChart;
  private readonly header = new Header();
  private readonly controls: Controls;
  private readonly banner = new VerdictBanner();
  private readonly statsTable = new StatsTable();
  private readonly probeTable: ProbeTable;
  private readonly errorBar = new ErrorBar();
  private readonly chartArea: ChartArea;
  private frame = 0;
  private lastSaveMs = 0;
  /** An `init` is saved once its first frame is drawn: saving thins and serialises the day. */
  private savePending = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private stopWatchingTheme: () => void;
  /** A hidden webview skips frames; back in view it draws what came meanwhile. */
  private readonly onVisibilityChange = (): void => this.scheduleRender();

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostChannel,
    tuning: ChartTuning = DEFAULT_TUNING,
  ) {
    const post = (m: FromWebviewMessage): void => host.post(m);
    this.controls = new Controls(post);
    this.probeTable = new ProbeTable((file, line) => post({ type: 'openLocation', file, line }));
    this.chartArea = new ChartArea({
      onFollowLive: (on) => this.setFollowLive(on),
      onSeriesToggle: (key, visible) => this.toggleSeries(key, visible),
      onKey: (key) => this.onChartKey(key),
    });
    root.append(
      h('div', { class: 'top-row' }, this.header.root, this.controls.traceRoot),
      this.controls.root,
      this.errorBar.root,
      this.banner.root,
      this.chartArea.root,
      this.familyPanel.root,
      h('div', { class: 'details' }, h('section', { class: 'stats-section', 'aria-label': 'Statistics' }, this.statsTable.root), this.probeTable.root),
    );
    const theme = readTheme();
    this.chartArea.setColors({ ...theme.series, ...theme.parts }, theme.comparison);
    this.chart = new MemoryChart(this.chartArea.mainCanvas, this.chartArea.stripCanvas, theme, { onUserRange: () => this.setFollowLive(false), onRangeChanged: () => this.scheduleRender() }, tuning);
    this.stopWatchingTheme = watchTheme(() => this.onThemeChange());
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  /** Shows the saved state (if any) at once, then asks the host for the live picture. */
  start(): void {
    const saved = parsePanelState(this.host.loadState());
    if (saved) this.restore(saved);
    this.renderNow();
    this.host.post({ type: 'ready' });
  }

  /** Entry for window 'message' events: validated, then applied. */
  receive(raw: unknown): void {
    const message = parseToWebview(raw);
    if (!message) {
      console.warn(`[leakscope] ignored an unknown or malformed message ${describeRejected(raw)}`);
      return;
    }
    this.apply(message);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.saveTimer);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.stopWatchingTheme();
    this.chart.destroy();
  }

  private apply(m: ToWebviewMessage): void {
    switch (m.type) {
      case 'init':
        this.monitor = m.monitor;
        this.store.take(m.samples); // the parsed message's own arrays: held by nothing else
        this.events = m.events;
        this.verdict = m.verdict;
        this.probe = m.probe;
        this.setComparison(m.comparison);
        this.family = null; // a family's picture follows its init
        this.parts.take(m.decomposition?.readings ?? { t: [], anon: [], file: [], shmem: [], swap: [] }); // the parsed message's own arrays
        this.diagnosis = m.decomposition?.diagnosis ?? null;
        this.errorBar.hide();
        this.savePending = true;
        break;
      case 'samples':
        this.store.append(m.samples);
        this.save(false);
        break;
      case 'verdict':
        this.verdict = m.verdict;
        break;
      case 'state':
        if (this.monitor) this.monitor = { ...this.monitor, state: m.state, summary: m.summary };
        this.save(true);
        break;
      case 'monitor':
        this.monitor = m.monitor;
        break;
      case 'event':
        this.events = [...this.events, m.event];
        break;
      case 'probe':
        this.probe = m.probe;
        break;
      case 'comparison':
        this.setComparison(m.comparison);
        break;
      case 'family':
        this.family = m.family;
        break;
      case 'error':
        this.errorBar.show(m.text);
        break;
      case 'decomposition':
        this.parts.append(m.decomposition.readings);
        this.diagnosis = m.decomposition.diagnosis;
        break;
      default:
        assertNever(m);
    }
    this.scheduleRender();
  }

  private restore(saved: PanelState): void {
    this.monitor = saved.monitor;
    this.store.replace(saved.samples);
    this.events = saved.events;
    this.verdict = saved.verdict;
    this.followLive = saved.ui.followLive;
    this.hidden = new Set(saved.ui.hiddenSeries.filter(isSeriesKey));
  }

  private setComparison(trace: ComparisonTrace | null): void {
    if (!trace || trace.samples.t.length === 0) {
      this.comparison = null;
      return;
    }
    // Aligned at start: the other trace's first sample sits on this trace's first sample.
    const origin = this.store.data.t[0] ?? this.monitor?.startedMs ?? trace.samples.t[0];
    const shift = origin - trace.samples.t[0];
    const points = trace.samples.t.map((t, i) => ({ x: t + shift, y: trace.samples.rss[i] }));
    this.comparison = { label: trace.label, points };
  }

  private setFollowLive(on: boolean): void {
    if (this.followLive === on) return;
    this.followLive = on;
    this.save(true);
    this.scheduleRender();
  }

  private toggleSeries(key: LegendKey, visible: boolean): void {
    if (visible) this.hidden.delete(key);
    else this.hidden.add(key);
    this.save(true);
    this.scheduleRender();
  }

  private onChartKey(key: 'zoomIn' | 'zoomOut' | 'left' | 'right' | 'reset'): void {
    if (key === 'reset') {
      this.followLive = false;
      this.setFollowLive(true);
      return;
    }
    if (key === 'zoomIn') this.chart.zoomBy(1.25);
    if (key === 'zoomOut') this.chart.zoomBy(0.8);
    if (key === 'left') this.chart.panBy(80);
    if (key === 'right') this.chart.panBy(-80);
  }

  private onThemeChange(): void {
    const theme = readTheme();
    this.chartArea.setColors({ ...theme.series, ...theme.parts }, theme.comparison);
    this.chart.setTheme(theme);
    this.scheduleRender();
  }

  private scheduleRender(): void {
    if (this.frame || document.visibilityState === 'hidden') return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
      this.saveAfterPaint();
    });
  }

  /** One full update, measured as `leakscope:render` for a PerformanceObserver (the bench, DevTools). */
  renderNow(): void {
    performance.mark('leakscope:render-start');
    this.stats = this.statsTracker.stats(this.store.data);
    const monitor = this.monitor;
    const limit = monitor?.limits.memoryBytes;
    const limitLabel = monitor?.limits.memoryLabel;
    // The verdict's slope, decided or not: the status bar and the host's limit notices project
    // with the same number (before the first verdict, none of them projects).
    const slope = this.verdict?.slopeBytesPerS ?? 0;
    // A projection only while the process lives: an exited one will not reach anything.
    const alive = monitor?.kind === 'live' && (monitor.state === 'running' || monitor.state === 'paused');
    const input = this.stats && alive
      ? { lastMs: this.stats.lastMs, lastBytes: this.stats.currentBytes, slopeBytesPerS: projectedSlope(slope, this.stats.latestSlopeBytesPerS), limitBytes: limit }
      : undefined;
    const farProjection = input ? projectToLimit(input, Infinity) : undefined;
    const liveRange = this.stats ? liveXRange(this.stats.firstMs, this.stats.lastMs, farProjection?.limitAtMs) : { min: Date.now() - 60_000, max: Date.now() };
    const projection = input ? projectToLimit(input, liveRange.max) : undefined;
    const axis = (dataMax: number): ReturnType<typeof yAxisMax> => yAxisMax(dataMax, limit, projection?.toY);
    const limitOnScale = axis(this.stats?.peakBytes ?? 0).limitOnScale;

    this.chart.render(this.store, {
      parts: this.parts,
      followLive: this.followLive,
      liveRange,
      hidden: this.hidden,
      comparison: this.comparison?.points,
      comparisonLabel: this.comparison ? `Comparison: ${this.comparison.label}` : 'Comparison',
      overlay: { theme: this.chartTheme(), events: this.events, limitBytes: limit, limitLabel, limitOnScale, projection },
      yMax: (dataMax) => axis(dataMax).max,
    });
    this.header.update(monitor, this.stats);
    this.controls.update(monitor, this.comparison !== null);
    const tz = localOffsetMs(this.stats?.lastMs ?? Date.now());
    const banner = bannerContent({ verdict: this.verdict, stats: this.stats, limitBytes: limit, limitLabel, timeToLimitMs: farProjection ? farProjection.limitAtMs - farProjection.fromX : undefined, tzOffsetMs: tz, diagnosis: this.diagnosis });
    this.banner.update(this.family ? familyBanner(banner, this.family) : banner);
    this.familyPanel.update(this.family);
    this.statsTable.update(this.stats, monitor);
    this.probeTable.update(this.probe, monitor?.kind === 'live');
    this.chartArea.update((key) => (isDecompositionPart(key) ? this.parts.has(key) : this.store.has(key)), this.hidden, this.followLive, this.describeChart(), this.comparison?.label);
    this.exposeState(monitor);
    performance.measure('leakscope:render', 'leakscope:render-start');
    // Observers (DevTools, the bench) have the entry already; keeping it would grow the
    // timeline by one entry per frame for as long as the panel is open.
    performance.clearMarks('leakscope:render-start');
    performance.clearMeasures('leakscope:render');
  }

  /**
   * What the panel shows, as data attributes for tests and tools that read the page (the e2e
   * test compares a live panel with its exported and re-opened trace through them).
   */
  private exposeState(monitor: MonitorDescriptor | undefined): void {
    const set = (element: HTMLElement, name: string, value: string | undefined): void => {
      if (value === undefined) element.removeAttribute(name);
      else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
    };
    set(this.root, 'data-kind', monitor?.kind);
    set(this.root, 'data-state', monitor ? (monitor.kind === 'trace' ? 'recording' : monitor.state) : undefined);
    set(this.root, 'data-pid', monitor?.pid !== undefined ? String(monitor.pid) : undefined);
    set(this.root, 'data-comparison', this.comparison?.label);
    set(this.chartArea.mainCanvas, 'data-points', String(this.store.length));
    set(this.chartArea.mainCanvas, 'data-first-ms', this.stats ? String(this.stats.firstMs) : undefined);
    set(this.chartArea.mainCanvas, 'data-last-ms', this.stats ? String(this.stats.lastMs) : undefined);
    set(this.chartArea.mainCanvas, 'data-decomposition-readings', String(this.parts.length));
    set(this.root, 'data-diagnosis', this.diagnosis?.kind);
  }

  private chartTheme(): ReturnType<typeof readTheme> {
    return this.chart.currentTheme;
  }

  private describeChart(): string {
    const s = this.stats;
    if (!s) return 'Memory chart: no samples yet.';
    const parts = this.parts.latest();
    // The stacked areas, in words: the chart's text alternative must not leave them out.
    const made = parts
      ? ` Of it, read every few seconds: anonymous ${formatBytes(parts.anon)}, file-backed ${formatBytes(parts.file)}, shared ${formatBytes(parts.shmem)}; swap ${formatBytes(parts.swap)}.`
      : '';
    return `Memory chart of RSS over time: now ${formatBytes(s.currentBytes)}, lowest ${formatBytes(s.minBytes)}, peak ${formatBytes(s.peakBytes)}.${made} The statistics table below has the numbers.`;
  }

  /** A task queued from the frame's callback runs after the browser has painted that frame. */
  private saveAfterPaint(): void {
    if (!this.savePending) return;
    this.savePending = false;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(true), 0);
  }

  /** Saves the state for a reload: thinned, and not on every batch of samples. */
  private save(now: boolean): void {
    const time = Date.now();
    if (!this.monitor || (!now && time - this.lastSaveMs < SAVE_EVERY_MS)) return;
    this.lastSaveMs = time;
    this.host.saveState({
      version: PROTOCOL_VERSION,
      monitor: this.monitor,
      samples: minMaxThin(this.store.data, SAVED_POINTS),
      events: this.events.slice(-1000),
      verdict: this.verdict,
      ui: { followLive: this.followLive, hiddenSeries: [...this.hidden] },
    });
  }
}

function isSeriesKey(key: string): key is LegendKey {
  return (SERIES_KEYS as readonly string[]).includes(key) || isDecompositionPart(key);
}
