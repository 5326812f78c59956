// Memory and time limits per monitor, from the runbooks' safety nets (12 GB per process, 30 min
// per trial): warn once before a limit with a projection, tell once when it is reached.
// Nothing here acts on the process; the caller decides, after asking the user.
import { DisposableStore, EventEmitter, Event } from './events';
import { ApplicableLimit, findLimitSafely, LimitFinder, ProcessLimitFacts } from './memory/applicableLimit';
import { MachineLimitFacts } from './memory/machineLimitFacts';
import { ProcMemory } from './memory/procMemory';
import { MemorySample } from './model';
import { DEFAULT_TREND_WINDOW_MS, ProcessMonitor } from './monitor';
import { formatBytes, formatDuration } from './units';

/** Milliseconds until `limitBytes` at the current slope; undefined when not growing. 0 if reached. */
export function projectTimeToLimit(currentBytes: number, slopeBytesPerS: number, limitBytes: number): number | undefined {
  if (currentBytes >= limitBytes) return 0;
  if (!(slopeBytesPerS > 0) || !Number.isFinite(slopeBytesPerS)) return undefined;
  return ((limitBytes - currentBytes) / slopeBytesPerS) * 1000;
}

/**
 * "reaches 12 GB in ~43 min at the current slope", or undefined when memory is not growing.
 * `limitName` says which limit that is ("the container's 2 GB memory limit, memory.max of …").
 */
export function describeProjection(currentBytes: number, slopeBytesPerS: number, limitBytes: number, limitName?: string): string | undefined {
  const ms = projectTimeToLimit(currentBytes, slopeBytesPerS, limitBytes);
  if (ms === undefined) return undefined;
  const named = limitName ? ` (${limitName})` : '';
  if (ms === 0) return `has reached ${formatBytes(limitBytes)}${named}`;
  return `reaches ${formatBytes(limitBytes)}${named} in ~${formatDuration(ms)} at the current slope`;
}

export type LimitKind = 'memory' | 'duration';

export interface LimitNotice {
  kind: LimitKind;
  /** One line for a notification or the terminal. */
  message: string;
  tMs: number;
  rssBytes: number;
  elapsedMs: number;
  /** For memory warnings: ms until the limit at the current slope, when growing. */
  projectedMs?: number;
}

export interface LimitSettings {
  /** RSS limit in bytes; 0 or undefined: none. */
  memoryBytes?: number;
  /** Time limit in ms since the monitor started; 0 or undefined: none. */
  durationMs?: number;
  /** Fraction of a limit at which to warn (default 0.8). */
  warnFraction?: number;
  /** Also warn when the projection says the memory limit is nearer than this (default 10 min). */
  warnLeadMs?: number;
  /** Names a memory limit that is not the user's own (a cgroup's, an rlimit…), for the messages. */
  memoryLimitName?: string;
}

function durationNotice(sample: MemorySample, elapsedMs: number, message: string): LimitNotice {
  return { kind: 'duration', tMs: sample.tMs, rssBytes: sample.rssBytes, elapsedMs, message };
}

const DEFAULT_WARN_FRACTION = 0.8;
const DEFAULT_WARN_LEAD_MS = 10 * 60_000;

export class LimitWatcher {
  private readonly warningEmitter = new EventEmitter<LimitNotice>();
  private readonly reachedEmitter = new EventEmitter<LimitNotice>();
  private readonly warned = new Set<LimitKind>();
  private readonly reached = new Set<LimitKind>();
  private settings: Required<Omit<LimitSettings, 'memoryLimitName'>> & Pick<LimitSettings, 'memoryLimitName'>;

  /** Fires at most once per limit kind, before the limit. */
  readonly onWarning: Event<LimitNotice> = this.warningEmitter.event;
  /** Fires at most once per limit kind, when it is reached. */
  readonly onReached: Event<LimitNotice> = this.reachedEmitter.event;

  constructor(settings: LimitSettings) {
    this.settings = LimitWatcher.complete(settings);
  }

  /** New limits (settings changed). A limit already passed does not fire again. */
  update(settings: LimitSettings): void {
    this.settings = LimitWatcher.complete(settings);
  }

  get memoryLimitBytes(): number {
    return this.settings.memoryBytes;
  }

  /** Undefined for the user's own limit. */
  get memoryLimitName(): string | undefined {
    return this.settings.memoryLimitName;
  }

  get durationLimitMs(): number {
    return this.settings.durationMs;
  }

  /** True once RSS is past the warning fraction of the memory limit (status bar colour). */
  isNearMemoryLimit(rssBytes: number): boolean {
    return this.settings.memoryBytes > 0 && rssBytes >= this.settings.memoryBytes * this.settings.warnFraction;
  }

  /** The projection line for a tooltip, or undefined with no limit or no growth. */
  projection(rssBytes: number, slopeBytesPerS: number): string | undefined {
    return this.settings.memoryBytes > 0 ? describeProjection(rssBytes, slopeBytesPerS, this.settings.memoryBytes, this.settings.memoryLimitName) : undefined;
  }

  /** Feed every sample, with the current trend and the time since the monitor started. */
  check(sample: MemorySample, slopeBytesPerS: number, elapsedMs: number): void {
    this.checkMemory(sample, slopeBytesPerS, elapsedMs);
    this.checkDuration(sample, elapsedMs);
  }

  dispose(): void {
    this.warningEmitter.dispose();
    this.reachedEmitter.dispose();
  }

  /** Runs for every sample: nothing is built unless a notice is due. */
  private checkMemory(sample: MemorySample, slope: number, elapsedMs: number): void {
    const limit = this.settings.memoryBytes;
    if (limit <= 0) return;
    const rss = sample.rssBytes;
    const name = this.settings.memoryLimitName;
    if (rss >= limit) {
      if (this.reached.has('memory')) return;
      this.fire('reached', { kind: 'memory', tMs: sample.tMs, rssBytes: rss, elapsedMs, message: `RSS ${formatBytes(rss)} has reached ${name ?? `the ${formatBytes(limit)} memory limit`}` });
      return;
    }
    if (this.warned.has('memory')) return;
    const projectedMs = projectTimeToLimit(rss, slope, limit);
    const soon = projectedMs !== undefined && projectedMs <= this.settings.warnLeadMs;
    if (rss >= limit * this.settings.warnFraction || soon) {
      const projection = describeProjection(rss, slope, limit, name) ?? `is near ${name ?? `the ${formatBytes(limit)} limit`}`;
      this.fire('warning', { kind: 'memory', tMs: sample.tMs, rssBytes: rss, elapsedMs, projectedMs, message: `RSS ${formatBytes(rss)} ${projection}` });
    }
  }

  private checkDuration(sample: MemorySample, elapsedMs: number): void {
    const limit = this.settings.durationMs;
    if (limit <= 0) return;
    if (elapsedMs >= limit) {
      if (!this.reached.has('duration')) this.fire('reached', durationNotice(sample, elapsedMs, `has run for ${formatDuration(elapsedMs)}, past the ${formatDuration(limit)} time limit`));
    } else if (elapsedMs >= limit * this.settings.warnFraction && !this.warned.has('duration')) {
      this.fire('warning', durationNotice(sample, elapsedMs, `reaches the ${formatDuration(limit)} time limit in ~${formatDuration(limit - elapsedMs)}`));
    }
  }

  private fire(which: 'warning' | 'reached', notice: LimitNotice): void {
    const done = which === 'warning' ? this.warned : this.reached;
    if (done.has(notice.kind)) return;
    done.add(notice.kind);
    // Reaching a limit without a warning first (a jump) still counts as warned.
    this.warned.add(notice.kind);
    (which === 'warning' ? this.warningEmitter : this.reachedEmitter).fire(notice);
  }

  private static complete(s: LimitSettings): LimitWatcher['settings'] {
    return {
      memoryLimitName: s.memoryLimitName,
      memoryBytes: s.memoryBytes ?? 0,
      durationMs: s.durationMs ?? 0,
      warnFraction: s.warnFraction ?? DEFAULT_WARN_FRACTION,
      warnLeadMs: s.warnLeadMs ?? DEFAULT_WARN_LEAD_MS,
    };
  }
}

/** How long a slope is reused between limit checks: a Theil–Sen fit costs ~30 µs, and a monitor
 *  of 100 processes at 1 Hz must stay far below 1% of a core. */
const SLOPE_REUSE_MS = 5000;

/** How often the limits that apply to the process are looked up again: MemAvailable and a
 *  cgroup's usage move, and a lookup is 5-14 µs in a batch, 39-52 alone (refreshPeriod). */
export const LIMIT_REFRESH_MS = 30_000;

/**
 * The refresh period a sample falls in, on the wall clock: every watcher looks its limit up again
 * at the first sample of a new period, so watchers on the shared ticker look up on one tick
 * together. A lookup alone on its tick costs 39-52 µs with the caches cold against 5-14 µs in a
 * batch (bench/tools/lookLimits.ts); each watcher still looks up once a period, and a limit that
 * moves is seen within one period as before.
 */
function refreshPeriod(tMs: number): number {
  return Math.floor(tMs / LIMIT_REFRESH_MS);
}

/** Where a MonitorLimitWatcher gets what it does not read itself (see its constructor). */
export interface LimitSources {
  slopeSource?: () => number;
  trendWindowMs?: number;
  findLimit?: LimitFinder;
  /** The process's /proc/PID/status read within the last few seconds, when the caller keeps one: not read again. */
  recentMemory?: () => ProcMemory | undefined;
  /** What every watched process's lookup shares (meminfo, cgroup chains); a watcher alone makes its own. */
  machine?: MachineLimitFacts;
}

/**
 * A LimitWatcher fed by a monitor's samples, recording its notices as monitor events (chart
 * markers). Its memory limit is the nearest that really applies to the process (a cgroup's, an
 * rlimit, the machine's available memory), named, unless the user's is lower. Dispose it to
 * stop listening.
 */
export class MonitorLimitWatcher extends LimitWatcher {
  private readonly subscriptions = new DisposableStore();
  private slope = { value: 0, atMs: -Infinity };
  private userSettings: LimitSettings;
  private limitCheckedAtMs = -Infinity;
  private readonly sources: LimitSources;
  /** Read again every few minutes, not at every lookup (see PROCESS_LIMIT_FACTS_REFRESH_MS). */
  private readonly facts: ProcessLimitFacts;
  private readonly machine: MachineLimitFacts;
  private found: ApplicableLimit | undefined;
  private readonly applicableLimitEmitter = new EventEmitter<ApplicableLimit | undefined>();
  /** The limit looked up changed (another limit, or the same at another size or with another name). */
  readonly onApplicableLimit: Event<ApplicableLimit | undefined> = this.applicableLimitEmitter.event;

  /**
   * `slopeSource` gives the growth rate to project with; a watch session passes its verdict's
   * slope, so the projection, the status bar and the banner use one number. Without it the
   * monitor's own short trend is used (a watcher on a bare monitor). `findLimit` finds the limit
   * that applies (cgroup, rlimits, machine); undefined uses the settings alone.
   */
  constructor(
    private readonly monitor: ProcessMonitor,
    settings: LimitSettings,
    sources: LimitSources = {},

  ) {
    super(settings);
    // A `findLimit` given as undefined turns the search off; left out, the real one is used.
    this.sources = { findLimit: findLimitSafely, ...sources };
    this.facts = new ProcessLimitFacts(monitor.pid);
    this.machine = sources.machine ?? new MachineLimitFacts();
    this.userSettings = settings;
    this.refreshLimit(monitor.now());
    this.subscriptions.add(monitor.onSample((sample) => {
      this.refreshLimit(sample.tMs);
      this.check(sample, this.currentSlope(sample.tMs), sample.tMs - monitor.startedAtMs);
    }));
    this.subscriptions.add(this.onWarning((notice) => monitor.addEvent('limit-warning', notice.message, notice.tMs)));
    this.subscriptions.add(this.onReached((notice) => monitor.addEvent('limit-reached', notice.message, notice.tMs)));
  }

  override update(settings: LimitSettings): void {
    this.userSettings = settings;
    this.limitCheckedAtMs = -Infinity;
    this.refreshLimit(this.monitor.now());
  }

  /**
   * The nearest limit as last looked up, the user's own included when it is nearer: the one the
   * notices measure against. Undefined when nothing was found or the search is off. Every display
   * reads this one; none looks the limit up again.
   */
  get applicableLimit(): ApplicableLimit | undefined {
    return this.found;
  }

  override dispose(): void {
    this.subscriptions.dispose();
    this.applicableLimitEmitter.dispose();
    super.dispose();
  }

  private refreshLimit(nowMs: number): void {
    const findLimit = this.sources.findLimit;
    if (!findLimit) {
      super.update(this.userSettings);
      return;
    }
    if (refreshPeriod(nowMs) === refreshPeriod(this.limitCheckedAtMs)) return;
    this.limitCheckedAtMs = nowMs;
    const found = findLimit(this.monitor.pid, this.userSettings.memoryBytes || undefined, { memory: this.sources.recentMemory?.(), facts: this.facts, machine: this.machine });
    const system = found && found.source !== 'setting';
    super.update(system ? { ...this.userSettings, memoryBytes: found.bytes, memoryLimitName: found.description } : this.userSettings);
    const before = this.found;
    this.found = found;
    if (!sameLimit(before, found)) this.applicableLimitEmitter.fire(found);
  }

  private currentSlope(nowMs: number): number {
    if (this.memoryLimitBytes <= 0) return 0;
    if (this.sources.slopeSource) return this.sources.slopeSource();
    if (nowMs - this.slope.atMs < SLOPE_REUSE_MS) return this.slope.value;
    const value = this.monitor.trendBytesPerS(this.sources.trendWindowMs ?? DEFAULT_TREND_WINDOW_MS);
    if (value === undefined) return 0; // too few samples yet: ask again next time
    this.slope = { value, atMs: nowMs };
    return value;
  }
}

function sameLimit(a: ApplicableLimit | undefined, b: ApplicableLimit | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.source === b.source && a.bytes === b.bytes && a.description === b.description);
}
