// What loading and activating costs the extension itself. This is the bundle's first module
// (extension.ts imports it first), so its clock starts before the rest is evaluated; extension.ts
// stops the first lap once its own imports are evaluated, and times activate() on its own. The
// time VS Code spends between the two (making the ExtensionContext, which waits on the
// workbench) is the host's, not ours. Read as the API's `activation` by bench/extensionLoad.ts.
import { performance } from 'node:perf_hooks';

const moduleStartedMs = performance.now();

/** Milliseconds since the bundle began to run. */
export function sinceModuleStart(): number {
  return performance.now() - moduleStartedMs;
}

export interface ActivationTimes {
  /** Evaluating the bundle: from its first module to the end of extension.ts's imports. */
  moduleMs: number;
  /** activate() from its first line to its return. */
  activateMs: number;
}
