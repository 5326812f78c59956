// Small robust-statistics kit for the classifier. Inputs are short (≤ a few hundred values),
// so clarity beats asymptotics; nothing here allocates per element beyond one copy.

/** Median of the values (does not reorder the input). NaN for none. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const copy = Float64Array.from(values as ArrayLike<number>);
  copy.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? copy[mid] : (copy[mid - 1] + copy[mid]) / 2;
}

/** Robust standard deviation: 1.4826 × median absolute deviation (equals σ for Gaussian noise). */
export function robustSigma(values: ArrayLike<number>, center = median(values)): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - center);
  return 1.4826 * median(deviations);
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
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0) slopes[count++] = (y[j] - y[i]) / dx;
    }
  }
  const slope = count > 0 ? median(slopes.subarray(0, count)) : 0;
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) offsets[i] = y[i] - slope * x[i];
  return { slope, intercept: median(offsets) };
}

/** Lag-1 autocorrelation of residuals, for the effective number of independent points. */
export function lag1Autocorrelation(residuals: ArrayLike<number>): number {
  const n = residuals.length;
  if (n < 3) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += residuals[i];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = residuals[i] - mean;
    den += d * d;
    if (i > 0) num += d * (residuals[i - 1] - mean);
  }
  return den > 0 ? num / den : 0;
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
