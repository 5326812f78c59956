// Rise, then hold: a continuous two-piece line (a hinge) fitted to the baseline points, and a
// test of whether it explains them better than one line.
//
// For each candidate knot τ (at a point, with enough points either side) least squares fits
// y = a + b₁·min(t − τ, 0) + b₂·max(t − τ, 0); the knot with the smallest residual sum wins.
// The likelihood-ratio statistic n·ln(RSS_line / RSS_hinge) is then scaled by (1 − ρ)/(1 + ρ),
// ρ the hinge residuals' lag-1 autocorrelation (n points that move together hold only about
// n(1 − ρ)/(1 + ρ) independent ones: a slow wander must not pass for a bend), and compared
// with a BIC penalty of ln(n_eff) for each of the two extra parameters (the knot and the
// second slope). Searching for the knot is part of what the penalty pays for.
//
// The hinge only says where the growth may have changed; whether it stopped is judged on the
// tail after the knot by the classifier, with the slope error it uses everywhere (trendFit.ts).
import { BaselineColumns } from './points';
import { ScratchColumns } from './scratch';

export interface Hinge {
  knotMs: number;
  /** Index of the first point at or after the knot. */
  knotIndex: number;
  slopeBeforeBytesPerS: number;
  slopeAfterBytesPerS: number;
  /** Autocorrelation-scaled log-likelihood ratio over the one line, less the BIC penalty. */
  evidence: number;
  /** The points' residuals around the hinge (a reused buffer: valid until the next fitHinge), and their sum of squares. */
  residuals: Float64Array;
  rss: number;
}

/** Points either side of the knot: a hold of fewer says nothing yet. */
export const MIN_HINGE_SIDE_POINTS = 6;
const PARAMETERS_ADDED = 2;

/** The points' times in units of the span (0) and the hinge's residuals (1), made once per look. */
const times = new ScratchColumns();

export function fitHinge(points: BaselineColumns): Hinge | undefined {
  const n = points.tMs.length;
  if (n < 2 * MIN_HINGE_SIDE_POINTS + 1) return undefined;
  const t0 = points.tMs[0];
  const spanS = (points.tMs[n - 1] - t0) / 1000;
  if (!(spanS > 0)) return undefined;
  // Time in units of the span keeps the normal equations well conditioned.
  const x = times.get(0, n);
  for (let i = 0; i < n; i++) x[i] = (points.tMs[i] - t0) / 1000 / spanS;
  const y = points.values;
  const line = lineRss(x, y);
  // A perfect line has nothing to bend: no hinge, whichever knot fits best.
  if (!(line > 0)) return undefined;
  let best: { k: number; rss: number; b1: number; b2: number } | undefined;
  const fit = HINGE_SCRATCH;
  const knots = nearBestKnots(x, y, line);
  for (let j = 0; j < knots.length; j++) {
    const k = knots[j];
    if (hingeFit(x, y, x[k], fit) && (!best || fit.rss < best.rss)) best = { k, rss: fit.rss, b1: fit.b1, b2: fit.b2 };
  }
  if (!best || !(best.rss > 0)) return undefined;
  const residuals = hingeResiduals(x, y, x[best.k], best.b1, best.b2);
  const rho = Math.max(0, lag1(residuals));
  const effective = Math.max(2, (n * (1 - rho)) / (1 + rho));
  const lr = effective * Math.log(line / best.rss);
  return {
    knotMs: points.tMs[best.k],
    knotIndex: best.k,
    slopeBeforeBytesPerS: best.b1 / spanS,
    slopeAfterBytesPerS: best.b2 / spanS,
    evidence: lr - PARAMETERS_ADDED * Math.log(effective),
    residuals,
    rss: best.rss,
  };
}

/**
 * The knots whose hinge may have the least residual sum, in increasing order. Each knot's sum comes
 * from prefix sums in O(1) (fitting every knot over all points made the search O(n²), the most
 * expensive step of a look); those within a margin of the least, far wider than the rounding the
 * shortcut adds, are refit exactly by hingeFit, which chooses among them as the full search did:
 * the same knot and fit, to the last bit. A knot the shortcut cannot judge (NaN) is refit too.
 */
function nearBestKnots(x: Float64Array, y: Float64Array, line: number): Int32Array {
  const n = x.length;
  const approx = knotWork.get(APPROXIMATE_RSS, n);
  const sums = prefixSums(x, y);
  let least = Infinity;
  for (let k = MIN_HINGE_SIDE_POINTS; k <= n - MIN_HINGE_SIDE_POINTS; k++) {
    approx[k] = approximateHingeRss(sums, k, x[k]);
    if (approx[k] < least) least = approx[k];
  }
  // The rounding is ~1e-16 of the centred sums of squares, which the line's RSS is one of.
  const margin = NEAR_BEST_SHARE * Math.max(line, sums.centredSquares);
  if (knotIndexes.length < n) knotIndexes = new Int32Array(2 * n);
  let count = 0;
  for (let k = MIN_HINGE_SIDE_POINTS; k <= n - MIN_HINGE_SIDE_POINTS; k++) if (!(approx[k] > least + margin)) knotIndexes[count++] = k;
  return knotIndexes.subarray(0, count);
}

/** A knot's hinge within this share of the centred sum of squares of the least one's is refit exactly. */
const NEAR_BEST_SHARE = 1e-7;
const knotWork = new ScratchColumns();
const APPROXIMATE_RSS = 0;
const PREFIX_X = 1;
const PREFIX_XX = 2;
const PREFIX_Y = 3;
const PREFIX_XY = 4;
let knotIndexes = new Int32Array(128);

/** Sums over points [0, k) at index k, of y centred on its mean (smaller sums, less rounding). */
interface PrefixSums {
  n: number;
  x: Float64Array;
  xx: Float64Array;
  y: Float64Array;
  xy: Float64Array;
  centredSquares: number;
}

function prefixSums(x: Float64Array, values: Float64Array): PrefixSums {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const sx = knotWork.get(PREFIX_X, n + 1);
  const sxx = knotWork.get(PREFIX_XX, n + 1);
  const sy = knotWork.get(PREFIX_Y, n + 1);
  const sxy = knotWork.get(PREFIX_XY, n + 1);
  sx[0] = sxx[0] = sy[0] = sxy[0] = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const yi = values[i] - mean;
    sx[i + 1] = sx[i] + x[i];
    sxx[i + 1] = sxx[i] + x[i] * x[i];
    sy[i + 1] = sy[i] + yi;
    sxy[i + 1] = sxy[i] + x[i] * yi;
    squares += yi * yi;
  }
  return { n, x: sx, xx: sxx, y: sy, xy: sxy, centredSquares: squares };
}

/**
 * The hinge's RSS with its knot at x[k] = tau, from the sums: left of the knot (points before k)
 * min(x − τ, 0) = x − τ and max(…) = 0, right of it the reverse, so the two slopes' columns never
 * overlap (m12 = 0), and RSS = Σy² − β·Xᵀy at the least-squares β. NaN when the system is singular.
 */
function approximateHingeRss(s: PrefixSums, k: number, tau: number): number {
  const left = k;
  const right = s.n - k;
  const lx = s.x[k];
  const rx = s.x[s.n] - lx;
  const lxx = s.xx[k];
  const rxx = s.xx[s.n] - lxx;
  const ly = s.y[k];
  const ry = s.y[s.n] - ly;
  const lxy = s.xy[k];
  const rxy = s.xy[s.n] - lxy;
  const m01 = lx - left * tau;
  const m02 = rx - right * tau;
  const m11 = lxx - 2 * tau * lx + left * tau * tau;
  const m22 = rxx - 2 * tau * rx + right * tau * tau;
  const v0 = ly + ry;
  const v1 = lxy - tau * ly;
  const v2 = rxy - tau * ry;
  const out = APPROXIMATE_SCRATCH;
  if (!solve3(s.n, m01, m02, m01, m11, 0, m02, 0, m22, v0, v1, v2, out)) return NaN;
  return s.centredSquares - (out.a * v0 + out.b1 * v1 + out.b2 * v2);
}

function lineRss(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 ? syy - (sxy * sxy) / sxx : syy;
}

/**
 * Least squares on (1, min(x − τ, 0), max(x − τ, 0)) by the 3×3 normal equations, for the knots
 * near the best (nearBestKnots): the sums are kept in locals, not in arrays made per point, and
 * are added in the same order as a matrix product would, so the fit is the same to the last bit.
 */
interface HingeSolution {
  a: number;
  b1: number;
  b2: number;
  rss: number;
}

/**
 * Where hingeFit writes: a look fits every knot in turn, and an object (and a matrix) per knot
 * was a third of what a look at a steady process allocated. Single-threaded, never re-entered.
 */
const HINGE_SCRATCH: HingeSolution = { a: 0, b1: 0, b2: 0, rss: 0 };
const APPROXIMATE_SCRATCH: HingeSolution = { a: 0, b1: 0, b2: 0, rss: 0 };

/** The least-squares hinge with its knot at tau, into `out`; false when the system is singular. */
function hingeFit(x: Float64Array, y: Float64Array, tau: number, out: HingeSolution): boolean {
  let m01 = 0;
  let m02 = 0;
  let m11 = 0;
  let m12 = 0;
  let m22 = 0;
  let v0 = 0;
  let v1 = 0;
  let v2 = 0;
  for (let i = 0; i < x.length; i++) {
    const r1 = Math.min(x[i] - tau, 0);
    const r2 = Math.max(x[i] - tau, 0);
    v0 += y[i];
    v1 += r1 * y[i];
    v2 += r2 * y[i];
    m01 += r1;
    m02 += r2;
    m11 += r1 * r1;
    m12 += r1 * r2;
    m22 += r2 * r2;
  }
  // The matrix is symmetric and its corner is the point count.
  if (!solve3(x.length, m01, m02, m01, m11, m12, m02, m12, m22, v0, v1, v2, out)) return false;
  const { a, b1, b2 } = out;
  let rss = 0;
  for (let i = 0; i < x.length; i++) rss += (y[i] - (a + b1 * Math.min(x[i] - tau, 0) + b2 * Math.max(x[i] - tau, 0))) ** 2;
  out.rss = rss;
  return true;
}

function hingeResiduals(x: Float64Array, y: Float64Array, tau: number, b1: number, b2: number): Float64Array {
  const residuals = times.get(1, x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    residuals[i] = y[i] - b1 * Math.min(x[i] - tau, 0) - b2 * Math.max(x[i] - tau, 0);
    sum += residuals[i];
  }
  const a = sum / residuals.length;
  for (let i = 0; i < residuals.length; i++) residuals[i] -= a;
  return residuals;
}

function lag1(r: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += r[i] * r[i];
    if (i > 0) num += r[i] * r[i - 1];
  }
  return den > 0 ? num / den : 0;
}

/** Cramer's rule on a row-major 3×3 matrix; undefined when the system is singular. */
/** Cramer's rule for a 3×3 system (rows m0*, m1*, m2*), the solution into out.a, b1, b2. */
function solve3(
  m00: number, m01: number, m02: number, m10: number, m11: number, m12: number, m20: number, m21: number, m22: number,
  v0: number, v1: number, v2: number, out: HingeSolution,
): boolean {
  const d = det3(m00, m01, m02, m10, m11, m12, m20, m21, m22);
  if (!(Math.abs(d) > 0)) return false;
  out.a = det3(v0, m01, m02, v1, m11, m12, v2, m21, m22) / d;
  out.b1 = det3(m00, v0, m02, m10, v1, m12, m20, v2, m22) / d;
  out.b2 = det3(m00, m01, v0, m10, m11, v1, m20, m21, v2) / d;
  return true;
}

function det3(a00: number, a01: number, a02: number, a10: number, a11: number, a12: number, a20: number, a21: number, a22: number): number {
  return a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
}
