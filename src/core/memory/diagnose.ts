// Why RSS is what it is: live objects growing (a leak), the allocator holding freed memory
// (fragmentation), native memory growing outside the interpreter's heap, or a high-water mark
// (a peak that was freed). Pure: it reads a decomposition and its trend over a window, so each
// branch can be tested on numbers; the evidence is kept as numbers for --json.
import { theilSenSlopePerS } from '../history/trend';
import { MemoryActionResult } from '../probe/types';
import { formatBytes } from '../units';
import { NodeMemoryView } from './nodeMemory';
import { ProcMemory } from './procMemory';
import { PythonMemoryView } from './pythonMemory';
import { Diagnosis } from '../shared/decomposition';

// The panel shows the diagnosis too, so its type lives with the protocol's shared modules.
export type { Diagnosis, DiagnosisKind } from '../shared/decomposition';

export interface ProcReading {
  tMs: number;
  proc: ProcMemory;
}

export interface DecompositionWindow {
  /** Cheap /proc readings over the window, oldest first (at least one). */
  readings: ProcReading[];
  /** The interpreter's view at the start and the end of the window, when it was read. */
  python?: { first: PythonMemoryView; last: PythonMemoryView };
  node?: { first: NodeMemoryView; last: NodeMemoryView };
  /** malloc_trim(0), when it was run and measured. */
  trim?: MemoryActionResult;
}

const MIB = 1024 * 1024;
/** The share of the growth one part must explain to be named as its cause. */
const DOMINANT = 0.3;

/** Growth worth a verdict over the window: at least 4 MiB and 3% of RSS. */
function significantGrowth(rssBytes: number): number {
  return Math.max(4 * MIB, 0.03 * rssBytes);
}

/** A share of RSS worth naming: at least 16 MiB and a quarter of RSS. */
function significantShare(rssBytes: number): number {
  return Math.max(16 * MIB, 0.25 * rssBytes);
}

/** RSS growth over the window from the robust slope (a lone spike does not count). */
function growthOver(readings: ProcReading[], pick: (p: ProcMemory) => number): number {
  if (readings.length < 2) return 0;
  const times = readings.map((r) => r.tMs);
  const spanS = (times[times.length - 1] - times[0]) / 1000;
  const slope = theilSenSlopePerS(times, readings.map((r) => pick(r.proc)));
  return slope === undefined ? pick(readings[readings.length - 1].proc) - pick(readings[0].proc) : slope * spanS;
}

interface Shares {
  objects: number;
  native: number;
  allocatorFree: number;
}

function pythonLive(v: PythonMemoryView): number {
  return (v.pymalloc?.allocatedBytes ?? 0) + (v.glibc ? v.glibc.inUseBytes + v.glibc.mmappedBytes : 0);
}

function pythonFree(v: PythonMemoryView): number {
  return (v.pymalloc?.freeBytes ?? 0) + (v.glibc?.freeBytes ?? 0);
}

/**
 * Python: pymalloc's blocks are objects; glibc's in-use memory counts as objects only when the
 * number of blocks grew with it (a ctypes/C buffer adds bytes without adding Python blocks).
 */
function pythonShares(first: PythonMemoryView, last: PythonMemoryView, anonGrowth: number): Shares {
  const glibcUsed = (v: PythonMemoryView) => (v.glibc ? v.glibc.inUseBytes + v.glibc.mmappedBytes : 0);
  const blocks = last.allocatedBlocks - first.allocatedBlocks;
  const glibcGrowth = glibcUsed(last) - glibcUsed(first);
  const glibcIsObjects = blocks >= Math.max(1000, glibcGrowth / (64 * 1024));
  const objects = first.traced && last.traced
    ? last.traced.currentBytes - first.traced.currentBytes
    : (last.pymalloc?.allocatedBytes ?? 0) - (first.pymalloc?.allocatedBytes ?? 0) + (glibcIsObjects ? glibcGrowth : 0);
  const allocatorFree = pythonFree(last) - pythonFree(first);
  return { objects, allocatorFree, native: anonGrowth - objects - allocatorFree };
}

function nodeShares(first: NodeMemoryView, last: NodeMemoryView, rssGrowth: number): Shares {
  const objects = last.heapUsedBytes - first.heapUsedBytes;
  const allocatorFree = last.heapTotalBytes - last.heapUsedBytes - (first.heapTotalBytes - first.heapUsedBytes);
  const external = last.externalBytes - first.externalBytes;
  // RSS beyond the heap and external (addons' own malloc, V8's code and GC structures) is only
  // blamed when neither the heap nor external explains the growth: it also moves with the heap.
  const residual = rssGrowth - (last.heapTotalBytes - first.heapTotalBytes) - external;
  const explained = Math.max(objects, external, allocatorFree) >= DOMINANT * rssGrowth;
  return { objects, allocatorFree, native: explained ? external : Math.max(external, residual) };
}

export function diagnose(window: DecompositionWindow): Diagnosis {
  const first = window.readings[0].proc;
  const last = window.readings[window.readings.length - 1].proc;
  const rssGrowth = growthOver(window.readings, (p) => p.rssBytes);
  // Shared anonymous memory (mmap MAP_SHARED, memfd) is process memory too, counted as RssShmem.
  const anonGrowth = growthOver(window.readings, (p) => p.anonBytes + p.shmemBytes);
  const spanS = (window.readings[window.readings.length - 1].tMs - window.readings[0].tMs) / 1000;
  const evidence: Record<string, number> = {
    window_s: Math.round(spanS * 10) / 10,
    rss_bytes: last.rssBytes,
    rss_growth_bytes: Math.round(rssGrowth),
    anon_growth_bytes: Math.round(anonGrowth),
    file_growth_bytes: last.fileBytes - first.fileBytes,
    hwm_bytes: last.hwmBytes,
  };
  return rssGrowth >= significantGrowth(last.rssBytes)
    ? diagnoseGrowth(window, rssGrowth, anonGrowth, evidence)
    : diagnoseFlat(window, last, evidence);
}

function diagnoseGrowth(window: DecompositionWindow, rssGrowth: number, anonGrowth: number, evidence: Record<string, number>): Diagnosis {
  const growth = `RSS grew ${formatBytes(rssGrowth)} in ${evidence.window_s} s`;
  let shares: Shares | undefined;
  if (window.python) shares = pythonShares(window.python.first, window.python.last, anonGrowth);
  else if (window.node) shares = nodeShares(window.node.first, window.node.last, rssGrowth);
  if (!shares) {
    return {
      kind: 'unknown',
      summary: `${growth} (${formatBytes(anonGrowth)} of it anonymous memory), but without reading inside the process Leakscope cannot tell live objects from memory the allocator keeps or native buffers.`,
      evidence,
      fix: 'Run again with consent (--yes, or answer y) so the interpreter and the allocator can be asked; or watch longer.',
    };
  }
  Object.assign(evidence, { object_growth_bytes: Math.round(shares.objects), native_growth_bytes: Math.round(shares.native), allocator_free_growth_bytes: Math.round(shares.allocatorFree) });
  if (window.node) Object.assign(evidence, nodeEvidence(window.node.first, window.node.last));
  const biggest = Math.max(shares.objects, shares.native, shares.allocatorFree);
  if (biggest < DOMINANT * rssGrowth) {
    return { kind: 'unknown', summary: `${growth}, and no single part (objects ${formatBytes(shares.objects)}, native ${formatBytes(shares.native)}, allocator-free ${formatBytes(shares.allocatorFree)}) accounts for most of it.`, evidence, fix: 'Watch longer: over a longer window one part usually dominates.' };
  }
  if (biggest === shares.objects) return leak(growth, shares, evidence, window.node !== undefined);
  if (biggest === shares.native) return nativeGrowth(growth, shares, evidence, window.node !== undefined);
  return {
    kind: 'fragmentation',
    summary: `${growth}, mostly memory freed but kept by the allocator (+${formatBytes(shares.allocatorFree)}); live objects grew ${formatBytes(shares.objects)}.`,
    evidence,
    fix: window.node ? 'V8 is keeping heap it no longer uses; it returns it under memory pressure. Not a leak.' : TRIM_FIX,
  };
}

function nodeEvidence(first: NodeMemoryView, last: NodeMemoryView): Record<string, number> {
  return {
    heap_used_growth_bytes: last.heapUsedBytes - first.heapUsedBytes,
    heap_total_growth_bytes: last.heapTotalBytes - first.heapTotalBytes,
    external_growth_bytes: last.externalBytes - first.externalBytes,
    array_buffers_growth_bytes: last.arrayBuffersBytes - first.arrayBuffersBytes,
  };
}

function leak(growth: string, shares: Shares, evidence: Record<string, number>, node: boolean): Diagnosis {
  const where = node ? 'the JS heap (heapUsed, after a full GC)' : "the interpreter's live objects";
  return {
    kind: 'leak',
    summary: `${growth}; ${where} grew ${formatBytes(shares.objects)} of it: live objects are piling up.`,
    evidence,
    fix: 'Find what keeps them: `leakscope probe --pid N` names the lines that allocate the memory that stays; look for caches, lists, maps and handler registries that are only ever added to.',
  };
}

function nativeGrowth(growth: string, shares: Shares, evidence: Record<string, number>, node: boolean): Diagnosis {
  return {
    kind: 'native-growth',
    summary: node
      ? `${growth}; ${formatBytes(shares.native)} of it is outside the JS heap (external: Buffers, ArrayBuffers, addons), while heapUsed grew ${formatBytes(shares.objects)}.`
      : `${growth}; ${formatBytes(shares.native)} of it is outside Python's objects (C extensions, ctypes, mmap, native buffers), which tracemalloc and gc do not see.`,
    evidence,
    fix: node
      ? 'Look for Buffers and typed arrays kept in arrays or maps, streams that are written but never read, and native addons; a heap snapshot shows the JS objects holding them.'
      : 'Look at the native side: buffers from numpy/ctypes/mmap kept alive, C extensions that cache; the largest anonymous mappings below show where it lives.',
  };
}

const TRIM_FIX =
  'Not a leak. Call malloc_trim(0) after big batches (ctypes.CDLL("libc.so.6").malloc_trim(0)), or set MALLOC_TRIM_THRESHOLD_ / MALLOC_ARENA_MAX=2; allocating long-lived objects before the short-lived ones avoids the holes.';

function diagnoseFlat(window: DecompositionWindow, last: ProcMemory, evidence: Record<string, number>): Diagnosis {
  const share = significantShare(last.rssBytes);
  const fragmentation = window.python ? pythonFragmentation(window.python.last, window.trim, evidence, share) : undefined;
  if (fragmentation) return fragmentation;
  const kept = window.python?.last.pymalloc?.freeBytes ?? (window.node ? window.node.last.heapTotalBytes - window.node.last.heapUsedBytes : 0);
  if (kept >= share) {
    evidence.interpreter_free_bytes = kept;
    const who = window.node ? 'V8 keeps' : 'pymalloc keeps';
    return {
      kind: 'high-water',
      summary: `RSS is flat at ${formatBytes(last.rssBytes)}; ${who} ${formatBytes(kept)} of it freed but not returned, from an earlier peak.`,
      evidence,
      fix: 'Not a leak: the interpreter reuses that memory. To lower it, lower the peak (smaller batches, stream instead of loading whole), or restart workers after big jobs.',
    };
  }
  if (last.hwmBytes - last.rssBytes >= Math.max(32 * MIB, 0.5 * last.rssBytes)) {
    return {
      kind: 'high-water',
      summary: `RSS is flat at ${formatBytes(last.rssBytes)}, but the process peaked at ${formatBytes(last.hwmBytes)} (VmHWM) and gave it back: the peak, not growth, is what meets a limit.`,
      evidence,
      fix: 'Budget the limit for the peak, or lower it: smaller batches, streaming instead of loading whole files, fewer things in flight at once.',
    };
  }
  const looked = window.python || window.node ? '' : ' (without reading inside, memory the allocator keeps cannot be seen)';
  return { kind: 'flat', summary: `RSS is flat at ${formatBytes(last.rssBytes)} over ${evidence.window_s} s${looked}.`, evidence, fix: 'Nothing to fix now; watch longer if the growth comes in bursts.' };
}

function pythonFragmentation(view: PythonMemoryView, trim: MemoryActionResult | undefined, evidence: Record<string, number>, share: number): Diagnosis | undefined {
  const free = view.glibc?.freeBytes ?? 0;
  const live = pythonLive(view);
  Object.assign(evidence, { live_bytes: live, glibc_free_bytes: free, pymalloc_free_bytes: view.pymalloc?.freeBytes ?? 0 });
  if (trim) evidence.trim_freed_bytes = trim.freedBytes;
  const trimmed = trim?.freedBytes ?? 0;
  if (free < share && trimmed < share) return undefined;
  const measured = trim
    ? `malloc_trim(0) returned ${formatBytes(trimmed)} of it (measured)`
    : `malloc_trim(0) would return up to ${formatBytes(free)} (run with --malloc-trim to measure)`;
  return {
    kind: 'fragmentation',
    summary: `RSS is ${formatBytes(view.rssBytes)} while live memory is ${formatBytes(live)}: glibc holds ${formatBytes(free)} freed but not returned; ${measured}.`,
    evidence,
    fix: TRIM_FIX,
  };
}
