// The readings of the steady-state look harnesses (lookSteady, lookInterleaved): what a live
// session would record from the sampling bench's `sleep`s, with trace time fast-forwarded.

/** 2025-12-05 16:00 UTC: clock times, as a live session's are. */
const EPOCH_MS = 1_764_950_400_000;

/** A `sleep`'s RSS (processes differ by a few pages), or with `wander`, every tenth process a few pages' wander. */
export function steadyReading(second: number, watched: number, wander: boolean): number {
  const level = 1_900_544 + 4096 * (watched % 7);
  return wander && watched % 10 === 9 ? level + 4096 * ((second * 7 + watched) % 5) : level;
}

/** When the reading is stamped: a 1-Hz tick a few ms late, differently for each process. */
export function steadyStamp(second: number, watched: number): number {
  return EPOCH_MS + second * 1000 + ((second * 37 + watched) % 13);
}
