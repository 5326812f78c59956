// The sampler off Linux, over pidusage (`ps` on macOS, WMI on Windows, ~7 ms a call). It knows
// RSS and CPU only: threads and fds read as -1, children as 0, and there is no USS/PSS.
// Pid reuse is told by the start time implied by pidusage's `elapsed` (±1 s: `ps` etime).
import { MemorySample } from '../model';
import { mapProcError, ProcessGoneError } from '../discovery/errors';
import { fallbackOptions, loadPidusage } from '../discovery/fallback';
import { DetailReading, ProcessSampler } from './sampler';

/** `ps` reports elapsed time in whole seconds; allow for that and for the call's own latency. */
const START_TIME_TOLERANCE_MS = 2500;

export class PidusageSampler implements ProcessSampler {
  private startedAtMs: number | undefined;
  private previousRss: number | undefined;
  private isClosed = false;

  constructor(readonly pid: number, private intervalMs = 1000) {}

  get closed(): boolean {
    return this.isClosed;
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
  }

  async sample(): Promise<MemorySample> {
    if (this.isClosed) throw new ProcessGoneError(this.pid);
    let stat;
    try {
      stat = await (await loadPidusage())(this.pid, fallbackOptions(this.intervalMs));
    } catch (error) {
      this.dispose();
      throw mapProcError(error, this.pid, 'status', this.startedAtMs === undefined ? 'not-found' : 'exited');
    }
    this.checkSameProcess(stat.timestamp - stat.elapsed);
    const deltaBytes = this.previousRss === undefined ? 0 : stat.memory - this.previousRss;
    this.previousRss = stat.memory;
    return {
      tMs: stat.timestamp,
      rssBytes: stat.memory,
      deltaBytes,
      threads: -1,
      fds: -1,
      childrenRssBytes: 0,
      childCount: 0,
      cpuPercent: stat.cpu,
    };
  }

  async readDetail(): Promise<DetailReading | undefined> {
    return undefined;
  }

  /** pidusage keeps no fd with `usePs`; its per-pid history expires after `maxage` by itself. */
  dispose(): void {
    this.isClosed = true;
  }

  private checkSameProcess(startedAtMs: number): void {
    if (this.startedAtMs === undefined) {
      this.startedAtMs = startedAtMs;
    } else if (Math.abs(startedAtMs - this.startedAtMs) > START_TIME_TOLERANCE_MS) {
      this.dispose();
      throw new ProcessGoneError(this.pid, 'pid-reused');
    }
  }
}
