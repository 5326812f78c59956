// Min-max decimation for the visible time range, done before chart.js sees the data.
//
// chart.js's own decimation plugin works on the full dataset every update: with four series of
// a day each, its per-point work (objects, scale limits, then decimating) cost ~24 ms per
// update here, over the 16 ms frame budget. Done here on plain number columns, the same
// min-max reduction costs a tight loop, and chart.js then draws ~2 points per pixel column.
// Min-max (not LTTB): the GC troughs are the baseline a user reads a leak from, and the peaks
// are what hits the limit; both survive. Pure: tested in Node.
import { Point } from './point';
import { firstIndexAtOrAfter } from './stats';

/** Below this many points per pixel column, every point is drawn as is. */
const POINTS_PER_COLUMN = 4;

/**
 * Points of (t, values) for drawing [min, max] in `columns` pixel columns: every point when
 * they are few, else the first, lowest, highest and last of each column, in time order.
 * One point either side of the range is kept so the line runs to the chart's edges.
 * `drawable` rejects missing readings (null, or fds of -1).
 */
export function minMaxDecimate(
  t: readonly number[],
  values: readonly (number | null)[],
  min: number,
  max: number,
  columns: number,
  drawable: (v: number | null | undefined) => v is number = isNumber,
): Point[] {
  if (t.length === 0 || !(max >= min)) return [];
  const from = Math.max(0, firstIndexAtOrAfter(t, min) - 1);
  const to = Math.min(t.length, firstIndexAtOrAfter(t, max) + 1 + 1);
  const out: Point[] = [];
  if (to - from <= Math.max(1, columns) * POINTS_PER_COLUMN) {
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (drawable(v)) out.push({ x: t[i], y: v });
    }
    return out;
  }
  const width = (max - min) / Math.max(1, columns);
  let bucket = Number.NaN;
  let first = -1;
  let lo = -1;
  let hi = -1;
  let last = -1;
  const flush = (): void => {
    if (first >= 0) pushInOrder(out, t, values, first, lo, hi, last);
  };
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!drawable(v)) continue;
    const b = Math.floor((t[i] - min) / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      first = lo = hi = last = i;
      continue;
    }
    last = i;
    if (v < (values[lo] as number)) lo = i;
    if (v > (values[hi] as number)) hi = i;
  }
  flush();
  return out;
}

/**
 * Points to draw [min, max] in `columns` pixel columns: every point when zoomed in (few of them:
 * nothing worth remembering), else the buckets `decimator` keeps for these columns, so an update
 * while following live decimates only the samples that came since the last one.
 */
export function decimateVisible(t: readonly number[], values: readonly (number | null)[], min: number, max: number, columns: number, decimator: IncrementalDecimator, grid?: BucketGrid): Point[] {
  if (!(max >= min)) return [];
  const visible = firstIndexAtOrAfter(t, max) - firstIndexAtOrAfter(t, min);
  if (visible <= columns * POINTS_PER_COLUMN) return minMaxDecimate(t, values, min, max, columns, decimator.drawable);
  return decimator.points(t, values, bucketWidthMs(max - min, columns), min, max, grid);
}

function isNumber(v: number | null | undefined): v is number {
  return v !== null && v !== undefined;
}

/** Largest y of a point list (0 for none): the decimated points keep every column's maximum. */
export function maxY(points: readonly Point[]): number {
  let top = 0;
  for (const p of points) if (p.y > top) top = p.y;
  return top;
}

/** Highest y of the points (in x order) with min ≤ x ≤ max; 0 when none. */
export function maxYBetween(points: readonly Point[], min: number, max: number): number {
  let top = 0;
  for (let i = firstPointAtOrAfter(points, min); i < points.length && points[i].x <= max; i++) if (points[i].y > top) top = points[i].y;
  return top;
}

/** Bucket width for a time span: a power of two of milliseconds, so it stays put while live data grows. */
export function bucketWidthMs(spanMs: number, columns: number): number {
  const wanted = spanMs / Math.max(1, columns);
  let width = 1;
  while (width < wanted) width *= 2;
  return width;
}

/**
 * The right edge of a live view: the newest time rounded up to the buckets' grid (at most one
 * bucket, about a pixel column or two, past it). The scales then stay put for a bucket's worth of
 * samples and those updates only redraw (a day at 1 Hz: ~130 samples a bucket), where the exact
 * edge moved the time axis, and so re-fitted both charts, at every sample.
 */
export function liveEdgeMs(range: { min: number; max: number }, columns: number): number {
  const width = bucketWidthMs(range.max - range.min, columns);
  return Math.ceil(range.max / width) * width;
}

/**
 * Where each bucket of a time column starts, on the fixed grid of `width` (multiples from epoch
 * 0): found once per time column and shared by the decimators of its series, which then read only
 * their values (the first paint went through a day of times once per series). Appended samples
 * extend it; forget it (a new instance) when the times are replaced or thinned.
 */
export class BucketGrid {
  private width = 0;
  /** Index of each bucket's first sample, oldest first; the last bucket is still open. */
  private readonly starts: number[] = [];
  private scanned = 0;
  private end = -Infinity;

  startsFor(t: readonly number[], width: number): readonly number[] {
    if (width !== this.width) {
      this.width = width;
      this.starts.length = 0;
      this.scanned = 0;
      this.end = -Infinity;
    }
    let end = this.end;
    for (let i = this.scanned; i < t.length; i++) {
      if (t[i] < end) continue;
      this.starts.push(i);
      end = (Math.floor(t[i] / width) + 1) * width;
    }
    this.end = end;
    this.scanned = t.length;
    return this.starts;
  }
}

/**
 * Min-max decimation that remembers closed buckets. Buckets sit on a fixed grid (BucketGrid), so
 * while the panel follows live data the width changes only when the span doubles; each update
 * then decimates only the samples since the last one, and the visible range is a slice of what
 * is already there. Forget it (a new instance) when the samples are replaced or thinned.
 */
export class IncrementalDecimator {
  private width = 0;
  private closed: Point[] = [];
  /** Index (in the grid's starts) of the first bucket not yet closed. */
  private nextBucket = 0;
  /** The grid when the caller shares none. */
  private readonly ownGrid = new BucketGrid();

  /** `lowest`: readings below it are not drawn (fds of -1: could not read), nor missing ones. */
  constructor(private readonly lowest = -Infinity) {}

  readonly drawable = (v: number | null | undefined): v is number => v !== null && v !== undefined && v >= this.lowest;

  points(t: readonly number[], values: readonly (number | null)[], width: number, min: number, max: number, grid: BucketGrid = this.ownGrid): Point[] {
    if (width !== this.width) {
      this.width = width;
      this.closed = [];
      this.nextBucket = 0;
    }
    const starts = grid.startsFor(t, width);
    // Every bucket but the last is complete: a later sample started the next one.
    for (; this.nextBucket < starts.length - 1; this.nextBucket++) this.reduce(this.closed, t, values, starts[this.nextBucket], starts[this.nextBucket + 1], false);
    const tail: Point[] = [];
    if (starts.length > 0) this.reduce(tail, t, values, starts[starts.length - 1], t.length, true);
    const from = Math.max(0, firstPointAtOrAfter(this.closed, min) - 1);
    const to = Math.min(this.closed.length, firstPointAtOrAfter(this.closed, max) + 1);
    const out = this.closed.slice(from, to);
    // The open bucket is the newest data: drawn when the view reaches the end.
    if (to === this.closed.length) for (const p of tail) out.push(p);
    return out;
  }

  /**
   * The bucket of samples [from, to) as its lowest and highest readings in time order: two points
   * for a bucket one to two pixel columns wide, what it can show (chart.js's per-point work and
   * the canvas's path both grow with the points); `withEnds`, its first and last too:
   * the open bucket, so the line ends at the newest reading. Nothing when it has no reading.
   */
  private reduce(out: Point[], t: readonly number[], values: readonly (number | null)[], from: number, to: number, withEnds: boolean): void {
    const lowest = this.lowest;
    let first = -1;
    let lo = -1;
    let hi = -1;
    let last = -1;
    let low = 0;
    let high = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      // The check inlined, not `drawable`: this loop runs cold on the first paint, where a call per sample costs.
      if (v === null || v === undefined || v < lowest) continue;
      if (first < 0) {
        first = lo = hi = i;
        low = high = v;
      } else if (v < low) {
        lo = i;
        low = v;
      } else if (v > high) {
        hi = i;
        high = v;
      }
      last = i;
    }
    if (first < 0) return;
    if (withEnds) pushInOrder(out, t, values, first, lo, hi, last);
    else pushInOrder(out, t, values, Math.min(lo, hi), lo, hi, Math.max(lo, hi));
  }
}

/**
 * The points at indexes first ≤ {lo, hi} ≤ last, each once, in time order: lo and hi are the only
 * pair whose order varies. No array made and sorted per bucket (a day is ~700 buckets a series).
 */
function pushInOrder(out: Point[], t: readonly number[], values: readonly (number | null)[], first: number, lo: number, hi: number, last: number): void {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  out.push({ x: t[first], y: values[first] as number });
  if (a !== first) out.push({ x: t[a], y: values[a] as number });
  if (b !== a) out.push({ x: t[b], y: values[b] as number });
  if (last !== b) out.push({ x: t[last], y: values[last] as number });
}

function firstPointAtOrAfter(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
