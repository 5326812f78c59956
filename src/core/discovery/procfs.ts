// Low-level readers of Linux /proc. Reads are synchronous on purpose: procfs files are
// generated in memory by the kernel (a few µs, never disk I/O), while an async fs call costs a
// thread-pool round trip (~200 µs) — see /work/shared/design/process-introspection.md.
import { closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';

/** Kernel USER_HZ: the unit of CPU times and start times in /proc/PID/stat. 100 on every
 *  architecture Node runs on (it is an ABI constant, not the kernel's internal HZ). */
export const CLOCK_TICKS_PER_S = 100;

export const isLinux = process.platform === 'linux';

let cachedPageSize: number | undefined;

/**
 * Bytes per page, for statm/stat, which count pages. Node does not expose sysconf, so derive
 * it from our own process: libuv's rss is resident pages × page size. Snapped to a power of
 * two because RSS may move between the two reads.
 */
export function pageSize(): number {
  if (cachedPageSize === undefined) {
    cachedPageSize = 4096;
    if (isLinux) {
      const residentPages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
      const ratio = process.memoryUsage.rss() / residentPages;
      if (Number.isFinite(ratio) && ratio > 0) cachedPageSize = 2 ** Math.round(Math.log2(ratio));
    }
  }
  return cachedPageSize;
}

/** The fields of /proc/PID/stat that Leakscope uses. */
export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z (zombie), X (dead), ... */
  state: string;
  ppid: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Since boot, clock ticks (field 22): with the pid it identifies the process. */
  startTicks: number;
  rssPages: number;
}

/** Parses /proc/PID/stat. comm may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`Unexpected /proc stat format: ${text.slice(0, 80)}`);
  // Field n of proc(5) is at index n - 3 after the comm.
  const f = text.slice(close + 2).split(' ');
  return {
    pid: Number(text.slice(0, open)),
    comm: text.slice(open + 1, close),
    state: f[0],
    ppid: Number(f[1]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    threads: Number(f[17]),
    startTicks: Number(f[19]),
    rssPages: Number(f[21]),
  };
}

/** What a sample needs from /proc/PID/stat, parsed straight from the bytes (the hot path). */
export interface StatCounters {
  /** Char code of the state letter. */
  stateCode: number;
  /** The kernel's per-task flags (PF_*): PF_EXITING is set once the process has begun to exit. */
  flags: number;
  cpuTicks: number;
  threads: number;
  startTicks: number;
  /** Resident pages: the same counter (get_mm_rss) as statm's second field. */
  rssPages: number;
}

const SPACE = 0x20;
const CLOSE_PAREN = 0x29;
const ZOMBIE_CODES = new Set(['Z', 'X', 'x'].map((c) => c.charCodeAt(0)));

/**
 * Parses /proc/PID/stat from a buffer without making strings: ~5× faster than split(' '), and a
 * monitor does it every second for every watched process. Fields numbered as in proc(5).
 */
export function parseStatCounters(buffer: Uint8Array, length: number, out: StatCounters): StatCounters {
  let pos = length - 1;
  while (pos >= 0 && buffer[pos] !== CLOSE_PAREN) pos--;
  if (pos < 0) throw new Error('Unexpected /proc stat format');
  pos += 2;
  out.stateCode = buffer[pos];
  let utime = 0;
  for (let field = 3; field <= 24 && pos < length; field++) {
    let value = 0;
    for (let c = buffer[pos]; c >= 48 && c <= 57; c = buffer[++pos]) value = value * 10 + (c - 48);
    while (pos < length && buffer[pos] !== SPACE) pos++;
    pos++;
    if (field === 9) out.flags = value;
    else if (field === 14) utime = value;
    else if (field === 15) out.cpuTicks = utime + value;
    else if (field === 20) out.threads = value;
    else if (field === 22) out.startTicks = value;
    else if (field === 24) out.rssPages = value;
  }
  return out;
}

function isZombieCode(stateCode: number): boolean {
  return ZOMBIE_CODES.has(stateCode);
}

/** include/linux/sched.h: the task is getting shut down. */
const PF_EXITING = 0x4;

/**
 * Exited, or exiting: from the moment the kernel starts tearing a process down its memory map is
 * released (RSS reads 0) while the state letter can still say R for a while, longer on a loaded
 * machine. Such a reading is the end of the process, not a sample of the program's memory.
 */
export function hasExited(stat: StatCounters): boolean {
  return isZombieCode(stat.stateCode) || (stat.flags & PF_EXITING) !== 0;
}

/** Resident pages from /proc/PID/statm ("size resident shared text lib data dt"). */
export function parseStatmResident(text: string): number {
  const start = text.indexOf(' ') + 1;
  return Number(text.slice(start, text.indexOf(' ', start)));
}

export function isZombie(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

export function readStat(pid: number): ProcStat {
  return parseStat(readSmallProcFile(`/proc/${pid}/stat`));
}

const smallFileBuffer = Buffer.allocUnsafe(4096);

/**
 * open + one read + close: readFileSync also fstat()s and reads again to find the end, five
 * syscalls where three do for the small files of /proc (the child walks run for every monitor).
 */
export function readSmallProcFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const length = readSync(fd, smallFileBuffer, 0, smallFileBuffer.length, 0);
    if (length < smallFileBuffer.length) return smallFileBuffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
  return readFileSync(path, 'latin1'); // larger than the buffer: rare (hundreds of children)
}

/** Reads a whole proc file through an fd kept open (pread at 0 regenerates its content). */
export function readThroughFd(fd: number, buffer: Buffer): string {
  return buffer.toString('latin1', 0, preadAll(fd, buffer));
}

/** Bytes read into `buffer` from offset 0 of a kept-open proc file. */
export function preadAll(fd: number, buffer: Buffer): number {
  return readSync(fd, buffer, 0, buffer.length, 0);
}

/**
 * The command line, argument by argument. Throws the system error (ENOENT: gone; EACCES).
 * A kernel thread has none ([]).
 */
export function readCmdline(pid: number): string[] {
  const parts = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  // A retitled process (process.title, setproctitle) pads the old argv area with NULs.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export interface ExePath {
  path: string;
  /** The file was removed or replaced on disk since the process started (" (deleted)" in the link). */
  deleted: boolean;
}

/** The executable's resolved path. Throws the system error (EACCES: another user's; ENOENT: gone, or a kernel thread). */
export function readExe(pid: number): ExePath {
  const link = readlinkSync(`/proc/${pid}/exe`);
  const deleted = link.endsWith(DELETED_SUFFIX);
  return { path: deleted ? link.slice(0, -DELETED_SUFFIX.length) : link, deleted };
}

const DELETED_SUFFIX = ' (deleted)';

/** Direct children of every thread of `pid` (a child belongs to the thread that forked it). */
export function childPids(pid: number, threads?: number): number[] {
  const tids = threads === 1 ? [String(pid)] : readdirSync(`/proc/${pid}/task`);
  const children: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readSmallProcFile(`/proc/${pid}/task/${tid}/children`);
    } catch {
      continue; // the thread ended between readdir and read
    }
    for (const part of text.split(' ')) if (part !== '' && part !== '\n') children.push(Number(part));
  }
  return children;
}

/** Every descendant of `pid` (not `pid` itself), breadth first; vanished branches are skipped. */
export function descendantPids(pid: number, rootThreads?: number): number[] {
  const found: number[] = [];
  const queue: number[] = [];
  try {
    queue.push(...childPids(pid, rootThreads));
  } catch {
    return found;
  }
  const seen = new Set<number>([pid]);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (seen.has(next)) continue;
    seen.add(next);
    found.push(next);
    try {
      queue.push(...childPids(next));
    } catch {
      // exited while we walked the tree
    }
  }
  return found;
}

/** Sum of resident bytes of the given processes; ones that vanished count as 0. */
export function summedRssBytes(pids: readonly number[]): number {
  let pages = 0;
  for (const pid of pids) {
    try {
      pages += parseStatmResident(readSmallProcFile(`/proc/${pid}/statm`));
    } catch {
      // gone since the tree walk
    }
  }
  return pages * pageSize();
}

/** USS (Private_Clean + Private_Dirty) and PSS from smaps_rollup text, in bytes. */
export function parseSmapsRollup(text: string): { ussBytes: number; pssBytes: number } {
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { ussBytes: kb('Private_Clean') + kb('Private_Dirty'), pssBytes: kb('Pss') };
}

export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}
