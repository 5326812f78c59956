// The webview's copy of what RSS is made of: anonymous, file-backed and shared pages stacked
// (their sum is RSS), and swap beside them, read by the host every few seconds. Kept as bounded
// columns (the same bound and thinning as the host's), drawn min-max decimated like the other
// series. Stacking adds only the parts that are shown, so hiding one closes the gap.
// Pure: tested in Node.
import {
  appendDecomposition,
  copyDecomposition,
  DecompositionColumns,
  DecompositionPart,
  DECOMPOSITION_PARTS,
  emptyDecomposition,
  keepWithin,
  MAX_DECOMPOSITION_READINGS,
} from '../../src/core/shared/decomposition';
import { BucketGrid, IncrementalDecimator, decimateVisible } from './decimate';
import { Point } from './point';
import { firstIndexAtOrAfter } from './stats';

/**
 * The parts drawn as areas stacked from zero, steadiest first: file-backed pages (the program and
 * its libraries) and shared memory as bands along the bottom, anonymous memory, where growth
 * usually is, on top, so its band's height is the growth. Swap is not resident: a line of its own.
 */
export const STACKED_PARTS: readonly DecompositionPart[] = ['file', 'shmem', 'anon'];

/**
 * The stacked columns for one set of shown parts, extended as readings arrive, and a decimator a
 * part. Built over one `t` array: replacing or thinning the readings makes new arrays, and a new
 * stack (sums and remembered buckets both start over).
 */
interface Stack {
  shown: string;
  t: readonly number[];
  sums: Map<DecompositionPart, number[]>;
  upTo: number;
  decimators: Map<DecompositionPart, IncrementalDecimator>;
  /** The readings' buckets, shared by the parts' decimators. */
  grid: BucketGrid;
}

export class DecompositionStore {
  private columns: DecompositionColumns = emptyDecomposition();
  private stack: Stack | undefined;
  /** How far `has('swap')` has read the swap column (asked several times a frame): only new readings are read. */
  private swapSeen = { over: this.columns.swap as readonly number[], upTo: 0, found: false };

  constructor(private readonly maxReadings = MAX_DECOMPOSITION_READINGS) {}

  get length(): number {
    return this.columns.t.length;
  }

  get data(): Readonly<DecompositionColumns> {
    return this.columns;
  }

  replace(columns: DecompositionColumns): void {
    this.take(copyDecomposition(columns));
  }

  /**
   * Replaces the readings with these very arrays, for columns nobody else holds (a parsed
   * message's): a day's readings pushed one by one into fresh arrays cost ~25 ms of the first paint.
   */
  take(columns: DecompositionColumns): void {
    this.columns = columns;
    keepWithin(this.columns, this.maxReadings);
  }

  append(batch: DecompositionColumns): void {
    appendDecomposition(this.columns, batch, this.maxReadings);
  }

  /** Worth a legend entry: anything read at all, swap only once the process has some. */
  has(part: DecompositionPart): boolean {
    if (this.columns.t.length === 0) return false;
    return part !== 'swap' || this.hasSwap();
  }

  /** Any swap read so far; over new columns (replaced or thinned: new arrays) it reads again. */
  private hasSwap(): boolean {
    const swap = this.columns.swap;
    let seen = this.swapSeen;
    if (seen.over !== swap) seen = this.swapSeen = { over: swap, upTo: 0, found: false };
    for (let i = seen.upTo; i < swap.length && !seen.found; i++) seen.found = swap[i] > 0;
    seen.upTo = swap.length;
    return seen.found;
  }

  /** The latest reading, for the chart's text description. */
  latest(): Record<DecompositionPart, number> | undefined {
    const i = this.columns.t.length - 1;
    if (i < 0) return undefined;
    return { anon: this.columns.anon[i], file: this.columns.file[i], shmem: this.columns.shmem[i], swap: this.columns.swap[i] };
  }

  /**
   * Points of a part's upper edge for [min, max] in `pixelColumns` columns: for a stacked part
   * the sum of it and the shown parts below it; swap as read.
   */
  points(part: DecompositionPart, shown: ReadonlySet<DecompositionPart>, min: number, max: number, pixelColumns: number): Point[] {
    const stack = this.stacked(shown);
    const values = part === 'swap' ? this.columns.swap : stack.sums.get(part);
    if (!values) return [];
    let decimator = stack.decimators.get(part);
    if (!decimator) {
      decimator = new IncrementalDecimator();
      stack.decimators.set(part, decimator);
    }
    return decimateVisible(this.columns.t, values, min, max, pixelColumns, decimator, stack.grid);
  }

  /** The reading of `part` itself at (or just before) time x: what a tooltip says, not the stack's height. */
  valueAt(part: DecompositionPart, x: number): number | undefined {
    const t = this.columns.t;
    let i = firstIndexAtOrAfter(t, x);
    if (i >= t.length || t[i] > x) i--;
    return i >= 0 ? this.columns[part][i] : undefined;
  }

  /** The stack for `shown`, brought up to the latest reading (only new readings are summed). */
  private stacked(shown: ReadonlySet<DecompositionPart>): Stack {
    const key = STACKED_PARTS.filter((p) => shown.has(p)).join(',');
    const c = this.columns;
    if (this.stack?.shown !== key || this.stack.t !== c.t) {
      const sums = new Map(STACKED_PARTS.filter((p) => shown.has(p)).map((p) => [p, [] as number[]]));
      this.stack = { shown: key, t: c.t, sums, upTo: 0, decimators: new Map(), grid: new BucketGrid() };
    }
    const stack = this.stack;
    // Plain arrays in the loop: a Map's iterator per reading was most of the first paint's stacking.
    const parts = [...stack.sums.keys()].map((part) => c[part]);
    const sums = [...stack.sums.values()];
    for (let i = stack.upTo; i < c.t.length; i++) {
      let below = 0;
      for (let k = 0; k < parts.length; k++) {
        below += parts[k][i];
        sums[k].push(below);
      }
    }
    stack.upTo = c.t.length;
    return stack;
  }
}

export function isDecompositionPart(key: string): key is DecompositionPart {
  return (DECOMPOSITION_PARTS as readonly string[]).includes(key);
}
