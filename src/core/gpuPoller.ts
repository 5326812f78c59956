// GPU memory of a watched process, for the chart. nvidia-smi is a process spawn (milliseconds),
// so it runs on its own slow cadence, never overlapping, and the sampler reads the last value.
import { Disposable } from './events';
import { gpuMemoryForPid } from './probe/gpu';
import { findExecutable } from './probe/util';

export const GPU_POLL_INTERVAL_MS = 5000;

export class GpuPoller implements Disposable {
  private latest: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  /** Undefined when nvidia-smi is not installed: no GPU to chart, nothing is polled. */
  static start(pid: number, nvidiaSmi = findExecutable('nvidia-smi'), intervalMs = GPU_POLL_INTERVAL_MS): GpuPoller | undefined {
    return nvidiaSmi ? new GpuPoller(pid, nvidiaSmi, intervalMs) : undefined;
  }

  private constructor(private readonly pid: number, private readonly nvidiaSmi: string, intervalMs: number) {
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
  }

  private async poll(): Promise<void> {
    if (this.inFlight || !this.timer) return;
    this.inFlight = true;
    try {
      this.latest = await gpuMemoryForPid(this.pid, { nvidiaSmi: this.nvidiaSmi, timeoutMs: 4000 });
    } finally {
      this.inFlight = false;
    }
  }
}
