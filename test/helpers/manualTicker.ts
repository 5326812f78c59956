// The shared sampling timer of a MonitorEnvironment, ticked by hand: a test or bench drives its
// monitors on an injected clock, one tick at a time.
import { Disposable } from '../../src/core/events';
import { MonitorEnvironment, REAL_ENVIRONMENT } from '../../src/core/monitor';

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

/** Real readings of real processes, stamped on the injected clock `now` (the real sampler stamps with Date.now), ticked by `ticker`. */
export function realReadingsOnClock(ticker: ManualTicker, now: () => number): MonitorEnvironment {
  const openSampler: MonitorEnvironment['openSampler'] = (info, options) => {
    const sampler = REAL_ENVIRONMENT.openSampler(info, options);
    const sampleSync = sampler.sampleSync?.bind(sampler);
    if (sampleSync) sampler.sampleSync = (request) => ({ ...sampleSync(request), tMs: now() });
    return sampler;
  };
  return { now, monotonicMs: now, onTick: ticker.onTick, openSampler };
}
