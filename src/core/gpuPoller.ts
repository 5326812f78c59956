// GPU memory of a watched process, for the chart. nvidia-smi is a process spawn (milliseconds),
// so it runs on its own slow cadence, never overlapping, and the sampler reads the last value.
import { Disposable } from './events';
import { gpuMemoryForPid } from './probe/gpu';
import { findExecutable } from './probe/util';

export const GPU_POLL_INTERVAL_MS = 5000;
/** A query still running after this is killed: under the interval, so runs never pile up. */
export const GPU_QUERY_TIMEOUT_MS = 4000;

export class GpuPoller implements Disposable {
  private latest: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  /** Kills an nvidia-smi still running at dispose: it can hang for seconds on a busy driver. */
  private readonly abort = new AbortController();

  /** Undefined when nvidia-smi is not installed: no GPU to chart, nothing is polled. */
  static start(pid: number, nvidiaSmi = findExecutable('nvidia-smi'), intervalMs = GPU_POLL_INTERVAL_MS, queryTimeoutMs = GPU_QUERY_TIMEOUT_MS): GpuPoller | undefined {
    return nvidiaSmi ? new GpuPoller(pid, nvidiaSmi, intervalMs, queryTimeoutMs) : undefined;
  }

  private constructor(
    private readonly pid: number,
    private readonly nvidiaSmi: string,
    intervalMs: number,
    private readonly queryTimeoutMs: number,
  ) {
    this.timer = setInterval(() => void this.poll(), intervalMs);
    this.timer.unref();
    void this.poll();
  }

  /** GPU bytes from the last successful query; undefined before the first or while it fails. */
  get latestBytes(): number | undefined {
    return this.latest;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  private async poll(): Promise<void> {
    if (this.inFlight || !this.timer) return;
    this.inFlight = true;
    try {
      const bytes = await gpuMemoryForPid(this.pid, { nvidiaSmi: this.nvidiaSmi, timeoutMs: this.queryTimeoutMs, signal: this.abort.signal });
      if (!this.abort.signal.aborted) this.latest = bytes;
    } finally {
      this.inFlight = false;
    }
  }
}
