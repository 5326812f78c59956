// Samples stored column-wise in Float64Arrays: ~56 bytes a sample instead of a ~200-byte object,
// and columns can be handed to the chart without building objects. Optional readings (USS,
// heap...) get a column only once some sample has them; missing values are NaN.
import { MemorySample } from '../model';

export const REQUIRED_COLUMNS = ['tMs', 'rssBytes', 'threads', 'fds', 'childrenRssBytes', 'childCount', 'cpuPercent'] as const;
export const OPTIONAL_COLUMNS = ['ussBytes', 'pssBytes', 'heapUsedBytes', 'gpuBytes'] as const;

export type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

export class ColumnStore {
  private required: Record<RequiredColumn, Float64Array>;
  /** Every key present from the start (undefined until used): one object shape, so the per-sample
   *  checks in write() stay monomorphic when a column appears. */
  private optional: Partial<Record<OptionalColumn, Float64Array>> = { ussBytes: undefined, pssBytes: undefined, heapUsedBytes: undefined, gpuBytes: undefined };

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
    for (const c of OPTIONAL_COLUMNS) {
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
    for (const c of OPTIONAL_COLUMNS) {
      const value = this.optional[c]?.[row];
      if (value !== undefined && !Number.isNaN(value)) sample[c] = value;
    }
    return sample;
  }

  value(column: RequiredColumn, row: number): number {
    return this.required[column][row];
  }

  copyRow(from: number, to: number): void {
    for (const column of this.allColumns()) column[to] = column[from];
  }

  hasOptional(column: OptionalColumn): boolean {
    return this.optional[column] !== undefined;
  }

  /** Copies rows in the given order into `target` columns from `offset`. */
  gather(rowOrder: Iterable<number>, target: Record<string, Float64Array>, offset: number): void {
    let out = offset;
    for (const row of rowOrder) {
      for (const c of REQUIRED_COLUMNS) target[c][out] = this.required[c][row];
      for (const c of OPTIONAL_COLUMNS) {
        const column = this.optional[c];
        if (target[c]) target[c][out] = column ? column[row] : NaN;
      }
      out++;
    }
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
    for (const c of OPTIONAL_COLUMNS) {
      const column = this.optional[c];
      if (column) this.optional[c] = grow(column, NaN);
    }
    this.rows = rows;
  }

  private optionalColumn(c: OptionalColumn): Float64Array {
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
function requiredColumns(make: (column: RequiredColumn) => Float64Array): Record<RequiredColumn, Float64Array> {
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
