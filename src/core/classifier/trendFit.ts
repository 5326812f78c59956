// The slope of a window of baseline points and an uncertainty that holds when the noise is
// autocorrelated (GC rhythms, caches, slow wander make neighbouring minima move together).
//
// Least squares for the slope. Its standard error is the larger of two honest estimates:
//  - Newey–West (1987) HAC with a Bartlett kernel and Andrews' (1991) AR(1) plug-in bandwidth,
//    so the bandwidth grows with the correlation length, not only with n;
//  - the AR(1) variance inflation (1 + ρ)/(1 − ρ), with ρ the larger of the window's own
//    residual autocorrelation and the one measured on the whole trace (a window shorter than
//    the noise's time constant cannot see its own wander: its residuals look independent).
// Both ρ estimates are corrected for their small-sample bias (Kendall: E[ρ̂] ≈ ρ − (1 + 3ρ)/n).
// The effective number of independent points n(1 − ρ)/(1 + ρ) sets the degrees of freedom of
// the Student t used for probabilities.
import { MAD_TO_SD, normalCdf, selectInPlace } from './robust';
import { ScratchColumns } from './scratch';

export interface TrendFit {
  bytesPerS: number;
  uncertaintyBytesPerS: number;
  /**
   * The same from the window's own residuals only. Smaller when the whole trace wanders more
   * slowly than the window can see: right for "is it flat here?", too optimistic for "is this
   * growth real?", which gets `uncertaintyBytesPerS`.
   */
  ownUncertaintyBytesPerS: number;
  /** Robust scale of the residuals, bytes. */
  sigmaBytes: number;
  /** Residual lag-1 autocorrelation used (per point of this window), and the window's own. */
  rho: number;
  ownRho: number;
  points: number;
  effectivePoints: number;
  spanMs: number;
  /** Fitted value at the window's last point, bytes. */
  endValue: number;
}

/**
 * Work buffers reused by every fit (the classifier is synchronous and a look makes a dozen
 * fits): x, residuals, the slope's score terms, absolute residuals, the score terms' lagged products.
 */
const buffers = new ScratchColumns();
function scratch(which: number, length: number): Float64Array {
  return buffers.get(which, length);
}

/** One page over the span: RSS moves in pages, so no slope is known better than that. */
const PAGE_BYTES = 4096;
const MAX_RHO = 0.995;

/**
 * Fits points (times ms, values bytes). `traceRhoPerS` is the whole trace's residual correlation
 * per second (ρ per point = traceRhoPerS^Δt), 0 when unknown. Into `out` when given: a fit read
 * and dropped at once (a look makes a dozen) need not be an object with its numbers boxed anew.
 */
export function fitTrend(tMs: ArrayLike<number>, values: ArrayLike<number>, traceRhoPerS = 0, out?: TrendFit): TrendFit {
  return fitTrendRange(tMs, values, 0, tMs.length, traceRhoPerS, out);
}

/** fitTrend of points [from, to): the same fit as of their subarrays, without making them. */
export function fitTrendRange(tMs: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, traceRhoPerS = 0, out?: TrendFit): TrendFit {
  const n = to - from;
  const t0 = tMs[from];
  const x = scratch(0, n);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    x[i] = (tMs[from + i] - t0) / 1000;
    mx += x[i];
    my += values[from + i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (values[from + i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const passes = residualPasses(x, values, from, n, mx, my, slope);
  const spanS = Math.max(x[n - 1], 1e-3);
  const ownRho = biasCorrectedRho(passes.lag1, n);
  const spacingS = n > 1 ? spanS / (n - 1) : 1;
  const rho = Math.min(MAX_RHO, Math.max(ownRho, traceRhoPerS > 0 ? Math.pow(traceRhoPerS, spacingS) : 0, 0));
  const sigma = passes.anyNonZero ? residualScale(n, passes.sumOfSquares) : 0;
  const floor = PAGE_BYTES / spanS / Math.sqrt(n);
  const fit = out ?? emptyFit();
  fit.bytesPerS = slope;
  const ownRhoUsed = Math.min(MAX_RHO, Math.max(ownRho, 0));
  // Both errors weigh the same lagged products, each up to its own bandwidth: made once.
  // Each bandwidth once: the products are made up to the larger, each error weighs up to its own.
  const lags = andrewsBandwidth(rho, n);
  const ownLags = andrewsBandwidth(ownRhoUsed, n);
  const products = sxx > 0 ? laggedProducts(n, Math.max(lags, ownLags), passes) : undefined;
  fit.uncertaintyBytesPerS = slopeError(products, n, sxx, sigma, rho, lags, floor);
  fit.ownUncertaintyBytesPerS = slopeError(products, n, sxx, sigma, ownRhoUsed, ownLags, floor);
  fit.sigmaBytes = sigma;
  fit.rho = rho;
  fit.ownRho = Math.max(ownRho, 0);
  fit.points = n;
  fit.effectivePoints = Math.max(1, (n * (1 - rho)) / (1 + rho));
  fit.spanMs = spanS * 1000;
  fit.endValue = my + slope * (x[n - 1] - mx);
  return fit;
}

/** What residualPasses found besides its columns; one object, rewritten by every fit. */
interface ResidualSums {
  lag1: number;
  sumOfSquares: number;
  /** Whether any residual is not 0 (a process holding its size leaves none). */
  anyNonZero: boolean;
  /** Σ u_i² and Σ u_i·u_{i−1} of the score terms: laggedProducts' first two. */
  scoreSquares: number;
  scoreLag1: number;
}
const RESIDUAL_SUMS: ResidualSums = { lag1: 0, sumOfSquares: 0, anyNonZero: false, scoreSquares: 0, scoreLag1: 0 };

/**
 * The residuals around the line, in two passes where lag1, residualScale and laggedProducts made
 * seven of their own: the residuals (1) with their absolute values (3) and sums, then the lag-1
 * products with the slope's score terms (2) and their first two lagged products. Every sum is
 * added in the order those passes added it, so the fit is the same to the last bit.
 */
function residualPasses(x: Float64Array, values: ArrayLike<number>, from: number, n: number, mx: number, my: number, slope: number): ResidualSums {
  const residuals = scratch(1, n);
  const abs = scratch(3, n);
  let sum = 0;
  let squares = 0;
  let anyNonZero = false;
  for (let i = 0; i < n; i++) {
    const r = values[from + i] - (my + slope * (x[i] - mx));
    residuals[i] = r;
    sum += r;
    abs[i] = Math.abs(r);
    squares += r * r;
    anyNonZero = anyNonZero || r !== 0;
  }
  const mean = sum / n;
  const scores = scratch(2, n);
  let num = 0;
  let den = 0;
  let scoreSquares = 0;
  let scoreLag1 = 0;
  for (let i = 0; i < n; i++) {
    const d = residuals[i] - mean;
    den += d * d;
    const u = (x[i] - mx) * residuals[i];
    scores[i] = u;
    scoreSquares += u * u;
    if (i > 0) {
      num += d * (residuals[i - 1] - mean);
      scoreLag1 += u * scores[i - 1];
    }
  }
  RESIDUAL_SUMS.lag1 = n < 3 || !(den > 0) ? 0 : num / den;
  RESIDUAL_SUMS.sumOfSquares = squares;
  RESIDUAL_SUMS.anyNonZero = anyNonZero;
  RESIDUAL_SUMS.scoreSquares = scoreSquares;
  RESIDUAL_SUMS.scoreLag1 = scoreLag1;
  return RESIDUAL_SUMS;
}

/** A fit of nothing, to be filled (by fitTrend): one shape for every TrendFit. */
export function emptyFit(): TrendFit {
  return { bytesPerS: 0, uncertaintyBytesPerS: 0, ownUncertaintyBytesPerS: 0, sigmaBytes: 0, rho: 0, ownRho: 0, points: 0, effectivePoints: 0, spanMs: 0, endValue: 0 };
}

/**
 * Fits handed out one after another, each kept until `reset`: for the fits a look keeps to its
 * end (its windows'), a dozen objects with their numbers boxed anew each look otherwise.
 */
export class FitPool {
  private readonly fits: TrendFit[] = [];
  private used = 0;

  /** A fit to fill, free until the next reset; its numbers are whatever was left there. */
  take(): TrendFit {
    const fit = (this.fits[this.used] ??= emptyFit());
    this.used++;
    return fit;
  }

  /** Every fit taken since the last reset may be handed out again. */
  reset(): void {
    this.used = 0;
  }
}

/**
 * The slope's standard error under lag-1 correlation r: the larger of AR(1)'s and Newey–West's
 * (from the fit's lagged products, none when sxx is 0, over `lags`: r's bandwidth), at least `floor`.
 */
function slopeError(products: Float64Array | undefined, n: number, sxx: number, sigma: number, r: number, lags: number, floor: number): number {
  const arVar = sxx > 0 ? (sigma * sigma * (1 + r)) / (1 - r) / sxx : Infinity;
  const hacVar = products ? neweyWestSlopeVariance(products, n, sxx, lags) : Infinity;
  return Math.max(Math.sqrt(Math.max(arVar, hacVar)), floor);
}

/** Residual lag-1 autocorrelation per second of a whole trace's points (for `fitTrend`). */
export function rhoPerSecond(tMs: ArrayLike<number>, residuals: ArrayLike<number>): number {
  const n = tMs.length;
  if (n < 8) return 0;
  const rho = biasCorrectedRho(lag1(residuals), n);
  if (rho <= 0) return 0;
  const spacingS = (tMs[n - 1] - tMs[0]) / 1000 / (n - 1);
  return spacingS > 0 ? Math.pow(Math.min(rho, MAX_RHO), 1 / spacingS) : 0;
}

function lag1(r: ArrayLike<number>): number {
  const n = r.length;
  if (n < 3) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i] - mean;
    den += d * d;
    if (i > 0) num += d * (r[i - 1] - mean);
  }
  return den > 0 ? num / den : 0;
}

function biasCorrectedRho(rho: number, n: number): number {
  return Math.min(MAX_RHO, rho + (1 + 3 * Math.max(rho, 0)) / Math.max(n, 4));
}

/** Andrews (1991) plug-in bandwidth for the Bartlett kernel under AR(1) errors. */
function andrewsBandwidth(rho: number, n: number): number {
  const r = Math.min(Math.max(rho, 0), 0.98);
  const alpha = (4 * r * r) / ((1 - r) ** 2 * (1 + r) ** 2);
  return Math.min(n - 1, Math.max(1, Math.ceil(1.1447 * Math.cbrt(alpha * n))));
}

/**
 * Σ u_i·u_{i−l} for l = 0..maxLag, of the slope's score terms u = (x − x̄)·e (residualPasses
 * wrote them, and the sums for lags 0 and 1): what Newey–West weighs. Into a reused buffer, valid
 * until the next fit. A quiet window's bandwidth is one lag: no pass of its own then.
 */
function laggedProducts(n: number, maxLag: number, sums: ResidualSums): Float64Array {
  const u = scratch(2, n);
  const products = scratch(4, maxLag + 1);
  products[0] = sums.scoreSquares;
  if (maxLag >= 1) products[1] = sums.scoreLag1;
  for (let l = 2; l <= maxLag; l++) {
    let c = 0;
    for (let i = l; i < n; i++) c += u[i] * u[i - l];
    products[l] = c;
  }
  return products;
}

/** Newey–West's variance of the slope with a Bartlett kernel over `lags` lags, from the lagged products. */
function neweyWestSlopeVariance(products: Float64Array, n: number, sxx: number, lags: number): number {
  let s = products[0];
  for (let l = 1; l <= lags; l++) s += 2 * (1 - l / (lags + 1)) * products[l];
  // Small-sample correction n/(n−2) for the two fitted parameters.
  return (Math.max(s, 0) * n) / Math.max(n - 2, 1) / (sxx * sxx);
}

/**
 * Residual scale: the larger of the MAD-based σ and the 75th percentile of |residual| / 1.15
 * (RSS moves in whole pages and often stands still, so more than half the residuals can be 0).
 * From the absolute residuals and their sum of squares (ss) residualPasses made.
 */
function residualScale(n: number, ss: number): number {
  if (n === 0) return 0;
  const abs = scratch(3, n);
  const q75 = selectInPlace(abs, Math.floor(0.75 * (n - 1))) / 1.15;
  // Selection left everything before the 75th percentile below it: the median is among them.
  const mad = selectInPlace(abs, Math.floor((n - 1) / 2), Math.floor(0.75 * (n - 1))) * MAD_TO_SD;
  // Least squares is not robust: a trace whose residuals have heavy tails gets its rms, too.
  return Math.max(mad, q75, Math.sqrt(ss / Math.max(n - 2, 1)));
}

/** Student t CDF with `df` degrees of freedom (regularized incomplete beta, continued fraction). */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  if (!(df > 0)) return 0.5;
  if (df > 1e6) return normalCdf(t);
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(minusLogBeta(a, b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * −ln B(a, b) = ln Γ(a + b) − ln Γ(a) − ln Γ(b), kept for the last few (a, b) asked for: a look
 * asks for the t probabilities of its windows' few degrees of freedom in turn (15 a look at a
 * steady process, of 5 or 6 distinct ones), and a one-entry memory missed each time the window
 * changed. In a Float64Array, keyed by the exact arguments: the same value to the last bit, and
 * no number boxed to store it (module variables held their doubles as heap objects).
 */
const LOG_BETA_ENTRIES = 8;
const logBetaCache = new Float64Array(3 * LOG_BETA_ENTRIES).fill(NaN);
let logBetaNext = 0;
function minusLogBeta(a: number, b: number): number {
  for (let i = 0; i < logBetaCache.length; i += 3) if (logBetaCache[i] === a && logBetaCache[i + 1] === b) return logBetaCache[i + 2];
  const value = logGamma(a + b) - logGamma(a) - logGamma(b);
  const at = 3 * logBetaNext;
  logBetaCache[at] = a;
  logBetaCache[at + 1] = b;
  logBetaCache[at + 2] = value;
  logBetaNext = (logBetaNext + 1) % LOG_BETA_ENTRIES;
  return value;
}

/** Lentz's method for the continued fraction of the incomplete beta function. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 200; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** Lanczos approximation (g = 7, n = 9). Its coefficients made once: a look takes a few dozen t probabilities. */
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(z: number): number {
  const coefficients = LANCZOS_COEFFICIENTS;
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const w = z - 1;
  let sum = coefficients[0];
  for (let i = 1; i < 9; i++) sum += coefficients[i] / (w + i);
  const t = w + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(sum);
}
