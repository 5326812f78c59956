// Where the current regime began: binary segmentation towards the newest end. Fit one line to
// the baseline points, and two lines split at each candidate point; if the best split lowers the
// squared error by more than a BIC-style penalty, the right part becomes the new range and the
// search repeats. What is left is the newest stretch that one line describes: the leak since
// it began, the plateau since growth stopped. Least squares is acceptable here because the
// points are already minima (spikes are gone); prefix sums make each pass O(n).
import { BaselinePoint } from './points';

const MIB = 1024 * 1024;
/** A page (4 KiB): differences below this are not information. */
const QUANTUM_MIB = 4096 / MIB;

export interface Regime {
  /** Index into the points of the first point of the current regime. */
  start: number;
  /** Indexes where earlier regimes ended, oldest first. */
  changes: number[];
}

class PrefixSums {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly xx: Float64Array;
  readonly xy: Float64Array;
  readonly yy: Float64Array;

  constructor(points: readonly BaselinePoint[]) {
    const n = points.length;
    this.x = new Float64Array(n + 1);
    this.y = new Float64Array(n + 1);
    this.xx = new Float64Array(n + 1);
    this.xy = new Float64Array(n + 1);
    this.yy = new Float64Array(n + 1);
    const t0 = n ? points[0].tMs : 0;
    const v0 = n ? points[0].value : 0;
    for (let i = 0; i < n; i++) {
      const xi = (points[i].tMs - t0) / 1000;
      const yi = (points[i].value - v0) / MIB;
      this.x[i + 1] = this.x[i] + xi;
      this.y[i + 1] = this.y[i] + yi;
      this.xx[i + 1] = this.xx[i] + xi * xi;
      this.xy[i + 1] = this.xy[i] + xi * yi;
      this.yy[i + 1] = this.yy[i] + yi * yi;
    }
  }

  /** Least-squares line through points [a, b): slope (MiB/s), value at x, residual sum of squares. */
  line(a: number, b: number): { slope: number; at: (x: number) => number; sse: number } {
    const m = b - a;
    const sx = this.x[b] - this.x[a];
    const sy = this.y[b] - this.y[a];
    const sxx = this.xx[b] - this.xx[a] - (sx * sx) / m;
    const sxy = this.xy[b] - this.xy[a] - (sx * sy) / m;
    const syy = this.yy[b] - this.yy[a] - (sy * sy) / m;
    const slope = sxx > 1e-12 ? sxy / sxx : 0;
    const at = (x: number): number => sy / m + slope * (x - sx / m);
    return { slope, at, sse: Math.max(0, sxx > 1e-12 ? syy - (sxy * sxy) / sxx : syy) };
  }

  sse(a: number, b: number): number {
    return this.line(a, b).sse;
  }

  xAt(i: number): number {
    return this.x[i + 1] - this.x[i];
  }
}

/** What counts as a change worth a new regime, beyond being statistically there. */
export interface MaterialChange {
  /** Slope difference that matters, bytes/s (the leak threshold). */
  slopeBytesPerS: number;
  /** Level jump that matters, bytes. */
  jumpBytes: number;
}

export function currentRegime(points: readonly BaselinePoint[], minSegment: number, material: MaterialChange): Regime {
  const sums = new PrefixSums(points);
  const changes: number[] = [];
  let start = 0;
  for (;;) {
    const split = bestSplit(sums, start, points.length, minSegment);
    if (split === undefined || !isMaterial(sums, start, split, points.length, material)) break;
    changes.push(split);
    start = split;
  }
  return { start, changes };
}

/**
 * A clean ramp can still be "improved" by two lines when its residuals are tiny; such a split
 * is real in the statistics and meaningless to a reader. Keep a split only when the slope
 * changes by the leak threshold and by a quarter, or the level jumps.
 */
function isMaterial(sums: PrefixSums, a: number, k: number, b: number, material: MaterialChange): boolean {
  const left = sums.line(a, k);
  const right = sums.line(k, b);
  const slopeChange = Math.abs(right.slope - left.slope) * MIB;
  const biggerSlope = Math.max(Math.abs(left.slope), Math.abs(right.slope)) * MIB;
  const x = sums.xAt(k);
  const jump = Math.abs(right.at(x) - left.at(x)) * MIB;
  const noise = Math.sqrt((left.sse + right.sse) / (b - a)) * MIB;
  return (slopeChange >= material.slopeBytesPerS && slopeChange >= 0.25 * biggerSlope) || jump >= Math.max(6 * noise, material.jumpBytes);
}

function bestSplit(sums: PrefixSums, a: number, b: number, minSegment: number): number | undefined {
  const m = b - a;
  // The older side may be short (a quick warm-up); the newer side is what gets judged.
  const minLeft = 3;
  if (m < minLeft + minSegment) return undefined;
  const floor = m * QUANTUM_MIB * QUANTUM_MIB;
  const whole = sums.sse(a, b) + floor;
  let best: number | undefined;
  let bestSse = Infinity;
  for (let k = a + minLeft; k <= b - minSegment; k++) {
    const split = sums.sse(a, k) + sums.sse(k, b);
    if (split < bestSse) {
      bestSse = split;
      best = k;
    }
  }
  // Two lines and a split point are three more parameters than one line: 4·ln(m) is a
  // slightly stricter BIC, because minima of neighbouring buckets are not independent.
  const gain = m * Math.log(whole / (bestSse + floor));
  return gain > 4 * Math.log(m) ? best : undefined;
}
