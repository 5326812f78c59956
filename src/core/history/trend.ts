// A slope that a single spike or a GC drop cannot swing: the classifier's Theil–Sen, on at most
// MAX_POINTS evenly spaced points, so the cost per call is bounded (≤ 820 pairs) whatever the window.
import { theilSen } from '../classifier/robust';

const MAX_POINTS = 41;

/** Robust slope of `values` over `times` (ms), per second; undefined with under 3 points or no span. */
export function theilSenSlopePerS(times: readonly number[], values: readonly number[]): number | undefined {
  const n = Math.min(times.length, values.length);
  if (n < 3 || times[n - 1] - times[0] <= 0) return undefined;
  const picks = evenlySpacedIndexes(n, MAX_POINTS);
  const x = Float64Array.from(picks, (i) => times[i]);
  const y = Float64Array.from(picks, (i) => values[i]);
  return theilSen(x, y).slope * 1000;
}

function evenlySpacedIndexes(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}
