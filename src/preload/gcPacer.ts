// Loaded into a Node program Leakscope starts (NODE_OPTIONS=--require, src/core/gcPacing.ts):
// forces a full GC at most every ten seconds, and never more than 1% of the program's time, so
// that its RSS shows what it keeps rather than garbage V8 has not collected yet. It must never
// change what the program does otherwise: nothing is added to its globals, its timers do not keep
// it alive, and any failure leaves the program as it was.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { nextGcDelayMs } from '../core/gcPacing';

/** V8's collector, reached through a fresh context so the program's own `globalThis.gc` is untouched. */
function collector(): (() => void) | undefined {
  const programExposesGc = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--expose-gc'));
  setFlagsFromString('--expose-gc');
  try {
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => void gc() : undefined;
  } finally {
    if (!programExposesGc) setFlagsFromString('--no-expose-gc'); // later contexts as the program made them
  }
}

function pace(gc: () => void, delayMs: number): void {
  setTimeout(() => {
    const start = performance.now();
    try {
      gc();
    } catch {
      return; // stop pacing rather than disturb the program
    }
    pace(gc, nextGcDelayMs(performance.now() - start));
  }, delayMs).unref();
}

function start(): void {
  if (!isMainThread) return; // a worker's heap is its own; the main thread's pacer is enough for RSS
  const gc = collector();
  if (gc) pace(gc, nextGcDelayMs(0));
}

try {
  start();
} catch {
  // Leave the program as it was: pacing is an aid to the verdict, never a reason to fail.
}
