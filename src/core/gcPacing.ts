// GC pacing for the Node programs Leakscope starts (`leakscope run`, "Run with memory monitor").
// V8 collects lazily: a light service may go minutes between full GCs while its heap grows with
// garbage, and its RSS then rises as a leak's would (5 of 8 non-leaking Node programs recorded for
// tuning alerted within 5 minutes; 2 with a full GC every 10 s). A full GC now and then lets RSS show
// what the program keeps. The pacer (src/preload/gcPacer.ts) is loaded into the program with
// NODE_OPTIONS=--require; it opens no channel and only calls V8's own collector.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** How often the pacer forces a full GC: at most every minIntervalMs, and within its time budget. */
export const GC_PACING = {
  minIntervalMs: 10_000,
  /** The share of the program's wall time full GCs may take: after a GC of d ms, wait d / budget. */
  budget: 0.01,
} as const;

/** The pacer's file name, beside the extension's and the CLI's bundles in dist/. */
export const GC_PACER_FILE = 'gcPacer.js';

/** The pacer bundled in `bundleDir` (dist/); undefined when it is missing: the program must start all the same. */
export function bundledGcPacer(bundleDir: string): string | undefined {
  const path = join(bundleDir, GC_PACER_FILE);
  return existsSync(path) ? path : undefined;
}

/** The delay before the next paced GC, given how long the last one took. */
export function nextGcDelayMs(lastGcMs: number): number {
  return Math.max(GC_PACING.minIntervalMs, lastGcMs / GC_PACING.budget);
}

/**
 * `env` with the pacer added to NODE_OPTIONS (after what is there, so the program's own options
 * keep their meaning). The path is quoted as NODE_OPTIONS parses it: it may hold spaces.
 */
export function withGcPacer(env: NodeJS.ProcessEnv, pacerPath: string): NodeJS.ProcessEnv {
  const quoted = `"${pacerPath.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const existing = env.NODE_OPTIONS?.trim();
  return { ...env, NODE_OPTIONS: `${existing ? `${existing} ` : ''}--require ${quoted}` };
}
