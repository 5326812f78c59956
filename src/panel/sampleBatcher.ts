// Samples arrive once per interval per monitor (up to 10 a second); the webview redraws a
// chart of up to a day of them. One message per batch, every few hundred milliseconds, keeps
// both the message channel and the redraws calm. VS Code–free, so it is tested in Node.
import { Disposable } from '../core/events';
import { MemorySample } from '../core/model';

export const DEFAULT_BATCH_MS = 300;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class SampleBatcher implements Disposable {
  private pending: MemorySample[] = [];
  private timer: unknown;

  constructor(
    private readonly flush: (samples: MemorySample[]) => void,
    private readonly delayMs = DEFAULT_BATCH_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  add(samples: readonly MemorySample[]): void {
    if (samples.length === 0) return;
    for (const s of samples) this.pending.push(s);
    this.timer ??= this.timers.setTimeout(() => this.flushNow(), this.delayMs);
  }

  /** Sends what is pending now (e.g. before a state change, so the order is kept). */
  flushNow(): void {
    this.cancelTimer();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flush(batch);
  }

  /** Drops what is pending: the next `init` carries it anyway. */
  discard(): void {
    this.cancelTimer();
    this.pending = [];
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  dispose(): void {
    this.discard();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
