// One watched process: samples it on a shared timer, keeps its history and events, and ends with a
// summary when the process exits. VS Code–free; the extension and the CLI both drive it.
//
// Lifecycle: idle → start() → running ⇄ paused → exited (the process ended: data kept) or
// detached (dispose(): timer, fds and listeners are all gone; data still readable).
import { DEFAULT_INTERVAL_MS, ENGINE_INTERVAL_MS, isEngineInterval } from './shared/samplingInterval';
import { performance } from 'node:perf_hooks';
import { Disposable, Event, EventEmitter } from './events';
import { MemorySample, MonitorEvent, MonitorEventKind, ProcessInfo } from './model';
import { PermissionDeniedError, ProcessGoneError } from './discovery/errors';
import { SampleHistory, DEFAULT_HISTORY_CAPACITY } from './history/sampleHistory';
import { theilSenSlopePerS } from './history/trend';
import { DetailReading, openSampler, OpenSamplerOptions, ProcessSampler, SampleRequest } from './sampling';
import { onTick, TickListener } from './sampling/ticker';
import { formatDuration } from './units';
import { readLinuxProcessInfo, shortCommand } from './discovery/processes';
import { errorMessage } from './errorMessage';

export type MonitorState = 'idle' | 'running' | 'paused' | 'exited' | 'detached';

export type ExitReason = 'exited' | 'pid-reused' | 'permission-denied' | 'error';

export interface ExitSummary {
  pid: number;
  reason: ExitReason;
  /** For people: "Process 1234 has exited after 43 min." */
  message: string;
  startedAtMs: number;
  endedAtMs: number;
  durationMs: number;
  /** RSS of the first, last and highest sample; 0 when there was none. */
  startRssBytes: number;
  endRssBytes: number;
  peakRssBytes: number;
  samples: number;
}

export interface MonitorOptions {
  /** Default 1000. */
  intervalMs?: number;
  /** USS/PSS cadence (smaps_rollup is costly); 0 turns it off. Default 30,000. */
  detailIntervalMs?: number;
  /** Full-resolution samples kept (older ones are downsampled). Default 86,400. */
  maxSamples?: number;
  /**
   * How often the child-process tree is walked and the open fds counted; between them the last
   * sum and count are carried (both move slowly, and the fd count is a stat() that costs as much
   * as the RSS read). Default 5,000.
   */
  childrenIntervalMs?: number;
  /** Events kept (oldest dropped first). Default 1,000. */
  maxEvents?: number;
  /** Keep the Node event loop alive while running (the CLI); the extension leaves it unref'd. */
  keepAlive?: boolean;
  /** Use the pidusage sampler even on Linux (tests). */
  forceFallback?: boolean;
  /** Where time, ticks and readings come from; the real ones unless a soak simulates a day. */
  environment?: MonitorEnvironment;
}

/**
 * A monitor's clock, timer and /proc reader. Only the bench's soak passes another: it runs a
 * day of 1-Hz samples through the real monitor, history, classifier and limits in seconds.
 */
export interface MonitorEnvironment {
  /** Epoch ms (Date.now): start, events, the exit summary. */
  now(): number;
  /** Monotonic ms (performance.now): the spacing of ticks and of the costly readings. */
  monotonicMs(): number;
  /** The shared sampling timer (sampling/ticker.ts). */
  onTick(intervalMs: number, listener: TickListener, keepAlive: boolean): Disposable;
  openSampler(target: ProcessInfo, options: OpenSamplerOptions): ProcessSampler;
}

export const REAL_ENVIRONMENT: MonitorEnvironment = {
  now: () => Date.now(),
  monotonicMs: () => performance.now(),
  onTick,
  openSampler,
};

/** Something that knows the process's GPU memory (polled on its own cadence: a spawn is costly). */
export interface GpuReading {
  readonly latestBytes: number | undefined;
}

export const DEFAULT_TREND_WINDOW_MS = 120_000;

export class ProcessMonitor implements Disposable {
  readonly history: SampleHistory;
  private readonly options: Required<Omit<MonitorOptions, 'maxSamples'>>;
  private readonly sampleEmitter = new EventEmitter<MemorySample>();
  private readonly stateEmitter = new EventEmitter<MonitorState>();
  private readonly exitEmitter = new EventEmitter<ExitSummary>();
  private readonly eventEmitter = new EventEmitter<MonitorEvent>();
  private currentState: MonitorState = 'idle';
  private sampler: ProcessSampler | undefined;
  private ticks: Disposable | undefined;
  private sampling = false;
  private lastSampleAt = -Infinity;
  private lastChildrenAt = -Infinity;
  private lastDetailAt = -Infinity;
  private readonly request: Required<SampleRequest> = { children: false, fds: false, detail: false };
  private startedAt = 0;
  private first: MemorySample | undefined;
  private eventList: MonitorEvent[] = [];
  private exit: ExitSummary | undefined;
  private gpu: GpuReading | undefined;
  private currentTarget: ProcessInfo;
  private seenExecs = 0;
  private readonly execEmitter = new EventEmitter<ProcessInfo>();

  readonly onSample: Event<MemorySample> = this.sampleEmitter.event;
  readonly onStateChange: Event<MonitorState> = this.stateEmitter.event;
  readonly onExit: Event<ExitSummary> = this.exitEmitter.event;
  readonly onEvent: Event<MonitorEvent> = this.eventEmitter.event;
  /** The process exec'd a new program (same pid, history kept); with what it runs now. */
  readonly onExec: Event<ProcessInfo> = this.execEmitter.event;

  constructor(target: ProcessInfo, options: MonitorOptions = {}) {
    this.currentTarget = target;
    this.history = new SampleHistory(options.maxSamples ?? DEFAULT_HISTORY_CAPACITY);
    this.options = {
      intervalMs: checkedInterval(options.intervalMs ?? DEFAULT_INTERVAL_MS),
      detailIntervalMs: options.detailIntervalMs ?? 30_000,
      childrenIntervalMs: options.childrenIntervalMs ?? 5000,
      maxEvents: options.maxEvents ?? 1000,
      keepAlive: options.keepAlive ?? false,
      forceFallback: options.forceFallback ?? false,
      environment: options.environment ?? REAL_ENVIRONMENT,
    };
  }

  /** The watched process as last read: after an exec, its new command line. */
  get target(): ProcessInfo {
    return this.currentTarget;
  }

  get pid(): number {
    return this.currentTarget.pid;
  }

  get state(): MonitorState {
    return this.currentState;
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  /** Epoch ms on this monitor's clock (Date.now, unless simulated). */
  now(): number {
    return this.options.environment.now();
  }

  /** Epoch ms of start(); 0 before. */
  get startedAtMs(): number {
    return this.startedAt;
  }

  get latest(): MemorySample | undefined {
    return this.history.latest();
  }

  /** `latest?.rssBytes` without the sample object: the decomposition asks at each of its ticks. */
  get latestRssBytes(): number | undefined {
    return this.history.latestRssBytes();
  }

  get events(): readonly MonitorEvent[] {
    return this.eventList;
  }

  /** Set once the process has exited (or could not be attached). */
  get exitSummary(): ExitSummary | undefined {
    return this.exit;
  }

  /**
   * Attaches and takes the first sample. Rejects with ProcessGoneError or PermissionDeniedError
   * when that fails; the monitor is then 'exited' with an exitSummary saying why.
   */
  async start(): Promise<void> {
    if (this.currentState !== 'idle') throw new Error(`Monitor of pid ${this.pid} was already started`);
    this.startedAt = this.now();
    try {
      this.sampler = this.options.environment.openSampler(this.target, { intervalMs: this.options.intervalMs, forceFallback: this.options.forceFallback });
    } catch (error) {
      this.end(error);
      throw error;
    }
    this.addEvent('attach', `Attached to pid ${this.pid}`);
    this.setState('running');
    const failure = await this.takeSample(this.options.environment.monotonicMs());
    if (failure !== undefined) throw failure;
    this.listenToTicks();
  }

  pause(): void {
    if (this.currentState !== 'running') return;
    this.stopTicks();
    this.setState('paused');
  }

  /** Samples at once, then on the interval again. */
  resume(): void {
    if (this.currentState !== 'paused') return;
    this.setState('running');
    this.takeSample(this.options.environment.monotonicMs());
    this.listenToTicks();
  }

  setIntervalMs(ms: number): void {
    this.options.intervalMs = checkedInterval(ms);
    this.sampler?.setIntervalMs?.(ms);
    if (this.ticks !== undefined) {
      this.stopTicks();
      this.listenToTicks();
    }
  }

  /** USS/PSS now, outside the detail cadence. Undefined off Linux. */
  async readDetail(): Promise<DetailReading | undefined> {
    if (!this.sampler || this.sampler.closed) return undefined;
    return this.sampler.readDetail();
  }

  addEvent(kind: MonitorEventKind, label: string, tMs = this.now()): MonitorEvent {
    const event = { tMs, kind, label };
    this.eventList.push(event);
    if (this.eventList.length > this.options.maxEvents) this.eventList.splice(0, this.eventList.length - this.options.maxEvents);
    this.eventEmitter.fire(event);
    return event;
  }

  /** Robust growth of RSS over the last `windowMs` (bytes/s); undefined with too few samples. */
  trendBytesPerS(windowMs = DEFAULT_TREND_WINDOW_MS): number | undefined {
    const latest = this.history.latest();
    if (!latest) return undefined;
    const { tMs, rssBytes } = this.history.recentRss(latest.tMs - windowMs);
    return theilSenSlopePerS(tMs, rssBytes);
  }

  /** The summary so far (or the final one after exit). */
  summary(reason: ExitReason = 'exited', message = ''): ExitSummary {
    if (this.exit) return this.exit;
    const latest = this.history.latest();
    const endedAtMs = this.now();
    return {
      pid: this.pid,
      reason,
      message,
      startedAtMs: this.startedAt,
      endedAtMs,
      durationMs: this.startedAt > 0 ? endedAtMs - this.startedAt : 0,
      startRssBytes: this.first?.rssBytes ?? 0,
      endRssBytes: latest?.rssBytes ?? 0,
      peakRssBytes: this.history.peakSample?.rssBytes ?? 0,
      samples: this.history.totalPushed,
    };
  }

  /** Detach: stops the timer, closes every fd, drops every listener. History stays readable. */
  dispose(): void {
    if (this.currentState === 'detached') return;
    this.stopTicks();
    this.sampler?.dispose();
    this.sampler = undefined;
    this.setState('detached');
    for (const emitter of [this.sampleEmitter, this.stateEmitter, this.exitEmitter, this.eventEmitter, this.execEmitter]) emitter.dispose();
  }

  /**
   * One reading. Returns the error that ended the monitor, or undefined; a promise of that only
   * when the read is async (detail, fallback): the usual tick allocates no promise at all.
   */
  private takeSample(now: number): unknown {
    const sampler = this.sampler;
    if (!sampler) return undefined;
    const request = this.nextRequest(now);
    this.sampling = true;
    if (!request.detail && sampler.sampleSync) {
      let sample: MemorySample;
      try {
        sample = sampler.sampleSync(request);
      } catch (error) {
        this.sampling = false;
        return this.failed(sampler, error);
      }
      this.sampling = false;
      return this.record(sampler, sample);
    }
    return sampler.sample(request).then(
      (sample) => {
        this.sampling = false;
        return this.record(sampler, sample);
      },
      (error: unknown) => {
        this.sampling = false;
        return this.failed(sampler, error);
      },
    );
  }

  /**
   * `now`: the caller's monotonic time (the tick has just read it). The same object every time:
   * samplers read a request before their first await.
   */
  private nextRequest(now: number): Required<SampleRequest> {
    this.lastSampleAt = now;
    const request = this.request;
    request.children = now - this.lastChildrenAt >= this.options.childrenIntervalMs;
    request.fds = request.children;
    request.detail = this.detailDue(now);
    if (request.children) this.lastChildrenAt = now;
    if (request.detail) this.lastDetailAt = now;
    return request;
  }

  /** From now on each sample carries the last GPU reading of `source` (undefined: none). */
  readGpuFrom(source: GpuReading | undefined): void {
    this.gpu = source;
  }

  private record(sampler: ProcessSampler, sample: MemorySample): undefined {
    if (this.sampler !== sampler) return undefined; // detached while reading
    const gpuBytes = this.gpu?.latestBytes;
    if (gpuBytes !== undefined) sample.gpuBytes = gpuBytes;
    if ((sampler.execCount ?? 0) !== this.seenExecs) this.noteExec(sampler.execCount ?? 0);
    this.first ??= sample;
    this.history.push(sample);
    this.sampleEmitter.fire(sample); // a throwing listener is its own bug, not the process's end
    return undefined;
  }

  /** An exec is a new program in the same process: the history goes on, with a marker. */
  private noteExec(execs: number): void {
    this.seenExecs = execs;
    try {
      this.currentTarget = readLinuxProcessInfo(this.pid);
    } catch {
      // Unreadable now (a setuid exec, or it is exiting): the marker still says it happened.
    }
    this.addEvent('exec', `Exec: ${shortCommand(this.currentTarget, 120)}`);
    this.execEmitter.fire(this.currentTarget);
  }

  private failed(sampler: ProcessSampler, error: unknown): unknown {
    if (this.sampler !== sampler) return undefined; // detached while reading: not a failure
    this.end(error);
    return error;
  }

  private detailDue(now: number): boolean {
    return this.options.detailIntervalMs > 0 && now - this.lastDetailAt >= this.options.detailIntervalMs;
  }

  /**
   * Ticks come from a timer shared by every monitor with the same interval (see ticker.ts). A
   * tick that finds the previous read still running, or a sample taken moments ago (start,
   * resume), is skipped: reads never overlap.
   */
  private listenToTicks(): void {
    if (this.ticks !== undefined || this.currentState !== 'running') return;
    this.ticks = this.options.environment.onTick(this.options.intervalMs, () => this.onTick(), this.options.keepAlive);
  }

  private onTick(): void {
    if (this.currentState !== 'running' || this.sampling) return;
    const now = this.options.environment.monotonicMs();
    if (now - this.lastSampleAt < this.options.intervalMs / 2) return;
    this.takeSample(now);
  }

  private stopTicks(): void {
    this.ticks?.dispose();
    this.ticks = undefined;
  }

  private end(error: unknown): void {
    this.stopTicks();
    this.sampler?.dispose();
    this.sampler = undefined;
    const reason = exitReasonOf(error);
    const summary = this.summary(reason, this.exitMessage(reason, error));
    this.exit = summary;
    this.addEvent('exit', summary.message);
    this.setState('exited');
    this.exitEmitter.fire(summary);
  }

  private exitMessage(reason: ExitReason, error: unknown): string {
    const after = this.startedAt > 0 && this.history.totalPushed > 0 ? ` after ${formatDuration(this.now() - this.startedAt)} of watching` : '';
    if (reason === 'exited' && error instanceof ProcessGoneError && error.reason === 'exited') return `Process ${this.pid} has exited${after}.`;
    return errorMessage(error);
  }

  private setState(state: MonitorState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }
}

function exitReasonOf(error: unknown): ExitReason {
  if (error instanceof ProcessGoneError) return error.reason === 'pid-reused' ? 'pid-reused' : 'exited';
  if (error instanceof PermissionDeniedError) return 'permission-denied';
  return 'error';
}

function checkedInterval(ms: number): number {
  if (!isEngineInterval(ms)) {
    throw new RangeError(`Sampling interval must be between ${ENGINE_INTERVAL_MS.min} ms and ${ENGINE_INTERVAL_MS.max} ms, got ${ms}`);
  }
  return ms;
}
