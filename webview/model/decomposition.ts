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
  MAX_DECOMPOSITION_READINGS,
} from '../../src/core/shared/decomposition';
import { minMaxDecimate } from './decimate';
import { Point } from './point';
import { firstIndexAtOrAfter } from './stats';

/**
 * The parts drawn as areas stacked from zero, steadiest first: file-backed pages (the program and
 * its libraries) and shared memory as bands along the bottom, anonymous memory, where growth
 * usually is, on top, so its band's height is the growth. Swap is not resident: a line of its own.
 */
export const STACKED_PARTS: readonly DecompositionPart[] = ['file', 'shmem', 'anon'];

export class DecompositionStore {
  private columns: DecompositionColumns = emptyDecomposition();
  /** Cumulative columns for the current set of shown parts, rebuilt when either changes. */
  private stackCache: { key: string; stacked: Map<DecompositionPart, number[]> } | undefined;

  constructor(private readonly maxReadings = MAX_DECOMPOSITION_READINGS) {}

  get length(): number {
    return this.columns.t.length;
  }

  get data(): Readonly<DecompositionColumns> {
    return this.columns;
  }

  replace(columns: DecompositionColumns): void {
    this.columns = emptyDecomposition();
    this.append(copyDecomposition(columns));
  }

  append(batch: DecompositionColumns): void {
    appendDecomposition(this.columns, batch, this.maxReadings);
    this.stackCache = undefined;
  }

  /** Worth a legend entry: anything read at all, swap only once the process has some. */
  has(part: DecompositionPart): boolean {
    if (this.columns.t.length === 0) return false;
    return part !== 'swap' || this.columns.swap.some((v) => v > 0);
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
    const values = part === 'swap' ? this.columns.swap : this.stacked(shown).get(part);
    return values ? minMaxDecimate(this.columns.t, values, min, max, pixelColumns) : [];
  }

  /** The reading of `part` itself at (or just before) time x: what a tooltip says, not the stack's height. */
  valueAt(part: DecompositionPart, x: number): number | undefined {
    const t = this.columns.t;
    let i = firstIndexAtOrAfter(t, x);
    if (i >= t.length || t[i] > x) i--;
    return i >= 0 ? this.columns[part][i] : undefined;
  }

  private stacked(shown: ReadonlySet<DecompositionPart>): Map<DecompositionPart, number[]> {
    const key = `${this.columns.t.length}:${this.columns.t[this.columns.t.length - 1]}:${STACKED_PARTS.filter((p) => shown.has(p)).join(',')}`;
    if (this.stackCache?.key === key) return this.stackCache.stacked;
    const stacked = new Map<DecompositionPart, number[]>();
    let below: number[] | undefined;
    for (const part of STACKED_PARTS) {
      if (!shown.has(part)) continue;
      const own = this.columns[part];
      const sum: number[] = below ? own.map((v, i) => v + (below as number[])[i]) : own.slice();
      stacked.set(part, sum);
      below = sum;
    }
    this.stackCache = { key, stacked };
    return stacked;
  }
}

export function isDecompositionPart(key: string): key is DecompositionPart {
  return (DECOMPOSITION_PARTS as readonly string[]).includes(key);
}
