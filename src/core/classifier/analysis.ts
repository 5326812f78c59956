// One look at everything seen so far, as an expert reads a memory chart:
//  1. the baseline (lower envelope) is the memory the program keeps; peaks are temporaries;
//  2. a staircase in the baseline whose last step is recent is a stepwise leak;
//  3. otherwise the newest regime of the baseline (after the last change point) is fitted:
//     a slope clearly above the leak threshold, not flattening out, is a steady leak;
//  4. a slope clearly below it is no leak: spiky if memory keeps jumping well above the
//     baseline, a plateau if the baseline had risen before this regime, flat otherwise;
//  5. anything in between, or too little data, is `unknown`, with how much more is needed.
// "Clearly" is statistical: the slope's uncertainty comes from the residuals (fit.ts), and a
// leak needs both z = slope/σ ≥ 4 and P(slope > threshold) ≥ 0.9; no-leak needs
// P(slope < threshold) ≥ 0.9. The threshold is practical: growth under ~0.5% of the process per
// hour (and under 1 KiB/s) is not worth a warning even when it is real.
import { GrowthClass, GrowthVerdict } from '../model';
import { Bucket, BucketSeries } from './buckets';
import { currentRegime } from './changepoint';
import { bytes, duration, percent, rateWithUncertainty, since } from './explain';
import { SlopeFit, fitSlope } from './fit';
import { BaselinePoint, baselinePoints, despike } from './points';
import { clamp, median, normalCdf } from './robust';
import { SpikeAnalysis, detectSpikes, isSpiky } from './spikes';
import { StepAnalysis, detectSteps } from './steps';

export const MIN_SAMPLES = 10;
export const MIN_SPAN_MS = 20_000;
export const MIN_LEAK_BYTES_PER_S = 1024;
/** Less than this of rising memory could be one upswing of a GC sawtooth: never called a leak. */
export const MIN_LEAK_SPAN_MS = 30_000;
export const RELATIVE_LEAK_PER_HOUR = 0.005;
export const LEAK_Z = 4;
export const DECISION_PROBABILITY = 0.9;
const MIN_REGIME_POINTS = 6;
/** A change-point search picks the steepest-looking tail among many: ask more of it. */
const MIN_CHANGED_REGIME_POINTS = 12;
const CHANGE_POINT_MIN_SEGMENT = 8;
const MIB = 1024 * 1024;

export interface Analysis extends GrowthVerdict {
  /** P(baseline grows faster than the leak threshold), under the fitted model. */
  leakProbability: number;
  samples: number;
  spanMs: number;
}

interface Context {
  buckets: readonly Bucket[];
  points: BaselinePoint[];
  samples: number;
  firstMs: number;
  lastMs: number;
}

interface RegimeReading {
  startIndex: number;
  startMs: number;
  fit: SlopeFit;
  levelBytes: number;
  thresholdBytesPerS: number;
  leakProbability: number;
  noLeakProbability: number;
  z: number;
  flattening: boolean;
}

export function leakThresholdBytesPerS(levelBytes: number): number {
  return Math.max(MIN_LEAK_BYTES_PER_S, (levelBytes * RELATIVE_LEAK_PER_HOUR) / 3600);
}

/** Too little data for any verdict: the look is then O(1) and only counts what is still needed. */
export function isTooShort(series: BucketSeries): boolean {
  return series.sampleCount < MIN_SAMPLES || series.lastMs - series.firstMs < MIN_SPAN_MS || series.buckets.length < MIN_REGIME_POINTS;
}

export function analyze(series: BucketSeries): Analysis {
  const ctx: Context = { buckets: series.buckets, points: [], samples: series.sampleCount, firstMs: series.firstMs, lastMs: series.lastMs };
  if (isTooShort(series)) return tooShort(ctx);
  ctx.points = despike(baselinePoints(ctx.buckets));
  const level = median(ctx.points.map((p) => p.value));
  const steps = detectSteps(ctx.buckets, level);
  if (steps.stepwise) {
    const stepping = readRegime(ctx, firstPointAfter(ctx.points, steps.jumps[0].tMs - steps.medianIntervalMs));
    if (isLeak(stepping)) return stepwiseLeak(ctx, stepping, steps);
  }
  const material = { slopeBytesPerS: leakThresholdBytesPerS(level), jumpBytes: Math.max(0.02 * level, MIB) };
  const regime = readRegime(ctx, currentRegime(ctx.points, CHANGE_POINT_MIN_SEGMENT, material).start);
  if (isLeak(regime)) return steadyLeak(ctx, regime);
  if (regime.noLeakProbability < DECISION_PROBABILITY) return undecided(ctx, regime);
  const spikes = detectSpikes(ctx.buckets, ctx.points[regime.startIndex].fromBucket, regime.levelBytes, regime.fit.sigmaBytes, groupSize(ctx));
  if (isSpiky(spikes)) return spiky(ctx, regime, spikes);
  const rise = regime.levelBytes - ctx.buckets[0].min;
  if (rise > Math.max(0.05 * regime.levelBytes, 4 * regime.fit.sigmaBytes, MIB)) return plateau(ctx, regime, rise);
  return flat(ctx, regime);
}

function readRegime(ctx: Context, startIndex: number): RegimeReading {
  const start = Math.min(startIndex, Math.max(0, ctx.points.length - MIN_REGIME_POINTS));
  const points = ctx.points.slice(start);
  const fit = fitSlope(points);
  const levelBytes = median(points.map((p) => p.value));
  const threshold = leakThresholdBytesPerS(levelBytes);
  const se = fit.uncertaintyBytesPerS;
  return {
    startIndex: start,
    startMs: ctx.buckets[points[0].fromBucket].firstMs,
    fit,
    levelBytes,
    thresholdBytesPerS: threshold,
    leakProbability: normalCdf((fit.bytesPerS - threshold) / se),
    noLeakProbability: normalCdf((threshold - fit.bytesPerS) / se),
    z: fit.bytesPerS / se,
    flattening: isFlattening(points, fit),
  };
}

/** Growth that is dying out (a warm-up approaching its plateau) is not a leak. */
function isFlattening(points: readonly BaselinePoint[], fit: SlopeFit): boolean {
  const recent = points.slice(Math.floor((points.length * 2) / 3));
  if (recent.length < MIN_REGIME_POINTS) return false;
  const tail = fitSlope(recent);
  return tail.bytesPerS + 2 * tail.uncertaintyBytesPerS < 0.3 * fit.bytesPerS;
}

function isLeak(r: RegimeReading): boolean {
  const changed = r.startIndex > 0;
  if (changed && r.fit.points < MIN_CHANGED_REGIME_POINTS) return false;
  if (r.fit.spanMs < MIN_LEAK_SPAN_MS) return false;
  // A regime found by a change-point search is the steepest-looking of many candidate tails:
  // one more σ and a higher probability pay for that choice.
  const z = changed ? LEAK_Z + 1 : LEAK_Z;
  const p = changed ? 0.95 : DECISION_PROBABILITY;
  return r.fit.bytesPerS >= r.thresholdBytesPerS && r.z >= z && r.leakProbability >= p && !r.flattening;
}

function firstPointAfter(points: readonly BaselinePoint[], tMs: number): number {
  const i = points.findIndex((p) => p.tMs >= tMs);
  return i < 0 ? 0 : i;
}

function groupSize(ctx: Context): number {
  const first = ctx.points[0];
  return first ? first.toBucket - first.fromBucket + 1 : 1;
}

function verdict(ctx: Context, cls: GrowthClass, confidence: number, r: RegimeReading | undefined, explanation: string): Analysis {
  return {
    class: cls,
    confidence: clamp(confidence, 0, 1),
    slopeBytesPerS: r ? r.fit.bytesPerS : 0,
    slopeUncertaintyBytesPerS: r ? r.fit.uncertaintyBytesPerS : 0,
    regimeStartMs: r ? r.startMs : Number.isFinite(ctx.firstMs) ? ctx.firstMs : 0,
    explanation,
    leakProbability: r ? r.leakProbability : 0,
    samples: ctx.samples,
    spanMs: ctx.lastMs - ctx.firstMs,
  };
}

function rate(r: RegimeReading): string {
  return rateWithUncertainty(r.fit.bytesPerS, r.fit.uncertaintyBytesPerS);
}

function steadyLeak(ctx: Context, r: RegimeReading): Analysis {
  const text = `Steady leak: baseline grows ${rate(r)} ${since(r.startMs, ctx.firstMs)}, ${percent(r.leakProbability)} confidence`;
  return verdict(ctx, 'steady-leak', r.leakProbability, r, text);
}

function stepwiseLeak(ctx: Context, r: RegimeReading, steps: StepAnalysis): Analysis {
  const text =
    `Stepwise leak: baseline rises in ${steps.jumps.length} steps of about ${bytes(steps.medianJumpBytes)} ` +
    `(every ${duration(steps.medianIntervalMs)}), ${rate(r)} ${since(r.startMs, ctx.firstMs)}, ${percent(r.leakProbability)} confidence`;
  return verdict(ctx, 'stepwise-leak', r.leakProbability, r, text);
}

function spiky(ctx: Context, r: RegimeReading, spikes: SpikeAnalysis): Analysis {
  const text =
    `Spiky, no leak: ${spikes.excursions} spikes up to ${bytes(spikes.maxHeightBytes)} above a steady ${bytes(r.levelBytes)} baseline ` +
    `(${rate(r)}) ${since(r.startMs, ctx.firstMs)}, ${percent(r.noLeakProbability)} confidence`;
  return verdict(ctx, 'spiky', r.noLeakProbability, r, text);
}

function plateau(ctx: Context, r: RegimeReading, rise: number): Analysis {
  const growthMs = r.startMs - ctx.firstMs;
  const flatMs = ctx.lastMs - r.startMs;
  if (flatMs < 0.3 * growthMs) {
    const wait = 0.3 * growthMs - flatMs;
    return verdict(ctx, 'unknown', 0, r, `Undecided: memory rose ${bytes(rise)} and has held at ${bytes(r.levelBytes)} for ${duration(flatMs)}; about ${duration(wait)} more tells a plateau from a pause`);
  }
  const text = `Plateau: memory rose ${bytes(rise)}, then levelled off at ${bytes(r.levelBytes)} ${since(r.startMs, ctx.firstMs)} (${rate(r)}), ${percent(r.noLeakProbability)} confidence`;
  return { ...verdict(ctx, 'plateau', r.noLeakProbability, r, text), plateauBytes: r.levelBytes };
}

function flat(ctx: Context, r: RegimeReading): Analysis {
  const text = `Flat: baseline steady at ${bytes(r.levelBytes)} (${rate(r)}) ${since(r.startMs, ctx.firstMs)}, ${percent(r.noLeakProbability)} confidence`;
  return verdict(ctx, 'flat', r.noLeakProbability, r, text);
}

function samples(n: number): string {
  return n === 1 ? '1 sample' : `${n} samples`;
}

function tooShort(ctx: Context): Analysis {
  const span = Number.isFinite(ctx.lastMs - ctx.firstMs) ? ctx.lastMs - ctx.firstMs : 0;
  const needMs = Math.max(MIN_SPAN_MS - span, 0);
  const needSamples = Math.max(MIN_SAMPLES - ctx.samples, 0);
  const more = [needMs > 0 ? `${duration(needMs)} more` : '', needSamples > 0 ? `${samples(needSamples)} more` : ''].filter(Boolean).join(' and ');
  const sofar = ctx.samples > 1 ? `${samples(ctx.samples)} over ${duration(span)}` : samples(ctx.samples);
  const text = `Undecided: ${sofar} so far; a verdict needs ${more || 'a few more buckets of data'}`;
  return verdict(ctx, 'unknown', 0, undefined, text);
}

/**
 * Neither a leak nor clearly none. The slope's uncertainty shrinks like T^-1.5 with evenly
 * sampled data (n ∝ T and Σ(x−x̄)² ∝ nT²), which says how much longer to watch.
 */
function undecided(ctx: Context, r: RegimeReading): Analysis {
  const se = r.fit.uncertaintyBytesPerS;
  const gap = Math.abs(r.fit.bytesPerS - r.thresholdBytesPerS);
  let target = Math.max(gap / 1.3, r.thresholdBytesPerS / 4);
  if (r.fit.bytesPerS > r.thresholdBytesPerS) target = Math.min(target, r.fit.bytesPerS / LEAK_Z);
  const spanMs = Math.max(r.fit.spanMs, 1000);
  const neededMs = spanMs * Math.pow(Math.max(se / target, 1), 2 / 3);
  const moreMs = clamp(neededMs - spanMs, 60_000, 7 * 24 * 3_600_000);
  const text = `Undecided: baseline ${r.fit.bytesPerS >= 0 ? 'grows' : 'shrinks'} ${rate(r)} ${since(r.startMs, ctx.firstMs)}; about ${duration(moreMs)} more data should tell`;
  return verdict(ctx, 'unknown', 0, r, text);
}
