// Samples stored row by row in one Float64Array: ~56 bytes a sample instead of a ~200-byte object,
// and columns can be copied out for the chart without building objects. Optional readings (USS,
// heap...) get a slot in every row only once some sample has them; missing values are NaN. The
// fields are the schema's (src/core/shared/columns.ts), by MemorySample field name.
//
// Why rows, not a Float64Array per field: a sample is written once a second, and on a VM a page
// untouched for a second costs microseconds at its next touch (measured here: 9 fields in 9 arrays
// 25–45 µs a write a second apart against 5.6–6 µs for one row-major array; 2.9 against 0.5 µs
// 50 ms apart). A row is one or two cache lines on one page; a column per field was nine pages.
import { MemorySample } from '../model';
import { OPTIONAL_FIELDS, OptionalField, RequiredField } from '../shared/columns';

/** Where each required field sits in a row. */
const REQUIRED_SLOT: Readonly<Record<RequiredField, number>> = { tMs: 0, rssBytes: 1, threads: 2, fds: 3, childrenRssBytes: 4, childCount: 5, cpuPercent: 6 };
const REQUIRED_WIDTH = 7;
const ABSENT = -1;

export class ColumnStore {
  private data: Float64Array;
  /** Values a row: the required fields, then one slot per optional field in use. */
  private stride = REQUIRED_WIDTH;
  /** Each optional field's slot in a row, ABSENT until some sample has it: one object shape, so write() stays monomorphic. */
  private readonly optionalSlot: Record<OptionalField, number> = { ussBytes: ABSENT, pssBytes: ABSENT, heapUsedBytes: ABSENT, gpuBytes: ABSENT };

  constructor(private rows: number) {
    this.data = new Float64Array(rows * this.stride);
  }

  get size(): number {
    return this.rows;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  /** Spelled out field by field: this runs for every sample of every monitor. */
  write(row: number, sample: MemorySample): void {
    if (sample.ussBytes !== undefined || sample.pssBytes !== undefined || sample.heapUsedBytes !== undefined || sample.gpuBytes !== undefined) this.makeSlots(sample);
    const d = this.data;
    const at = row * this.stride;
    d[at] = sample.tMs;
    d[at + 1] = sample.rssBytes;
    d[at + 2] = sample.threads;
    d[at + 3] = sample.fds;
    d[at + 4] = sample.childrenRssBytes;
    d[at + 5] = sample.childCount;
    d[at + 6] = sample.cpuPercent;
    if (this.stride > REQUIRED_WIDTH) this.writeOptional(at, sample);
  }

  private writeOptional(at: number, sample: MemorySample): void {
    for (const field of OPTIONAL_FIELDS) {
      const slot = this.optionalSlot[field];
      if (slot !== ABSENT) this.data[at + slot] = sample[field] ?? NaN;
    }
  }

  /** A sample object for `row`; deltaBytes is left 0 for the caller to fill. */
  read(row: number): MemorySample {
    const d = this.data;
    const at = row * this.stride;
    const sample: MemorySample = {
      tMs: d[at],
      rssBytes: d[at + 1],
      deltaBytes: 0,
      threads: d[at + 2],
      fds: d[at + 3],
      childrenRssBytes: d[at + 4],
      childCount: d[at + 5],
      cpuPercent: d[at + 6],
    };
    for (const field of OPTIONAL_FIELDS) {
      const slot = this.optionalSlot[field];
      if (slot === ABSENT) continue;
      const value = d[at + slot];
      if (!Number.isNaN(value)) sample[field] = value;
    }
    return sample;
  }

  value(field: RequiredField, row: number): number {
    return this.data[row * this.stride + REQUIRED_SLOT[field]];
  }

  copyRow(from: number, to: number): void {
    this.data.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
  }

  hasOptional(field: OptionalField): boolean {
    return this.optionalSlot[field] !== ABSENT;
  }

  /**
   * Copies one field's values at `rows` (in that order) into `out` from `offset`: NaN for an
   * optional field this store does not have.
   */
  copyColumn(field: RequiredField | OptionalField, rows: Int32Array, out: Float64Array, offset: number): void {
    const slot = this.slotOf(field);
    if (slot === ABSENT) {
      out.fill(NaN, offset, offset + rows.length);
      return;
    }
    const d = this.data;
    const stride = this.stride;
    for (let i = 0; i < rows.length; i++) out[offset + i] = d[rows[i] * stride + slot];
  }

  private slotOf(field: RequiredField | OptionalField): number {
    return field in REQUIRED_SLOT ? REQUIRED_SLOT[field as RequiredField] : this.optionalSlot[field as OptionalField];
  }

  /** Grows (or shrinks) to `rows`, keeping rows [0, min(old, new)); new rows read 0, optional fields NaN. */
  resize(rows: number): void {
    const next = new Float64Array(rows * this.stride);
    next.set(this.data.subarray(0, Math.min(this.rows, rows) * this.stride));
    this.data = next;
    if (rows > this.rows) this.fillOptional(this.rows, rows);
    this.rows = rows;
  }

  /** Gives each optional field `sample` has a slot in every row (NaN in rows written before): at most once per field. */
  private makeSlots(sample: MemorySample): void {
    if (OPTIONAL_FIELDS.every((field) => sample[field] === undefined || this.optionalSlot[field] !== ABSENT)) return;
    const added = OPTIONAL_FIELDS.filter((field) => sample[field] !== undefined && this.optionalSlot[field] === ABSENT);
    const oldStride = this.stride;
    const stride = oldStride + added.length;
    const next = new Float64Array(this.rows * stride).fill(NaN);
    for (let row = 0; row < this.rows; row++) next.set(this.data.subarray(row * oldStride, (row + 1) * oldStride), row * stride);
    added.forEach((field, i) => (this.optionalSlot[field] = oldStride + i));
    this.data = next;
    this.stride = stride;
  }

  private fillOptional(fromRow: number, toRow: number): void {
    if (this.stride === REQUIRED_WIDTH) return;
    for (let row = fromRow; row < toRow; row++) this.data.fill(NaN, row * this.stride + REQUIRED_WIDTH, (row + 1) * this.stride);
  }
}
