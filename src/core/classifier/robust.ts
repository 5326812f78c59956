// Small robust-statistics kit for the classifier. Inputs are short (≤ a few thousand values:
// Theil–Sen takes the median of 2,016 pairwise slopes), and the classifier looks at every
// watched process every few seconds, so order statistics use selection (O(n)), not a sort:
// a Float64Array sort of 2,016 values costs ~100 µs here, quickselect ~10 µs.
import { ScratchColumns } from './scratch';

/**
 * Hoare's selection (Wirth's "Find": the middle element as pivot, both scans stop on equal values,
 * so ties split evenly) on a Float64Array with its comparisons inline: the `quickselect`
 * package's generic comparator was a fifth of a look at a steady process (~2,500 values a look).
 * Afterwards values[left..k) ≤ values[k] ≤ values(k..right]; the fit's MAD relies on that.
 */
function select(values: Float64Array, k: number, left: number, right: number): void {
  while (left < right) {
    const pivot = values[(left + right) >>> 1];
    let i = left;
    let j = right;
    do {
      while (values[i] < pivot) i++;
      while (pivot < values[j]) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) left = i;
    if (k < i) right = j;
  }
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i];
  values[i] = values[j];
  values[j] = held;
}

/**
 * The copy median() selects in (0), and Theil–Sen's offsets (1), reused by every call (the
 * classifier is synchronous): a look takes a dozen medians of up to 256 values, and a fresh
 * Float64Array each was an ArrayBuffer to allocate and collect each time.
 */
const medianCopy = new ScratchColumns();

/** Median of the values (does not reorder the input). NaN for none. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  const copy = medianCopy.get(0, n);
  for (let i = 0; i < n; i++) copy[i] = values[i];
  return medianOfFirst(copy, n);
}

/** Median of `values`, which it reorders (for arrays the caller built and no longer needs). */
export function medianInPlace(values: Float64Array): number {
  return medianOfFirst(values, values.length);
}

/** Median of values[0, n), which it reorders. */
function medianOfFirst(values: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const mid = n >> 1;
  select(values, mid, 0, n - 1);
  if (n % 2 === 1) return values[mid];
  // Selection leaves everything before `mid` no greater than it: the lower middle is their maximum.
  let lower = values[0];
  for (let i = 1; i < mid; i++) if (values[i] > lower) lower = values[i];
  return (lower + values[mid]) / 2;
}

/** The k-th smallest value (0-based) of `values`, which it reorders. */
export function selectInPlace(values: Float64Array, k: number, right = values.length - 1): number {
  select(values, k, 0, right);
  return values[k];
}

/** The median absolute deviation times this is the standard deviation, for Gaussian noise. */
export const MAD_TO_SD = 1.4826;

/** Robust standard deviation: MAD_TO_SD × median absolute deviation (equals σ for Gaussian noise). */
export function robustSigma(values: ArrayLike<number>, center = median(values)): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - center);
  return MAD_TO_SD * medianInPlace(deviations);
}

export interface LineFit {
  /** Per millisecond of x. */
  slope: number;
  /** Value at x = 0 (x as given, so callers pass times relative to an origin). */
  intercept: number;
}

/**
 * Theil–Sen line: slope = median of all pairwise slopes, intercept = median of y − slope·x.
 * Breakdown point 29%: a few spikes or GC drops cannot tilt it, unlike least squares.
 * O(n²) pairs, so callers keep n ≤ ~64.
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  const slopes = pairScratch((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - xi;
      if (dx !== 0) slopes[count++] = (y[j] - yi) / dx;
    }
  }
  const slope = count > 0 ? medianInPlace(slopes.subarray(0, count)) : 0;
  const offsets = medianCopy.get(1, n);
  for (let i = 0; i < n; i++) offsets[i] = y[i] - slope * x[i];
  return { slope, intercept: medianInPlace(offsets) };
}

/**
 * One buffer for the pairwise slopes, reused by every call (the classifier is synchronous): a
 * look makes 2–3 Theil–Sen fits of 2,016 pairs, and 100 watched processes looking every 5 s would
 * otherwise allocate ~1 MB a second for the young generation to collect.
 */
const pairs = new Float64Array((64 * 63) / 2); // the classifier fits at most 64 points
function pairScratch(length: number): Float64Array {
  return length <= pairs.length ? pairs : new Float64Array(length);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
