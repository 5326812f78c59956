// Growth in steps: a program that keeps something per round (a cache entry, a handler, a
// batch) climbs a staircase, flat between rounds. Read on the bucket minima with a short
// forward-looking minimum (so a round's temporary allocations, up to two buckets long, vanish
// and a permanent rise appears where it happened). Increments are judged against their own
// median and robust spread: a staircase is mostly flat treads and a few large risers; a steady
// leak is many similar small increments; noise and sawtooth give risers that come back down.
import { Bucket } from './buckets';
import { median, robustSigma, theilSen } from './robust';

export interface Jump {
  tMs: number;
  bytes: number;
}

export interface StepAnalysis {
  jumps: Jump[];
  stepwise: boolean;
  /** Typical time between jumps, and riser height. */
  medianIntervalMs: number;
  medianJumpBytes: number;
}

const LOOKAHEAD = 2;

export function detectSteps(buckets: readonly Bucket[], levelBytes: number): StepAnalysis {
  const none: StepAnalysis = { jumps: [], stepwise: false, medianIntervalMs: NaN, medianJumpBytes: NaN };
  const n = buckets.length;
  if (n < 12) return none;
  const base = forwardMinimum(buckets);
  const { deltas, valid } = increments(buckets, base);
  const flat = deltas.filter((_, i) => valid[i]);
  if (flat.length < 8) return none;
  const center = median(flat);
  const sigma = robustSigma(flat, center);
  const floor = Math.max(256 * 1024, 0.002 * levelBytes);
  const { jumps, dropBytes } = risers(buckets, deltas, valid, center, sigma, floor);
  const rise = flat.reduce((a, b) => a + b, 0);
  const jumpBytes = jumps.reduce((a, j) => a + j.bytes, 0);
  const intervals = jumps.slice(1).map((j, i) => j.tMs - jumps[i].tMs);
  const medianIntervalMs = intervals.length ? median(intervals) : NaN;
  const sinceLast = jumps.length ? buckets[n - 1].lastMs - jumps[jumps.length - 1].tMs : Infinity;
  const stepwise =
    jumps.length >= 3 &&
    rise > 3 * floor &&
    jumpBytes >= 0.6 * rise &&
    dropBytes <= 0.3 * jumpBytes &&
    sinceLast <= 3 * medianIntervalMs &&
    treadsAreFlat(buckets, jumps);
  return { jumps, stepwise, medianIntervalMs, medianJumpBytes: jumps.length ? median(jumps.map((j) => j.bytes)) : NaN };
}

/**
 * The model check: between the jumps the treads must be flat. The pooled slope inside the
 * treads (each tread with its own level, one common slope) is near zero for a staircase and
 * near the overall slope for a ramp, however many "jumps" noise and a running minimum made of
 * the ramp. Comparing fits instead would favour the staircase, which has a level per tread.
 */
function treadsAreFlat(buckets: readonly Bucket[], jumps: readonly Jump[]): boolean {
  const t0 = buckets[0].minMs;
  const x = buckets.map((b) => (b.minMs - t0) / 1000);
  const y = buckets.map((b) => b.min);
  const overall = theilSenSampled(x, y).slope;
  let sxy = 0;
  let sxx = 0;
  let from = 0;
  for (const edge of [...jumps.map((j) => j.tMs), Infinity]) {
    let to = from;
    while (to < buckets.length && buckets[to].minMs < edge) to++;
    // The buckets next to an edge are left out: edges sit where noise made one side low and the
    // other high, which would tilt the treads of a noisy ramp towards flat.
    const trim = to - from >= 4 ? 1 : 0;
    const a = from + trim;
    const b = to - trim;
    const m = b - a;
    if (m >= 2) {
      let mx = 0;
      let my = 0;
      for (let i = a; i < b; i++) {
        mx += x[i] / m;
        my += y[i] / m;
      }
      for (let i = a; i < b; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
      }
    }
    from = to;
  }
  const within = sxx > 0 ? sxy / sxx : overall;
  return overall > 0 && within < 0.4 * overall;
}

/** Theil–Sen on at most 64 evenly spaced buckets: the line is a reference, not the estimate. */
function theilSenSampled(x: number[], y: number[]): { slope: number; intercept: number } {
  const stride = Math.max(1, Math.ceil(x.length / 64));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i += stride) {
    xs.push(x[i]);
    ys.push(y[i]);
  }
  return theilSen(xs, ys);
}

function forwardMinimum(buckets: readonly Bucket[]): Float64Array {
  const out = new Float64Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    let low = buckets[i].min;
    for (let j = i + 1; j <= Math.min(buckets.length - 1, i + LOOKAHEAD); j++) low = Math.min(low, buckets[j].min);
    out[i] = low;
  }
  return out;
}

/** Increments between neighbouring buckets; those across a gap in sampling are set aside. */
function increments(buckets: readonly Bucket[], base: Float64Array): { deltas: number[]; valid: boolean[] } {
  const steps: number[] = [];
  for (let i = 1; i < buckets.length; i++) steps.push(buckets[i].index - buckets[i - 1].index);
  const gapSteps = 3 * median(steps);
  const deltas: number[] = [];
  const valid: boolean[] = [];
  for (let i = 1; i < buckets.length; i++) {
    deltas.push(base[i] - base[i - 1]);
    valid.push(steps[i - 1] <= gapSteps);
  }
  return { deltas, valid };
}

/** Runs of clearly positive increments summed into risers; clearly negative ones into drops. */
function risers(
  buckets: readonly Bucket[], deltas: number[], valid: boolean[], center: number, sigma: number, floor: number,
): { jumps: Jump[]; dropBytes: number } {
  const runThreshold = Math.max(2 * sigma, floor / 4);
  const jumpThreshold = Math.max(6 * sigma, floor);
  const jumps: Jump[] = [];
  let dropBytes = 0;
  let run = 0;
  let peak = -1;
  // A riser is placed at its largest increment: a run can start with a noise increment.
  const close = (): void => {
    if (peak >= 0 && run > jumpThreshold) jumps.push({ tMs: buckets[peak + 1].minMs, bytes: run });
    run = 0;
    peak = -1;
  };
  for (let i = 0; i < deltas.length; i++) {
    const excess = deltas[i] - center;
    if (valid[i] && excess > runThreshold) {
      if (peak < 0 || excess > deltas[peak] - center) peak = i;
      run += excess;
      continue;
    }
    close();
    if (valid[i] && excess < -runThreshold) dropBytes += -excess;
  }
  close();
  return { jumps, dropBytes };
}
