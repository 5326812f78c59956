// Thinning a trace without losing its shape: each bucket keeps its lowest and highest RSS
// sample, in time order. Used by the webview to bound its memory and keep the saved panel state
// small, and by the host to keep a trace's message within that same bound. Min-max, not averaging, because the GC troughs are the baseline a user reads
// a leak from, and the peaks are what hits the limit.
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, SampleColumns } from './columns';

/** The most samples the panel keeps of one monitor: two days at 1 Hz (the oldest half is then thinned). */
export const PANEL_MAX_SAMPLES = 172_800;

/** At most about `maxPoints` samples (never fewer than 2 per bucket); input unchanged. */
export function minMaxThin(c: SampleColumns, maxPoints: number): SampleColumns {
  return pick(c, minMaxIndices(c.rss, maxPoints));
}

/**
 * The samples min-max thinning keeps, as indexes in time order: all of them up to `maxPoints`.
 * On any array of RSS values, so a trace read into typed columns is thinned by the same rule.
 */
export function minMaxIndices(rss: ArrayLike<number>, maxPoints: number): number[] {
  const n = rss.length;
  if (n <= maxPoints) return allIndices(n);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const kept: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    if (to <= from) continue;
    const [lo, hi] = extremes(rss, from, to);
    if (lo === hi) kept.push(lo);
    else kept.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return kept;
}

function extremes(values: ArrayLike<number>, from: number, to: number): [number, number] {
  let lo = from;
  let hi = from;
  for (let i = from + 1; i < to; i++) {
    if (values[i] < values[lo]) lo = i;
    if (values[i] > values[hi]) hi = i;
  }
  return [lo, hi];
}

function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function pick(c: SampleColumns, indices: readonly number[]): SampleColumns {
  const out = {} as SampleColumns;
  for (const key of REQUIRED_COLUMNS) out[key] = indices.map((i) => c[key][i]);
  for (const key of OPTIONAL_COLUMNS) {
    const values = c[key];
    if (values) out[key] = indices.map((i) => values[i]);
  }
  return out;
}
