// A watch session: one process's monitor, growth classifier and limit watcher, composed.
// VS Code–free so the extension and `leakscope watch` read a process the same way.
import { Analysis, analyzeSeries, compareAroundMarker, compareRuns, GrowthClassifier, SlopeComparison } from './classifier';
import { Disposable, DisposableStore, Event, EventEmitter } from './events';
import { GpuPoller } from './gpuPoller';
import { LimitNotice, MonitorLimitWatcher } from './limits';
import { GrowthVerdict, isLeakClass, MemorySample, MonitorEvent, ProcessInfo } from './model';
import { MonitorEnvironment, ProcessMonitor, REAL_ENVIRONMENT } from './monitor';
import { DECOMPOSITION_INTERVAL_MS, DecompositionSampler } from './memory/decompositionSampler';
import { ApplicableLimit } from './memory/applicableLimit';
import { MachineLimitFacts } from './memory/machineLimitFacts';
import { diagnose, Diagnosis, ProcReading } from './memory/diagnose';
import { appendDecompositionReading, DecompositionColumns, emptyDecomposition } from './shared/decomposition';
import { procCwd } from './scriptFiles';
import { isTentative } from './shared/confidence';
import { processStartMs } from './discovery/rerun';

export interface WatchSessionOptions {
  intervalMs: number;
  detailIntervalMs: number;
  maxSamples: number;
  memoryLimitBytes: number | undefined;
  durationLimitMs: number | undefined;
  warnAtFraction: number;
  /** Keep Node's event loop alive while watching (the CLI); passed on to the monitor. */
  keepAlive?: boolean;
  /**
   * Until the process has run this long (default WARM_UP_MS), growth a start-up could explain is
   * no leak yet (see WARM_UP_MS). `leakscope run` passes its own, shorter default.
   */
  warmUpMs?: number;
  /** Passed on to the monitor: a simulated clock and reader (the bench's soak), else the real ones. */
  environment?: MonitorEnvironment;
  /**
   * Between readings of the RSS decomposition (/proc/PID/status: anon, file, shmem, swap); 0 reads
   * none. Default DECOMPOSITION_INTERVAL_MS, and none under a simulated environment, whose pids
   * and clock are not /proc's.
   */
  decompositionIntervalMs?: number;
  /**
   * What the limit lookups of every session share (the machine's memory, cgroup chains): given by
   * whoever makes the sessions, so that they read those files once between them. A session given
   * none makes its own.
   */
  machineLimitFacts?: MachineLimitFacts;
}

export interface SessionLimitNotice extends LimitNotice {
  level: 'warning' | 'reached';
}

/** A finished run of the program a session watches again: its curve and events, kept to compare. */
export interface PreviousRun {
  pid: number;
  samples: readonly MemorySample[];
  events: readonly MonitorEvent[];
  /** When Leakscope asked it to stop (restart and compare); its shutdown after that is not judged. */
  stopRequestedMs?: number;
}

/**
 * Between two looks of the classifier at a process that holds steady (a decided verdict, nothing
 * pending, no reading outside the range already judged; classifier.ts): a look at a day-long
 * series is bounded but costs ~100 µs, and looking every 2 s was most of what watching 100
 * processes cost. A class change on such data shows up to this much later, plus the usual
 * confirmation (the next look then comes at once); moving data is looked at as before.
 */
export const QUIET_LOOK_INTERVAL_MS = 16_000;

/**
 * A leak is alerted (the panel's toast, `watch --fail-on leak`, a family's named leak) once the
 * live verdict is a leak at least this sure by the live calibration (liveCalibration.ts). No bar:
 * the leak class itself (P ≥ 0.95 after the windows' correction, and hysteresis) is the wait. The
 * calibration states honestly that a leak seen for a minute is often a start-up that will level
 * off (a few percent to ~40% on the tuning half), and every bar that cuts the false alerts
 * delays the fast leaks: at 0.5 the non-leak tuning traces alerted fall from 38% to ~24%, but an
 * 80 MB/min leak under a sawtooth alerts after ~150 s instead of ~44 s, 1 MB/min on 500 MB after
 * ~11 min instead of ~8, and a program leaking ~1 MB/s fails `run --fail-on leak` after ~145 s.
 * `npm run bench -- classifier --tuning-only` prints that frontier (ever alarmed and time to the
 * alert per bar); the bar is this one constant.
 */
export const LEAK_NOTIFY_CONFIDENCE = 0;

/** The one rule for alerting a leak: every surface that tells someone asks it. */
export function isLeakAlert(verdict: Pick<GrowthVerdict, 'class' | 'confidence'>): boolean {
  return isLeakClass(verdict.class) && verdict.confidence >= LEAK_NOTIFY_CONFIDENCE;
}
const EXPLANATION_REFRESH_MS = 2000;
const COMPARISON_REFRESH_MS = 10_000;

let sessionCount = 0;

export class WatchSession implements Disposable {
  readonly id: string;
  readonly monitor: ProcessMonitor;
  private readonly classifier: GrowthClassifier;
  private readonly limits: MonitorLimitWatcher;
  private readonly store = new DisposableStore();
  private currentVerdict: GrowthVerdict;
  private leakReported = false;
  private leakLikelyReported = false;
  private fixAppliedAtMs: number | undefined;
  private lastVerdictFiredMs = -Infinity;
  private firedVerdict: GrowthVerdict | undefined;
  private comparison: { markerMs: number; atMs: number; value: SlopeComparison } | undefined;
  private previous: PreviousRun | undefined;
  private stopRequestedMs: number | undefined;
  private startCwd: string | undefined;
  /** The previous run judged whole, once: it has ended. */
  private previousAnalysis: Analysis | undefined;
  private rerun: { verdict: GrowthVerdict; value: SlopeComparison } | undefined;
  private readonly decompositionSampler: DecompositionSampler | undefined;
  private readonly decompositionReadings: DecompositionColumns = emptyDecomposition();
  private diagnosisCache: { lastReadingMs: number; regimeStartMs: number; value: Diagnosis } | undefined;

  private readonly verdictEmitter = this.store.add(new EventEmitter<GrowthVerdict>());
  private readonly leakEmitter = this.store.add(new EventEmitter<GrowthVerdict>());
  private readonly limitEmitter = this.store.add(new EventEmitter<SessionLimitNotice>());
  /** The verdict changed class, or its confidence moved noticeably. */
  readonly onVerdict: Event<GrowthVerdict> = this.verdictEmitter.event;
  /** Fires once per session, when a leak is first alerted (isLeakAlert: at any stated confidence). */
  readonly onLeakSuspected: Event<GrowthVerdict> = this.leakEmitter.event;
  private readonly leakLikelyEmitter = this.store.add(new EventEmitter<GrowthVerdict>());
  /**
   * Fires once per session, when a leak is first stated at even odds or more (not tentative):
   * with onLeakSuspected at the same sample when the first alert is already that sure.
   */
  readonly onLeakLikely: Event<GrowthVerdict> = this.leakLikelyEmitter.event;
  /** A limit is near (`warning`) or reached; each once per limit kind. */
  readonly onLimit: Event<SessionLimitNotice> = this.limitEmitter.event;
  private readonly applicableLimitEmitter = this.store.add(new EventEmitter<ApplicableLimit | undefined>());
  /** The limit that applies changed (see applicableLimit): another one, or the same at another size. */
  readonly onApplicableLimit: Event<ApplicableLimit | undefined> = this.applicableLimitEmitter.event;
  private readonly decompositionEmitter = this.store.add(new EventEmitter<ProcReading>());
  /** A new reading of what RSS is made of (every few seconds while running). */
  readonly onDecomposition: Event<ProcReading> = this.decompositionEmitter.event;

  constructor(target: ProcessInfo, private readonly options: WatchSessionOptions) {
    // Unique per attach: a process watched again after a detach gets a new panel, not the old one's.
    this.id = `${target.pid}-${target.startTicks}-${++sessionCount}`;
    this.classifier = new GrowthClassifier({ leakNotBeforeMs: warmUpEndMs(target, options.warmUpMs ?? WARM_UP_MS), quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS });
    this.monitor = this.store.add(new ProcessMonitor(target, options));
    this.limits = this.store.add(new MonitorLimitWatcher(this.monitor, {
      memoryBytes: options.memoryLimitBytes,
      durationMs: options.durationLimitMs,
      warnFraction: options.warnAtFraction,
    }, { slopeSource: () => this.currentVerdict.slopeBytesPerS, recentMemory: () => this.decompositionSampler?.recent(), machine: options.machineLimitFacts }));
    this.store.add(this.limits.onApplicableLimit((limit) => this.applicableLimitEmitter.fire(limit)));
    this.store.add(this.limits.onWarning((n) => this.limitEmitter.fire({ ...n, level: 'warning' })));
    this.store.add(this.limits.onReached((n) => this.limitEmitter.fire({ ...n, level: 'reached' })));
    this.currentVerdict = this.classifier.verdict();
    this.store.add(this.monitor.onSample((s) => this.onSample(s)));
    // A refresh held back by the 2-s throttle would otherwise stay unsaid: the panel of an exited
    // process would keep an explanation older than its last samples.
    this.store.add(this.monitor.onExit(() => {
      if (this.currentVerdict !== this.firedVerdict) this.fireVerdict(this.currentVerdict, this.monitor.now());
    }));
    this.decompositionSampler = this.makeDecompositionSampler(target.pid, options);
  }

  private makeDecompositionSampler(pid: number, options: WatchSessionOptions): DecompositionSampler | undefined {
    const environment = options.environment ?? REAL_ENVIRONMENT;
    const intervalMs = options.decompositionIntervalMs ?? (environment === REAL_ENVIRONMENT ? DECOMPOSITION_INTERVAL_MS : 0);
    if (intervalMs <= 0) return undefined;
    // The shared ticker: 100 sessions read their decomposition on one wake-up, not 100.
    const sampler = this.store.add(new DecompositionSampler(pid, {
      intervalMs,
      now: () => this.monitor.now(),
      schedule: (ms, tick) => environment.onTick(ms, tick, false),
      rssNow: () => this.monitor.latestRssBytes,
    }));
    this.store.add(sampler.onReading((reading) => this.onDecompositionReading(reading)));
    // Read while the monitor samples (from its start on): not while paused, not once the process is gone.
    this.store.add(this.monitor.onStateChange((state) => (state === 'running' ? sampler.start() : sampler.stop())));
    return sampler;
  }

  /** Adds the process's GPU memory to its samples when nvidia-smi is installed. */
  private startGpuReadings(): void {
    const gpu = GpuPoller.start(this.target.pid);
    if (!gpu) return;
    this.store.add(gpu);
    this.monitor.readGpuFrom(gpu);
  }

  /** The watched process as last read: after an exec, the program it runs now (the monitor owns it). */
  get target(): ProcessInfo {
    return this.monitor.target;
  }

  get verdict(): GrowthVerdict {
    return this.currentVerdict;
  }

  get limitOptions(): { memoryBytes: number | undefined; durationMs: number | undefined; warnAtFraction: number } {
    return { memoryBytes: this.options.memoryLimitBytes, durationMs: this.options.durationLimitMs, warnAtFraction: this.options.warnAtFraction };
  }

  /**
   * The memory limit that applies to the process (a cgroup's, ulimit -v, the machine's memory, or
   * the user's own when nearer), as the limit watcher last looked it up: the one its notices name.
   * The status bar, the panel and the CLI show this one and look nothing up themselves.
   */
  get applicableLimit(): ApplicableLimit | undefined {
    return this.limits.applicableLimit;
  }

  /** "reaches 12 GB in ~43 min at the current slope", when a memory limit is set and memory grows. */
  projection(): string | undefined {
    const latest = this.monitor.latest;
    return latest ? this.limits.projection(latest.rssBytes, this.currentVerdict.slopeBytesPerS) : undefined;
  }

  /** The process's working directory when it was attached (it may be gone later), if readable. */
  get cwd(): string | undefined {
    return this.startCwd;
  }

  async start(): Promise<void> {
    this.startCwd = procCwd(this.target.pid);
    await this.monitor.start(); // which marks the attach on the chart
    this.startGpuReadings();
  }

  /** What RSS was made of, every few seconds so far (bounded: a day at 5 s, then thinned). */
  get decomposition(): Readonly<DecompositionColumns> {
    return this.decompositionReadings;
  }

  /**
   * Why RSS grows, from /proc alone: over the verdict's regime (the growth being judged) when it
   * holds three readings, else over all those kept. Recomputed only when a reading or the regime
   * changed (a bounded Theil–Sen fit, cheap either way).
   */
  growthDiagnosis(): Diagnosis | undefined {
    const all = this.decompositionSampler?.readings;
    if (!all || all.length === 0) return undefined;
    const regimeStartMs = this.currentVerdict.regimeStartMs;
    const lastReadingMs = all[all.length - 1].tMs;
    const cached = this.diagnosisCache;
    if (cached && cached.lastReadingMs === lastReadingMs && cached.regimeStartMs === regimeStartMs) return cached.value;
    const inRegime = all.filter((r) => r.tMs >= regimeStartMs);
    const value = diagnose({ readings: inRegime.length >= 3 ? inRegime : [...all] });
    this.diagnosisCache = { lastReadingMs, regimeStartMs, value };
    return value;
  }

  /** Records that a fix was applied (or the process restarted); the before/after comparison starts here. */
  markFixApplied(label = 'Fix applied'): void {
    this.fixAppliedAtMs = this.monitor.now();
    this.monitor.addEvent('fix-applied', label, this.fixAppliedAtMs);
  }

  /** Slopes before and after the last fix marker; recomputed at most every few seconds (it walks the history). */
  fixComparison(): SlopeComparison | undefined {
    const markerMs = this.fixAppliedAtMs;
    if (markerMs === undefined) return undefined;
    const now = this.monitor.now();
    const cached = this.comparison;
    if (cached && cached.markerMs === markerMs && now - cached.atMs < COMPARISON_REFRESH_MS) return cached.value;
    const value = compareAroundMarker(this.monitor.history.toSamples(), markerMs);
    this.comparison = { markerMs, atMs: now, value };
    return value;
  }

  /**
   * The process exited after Leakscope asked it to stop at `requestedMs` (restart and compare):
   * what it did after that was its shutdown, and its run is judged up to that moment.
   */
  endedOnRequest(requestedMs: number): void {
    this.stopRequestedMs = requestedMs;
  }

  /** The moment given to endedOnRequest; undefined when the process ended on its own. */
  get stopRequestedAtMs(): number | undefined {
    return this.stopRequestedMs;
  }

  /** The earlier run of the same program this session follows ("watch the next run"). */
  get previousRun(): PreviousRun | undefined {
    return this.previous;
  }

  followsRun(run: PreviousRun): void {
    this.previous = { pid: run.pid, samples: [...run.samples], events: [...run.events] };
    // A program asked to stop may free memory as it shuts down: the run is judged as it ran.
    const stopMs = run.stopRequestedMs ?? Infinity;
    const judged = run.samples.filter((s) => s.tMs <= stopMs);
    this.previousAnalysis = analyzeSeries(judged.map((s) => s.tMs), judged.map((s) => s.rssBytes));
    this.rerun = undefined;
    this.monitor.addEvent('note', `The next run after pid ${run.pid}, which exited`);
  }

  /** The previous run's slope against this run's live verdict. */
  rerunComparison(): SlopeComparison | undefined {
    if (!this.previousAnalysis) return undefined;
    if (this.rerun?.verdict !== this.currentVerdict) this.rerun = { verdict: this.currentVerdict, value: compareRuns(this.previousAnalysis, this.currentVerdict) };
    return this.rerun.value;
  }

  dispose(): void {
    this.store.dispose();
  }

  private onDecompositionReading(reading: ProcReading): void {
    const p = reading.proc;
    appendDecompositionReading(this.decompositionReadings, reading.tMs, p.anonBytes, p.fileBytes, p.shmemBytes, p.swapBytes);
    this.decompositionEmitter.fire(reading);
  }

  private onSample(sample: MemorySample): void {
    if (!this.classifier.push(sample.tMs, sample.rssBytes)) return; // no look: the same verdict
    const verdict = this.classifier.verdict();
    if (verdict === this.currentVerdict) return;
    const changed = verdictChanged(this.currentVerdict, verdict);
    // The explanation moves at every look ("needs 20 s more…"): refresh it, but not more than every 2 s.
    const stale = verdict.explanation !== this.currentVerdict.explanation && sample.tMs - this.lastVerdictFiredMs >= EXPLANATION_REFRESH_MS;
    this.currentVerdict = verdict;
    if (changed || stale) this.fireVerdict(verdict, sample.tMs);
    if (!this.leakReported && isLeakAlert(verdict)) {
      this.leakReported = true;
      this.leakEmitter.fire(verdict);
    }
    if (!this.leakLikelyReported && isLeakAlert(verdict) && !isTentative(verdict.confidence)) {
      this.leakLikelyReported = true;
      this.leakLikelyEmitter.fire(verdict);
    }
  }

  private fireVerdict(verdict: GrowthVerdict, atMs: number): void {
    this.lastVerdictFiredMs = atMs;
    this.firedVerdict = verdict;
    this.verdictEmitter.fire(verdict);
  }
}

/**
 * Growth in a program's first 90 s (counted from the process's start time in /proc, not from
 * attaching) may be loading, not a leak: models, tables and caches fill at start, and a pyenv
 * shim or a loaded machine can delay the program's own start by seconds after the process began.
 * Within it a leak is called only on evidence that rules a start-up out (the classifier's
 * `unbentLeak`: risen far above the trace's own oscillation, with no bend towards slower growth),
 * so a fast leak is called as soon as the classifier can tell, and a start-up that levels off is
 * not. No warm-up where the start time cannot be read.
 */
export const WARM_UP_MS = 90_000;
/**
 * The warm-up for a program Leakscope starts itself (`leakscope run`, "Run with memory monitor"):
 * its first second is watched, so its start is known exactly; 30 s covers an interpreter's start
 * and imports on a loaded CI machine while a leak still shows within a minute or so (the
 * classifier itself wants ~45 s of unbroken growth). WARM_UP_MS stays for attaching, which may
 * come at any point of a program whose start nobody saw.
 */
export const LAUNCHED_WARM_UP_MS = 30_000;
function warmUpEndMs(target: ProcessInfo, warmUpMs: number): number | undefined {
  try {
    return target.startTicks > 0 ? processStartMs(target.startTicks) + warmUpMs : undefined;
  } catch {
    return undefined;
  }
}

function verdictChanged(a: GrowthVerdict, b: GrowthVerdict): boolean {
  return a.class !== b.class || Math.abs(a.confidence - b.confidence) >= 0.05 || Math.abs(a.slopeBytesPerS - b.slopeBytesPerS) > Math.abs(a.slopeBytesPerS) * 0.1 + 100;
}
