// Work buffers a look reuses instead of making arrays of its buckets afresh: 100 watched
// processes look on the same tick, and what each look left behind set off young-generation
// collections by the burst. The classifier is synchronous and never re-entered, so one set of
// buffers per user serves every look.
import { DEFAULT_MAX_BUCKETS } from './buckets';

/**
 * Views longer than this are made each time: a look's are at most a bucket count long (256), and
 * other users of the medians (iterations.ts: runs of any length) would otherwise keep a view for
 * every length they ever asked for.
 */
const MAX_KEPT_VIEW_LENGTH = 1024;

/**
 * A buffer's length at first: room for a look's longest column (its buckets, at most
 * DEFAULT_MAX_BUCKETS, and prefix sums one longer), so a look never grows one. Growing rewrote the
 * buffer's fields, and V8 then threw away the optimized code of every function that had read them
 * as constants (ten of the look's functions, ~150 ms of recompiling in the first minutes of a
 * watch, when the trace first passed 64 buckets).
 */
const INITIAL_LENGTH = DEFAULT_MAX_BUCKETS + 1;

/**
 * One growable Float64Array and its views, by length: a view (a subarray) is an object to make
 * and collect, and a look asks for the same few lengths of each buffer again and again (the
 * points of its windows, its buckets), so each is made once. Grown, never shrunk; growing drops
 * the views of the old buffer.
 */
class ViewedBuffer {
  private buffer: Float64Array;
  private views: Float64Array[] = [];

  constructor(length: number) {
    this.buffer = new Float64Array(Math.max(length, INITIAL_LENGTH));
  }

  /** The first `length` values of the buffer; their contents are whatever was left there. */
  view(length: number): Float64Array {
    const made = this.views[length];
    if (made) return made;
    if (this.buffer.length < length) {
      this.buffer = new Float64Array(Math.max(length, 2 * this.buffer.length));
      this.views = [];
    }
    const view = this.buffer.subarray(0, length);
    if (length <= MAX_KEPT_VIEW_LENGTH) this.views[length] = view;
    return view;
  }
}

/** Numbered Float64Array buffers, handed out as views of the length asked for; grown, never shrunk. */
export class ScratchColumns {
  private readonly buffers: ViewedBuffer[] = [];

  /** Buffer `which` as a view of `length` values; its contents are whatever was left there. */
  get(which: number, length: number): Float64Array {
    const buffer = (this.buffers[which] ??= new ViewedBuffer(length));
    return buffer.view(length);
  }
}

/**
 * Float64Array buffers handed out one after another, each kept until `reset`: for columns a look
 * makes several of and keeps to its end (its baseline envelopes), where numbered buffers would
 * need a number per envelope. Grown, never shrunk; after `reset` the same buffers serve again.
 */
export class ColumnPool {
  private readonly buffers: ViewedBuffer[] = [];
  private used = 0;

  /** A column of `length` values, free until the next reset; its contents are whatever was left there. */
  take(length: number): Float64Array {
    const buffer = (this.buffers[this.used] ??= new ViewedBuffer(length));
    this.used++;
    return buffer.view(length);
  }

  /** Every column taken since the last reset may be handed out again. */
  reset(): void {
    this.used = 0;
  }
}
