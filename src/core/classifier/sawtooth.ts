// A collector's sawtooth, told from temporaries by how memory fills each cycle between two
// falls: a heap that climbs all the cycle and falls back at once spreads its readings evenly
// between the floor and the top (mean halfway, variance a third of a two-level signal's), while
// temporaries sit at two levels, the floor and their top, and spread like a two-level signal.
import { Bucket, Moments, poolMoments } from './buckets';
import { findFalls } from './falls';
import { BucketColumns } from './points';
import { MAD_TO_SD, median } from './robust';
import { ScratchColumns } from './scratch';

/** A cycle's readings: fewer say nothing of how they spread. */
const MIN_CYCLE_READINGS = 4;
/**
 * A tooth: its mean reading in the middle of its range (an even climb: 0.5; temporaries that
 * rest at the floor, or hold at their top, sit low or high), and its readings spread nearer an
 * even climb's 1/3 of a two-level signal's variance than a two-level signal's 1. On the tuning
 * half, collectors' cycles read 0.26–0.41 (median per trace), temporaries 0.53 and up.
 */
const TOOTH_POSITION = [0.35, 0.65] as const;
const TOOTH_TWO_LEVEL_SHARE = 0.47;
/** Nearly every cycle a tooth: a sawtooth with temporaries on top is still spiky. */
const TEETH_SHARE = 0.75;
/**
 * A collector's cycles are as tall as each other (within 5% on the tuning half; a cycle under two
 * buckets long may show only part of its climb): a cycle this much
 * taller than the typical one holds a temporary above the teeth, and the trace is spiky.
 */
const TALLEST_SHARE = 1.5;
/** A collector falls back to one floor: its spread (robust sd) under this share of the cycle's height. */
const FLOOR_SPREAD_SHARE = 0.15;

/** The readings between two material falls, pooled from their buckets. */
export interface Cycle {
  count: number;
  floorBytes: number;
  topBytes: number;
  /** Where the mean reading lies between floor (0) and top (1). */
  position: number;
  /**
   * The readings' variance over the largest a signal with that mean can have between floor and
   * top (two levels): about 1/3 for an even climb, 1 for readings at the floor or the top only.
   */
  twoLevelShare: number;
}

/** The cycles of buckets[from..]: the stretches between consecutive falls by more than `fallBytes` (from each fall's landing). */
export function cyclesBetweenFalls(buckets: readonly Bucket[], from: number, fallBytes: number, columns?: BucketColumns): Cycle[] {
  const { landing } = findFalls(buckets, from, fallBytes, fallColumns, columns).falls;
  const out: Cycle[] = [];
  for (let k = 1; k < landing.length; k++) out.push(pooled(buckets, landing[k - 1], landing[k]));
  return out;
}

/** The columns of the falls cyclesBetweenFalls reads (reused: read at once). */
const fallColumns = new ScratchColumns();

function pooled(buckets: readonly Bucket[], from: number, to: number): Cycle {
  const pool: Moments = { count: 0, mean: 0, m2: 0 };
  let floor = Infinity;
  let top = -Infinity;
  for (let i = from; i < to; i++) {
    const b = buckets[i];
    poolMoments(pool, b);
    floor = Math.min(floor, b.min);
    top = Math.max(top, b.max);
  }
  const { count, mean, m2 } = pool;
  const amplitude = top - floor;
  const position = amplitude > 0 ? (mean - floor) / amplitude : 0;
  const twoLevel = position * (1 - position) * amplitude * amplitude;
  return { count, floorBytes: floor, topBytes: top, position, twoLevelShare: twoLevel > 0 ? m2 / count / twoLevel : 1 };
}

/**
 * A collector's sawtooth: at least two cycles between falls, three in four of them teeth, none
 * far taller than the others, and their floors at one level. Buckets that each hold whole cycles (a long trace) pool as cycles of
 * their own, and read the same: readings spread evenly between floor and top.
 */
export function isSawtooth(cycles: readonly Cycle[]): boolean {
  const seen = cycles.filter((c) => c.count >= MIN_CYCLE_READINGS);
  if (seen.length < 2) return false;
  const teeth = seen.filter(isTooth).length;
  if (teeth < TEETH_SHARE * seen.length) return false;
  const heights = seen.map((c) => c.topBytes - c.floorBytes);
  const typicalHeight = median(heights);
  if (Math.max(...heights) > TALLEST_SHARE * typicalHeight) return false;
  const floors = seen.map((c) => c.floorBytes);
  const typicalFloor = median(floors);
  const floorSpread = MAD_TO_SD * median(floors.map((f) => Math.abs(f - typicalFloor)));
  return floorSpread <= FLOOR_SPREAD_SHARE * typicalHeight;
}

function isTooth(c: Cycle): boolean {
  return c.position >= TOOTH_POSITION[0] && c.position <= TOOTH_POSITION[1] && c.twoLevelShare <= TOOTH_TWO_LEVEL_SHARE;
}
