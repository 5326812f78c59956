// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// In-process metrics with periodic flushing to the collector.
import { sendBatch } from './collector';

interface Series {
  name: string;
  points: Array<[number, number]>;
}

const MAX_HISTORY = 1_000;

export class MetricsStore {
  private cache = new Map<string, Series>();
  private seriesCache = new Map<string, Series>();
  private history: number[] = [];
  private latencies: number[] = [];

  constructor(private readonly endpoint: string) {
    setInterval(() => this.flush(), 10_000); // expect: timer-not-cleared
  }

  record(name: string, value: number): void {
    const now = Date.now();
    let series = this.cache.get(name);
    if (!series) {
      series = { name, points: [] };
      this.cache.set(name, series); // expect: unbounded-cache
    }
    series.points.push([now, value]);
    this.history.push(value);
    if (this.history.length > MAX_HISTORY) this.history.shift();
    this.latencies.push(Date.now() - now);
  }

  remember(series: Series): void {
    this.seriesCache.set(series.name, series);
    this.evictOld();
  }

  private evictOld(): void {
    while (this.seriesCache.size > 100) {
      const oldest = this.seriesCache.keys().next().value;
      if (oldest === undefined) break;
      this.seriesCache.delete(oldest);
    }
  }

  private flush(): void {
    void sendBatch(this.endpoint, [...this.cache.values()]);
  }
}

export class Reporter {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly store: MetricsStore) {
    this.timer = setInterval(() => this.report(), 60_000);
  }

  private report(): void {
    this.store.record('reporter.alive', 1);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
