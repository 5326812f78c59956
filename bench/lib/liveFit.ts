// The live calibration's fit (liveCalibration.ts): a logistic regression per verdict kind of
// "the shown class is the trace's label" on the look's features, by Newton's method, with each
// coefficient held to its sign (a feature whose weight comes out wrong is dropped and the rest
// refitted), and its error cross-validated BY TRACE: the looks of one trace are correlated, and a
// fit scored on the looks it was fitted on flatters itself.
import { FEATURE_SIGN, LIVE_FEATURES, featuresOf, logistic } from '../../src/core/classifier/liveCalibration';
import type { VerdictKind } from '../../src/core/classifier/calibration';
import { mulberry32 } from '../../src/core/random';
import type { LiveLook } from './liveLooks';

export interface Sample {
  trace: number;
  features: number[];
  right: boolean;
  /** The look's seconds shown (LiveLook.shownS), for the error per second shown. */
  shownS: number;
}

/** A little ridge keeps Newton's steps finite when a feature separates the looks. */
const RIDGE = 1e-3;
const NEWTON_STEPS = 60;
export const FOLDS = 5;

export function samplesOf(kind: VerdictKind, looksByTrace: readonly (readonly LiveLook[])[]): Sample[] {
  const out: Sample[] = [];
  looksByTrace.forEach((looks, trace) => {
    for (const look of looks) if (look.leak === (kind === 'leak')) out.push({ trace, features: featuresOf(kind, look.analysis), right: look.right, shownS: look.shownS });
  });
  return out;
}

/** Weights (intercept first) with every feature's sign as FEATURE_SIGN says, or 0. */
export function fitSigned(kind: VerdictKind, samples: readonly Sample[]): number[] {
  const names = LIVE_FEATURES[kind];
  const active = names.map(() => true);
  for (;;) {
    const weights = fitLogistic(samples, active);
    const wrong = names.findIndex((name, i) => active[i] && weights[i + 1] * FEATURE_SIGN[name] < 0);
    if (wrong < 0) return weights;
    active[wrong] = false;
  }
}

function fitLogistic(samples: readonly Sample[], active: readonly boolean[]): number[] {
  const columns = [0, ...active.flatMap((on, i) => (on ? [i + 1] : []))];
  const rowOf = (s: Sample): number[] => columns.map((c) => (c === 0 ? 1 : s.features[c - 1]));
  const k = columns.length;
  let w = new Array<number>(k).fill(0);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const gradient = w.map((wi) => RIDGE * wi);
    const hessian = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? RIDGE : 0)));
    for (const s of samples) {
      const x = rowOf(s);
      const p = 1 / (1 + Math.exp(-x.reduce((a, xi, i) => a + xi * w[i], 0)));
      const r = p - (s.right ? 1 : 0);
      for (let i = 0; i < k; i++) {
        gradient[i] += r * x[i];
        for (let j = 0; j < k; j++) hessian[i][j] += p * (1 - p) * x[i] * x[j];
      }
    }
    w = w.map((wi, i) => wi - solve(hessian, gradient)[i]);
  }
  const full = new Array<number>(active.length + 1).fill(0);
  columns.forEach((c, i) => (full[c] = w[i]));
  return full;
}

/** Gaussian elimination with partial pivoting (k ≤ 4). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Each trace's fold: a seeded shuffle, so a re-fit gives the same figure. */
export function foldOf(traceCount: number): number[] {
  const random = mulberry32(12);
  const order = Array.from({ length: traceCount }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Array<number>(traceCount);
  order.forEach((trace, rank) => (fold[trace] = rank % FOLDS));
  return fold;
}

/** Each sample's probability from a model fitted without its trace's fold. */
export function crossValidated(kind: VerdictKind, samples: readonly Sample[], fold: readonly number[]): number[] {
  const out = new Array<number>(samples.length);
  for (let f = 0; f < FOLDS; f++) {
    const weights = fitSigned(kind, samples.filter((s) => fold[s.trace] !== f));
    samples.forEach((s, i) => {
      if (fold[s.trace] === f) out[i] = logistic(weights, s.features);
    });
  }
  return out;
}
