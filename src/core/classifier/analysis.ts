// One look at everything seen so far, as an expert reads a memory chart.
//  1. The baseline (lower envelope: the minimum of each run of buckets) is the memory the
//     program keeps; peaks above it are temporaries. Their typical height is the trace's
//     oscillation (GC sawtooth, batch temporaries), and the typical fall of memory its drops.
//  2. Growth still going at the end is read on three trailing windows: the whole trace, its last
//     half and its last quarter, each a least-squares slope with an error that holds under
//     autocorrelated noise (trendFit.ts), widened for growth by the slope a wander slower than the
//     window could give it unseen (growthUncertainty). A window shows a leak when its slope is above the bar
//     with probability ≥ 0.95 after a Bonferroni correction for the three windows, it saw two
//     drops or rose more than a typical drop, and no later window is surely flat (growth that
//     died out is a plateau). The bar is the process threshold (0.5% of its size per hour, and
//     no less than one allocator arena over the window: what the window resolves), raised so
//     that the rise over the window exceeds half the oscillation: one upswing of a sawtooth or a
//     noisy band is never a leak, a leak far above them is called in seconds.
//  3. Otherwise the last half is judged. No leak: its slope is under the threshold (or under the
//     raised bar while growth above the threshold is not shown at the leak level) and no window that still
//     counts is more likely growing than not (when the last half's fewer points leave it unsure,
//     the whole trace may say so instead, if no later window's slope is over its bar); or growth slowed to under 30% of the earlier rise
//     (a filled cache that creeps); or the trace is long (≥ 30 min, or ≥ 10 min with ≥ 8
//     independent pieces of information about its trend). "No leak" uses the window's own
//     residual correlation; "leak" the larger of that and the whole trace's, so a slow wander seen
//     through a short window never looks like a leak. No leak is spiky when peaks keep rising well
//     above the baseline, a plateau when the baseline rose before, flat otherwise.
//  4. Anything else is `unknown`, with how much more data should tell.
// Confidence is the statistical probability mapped through a calibration table measured on the
// tuning half of the corpus (calibration.ts).
import { GrowthClass, GrowthVerdict, isLeakClass } from '../model';
import { Bucket, BucketSeries } from './buckets';
import { calibrated } from './calibration';
import { bytes, duration, explanationOf, rateWithUncertainty, since } from './explain';
import { BaselineColumns, BaselineEnvelopes, BucketColumns, emptyColumns } from './points';
import { clamp, MAD_TO_SD, median, medianInPlace } from './robust';
import { ColumnPool, ScratchColumns } from './scratch';
import { SpikeAnalysis, detectSpikes, isSpiky } from './spikes';
import { FallColumns, findFalls } from './falls';
import { cyclesBetweenFalls, isSawtooth } from './sawtooth';
import { StepAnalysis, detectSteps } from './steps';
import { FitPool, TrendFit, emptyFit, fitTrend, fitTrendRange, rhoPerSecond, studentTCdf } from './trendFit';
import { Hinge, fitHinge } from './hinge';
import { ExcessMemo, SeriesMemo } from './memo';

export const MIN_SAMPLES = 10;
export const MIN_SPAN_MS = 20_000;
export const RELATIVE_LEAK_PER_HOUR = 0.005;
/** A leak needs this probability after correcting for the windows looked at. */
export const LEAK_PROBABILITY = 0.95;
export const NO_LEAK_PROBABILITY = 0.9;
/** A later window this surely flat says the growth of a longer one has died out. */
const DIED_OUT_PROBABILITY = 0.99;
/** A window growing with this probability (or more) rules out "no leak" on a short trace. */
const GROWTH_MORE_LIKELY = 0.5;
/**
 * Growth above the process threshold this likely (corrected for the windows) rules out "flat" by
 * the oscillation bar: the level at which growth counts as shown anywhere else (a leak's). At 3:1
 * odds, as before, a short spiky trace whose baseline moved a few hundred KB (1.5 σ) between its
 * 800 MB temporaries stayed "unknown" for ever after, its growth neither shown nor ruled out.
 */
const GROWING_ODDS = LEAK_PROBABILITY;
/**
 * Without two drops seen, the trace must be this long for any leak verdict: a GC
 * sawtooth with a period of tens of seconds rises steadily until its first collection.
 */
export const MIN_UNBROKEN_LEAK_MS = 45_000;
/** A trace holding this many independent pieces of information about its trend over ≥ 10 min is decided. */
const DECIDED_EFFECTIVE_POINTS = 8;
const DECIDED_SPAN_MS = 10 * 60_000;
/** Half an hour without a leak shown is a verdict (at the confidence the data give), not "unknown". */
const LONG_SPAN_MS = 30 * 60_000;
const WINDOW_FRACTIONS = [1, 0.5, 0.25] as const;
const MIN_WINDOW_POINTS = 10;
/** A window read one point per GC or batch cycle needs this many cycles. */
const MIN_CYCLE_POINTS = 5;
const MIN_CYCLE_BUCKETS = 3;
const MAX_POINTS = 64;
/** Envelope widths tried per window: ≤ 64 points, and ≤ 16 (4× wider minima, under a whole GC cycle). */
const ENVELOPE_POINTS = [MAX_POINTS, MAX_POINTS / 4] as const;
const CYCLE_RHO = 0.5;
const MIB = 1024 * 1024;
/**
 * Slow variation of the level that a window cannot see, as a share of the level (its standard
 * deviation). A level wandering on time scales as long as the window or longer (a server's
 * load, a cache's churn, a GC cycle longer than what was seen) moves the level over the window
 * while the residuals around its line show little of it (their lag-1 correlation cannot rise
 * above ~0.87 with 64 points, whatever the time constant), so the fit's own error cannot hold
 * it; only the process's size bounds it. 0.25%: the most the 1 MB/min-on-500 MB target (a leak
 * of 2% of the level in ten minutes under ±5 MB) leaves room for.
 */
const UNSEEN_WANDER_SHARE = 0.0025;
/**
 * The least-squares slope over a span T of a mean-reverting wander of sd s and time constant
 * T has sd 1.27·s/T (from its covariance s²·e^(−|Δt|/τ); slower wander moves less over T,
 * faster wander shows in the residuals).
 */
const UNSEEN_SLOPE_FACTOR = 1.27;
const PAGE_BYTES = 4096;
/**
 * Memory a process takes from the system in one go: CPython's allocator an arena (1 MiB since
 * 3.10), malloc an mmap'd block or its heap's top pad. Growth under one of them over a window is
 * the allocator's granularity, not a rate the window can resolve.
 */
const ALLOCATOR_QUANTUM_BYTES = 1024 * 1024;
/** A bucket needs this many readings for its range to say how noisy memory is. */
const MIN_NOISE_READINGS = 3;
/** A leak's rise over its window must exceed this share of the typical peak height (the median, so half the peaks are higher). */
const OSCILLATION_SHARE = 0.5;

/** Columns a look takes medians of, in reused buffers (see scratch.ts), by number. */
const work = new ScratchColumns();
const NOISE_RANGES = 0;
const FALL_INTERVALS = 2;
const INTERVAL_DEVIATIONS = 3;
const PEAK_HEIGHTS = 4;
const HALF_RESIDUALS = 5;
const WANDER_DEVIATIONS = 6;
/**
 * The fits of the two halves of the last baseline points asked for (their own correlation only),
 * each made when first asked: the whole trace's noise and its whole window's deceleration test
 * fit the halves of the same points. Filled in place; the look resets it.
 */
class HalfFits {
  private points: BaselineColumns | undefined;
  private readonly fits = [emptyFit(), emptyFit()];
  private readonly fitted = [false, false];

  /** The fit of the first (0) or second (1) half of the points: [0, n >> 1) or [n >> 1, n). */
  get(points: BaselineColumns, half: 0 | 1): TrendFit {
    if (points !== this.points) {
      this.points = points;
      this.fitted[0] = this.fitted[1] = false;
    }
    if (!this.fitted[half]) {
      const n = points.tMs.length;
      fitTrendRange(points.tMs, points.values, half ? n >> 1 : 0, half ? n : n >> 1, 0, this.fits[half]);
      this.fitted[half] = true;
    }
    return this.fits[half];
  }

  reset(): void {
    this.points = undefined;
  }
}
const halfFits = new HalfFits();
/** The columns of a look's baseline envelopes: the look resets it, they last to its end. */
const envelopeColumns = new ColumnPool();
/** A look's baseline envelopes, in those columns: the look resets them for its buckets. */
const lookEnvelopes = new BaselineEnvelopes([], envelopeColumns);
/** The columns of the falls a look's context finds (findFalls): they last to the look's end. */
const contextFalls = new ScratchColumns();
/** What each series' looks computed bucket by bucket, for its next look (memo.ts). */
const seriesMemos = new WeakMap<BucketSeries, SeriesMemo>();

function memoOf(series: BucketSeries): SeriesMemo {
  let memo = seriesMemos.get(series);
  if (!memo) {
    memo = new SeriesMemo();
    seriesMemos.set(series, memo);
  }
  return memo;
}
/** The fits of a look's windows: the look resets it, they last to its end (none is in its verdict). */
const windowFits = new FitPool();

/**
 * A look's window readings, handed out one after another and kept until `reset`, like their fits
 * (windowFits): an object of a dozen numbers per window, each boxed anew, was the largest thing a
 * look allocated (~1 KB of ~6 at a steady process). The look resets it; none is in its verdict
 * (the verdicts copy their numbers, and staircaseLeak makes a reading of its own).
 */
class WindowPool {
  private readonly readings: WindowReading[] = [];
  private used = 0;

  /** A reading to fill, free until the next reset; its fields are whatever was left there. */
  take(): WindowReading {
    const reading = (this.readings[this.used] ??= emptyReading());
    this.used++;
    return reading;
  }

  reset(): void {
    this.used = 0;
  }
}
const windowReadings = new WindowPool();
/**
 * The look's windows (readWindows) and which of them ended (endedWindows): read within the look,
 * filled anew by the next. Written by index and cut to length, never emptied: an array set to
 * length 0 lets go of its store, and the next element written made a new one.
 */
const lookWindows: WindowReading[] = [];
const endedFlags: boolean[] = [];

/**
 * The windows whose growth has not died out in a later one and that do not reach back before a
 * hold after a hinge, in their order: filled anew each look (a filter's array was made each time).
 */
class LiveWindows {
  private readonly windows: WindowReading[] = [];

  fill(windows: readonly WindowReading[], ended: readonly boolean[], held: WindowReading | undefined): readonly WindowReading[] {
    const live = this.windows;
    let count = 0;
    for (let i = 0; i < windows.length; i++) if (!ended[i] && !(held && windows[i].startMs < held.startMs)) live[count++] = windows[i];
    live.length = count;
    return live;
  }
}
const liveWindows = new LiveWindows();

/** Math.max(0, ...each live window's corrected leak probability), without the array and the spread: the same value, NaN included. */
function strongestLeak(live: readonly WindowReading[], looks: number): number {
  let strongest = 0;
  for (let i = 0; i < live.length; i++) strongest = Math.max(strongest, correctedProbability(live[i].leakProbability, looks));
  return strongest;
}

/** A reading to be filled (readWindow), with every field of the shape it is filled with. */
function emptyReading(): WindowReading {
  return {
    fraction: 0, startMs: 0, fromBucket: 0, fit: emptyFit(), decelerating: false, levelBytes: 0, drops: 0, thresholdBytesPerS: 0,
    relativeThresholdBytesPerS: 0, leakBarBytesPerS: 0, leakProbability: 0, fitLeakProbability: 0, noLeakProbability: 0,
  };
}

export interface Analysis extends GrowthVerdict {
  /** P(baseline grows faster than the leak threshold), under the fitted model, before calibration. */
  leakProbability: number;
  /** The statistical probability behind `confidence`, before calibration (0 for `unknown`). */
  rawConfidence: number;
  samples: number;
  spanMs: number;
  /** What was seen, as the explanation says it between its heading and its confidence (explain.ts). */
  finding: string;
  /**
   * A leak that no start-up explains: its window rose materially (as a plateau's rise must: far
   * above the trace's oscillation and noise, and 5% of the process) and the baseline shows no
   * bend towards slower growth, which a program loading at start comes to as it levels off.
   * False for any other verdict. Live sessions call such a leak even within a warm-up.
   */
  unbentLeak: boolean;
}

interface Context {
  buckets: readonly Bucket[];
  /** The buckets' minima, maxima and counts as columns (the series' memo keeps them). */
  columns: BucketColumns;
  samples: number;
  firstMs: number;
  lastMs: number;
  level: number;
  /** Typical height of peaks above the local baseline, bytes. */
  oscillation: number;
  /** Each bucket's local baseline: the least minimum within the spike radius (spikeRadius) of it (the first buckets.length values). */
  localMinima: Float64Array;
  /** The spikes' excesses of the series' earlier looks (spikes.ts). */
  excessMemo: ExcessMemo;
  /** Every bucket's minimum the same (no step to find). */
  minimaLevel: boolean;
  /** A fall of memory bigger than this is material (a collection, freed temporaries), bytes. */
  dropBytes: number;
  /** Median size of the material falls of memory seen (0 when none). */
  typicalDropBytes: number;
  /** Each bucket-to-bucket fall by more than `dropBytes` (findFalls' transitions from the first bucket): windows count theirs. */
  dropTransitions: FallColumns;
  /** Typical buckets between two falls (a GC or batch cycle), 1 when fewer than three falls. */
  cycleBuckets: number;
  /** Buckets per cycle of falls that come at a steady rhythm (a collector, a batch loop), 0 when none. */
  rhythmBuckets: number;
  /** The whole trace's residual autocorrelation per second. */
  rhoPerS: number;
  /** Robust sd of the whole trace's baseline around its halves' lines (or its hinge): how far its level wanders, bytes. */
  wanderBytes: number;
  points: BaselineColumns;
  /** The look's baseline points of every size and start, each made once. */
  envelopes: BaselineEnvelopes;
  effectivePoints: number;
  /** The best rise-then-change of the baseline (hinge.ts), if the points allow one. */
  hinge: Hinge | undefined;
}

interface WindowReading {
  fraction: number;
  startMs: number;
  fromBucket: number;
  fit: TrendFit;
  /** The second half of the window grows surely slower than half the first (a warm-up's tail). */
  decelerating: boolean;
  /** Median of the window's baseline, bytes. */
  levelBytes: number;
  /** Material drops of memory seen in the window (collections, freed temporaries). */
  drops: number;
  /** The process-relative threshold, and the leak bar (that, or the oscillation over the window). */
  thresholdBytesPerS: number;
  /**
   * The threshold without the floor of what the window resolves: "growth stopped" (a hold after a
   * hinge, a later window's died-out growth) needs a slope shown under this; a short window's
   * floor is no evidence that a rise levelled off.
   */
  relativeThresholdBytesPerS: number;
  leakBarBytesPerS: number;
  /**
   * P(slope > leak bar), with the wander the window cannot see (growthUncertainty), and the
   * probability of no leak (see noLeakProbability).
   */
  leakProbability: number;
  /** P(slope > leak bar) by the fit alone: which window shows a leak best (the unseen wander weighs most on the short ones). */
  fitLeakProbability: number;
  noLeakProbability: number;
}

/**
 * The slowest growth that is a leak: 0.5% of the process's level an hour, or the slowest the
 * window can resolve when that is more (no fixed floor: 1 KiB/s, as it was, is 86 MB a day,
 * more than a small process's whole size).
 */
export function leakThresholdBytesPerS(levelBytes: number, resolvableBytesPerS = 0): number {
  return Math.max(resolvableBytesPerS, (levelBytes * RELATIVE_LEAK_PER_HOUR) / 3600);
}

/**
 * Too little data for any verdict: the look is then O(1) and only counts what is still needed.
 * A window's trend needs ten baseline points, i.e. ten buckets: irregular sampling can put ten
 * readings over 20 s into fewer (the analysis then had no window at all and threw).
 */
export function isTooShort(series: BucketSeries): boolean {
  return series.sampleCount < MIN_SAMPLES || series.lastMs - series.firstMs < MIN_SPAN_MS || series.buckets.length < MIN_WINDOW_POINTS;
}

export function analyze(series: BucketSeries): Analysis {
  if (isTooShort(series)) return tooShort(series);
  const ctx = context(series);
  const windows = readWindows(ctx);
  const steps = detectSteps(ctx.buckets, ctx.level, ctx.minimaLevel);
  // Windows whose growth has not died out in a later one, and that are not themselves the slow end
  // of a longer window's growth (the tail of a warm-up); the strongest sets the hysteresis too.
  // Growth that stopped at a hinge is no leak in any window reaching back before it.
  const held = heldTail(ctx, steps);
  const ended = endedWindows(windows, steps);
  const live = liveWindows.fill(windows, ended, held);
  // A staircase's halves differ by whole steps: its rate is judged by the step detector instead.
  const leak = leakWindow(ctx, windows, live, steps.stepwise) ?? staircaseLeak(ctx, windows, live, steps);
  const leakProbability = strongestLeak(live, windows.length);
  // The verdicts below are made for this look: completed in place, not copied (a look's largest objects).
  if (leak) {
    const found = steps.stepwise ? stepwiseLeak(ctx, leak, steps) : steadyLeak(ctx, leak);
    found.unbentLeak = isUnbent(ctx, leak);
    return found;
  }
  const found = noLeakOrUndecided(ctx, windows, leakProbability, held);
  found.leakProbability = leakProbability;
  return found;
}

/**
 * Growth that rose materially over the leak window and bends nowhere towards slower growth: the
 * best two-piece line (hinge.ts) does not beat one line by its likelihood-ratio test, or its
 * second piece keeps at least half the first's rate (the "decelerating" test's half: on a quiet
 * trace the test finds bends of a few percent that are no levelling off). A start-up transient
 * rises and levels off: it bends, or it has not yet risen materially.
 */
function isUnbent(ctx: Context, leak: WindowReading): boolean {
  const hinge = ctx.hinge;
  const bends = hinge !== undefined && hinge.evidence > 0 && hinge.slopeAfterBytesPerS < 0.5 * hinge.slopeBeforeBytesPerS;
  const rise = (leak.fit.bytesPerS * leak.fit.spanMs) / 1000;
  return !bends && !leak.decelerating && rise > materialRise(ctx, leak);
}

/**
 * The window after a hinge (hinge.ts) in the baseline, when the hinge beats one line and the
 * growth after it has surely (P ≥ 0.99, the "died out" level) fallen under the larger of the
 * process threshold and 30% of the rate before: a cache that filled and now holds, or creeps;
 * not when the tail alone more likely than not grows faster than a leak's bar (a leak that
 * slowed after a sudden load is still a leak).
 * A staircase's tread is flat by nature, so a tail shorter than two of its steps says nothing.
 */
function heldTail(ctx: Context, steps: StepAnalysis): WindowReading | undefined {
  const hinge = ctx.hinge;
  if (!hinge || hinge.evidence <= 0 || !(hinge.slopeBeforeBytesPerS > 0)) return undefined;
  const from = firstBucketFrom(ctx.buckets, hinge.knotMs);
  if (ctx.buckets.length - from < MIN_WINDOW_POINTS) return undefined;
  const tail = readWindow(ctx, (ctx.lastMs - hinge.knotMs) / Math.max(ctx.lastMs - ctx.firstMs, 1), from);
  if (!tail || (steps.stepwise && tail.fit.spanMs < 2 * steps.medianIntervalMs) || tail.leakProbability >= GROWTH_MORE_LIKELY) return undefined;
  const bar = Math.max(tail.relativeThresholdBytesPerS, 0.3 * hinge.slopeBeforeBytesPerS);
  const df = Math.max(1, tail.fit.effectivePoints - 2);
  return studentTCdf((bar - tail.fit.bytesPerS) / tail.fit.uncertaintyBytesPerS, df) >= DIED_OUT_PROBABILITY ? tail : undefined;
}

/**
 * No leak needs the last half confidently below the bars, and no window whose growth still
 * counts (not died out since) more likely growing than not: "flat" beside a window at 0.98
 * would contradict itself. Long traces are decided anyway, at the confidence the data give.
 */
function noLeakOrUndecided(ctx: Context, windows: readonly WindowReading[], leakProbability: number, held: WindowReading | undefined): Analysis {
  const half = windows.find((w) => w.fraction === 0.5) ?? windows[0];
  const spanMs = ctx.lastMs - ctx.firstMs;
  // Read at every look, not only from 10 min on: a read first met late in a watch (see dropThreshold).
  const informative = ctx.effectivePoints >= DECIDED_EFFECTIVE_POINTS;
  const decidedByLength = spanMs >= LONG_SPAN_MS || (spanMs >= DECIDED_SPAN_MS && informative);
  const judged = noLeakWindow(windows, half);
  const confidentlyFlat = judged !== undefined && leakProbability < GROWTH_MORE_LIKELY;
  const rise = risenBy(ctx, half);
  const roseMaterially = rise > materialRise(ctx, half);
  // A rise that held after a hinge is a plateau read on the hold itself.
  const heldRise = held ? risenBy(ctx, held) : 0;
  const hold = held && heldRise > materialRise(ctx, held) ? held : undefined;
  if (!confidentlyFlat && !decidedByLength) {
    if (hold) return plateau(ctx, hold, heldRise);
    if (roseMaterially && levelledOff(ctx, half, rise)) return plateau(ctx, half, rise);
    return undecided(ctx, half);
  }
  const spikes = detectSpikes(ctx.buckets, half.fromBucket, half.fit.endValue, half.fit.sigmaBytes, spikeRadius(ctx), ctx.localMinima, ctx.excessMemo, ctx.columns);
  const stated = judged ?? half;
  // Spikes on a hold are a plateau's texture when what stayed rose above the tallest of them.
  const retained = Math.max(hold ? heldRise : 0, roseMaterially ? rise : 0);
  if (isSpiky(spikes) && !(retained > spikes.maxHeightBytes)) return collectorSawtooth(ctx, half, spikes) && !hold && !roseMaterially ? flat(ctx, stated) : spiky(ctx, stated, spikes);
  if (hold) return plateau(ctx, hold, heldRise);
  if (roseMaterially) return plateau(ctx, half, rise);
  return flat(ctx, stated);
}

/**
 * The window that says "no leak": the last half when it is confidently under the bars; else the
 * whole trace when it is, and no later window even points to growth (each one's slope more likely
 * under its leak bar than over it). A later window holds fewer points, so its error is wider: left
 * to itself it kept a steady sawtooth open for minutes (its half's ±9 MB/min beside the whole
 * trace's ±3), though nothing in it suggested a change. Growth that did start late shows in the
 * later windows' slopes, and keeps the trace open as before.
 */
function noLeakWindow(windows: readonly WindowReading[], half: WindowReading): WindowReading | undefined {
  if (half.noLeakProbability >= NO_LEAK_PROBABILITY) return half;
  const whole = windows[0];
  if (whole.fraction !== 1 || whole.noLeakProbability < NO_LEAK_PROBABILITY) return undefined;
  return windows.every((w) => w.leakProbability < GROWTH_MORE_LIKELY) ? whole : undefined;
}

/**
 * Spikes that are a collector's sawtooth: the cycles between falls as tall as a spike climb
 * evenly and fall back to one floor (sawtooth.ts). Such a trace is flat, never read as a plateau
 * or a leak on that ground: where its baseline rose or held, it stays spiky.
 */
function collectorSawtooth(ctx: Context, half: WindowReading, spikes: SpikeAnalysis): boolean {
  return isSawtooth(cyclesBetweenFalls(ctx.buckets, half.fromBucket, spikes.thresholdBytes, ctx.columns));
}

function risenBy(ctx: Context, w: WindowReading): number {
  return w.levelBytes - startLevel(ctx, w);
}

function materialRise(ctx: Context, w: WindowReading): number {
  return Math.max(0.05 * ctx.level, 4 * w.fit.sigmaBytes, 2 * ctx.oscillation, MIB);
}

/**
 * Growth that has slowed to under 30% of the rate memory rose at before the last half (P ≥ 0.9)
 * has levelled off, even where what is left is still above the process threshold: a loader or a
 * cache that filled and now creeps. The same 30% as the leak windows' "died out" test; a real
 * leak under it was tested first and not proven.
 */
function levelledOff(ctx: Context, half: WindowReading, rise: number): boolean {
  const beforeS = (half.startMs - ctx.firstMs) / 1000;
  if (beforeS <= 0) return false;
  const earlierRate = rise / beforeS;
  const df = Math.max(1, half.fit.effectivePoints - 2);
  return studentTCdf((0.3 * earlierRate - half.fit.bytesPerS) / half.fit.ownUncertaintyBytesPerS, df) >= NO_LEAK_PROBABILITY;
}

function context(series: BucketSeries): Context {
  const buckets = series.buckets;
  const memo = memoOf(series);
  memo.begin(series);
  const envelopes = lookEnvelopes;
  envelopes.reset(buckets, memo.columns);
  windowFits.reset();
  windowReadings.reset();
  halfFits.reset();
  const points = envelopes.get(MAX_POINTS);
  const level = median(points.values);
  const hinge = fitHinge(points);
  const whole = wholeTraceNoise(points, hinge);
  const localMinima = memo.localMinima(buckets, spikeRadiusFor(buckets.length));
  const columns = memo.columns;
  const osc = oscillation(buckets.length, columns.max, localMinima);
  const dropBytes = dropThreshold(buckets.length, columns, osc);
  const { falls: seen, transitions } = findFalls(buckets, 0, dropBytes, contextFalls, columns);
  // Filled in the order the literal it replaced was written (see lookContext).
  const ctx = lookContext;
  ctx.buckets = buckets;
  ctx.columns = columns;
  ctx.samples = series.sampleCount;
  ctx.firstMs = series.firstMs;
  ctx.lastMs = series.lastMs;
  ctx.level = level;
  ctx.oscillation = osc;
  ctx.localMinima = localMinima;
  ctx.excessMemo = memo.excess;
  ctx.minimaLevel = memo.minimaLevel(buckets);
  ctx.dropBytes = dropBytes;
  ctx.typicalDropBytes = transitions.bytes.length ? median(transitions.bytes) : 0;
  ctx.dropTransitions = transitions;
  ctx.cycleBuckets = cycleLength(transitions.bucket);
  ctx.rhythmBuckets = rhythmOf(seen.bucket);
  ctx.rhoPerS = whole.rhoPerS;
  ctx.wanderBytes = whole.wanderBytes;
  ctx.points = points;
  ctx.envelopes = envelopes;
  ctx.effectivePoints = whole.effectivePoints;
  ctx.hinge = hinge;
  return ctx;
}

/**
 * The context of the look under way, filled in place by `context`: an object of twenty fields,
 * half of them numbers boxed anew, was made each look. Nothing keeps it past the look (the
 * verdicts copy its numbers). Made with every field of the kind it is filled with (fractions
 * where fractions come: see newBucket in buckets.ts for why).
 */
const lookContext: Context = {
  buckets: [], columns: emptyColumns(0), samples: NaN, firstMs: NaN, lastMs: NaN, level: NaN, oscillation: NaN, localMinima: new Float64Array(0),
  excessMemo: new SeriesMemo().excess, minimaLevel: false, dropBytes: NaN, typicalDropBytes: NaN, dropTransitions: { bucket: new Float64Array(0), bytes: new Float64Array(0) },
  cycleBuckets: NaN, rhythmBuckets: NaN, rhoPerS: NaN, wanderBytes: NaN, points: { tMs: new Float64Array(0), values: new Float64Array(0) },
  envelopes: lookEnvelopes, effectivePoints: NaN, hinge: undefined,
};

/**
 * The noise's correlation, measured on the whole trace: residuals of a line fitted to each half
 * on its own (a warm-up bend or a late leak then leaves little misfit, a slow wander stays), or
 * around the hinge when one beats a single line and fits better than the halves do (a bend late
 * in the trace would leave the halves' misfit, which is not noise).
 */
function wholeTraceNoise(points: BaselineColumns, hinge: Hinge | undefined): { rhoPerS: number; effectivePoints: number; wanderBytes: number } {
  const n = points.tMs.length;
  if (n < 2 * MIN_WINDOW_POINTS) return { rhoPerS: 0, effectivePoints: n, wanderBytes: 0 };
  const mid = n >> 1;
  const t = points.tMs;
  const halves = work.get(HALF_RESIDUALS, n);
  halfResiduals(points, 0, 0, mid, halves);
  halfResiduals(points, 1, mid, n, halves);
  let halvesRss = 0;
  for (let i = 0; i < n; i++) halvesRss += halves[i] * halves[i];
  const residuals = hinge && hinge.evidence > 0 && hinge.rss < halvesRss ? hinge.residuals : halves;
  const rhoPerS = rhoPerSecond(t, residuals);
  const spacingS = (t[n - 1] - t[0]) / 1000 / (n - 1);
  const rho = rhoPerS > 0 ? Math.pow(rhoPerS, spacingS) : 0;
  const deviations = work.get(WANDER_DEVIATIONS, n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(residuals[i]);
  return { rhoPerS, effectivePoints: (n * (1 - rho)) / (1 + rho), wanderBytes: MAD_TO_SD * medianInPlace(deviations) };
}

/** Residuals of the points of one half, [from, to), around its own line, into `out` at the same indexes. */
function halfResiduals(points: BaselineColumns, half: 0 | 1, from: number, to: number, out: Float64Array): void {
  const { tMs, values } = points;
  const fit = halfFits.get(points, half);
  const tEnd = tMs[to - 1];
  for (let i = from; i < to; i++) out[i] = values[i] - (fit.endValue - (fit.bytesPerS * (tEnd - tMs[i])) / 1000);
}

/** Typical height of a bucket's peak above the local baseline around it, from the first `count` buckets' maxima. */
function oscillation(count: number, maxima: Float64Array, localMinima: Float64Array): number {
  const heights = work.get(PEAK_HEIGHTS, count);
  for (let i = 0; i < count; i++) heights[i] = maxima[i] - localMinima[i];
  return medianInPlace(heights);
}

function spikeRadiusFor(bucketCount: number): number {
  return Math.max(2, 2 * Math.ceil(bucketCount / MAX_POINTS));
}

function spikeRadius(ctx: Context): number {
  return spikeRadiusFor(ctx.buckets.length);
}

/** No points: a window without a rhythm to read one point per cycle by. */
const NO_POINTS: BaselineColumns = { tMs: new Float64Array(0), values: new Float64Array(0) };

function readWindows(ctx: Context): WindowReading[] {
  const span = ctx.lastMs - ctx.firstMs;
  const out = lookWindows;
  let count = 0;
  for (const fraction of WINDOW_FRACTIONS) {
    const startMs = ctx.lastMs - fraction * span;
    const from = fraction === 1 ? 0 : firstBucketFrom(ctx.buckets, startMs);
    const reading = readWindow(ctx, fraction, from);
    if (reading) out[count++] = reading;
  }
  out.length = count;
  return out;
}

function firstBucketFrom(buckets: readonly Bucket[], tMs: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (buckets[mid].firstMs < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The window's baseline: ≤ 64 points, or ≤ 16 (minima 4× wider, under a whole GC cycle) when the
 * narrow envelope's residuals are strongly correlated, i.e. it still follows the sawtooth. The
 * choice is a model check that never looks at the slope (choosing the smaller uncertainty would
 * pick the candidates whose uncertainty happens to be underestimated).
 */
function readWindow(ctx: Context, fraction: number, from: number): WindowReading | undefined {
  const buckets = ctx.buckets;
  let best: TrendFit | undefined;
  let bestPoints: BaselineColumns | undefined;
  let levelBytes = NaN;
  // A baseline point spans at least one cycle, so that its minimum is a trough, not a point on
  // the way up a sawtooth (a cycle of a few buckets leaves its residuals uncorrelated, and the
  // correlation check below would not see it).
  const cycles = Math.floor((buckets.length - from) / ctx.cycleBuckets);
  const drops = transitionsAfter(ctx.dropTransitions, from);
  for (const widest of ENVELOPE_POINTS) {
    let points = ctx.envelopes.get(Math.min(widest, cycles), from);
    // Fewer than ten cycles: narrower minima would follow a steady sawtooth up its ramps (a 9-s
    // GC cycle read from 1-s minima had a baseline scatter of its whole amplitude), so one point
    // per cycle of the rhythm while the window holds five; the fewer points' t distribution says
    // how sure the trend is. Cycles under three buckets leave the narrow minima near their troughs.
    const rhythmCycles = ctx.rhythmBuckets >= MIN_CYCLE_BUCKETS ? Math.floor((buckets.length - from) / ctx.rhythmBuckets) : 0;
    const perCycle = points.tMs.length < MIN_WINDOW_POINTS && rhythmCycles >= MIN_CYCLE_POINTS ? ctx.envelopes.get(Math.min(widest, rhythmCycles), from) : NO_POINTS;
    // Told by a flag, not by identity: the shared envelopes may hand out the same columns twice.
    const onePerCycle = points.tMs.length < MIN_WINDOW_POINTS && perCycle.tMs.length >= MIN_CYCLE_POINTS;
    if (points.tMs.length < MIN_WINDOW_POINTS) points = onePerCycle ? perCycle : ctx.envelopes.get(widest, from);
    if (points.tMs.length < MIN_WINDOW_POINTS && !onePerCycle) break;
    const fit = fitTrend(points.tMs, points.values, ctx.rhoPerS, windowFits.take());
    // The whole trace's points are the context's own (shared envelopes): their median is its level.
    if (Number.isNaN(levelBytes)) levelBytes = points === ctx.points ? ctx.level : median(points.values);
    best = fit;
    bestPoints = points;
    // Residuals that move together mean the envelope still follows a cycle (a sawtooth): widen it.
    if (fit.ownRho < CYCLE_RHO) break;
  }
  if (!best || !bestPoints) return undefined;
  const windowS = Math.max((ctx.lastMs - buckets[from].firstMs) / 1000, 1);
  const threshold = leakThresholdBytesPerS(ctx.level, ALLOCATOR_QUANTUM_BYTES / windowS);
  const leakBar = Math.max(threshold, (OSCILLATION_SHARE * ctx.oscillation) / windowS);
  const df = Math.max(1, best.effectivePoints - 2);
  // Filled in place, in the order the literal it replaced was written (see WindowPool).
  const w = windowReadings.take();
  w.fraction = fraction;
  w.startMs = buckets[from].firstMs;
  w.fromBucket = from;
  w.fit = best;
  w.decelerating = isDecelerating(bestPoints);
  w.levelBytes = levelBytes;
  w.drops = drops;
  w.thresholdBytesPerS = threshold;
  w.relativeThresholdBytesPerS = leakThresholdBytesPerS(ctx.level);
  w.leakBarBytesPerS = leakBar;
  w.leakProbability = studentTCdf((best.bytesPerS - leakBar) / growthUncertainty(best, ctx), df);
  w.fitLeakProbability = studentTCdf((best.bytesPerS - leakBar) / best.uncertaintyBytesPerS, df);
  w.noLeakProbability = noLeakProbability(best, threshold, leakBar, df);
  return w;
}

/**
 * The error growth is judged by: the fit's, and the slope the wander a window cannot see could
 * give it, with the fit's degrees of freedom (the conservative choice for a sum of a known and an
 * estimated variance: a window whose fit rests on a few independent points stays that unsure).
 * The wander is 0.25% of the level, or what the whole trace shows of it when that is more and the
 * trace (≥ 30 min) has seen it vary: the relative bar alone let a 1%-sd wander of a 64 MB or a
 * 1.5 GB process through as a leak one time in forty. Not on shorter traces, where a staircase's
 * or a warm-up's misfit around the halves' lines would read as wander.
 */
function growthUncertainty(fit: TrendFit, ctx: Context): number {
  // Read at every look, not only from 30 min on: a read first met late in a watch (see dropThreshold).
  const seenWander = ctx.wanderBytes;
  const wander = Math.max(UNSEEN_WANDER_SHARE * ctx.level, ctx.lastMs - ctx.firstMs >= LONG_SPAN_MS ? seenWander : 0);
  const unseen = (UNSEEN_SLOPE_FACTOR * wander) / Math.max(fit.spanMs / 1000, 1);
  return Math.hypot(fit.uncertaintyBytesPerS, unseen);
}

/**
 * "No leak here": the slope is below the process threshold, or — while growth above that
 * threshold is not shown at the leak level (after the correction for the windows) — below the bar
 * a leak would have to clear (its rise under the trace's oscillation). So a short noisy flat trace
 * is called flat, while 1.3 ± 0.2 MB/min, or a slow leak shown inside the noise, is never called
 * flat. With the window's own correlation.
 */
function noLeakProbability(fit: TrendFit, threshold: number, leakBar: number, df: number): number {
  const se = fit.ownUncertaintyBytesPerS;
  const underThreshold = studentTCdf((threshold - fit.bytesPerS) / se, df);
  // Growth seen in one of the windows looked at is corrected for their number, as a leak is.
  if (correctedProbability(1 - underThreshold, WINDOW_FRACTIONS.length) >= GROWING_ODDS) return underThreshold;
  return Math.max(underThreshold, studentTCdf((leakBar - fit.bytesPerS) / se, df));
}

/**
 * Growth whose rate is falling away: the window's second half grows, at P ≥ 0.9, less than half as
 * fast as its first, which grows itself. A leak keeps its rate; a warm-up's tail (a cache or a
 * table loading on a levelling curve) loses it, and is no leak however fast it still grows.
 */
function isDecelerating(points: BaselineColumns): boolean {
  const mid = points.tMs.length >> 1;
  if (mid < MIN_WINDOW_POINTS / 2) return false;
  const first = halfFits.get(points, 0);
  // A first half that does not grow (t ≤ 0: P ≤ 0.5) fails the test below whatever the second does.
  if (!(first.bytesPerS > 0)) return false;
  const second = halfFits.get(points, 1);
  const df = Math.max(1, Math.min(first.effectivePoints, second.effectivePoints) - 2);
  const se = Math.hypot(second.ownUncertaintyBytesPerS, 0.5 * first.ownUncertaintyBytesPerS);
  const firstGrows = studentTCdf(first.bytesPerS / first.ownUncertaintyBytesPerS, df) >= NO_LEAK_PROBABILITY;
  return firstGrows && studentTCdf((0.5 * first.bytesPerS - second.bytesPerS) / se, df) >= NO_LEAK_PROBABILITY;
}

/**
 * The window that shows a leak, among those whose growth has not died out: corrected probability
 * ≥ 0.95, and a trace that has seen a cycle or lasted long enough.
 */
function leakWindow(ctx: Context, windows: readonly WindowReading[], live: readonly WindowReading[], stepwise: boolean): WindowReading | undefined {
  const whole = windows[0];
  if (whole.fit.spanMs < MIN_UNBROKEN_LEAK_MS && whole.drops < 2) return undefined;
  let best: WindowReading | undefined;
  for (const w of live) {
    const corrected = correctedProbability(w.leakProbability, windows.length);
    if (corrected < LEAK_PROBABILITY || !clearsDrops(w, ctx) || (w.decelerating && !stepwise)) continue;
    if (!best || w.fitLeakProbability > best.fitLeakProbability) best = w;
  }
  return best;
}

/**
 * A staircase's rate from its kept steps: a line through a staircase leaves residuals that are
 * the treads themselves, so the line's error counts a few "independent points" (n_eff ≈ 2, a
 * Student t with one degree of freedom) however many steps were kept, and 26 steps of 64 MB over
 * 40 min read as a plateau. The steps are the evidence: n steps of sizes x_i at random times over
 * T are a compound Poisson sum, whose total Σx_i has variance Σx_i² (a step more or less, each
 * of its own size), so the rate Σx_i / T has the error √(Σx_i²) / T, with n − 1 degrees of
 * freedom. Read on the last half (growth still going at the end), from at least three of its
 * steps, only for a staircase the step detector found (flat treads ≥ 19:1 over a ramp, steps
 * recurring to the end), whose last half is live (no later window says growth died out, no hold
 * after a hinge), more likely than not grows past the leak bar by its own fit, and has not
 * levelled off (a cache that filled in steps and now creeps is a plateau).
 */
function staircaseLeak(ctx: Context, windows: readonly WindowReading[], live: readonly WindowReading[], steps: StepAnalysis): WindowReading | undefined {
  const half = windows.find((w) => w.fraction === 0.5);
  if (!steps.stepwise || !half || !live.includes(half) || half.leakProbability < GROWTH_MORE_LIKELY || !clearsDrops(half, ctx)) return undefined;
  if (levelledOff(ctx, half, risenBy(ctx, half))) return undefined;
  const kept = steps.jumps.filter((j) => j.tMs >= half.startMs);
  if (kept.length < 3) return undefined;
  const spanS = (ctx.lastMs - half.startMs) / 1000;
  const total = kept.reduce((a, j) => a + j.bytes, 0);
  const se = Math.sqrt(kept.reduce((a, j) => a + j.bytes * j.bytes, 0)) / spanS;
  const probability = studentTCdf((total / spanS - half.leakBarBytesPerS) / se, kept.length - 1);
  if (correctedProbability(probability, windows.length) < LEAK_PROBABILITY) return undefined;
  return { ...half, leakProbability: probability, fit: { ...half.fit, bytesPerS: total / spanS, uncertaintyBytesPerS: se } };
}

/**
 * A material fall: more than half the trace's oscillation, and more than the noise memory shows
 * within a bucket (twice its median range: noise alone rarely falls that far from one bucket's
 * peak to a later trough). Up to 1 MiB: larger processes keep the floor they were tuned with; a
 * small quiet one (a 12 MB worker with a 0.5 MB GC sawtooth) has its collections seen. Buckets of
 * one or two readings show no noise of their own, and keep the 1 MiB floor.
 */
function dropThreshold(count: number, columns: BucketColumns, oscillationBytes: number): number {
  // Every step below runs at every look, whatever the buckets hold: the ranges of noisy buckets
  // are kept by advancing past them, and their median is taken even when too few count. Kept
  // under conditions, the reads of a bucket's range and the median first ran when the 512-s
  // coarsening made buckets of four readings; optimized code with no feedback for them gave up
  // there at every look, for up to 500 looks of 100 watched processes before V8 compiled the
  // look's context again (lookSteady.ts: ~100 µs a look in minutes 8–10, ~35 without; issue 16).
  // A read or a call that only a long trace reaches is written to run at every look for this.
  const all = work.get(NOISE_RANGES, count);
  const { min, max, count: readings } = columns;
  let noisy = 0;
  for (let i = 0; i < count; i++) {
    all[noisy] = max[i] - min[i];
    noisy += readings[i] >= MIN_NOISE_READINGS ? 1 : 0;
  }
  // Selected in place: the ranges are this function's own buffer, and a median does not depend on their order.
  const ranges = work.get(NOISE_RANGES, noisy);
  const noiseFloorOfRanges = Math.min(MIB, 2 * medianInPlace(ranges));
  const noiseFloor = noisy > count / 2 ? noiseFloorOfRanges : MIB;
  return Math.max(noiseFloor, 0.5 * oscillationBytes, PAGE_BYTES);
}

/** How many of the transitions come after bucket `from`: findFalls(buckets, from, bytes).transitions.length, without making them again. */
function transitionsAfter(transitions: FallColumns, from: number): number {
  let count = 0;
  for (let i = 0; i < transitions.bucket.length; i++) if (transitions.bucket[i] > from) count++;
  return count;
}

/** Typical buckets between two falls (a GC or batch cycle), 1 when fewer than three falls; by the falls' buckets. */
function cycleLength(fallBuckets: Float64Array): number {
  if (fallBuckets.length < 3) return 1;
  return cycleOfMedianInterval(medianInPlace(intervals(fallBuckets)));
}

function cycleOfMedianInterval(typical: number): number {
  return Math.max(1, Math.round(typical));
}

/** Buckets between consecutive falls, by their buckets; the buffer is reused by the next call. */
function intervals(fallBuckets: Float64Array): Float64Array {
  const out = work.get(FALL_INTERVALS, Math.max(fallBuckets.length - 1, 0));
  for (let k = 1; k < fallBuckets.length; k++) out[k - 1] = fallBuckets[k] - fallBuckets[k - 1];
  return out;
}

/**
 * Falls at a steady rhythm: the median absolute deviation of the intervals between them is at most
 * a quarter of their median. A collector or a batch loop keeps its period (a 9-s cycle in 1-s
 * buckets: 9 ± 1; a 2.5-s one alternates 2 and 3); falls that noise produces come at random,
 * their intervals spread like a geometric distribution's (noise at 1 Hz: 3 ± 1, and wider).
 * Their cycle (cycleLength) when regular, else 0: from the median the test took, not the
 * intervals made and selected again.
 */
function rhythmOf(fallBuckets: Float64Array): number {
  if (fallBuckets.length < MIN_CYCLE_POINTS) return 0;
  const gaps = intervals(fallBuckets);
  // In place: the deviations below are a multiset too, their median the same in any order.
  const typical = medianInPlace(gaps);
  const deviations = work.get(INTERVAL_DEVIATIONS, gaps.length);
  for (let k = 0; k < gaps.length; k++) deviations[k] = Math.abs(gaps[k] - typical);
  return medianInPlace(deviations) <= typical / 4 ? cycleOfMedianInterval(typical) : 0;
}

/**
 * Memory that has been seen to fall back by D at once can rise by D in one cycle: a window that
 * saw fewer than two such falls must rise by more than the typical fall to count as growth.
 */
function clearsDrops(w: WindowReading, ctx: Context): boolean {
  return w.drops >= 2 || (w.fit.bytesPerS * w.fit.spanMs) / 1000 > ctx.typicalDropBytes;
}

function correctedProbability(p: number, looks: number): number {
  return Math.max(0, 1 - looks * (1 - p));
}

/**
 * The windows whose growth ended, by index: a later window whose slope says a longer one's growth
 * died out (diedOut) rules out both, the longer one and the later one (the slow end of that
 * growth). Each pair is judged once.
 */
function endedWindows(windows: readonly WindowReading[], steps: StepAnalysis): boolean[] {
  const ended = endedFlags;
  ended.length = windows.length;
  ended.fill(false);
  for (let longer = 0; longer < windows.length; longer++) {
    for (let later = 0; later < windows.length; later++) {
      const died = windows[later].fraction < windows[longer].fraction && diedOut(windows[later], windows[longer], steps);
      // Written at every look, not only once a window has died out: see dropThreshold.
      ended[longer] = ended[longer] || died;
      ended[later] = ended[later] || died;
    }
  }
  return ended;
}

/**
 * A later window surely under 30% of a longer one's slope: that growth has stopped. A stepwise
 * leak's tread is flat by nature, so windows shorter than two steps do not say so.
 */
function diedOut(later: WindowReading, leak: WindowReading, steps: StepAnalysis): boolean {
  if (steps.stepwise && later.fit.spanMs < 2 * steps.medianIntervalMs) return false;
  const bar = Math.max(leak.relativeThresholdBytesPerS, 0.3 * leak.fit.bytesPerS);
  const df = Math.max(1, later.fit.effectivePoints - 2);
  // Strong evidence only: a veto throws away a longer window's evidence of growth.
  return studentTCdf((bar - later.fit.bytesPerS) / later.fit.uncertaintyBytesPerS, df) >= DIED_OUT_PROBABILITY;
}

/** When the baseline reached the plateau and stayed there: the start of the last run near its level. */
function levelledOffAt(ctx: Context, level: number, sigma: number): number {
  const tolerance = Math.max(4 * sigma, 0.01 * level, ctx.oscillation, MIB);
  const { tMs, values } = ctx.points;
  let i = tMs.length - 1;
  while (i > 0 && values[i - 1] >= level - tolerance) i--;
  return tMs[i];
}

/** Where memory started: the lowest baseline before the window (a warm-up rises from there). */
function startLevel(ctx: Context, w: WindowReading): number {
  let low = Infinity;
  const { tMs, values } = ctx.points;
  for (let i = 0; i < tMs.length; i++) if (tMs[i] < w.startMs) low = Math.min(low, values[i]);
  return Number.isFinite(low) ? low : values[0];
}

function verdict(ctx: { samples: number; firstMs: number; lastMs: number }, cls: GrowthClass, confidence: number, w: WindowReading | undefined, finding: string): Analysis {
  const stated = cls === 'unknown' ? 0 : clamp(confidence, 0, 1);
  return {
    class: cls,
    confidence: stated,
    rawConfidence: cls === 'unknown' || !w ? 0 : isLeakClass(cls) ? correctedProbability(w.leakProbability, WINDOW_FRACTIONS.length) : w.noLeakProbability,
    slopeBytesPerS: w ? w.fit.bytesPerS : 0,
    slopeUncertaintyBytesPerS: w ? w.fit.uncertaintyBytesPerS : 0,
    regimeStartMs: w ? w.startMs : Number.isFinite(ctx.firstMs) ? ctx.firstMs : 0,
    explanation: explanationOf(cls, stated, finding),
    finding,
    leakProbability: w ? w.leakProbability : 0,
    samples: ctx.samples,
    spanMs: ctx.lastMs - ctx.firstMs,
    unbentLeak: false,
  };
}

function rate(w: WindowReading): string {
  return rateWithUncertainty(w.fit.bytesPerS, w.fit.uncertaintyBytesPerS);
}

function leakConfidence(w: WindowReading): number {
  return calibrated('leak', correctedProbability(w.leakProbability, WINDOW_FRACTIONS.length));
}

function steadyLeak(ctx: Context, w: WindowReading): Analysis {
  const confidence = leakConfidence(w);
  const text = `baseline grows ${rate(w)} ${since(w.startMs, ctx.firstMs)}`;
  return verdict(ctx, 'steady-leak', confidence, w, text);
}

function stepwiseLeak(ctx: Context, w: WindowReading, steps: StepAnalysis): Analysis {
  const confidence = leakConfidence(w);
  const text =
    `baseline rises in ${steps.jumps.length} steps of about ${bytes(steps.medianJumpBytes)} ` +
    `(every ${duration(steps.medianIntervalMs)}), ${rate(w)} ${since(w.startMs, ctx.firstMs)}`;
  return verdict(ctx, 'stepwise-leak', confidence, w, text);
}

function noLeakConfidence(w: WindowReading): number {
  return calibrated('no-leak', w.noLeakProbability);
}

function spiky(ctx: Context, w: WindowReading, spikes: SpikeAnalysis): Analysis {
  const confidence = noLeakConfidence(w);
  const text =
    `${spikes.excursions} spikes up to ${bytes(spikes.maxHeightBytes)} above a steady ${bytes(w.fit.endValue)} baseline ` +
    `(${rate(w)}) ${since(w.startMs, ctx.firstMs)}`;
  return verdict(ctx, 'spiky', confidence, w, text);
}

function plateau(ctx: Context, w: WindowReading, rise: number): Analysis {
  const confidence = noLeakConfidence(w);
  const level = w.levelBytes;
  const startMs = levelledOffAt(ctx, level, w.fit.sigmaBytes);
  const text = `memory rose ${bytes(rise)}, then levelled off at ${bytes(level)} ${since(startMs, ctx.firstMs)} (${rate(w)})`;
  return { ...verdict(ctx, 'plateau', confidence, w, text), plateauBytes: level, regimeStartMs: startMs };
}

function flat(ctx: Context, w: WindowReading): Analysis {
  const confidence = noLeakConfidence(w);
  const text = `baseline steady at ${bytes(w.levelBytes)} (${rate(w)}) ${since(w.startMs, ctx.firstMs)}`;
  return verdict(ctx, 'flat', confidence, w, text);
}

function samples(n: number): string {
  return n === 1 ? '1 sample' : `${n} samples`;
}

function tooShort(series: BucketSeries): Analysis {
  const ctx = { samples: series.sampleCount, firstMs: series.firstMs, lastMs: series.lastMs };
  const span = Number.isFinite(ctx.lastMs - ctx.firstMs) ? ctx.lastMs - ctx.firstMs : 0;
  const needMs = Math.max(MIN_SPAN_MS - span, 0);
  const needSamples = Math.max(MIN_SAMPLES - ctx.samples, 0);
  const more = [needMs > 0 ? `${duration(needMs)} more` : '', needSamples > 0 ? `${samples(needSamples)} more` : ''].filter(Boolean).join(' and ');
  const sofar = ctx.samples > 1 ? `${samples(ctx.samples)} over ${duration(span)}` : samples(ctx.samples);
  const text = `${sofar} so far; a verdict needs ${more || 'a few more buckets of data'}`;
  return verdict(ctx, 'unknown', 0, undefined, text);
}

/**
 * Neither a leak nor clearly none. When the slope's uncertainty is what keeps it open, it shrinks
 * like T^-1.5 with evenly sampled data (n ∝ T and Σ(x−x̄)² ∝ nT²), which says how much longer to
 * watch. Otherwise (an earlier window more likely growing than not, a rise not yet levelled
 * off) only the length that decides any trace (noLeakOrUndecided) bounds the wait.
 */
function undecided(ctx: Context, w: WindowReading): Analysis {
  const se = w.fit.uncertaintyBytesPerS;
  const gap = Math.abs(w.fit.bytesPerS - w.thresholdBytesPerS);
  const target = Math.max(gap / 2, w.thresholdBytesPerS / 4);
  const spanMs = Math.max(ctx.lastMs - ctx.firstMs, 1000);
  const byLengthMs = (spanMs < DECIDED_SPAN_MS ? DECIDED_SPAN_MS : LONG_SPAN_MS) - spanMs;
  const byErrorMs = se > target ? spanMs * Math.pow(se / target, 2 / 3) - spanMs : Infinity;
  const moreMs = clamp(Math.min(byErrorMs, byLengthMs), 10_000, 7 * 24 * 3_600_000);
  const text = `baseline ${w.fit.bytesPerS >= 0 ? 'grows' : 'shrinks'} ${rate(w)} ${since(w.startMs, ctx.firstMs)}; about ${duration(moreMs)} more data should tell`;
  return verdict(ctx, 'unknown', 0, w, text);
}
