// The slope of a regime's baseline and how sure we are of it. Theil–Sen for the slope; for the
// uncertainty, the least-squares formula σ/√Σ(x−x̄)² with σ taken robustly from the residuals,
// widened by 1.1 (Theil–Sen's efficiency relative to least squares is ~0.9) and by the lag-1
// autocorrelation of the residuals (a sawtooth or a slow wander makes neighbouring minima move
// together, so there are fewer independent points than it seems: n_eff = n(1−ρ)/(1+ρ)).
import { BaselinePoint } from './points';
import { clamp, lag1Autocorrelation, robustSigma, selectInPlace, theilSen } from './robust';

export interface SlopeFit {
  bytesPerS: number;
  uncertaintyBytesPerS: number;
  /** Robust scale of the baseline around the line, bytes. */
  sigmaBytes: number;
  points: number;
  spanMs: number;
}

/** One page over the span: RSS moves in pages, so no slope is known better than that. */
const PAGE_BYTES = 4096;

export function fitSlope(points: readonly BaselinePoint[]): SlopeFit {
  const n = points.length;
  const t0 = points[0].tMs;
  const v0 = points[0].value;
  // Plain loops into typed arrays: Float64Array.from with a map function costs more than the fit.
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (points[i].tMs - t0) / 1000;
    y[i] = points[i].value - v0;
  }
  const line = theilSen(x, y);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i] - (line.intercept + line.slope * x[i]);
  const sigma = Math.max(robustSigma(residuals), upperQuartileAbsolute(residuals) / 1.15);
  const rho = clamp(lag1Autocorrelation(residuals), 0, 0.9);
  const spanS = Math.max(x[n - 1], 1e-3);
  const sxx = sumSquaredDeviation(x);
  const raw = sxx > 0 ? (1.1 * sigma * Math.sqrt((1 + rho) / (1 - rho))) / Math.sqrt(sxx) : Infinity;
  const floor = PAGE_BYTES / spanS / Math.sqrt(n);
  return { bytesPerS: line.slope, uncertaintyBytesPerS: Math.max(raw, floor), sigmaBytes: sigma, points: n, spanMs: spanS * 1000 };
}

/**
 * 75th percentile of |residual| (1.15σ for Gaussian noise): still robust to a quarter of
 * outliers, but not zero when more than half the residuals are exactly zero, as happens with
 * an RSS that moves in whole pages and mostly stands still.
 */
function upperQuartileAbsolute(values: Float64Array): number {
  const abs = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) abs[i] = Math.abs(values[i]);
  return abs.length ? selectInPlace(abs, Math.floor(0.75 * (abs.length - 1))) : 0;
}

function sumSquaredDeviation(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return sum;
}
