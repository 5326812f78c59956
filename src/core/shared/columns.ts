// The one column schema: every reading of a MemorySample as a column, with its short name on the
// wire (SampleColumns, a third of the JSON of objects) and its field name in the history's typed
// columns. History, protocol and panel all read the lists and the mapping from here.
import { MemorySample } from '../model';

/** Wire name → MemorySample field, for the readings every sample has (in this order). */
export const REQUIRED_COLUMN_FIELDS = { t: 'tMs', rss: 'rssBytes', threads: 'threads', fds: 'fds', childrenRss: 'childrenRssBytes', childCount: 'childCount', cpu: 'cpuPercent' } as const;
/** Wire name → MemorySample field, for readings only some samples have. */
export const OPTIONAL_COLUMN_FIELDS = { uss: 'ussBytes', pss: 'pssBytes', heap: 'heapUsedBytes', gpu: 'gpuBytes' } as const;

export type RequiredColumn = keyof typeof REQUIRED_COLUMN_FIELDS;
export type OptionalColumn = keyof typeof OPTIONAL_COLUMN_FIELDS;
export type RequiredField = (typeof REQUIRED_COLUMN_FIELDS)[RequiredColumn];
export type OptionalField = (typeof OPTIONAL_COLUMN_FIELDS)[OptionalColumn];

export const REQUIRED_COLUMNS = Object.keys(REQUIRED_COLUMN_FIELDS) as readonly RequiredColumn[];
export const OPTIONAL_COLUMNS = Object.keys(OPTIONAL_COLUMN_FIELDS) as readonly OptionalColumn[];
export const REQUIRED_FIELDS = Object.values(REQUIRED_COLUMN_FIELDS) as readonly RequiredField[];
export const OPTIONAL_FIELDS = Object.values(OPTIONAL_COLUMN_FIELDS) as readonly OptionalField[];

// Every field of a sample but the derived delta is a column: adding a reading to MemorySample
// without a column fails to compile here.
type Unmapped = Exclude<keyof MemorySample, RequiredField | OptionalField | 'deltaBytes'>;
const everyReadingIsAColumn: [Unmapped] extends [never] ? true : never = true;
void everyReadingIsAColumn;

/**
 * Samples as columns on the wire: one array per reading instead of one object per sample.
 * Optional readings are null where a sample lacks them.
 */
export type SampleColumns = Record<RequiredColumn, number[]> & Partial<Record<OptionalColumn, (number | null)[]>>;

export function emptyColumns(): SampleColumns {
  return { t: [], rss: [], threads: [], fds: [], childrenRss: [], childCount: [], cpu: [] };
}

/** Columns for a batch of samples; optional columns only when some sample has the reading. */
export function samplesToColumns(samples: readonly MemorySample[]): SampleColumns {
  const columns = emptyColumns();
  for (const key of REQUIRED_COLUMNS) {
    const field = REQUIRED_COLUMN_FIELDS[key];
    columns[key] = samples.map((s) => s[field]);
  }
  for (const key of OPTIONAL_COLUMNS) {
    const field = OPTIONAL_COLUMN_FIELDS[key];
    if (samples.some((s) => s[field] !== undefined)) columns[key] = samples.map((s) => s[field] ?? null);
  }
  return columns;
}

/** The inverse of samplesToColumns; deltas are recomputed from consecutive RSS values. */
export function columnsToSamples(columns: SampleColumns): MemorySample[] {
  return columns.t.map((tMs, i) => {
    const sample: MemorySample = {
      tMs,
      rssBytes: columns.rss[i],
      deltaBytes: i === 0 ? 0 : columns.rss[i] - columns.rss[i - 1],
      threads: columns.threads[i],
      fds: columns.fds[i],
      childrenRssBytes: columns.childrenRss[i],
      childCount: columns.childCount[i],
      cpuPercent: columns.cpu[i],
    };
    for (const key of OPTIONAL_COLUMNS) {
      const value = columns[key]?.[i];
      if (value !== undefined && value !== null) sample[OPTIONAL_COLUMN_FIELDS[key]] = value;
    }
    return sample;
  });
}

/**
 * The same columns as Float64Arrays, as the host posts them: VS Code (1.57+) hands typed arrays
 * to the webview as buffers, and a browser's structured clone of one is a copy of its bytes,
 * where a plain array of 86,400 numbers is cloned (and later collected) number by number.
 * NaN in an optional column means that sample has no such reading.
 */
export type PackedSampleColumns = Record<RequiredColumn, Float64Array> & Partial<Record<OptionalColumn, Float64Array>>;

/** Columns in either form: what the protocol's validator accepts. */
export type AnySampleColumns = SampleColumns | PackedSampleColumns;

/**
 * A packed column as a plain array (the inverse of packColumns, a column at a time); `nanIsNull`
 * for an optional reading (NaN: the sample lacks it). A loop into an array of known length:
 * Array.from of a Float64Array took ~4× as long.
 */
export function toArray(values: Float64Array, nanIsNull: boolean): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = nanIsNull && Number.isNaN(v) ? null : v;
  }
  return out;
}

/** Packed columns as they are; plain ones packed (a Float64Array each, NaN for null). */
export function packColumns(c: AnySampleColumns): PackedSampleColumns {
  if (isPacked(c)) return c;
  const packed = {} as PackedSampleColumns;
  for (const key of REQUIRED_COLUMNS) packed[key] = Float64Array.from(c[key]);
  for (const key of OPTIONAL_COLUMNS) {
    const values = c[key];
    if (values) packed[key] = Float64Array.from(values, (v) => v ?? NaN);
  }
  return packed;
}

/** Plain columns as they are; packed ones as plain arrays (null for NaN in an optional column). */
export function unpackColumns(c: AnySampleColumns): SampleColumns {
  if (!isPacked(c)) return c;
  const plain = emptyColumns();
  for (const key of REQUIRED_COLUMNS) plain[key] = toArray(c[key], false) as number[];
  for (const key of OPTIONAL_COLUMNS) {
    const values = c[key];
    if (values) plain[key] = toArray(values, true);
  }
  return plain;
}

function isPacked(c: AnySampleColumns): c is PackedSampleColumns {
  return c.t instanceof Float64Array;
}
