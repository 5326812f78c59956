// A monitor's samples, bounded forever. The newest `capacity` samples are kept exactly in a ring;
// samples that fall out of it are downsampled, not dropped: each bucket of `bucketSize` of them
// keeps two real samples, the one with the lowest RSS and the one with the highest, so the
// baseline (troughs) and the peaks that a leak verdict and a limit need both survive. When the
// bucket tier is full, neighbouring buckets merge pairwise (min of mins, max of maxes) and the
// bucket span doubles: the whole run stays visible at a coarser grain, in bounded memory.
import { MemorySample } from '../model';
import {
  OPTIONAL_COLUMNS,
  OPTIONAL_COLUMN_FIELDS,
  OptionalField,
  PackedSampleColumns,
  REQUIRED_COLUMNS,
  REQUIRED_COLUMN_FIELDS,
  RequiredField,
} from '../shared/columns';
import { ColumnStore } from './columns';

export interface SampleHistoryOptions {
  /** Samples kept exactly (default 86,400: 24 h at 1 Hz). */
  capacity?: number;
  /** Evicted samples per downsampled bucket at first (default 60: a minute at 1 Hz). */
  bucketSize?: number;
  /** Buckets before they merge pairwise (default capacity / 20, at least 256). */
  maxBuckets?: number;
}

export const DEFAULT_HISTORY_CAPACITY = 86_400;
const INITIAL_ROWS = 1024;

export class SampleHistory {
  readonly capacity: number;
  private readonly full: ColumnStore;
  /** Index of the oldest full-resolution sample in the ring, and how many there are. */
  private head = 0;
  private fullCount = 0;
  private readonly tier: DownsampledTier;
  private pushed = 0;
  private peak: MemorySample | undefined;

  constructor(options: SampleHistoryOptions | number = {}) {
    const o = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = Math.max(1, Math.floor(o.capacity ?? DEFAULT_HISTORY_CAPACITY));
    this.full = new ColumnStore(Math.min(this.capacity, INITIAL_ROWS));
    this.tier = new DownsampledTier(o.bucketSize ?? 60, o.maxBuckets ?? Math.max(256, Math.ceil(this.capacity / 20)));
  }

  /** Rows that toSamples() returns: downsampled ones plus full-resolution ones. */
  get length(): number {
    return this.tier.rowCount + this.fullCount;
  }

  /** Samples at full resolution (at most `capacity`). */
  get fullResolutionLength(): number {
    return this.fullCount;
  }

  /** Every sample ever pushed, including those downsampled. */
  get totalPushed(): number {
    return this.pushed;
  }

  /** The sample with the highest RSS ever pushed. */
  get peakSample(): MemorySample | undefined {
    return this.peak && { ...this.peak };
  }

  /** Bytes held by the typed arrays: bounded by capacity and maxBuckets, never by run length. */
  get retainedBytes(): number {
    return this.full.byteLength + this.tier.byteLength;
  }

  push(sample: MemorySample): void {
    this.pushed++;
    if (!this.peak || sample.rssBytes > this.peak.rssBytes) this.peak = { ...sample };
    if (this.fullCount === this.capacity) {
      this.tier.add(this.full, this.head);
      this.full.write(this.head, sample);
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    if (this.fullCount === this.full.size) this.full.resize(Math.min(this.capacity, this.full.size * 2));
    this.full.write(this.fullCount, sample);
    this.fullCount++;
  }

  /** The latest sample's RSS, read from its column: for a caller that wants no more than that, no sample object made. */
  latestRssBytes(): number | undefined {
    return this.fullCount === 0 ? undefined : this.full.value('rssBytes', this.ringRow(this.fullCount - 1));
  }

  latest(): MemorySample | undefined {
    if (this.fullCount === 0) return undefined;
    const sample = this.full.read(this.ringRow(this.fullCount - 1));
    if (this.fullCount > 1) sample.deltaBytes = sample.rssBytes - this.full.value('rssBytes', this.ringRow(this.fullCount - 2));
    return sample;
  }

  /**
   * Oldest first, downsampled samples first. deltaBytes is the change from the previous
   * sample returned (so across a downsampled stretch it spans the whole gap).
   */
  toSamples(): MemorySample[] {
    const samples = [...this.tier.rows()].map((row) => this.tier.store.read(row));
    for (let i = 0; i < this.fullCount; i++) samples.push(this.full.read(this.ringRow(i)));
    for (let i = 1; i < samples.length; i++) samples[i].deltaBytes = samples[i].rssBytes - samples[i - 1].rssBytes;
    return samples;
  }

  /**
   * The same rows as toSamples(), as the panel's packed columns (src/core/shared/columns.ts:
   * Float64Arrays, NaN where a sample lacks an optional reading), copied straight from the typed
   * columns: no object per sample and no plain array, and what the host posts as it is. An
   * optional column only when some kept sample has that reading.
   */
  toPackedColumns(): PackedSampleColumns {
    const rows = this.rowOrder();
    const columns = {} as PackedSampleColumns;
    for (const key of REQUIRED_COLUMNS) columns[key] = this.copyColumn(REQUIRED_COLUMN_FIELDS[key], rows, new Float64Array(this.length));
    for (const key of OPTIONAL_COLUMNS) {
      const field = OPTIONAL_COLUMN_FIELDS[key];
      if (!this.hasOptional(field)) continue;
      const values = this.copyColumn(field, rows, new Float64Array(this.length));
      if (values.some((v) => v === v)) columns[key] = values; // v === v: not NaN
    }
    return columns;
  }

  /** Times and RSS of the full-resolution samples at or after `sinceMs`, oldest first. */
  recentRss(sinceMs: number): { tMs: number[]; rssBytes: number[] } {
    const tMs: number[] = [];
    const rssBytes: number[] = [];
    for (let i = this.fullCount - 1; i >= 0; i--) {
      const row = this.ringRow(i);
      const t = this.full.value('tMs', row);
      if (t < sinceMs) break;
      tMs.push(t);
      rssBytes.push(this.full.value('rssBytes', row));
    }
    return { tMs: tMs.reverse(), rssBytes: rssBytes.reverse() };
  }

  private ringRow(i: number): number {
    return (this.head + i) % this.capacity;
  }

  /** Which rows of each store toSamples() shows, in its order: downsampled ones, then the ring from its oldest. */
  private rowOrder(): { tier: Int32Array; full: Int32Array } {
    const full = new Int32Array(this.fullCount);
    for (let i = 0; i < this.fullCount; i++) full[i] = this.ringRow(i);
    return { tier: Int32Array.from(this.tier.rows()), full };
  }

  private copyColumn(field: RequiredField | OptionalField, rows: { tier: Int32Array; full: Int32Array }, out: Float64Array): Float64Array {
    this.tier.store.copyColumn(field, rows.tier, out, 0);
    this.full.copyColumn(field, rows.full, out, rows.tier.length);
    return out;
  }

  private hasOptional(field: OptionalField): boolean {
    return this.full.hasOptional(field) || this.tier.store.hasOptional(field);
  }
}

/**
 * Buckets of evicted samples. Bucket b owns rows 2b and 2b+1 of `store`: its lowest- and
 * highest-RSS samples in time order (the same sample twice when it has only one). The bucket
 * being filled sits after the committed ones.
 */
class DownsampledTier {
  readonly store: ColumnStore;
  private buckets = 0;
  private span: number;
  private pendingCount = 0;
  private cachedRowCount: number | undefined = 0;

  constructor(bucketSize: number, private readonly maxBuckets: number) {
    this.span = Math.max(1, Math.floor(bucketSize));
    this.maxBuckets = Math.max(2, maxBuckets + (maxBuckets % 2));
    this.store = new ColumnStore(0);
  }

  get byteLength(): number {
    return this.store.byteLength;
  }

  /** Rows toSamples shows: two per bucket unless both are the same sample. */
  get rowCount(): number {
    if (this.cachedRowCount === undefined) {
      let count = 0;
      for (const _ of this.rows()) count++;
      this.cachedRowCount = count;
    }
    return this.cachedRowCount;
  }

  *rows(): Generator<number> {
    const total = this.buckets + (this.pendingCount > 0 ? 1 : 0);
    for (let b = 0; b < total; b++) {
      yield 2 * b;
      if (this.store.value('tMs', 2 * b + 1) !== this.store.value('tMs', 2 * b)) yield 2 * b + 1;
    }
  }

  add(from: ColumnStore, row: number): void {
    this.cachedRowCount = undefined;
    this.ensureRows(2 * this.buckets + 2);
    const low = 2 * this.buckets;
    const high = low + 1;
    if (this.pendingCount === 0) {
      copyBetween(from, row, this.store, low);
      copyBetween(from, row, this.store, high);
    } else {
      const rss = from.value('rssBytes', row);
      // Rows stay in time order: the newcomer is the latest, so it goes in the second slot.
      if (rss < this.minRss(low, high)) this.placeExtreme(from, row, low, high, 'min');
      else if (rss > this.maxRss(low, high)) this.placeExtreme(from, row, low, high, 'max');
    }
    this.pendingCount++;
    if (this.pendingCount >= this.span) this.commit();
  }

  private commit(): void {
    this.pendingCount = 0;
    this.buckets++;
    if (this.buckets >= this.maxBuckets) this.halve();
  }

  /** Merges buckets pairwise: half as many, twice as wide. */
  private halve(): void {
    const merged = this.buckets / 2;
    for (let b = 0; b < merged; b++) this.mergeInto(b, 2 * b, 2 * b + 1);
    this.buckets = merged;
    this.span *= 2;
  }

  private mergeInto(target: number, a: number, b: number): void {
    const rows = [2 * a, 2 * a + 1, 2 * b, 2 * b + 1];
    const rss = (r: number) => this.store.value('rssBytes', r);
    const min = rows.reduce((best, r) => (rss(r) < rss(best) ? r : best));
    const max = rows.reduce((best, r) => (rss(r) > rss(best) ? r : best));
    const [first, second] = this.store.value('tMs', min) <= this.store.value('tMs', max) ? [min, max] : [max, min];
    // Read both before writing: target rows may overlap the source rows (target <= a).
    const scratch = this.store.size - 2;
    this.store.copyRow(first, scratch);
    this.store.copyRow(second, scratch + 1);
    this.store.copyRow(scratch, 2 * target);
    this.store.copyRow(scratch + 1, 2 * target + 1);
  }

  /** Puts a new extreme into the pending bucket, keeping the other extreme and time order. */
  private placeExtreme(from: ColumnStore, row: number, low: number, high: number, kind: 'min' | 'max'): void {
    const rss = (r: number) => this.store.value('rssBytes', r);
    const keep = kind === 'min' ? (rss(low) >= rss(high) ? low : high) : rss(low) <= rss(high) ? low : high;
    if (keep !== low) this.store.copyRow(keep, low);
    copyBetween(from, row, this.store, high);
  }

  private minRss(a: number, b: number): number {
    return Math.min(this.store.value('rssBytes', a), this.store.value('rssBytes', b));
  }

  private maxRss(a: number, b: number): number {
    return Math.max(this.store.value('rssBytes', a), this.store.value('rssBytes', b));
  }

  /** Grows geometrically up to the final size (2 rows per bucket, the pending one, 2 scratch). */
  private ensureRows(needed: number): void {
    const finalRows = 2 * this.maxBuckets + 4;
    if (this.store.size >= needed + 2) return;
    this.store.resize(Math.min(finalRows, Math.max(needed + 2, this.store.size * 2, 64)));
  }
}

function copyBetween(from: ColumnStore, fromRow: number, to: ColumnStore, toRow: number): void {
  to.write(toRow, from.read(fromRow));
}
