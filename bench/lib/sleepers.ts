// The sampling bench's setting, shared by the bench and its profiling tools (issue 16): sleeping
// processes to watch, and the options the extension gives each WatchSession.
import { descendants } from '../../src/core/discovery/processes';
import { MachineLimitFacts } from '../../src/core/memory/machineLimitFacts';
import { WatchSessionOptions } from '../../src/core/session';
import { eventually, killAllStarted, startProcess } from '../../test/helpers/processes';

/** `count` `sleep`s under one shell, so that this process is not busy with `count` ChildProcess objects. */
export async function startSleepers(count: number): Promise<{ pids: number[]; stop: () => Promise<void> }> {
  const shell = await startProcess(undefined, 'bash', ['-c', `for i in $(seq ${count}); do sleep 86400 & done; echo ready; wait`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await eventually(async () => {
    const found = await descendants(shell.pid);
    return found.length === count ? found : undefined;
  });
  return { pids, stop: () => shell.kill() }; // the whole process group, sleepers included
}

/** A session per process at 1 Hz with a 12 GB limit; one MachineLimitFacts for all, as the extension's MonitorManager and `leakscope watch` share one. */
export function productSessionOptions(): WatchSessionOptions {
  return { intervalMs: 1000, detailIntervalMs: 30_000, maxSamples: 86_400, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: undefined, warnAtFraction: 0.8, machineLimitFacts: new MachineLimitFacts() };
}

/**
 * Runs a profiling tool's `main`, then ends the process whatever it left behind: the sleepers are
 * killed, and pidusage's fd and timers (or an inspector session) are not waited for.
 */
export function runTool(main: () => Promise<void>): void {
  main().then(
    async () => {
      await killAllStarted();
      process.exit(0);
    },
    async (error: unknown) => {
      console.error(error);
      await killAllStarted();
      process.exit(1);
    },
  );
}

/**
 * One watcher a pid, started after a full collection (as the sampling bench watches), once
 * `settleSeconds` have passed: what the profiling tools measure from.
 */
export async function settledWatchers<W extends { start(): Promise<void> }>(pids: readonly number[], watch: (pid: number) => W, settleSeconds: number): Promise<W[]> {
  (globalThis as { gc?: () => void }).gc?.();
  const watchers = pids.map(watch);
  await Promise.all(watchers.map((w) => w.start()));
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  return watchers;
}
