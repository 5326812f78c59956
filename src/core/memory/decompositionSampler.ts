// The decomposition of a watched process kept up to date: /proc/PID/status every few seconds
// (~17 µs a read, so it can run beside the 1-s RSS sampler at no real cost); the costly parts
// (smaps, the interpreter's view, which injects) only when asked. For `watch` and the panel.
import { Disposable } from '../events';
import { DecompositionWindow, diagnose, Diagnosis, ProcReading } from './diagnose';
import { AnonMapping, largestAnonMappings, ProcMemory, readProcMemory } from './procMemory';

export interface DecompositionSamplerOptions {
  /** Between readings. Default 5000. */
  intervalMs?: number;
  /** Readings kept, oldest dropped first. Default 720 (an hour at 5 s). */
  maxReadings?: number;
}

export class DecompositionSampler implements Disposable {
  private readonly kept: ProcReading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly maxReadings: number;

  constructor(readonly pid: number, options: DecompositionSamplerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.maxReadings = options.maxReadings ?? 720;
  }

  /** Reads now, then every interval until disposed or the process is gone. */
  start(): void {
    if (this.timer || !this.read()) return;
    this.timer = setInterval(() => this.read(), this.intervalMs);
    this.timer.unref(); // a watcher must never keep an exiting host alive
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  get latest(): ProcMemory | undefined {
    return this.kept[this.kept.length - 1]?.proc;
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
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private read(): boolean {
    try {
      this.kept.push({ tMs: Date.now(), proc: readProcMemory(this.pid) });
    } catch {
      this.dispose(); // gone (or no longer readable): keep what was read
      return false;
    }
    if (this.kept.length > this.maxReadings) this.kept.shift();
    return true;
  }
}
