// The Linux sampler: reads /proc/PID through file descriptors opened once at attach.
//
// Why fds kept open: a pread on an open proc fd costs ~1 µs against ~9 µs for open+read+close,
// and an fd opened on /proc/PID/... stays bound to that process: once it exits, reads fail with
// ESRCH even if the pid is reused, so a reused pid can never leak into the trace. The start time
// (stat field 22) is still compared at attach, for a pid that changed owner between discovery
// and attach.
//
// One read of /proc/PID/stat per sample gives RSS, CPU ticks, threads and state together: its
// rss field counts the same pages as statm's resident field and status's VmRSS, read the cheap
// way (the per-CPU counters not summed): on this kernel (6.18) 100–260 kB below them for a small
// process, an error bounded by the per-CPU batches (hundreds of kB on 2 cores), not growing
// with RSS. Reading statm as well for the exact sum would add a syscall a sample for what no
// verdict can see.
import { closeSync, fstatSync, openSync, readdirSync } from 'node:fs';
import { read } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MemorySample } from '../model';
import { isGoneError, isPermissionError, mapProcError, PermissionDeniedError, ProcessGoneError } from '../discovery/errors';
import {
  CLOCK_TICKS_PER_S,
  descendantPids,
  hasExited,
  pageSize,
  parseSmapsRollup,
  parseStatCounters,
  preadAll,
  StatCounters,
  summedRssBytes,
} from '../discovery/procfs';
import { DetailReading, ProcessSampler, SampleRequest } from './sampler';

/** Since Linux 6.2 stat() of /proc/PID/fd gives the number of open fds as its size: one syscall
 *  instead of a readdir. Checked on our own fd table, which is never empty. */
let fdCountBySize: boolean | undefined;
function canCountFdsBySize(): boolean {
  fdCountBySize ??= fstatSizeOf('/proc/self/fd') > 0;
  return fdCountBySize;
}

function fstatSizeOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

export class ProcfsSampler implements ProcessSampler {
  private readonly buffer = Buffer.allocUnsafe(1024);
  private readonly counters: StatCounters = { stateCode: 0, flags: 0, cpuTicks: 0, threads: 0, startTicks: 0, rssPages: 0 };
  private statFd: number;
  /** -1 when another user's fd table cannot be opened (fds then read as -1). */
  private fdDirFd: number;
  /** The previous sample's readings, as fields: no object per sample. */
  private hasPrevious = false;
  private previousRssBytes = 0;
  private previousCpuTicks = 0;
  private previousAtMs = 0;
  private children = { rssBytes: 0, count: 0 };
  private fds = -1;
  private isClosed = false;
  /** undefined: not opened yet; -1: the kernel has no smaps_rollup. */
  private smapsFd: number | undefined;
  private detailReads = 0;
  /** A cheap signature of the kernel's name (comm): exec sets it to the new program's name. */
  private commSignature = 0;
  private execs = 0;
  private readonly staleSmapsFds: number[] = [];

  /**
   * Attaches to `pid`. With `expectedStartTicks` (from discovery), a process with another start
   * time is a reused pid: ProcessGoneError with reason 'pid-reused'.
   */
  static open(pid: number, expectedStartTicks?: number): ProcfsSampler {
    return new ProcfsSampler(pid, expectedStartTicks);
  }

  readonly startTicks: number;

  private constructor(readonly pid: number, expectedStartTicks?: number) {
    const opened: number[] = [];
    try {
      this.statFd = openProcFile(pid, 'stat', opened);
      this.fdDirFd = openFdDir(pid, opened);
      const stat = this.readStat();
      if (expectedStartTicks !== undefined && expectedStartTicks > 0 && stat.startTicks !== expectedStartTicks) {
        throw new ProcessGoneError(pid, 'pid-reused');
      }
      this.startTicks = stat.startTicks;
      this.commSignature = commSignatureOf(this.buffer, this.statLength);
    } catch (error) {
      for (const fd of opened) closeSync(fd);
      throw mapProcError(error, pid, 'status', 'not-found');
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * How many times the process has been seen to exec a new program. An exec keeps the pid and
   * the start time but replaces the memory map: smaps_rollup must be reopened, and the command
   * line has changed.
   */
  get execCount(): number {
    return this.execs;
  }

  async sample(request: SampleRequest = {}): Promise<MemorySample> {
    const sample = this.sampleSync(request);
    if (request.detail) {
      try {
        const detail = await this.readDetailOrSkip();
        if (detail) Object.assign(sample, detail);
      } catch (error) {
        this.dispose();
        throw error;
      }
    }
    return sample;
  }

  /**
   * The cheap readings, synchronously (~2 µs without the children walk and the fd count, which
   * come when asked). Path-based reads come first and the stat fd last: if that still answers,
   * the process was alive throughout, so nothing read by path belonged to a successor on a
   * reused pid.
   */
  sampleSync(request: SampleRequest = {}): MemorySample {
    this.assertOpen();
    const atMs = performance.now();
    try {
      if (request.fds || !this.hasPrevious) this.fds = this.countFds();
      const stat = this.readStat();
      this.checkComm();
      if (request.children || !this.hasPrevious) this.children = this.readChildren(stat.threads);
      return this.makeSample(atMs, stat.rssPages * pageSize(), stat, this.fds);
    } catch (error) {
      this.dispose();
      throw mapProcError(error, this.pid, 'status');
    }
  }

  /**
   * USS/PSS from smaps_rollup, read off the main thread (the kernel walks the page tables:
   * ~12 ms at 1 GB RSS). Through an fd opened at the first call and kept, like stat: one
   * thread-pool round trip instead of readFile's open/fstat/read/close, and bound to the process.
   */
  async readDetail(): Promise<DetailReading | undefined> {
    this.assertOpen();
    const fd = this.openSmaps();
    if (fd === undefined) return undefined;
    try {
      return await this.readSmapsThrough(fd);
    } catch (error) {
      // ESRCH from a kept smaps_rollup fd while stat still answers: the memory map it was bound
      // to is gone because the process exec'd, not because it exited. Reopen and read again.
      if (!isGoneError(error) || !this.stillSameProcess()) throw mapProcError(error, this.pid, 'memory details');
      this.noteExec();
      const reopened = this.openSmaps();
      return reopened === undefined ? undefined : this.readSmapsThrough(reopened).catch((e: unknown) => {
        // ESRCH again from the fresh fd: the next exec of a launcher's chain (env → bash →
        // pyenv → python) came at once. Skip this detail reading; the next one reopens.
        if (isGoneError(e) && this.stillSameProcess()) return undefined;
        throw mapProcError(e, this.pid, 'memory details');
      });
    }
  }

  private async readSmapsThrough(fd: number): Promise<DetailReading> {
    this.detailReads++;
    const buffer = Buffer.allocUnsafe(4096); // its own: on-demand and cadence reads may overlap
    let length: number;
    try {
      length = await preadAsync(fd, buffer);
    } finally {
      this.detailReads--;
      if (this.detailReads === 0) this.closeStaleSmaps();
    }
    this.assertOpen();
    return parseSmapsRollup(buffer.toString('latin1', 0, length));
  }

  /** True when the stat fd still answers for a live process with the start time seen at attach. */
  private stillSameProcess(): boolean {
    if (this.isClosed) return false;
    try {
      return this.readStat().startTicks === this.startTicks;
    } catch {
      return false;
    }
  }

  /** After an exec the old smaps fd only answers ESRCH; the next detail read opens a new one. */
  private noteExec(): void {
    this.execs++;
    this.commSignature = commSignatureOf(this.buffer, this.statLength);
    if (this.detailReads === 0) return this.closeSmaps();
    // Never close an fd under a pending read: it is closed when the last read is done.
    if (this.smapsFd !== undefined && this.smapsFd >= 0) this.staleSmapsFds.push(this.smapsFd);
    this.smapsFd = undefined;
  }

  dispose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const fd of [this.statFd, this.fdDirFd]) if (fd >= 0) closeSync(fd);
    // Never close an fd under a pending read: its number could be reused and read by mistake.
    if (this.detailReads === 0) this.closeSmaps();
  }

  /** The smaps_rollup fd, opened on first use; undefined on kernels before 4.14 (no such file). */
  private openSmaps(): number | undefined {
    if (this.smapsFd === undefined) {
      try {
        this.smapsFd = openSync(`/proc/${this.pid}/smaps_rollup`, 'r');
      } catch (error) {
        if (isPermissionError(error)) throw mapProcError(error, this.pid, 'memory details');
        if (!isGoneError(error)) throw error;
        this.assertStillAlive();
        this.smapsFd = -1;
      }
    }
    return this.smapsFd >= 0 ? this.smapsFd : undefined;
  }

  private closeStaleSmaps(): void {
    for (const fd of this.staleSmapsFds.splice(0)) closeSync(fd);
    if (this.isClosed) this.closeSmaps();
  }

  private closeSmaps(): void {
    if (this.smapsFd !== undefined && this.smapsFd >= 0) closeSync(this.smapsFd);
    this.smapsFd = undefined;
  }

  private makeSample(atMs: number, rssBytes: number, stat: StatCounters, fds: number): MemorySample {
    const previous = this.hasPrevious;
    const elapsedS = previous ? (atMs - this.previousAtMs) / 1000 : 0;
    const cpuS = previous ? (stat.cpuTicks - this.previousCpuTicks) / CLOCK_TICKS_PER_S : 0;
    const deltaBytes = previous ? rssBytes - this.previousRssBytes : 0;
    this.hasPrevious = true;
    this.previousRssBytes = rssBytes;
    this.previousCpuTicks = stat.cpuTicks;
    this.previousAtMs = atMs;
    return {
      tMs: Date.now(),
      rssBytes,
      deltaBytes,
      threads: stat.threads,
      fds,
      childrenRssBytes: this.children.rssBytes,
      childCount: this.children.count,
      cpuPercent: elapsedS > 0 ? Math.max(0, (cpuS / elapsedS) * 100) : 0,
    };
  }

  private statLength = 0;

  private readStat(): StatCounters {
    this.statLength = preadAll(this.statFd, this.buffer);
    const stat = parseStatCounters(this.buffer, this.statLength, this.counters);
    // A zombie still answers reads, with zeros: it has exited, its parent just has not reaped it.
    if (hasExited(stat)) throw new ProcessGoneError(this.pid, 'exited');
    return stat;
  }

  /** A changed comm is an exec seen at once, without waiting for the next smaps_rollup read. */
  private checkComm(): void {
    const signature = commSignatureOf(this.buffer, this.statLength);
    if (signature === this.commSignature) return;
    this.noteExec();
  }

  private assertStillAlive(): void {
    this.assertOpen();
    try {
      this.readStat();
    } catch (error) {
      throw mapProcError(error, this.pid, 'status');
    }
  }

  private countFds(): number {
    if (this.fdDirFd < 0) return -1;
    if (canCountFdsBySize()) return fstatSync(this.fdDirFd).size;
    try {
      return readdirSync(`/proc/${this.pid}/fd`).length;
    } catch (error) {
      if (isPermissionError(error)) return -1;
      throw error;
    }
  }

  private readChildren(threads: number): { rssBytes: number; count: number } {
    const pids = descendantPids(this.pid, threads);
    return { rssBytes: summedRssBytes(pids), count: pids.length };
  }

  private readDetailOrSkip(): Promise<DetailReading | undefined> {
    return this.readDetail().catch((error: unknown) => {
      if (error instanceof PermissionDeniedError) return undefined;
      throw error;
    });
  }

  private assertOpen(): void {
    if (this.isClosed) throw new ProcessGoneError(this.pid);
  }
}

function openProcFile(pid: number, name: string, opened: number[]): number {
  const fd = openSync(`/proc/${pid}/${name}`, 'r');
  opened.push(fd);
  return fd;
}

function openFdDir(pid: number, opened: number[]): number {
  try {
    return openProcFile(pid, 'fd', opened);
  } catch (error) {
    if (isPermissionError(error)) return -1;
    throw error;
  }
}

/** FNV-1a of the bytes between the first '(' and the last ')' of a stat line: no string made. */
function commSignatureOf(buffer: Buffer, length: number): number {
  const open = buffer.indexOf(0x28);
  const close = buffer.lastIndexOf(0x29, length - 1);
  let hash = 0x811c9dc5;
  for (let i = open + 1; i >= 1 && i < close; i++) hash = Math.imul(hash ^ buffer[i], 0x01000193);
  return hash >>> 0;
}

function preadAsync(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, 0, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}
