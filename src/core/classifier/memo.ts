// What a look computes bucket by bucket, kept for the series' next look (issue 16). A watched
// process is looked at every ~16 s, by then a few buckets longer, and between two coarsenings a
// push changes only the last bucket or adds one after it: a value that depends on the buckets
// within a radius of its own is then the previous look's, bit for bit, everywhere but near the
// end. A look redid all of them (the local minima, the spikes' excesses: ~15% of its work).
import { Bucket, BucketSeries, DEFAULT_MAX_BUCKETS } from './buckets';
import { BucketColumns, copyColumns, emptyColumns, localBaseline } from './points';

/**
 * noiseExcursions' excess of each bucket over its neighbours' median mean, by bucket index, kept
 * from a series' earlier look (spikes.ts): it depends on the buckets within `radius` only, not on
 * where the window starts. Those of buckets [from, to) hold.
 */
export interface ExcessMemo {
  byBucket: Float64Array;
  radius: number;
  from: number;
  to: number;
}

export class SeriesMemo {
  private rewrites = -1;
  private length = 0;
  /** The buckets as columns, kept look by look: those of buckets [0, length) hold after `begin`. */
  readonly columns: BucketColumns = emptyColumns(DEFAULT_MAX_BUCKETS + 1);
  private columnsValid = 0;
  private minima: Float64Array = new Float64Array(DEFAULT_MAX_BUCKETS + 1);
  private minimaRadius = 0;
  /** The minima of buckets [0, minimaValid) hold for the buckets as they are now. */
  private minimaValid = 0;
  /** Leading buckets whose minimum is the first's: the same for buckets [0, levelRun) at least, as they are now. */
  private levelRun = 0;
  /** noiseExcursions' excesses by bucket (spikes.ts). */
  readonly excess: ExcessMemo = { byBucket: new Float64Array(DEFAULT_MAX_BUCKETS + 1), radius: 0, from: 0, to: 0 };

  /**
   * At the start of every look of `series`: forgets what its buckets' changes since the previous
   * look reach. Buckets before the previous look's last are unchanged unless the series was
   * rewritten; a value within its radius of one that changed is stale.
   */
  begin(series: BucketSeries): void {
    const n = series.buckets.length;
    const unchanged = series.rewriteCount === this.rewrites ? Math.max(0, Math.min(this.length, n) - 1) : 0;
    this.rewrites = series.rewriteCount;
    this.length = n;
    this.minimaValid = Math.min(this.minimaValid, Math.max(0, unchanged - this.minimaRadius));
    this.excess.to = Math.min(this.excess.to, Math.max(0, unchanged - this.excess.radius));
    this.levelRun = Math.min(this.levelRun, unchanged);
    this.updateColumns(series.buckets, unchanged);
  }

  /** The columns of the buckets that changed since the last look (all of them after a rewrite). */
  private updateColumns(buckets: readonly Bucket[], unchanged: number): void {
    const columns = this.columns;
    if (columns.min.length < buckets.length) {
      columns.min = atLeast(columns.min, buckets.length);
      columns.minMs = atLeast(columns.minMs, buckets.length);
      columns.max = atLeast(columns.max, buckets.length);
      columns.count = atLeast(columns.count, buckets.length);
      columns.mean = atLeast(columns.mean, buckets.length);
    }
    copyColumns(buckets, Math.min(this.columnsValid, unchanged), columns);
    this.columnsValid = buckets.length;
  }

  /** Every bucket's minimum the same (steps.ts): checked from where the last look's run of them ended. */
  minimaLevel(buckets: readonly Bucket[]): boolean {
    const n = buckets.length;
    let run = Math.max(1, this.levelRun);
    while (run < n && buckets[run].min === buckets[0].min) run++;
    this.levelRun = run;
    return run >= n;
  }

  /** localBaseline(buckets, radius) in its first buckets.length values, computed where the last look's no longer hold. */
  localMinima(buckets: readonly Bucket[], radius: number): Float64Array {
    if (radius !== this.minimaRadius) {
      this.minimaRadius = radius;
      this.minimaValid = 0;
    }
    this.minima = atLeast(this.minima, buckets.length);
    localBaseline(buckets, radius, this.minima, this.minimaValid, this.columns.min);
    this.minimaValid = buckets.length;
    return this.minima;
  }
}

/** `values`, or a copy at least `length` long (a series of more buckets than the default). */
export function atLeast(values: Float64Array, length: number): Float64Array {
  if (values.length >= length) return values;
  const grown = new Float64Array(2 * length);
  grown.set(values);
  return grown;
}
