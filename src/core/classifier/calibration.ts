// Stated confidence → observed accuracy. The statistical probabilities of analysis.ts assume the
// noise model is right; on real traces it is only roughly right. This table maps each raw
// probability to the share of verdicts given at that probability which were right on the
// tuning half of the corpus (histogram binning, Guo et al. 2017); the evaluation half checks
// it (`npm run bench -- classifier` prints both reliability tables).
// Regenerate with `node scripts/build.mjs --tests && node out/bench/classifier.js --fit-calibration`
// and paste the printed table.

export type VerdictKind = 'leak' | 'no-leak';

/** Upper edges of the raw-probability bins, and the accuracy observed in each bin. */
// Fitted 2026-12-03 on the tuning half (376 traces; verdicts per bin: leak 8, 136; no-leak 4, 7,
// 21, 177). A leak verdict is "right" only with the right kind (steady or stepwise): most wrong
// leak verdicts are the other kind of leak, not a false alarm.
const TABLES: Record<VerdictKind, { upTo: readonly number[]; accuracy: readonly number[] }> = {
  leak: { upTo: [0.99, 1], accuracy: [0.9, 0.92] },
  'no-leak': { upTo: [0.5, 0.95, 0.99, 1], accuracy: [0.667, 0.889, 0.957, 0.994] },
};

export function calibrated(kind: VerdictKind, raw: number): number {
  const table = TABLES[kind];
  const i = table.upTo.findIndex((edge) => raw <= edge);
  return table.accuracy[i < 0 ? table.accuracy.length - 1 : i];
}
