// Falls of memory: a bucket's peak to the next bucket's trough by more than a size (a collection,
// freed temporaries). One finder for the classifier's three readings of them: every transition
// that fell (how many drops a window saw, their typical size), and the falls counted once (the
// rhythm of a cycle, and where each cycle of a sawtooth starts).
import { Bucket } from './buckets';
import { columnsOf } from './points';
import { ScratchColumns } from './scratch';

/**
 * Falls as columns, fall i at index i: a look at a noisy trace finds a fall at most of its 256
 * bucket transitions, and an object per fall was a third of what such a look allocated.
 */
export interface FallColumns {
  /** The bucket where memory fell (the first, for a fall spread over two transitions). */
  bucket: Float64Array;
  bytes: Float64Array;
}

export interface MergedFallColumns extends FallColumns {
  /** The bucket where the fall ended (`bucket`, unless it went on through the next transition). */
  landing: Float64Array;
}

export interface Falls {
  /** Each bucket-to-bucket fall by more than the size (a fall inside a bucket shows twice). */
  transitions: FallColumns;
  /**
   * The falls, each counted once: a fall inside bucket k (its peak before its trough) is seen
   * from bucket k − 1 and again from bucket k itself, and counted twice it made a 9-s GC cycle
   * read as 5 s. A bucket that fell and then rose to a new peak (its trough first) starts a new fall.
   */
  falls: MergedFallColumns;
}

const TRANSITION_BUCKETS = 0;
const TRANSITION_BYTES = 1;
const FALL_BUCKETS = 2;
const FALL_BYTES = 3;
const FALL_LANDINGS = 4;

/**
 * The falls of buckets[from..] by more than `bytes`, in the columns of `into` (a caller's reused
 * buffers: the columns last until it finds falls into them again; new ones unless given).
 * Not a fall into the final bucket when its trough is the trace's final reading: memory has not
 * been seen to stay down (no reading held it), and one low reading at the end (a process exiting,
 * a partial read) counted as one of memory's drops, sized far above its collections', until a
 * steady leak no longer cleared it. A real fall counts at the next reading. Read from `columns`,
 * the buckets' own (a series' memo keeps them).
 */
export function findFalls(buckets: readonly Bucket[], from: number, bytes: number, into = new ScratchColumns(), columns = columnsOf(buckets)): Falls {
  const { min, max } = columns;
  const capacity = buckets.length;
  const transitionBucket = into.get(TRANSITION_BUCKETS, capacity);
  const transitionBytes = into.get(TRANSITION_BYTES, capacity);
  const fallBucket = into.get(FALL_BUCKETS, capacity);
  const fallBytes = into.get(FALL_BYTES, capacity);
  const fallLanding = into.get(FALL_LANDINGS, capacity);
  let transitions = 0;
  let falls = 0;
  // Whether the transition just before fell (then falls - 1 is the fall it belongs to).
  let previousFell = false;
  const last = buckets.length - 1;
  const end = last >= 0 && buckets[last].minMs === buckets[last].lastMs ? last : buckets.length;
  for (let k = from + 1; k < end; k++) {
    const size = max[k - 1] - min[k];
    if (!(size > bytes)) {
      previousFell = false;
      continue;
    }
    transitionBucket[transitions] = k;
    transitionBytes[transitions++] = size;
    const before = buckets[k - 1];
    if (previousFell && before.maxMs <= before.minMs) {
      fallBytes[falls - 1] = Math.max(fallBytes[falls - 1], size);
      fallLanding[falls - 1] = k;
      continue;
    }
    previousFell = true;
    fallBucket[falls] = fallLanding[falls] = k;
    fallBytes[falls++] = size;
  }
  return {
    transitions: { bucket: into.get(TRANSITION_BUCKETS, transitions), bytes: into.get(TRANSITION_BYTES, transitions) },
    falls: { bucket: into.get(FALL_BUCKETS, falls), bytes: into.get(FALL_BYTES, falls), landing: into.get(FALL_LANDINGS, falls) },
  };
}
