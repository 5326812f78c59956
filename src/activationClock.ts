// What loading and activating costs the extension itself. This is the bundle's first module
// (extension.ts imports it first), so its clock starts before the rest is evaluated; extension.ts
// stops the first lap once its own imports are evaluated, and times activate() on its own. The
// time VS Code spends between the two (making the ExtensionContext, which waits on the
// workbench) is the host's, not ours. Read as the API's `activation` by bench/extensionLoad.ts.
import { performance } from 'node:perf_hooks';

const moduleStartedMs = performance.now();
const moduleStartedCpuMs = cpuNowMs();

/** Milliseconds since the bundle began to run: wall time, and CPU time (see cpuNowMs). */
export function sinceModuleStart(): { wallMs: number; cpuMs: number } {
  return { wallMs: performance.now() - moduleStartedMs, cpuMs: cpuNowMs() - moduleStartedCpuMs };
}

type ThreadCpuUsage = { threadCpuUsage?: () => NodeJS.CpuUsage };

/**
 * CPU time so far, ms: of this thread where Node tells it (threadCpuUsage, Node ≥ 23.9, as in
 * code-server's host), else of the process. On a loaded machine the wall time adds the waits for
 * a core; the CPU time is what the extension's code itself cost.
 */
export function cpuNowMs(): number {
  const threadCpuUsage = (process as ThreadCpuUsage).threadCpuUsage;
  const usage = typeof threadCpuUsage === 'function' ? threadCpuUsage.call(process) : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface ActivationTimes {
  /** Evaluating the bundle: from its first module to the end of extension.ts's imports. */
  moduleMs: number;
  /** activate() from its first line to its return. */
  activateMs: number;
  /** The CPU time of the same two laps (cpuNowMs). */
  moduleCpuMs: number;
  activateCpuMs: number;
}
