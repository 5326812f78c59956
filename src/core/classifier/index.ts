// The growth classifier: is this process leaking? See analysis.ts for how it reads a curve.
export { GrowthClassifier, classifySeries, analyzeSeries, toVerdict } from './classifier';
export type { GrowthClassifierOptions } from './classifier';
export { ACROSS_RUNS, AROUND_A_FIX, compareRuns, compareSlopes, compareAroundMarker, rssSeries } from './compare';
export type { ComparedSides } from './compare';
export type { SeriesInput, SlopeComparison, FixOutcome } from './compare';
export { leakThresholdBytesPerS, MIN_UNBROKEN_LEAK_MS } from './analysis';
export type { Analysis } from './analysis';
