// What RSS is made of, from /proc alone (nothing is injected): anonymous vs file-backed vs
// shared pages, swap and the peak from /proc/PID/status (~17 µs, cheap enough to repeat every
// few seconds), and the largest anonymous mappings from /proc/PID/smaps (it walks the page
// tables, milliseconds per GB: read on demand only).
import { readFileSync } from 'node:fs';
import { readSmallProcFile } from '../discovery/procfs';
import { fromSystemError } from '../probe/errors';

export interface ProcMemory {
  rssBytes: number;
  /** Private and shared anonymous pages: the heap, thread arenas, mmaps, stacks. */
  anonBytes: number;
  /** Pages of mapped files: the executable, libraries, mmapped data files. */
  fileBytes: number;
  /** Shared memory (tmpfs, SysV, memfd). */
  shmemBytes: number;
  swapBytes: number;
  /** VmHWM: the highest RSS since the process started. */
  hwmBytes: number;
  /** VmSize: the address space (what RLIMIT_AS limits). */
  virtualBytes: number;
  /** VmData: data + heap + anonymous private mappings (what RLIMIT_DATA limits). */
  dataBytes: number;
}

export type MappingKind = 'heap' | 'stack' | 'thread-arena' | 'anonymous-mmap' | 'shared-anonymous' | 'file' | 'other';

export interface AnonMapping {
  /** "7f12a0000000-7f12a4000000" as in /proc/PID/maps. */
  range: string;
  sizeBytes: number;
  rssBytes: number;
  anonBytes: number;
  swapBytes: number;
  kind: MappingKind;
  /** The pathname column ("[heap]", "[stack]"), or '' for an anonymous mapping. */
  name: string;
}

const STATUS_FIELDS: Record<string, keyof ProcMemory> = {
  VmRSS: 'rssBytes',
  RssAnon: 'anonBytes',
  RssFile: 'fileBytes',
  RssShmem: 'shmemBytes',
  VmSwap: 'swapBytes',
  VmHWM: 'hwmBytes',
  VmSize: 'virtualBytes',
  VmData: 'dataBytes',
};

/** One pass over the "Name:   123 kB" lines (a regex per field cost 5× more). */
export function parseStatusMemory(status: string): ProcMemory {
  const memory: ProcMemory = { rssBytes: 0, anonBytes: 0, fileBytes: 0, shmemBytes: 0, swapBytes: 0, hwmBytes: 0, virtualBytes: 0, dataBytes: 0 };
  for (const match of status.matchAll(/^(Vm\w+|Rss\w+):\s*(\d+) kB$/gm)) {
    const key = STATUS_FIELDS[match[1]];
    if (key) memory[key] = Number(match[2]) * 1024;
  }
  return memory;
}

/** The cheap part, from /proc/PID/status (world-readable: works for any user's process). */
export function readProcMemory(pid: number): ProcMemory {
  try {
    return parseStatusMemory(readSmallProcFile(`/proc/${pid}/status`));
  } catch (error) {
    throw fromSystemError(error, pid, 'read the memory of');
  }
}

/** glibc reserves 64 MiB (HEAP_MAX_SIZE on 64-bit) per thread arena, aligned to its size. */
const THREAD_ARENA_BYTES = 64 * 1024 * 1024;

/** mmap(MAP_SHARED | MAP_ANONYMOUS), memfd and SysV segments: counted as RssShmem, not RssAnon. */
const SHARED_ANON = /^\/dev\/zero|^\/memfd:|^\/SYSV|^\[anon_shmem/;

function classify(name: string, sizeBytes: number, start: bigint): MappingKind {
  if (name === '[heap]') return 'heap';
  if (name.startsWith('[stack')) return 'stack';
  if (SHARED_ANON.test(name)) return 'shared-anonymous';
  if (name.startsWith('/')) return 'file';
  if (name !== '') return 'other';
  const aligned = start % BigInt(THREAD_ARENA_BYTES) === 0n;
  return aligned && sizeBytes <= THREAD_ARENA_BYTES && sizeBytes >= THREAD_ARENA_BYTES / 2 ? 'thread-arena' : 'anonymous-mmap';
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\d+\s*(.*)$/;

/** Every mapping of /proc/PID/smaps with its resident, anonymous and swapped bytes. */
export function parseSmaps(text: string): AnonMapping[] {
  const mappings: AnonMapping[] = [];
  let current: AnonMapping | undefined;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      const start = BigInt(`0x${header[1]}`);
      const sizeBytes = Number(BigInt(`0x${header[2]}`) - start);
      const name = header[3].trim();
      current = { range: `${header[1]}-${header[2]}`, sizeBytes, rssBytes: 0, anonBytes: 0, swapBytes: 0, kind: classify(name, sizeBytes, start), name };
      mappings.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous|Swap):\s+(\d+) kB/.exec(line);
    if (!field || !current) continue;
    const bytes = Number(field[2]) * 1024;
    if (field[1] === 'Rss') current.rssBytes = bytes;
    else if (field[1] === 'Anonymous') current.anonBytes = bytes;
    else current.swapBytes = bytes;
  }
  return mappings;
}

/** The `count` mappings holding the most anonymous memory, shared anonymous included (costly: on demand). */
export function largestAnonMappings(pid: number, count = 8): AnonMapping[] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'latin1');
  } catch (error) {
    throw fromSystemError(error, pid, 'read the mappings of');
  }
  return parseSmaps(text)
    .map((m) => (m.kind === 'shared-anonymous' ? { ...m, anonBytes: m.rssBytes } : m))
    .filter((m) => m.anonBytes + m.swapBytes > 0)
    .sort((a, b) => b.anonBytes + b.swapBytes - (a.anonBytes + a.swapBytes))
    .slice(0, count);
}
