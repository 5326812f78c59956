// Falls of memory: a bucket's peak to the next bucket's trough by more than a size (a collection,
// freed temporaries). One finder for the classifier's three readings of them: every transition
// that fell (how many drops a window saw, their typical size), and the falls counted once (the
// rhythm of a cycle, and where each cycle of a sawtooth starts).
import { Bucket } from './buckets';

export interface Fall {
  /** The bucket where memory fell (the first, for a fall spread over two transitions). */
  bucket: number;
  bytes: number;
}

export interface MergedFall extends Fall {
  /** The bucket where the fall ended (`bucket`, unless it went on through the next transition). */
  landing: number;
}

export interface Falls {
  /** Each bucket-to-bucket fall by more than the size (a fall inside a bucket shows twice). */
  transitions: Fall[];
  /**
   * The falls, each counted once: a fall inside bucket k (its peak before its trough) is seen
   * from bucket k − 1 and again from bucket k itself, and counted twice it made a 9-s GC cycle
   * read as 5 s. A bucket that fell and then rose to a new peak (its trough first) starts a new fall.
   */
  falls: MergedFall[];
}

/**
 * The falls of buckets[from..] by more than `bytes`. Not a fall into the final bucket when its
 * trough is the trace's final reading: memory has not been seen to stay down (no reading held it),
 * and one low reading at the end (a process exiting, a partial read) counted as one of memory's
 * drops, sized far above its collections', until a steady leak no longer cleared it. A real fall
 * counts at the next reading.
 */
export function findFalls(buckets: readonly Bucket[], from: number, bytes: number): Falls {
  const transitions: Fall[] = [];
  const falls: MergedFall[] = [];
  // The fall seen at the transition just before, if there was one.
  let previous: MergedFall | undefined;
  const last = buckets.length - 1;
  const end = last >= 0 && buckets[last].minMs === buckets[last].lastMs ? last : buckets.length;
  for (let k = from + 1; k < end; k++) {
    const size = buckets[k - 1].max - buckets[k].min;
    if (!(size > bytes)) {
      previous = undefined;
      continue;
    }
    transitions.push({ bucket: k, bytes: size });
    const before = buckets[k - 1];
    if (previous && before.maxMs <= before.minMs) {
      previous.bytes = Math.max(previous.bytes, size);
      previous.landing = k;
      continue;
    }
    previous = { bucket: k, landing: k, bytes: size };
    falls.push(previous);
  }
  return { transitions, falls };
}
