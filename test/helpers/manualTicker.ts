// The shared sampling timer of a MonitorEnvironment, ticked by hand: a test or bench drives its
// monitors on an injected clock, one tick at a time.
import { Disposable } from '../../src/core/events';
import { MonitorEnvironment } from '../../src/core/monitor';

export class ManualTicker {
  private readonly listeners = new Set<() => void>();

  readonly onTick: MonitorEnvironment['onTick'] = (_intervalMs, listener): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Monitors listening now. */
  get size(): number {
    return this.listeners.size;
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
