// The decomposition of a watched process kept up to date: /proc/PID/status every few seconds
// (~6 µs a read through an fd kept open while running, so it can run beside the 1-s RSS sampler
// at no real cost); the costly parts (smaps, the interpreter's view, which injects) only when
// asked. For `watch` and the panel.
import { Disposable, Event, EventEmitter } from '../events';
import { DecompositionWindow, diagnose, Diagnosis, ProcReading } from './diagnose';
import { AnonMapping, largestAnonMappings, ProcMemory, ProcStatusReader } from './procMemory';

/** Between readings by default: 5× sparser than RSS at 1 Hz, dense enough for a trend within minutes. */
export const DECOMPOSITION_INTERVAL_MS = 5000;
/** The longest a reading is carried forward while RSS holds still (see `rssNow`). */
export const UNMOVED_REREAD_MS = 60_000;

/** Calls `tick` every `intervalMs` until disposed: a watch session passes its shared ticker. */
export type DecompositionSchedule = (intervalMs: number, tick: () => void) => Disposable;

export interface DecompositionSamplerOptions {
  /** Between readings. Default DECOMPOSITION_INTERVAL_MS. */
  intervalMs?: number;
  /** Readings kept, oldest dropped first. Default 720 (an hour at 5 s). */
  maxReadings?: number;
  /** The timer; default an unref'd setInterval of its own. */
  schedule?: DecompositionSchedule;
  /** Epoch ms of a reading. Default Date.now. */
  now?: () => number;
  /**
   * The process's RSS as last sampled (a watch session's monitor reads /proc/PID/stat every
   * second). At a tick where it is what it was at the last read, that reading is carried forward
   * (the same values at the new time) instead of reading /proc/PID/status again (~15 µs of kernel
   * time here): RSS is the sum of the parts, so parts that moved without moving it are an exchange
   * of pages between kinds in the same few seconds, rare; a real read at least every
   * UNMOVED_REREAD_MS catches it, and VmSize/VmData, which move without RSS. Most watched
   * processes hold still most of the time. Compared with itself, not with status's VmRSS: stat's
   * figure is the kernel's per-CPU approximation (here ~100 kB from status's exact sum).
   * Without it, every tick reads.
   */
  rssNow?: () => number | undefined;
}

const ownTimer: DecompositionSchedule = (intervalMs, tick) => {
  const timer = setInterval(tick, intervalMs);
  timer.unref(); // a watcher must never keep an exiting host alive
  return { dispose: () => clearInterval(timer) };
};

export class DecompositionSampler implements Disposable {
  private readonly kept: ProcReading[] = [];
  private ticks: Disposable | undefined;
  /** Open while started: every reading is one pread on it. */
  private status: ProcStatusReader | undefined;
  private readonly intervalMs: number;
  private readonly maxReadings: number;
  private readonly schedule: DecompositionSchedule;
  private readonly now: () => number;
  private readonly rssNow: () => number | undefined;
  /** When the last reading that came from /proc was taken, and `rssNow` then. */
  private lastRead: { tMs: number; rssNow: number | undefined } = { tMs: -Infinity, rssNow: undefined };
  private readonly readingEmitter = new EventEmitter<ProcReading>();
  /** Each reading as it is taken. */
  readonly onReading: Event<ProcReading> = this.readingEmitter.event;

  constructor(readonly pid: number, options: DecompositionSamplerOptions = {}) {
    this.intervalMs = options.intervalMs ?? DECOMPOSITION_INTERVAL_MS;
    this.maxReadings = options.maxReadings ?? 720;
    this.schedule = options.schedule ?? ownTimer;
    this.now = options.now ?? Date.now;
    this.rssNow = options.rssNow ?? (() => undefined);
  }

  /** Reads now, then every interval until stopped, disposed, or the process is gone. */
  start(): void {
    if (this.ticks || !this.read()) return;
    this.ticks = this.schedule(this.intervalMs, () => this.read());
  }

  /** No more readings until start() again; what was read is kept. */
  stop(): void {
    this.ticks?.dispose();
    this.ticks = undefined;
    this.status?.dispose();
    this.status = undefined;
  }

  get running(): boolean {
    return this.ticks !== undefined;
  }

  get latest(): ProcMemory | undefined {
    return this.kept[this.kept.length - 1]?.proc;
  }

  /**
   * The latest reading while running, when it is at most two intervals old (else undefined): the
   * reading due on this very tick may not have run yet (the 1-s and 5-s ticks fall on the same
   * millisecond, in either order), and declining the last one then made a limit lookup read
   * /proc/PID/status itself at 180 of its first 600 lookups (141 µs against 37).
   */
  recent(): ProcMemory | undefined {
    const last = this.kept[this.kept.length - 1];
    return this.running && last && this.now() - last.tMs <= 2 * this.intervalMs ? last.proc : undefined;
  }

  get readings(): readonly ProcReading[] {
    return this.kept;
  }

  /** The diagnosis over the readings so far, with the inside view when the caller read it. */
  diagnose(inside: Omit<DecompositionWindow, 'readings'> = {}): Diagnosis | undefined {
    return this.kept.length ? diagnose({ ...inside, readings: [...this.kept] }) : undefined;
  }

  /** On demand: smaps walks the page tables (milliseconds per GB). */
  largestMappings(count?: number): AnonMapping[] {
    return largestAnonMappings(this.pid, count);
  }

  dispose(): void {
    this.stop();
    this.readingEmitter.dispose();
  }

  private read(): boolean {
    const tMs = this.now();
    // A reading not later than the last (a wall clock stepped back; before the ticker's fix, a
    // tick fired twice) would be announced yet dropped from the session's columns: take none.
    const last = this.kept[this.kept.length - 1];
    if (last && tMs <= last.tMs) return true;
    let reading: ProcReading;
    const rssNow = this.rssNow();
    if (last && this.unmovedSinceRead(tMs, rssNow)) reading = { tMs, proc: last.proc };
    else {
      try {
        this.status ??= ProcStatusReader.open(this.pid);
        reading = { tMs, proc: this.status.read() };
        this.lastRead = { tMs, rssNow };
      } catch {
        this.stop(); // gone (or no longer readable): keep what was read
        return false;
      }
    }
    this.kept.push(reading);
    if (this.kept.length > this.maxReadings) this.kept.shift();
    this.readingEmitter.fire(reading);
    return true;
  }

  private unmovedSinceRead(tMs: number, rssNow: number | undefined): boolean {
    return rssNow !== undefined && rssNow === this.lastRead.rssNow && tMs - this.lastRead.tMs < UNMOVED_REREAD_MS;
  }
}
