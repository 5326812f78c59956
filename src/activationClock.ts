// The first module of the bundle to run (extension.ts imports it first): when this extension's
// code began to run, so activate() can say how long loading and activating took (the API's
// `activationMs`, read by bench/extensionLoad.ts through the integration harness).
import { performance } from 'node:perf_hooks';

export const moduleStartedMs = performance.now();

/** Milliseconds since the bundle began to run. */
export function sinceModuleStart(): number {
  return performance.now() - moduleStartedMs;
}
