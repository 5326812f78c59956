// Samples stored column-wise in Float64Arrays: ~56 bytes a sample instead of a ~200-byte object,
// and columns can be handed to the chart without building objects. Optional readings (USS,
// heap...) get a column only once some sample has them; missing values are NaN. The columns are
// the schema's (src/core/shared/columns.ts), by MemorySample field name.
import { MemorySample } from '../model';
import { OPTIONAL_FIELDS, OptionalField, RequiredField } from '../shared/columns';

export class ColumnStore {
  private required: Record<RequiredField, Float64Array>;
  /** Every key present from the start (undefined until used): one object shape, so the per-sample
   *  checks in write() stay monomorphic when a column appears. */
  private optional: Partial<Record<OptionalField, Float64Array>> = { ussBytes: undefined, pssBytes: undefined, heapUsedBytes: undefined, gpuBytes: undefined };

  constructor(private rows: number) {
    this.required = requiredColumns(() => new Float64Array(rows));
  }

  get size(): number {
    return this.rows;
  }

  get byteLength(): number {
    return this.allColumns().reduce((sum, column) => sum + column.byteLength, 0);
  }

  /** Spelled out column by column: this runs for every sample of every monitor. */
  write(row: number, sample: MemorySample): void {
    const r = this.required;
    r.tMs[row] = sample.tMs;
    r.rssBytes[row] = sample.rssBytes;
    r.threads[row] = sample.threads;
    r.fds[row] = sample.fds;
    r.childrenRssBytes[row] = sample.childrenRssBytes;
    r.childCount[row] = sample.childCount;
    r.cpuPercent[row] = sample.cpuPercent;
    if (sample.ussBytes !== undefined || sample.pssBytes !== undefined || sample.heapUsedBytes !== undefined || sample.gpuBytes !== undefined || this.hasAnyOptional) {
      this.writeOptional(row, sample);
    }
  }

  private get hasAnyOptional(): boolean {
    return this.optional.ussBytes !== undefined || this.optional.pssBytes !== undefined || this.optional.heapUsedBytes !== undefined || this.optional.gpuBytes !== undefined;
  }

  private writeOptional(row: number, sample: MemorySample): void {
    for (const c of OPTIONAL_FIELDS) {
      const value = sample[c];
      const column = value === undefined ? this.optional[c] : this.optionalColumn(c);
      if (column) column[row] = value ?? NaN;
    }
  }

  /** A sample object for `row`; deltaBytes is left 0 for the caller to fill. */
  read(row: number): MemorySample {
    const r = this.required;
    const sample: MemorySample = {
      tMs: r.tMs[row],
      rssBytes: r.rssBytes[row],
      deltaBytes: 0,
      threads: r.threads[row],
      fds: r.fds[row],
      childrenRssBytes: r.childrenRssBytes[row],
      childCount: r.childCount[row],
      cpuPercent: r.cpuPercent[row],
    };
    for (const c of OPTIONAL_FIELDS) {
      const value = this.optional[c]?.[row];
      if (value !== undefined && !Number.isNaN(value)) sample[c] = value;
    }
    return sample;
  }

  value(column: RequiredField, row: number): number {
    return this.required[column][row];
  }

  copyRow(from: number, to: number): void {
    for (const column of this.allColumns()) column[to] = column[from];
  }

  hasOptional(column: OptionalField): boolean {
    return this.optional[column] !== undefined;
  }

  /**
   * Copies one column's values at `rows` (in that order) into `out` from `offset`: NaN for an
   * optional column this store does not have. Column by column, so each loop is a plain copy;
   * one loop per kind of target, so each stays monomorphic (this runs per row of a day).
   */
  copyColumn(field: RequiredField | OptionalField, rows: Int32Array, out: Float64Array, offset: number): void {
    const column = this.column(field);
    if (!column) out.fill(NaN, offset, offset + rows.length);
    else for (let i = 0; i < rows.length; i++) out[offset + i] = column[rows[i]];
  }

  private column(field: RequiredField | OptionalField): Float64Array | undefined {
    return field in this.required ? this.required[field as RequiredField] : this.optional[field as OptionalField];
  }

  /** Grows to `rows`, keeping rows [0, oldRows). */
  resize(rows: number): void {
    const grow = (old: Float64Array, fill: number): Float64Array => {
      const next = new Float64Array(rows).fill(fill, old.length);
      next.set(old.subarray(0, Math.min(old.length, rows)));
      return next;
    };
    const old = this.required;
    this.required = requiredColumns((c) => grow(old[c], 0));
    for (const c of OPTIONAL_FIELDS) {
      const column = this.optional[c];
      if (column) this.optional[c] = grow(column, NaN);
    }
    this.rows = rows;
  }

  private optionalColumn(c: OptionalField): Float64Array {
    let column = this.optional[c];
    if (!column) {
      column = new Float64Array(this.rows).fill(NaN);
      this.optional[c] = column;
    }
    return column;
  }

  private allColumns(): Float64Array[] {
    const columns = Object.values(this.required);
    for (const column of Object.values(this.optional)) if (column !== undefined) columns.push(column);
    return columns;
  }
}

/** An object literal, so that every store has the same fast shape (write() runs per sample). */
function requiredColumns(make: (column: RequiredField) => Float64Array): Record<RequiredField, Float64Array> {
  return {
    tMs: make('tMs'),
    rssBytes: make('rssBytes'),
    threads: make('threads'),
    fds: make('fds'),
    childrenRssBytes: make('childrenRssBytes'),
    childCount: make('childCount'),
    cpuPercent: make('cpuPercent'),
  };
}
