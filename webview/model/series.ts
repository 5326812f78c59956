// The webview's copy of a monitor's samples, kept as columns and handed to chart.js as
// point arrays: min-max decimated for the visible range (see decimate.ts), a fresh array per
// update (chart.js then never holds on to data that changes under it). Pure: tested in Node.
import { OPTIONAL_COLUMNS, SampleColumns, emptyColumns } from '../../src/core/shared/columns';
import { BucketGrid, IncrementalDecimator, decimateVisible } from './decimate';
import { Point } from './point';
import { PANEL_MAX_SAMPLES, minMaxThin } from '../../src/core/shared/thin';

export type SeriesKey = 'rss' | 'childrenRss' | 'uss' | 'pss' | 'heap' | 'gpu' | 'threads' | 'fds';
export const SERIES_KEYS: readonly SeriesKey[] = ['rss', 'childrenRss', 'uss', 'pss', 'heap', 'gpu', 'threads', 'fds'];

/** Which column a series reads, and what counts as "no reading" in it. */
const SOURCE: Record<SeriesKey, keyof SampleColumns> = {
  rss: 'rss',
  childrenRss: 'childrenRss',
  uss: 'uss',
  pss: 'pss',
  heap: 'heap',
  gpu: 'gpu',
  threads: 'threads',
  fds: 'fds',
};

/** A reading that makes a series worth drawing (see SeriesStore.has). */
const WORTH_DRAWING: Record<SeriesKey, (v: number | null) => boolean> = {
  rss: (v) => v !== null,
  childrenRss: (v) => v !== null && v > 0,
  uss: (v) => v !== null,
  pss: (v) => v !== null,
  heap: (v) => v !== null,
  gpu: (v) => v !== null,
  // A running process has at least one thread: all zeros means the trace had no thread counts
  // (a Prometheus series, an mprof file), not a count to draw.
  threads: (v) => v !== null && v > 0,
  fds: (v) => v !== null && v >= 0,
};

export class SeriesStore {
  private columns: SampleColumns = emptyColumns();
  private readonly caches = new Map<SeriesKey, { points: Point[]; upTo: number }>();
  private readonly decimators = new Map<SeriesKey, IncrementalDecimator>();
  /** The time column's buckets, shared by the series' decimators. */
  private grid = new BucketGrid();
  /** What `has` found so far, over the `t` array it was asked about. */
  private readonly presence = new Map<SeriesKey, { t: readonly number[]; upTo: number; found: boolean }>();

  constructor(private readonly maxSamples = PANEL_MAX_SAMPLES) {}

  get length(): number {
    return this.columns.t.length;
  }

  /** The raw columns (read-only by convention): stats and exports read these. */
  get data(): Readonly<SampleColumns> {
    return this.columns;
  }

  replace(columns: SampleColumns): void {
    this.take(copyColumns(columns));
  }

  /**
   * Replaces the columns with these very arrays, which the store then appends to: for columns
   * nobody else holds, as a message's are once parsed (a day's copy cost ~20 ms of the first paint).
   */
  take(columns: SampleColumns): void {
    this.columns = columns;
    this.caches.clear();
    this.decimators.clear();
    this.grid = new BucketGrid();
    this.enforceBound();
  }

  /** Appends a batch; samples not newer than the last one are dropped (a resent batch). */
  append(batch: SampleColumns): void {
    const last = this.columns.t.length ? this.columns.t[this.columns.t.length - 1] : -Infinity;
    let from = 0;
    while (from < batch.t.length && batch.t[from] <= last) from++;
    if (from === batch.t.length) return;
    appendColumns(this.columns, batch, from);
    this.enforceBound();
  }

  clear(): void {
    this.replace(emptyColumns());
  }

  /**
   * True when the series has at least one reading worth drawing. Asked for every series at every
   * frame: only readings not yet looked at are (a day of zeros in a column was read through twice
   * a frame), until the columns are replaced or thinned (new arrays).
   */
  has(key: SeriesKey): boolean {
    const values = this.columns[SOURCE[key]];
    if (!values) return false;
    let seen = this.presence.get(key);
    if (!seen || seen.t !== this.columns.t) {
      seen = { t: this.columns.t, upTo: 0, found: false };
      this.presence.set(key, seen);
    }
    const worth = WORTH_DRAWING[key];
    // In locals: the first frame reads a day of a column with no reading worth drawing through.
    let found = seen.found;
    for (let i = seen.upTo; i < values.length && !found; i++) found = worth(values[i]);
    seen.found = found;
    seen.upTo = values.length;
    return seen.found;
  }

  /** Points to draw [min, max] in `columns` pixel columns (see decimate.ts): a new array. */
  decimated(key: SeriesKey, min: number, max: number, columns: number): Point[] {
    const values = this.columns[SOURCE[key]];
    if (!values) return [];
    let decimator = this.decimators.get(key);
    if (!decimator) {
      // -1 fds means "could not read", not zero descriptors.
      decimator = new IncrementalDecimator(key === 'fds' ? 0 : -Infinity);
      this.decimators.set(key, decimator);
    }
    return decimateVisible(this.columns.t, values, min, max, columns, decimator, this.grid);
  }

  /**
   * Every point of the series, as a fresh array of cached point objects: what chart.js's own
   * decimation needs. The panel draws `decimated` instead; the bench compares the two.
   */
  points(key: SeriesKey): Point[] {
    const cache = this.caches.get(key) ?? { points: [], upTo: 0 };
    this.caches.set(key, cache);
    const values = this.columns[SOURCE[key]];
    const t = this.columns.t;
    if (values) {
      for (let i = cache.upTo; i < t.length; i++) {
        const y = values[i];
        if (isDrawable(key, y)) cache.points.push({ x: t[i], y });
      }
    }
    cache.upTo = t.length;
    return cache.points.slice();
  }

  private enforceBound(): void {
    if (this.columns.t.length <= this.maxSamples) return;
    // Thin the older half to a quarter of its points with min-max buckets: GC troughs and
    // peaks survive, and the bound is then not hit again for a while.
    const half = Math.floor(this.columns.t.length / 2);
    const older = sliceColumns(this.columns, 0, half);
    const newer = sliceColumns(this.columns, half, this.columns.t.length);
    const thinned = minMaxThin(older, Math.max(2, Math.floor(half / 4)));
    appendColumns(thinned, newer, 0);
    this.columns = thinned;
    this.caches.clear();
    this.decimators.clear();
    this.grid = new BucketGrid();
  }
}

function isDrawable(key: SeriesKey, y: number | null | undefined): y is number {
  if (y === null || y === undefined) return false;
  // -1 fds means "could not read", not zero descriptors.
  return key === 'fds' ? y >= 0 : true;
}

export function copyColumns(c: SampleColumns): SampleColumns {
  return sliceColumns(c, 0, c.t.length);
}

export function sliceColumns(c: SampleColumns, from: number, to: number): SampleColumns {
  const out: SampleColumns = {
    t: c.t.slice(from, to),
    rss: c.rss.slice(from, to),
    threads: c.threads.slice(from, to),
    fds: c.fds.slice(from, to),
    childrenRss: c.childrenRss.slice(from, to),
    childCount: c.childCount.slice(from, to),
    cpu: c.cpu.slice(from, to),
  };
  for (const key of OPTIONAL_COLUMNS) {
    const values = c[key];
    if (values) out[key] = values.slice(from, to);
  }
  return out;
}

/** Appends batch[from..] to target, padding optional columns with nulls on either side. */
export function appendColumns(target: SampleColumns, batch: SampleColumns, from: number): void {
  const before = target.t.length;
  const added = batch.t.length - from;
  for (const key of ['t', 'rss', 'threads', 'fds', 'childrenRss', 'childCount', 'cpu'] as const) {
    pushAll(target[key], batch[key], from);
  }
  for (const key of OPTIONAL_COLUMNS) {
    const incoming = batch[key];
    const existing = target[key];
    if (!incoming && !existing) continue;
    const column = existing ?? new Array<number | null>(before).fill(null);
    if (incoming) pushAll(column, incoming, from);
    else for (let i = 0; i < added; i++) column.push(null);
    target[key] = column;
  }
}

/** push(...) with a loop: spreading 86,400 arguments can overflow the stack. */
function pushAll<T>(target: T[], source: readonly T[], from: number): void {
  for (let i = from; i < source.length; i++) target.push(source[i]);
}
