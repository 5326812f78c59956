// Stated confidence → observed accuracy. The statistical probabilities of analysis.ts assume the
// noise model is right; on real traces it is only roughly right. This table maps each raw
// probability to the share of verdicts given at that probability which were right on the
// tuning half of the corpus (histogram binning, Guo et al. 2017); the evaluation half checks
// it (`npm run bench -- classifier` prints both reliability tables).
// Regenerate with `npm run bench -- classifier --fit-calibration` and paste the printed table.

export type VerdictKind = 'leak' | 'no-leak';

/** Upper edges of the raw-probability bins, and the accuracy observed in each bin. */
const TABLES: Record<VerdictKind, { upTo: readonly number[]; accuracy: readonly number[] }> = {
  leak: { upTo: [1], accuracy: [0.99] },
  'no-leak': { upTo: [1], accuracy: [0.95] },
};

export function calibrated(kind: VerdictKind, raw: number): number {
  const table = TABLES[kind];
  const i = table.upTo.findIndex((edge) => raw <= edge);
  return table.accuracy[i < 0 ? table.accuracy.length - 1 : i];
}
