// What RSS is made of, from /proc alone (nothing is injected): anonymous vs file-backed vs
// shared pages, swap and the peak from /proc/PID/status (~6 µs through a kept fd, cheap enough to repeat every
// few seconds), and the largest anonymous mappings from /proc/PID/smaps (it walks the page
// tables, milliseconds per GB: read on demand only).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { Disposable } from '../events';
import { fromSystemError, notRunning } from '../probe/errors';

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

/** The /proc/PID/status lines read, and the field each fills. */
export const STATUS_FIELDS: Readonly<Record<string, keyof ProcMemory>> = {
  VmRSS: 'rssBytes',
  RssAnon: 'anonBytes',
  RssFile: 'fileBytes',
  RssShmem: 'shmemBytes',
  VmSwap: 'swapBytes',
  VmHWM: 'hwmBytes',
  VmSize: 'virtualBytes',
  VmData: 'dataBytes',
};

function emptyProcMemory(): ProcMemory {
  return { rssBytes: 0, anonBytes: 0, fileBytes: 0, shmemBytes: 0, swapBytes: 0, hwmBytes: 0, virtualBytes: 0, dataBytes: 0 };
}

const STATUS_KEYS = Object.entries(STATUS_FIELDS).map(([name, field]) => ({ name: Buffer.from(`${name}:`, 'latin1'), field }));
const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const DIGIT_0 = 0x30;
const CAPITAL_V = 0x56;
const CAPITAL_R = 0x52;
const KB = Buffer.from(' kB', 'latin1');

/**
 * The memory fields of /proc/PID/status ("Name:<blanks><digits> kB" lines), parsed on the bytes as
 * read: no string or match object per line (the decomposition reads every watched process every
 * few seconds). A field repeated takes its last value; a line not of that form is skipped.
 */
export function parseStatusMemoryBytes(buffer: Buffer, length: number): ProcMemory {
  const memory = emptyProcMemory();
  for (let line = 0; line < length; ) {
    let end = buffer.indexOf(NEWLINE, line);
    if (end < 0 || end > length) end = length;
    // Every field read is a Vm… or Rss… line: the other ~40 lines are skipped on their first byte.
    if (buffer[line] === CAPITAL_V || buffer[line] === CAPITAL_R) readStatusLine(buffer, line, end, memory);
    line = end + 1;
  }
  return memory;
}

function readStatusLine(buffer: Buffer, line: number, end: number, memory: ProcMemory): void {
  for (const key of STATUS_KEYS) {
    if (!bytesAt(buffer, line, end, key.name)) continue;
    const value = kilobytesAt(buffer, line + key.name.length, end);
    if (value !== undefined) memory[key.field] = value * 1024;
    return;
  }
}

/** Whether buffer[from, end) starts with `prefix`. Compared here: a Buffer.compare call costs more than these few bytes. */
function bytesAt(buffer: Buffer, from: number, end: number, prefix: Buffer): boolean {
  if (end - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buffer[from + i] !== prefix[i]) return false;
  return true;
}

/** The number of "<blanks><digits> kB" filling buffer[from, end), else undefined. */
function kilobytesAt(buffer: Buffer, from: number, end: number): number | undefined {
  let i = from;
  while (i < end && (buffer[i] === SPACE || buffer[i] === TAB)) i++;
  const digitsFrom = i;
  let value = 0;
  for (; i < end && buffer[i] >= DIGIT_0 && buffer[i] <= DIGIT_0 + 9; i++) value = value * 10 + (buffer[i] - DIGIT_0);
  if (i === digitsFrom || end - i !== KB.length || !bytesAt(buffer, i, end, KB)) return undefined;
  return value;
}

/** Reads are synchronous: one buffer serves every reader (grown if a status ever outgrows it). */
// eslint-disable-next-line no-restricted-syntax -- a scratch buffer, refilled at every read: it holds no fact between reads.
let statusBuffer = Buffer.allocUnsafe(4096);

/** The memory fields of a status file open at `fd`, read from its start. */
function readStatusFd(fd: number): ProcMemory {
  let length = readSync(fd, statusBuffer, 0, statusBuffer.length, 0);
  while (length === statusBuffer.length) {
    statusBuffer = Buffer.allocUnsafe(statusBuffer.length * 2);
    length = readSync(fd, statusBuffer, 0, statusBuffer.length, 0);
  }
  return parseStatusMemoryBytes(statusBuffer, length);
}

/** The cheap part, from /proc/PID/status (world-readable: works for any user's process). */
export function readProcMemory(pid: number): ProcMemory {
  const reader = ProcStatusReader.open(pid);
  try {
    return reader.read();
  } finally {
    reader.dispose();
  }
}

/**
 * /proc/PID/status through an fd opened once: a reading is one pread instead of open, read and
 * close (~6 µs against ~13 µs here), and, like the sampler's stat fd, the fd stays bound to the
 * process: once it exits reads fail, even if its pid is reused.
 */
export class ProcStatusReader implements Disposable {
  private fd: number;

  private constructor(readonly pid: number, fd: number) {
    this.fd = fd;
  }

  /** Throws a probe error (not running, permission denied) when the process cannot be read. */
  static open(pid: number): ProcStatusReader {
    try {
      return new ProcStatusReader(pid, openSync(`/proc/${pid}/status`, 'r'));
    } catch (error) {
      throw fromSystemError(error, pid, 'read the memory of');
    }
  }

  /** Throws as open() does; once disposed, as for a process that is gone. */
  read(): ProcMemory {
    if (this.fd < 0) throw notRunning(this.pid);
    try {
      return readStatusFd(this.fd);
    } catch (error) {
      throw fromSystemError(error, this.pid, 'read the memory of');
    }
  }

  dispose(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
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
