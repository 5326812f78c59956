// A slope that a single spike or a GC drop cannot swing: Theil–Sen, the median of the slopes
// between all pairs of points. On at most MAX_POINTS evenly spaced points, so the cost per call
// is bounded (≤ 820 pairs) whatever the window.

import { medianInPlace } from '../classifier/robust';

const MAX_POINTS = 41;

/** Robust slope of `values` over `times` (ms), per second; undefined with under 3 points or no span. */
export function theilSenSlopePerS(times: readonly number[], values: readonly number[]): number | undefined {
  const n = Math.min(times.length, values.length);
  if (n < 3 || times[n - 1] - times[0] <= 0) return undefined;
  const picks = evenlySpacedIndexes(n, MAX_POINTS);
  const slopes = new Float64Array((picks.length * (picks.length - 1)) / 2);
  let count = 0;
  for (let i = 0; i < picks.length; i++) {
    for (let j = i + 1; j < picks.length; j++) {
      const dt = times[picks[j]] - times[picks[i]];
      if (dt > 0) slopes[count++] = (values[picks[j]] - values[picks[i]]) / dt;
    }
  }
  if (count === 0) return undefined;
  return medianInPlace(slopes.subarray(0, count)) * 1000;
}

function evenlySpacedIndexes(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}
