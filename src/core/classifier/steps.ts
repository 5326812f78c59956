// Growth in steps: a program that keeps something per round (a cache entry, a handler, a
// batch) climbs a staircase, flat between rounds. Read on the bucket minima with a short
// forward-looking minimum (so a round's temporary allocations, up to two buckets long, vanish
// and a permanent rise appears where it happened).
//
// Edges: runs of increments well above the typical increment are risers (jumps), runs well
// below are drops (a round's longer temporaries freed, a collection), and a gap in sampling
// is an edge too (what happened in it is unknown). Between edges lie the treads.
//
// The test is a likelihood ratio between two models of where the growth happens:
//  - ramp: memory grows inside the treads at the overall rate b (a steady leak; its "jumps"
//    are noise, spikes or a sawtooth's edges);
//  - staircase: the treads are flat and all growth is at the risers.
// The pooled slope inside the treads (each tread its own level, one common slope) is the
// statistic, with a standard error inflated for the residuals' autocorrelation. Stepwise when
// the staircase is ≥ 19 times as likely (posterior 0.95 from even odds, the classifier's leak
// level). Comparing the two fits' residuals instead would favour the staircase, which has a
// level per tread; comparing their slopes inside the same treads does not.
import { Bucket } from './buckets';
import { MAD_TO_SD, median, theilSen } from './robust';
import { ScratchColumns } from './scratch';

export interface Jump {
  tMs: number;
  bytes: number;
}

export interface StepAnalysis {
  readonly jumps: readonly Jump[];
  stepwise: boolean;
  /** Typical time between jumps, and riser height. */
  medianIntervalMs: number;
  medianJumpBytes: number;
}

const LOOKAHEAD = 2;
/** Posterior odds the staircase needs over the ramp (0.95 : 0.05). */
const STAIRCASE_ODDS = 19;
/** Sigma-clipping rounds and cut for the typical increment's spread (risers are outliers). */
const CLIP_ROUNDS = 4;
const CLIP_SIGMAS = 4;
const MAX_TREAD_RHO = 0.95;

/**
 * The detector's columns of the buckets (a look's forward minima, increments, their valid ones…)
 * live in reused buffers, by number: made afresh they were a quarter of what a look allocated.
 */
const columns = new ScratchColumns();
const FORWARD_MINIMUM = 0;
const DELTAS = 1;
const MINIMA_INCREMENTS = 2;
const VALID_DELTAS = 3;
const VALID_MINIMA_INCREMENTS = 4;
const INDEX_STEPS = 5;
const DEVIATIONS = 6;
const TIMES = 7;
const MINIMA = 8;
const SAMPLED_TIMES = 9;
const SAMPLED_MINIMA = 10;
const JUMP_INTERVALS = 11;
const JUMP_SIZES = 12;
const TREAD_MEAN_TIMES = 13;
const TREAD_MEAN_MINIMA = 14;
/** Whether each increment is valid (not across a gap in sampling), 1 or 0. */
let validFlags = new Uint8Array(256);

interface Edge {
  /** Increments [from, to] (increment i lies between bucket i and i + 1). */
  from: number;
  to: number;
}

/** `minimaLevel`: whether every bucket's minimum is the same, when the caller knows (a series' memo: memo.ts). */
export function detectSteps(buckets: readonly Bucket[], levelBytes: number, minimaLevel?: boolean): StepAnalysis {
  const n = buckets.length;
  if (n < 12) return noSteps();
  // Minima all at one level (a process holding its size) have no riser to find.
  if (minimaLevel ?? isLevel(buckets)) return noSteps();
  const base = forwardMinimum(buckets);
  const { deltas, valid } = increments(buckets, base);
  const flat = validOnly(deltas, valid, VALID_DELTAS);
  if (flat.length < 8) return noSteps();
  const center = median(flat);
  // The spread is that of the bucket minima themselves: the forward minimum holds a value for a
  // while, so its own increments are mostly 0 and would let a noisy ramp's every dip be a riser.
  const minimaIncrements = rawIncrements(buckets);
  const raw = validOnly(minimaIncrements, valid, VALID_MINIMA_INCREMENTS);
  const rawCenter = median(raw);
  const sigma = clippedSigma(raw, rawCenter);
  const floor = Math.max(256 * 1024, 0.002 * levelBytes);
  const { jumps } = risers(buckets, deltas, valid, center, sigma, floor);
  let rise = 0;
  for (let i = 0; i < flat.length; i++) rise += flat[i];
  const intervals = columns.get(JUMP_INTERVALS, Math.max(jumps.length - 1, 0));
  for (let i = 1; i < jumps.length; i++) intervals[i - 1] = jumps[i].tMs - jumps[i - 1].tMs;
  const medianIntervalMs = intervals.length ? median(intervals) : NaN;
  const sinceLast = jumps.length ? buckets[n - 1].lastMs - jumps[jumps.length - 1].tMs : Infinity;
  // The treads lie between the edges of the minima themselves: the forward minimum moves a drop
  // two buckets early, onto what is still the tread before it. Found only for a staircase test.
  const stepwise =
    jumps.length >= 3 &&
    rise > 3 * floor &&
    sinceLast <= 3 * medianIntervalMs &&
    staircaseOverRamp(buckets, risers(buckets, minimaIncrements, valid, rawCenter, sigma, floor).edges) >= Math.log(STAIRCASE_ODDS);
  const sizes = columns.get(JUMP_SIZES, jumps.length);
  for (let i = 0; i < jumps.length; i++) sizes[i] = jumps[i].bytes;
  return { jumps, stepwise, medianIntervalMs, medianJumpBytes: jumps.length ? median(sizes) : NaN };
}

/**
 * Spread of the typical increment: a robust σ recomputed without the increments beyond 4σ, a few
 * times. A staircase with large temporaries has risers and drops in a third of its increments,
 * which would inflate a plain MAD until the risers hid under it.
 */
function clippedSigma(values: Float64Array, center: number): number {
  // Absolute deviations, clipped in place (a median does not depend on the order).
  const deviations = columns.get(DEVIATIONS, values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - center);
  let kept = deviations.length;
  let sigma = MAD_TO_SD * median(deviations);
  for (let round = 0; round < CLIP_ROUNDS && sigma > 0; round++) {
    let next = 0;
    for (let i = 0; i < kept; i++) if (deviations[i] <= CLIP_SIGMAS * sigma) deviations[next++] = deviations[i];
    if (next === kept || next < 8) break;
    kept = next;
    sigma = MAD_TO_SD * median(deviations.subarray(0, kept));
  }
  return sigma;
}

/** Every bucket's minimum the same. */
function isLevel(buckets: readonly Bucket[]): boolean {
  for (let i = 1; i < buckets.length; i++) if (buckets[i].min !== buckets[0].min) return false;
  return true;
}

/**
 * No steps: one answer for every look that finds none (a steady process's, each look), not one
 * made each time; read-only by its type. Not frozen: a frozen object has a hidden class of its
 * own, and the look's reads of an analysis would then meet two (see newBucket in buckets.ts).
 */
const NO_STEPS: StepAnalysis = { jumps: [], stepwise: false, medianIntervalMs: NaN, medianJumpBytes: NaN };
function noSteps(): StepAnalysis {
  return NO_STEPS;
}

/**
 * log(likelihood of "treads flat" / likelihood of "treads grow at the overall rate"), from the
 * pooled within-tread slope w ~ N(β, se²): (b² − 2bw) / (2se²). −Infinity when nothing grows.
 * Read on the bucket minima themselves: the forward minimum that finds the edges would make
 * treads of a noisy ramp (it holds the lowest value ahead for a while).
 */
function staircaseOverRamp(buckets: readonly Bucket[], edges: readonly Edge[]): number {
  const t0 = buckets[0].minMs;
  const x = columns.get(TIMES, buckets.length);
  const y = columns.get(MINIMA, buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    x[i] = (buckets[i].minMs - t0) / 1000;
    y[i] = buckets[i].min;
  }
  const overall = theilSenSampled(x, y).slope;
  if (!(overall > 0)) return -Infinity;
  const within = pooledTreadSlope(x, y, treads(buckets.length, edges));
  if (!within) return -Infinity;
  return (overall * overall - 2 * overall * within.slope) / (2 * within.se * within.se);
}

/** Bucket ranges [from, to) between edges, less the bucket next to each edge on longer treads. */
function treads(n: number, edges: readonly Edge[]): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  // Each edge, then the end of the trace as the last one.
  for (let k = 0; k <= edges.length; k++) {
    const edge = k < edges.length ? edges[k] : { from: n - 1, to: n - 1 };
    const to = edge.from + 1;
    // The buckets next to an edge are left out: edges sit where noise made one side low and the
    // other high, which would tilt the treads of a noisy ramp towards flat.
    const trim = to - from >= 4 ? 1 : 0;
    if (to - from - 2 * trim >= 2) out.push([from + trim, to - trim]);
    from = edge.to + 1;
  }
  return out;
}

/** One slope for all treads, each with its own level; its error allows for AR(1) residuals. */
function pooledTreadSlope(x: Float64Array, y: Float64Array, ranges: readonly [number, number][]): { slope: number; se: number } | undefined {
  let sxy = 0;
  let sxx = 0;
  let points = 0;
  // Each tread's mean time and minimum, by tread.
  const meanX = columns.get(TREAD_MEAN_TIMES, ranges.length);
  const meanY = columns.get(TREAD_MEAN_MINIMA, ranges.length);
  for (let k = 0; k < ranges.length; k++) {
    const [a, b] = ranges[k];
    let mx = 0;
    let my = 0;
    for (let i = a; i < b; i++) {
      mx += x[i] / (b - a);
      my += y[i] / (b - a);
    }
    for (let i = a; i < b; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
    }
    points += b - a;
    meanX[k] = mx;
    meanY[k] = my;
  }
  const dof = points - ranges.length - 1;
  if (!(sxx > 0) || dof < 3) return undefined;
  const slope = sxy / sxx;
  let ss = 0;
  let lagged = 0;
  for (let k = 0; k < ranges.length; k++) {
    const [a, b] = ranges[k];
    for (let i = a; i < b; i++) {
      const r = y[i] - meanY[k] - slope * (x[i] - meanX[k]);
      ss += r * r;
      if (i > a) lagged += r * (y[i - 1] - meanY[k] - slope * (x[i - 1] - meanX[k]));
    }
  }
  const rho = ss > 0 ? Math.min(MAX_TREAD_RHO, Math.max(0, lagged / ss)) : 0;
  // A page of RSS over the treads' span is the least uncertainty (RSS moves in pages).
  const floor = 4096 / Math.sqrt(sxx * points);
  const se = Math.max(Math.sqrt(((ss / dof) * (1 + rho)) / (1 - rho) / sxx), floor);
  return { slope, se };
}

/** Theil–Sen on at most 64 evenly spaced buckets: the line is a reference, not the estimate. */
function theilSenSampled(x: Float64Array, y: Float64Array): { slope: number; intercept: number } {
  const stride = Math.max(1, Math.ceil(x.length / 64));
  const count = Math.ceil(x.length / stride);
  const xs = columns.get(SAMPLED_TIMES, count);
  const ys = columns.get(SAMPLED_MINIMA, count);
  for (let i = 0, k = 0; i < x.length; i += stride, k++) {
    xs[k] = x[i];
    ys[k] = y[i];
  }
  return theilSen(xs, ys);
}

function forwardMinimum(buckets: readonly Bucket[]): Float64Array {
  const out = columns.get(FORWARD_MINIMUM, buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    let low = buckets[i].min;
    for (let j = i + 1; j <= Math.min(buckets.length - 1, i + LOOKAHEAD); j++) low = Math.min(low, buckets[j].min);
    out[i] = low;
  }
  return out;
}

function rawIncrements(buckets: readonly Bucket[]): Float64Array {
  const out = columns.get(MINIMA_INCREMENTS, Math.max(buckets.length - 1, 0));
  for (let i = 1; i < buckets.length; i++) out[i - 1] = buckets[i].min - buckets[i - 1].min;
  return out;
}

/** Increments between neighbouring buckets; those across a gap in sampling are set aside. */
function increments(buckets: readonly Bucket[], base: Float64Array): { deltas: Float64Array; valid: Uint8Array } {
  const n = Math.max(buckets.length - 1, 0);
  const steps = columns.get(INDEX_STEPS, n);
  for (let i = 1; i < buckets.length; i++) steps[i - 1] = buckets[i].index - buckets[i - 1].index;
  const gapSteps = 3 * median(steps);
  const deltas = columns.get(DELTAS, n);
  if (validFlags.length < n) validFlags = new Uint8Array(2 * n);
  const valid = validFlags.subarray(0, n);
  for (let i = 1; i < buckets.length; i++) {
    deltas[i - 1] = base[i] - base[i - 1];
    valid[i - 1] = steps[i - 1] <= gapSteps ? 1 : 0;
  }
  return { deltas, valid };
}

/** The values whose increment is valid, in order, into buffer `into`. */
function validOnly(values: Float64Array, valid: Uint8Array, into: number): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) count += valid[i];
  const out = columns.get(into, count);
  for (let i = 0, k = 0; i < values.length; i++) if (valid[i]) out[k++] = values[i];
  return out;
}

/**
 * Runs of clearly positive increments summed into risers, clearly negative ones into drops; both,
 * and every gap, are edges between treads.
 */
function risers(
  buckets: readonly Bucket[], deltas: Float64Array, valid: Uint8Array, center: number, sigma: number, floor: number,
): { jumps: Jump[]; edges: Edge[] } {
  const runThreshold = Math.max(2 * sigma, floor / 4);
  const jumpThreshold = Math.max(6 * sigma, floor);
  const jumps: Jump[] = [];
  const edges: Edge[] = [];
  let run = 0;
  let start = -1;
  let peak = -1;
  // A riser is placed at its largest increment: a run can start with a noise increment.
  const close = (end: number): void => {
    if (start >= 0 && Math.abs(run) > jumpThreshold) {
      edges.push({ from: start, to: end });
      if (run > 0) jumps.push({ tMs: buckets[peak + 1].minMs, bytes: run });
    }
    run = 0;
    start = -1;
    peak = -1;
  };
  for (let i = 0; i < deltas.length; i++) {
    const excess = deltas[i] - center;
    if (!valid[i]) {
      close(i - 1);
      edges.push({ from: i, to: i });
      continue;
    }
    const sign = excess > runThreshold ? 1 : excess < -runThreshold ? -1 : 0;
    if (sign !== 0 && start >= 0 && Math.sign(run) !== sign) close(i - 1);
    if (sign === 0) {
      close(i - 1);
      continue;
    }
    if (start < 0) start = i;
    if (peak < 0 || Math.abs(excess) > Math.abs(deltas[peak] - center)) peak = i;
    run += excess;
  }
  close(deltas.length - 1);
  return { jumps, edges };
}
