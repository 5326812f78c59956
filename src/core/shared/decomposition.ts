// What RSS is made of, as the host sends it and the panel draws it: the /proc decomposition
// (RssAnon / RssFile / RssShmem and swap, read every few seconds by core/memory's
// DecompositionSampler) as columns, and the diagnosis of the growth. Shared: the host keeps a
// session's readings in the same bounded columns the webview keeps.

export type DiagnosisKind = 'leak' | 'fragmentation' | 'native-growth' | 'high-water' | 'flat' | 'unknown';
export const DIAGNOSIS_KINDS: readonly DiagnosisKind[] = ['leak', 'fragmentation', 'native-growth', 'high-water', 'flat', 'unknown'];

export interface Diagnosis {
  kind: DiagnosisKind;
  /** One sentence with the main numbers. */
  summary: string;
  /** The numbers the verdict rests on, snake_case for JSON. */
  evidence: Record<string, number>;
  /** What the verdict points to doing. */
  fix: string;
}

/** The kinds of growth worth naming (the panel's banner, `watch`), in the words of issue 17. */
export const GROWTH_KIND_LABELS: Partial<Record<DiagnosisKind, string>> = {
  leak: 'Live objects growing',
  fragmentation: 'Allocator holding freed memory',
  'native-growth': 'Native memory growing outside the interpreter heap',
  'high-water': 'High-water mark: a peak freed but not returned',
};

/** The parts of RSS, stacked in this order (anon + file + shmem = RSS), and swap beside them. */
export const DECOMPOSITION_PARTS = ['anon', 'file', 'shmem', 'swap'] as const;
export type DecompositionPart = (typeof DECOMPOSITION_PARTS)[number];

/** Readings as columns: epoch ms and bytes per part, all the same length, oldest first. */
export type DecompositionColumns = { t: number[] } & Record<DecompositionPart, number[]>;

/** The decomposition of one monitor: its readings, and the diagnosis over them (null before one). */
export interface DecompositionUpdate {
  readings: DecompositionColumns;
  diagnosis: Diagnosis | null;
}

/**
 * Readings kept per monitor: a day at the default 5 s. The decomposition is read 5× less often
 * than RSS at 1 Hz, so this costs a fifth of the samples' memory; past it the older half is
 * thinned to every other reading.
 */
export const MAX_DECOMPOSITION_READINGS = 17_280;

export function emptyDecomposition(): DecompositionColumns {
  return { t: [], anon: [], file: [], shmem: [], swap: [] };
}

/** Appends the readings of `batch` newer than the last kept one, then keeps within `max`. */
export function appendDecomposition(target: DecompositionColumns, batch: DecompositionColumns, max = MAX_DECOMPOSITION_READINGS): void {
  const last = lastReadingMs(target);
  for (let i = 0; i < batch.t.length; i++) {
    if (batch.t[i] <= last) continue; // a resent reading
    pushReading(target, batch.t[i], batch.anon[i], batch.file[i], batch.shmem[i], batch.swap[i]);
  }
  keepWithin(target, max);
}

/**
 * One reading, as appendDecomposition appends a batch of one: a live session's reading every few
 * seconds, appended without making a batch of five one-value arrays for it (100 watched processes
 * made 20 objects a second to throw away).
 */
export function appendDecompositionReading(target: DecompositionColumns, tMs: number, anon: number, file: number, shmem: number, swap: number, max = MAX_DECOMPOSITION_READINGS): void {
  if (tMs <= lastReadingMs(target)) return; // a resent reading
  pushReading(target, tMs, anon, file, shmem, swap);
  keepWithin(target, max);
}

function lastReadingMs(c: DecompositionColumns): number {
  return c.t.length ? c.t[c.t.length - 1] : -Infinity;
}

function pushReading(c: DecompositionColumns, tMs: number, anon: number, file: number, shmem: number, swap: number): void {
  c.t.push(tMs);
  c.anon.push(anon);
  c.file.push(file);
  c.shmem.push(shmem);
  c.swap.push(swap);
}

/** Past `max` readings, the older half thinned once (as after an append). */
export function keepWithin(c: DecompositionColumns, max = MAX_DECOMPOSITION_READINGS): void {
  if (c.t.length > max) thinOlderHalf(c);
}

/** Every other reading of the older half: the shape stays, the bound is not hit again for a while. */
function thinOlderHalf(c: DecompositionColumns): void {
  const half = Math.floor(c.t.length / 2);
  for (const key of ['t', ...DECOMPOSITION_PARTS] as const) {
    const column = c[key];
    const kept = column.slice(0, half).filter((_, i) => i % 2 === 0);
    c[key] = kept.concat(column.slice(half));
  }
}

export function copyDecomposition(c: DecompositionColumns): DecompositionColumns {
  return { t: c.t.slice(), anon: c.anon.slice(), file: c.file.slice(), shmem: c.shmem.slice(), swap: c.swap.slice() };
}
