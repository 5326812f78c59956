// Baseline points: the minimum of each run of neighbouring buckets, at most `maxPoints` of them.
// A rolling minimum is the lower envelope of the curve, i.e. what memory returns to after GC and
// after temporary allocations: the level a leak raises and a spike does not. Keeping each
// minimum at the time it was seen (not the bucket centre) leaves a rising line unbiased.
import { Bucket } from './buckets';
import { MAD_TO_SD, medianInPlace } from './robust';
import { ColumnPool, ScratchColumns } from './scratch';

/**
 * Baseline points as columns, as the fits take them: point i's time (its minimum's) and value.
 * Columns, not an object per point: a look makes a dozen sets of up to 64 points, and the
 * objects (with a boxed number each for their times) were the largest thing it allocated.
 */
export interface BaselineColumns {
  tMs: Float64Array;
  values: Float64Array;
}

export const MAX_BASELINE_POINTS = 64;

/** The least excess over its neighbours that makes a point a spike (or a final outlier), bytes: a page. */
const MIN_SPIKE_LIMIT_BYTES = 4096;

/**
 * The buckets' minima, their times, maxima, reading counts and means as columns, for the scans a
 * look makes over all of them (baseline points, peak heights, falls, noise, spikes): a bucket's
 * fields are boxed numbers in objects scattered over the heap, one cache miss or two a read, and
 * a look at a steady process read them ~3,300 times (lookSteady at 15 min: ~290 with the columns).
 */
export interface BucketColumns {
  min: Float64Array;
  minMs: Float64Array;
  max: Float64Array;
  count: Float64Array;
  mean: Float64Array;
}

/** Columns of `buckets` made afresh (for callers without a series' memo). */
export function columnsOf(buckets: readonly Bucket[]): BucketColumns {
  const columns = emptyColumns(buckets.length);
  copyColumns(buckets, 0, columns);
  return columns;
}

export function emptyColumns(length: number): BucketColumns {
  return { min: new Float64Array(length), minMs: new Float64Array(length), max: new Float64Array(length), count: new Float64Array(length), mean: new Float64Array(length) };
}

/** Buckets [from, buckets.length) into the columns, which must be long enough. */
export function copyColumns(buckets: readonly Bucket[], from: number, into: BucketColumns): void {
  for (let i = from; i < buckets.length; i++) {
    const b = buckets[i];
    into.min[i] = b.min;
    into.minMs[i] = b.minMs;
    into.max[i] = b.max;
    into.count[i] = b.count;
    into.mean[i] = b.mean;
  }
}

/** Buckets per baseline point when `count` buckets give at most `maxPoints` points. */
export function baselineGroup(count: number, maxPoints: number): number {
  return Math.max(1, ceilDiv(count, maxPoints));
}

/**
 * ⌈a / b⌉, one division for both of this file's: V8 learns from the first looks that it gives
 * fractions (a few buckets over 64 points). baselinePoints' own division gave whole numbers while
 * the trace was shorter than 64 buckets (a group of one), and when it first gave a fraction V8
 * threw its optimized code away ("lost precision") and compiled it again, in the first minutes
 * of a watch.
 */
function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/**
 * Baseline points of buckets[start..], in columns from `take` (new arrays unless given); read from
 * `columns`, the buckets' own (a series' memo keeps them from look to look).
 */
export function baselinePoints(buckets: readonly Bucket[], maxPoints = MAX_BASELINE_POINTS, start = 0, take = newColumn, columns = columnsOf(buckets)): BaselineColumns {
  const n = buckets.length - start;
  const { min, minMs } = columns;
  const group = baselineGroup(n, maxPoints);
  const count = n > 0 ? Math.max(1, ceilDiv(n, group)) : 0;
  const points = { tMs: take(count), values: take(count) };
  // Grouped from the newest end, so the newest point is always a full group.
  for (let to = n - 1, slot = count - 1; to >= 0; to -= group, slot--) {
    const from = Math.max(0, to - group + 1);
    // The latest of the lowest: `<=` (a steady process's minima are all equal).
    let best = start + from;
    for (let i = best; i <= start + to; i++) if (min[i] <= min[best]) best = i;
    points.tMs[slot] = minMs[best];
    points.values[slot] = min[best];
  }
  return points;
}

/**
 * The despiked baseline points of one look's buckets, each made once: the context, the three
 * windows, their wider envelopes and the hold after a hinge ask for the same ones (the whole
 * trace's 64 points twice per look, for one), and two sizes that group the buckets alike give
 * the same points. The buckets must not change while it is in use (one look).
 */
export class BaselineEnvelopes {
  /**
   * The first `count` envelopes made (`made`) under their keys (start and grouping), in the order
   * made: a look makes a few. Counted, not emptied: an array set to length 0 lets go of its store,
   * and the next look's first envelope made a new one.
   */
  private readonly keys: number[] = [];
  private readonly made: BaselineColumns[] = [];
  private count = 0;
  private readonly take: (length: number) => Float64Array;

  /**
   * With a `pool`, the columns are taken from it, reset here: they last until the pool is reset
   * again (the next look makes new envelopes), not one ArrayBuffer per column and look.
   */
  constructor(private buckets: readonly Bucket[], private readonly pool?: ColumnPool, private columns = columnsOf(buckets)) {
    pool?.reset();
    this.take = pool ? (length) => pool.take(length) : newColumn;
  }

  /**
   * Starts again on other buckets (the next look's), as a new instance would: the envelopes made
   * are forgotten and the pool's columns handed out afresh. One instance then serves every look
   * (its map, its closure and itself were made each time).
   */
  reset(buckets: readonly Bucket[], columns: BucketColumns): void {
    this.buckets = buckets;
    this.columns = columns;
    this.count = 0;
    this.pool?.reset();
  }

  /** despike(baselinePoints(buckets, maxPoints, start), the final reading's time); the columns are shared: do not change them. */
  get(maxPoints: number, start = 0): BaselineColumns {
    // A group as long as the buckets or longer makes one point of them all: alike too.
    const length = this.buckets.length - start;
    const group = length > 0 ? Math.min(baselineGroup(length, maxPoints), length) : 0;
    const key = start * (this.buckets.length + 1) + group;
    for (let i = 0; i < this.count; i++) if (this.keys[i] === key) return this.made[i];
    const points = despike(baselinePoints(this.buckets, maxPoints, start, this.take, this.columns), finalReadingMs(this.buckets));
    this.keys[this.count] = key;
    this.made[this.count++] = points;
    return points;
  }
}

function newColumn(length: number): Float64Array {
  return new Float64Array(length);
}

/** When the last of the buckets' readings was taken (NaN for none). */
export function finalReadingMs(buckets: readonly Bucket[]): number {
  return buckets.length ? buckets[buckets.length - 1].lastMs : NaN;
}

/**
 * A Hampel filter: a point far above the median of the five around it is a temporary
 * allocation that filled its whole group (a long round), not baseline, and is replaced by that
 * median. A step that stays up is kept, since three of its five neighbours share its level; up to
 * two points in a row are cleaned. Least squares (the change-point search) would otherwise chase
 * them. Downward only the last point, and only when its minimum is the trace's final reading
 * (`finalReadingMs`): a minimum anywhere else was held by a reading after it, and is baseline (a
 * collection's trough), but one low final reading (a process exiting, a partial read) is held by
 * nothing, and a baseline of minima has no defence against it: it turned a short steady leak into
 * "baseline shrinks", even "flat". That point is judged by the others alone (unheldFinalExcess).
 */
export function despike(points: BaselineColumns, finalMs = NaN, window = 5): BaselineColumns {
  const n = points.tMs.length;
  if (n < window) return points;
  // Points all at one level (a process holding its size) lie on their line: nothing to clean.
  if (isLevel(points.values)) return points;
  // Judged around a robust line, so the ends of a steady ramp are not mistaken for spikes
  // (a clamped window at the end of a ramp has its median below the last point).
  const t0 = points.tMs[0];
  const x = work(0, n);
  const y = work(1, n);
  for (let i = 0; i < n; i++) {
    x[i] = points.tMs[i] - t0;
    y[i] = points.values[i];
  }
  const line = resistantLine(x, y, n, ALL_POINTS_LINE);
  const residual = work(2, n);
  for (let i = 0; i < n; i++) residual[i] = y[i] - (line.intercept + line.slope * x[i]);
  // Excess over the median of the five around each point.
  const excess = work(3, n);
  const five = work(4, window);
  for (let i = 0; i < n; i++) {
    const from = Math.min(Math.max(0, i - (window >> 1)), n - window);
    excess[i] = residual[i] - smallMedian(residual, from, window, five);
  }
  const deviations = work(5, n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(excess[i]);
  const limit = Math.max(4 * MAD_TO_SD * medianInPlace(deviations), MIN_SPIKE_LIMIT_BYTES);
  let cleaned: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    if (excess[i] <= limit) continue;
    cleaned ??= points.values.slice();
    cleaned[i] = points.values[i] - excess[i];
  }
  const finalExcess = points.tMs[n - 1] === finalMs ? unheldFinalExcess(x, y, window) : 0;
  if (finalExcess < 0) {
    cleaned ??= points.values.slice();
    cleaned[n - 1] = points.values[n - 1] - finalExcess;
  }
  // The times are the same points': shared.
  return cleaned ? { tMs: points.tMs, values: cleaned } : points;
}

/**
 * The excess of a final point below the others, judged by the others alone (leave one out), when
 * it is an outlier (else 0): the line and the scale through all the points would bend to it
 * where they are few (a window read one point per GC cycle has five or six, and the line through
 * the medians of its thirds then ran through the final point). Its neighbours are the four before it.
 */
function unheldFinalExcess(x: Float64Array, y: Float64Array, window: number): number {
  const others = x.length - 1;
  if (others < window) return 0;
  // Below every other point too (by the limit below, 4 KiB or more): a collection's trough at the
  // end returns to the floor earlier troughs set, and a live look's latest reading is often one.
  // A final point not that low is no outlier, and needs no line.
  let lowest = Infinity;
  for (let i = 0; i < others; i++) lowest = Math.min(lowest, y[i]);
  if (!(y[others] < lowest - MIN_SPIKE_LIMIT_BYTES)) return 0;
  const line = resistantLine(x, y, others, OTHERS_LINE);
  const residual = work(8, x.length);
  for (let i = 0; i < x.length; i++) residual[i] = y[i] - (line.intercept + line.slope * x[i]);
  const five = work(4, window);
  const deviations = work(5, others);
  for (let i = 0; i < others; i++) {
    const from = Math.min(Math.max(0, i - (window >> 1)), others - window);
    deviations[i] = Math.abs(residual[i] - smallMedian(residual, from, window, five));
  }
  const limit = Math.max(4 * MAD_TO_SD * medianInPlace(deviations), MIN_SPIKE_LIMIT_BYTES);
  const excess = residual[others] - smallMedian(residual, others - (window - 1), window - 1, five);
  // Alone in falling: a point before it as low says memory is going down (a shutdown freeing it).
  const alone = residual[others - 1] >= -limit;
  return excess < -limit && alone && y[others] < lowest - limit ? excess : 0;
}

/** Every value the same. */
function isLevel(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** Work buffers of the filter (the classifier is synchronous; a look filters a dozen times). */
const buffers = new ScratchColumns();
function work(which: number, length: number): Float64Array {
  return buffers.get(which, length);
}

/** Median of values[from, from + count) by insertion sort into `scratch`: for the few values of a window. */
function smallMedian(values: Float64Array, from: number, count: number, scratch: Float64Array): number {
  for (let k = 0; k < count; k++) {
    const v = values[from + k];
    let j = k - 1;
    while (j >= 0 && scratch[j] > v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  const mid = count >> 1;
  return count % 2 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
}

/** A line's slope (per unit of x) and intercept. */
interface Line {
  slope: number;
  intercept: number;
}

/** Where despike's two lines are written (through all its points, and through all but the final one): read at once. */
const ALL_POINTS_LINE: Line = { slope: 0, intercept: 0 };
const OTHERS_LINE: Line = { slope: 0, intercept: 0 };

/**
 * Tukey's resistant line through the first `n` points, into `out`: through the medians of the
 * first and last thirds. O(n), and like Theil–Sen not tilted by a few spikes, which is all the
 * filter above needs of it.
 */
function resistantLine(x: Float64Array, y: Float64Array, n: number, out: Line): Line {
  const third = Math.max(1, Math.floor(n / 3));
  const leftX = sortedThirdMedian(x, 0, third);
  const leftY = thirdMedian(y, 0, third);
  const rightX = sortedThirdMedian(x, n - third, third);
  const rightY = thirdMedian(y, n - third, third);
  const slope = rightX > leftX ? (rightY - leftY) / (rightX - leftX) : 0;
  const offsets = work(7, n);
  for (let i = 0; i < n; i++) offsets[i] = y[i] - slope * x[i];
  out.slope = slope;
  out.intercept = medianInPlace(offsets);
  return out;
}

/**
 * thirdMedian of values in increasing order (the points' times, as despike's x are): their middle
 * read off, no copy and no selection, the same value as selection finds (for an even count, the
 * mean of the two middle values in the same order of addition). Values out of order are selected.
 */
function sortedThirdMedian(values: Float64Array, from: number, count: number): number {
  for (let k = from + 1; k < from + count; k++) if (!(values[k - 1] <= values[k])) return thirdMedian(values, from, count);
  const mid = from + (count >> 1);
  return count % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** Median of values[from, from + count), copied so the values keep their order. */
function thirdMedian(values: Float64Array, from: number, count: number): number {
  const part = work(6, count);
  for (let k = 0; k < count; k++) part[k] = values[from + k];
  return medianInPlace(part);
}

/**
 * Per-bucket local baseline: the minimum over `radius` buckets either side. A sliding minimum
 * (a queue of the buckets that can still be a window's lowest): O(n), not O(n · radius), and the
 * same minima. Into `out` when given (a caller's reused buffer of the buckets' length, or
 * longer). From bucket `from` on: `out` holds the minima before it already (a series' earlier
 * look, over buckets that have not changed since within `radius` of them). Read from `min`, the
 * buckets' minima as a column (a series' memo keeps them).
 */
export function localBaseline(buckets: readonly Bucket[], radius: number, out: Float64Array = new Float64Array(buckets.length), from = 0, min = columnsOf(buckets).min): Float64Array {
  const n = buckets.length;
  if (slidingQueue.length < n) slidingQueue = new Int32Array(2 * n);
  const queue = slidingQueue;
  let head = 0;
  let tail = 0;
  // The window of bucket `from` starts `radius` before it: the queue is filled from there.
  let next = Math.max(0, from - radius);
  for (let i = from; i < n; i++) {
    for (const end = Math.min(n - 1, i + radius); next <= end; next++) {
      while (tail > head && min[queue[tail - 1]] >= min[next]) tail--;
      queue[tail++] = next;
    }
    while (queue[head] < i - radius) head++;
    out[i] = min[queue[head]];
  }
  return out;
}

/** localBaseline's queue of bucket indexes, reused (grown, never shrunk): it lives for one call. */
let slidingQueue = new Int32Array(256);
