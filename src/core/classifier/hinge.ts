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
  /** The points' residuals around the hinge, and their sum of squares. */
  residuals: Float64Array;
  rss: number;
}

/** Points either side of the knot: a hold of fewer says nothing yet. */
export const MIN_HINGE_SIDE_POINTS = 6;
const PARAMETERS_ADDED = 2;

/** The points' times in units of the span, made once per look. */
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
  let best: { k: number; rss: number; b1: number; b2: number } | undefined;
  const fit = HINGE_SCRATCH;
  for (let k = MIN_HINGE_SIDE_POINTS; k <= n - MIN_HINGE_SIDE_POINTS; k++) {
    if (hingeFit(x, y, x[k], fit) && (!best || fit.rss < best.rss)) best = { k, rss: fit.rss, b1: fit.b1, b2: fit.b2 };
  }
  if (!best || !(line > 0) || !(best.rss > 0)) return undefined;
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
 * Least squares on (1, min(x − τ, 0), max(x − τ, 0)) by the 3×3 normal equations. Run for every
 * candidate knot of every look (~50 × 64 points): the sums are kept in locals, not in arrays
 * made per point, and are added in the same order as a matrix product would, so the fit is the
 * same to the last bit (the knot chosen cannot move).
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
  const residuals = new Float64Array(x.length);
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
