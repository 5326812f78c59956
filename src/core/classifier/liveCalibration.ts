// The confidence of the LIVE verdict. A look at a trace still being recorded is a different
// question from a whole file: "is this process leaking?" asked of its first minutes, when a
// program that loads at start rises exactly like a leak until it levels off. On the tuning half's
// live replay, leak verdicts stated 0.90–0.92 (the whole-file table, calibration.ts) were right
// 62% of the time, and far less in the first minutes. So the live confidence is a logistic fit
// (Platt scaling with covariates) of "the shown class is the trace's label" on what the look rests
// on: the raw probability and how long the trace has been watched. Both weights must be ≥ 0
// (monotone: more probability or a longer watch never lowers the confidence); the fit drops a
// feature whose sign comes out wrong. Growth fast relative to the process's size predicts a
// start-up in the corpus too, but it would also keep the fastest, most dangerous leaks from ever
// alerting; it is left out. The whole-file verdict keeps calibration.ts.
// The table below is GENERATED from the tuning half's live replay: re-fit it after any change of
// the classifier with `node scripts/build.mjs --tests && node out/bench/tools/fitLiveCalibration.js`
// (it rewrites the block between the markers and prints the cross-validated error).
import { isLeakClass } from '../model';
import type { Analysis } from './analysis';
import { VerdictKind } from './calibration';

/** A live look's features, in the order of a model's weights (after the intercept). */
export const LIVE_FEATURES = {
  leak: ['logitRaw', 'logSpan'],
  'no-leak': ['logitRaw', 'logSpan'],
} as const satisfies Record<VerdictKind, readonly FeatureName[]>;

export type FeatureName = 'logitRaw' | 'logSpan';

/** +1: the confidence may only rise with the feature; −1: only fall. */
export const FEATURE_SIGN: Record<FeatureName, 1 | -1> = { logitRaw: 1, logSpan: 1 };

export interface LiveModel {
  /** Intercept, then one weight per feature of LIVE_FEATURES[kind]. */
  weights: readonly number[];
}

// BEGIN GENERATED (bench/tools/fitLiveCalibration.ts)
// Fitted on the tuning half's live replay (842 traces, a live session's cadence).
export const LIVE_MODELS: Record<VerdictKind, LiveModel> = {
  leak: { weights: [-6.5688, 0.1867, 0.78] },
  'no-leak': { weights: [-3.9041, 0.0799, 0.7082] },
};
// END GENERATED

/** Raw probabilities are clamped here before the logit: 1 − 1e-6 is as sure as a look gets. */
const RAW_FLOOR = 1e-4;
const RAW_CEIL = 1 - 1e-6;

export function featureValue(name: FeatureName, analysis: Pick<Analysis, 'rawConfidence' | 'spanMs'>): number {
  switch (name) {
    case 'logitRaw': {
      const p = Math.min(RAW_CEIL, Math.max(RAW_FLOOR, analysis.rawConfidence));
      return Math.log(p / (1 - p));
    }
    case 'logSpan':
      return Math.log(Math.max(analysis.spanMs / 1000, 1));
  }
}

export function featuresOf(kind: VerdictKind, analysis: Pick<Analysis, 'rawConfidence' | 'spanMs'>): number[] {
  return LIVE_FEATURES[kind].map((name) => featureValue(name, analysis));
}

export function logistic(weights: readonly number[], features: readonly number[]): number {
  const z = weights[0] + features.reduce((sum, x, i) => sum + weights[i + 1] * x, 0);
  return 1 / (1 + Math.exp(-z));
}

/** The probability that a live look's decided class is right; 0 for "unknown". */
export function liveConfidence(analysis: Analysis): number {
  if (analysis.class === 'unknown') return 0;
  const kind: VerdictKind = isLeakClass(analysis.class) ? 'leak' : 'no-leak';
  return logistic(LIVE_MODELS[kind].weights, featuresOf(kind, analysis));
}
