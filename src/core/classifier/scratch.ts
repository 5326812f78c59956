// Work buffers a look reuses instead of making arrays of its buckets afresh: 100 watched
// processes look on the same tick, and what each look left behind set off young-generation
// collections by the burst. The classifier is synchronous and never re-entered, so one set of
// buffers per user serves every look.

/** Numbered Float64Array buffers, handed out as views of the length asked for; grown, never shrunk. */
export class ScratchColumns {
  private readonly buffers: Float64Array[] = [];
  /** The last view of each buffer: a look asks for the same length several times. */
  private readonly views: Float64Array[] = [];

  /** Buffer `which` as a view of `length` values; its contents are whatever was left there. */
  get(which: number, length: number): Float64Array {
    const view = this.views[which];
    if (view && view.length === length) return view;
    let buffer = this.buffers[which];
    if (!buffer || buffer.length < length) {
      buffer = new Float64Array(Math.max(length, 2 * (buffer?.length ?? 0), 64));
      this.buffers[which] = buffer;
    }
    const made = buffer.subarray(0, length);
    this.views[which] = made;
    return made;
  }
}

/**
 * Float64Array buffers handed out one after another, each kept until `reset`: for columns a look
 * makes several of and keeps to its end (its baseline envelopes), where numbered buffers would
 * need a number per envelope. Grown, never shrunk; after `reset` the same buffers serve again.
 */
export class ColumnPool {
  private readonly buffers: Float64Array[] = [];
  private used = 0;

  /** A column of `length` values, free until the next reset; its contents are whatever was left there. */
  take(length: number): Float64Array {
    let buffer = this.buffers[this.used];
    if (!buffer || buffer.length < length) {
      buffer = new Float64Array(Math.max(length, 2 * (buffer?.length ?? 0), 64));
      this.buffers[this.used] = buffer;
    }
    this.used++;
    return buffer.subarray(0, length);
  }

  /** Every column taken since the last reset may be handed out again. */
  reset(): void {
    this.used = 0;
  }
}
