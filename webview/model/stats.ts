// The numbers under the chart (its text alternative), and the slopes the banner and the
// projection use before the classifier has spoken. Pure: tested in Node.
import { SampleColumns } from '../../src/core/shared/columns';

export interface PanelStats {
  samples: number;
  currentBytes: number;
  minBytes: number;
  peakBytes: number;
  /** Last minus first RSS. */
  deltaBytes: number;
  /** Least-squares slope over the whole trace, bytes per second. */
  meanSlopeBytesPerS: number;
  /** Least-squares slope over the recent window (see RECENT_WINDOW_MS). */
  recentSlopeBytesPerS: number;
  /** Least-squares slope over the last LATEST_WINDOW_MS: is it still growing right now? */
  latestSlopeBytesPerS: number;
  threads: number;
  /** -1 when unreadable. */
  fds: number;
  childCount: number;
  childrenRssBytes: number;
  firstMs: number;
  lastMs: number;
  /** Time covered by the samples. */
  spanMs: number;
}

/** Long enough to span several GC cycles, short enough to follow a change of regime. */
export const RECENT_WINDOW_MS = 15 * 60_000;
/** Long enough to see through a program's round-by-round noise, short enough to see growth stop. */
export const LATEST_WINDOW_MS = 20_000;

export function computeStats(c: Readonly<SampleColumns>): PanelStats | undefined {
  return new StatsTracker().stats(c);
}

/**
 * The stats of a store that grows, computed once per frame: what covers the whole trace (lowest,
 * peak, the mean slope as a running least-squares fit) is carried from the last call and extended
 * by the samples since, in one pass; only the short recent windows are fitted again. Over new
 * columns (replaced or thinned: new arrays) it starts over.
 */
export class StatsTracker {
  private over: readonly number[] | undefined;
  private upTo = 0;
  private min = Infinity;
  private peak = -Infinity;
  private fit = new RunningFit();

  stats(c: Readonly<SampleColumns>): PanelStats | undefined {
    const n = c.t.length;
    if (n === 0) return undefined;
    if (this.over !== c.t || n < this.upTo) this.startOver(c.t);
    for (let i = this.upTo; i < n; i++) {
      const v = c.rss[i];
      if (v < this.min) this.min = v;
      if (v > this.peak) this.peak = v;
      this.fit.add(c.t[i] - c.t[0], v);
    }
    this.upTo = n;
    const last = n - 1;
    return {
      samples: n,
      currentBytes: c.rss[last],
      minBytes: this.min,
      peakBytes: this.peak,
      deltaBytes: c.rss[last] - c.rss[0],
      meanSlopeBytesPerS: this.fit.slopePerMs() * 1000,
      recentSlopeBytesPerS: leastSquaresSlope(c.t, c.rss, firstIndexAtOrAfter(c.t, c.t[last] - RECENT_WINDOW_MS), n),
      latestSlopeBytesPerS: leastSquaresSlope(c.t, c.rss, firstIndexAtOrAfter(c.t, c.t[last] - LATEST_WINDOW_MS), n),
      threads: c.threads[last],
      fds: c.fds[last],
      childCount: c.childCount[last],
      childrenRssBytes: c.childrenRss[last],
      firstMs: c.t[0],
      lastMs: c.t[last],
      spanMs: c.t[last] - c.t[0],
    };
  }

  private startOver(t: readonly number[]): void {
    this.over = t;
    this.upTo = 0;
    this.min = Infinity;
    this.peak = -Infinity;
    this.fit = new RunningFit();
  }
}

/** A least-squares line updated a point at a time (Welford's running means and co-moments: stable, one pass). */
class RunningFit {
  private n = 0;
  private meanX = 0;
  private meanY = 0;
  private sxx = 0;
  private sxy = 0;

  add(x: number, y: number): void {
    this.n++;
    const dx = x - this.meanX;
    this.meanX += dx / this.n;
    this.meanY += (y - this.meanY) / this.n;
    this.sxx += dx * (x - this.meanX);
    this.sxy += dx * (y - this.meanY);
  }

  /** 0 with fewer than 2 distinct x. */
  slopePerMs(): number {
    return this.sxx > 0 ? this.sxy / this.sxx : 0;
  }
}

/** Slope of y over t (ms) in bytes per second, on [from, to); 0 with fewer than 2 points. */
export function leastSquaresSlope(t: readonly number[], y: readonly number[], from: number, to: number): number {
  const n = to - from;
  if (n < 2) return 0;
  // Centre on the first point: epoch ms squared loses precision in doubles.
  const t0 = t[from];
  let sumT = 0;
  let sumY = 0;
  for (let i = from; i < to; i++) {
    sumT += t[i] - t0;
    sumY += y[i];
  }
  const meanT = sumT / n;
  const meanY = sumY / n;
  let num = 0;
  let den = 0;
  for (let i = from; i < to; i++) {
    const dt = t[i] - t0 - meanT;
    num += dt * (y[i] - meanY);
    den += dt * dt;
  }
  return den === 0 ? 0 : (num / den) * 1000;
}

/** Binary search in a non-decreasing array: first index with t[i] >= value (or t.length). */
export function firstIndexAtOrAfter(t: readonly number[], value: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
