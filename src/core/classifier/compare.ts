// "Fix applied": did the leak stop? Each side of the marker is classified on its own, so a
// restart's warm-up after the fix reads as a plateau (no leak), not as growth, and the
// before/after slopes are each the slope of that side's current regime.
import { GrowthVerdict, MemorySample, isLeakClass } from '../model';
import { Analysis } from './analysis';
import { analyzeSeries, toVerdict } from './classifier';
import { rateWithUncertainty } from './explain';

export interface SeriesInput {
  tMs: ArrayLike<number>;
  rssBytes: ArrayLike<number>;
}

export type FixOutcome = 'gone' | 'reduced' | 'unchanged' | 'no-leak-before' | 'too-early';

export interface SlopeComparison {
  beforeBytesPerS: number;
  beforeUncertaintyBytesPerS: number;
  afterBytesPerS: number;
  afterUncertaintyBytesPerS: number;
  /** True when there was a leak before and the samples after show, with confidence, none. */
  leakGone: boolean;
  outcome: FixOutcome;
  before: GrowthVerdict;
  after: GrowthVerdict;
  explanation: string;
}

/** How an explanation names the two sides: around a fix marker, or two runs of a program. */
export interface ComparedSides {
  /** Before a rate or a leak: "before 4 MB/min", "in the previous run 4 MB/min". */
  before: string;
  after: string;
  /** As the subject of a verdict: "before the marker: Flat…", "after the fix: Plateau…". */
  beforeSide: string;
  /** Empty: the after side's verdict is not repeated (it is the verdict the comparison follows). */
  afterSide: string;
}

export const AROUND_A_FIX: ComparedSides = { before: 'before', after: 'after', beforeSide: 'before the marker', afterSide: 'after the fix' };
export const ACROSS_RUNS: ComparedSides = { before: 'in the previous run', after: 'in this run', beforeSide: 'the previous run', afterSide: '' };

export function compareSlopes(before: SeriesInput, after: SeriesInput, sides: ComparedSides = AROUND_A_FIX): SlopeComparison {
  return compareSides(analyzeSeries(before.tMs, before.rssBytes), toVerdict(analyzeSeries(after.tMs, after.rssBytes)), sides);
}

/**
 * A program's previous run against the run being watched: the previous run is judged whole, this
 * run by its live verdict (the one its banner and status bar show, with the warm-up and the
 * hysteresis that verdict has), so the comparison never contradicts the verdict beside it.
 */
export function compareRuns(previous: Analysis, current: GrowthVerdict): SlopeComparison {
  return compareSides(previous, current, ACROSS_RUNS);
}

function compareSides(b: Analysis, after: GrowthVerdict, sides: ComparedSides): SlopeComparison {
  const outcome = outcomeOf(b, after);
  return {
    beforeBytesPerS: b.slopeBytesPerS,
    beforeUncertaintyBytesPerS: b.slopeUncertaintyBytesPerS,
    afterBytesPerS: after.slopeBytesPerS,
    afterUncertaintyBytesPerS: after.slopeUncertaintyBytesPerS,
    leakGone: outcome === 'gone',
    outcome,
    before: toVerdict(b),
    after,
    explanation: explain(outcome, b, after, sides),
  };
}

/** Splits a recording at a marker (e.g. a `fix-applied` event) and compares the two sides. */
export function compareAroundMarker(samples: readonly MemorySample[], markerMs: number): SlopeComparison {
  return compareSlopes(rssSeries(samples.filter((s) => s.tMs < markerMs)), rssSeries(samples.filter((s) => s.tMs >= markerMs)));
}

/** The time and RSS columns of samples, as the comparison reads them. */
export function rssSeries(samples: readonly MemorySample[]): SeriesInput {
  return { tMs: samples.map((s) => s.tMs), rssBytes: samples.map((s) => s.rssBytes) };
}

function outcomeOf(b: Analysis, a: GrowthVerdict): FixOutcome {
  if (!isLeakClass(b.class)) return 'no-leak-before';
  if (a.class === 'unknown') return 'too-early';
  if (!isLeakClass(a.class)) return 'gone';
  // Both leak: "reduced" only when the after-slope is clearly under half the before-slope.
  const halfBefore = b.slopeBytesPerS / 2;
  return a.slopeBytesPerS + 2 * a.slopeUncertaintyBytesPerS < halfBefore ? 'reduced' : 'unchanged';
}

function explain(outcome: FixOutcome, b: Analysis, a: GrowthVerdict, sides: ComparedSides): string {
  const before = rateWithUncertainty(b.slopeBytesPerS, b.slopeUncertaintyBytesPerS);
  const rates = `${sides.before} ${before}, ${sides.after} ${rateWithUncertainty(a.slopeBytesPerS, a.slopeUncertaintyBytesPerS)}`;
  const afterVerdict = sides.afterSide ? `; ${sides.afterSide}: ${a.explanation}` : '';
  switch (outcome) {
    case 'gone':
      return `Leak gone: ${rates}${afterVerdict}`;
    case 'reduced':
      return `Leak reduced, not gone: ${rates}`;
    case 'unchanged':
      return `Leak not fixed: ${rates}`;
    case 'too-early':
      return `Too early to tell: ${b.class === 'stepwise-leak' ? 'stepwise' : 'steady'} leak ${sides.before} (${before})${afterVerdict}`;
    case 'no-leak-before':
      return `No leak to compare: ${sides.beforeSide}: ${b.explanation}`;
  }
}
