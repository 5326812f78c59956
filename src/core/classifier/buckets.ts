// The classifier's memory of a trace: time buckets of equal width, each keeping only its
// count, minimum and maximum (with their times). When there are more than `maxBuckets`, pairs
// merge exactly (min of mins, max of maxes) and the width doubles, so a day of samples costs
// the same as a minute and each push is O(1) amortised. Minima are what the baseline is built
// from (the troughs a GC sawtooth returns to); maxima are what spikes are measured from. Each
// bucket also keeps the mean of its readings and their sum of squared deviations (Welford; merges
// by Chan's formula stay exact): how the readings spread between its minimum and maximum, which
// tells a sawtooth's even climb from temporaries that sit at two levels (sawtooth.ts).

export interface Bucket {
  /** floor((t − origin) / width): buckets are kept in increasing index, empty ones absent (gaps). */
  index: number;
  count: number;
  firstMs: number;
  lastMs: number;
  min: number;
  minMs: number;
  max: number;
  maxMs: number;
  /** Mean of the readings, and the sum of their squared deviations from it. */
  mean: number;
  m2: number;
}

export const DEFAULT_MAX_BUCKETS = 256;
export const DEFAULT_INITIAL_BUCKET_MS = 1000;

export class BucketSeries {
  private readonly store: Bucket[] = [];
  /**
   * Buckets merged away, kept to hold the next ones: at 1 Hz every reading opens a bucket, and a
   * bucket made afresh each second lived long enough to be copied out of the young generation
   * (a watched process's whole trace is kept). Reused, they are made once.
   */
  private readonly spare: Bucket[] = emptyBucketArray();
  private originMs = NaN;
  /** Made NaN, then written: mutable from the first series on (see newBucket); it doubles at the first coarsening. */
  private width = NaN;
  private samples = 0;
  /**
   * Times the buckets were rewritten (a coarsening, a clear). Between two, a push only changes the
   * last bucket or adds one after it: a look's work per bucket over the others still holds.
   * Made −1, then written: mutable from the first series on (a constant field, first rewritten at
   * the first coarsening, threw away the look's optimized context there; see newBucket).
   */
  private rewrites = -1;

  /**
   * `reserve` makes every bucket the series will ever hold at once (a live classifier's): made
   * one a second instead, each was kept, so copied out of the young generation by a collection,
   * until the first coarsening put spares back (256 s at 1 Hz, 232 B a sample for that while).
   */
  constructor(private readonly maxBuckets = DEFAULT_MAX_BUCKETS, private readonly initialWidthMs = DEFAULT_INITIAL_BUCKET_MS, reserve = false) {
    this.width = initialWidthMs;
    this.rewrites = 0;
    // maxBuckets + 1: a push opens the bucket that makes a coarsening due before it merges any.
    if (reserve) for (let i = 0; i <= maxBuckets; i++) this.spare.push(newBucket());
  }

  get sampleCount(): number {
    return this.samples;
  }

  get widthMs(): number {
    return this.width;
  }

  /** Changes when buckets other than the last may have changed (see `rewrites`). */
  get rewriteCount(): number {
    return this.rewrites;
  }

  get buckets(): readonly Bucket[] {
    return this.store;
  }

  get firstMs(): number {
    return this.store.length ? this.store[0].firstMs : NaN;
  }

  get lastMs(): number {
    return this.store.length ? this.store[this.store.length - 1].lastMs : NaN;
  }

  /**
   * Adds a sample (time not before the previous one; callers sort or drop). Returns true when it
   * opened a new bucket, i.e. the previous bucket is complete and worth a fresh look.
   */
  push(tMs: number, value: number): boolean {
    if (Number.isNaN(this.originMs)) this.originMs = tMs;
    this.samples++;
    const index = Math.floor((tMs - this.originMs) / this.width);
    const last = this.store[this.store.length - 1];
    if (last && last.index === index) {
      addTo(last, tMs, value);
      return false;
    }
    this.store.push(this.opened(index, tMs, value));
    if (this.store.length > this.maxBuckets) this.coarsen();
    return this.store.length > 1;
  }

  clear(): void {
    for (const b of this.store) this.spare.push(b);
    this.store.length = 0;
    this.originMs = NaN;
    this.width = this.initialWidthMs;
    this.samples = 0;
    this.rewrites++;
  }

  /** Doubles the width, again if gaps kept the count above the cap (paired buckets merge, lone ones stay). */
  private coarsen(): void {
    this.rewrites++;
    do {
      this.width *= 2;
      let out = 0;
      for (const b of this.store) {
        b.index = Math.floor(b.index / 2);
        const prev = out > 0 ? this.store[out - 1] : undefined;
        if (prev && prev.index === b.index) {
          mergeInto(prev, b);
          this.spare.push(b);
        } else this.store[out++] = b;
      }
      this.store.length = out;
    } while (this.store.length > this.maxBuckets);
  }

  /** A bucket of one reading, a spare one when there is one. */
  private opened(index: number, tMs: number, value: number): Bucket {
    const b = this.spare.pop();
    return reopen(b ?? newBucket(), index, tMs, value);
  }
}

/**
 * A bucket to be written at once (reopen), its fields already of the kind they will hold: the
 * one place buckets are made. V8 compiles a field that no object of a hidden class has had
 * rewritten as a constant, and one that has held only small whole numbers as such; it throws
 * away every optimized function that relied on either when one is rewritten, or given a fraction.
 * At 1 Hz a bucket holds one reading and is not written again until the first coarsening (256 s)
 * merges pairs: that threw away ~20 optimized classifier functions at once, in every watching
 * process (issue 16). Made with placeholders (NaN, a fraction, where fractions will come: means,
 * times, bytes) and written at once, the first bucket of a process already has every field
 * mutable and of its final kind, and the buckets themselves keep that hidden class alive.
 * (Writing a throw-away bucket at load did the same until the first full collection dropped its
 * hidden class, which nothing held: the buckets made after it started a fresh one, all constants.)
 */
function newBucket(): Bucket {
  return { index: -1, count: 0, firstMs: NaN, lastMs: NaN, min: NaN, minMs: NaN, max: NaN, maxMs: NaN, mean: NaN, m2: NaN };
}

/**
 * An empty array whose elements are objects from the start: an empty literal's are small integers,
 * and the first bucket put in the spares (at the first coarsening) changed that, which threw away
 * the optimized code that had only seen it empty.
 */
function emptyBucketArray(): Bucket[] {
  const array = [newBucket()];
  array.length = 0;
  return array;
}

/** `b` as a bucket of one reading. */
function reopen(b: Bucket, index: number, tMs: number, value: number): Bucket {
  b.index = index;
  b.count = 1;
  b.firstMs = b.lastMs = b.minMs = b.maxMs = tMs;
  b.min = b.max = b.mean = value;
  b.m2 = 0;
  return b;
}

function addTo(b: Bucket, tMs: number, value: number): void {
  b.count++;
  const delta = value - b.mean;
  b.mean += delta / b.count;
  b.m2 += delta * (value - b.mean);
  b.lastMs = tMs;
  // `<=` and `>` keep the latest minimum and the first maximum: on a rising line the minimum
  // then sits where the line is, not at a stale earlier sample of equal value.
  if (value <= b.min) {
    b.min = value;
    b.minMs = tMs;
  }
  if (value > b.max) {
    b.max = value;
    b.maxMs = tMs;
  }
}

/** The count, mean and sum of squared deviations of some readings. */
export interface Moments {
  count: number;
  mean: number;
  m2: number;
}

/** Pools b's readings into a's moments (Chan et al.'s parallel formula: exact, no reading kept). */
export function poolMoments(a: Moments, b: Moments): void {
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  a.m2 += b.m2 + (delta * delta * a.count * b.count) / count;
  a.mean += (delta * b.count) / count;
  a.count = count;
}

function mergeInto(a: Bucket, b: Bucket): void {
  poolMoments(a, b);
  a.lastMs = b.lastMs;
  if (b.min < a.min) {
    a.min = b.min;
    a.minMs = b.minMs;
  }
  if (b.max > a.max) {
    a.max = b.max;
    a.maxMs = b.maxMs;
  }
}
