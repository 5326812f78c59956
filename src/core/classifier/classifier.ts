// The growth classifier, online and for whole files.
//
// Online: each push costs O(1) (one bucket update, bucket.ts). The trace is looked at again
// (analysis.ts, bounded work: ≤ 256 buckets, ≤ 64 baseline points, ~100 µs) when a bucket has
// completed and a look is due: every bucket while the trace is too short for a verdict (that look
// is O(1) and its countdown should tick), then every 2 s of trace time, or every 1/64 of the
// trace's span once that is longer (about when a new baseline point forms: looking more often rarely changes
// anything). Looking at every 1-s bucket, as the first version did, cost ~150 µs a sample in
// the first minutes: 1.5% of a core for 100 watched processes. A live session also spaces looks
// out while nothing new is seen (`quietLookIntervalMs`, growing while looks find nothing new):
// most watched processes hold steady.
// The shown verdict changes only after the same new class has come out of
// `confirmations` looks in a row (hysteresis: with looks every 2 s at first, a new class shows
// 2–4 s after a whole-file reading of the same data would give it), and a leak verdict is given
// up only once the probability of a leak has fallen below `leaveLeakBelow`, well under the 0.95
// needed to enter it: a status bar that flips between "leak" and "plateau" would be ignored.
// There is no clock: the analysis itself asks a rise above the trace's own oscillation, so the
// online verdict at time t is the whole-file verdict of the trace up to t, delayed by hysteresis.
// Its class, that is: the confidence it states is the live calibration's (liveCalibration.ts),
// fitted on live looks, since a trace still being watched may yet level off.
import { GrowthVerdict, isLeakClass } from '../model';
import { Analysis, analyze, isTooShort } from './analysis';
import { BucketSeries, DEFAULT_INITIAL_BUCKET_MS, DEFAULT_MAX_BUCKETS } from './buckets';
import { duration, explanationOf, rateWithUncertainty } from './explain';
import { liveConfidence } from './liveCalibration';
import { MAX_BASELINE_POINTS } from './points';

const UNKNOWN_CONFIRMATIONS = 8;
/** The quiet interval doubles at most this often (16 s → 64 s for a live session)… */
const QUIET_BACKOFF_DOUBLINGS = 2;
/** …and stays within this fraction of the trace's span (64 s only once ~8.5 min are watched). */
const QUIET_SPAN_FRACTION = 8;
/** A shown "no leak" turns to "unknown" only above this growth probability (analysis.ts enters it only below 0.5). */
const LEAVE_NO_LEAK_ABOVE = 0.9;

export interface GrowthClassifierOptions {
  /** Buckets kept before neighbours merge (default 256). */
  maxBuckets?: number;
  /** Width of a bucket at first, ms (default 1000); it doubles as the trace grows. */
  initialBucketMs?: number;
  /** Consecutive looks that must agree before the verdict changes (default 2). */
  confirmations?: number;
  /** A leak verdict is dropped only below this leak probability (default 0.5). */
  leaveLeakBelow?: number;
  /** Trace time between two looks at least (default 2 s; later 1/64 of the trace's span). */
  minLookIntervalMs?: number;
  /**
   * Trace time between two looks while nothing new is seen (default 0: every look is at the
   * interval above): the shown verdict is decided, no other class is waiting for confirmation,
   * and every reading since the last look lies within the range of the readings before it. A
   * look then rarely changes anything, and a watched process that holds steady is looked at this
   * often instead; new evidence (a reading outside the range, a class pending, an undecided
   * verdict) brings the next look back to the interval above. A live session passes it.
   * Each quiet look that finds the shown class again doubles the next quiet interval, up to
   * 2^QUIET_BACKOFF_DOUBLINGS times this one and never past 1/QUIET_SPAN_FRACTION of the trace's
   * span (see `quietIntervalMs`); anything new starts it over.
   */
  quietLookIntervalMs?: number;
  /**
   * No leak is shown for data before this time (trace ms) unless the analysis found it unbent
   * (`Analysis.unbentLeak`: risen far above the oscillation, no bend towards slower growth): a
   * live session passes the watched process's start plus its warm-up, since a program loading at
   * start rises like a leak until it levels off. Files know no process start and have none.
   */
  leakNotBeforeMs?: number;
}

export class GrowthClassifier {
  private readonly series: BucketSeries;
  private readonly confirmations: number;
  private readonly leaveLeakBelow: number;
  private readonly minLookIntervalMs: number;
  private readonly quietLookIntervalMs: number;
  /** The range of the readings a look saw, of all readings, and whether one since left the former. */
  private lookedRange = { min: Infinity, max: -Infinity };
  private seenRange = { min: Infinity, max: -Infinity };
  private leftLookedRange = false;
  /** Quiet looks in a row that found the shown class again, nothing pending (see quietIntervalMs). */
  private unchangedQuietLooks = 0;
  private readonly leakNotBeforeMs: number;
  private lastLookMs = -Infinity;
  private lastLookTooShort = true;
  private looks = 0;
  private shown: Analysis;
  private latest: Analysis;
  private shownVerdict: { analysis: Analysis; verdict: GrowthVerdict } | undefined;
  private pendingClass: Analysis['class'] | undefined;
  private pendingCount = 0;
  private lastMs = -Infinity;
  private dirty = false;
  /** A look has seen readings since construction or the last reset (until then `latest` saw none). */
  private lookedAtData = false;

  constructor(options: GrowthClassifierOptions = {}) {
    this.series = new BucketSeries(options.maxBuckets ?? DEFAULT_MAX_BUCKETS, options.initialBucketMs ?? DEFAULT_INITIAL_BUCKET_MS, true);
    this.confirmations = options.confirmations ?? 2;
    this.leaveLeakBelow = options.leaveLeakBelow ?? 0.5;
    this.minLookIntervalMs = options.minLookIntervalMs ?? 2000;
    this.quietLookIntervalMs = options.quietLookIntervalMs ?? 0;
    this.leakNotBeforeMs = options.leakNotBeforeMs ?? -Infinity;
    this.shown = analyze(this.series);
    this.latest = this.shown;
  }

  get sampleCount(): number {
    return this.series.sampleCount;
  }

  /** Analyses run so far: the classifier's real cost (a push is O(1), a look ~100 µs). */
  get lookCount(): number {
    return this.looks;
  }

  /**
   * Adds a reading. Out-of-order or non-finite readings are ignored (a clock step, a failed read).
   * Returns whether `verdict()` may now differ from what it returned before: a look ran, or none
   * has yet (verdict() then looks). Most readings return false: a caller at 1 Hz need not ask.
   */
  push(tMs: number, rssBytes: number): boolean {
    if (!Number.isFinite(tMs) || !Number.isFinite(rssBytes) || tMs < this.lastMs) return false;
    this.lastMs = tMs;
    this.dirty = true;
    this.noteRange(rssBytes);
    if (this.series.push(tMs, rssBytes) && this.lookDue(tMs)) {
      this.look();
      return true;
    }
    return !this.lookedAtData;
  }

  /**
   * The verdict to show. Cheap: the work was done at the last look, and between looks the same
   * (frozen) object comes back, so a caller can tell "nothing new" by identity.
   */
  verdict(): GrowthVerdict {
    // Until the first bucket completes there has been no look: do one so a caller never sees
    // "0 samples" after pushing some.
    if (this.dirty && this.latest.samples === 0) this.look();
    if (this.shownVerdict?.analysis !== this.shown) this.shownVerdict = { analysis: this.shown, verdict: Object.freeze(liveVerdict(this.shown)) };
    return this.shownVerdict.verdict;
  }

  /** The latest look, before hysteresis (for tests and the bench), stated as live. */
  rawVerdict(): GrowthVerdict {
    return liveVerdict(this.latest);
  }

  /** The analysis behind the shown verdict, before the live calibration (for the bench's fit of it). */
  shownAnalysis(): Analysis {
    if (this.dirty && this.latest.samples === 0) this.look();
    return this.shown;
  }

  /** Forget everything, e.g. when the watched process restarts. */
  reset(): void {
    this.series.clear();
    this.lastMs = -Infinity;
    this.lastLookMs = -Infinity;
    this.lastLookTooShort = true;
    this.pendingClass = undefined;
    this.pendingCount = 0;
    this.shown = analyze(this.series);
    this.latest = this.shown;
    this.dirty = false;
    this.lookedAtData = false;
    this.lookedRange = { min: Infinity, max: -Infinity };
    this.seenRange = { min: Infinity, max: -Infinity };
    this.leftLookedRange = false;
    this.unchangedQuietLooks = 0;
  }

  private noteRange(rssBytes: number): void {
    if (rssBytes < this.seenRange.min) this.seenRange.min = rssBytes;
    if (rssBytes > this.seenRange.max) this.seenRange.max = rssBytes;
    if (rssBytes < this.lookedRange.min || rssBytes > this.lookedRange.max) this.leftLookedRange = true;
  }

  /**
   * While the trace is too short for a verdict a look is O(1) and its countdown ("needs 12 s
   * more") should tick with every bucket; the first real look follows at once, later ones are
   * spaced out.
   */
  private lookDue(tMs: number): boolean {
    if (this.lastLookTooShort) return true;
    const since = tMs - this.lastLookMs;
    const somethingNew = this.somethingNew();
    // The quiet test first: at a steady process it is false at almost every completed bucket, and
    // lookIntervalMs (a call returning a fraction, boxed: 16 bytes a bucket) is then not needed.
    if (since < this.quietLookIntervalMs && !somethingNew) return false;
    if (since < this.lookIntervalMs()) return false;
    return somethingNew || since >= this.quietIntervalMs();
  }

  /**
   * The quiet interval now: `quietLookIntervalMs` doubled for each quiet look in a row that found
   * the shown class again, up to 2^QUIET_BACKOFF_DOUBLINGS times it and at most 1/QUIET_SPAN_FRACTION
   * of the span (never below `quietLookIntervalMs`). A verdict that held through such looks rarely
   * turns on data inside the range it was judged on, and a quiet look costs what any look does
   * (~100 µs, most of what watching a steady process costs): a class change there shows up at
   * most this much later, a small fraction of what was watched.
   */
  private quietIntervalMs(): number {
    const grown = this.quietLookIntervalMs * 2 ** Math.min(this.unchangedQuietLooks, QUIET_BACKOFF_DOUBLINGS);
    const spanCap = (this.series.lastMs - this.series.firstMs) / QUIET_SPAN_FRACTION;
    return Math.max(this.quietLookIntervalMs, Math.min(grown, spanCap));
  }

  /** See `quietLookIntervalMs`: what makes the next look due at the usual interval. */
  private somethingNew(): boolean {
    return this.leftLookedRange || this.pendingClass !== undefined || this.shown.class === 'unknown';
  }

  private lookIntervalMs(): number {
    return Math.max(this.minLookIntervalMs, (this.series.lastMs - this.series.firstMs) / MAX_BASELINE_POINTS);
  }

  private look(): void {
    // Due to the quiet interval alone (lookDue's last case); a look that verdict() forces comes before any other.
    const quiet = !this.lastLookTooShort && !this.somethingNew();
    this.dirty = false;
    this.lookedAtData = true;
    this.lastLookMs = this.lastMs;
    this.lookedRange.min = this.seenRange.min;
    this.lookedRange.max = this.seenRange.max;
    this.leftLookedRange = false;
    this.looks++;
    this.lastLookTooShort = isTooShort(this.series);
    const next = this.withinWarmUp(analyze(this.series));
    this.latest = next;
    this.unchangedQuietLooks = quiet && next.class === this.shown.class ? this.unchangedQuietLooks + 1 : 0;
    if (next.class === this.shown.class) {
      this.shown = next;
      this.pendingClass = undefined;
      this.pendingCount = 0;
      return;
    }
    this.pendingCount = next.class === this.pendingClass ? this.pendingCount + 1 : 1;
    this.pendingClass = next.class;
    if (this.pendingCount >= this.confirmationsFor(next) && this.mayLeave(next)) {
      this.shown = next;
      this.pendingClass = undefined;
      this.pendingCount = 0;
    }
  }

  /**
   * A leak seen in the process's warm-up is shown as undecided, saying why, unless the evidence
   * rules out a start-up: growth far above the trace's oscillation with no bend (analysis.ts).
   */
  private withinWarmUp(next: Analysis): Analysis {
    if (!isLeakClass(next.class) || next.unbentLeak || this.series.lastMs >= this.leakNotBeforeMs) return next;
    const wait = duration(this.leakNotBeforeMs - this.series.lastMs);
    const rate = rateWithUncertainty(next.slopeBytesPerS, next.slopeUncertaintyBytesPerS);
    const finding = `memory grows ${rate}, but the process has only just started, when programs load; about ${wait} more should tell`;
    return { ...next, class: 'unknown', confidence: 0, rawConfidence: 0, finding, explanation: explanationOf('unknown', 0, finding) };
  }

  /**
   * "Unknown" is no new finding: a decided verdict gives way to it only when it persists, so
   * evidence hovering at a threshold does not make the status bar blink between "flat" and
   * "undecided". Going from one finding to another needs the usual confirmations.
   */
  private confirmationsFor(next: Analysis): number {
    return next.class === 'unknown' && this.shown.class !== 'unknown' ? UNKNOWN_CONFIRMATIONS : this.confirmations;
  }

  /**
   * A leak verdict is given up only when growth has become unlikely; a decided "no leak" gives
   * way to "unknown" only when growth has become likely (else it stays, as the last finding).
   */
  private mayLeave(next: Analysis): boolean {
    if (isLeakClass(this.shown.class) && !isLeakClass(next.class)) return next.leakProbability < this.leaveLeakBelow;
    if (next.class === 'unknown' && this.shown.class !== 'unknown') return next.leakProbability >= LEAVE_NO_LEAK_ABOVE;
    return true;
  }
}

/**
 * The live statement of a look: its confidence from the live calibration (liveCalibration.ts),
 * which knows that a trace still being watched may yet level off, and the explanation saying so.
 * Restated on the verdict made of it, not on a copy of the whole analysis first.
 */
function liveVerdict(a: Analysis): GrowthVerdict {
  const v = toVerdict(a);
  if (a.class === 'unknown') return v;
  v.confidence = liveConfidence(a);
  v.explanation = explanationOf(a.class, v.confidence, a.finding);
  return v;
}

/** Classifies a whole recording (a file): one look at all of it, no hysteresis. */
export function classifySeries(tMs: ArrayLike<number>, rssBytes: ArrayLike<number>): GrowthVerdict {
  return toVerdict(analyzeSeries(tMs, rssBytes));
}

export function analyzeSeries(tMs: ArrayLike<number>, rssBytes: ArrayLike<number>): Analysis {
  const series = new BucketSeries();
  for (const i of timeOrder(tMs, rssBytes)) series.push(tMs[i], rssBytes[i]);
  return analyze(series);
}

/**
 * Indexes of the finite readings in time order (stable for equal times). A Uint32Array: for a
 * trace of millions of samples a growing number[] cost 8–12 bytes a sample, this 4.
 */
function timeOrder(tMs: ArrayLike<number>, rssBytes: ArrayLike<number>): Uint32Array {
  const n = Math.min(tMs.length, rssBytes.length);
  const order = new Uint32Array(n);
  let length = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(tMs[i]) || !Number.isFinite(rssBytes[i])) continue;
    if (length && tMs[i] < tMs[order[length - 1]]) sorted = false;
    order[length++] = i;
  }
  const finite = order.subarray(0, length);
  if (!sorted) finite.sort((a, b) => tMs[a] - tMs[b] || a - b);
  return finite;
}

export function toVerdict(a: Analysis): GrowthVerdict {
  const v: GrowthVerdict = {
    class: a.class,
    confidence: a.confidence,
    slopeBytesPerS: a.slopeBytesPerS,
    slopeUncertaintyBytesPerS: a.slopeUncertaintyBytesPerS,
    regimeStartMs: a.regimeStartMs,
    explanation: a.explanation,
  };
  if (a.plateauBytes !== undefined) v.plateauBytes = a.plateauBytes;
  return v;
}
