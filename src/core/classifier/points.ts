// Baseline points: the minimum of each run of neighbouring buckets, at most `maxPoints` of them.
// A rolling minimum is the lower envelope of the curve, i.e. what memory returns to after GC and
// after temporary allocations: the level a leak raises and a spike does not. Keeping each
// minimum at the time it was seen (not the bucket centre) leaves a rising line unbiased.
import { Bucket } from './buckets';
import { median, robustSigma, theilSen } from './robust';

export interface BaselinePoint {
  tMs: number;
  value: number;
  /** Index of the first and last bucket it covers. */
  fromBucket: number;
  toBucket: number;
}

export const MAX_BASELINE_POINTS = 64;

export function baselinePoints(buckets: readonly Bucket[], maxPoints = MAX_BASELINE_POINTS): BaselinePoint[] {
  const n = buckets.length;
  const group = Math.max(1, Math.ceil(n / maxPoints));
  const points: BaselinePoint[] = [];
  // Grouped from the newest end, so the newest point is always a full group.
  for (let to = n - 1; to >= 0; to -= group) {
    const from = Math.max(0, to - group + 1);
    let best = buckets[from];
    for (let i = from + 1; i <= to; i++) if (buckets[i].min <= best.min) best = buckets[i];
    points.push({ tMs: best.minMs, value: best.min, fromBucket: from, toBucket: to });
  }
  return points.reverse();
}

/**
 * A one-sided Hampel filter: a point far above the median of the five around it is a
 * temporary allocation that filled its whole group (a long round), not baseline, and is
 * replaced by that median. Only upward: a baseline minimum cannot be wrongly low. A step that
 * stays up is kept, since three of its five neighbours share its level; up to two points in a
 * row are cleaned. Least squares (the change-point search) would otherwise chase them.
 */
export function despike(points: readonly BaselinePoint[], window = 5): BaselinePoint[] {
  if (points.length < window) return [...points];
  // Judged around a robust line, so the ends of a steady ramp are not mistaken for spikes
  // (a clamped window at the end of a ramp has its median below the last point).
  const n = points.length;
  const t0 = points[0].tMs;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = points[i].tMs - t0;
    y[i] = points[i].value;
  }
  const line = theilSen(x, y);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = y[i] - (line.intercept + line.slope * x[i]);
  const medians = residual.map((_, i) => {
    const from = Math.min(Math.max(0, i - (window >> 1)), n - window);
    return median(residual.subarray(from, from + window));
  });
  const excess = residual.map((r, i) => r - medians[i]);
  const limit = Math.max(4 * robustSigma(excess, 0), 4096);
  return points.map((p, i) => (excess[i] > limit ? { ...p, value: p.value - excess[i] } : p));
}

/** Per-bucket local baseline: the minimum over `radius` buckets either side. */
export function localBaseline(buckets: readonly Bucket[], radius: number): Float64Array {
  const out = new Float64Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    let low = Infinity;
    const end = Math.min(buckets.length - 1, i + radius);
    for (let j = Math.max(0, i - radius); j <= end; j++) low = Math.min(low, buckets[j].min);
    out[i] = low;
  }
  return out;
}
