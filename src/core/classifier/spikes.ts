// Spikes: memory that rises well above its local baseline and comes back. Measured per bucket as
// the bucket's maximum over the minimum of its neighbourhood; an excursion is a run of buckets
// above the threshold. "Well above" is relative to the process (15% of its baseline), never
// less than 2 MiB and never inside the baseline's own noise, so allocator jitter on a large
// process is not called spiky.
// Spikes under that bar count when they stand far above the trace's own noise instead: a bucket
// whose mean (a batch's temporaries held for many readings) stands many noise scales above its
// neighbours' (noiseExcursions). Each reading of a spike may sit inside the noise; its mean does not.
import { Bucket } from './buckets';
import { ExcessMemo, atLeast } from './memo';
import { columnsOf, localBaseline } from './points';
import { selectInPlace } from './robust';
import { ScratchColumns } from './scratch';

/** Buffers reused by every call (the classifier is synchronous), by number. */
const baseline = new ScratchColumns();
const LOCAL_MINIMA = 0;
const NEIGHBOUR_MEANS = 1;
const EXCESS = 2;
const DEPTHS = 3;

export interface SpikeAnalysis {
  excursions: number;
  /** Share of buckets with a spike: near 1 when spikes come faster than buckets. */
  spikyShare: number;
  /** Highest peak above the baseline, bytes. */
  maxHeightBytes: number;
  /** How far above its local baseline a bucket's peak must reach to be a spike, bytes. */
  thresholdBytes: number;
}

export const SPIKE_RELATIVE_HEIGHT = 0.15;
/**
 * No spike is smaller than this, in either reading: a round's temporaries caught by some readings
 * (a real Python program churning ~1 MB on 57 MB stood 50 noise scales above its page jitter)
 * are allocator traffic, not memory anyone plans for.
 */
const SPIKE_MIN_BYTES = 2 * 1024 * 1024;

/**
 * `localMinima`: localBaseline(buckets, max(2, radius)), when the caller has it already; `memo`:
 * the excesses an earlier look of these buckets left (see ExcessMemo).
 */
export function detectSpikes(
  buckets: readonly Bucket[], fromBucket: number, levelBytes: number, noiseSigmaBytes: number, radius: number,
  localMinima?: Float64Array, memo?: ExcessMemo, columns = columnsOf(buckets),
): SpikeAnalysis {
  const base = localMinima ?? localBaseline(buckets, Math.max(2, radius), baseline.get(LOCAL_MINIMA, buckets.length), 0, columns.min);
  const threshold = Math.max(SPIKE_RELATIVE_HEIGHT * levelBytes, SPIKE_MIN_BYTES, 6 * noiseSigmaBytes);
  const tall = runsAbove(buckets.length, fromBucket, columns.max, base, threshold);
  return isSpiky(tall) ? tall : noiseExcursions(buckets, columns.mean, fromBucket, Math.max(2, radius), base, tall, memo);
}

/** Runs of buckets [fromBucket, count) whose peak (`maxima`) stands more than `threshold` above the local minimum `base`. */
function runsAbove(count: number, fromBucket: number, maxima: Float64Array, base: Float64Array, threshold: number): SpikeAnalysis {
  let excursions = 0;
  let inside = false;
  let maxHeightBytes = 0;
  let spikyBuckets = 0;
  for (let i = fromBucket; i < count; i++) {
    const height = maxima[i] - base[i];
    const above = height > threshold;
    if (above && !inside) excursions++;
    if (above) {
      spikyBuckets++;
      maxHeightBytes = Math.max(maxHeightBytes, height);
    }
    inside = above;
  }
  const total = count - fromBucket;
  return { excursions, spikyShare: total > 0 ? spikyBuckets / total : 0, maxHeightBytes, thresholdBytes: threshold };
}

/**
 * A bucket's mean this many noise scales above its neighbours' median mean is unlikely noise
 * (one-sided Gaussian odds 3e-5 a bucket, under 1% for a 256-bucket trace); the evidence is
 * then in how many such runs there are, and that the trace has no like runs below its level.
 */
const EXCURSION_SIGMAS = 4;
/** Excursions that many, each a separate run: one or two are a one-off (an export, a trim), not a rhythm. */
const MIN_NOISE_EXCURSIONS = 3;
/**
 * Temporaries only add memory: runs above the level must outnumber this many times the runs half
 * as far below it (a cycle of a few buckets, a collector's, swings its buckets' means both ways).
 */
const ONE_SIDED_RATIO = 3;
/** The normal's median absolute value, in standard deviations. */
const NORMAL_MAD = 0.6745;

/**
 * Short excursions far above the noise: runs of buckets whose mean stands more than 4 noise
 * scales above the median mean of the buckets around it (a held level, a step, a slow wander
 * become that median; a batch of a few buckets does not). The noise scale is read below the
 * median (spikes rise, so what falls under the local level is noise): the median depth of the
 * buckets under it, over the normal's 0.6745. Spikes only rise: a level that walks up and down
 * (allocator arenas taken and given back, a collector's short cycles) has as many runs below, and
 * is no spiky trace. Counted only with at least three runs above, three times those half as far
 * below; reported with the heights of their peaks over the local minimum. `fallback` (the
 * tall-spike reading) otherwise. `means`: the buckets' means as a column.
 */
function noiseExcursions(
  buckets: readonly Bucket[], means: Float64Array, fromBucket: number, radius: number, base: Float64Array, fallback: SpikeAnalysis, memo?: ExcessMemo,
): SpikeAnalysis {
  const total = buckets.length - fromBucket;
  if (total < 2 * radius + 1) return fallback;
  const byBucket = memo ? excessesByBucket(buckets.length, means, fromBucket, radius, memo) : baseline.get(EXCESS, buckets.length);
  if (!memo) excessesFrom(buckets.length, means, fromBucket, radius, byBucket);
  const depths = baseline.get(DEPTHS, total);
  let below = 0;
  for (let i = fromBucket; i < buckets.length; i++) if (byBucket[i] < 0) depths[below++] = -byBucket[i];
  if (below < radius) return fallback;
  const scale = selectInPlace(depths, below >> 1, below - 1) / NORMAL_MAD;
  const threshold = Math.max(EXCURSION_SIGMAS * scale, SPIKE_MIN_BYTES);
  let up = 0;
  let down = 0;
  let spikyBuckets = 0;
  let maxHeightBytes = 0;
  for (let k = 0; k < total; k++) {
    const excess = byBucket[fromBucket + k];
    const before = k > 0 ? byBucket[fromBucket + k - 1] : NaN;
    if (excess < -threshold / 2 && !(before < -threshold / 2)) down++;
    if (!(excess > threshold) || !heldThrough(buckets[fromBucket + k], excess, threshold)) continue;
    if (!(before > threshold)) up++;
    spikyBuckets++;
    maxHeightBytes = Math.max(maxHeightBytes, buckets[fromBucket + k].max - base[fromBucket + k]);
  }
  if (up < MIN_NOISE_EXCURSIONS || up < ONE_SIDED_RATIO * down) return fallback;
  return { excursions: up, spikyShare: spikyBuckets / total, maxHeightBytes, thresholdBytes: threshold };
}

/** The excesses of buckets [fromBucket, end) in `memo`, computed where an earlier look's do not hold. */
function excessesByBucket(count: number, means: Float64Array, fromBucket: number, radius: number, memo: ExcessMemo): Float64Array {
  // Kept from bucket `from` on: a window starting before that (or after what holds) starts afresh.
  if (radius !== memo.radius || fromBucket < memo.from || fromBucket > memo.to) {
    memo.radius = radius;
    memo.from = memo.to = fromBucket;
  }
  memo.byBucket = atLeast(memo.byBucket, count);
  excessesFrom(count, means, memo.to, radius, memo.byBucket);
  memo.to = count;
  return memo.byBucket;
}

/** Each bucket's mean less the upper median of the means within `radius` of it, from bucket `start` to `count`, into `out` by bucket. */
function excessesFrom(count: number, means: Float64Array, start: number, radius: number, out: Float64Array): void {
  // The means of buckets [from, to], sorted, as the neighbourhood slides along.
  const neighbours = new SortedWindow(baseline.get(NEIGHBOUR_MEANS, 2 * radius + 1));
  let from = Math.max(0, start - radius);
  let to = from - 1;
  for (let i = start; i < count; i++) {
    for (; from < i - radius; from++) neighbours.remove(means[from]);
    for (; to < Math.min(count - 1, i + radius); to++) neighbours.insert(means[to + 1]);
    out[i] = means[i] - neighbours.upperMedian();
  }
}

/**
 * Values kept sorted in a buffer as a window slides over them (one in, one out a step): its
 * middle value at the cost of a shift, where selecting it afresh each step cost a copy and a
 * selection of the whole window.
 */
class SortedWindow {
  private count = 0;

  constructor(private readonly values: Float64Array) {}

  insert(value: number): void {
    let at = this.count;
    for (; at > 0 && this.values[at - 1] > value; at--) this.values[at] = this.values[at - 1];
    this.values[at] = value;
    this.count++;
  }

  /**
   * Takes out the last of the values equal to `value` (found by bisection): equal values are
   * interchangeable, and only the greater ones after it shift down. The first of them, found by
   * a scan, shifted all its equals too: a steady process's buckets share one mean, and each step
   * moved the whole window (a tenth of a look at a `sleep`).
   */
  remove(value: number): void {
    let at = this.lastAtOrBelow(value);
    // Not there (it always is): the scan's choice, the last value.
    if (!(at >= 0 && this.values[at] === value)) at = this.firstEqualOrLast(value);
    for (this.count--; at < this.count; at++) this.values[at] = this.values[at + 1];
  }

  /** Index of the last value ≤ `value` (−1 for none). */
  private lastAtOrBelow(value: number): number {
    // The greatest first: a steady process's buckets all share one mean.
    if (this.count > 0 && this.values[this.count - 1] <= value) return this.count - 1;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private firstEqualOrLast(value: number): number {
    let at = 0;
    while (at < this.count - 1 && this.values[at] !== value) at++;
    return at;
  }

  /** The middle value, the upper of the two for an even count (the (count >> 1)-th smallest). */
  upperMedian(): number {
    return this.values[this.count >> 1];
  }
}

/**
 * A bucket raised by readings that held, not by one outlier: its mean stays over the bar without
 * its highest reading (one request's buffer among ten readings raises the mean a tenth of its
 * height; a batch held for several readings does not hang on one). Buckets of one or two
 * readings cannot tell, and pass.
 */
function heldThrough(b: Bucket, excessBytes: number, threshold: number): boolean {
  if (b.count < 3) return true;
  const withoutTop = (b.count * b.mean - b.max) / (b.count - 1);
  return excessBytes - (b.mean - withoutTop) > threshold;
}

/** Repeated excursions, or spikes in so many buckets that they merge into one run. */
export function isSpiky(s: SpikeAnalysis): boolean {
  return s.excursions >= 2 || (s.excursions >= 1 && s.spikyShare >= 0.2);
}
