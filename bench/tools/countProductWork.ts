// Profiling aid (issue 16): what the whole product does per sample besides the engine's, counted
// rather than timed (this machine is shared: counts do not move with its load). Watches 100
// `sleep`s with bare ProcessMonitors, then with WatchSessions (the sampling bench's options),
// real /proc and real timers, and over the same window counts per sample: timer callbacks run,
// events fired and listeners they ran, fs calls (reads, opens, fstats…), and bytes allocated
// (V8's sampling heap profiler at a small interval, objects collected included).
//   node scripts/build.mjs --tests && node --enable-source-maps --expose-gc out/bench/tools/countProductWork.js [--seconds N] [--settle N] [--product-only]
// Under --trace-opt --trace-deopt, V8's lines between WINDOW START and WINDOW END are the window's
// (optimizations, and optimized code discarded: 'marking dependent code'); under --trace-gc-nvp,
// the window's collections. The heap profiler charges what an inlined function allocates to the
// function it was inlined into (2026-12-07: `(s) => this.onSample(s)` in session.ts held 272 B a
// sample that --no-turbo-inlining --no-maglev-inlining showed was mostly `newBucket`'s (232 B), in the first 256 s).
import { Session } from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { createRequire, findSourceMap } from 'node:module';
import { EventEmitter } from '../../src/core/events';
import { ProcessMonitor } from '../../src/core/monitor';
import { WatchSession } from '../../src/core/session';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { productSessionOptions, runTool, settledWatchers, startSleepers } from '../lib/sleepers';
import { HeapNode, numberOption, post } from './harness';

const WATCHED = 100;
const SECONDS = numberOption('--seconds', 30);
const SETTLE_SECONDS = numberOption('--settle', 20);
const HEAP_SAMPLING_BYTES = 64;
/** Count the product alone (the engine's counts do not change with the product's code). */
const PRODUCT_ONLY = process.argv.includes('--product-only');

/** What is counted; `counting` is off outside the measured window. */
const counts = new Map<string, number>();
let counting = false;
const count = (row: string, by = 1): void => {
  if (counting) counts.set(row, (counts.get(row) ?? 0) + by);
};

function countEvents(): void {
  const fire = EventEmitter.prototype.fire;
  EventEmitter.prototype.fire = function (this: EventEmitter<unknown>, value: unknown): void {
    count('events fired');
    count('listeners run', this.listenerCount);
    fire.call(this, value);
  };
}

type TimerFunction = (callback: (...args: unknown[]) => void, ms?: number, ...rest: unknown[]) => NodeJS.Timeout;

function countTimers(): void {
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const original = globalThis[name] as unknown as TimerFunction;
    const counted: TimerFunction = (callback, ms, ...rest) => original((...args: unknown[]) => {
      count(`timer callbacks (${name}, ~${Math.round((ms ?? 0) / 1000)} s)`);
      callback(...args);
    }, ms, ...rest);
    (globalThis as unknown as Record<string, TimerFunction>)[name] = counted;
  }
}

/** The bundle calls fs through the module object (CommonJS): wrapping its functions counts every call. */
function countFs(): void {
  // The real module object (a namespace import is a frozen copy of it in the bundle).
  const module = createRequire(process.argv[1])('node:fs') as Record<string, unknown>;
  for (const name of ['readSync', 'openSync', 'closeSync', 'fstatSync', 'statSync', 'readFileSync', 'readdirSync', 'readlinkSync']) {
    const original = module[name] as (...args: unknown[]) => unknown;
    module[name] = (...args: unknown[]): unknown => {
      count(`fs.${name}`);
      return original(...args);
    };
  }
}

/** Looks of the sessions' classifiers so far (a private field, read for this count only). */
function looksOf(watchers: readonly object[]): number {
  return watchers.reduce((sum: number, w) => sum + ((w as { classifier?: { lookCount: number } }).classifier?.lookCount ?? 0), 0);
}

/** Young and old collections and their pause, from V8's gc performance entries. */
function countGc(): void {
  const kinds: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks' };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      count(`gc ${kind}: collections`);
      count(`gc ${kind}: pause µs`, entry.duration * 1000);
    }
  }).observe({ entryTypes: ['gc'] });
}

/** The source file of a frame, through the bundle's source map (run with --enable-source-maps). */
function sourceOf(frame: HeapNode['callFrame']): string {
  const map = frame.url.startsWith('file://') || frame.url.startsWith('/') ? findSourceMap(frame.url.replace(/^file:\/\//, '')) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
  return (entry?.originalSource ?? frame.url).replace(/^.*\/(src|bench|test)\//, '$1/');
}

/** Bytes allocated by our nearest function (a built-in is charged to its caller of ours). */
function allocationByFunction(node: HeapNode, totals: Map<string, number>, caller = '(none of ours)'): void {
  const source = node.callFrame.url === '' ? '' : sourceOf(node.callFrame);
  const here = /^(src|bench|test)\//.test(source) ? `allocated in ${node.callFrame.functionName || '(anonymous)'} (${source})` : caller;
  if (node.selfSize > 0) totals.set(here, (totals.get(here) ?? 0) + node.selfSize);
  for (const child of node.children) allocationByFunction(child, totals, here);
}

async function countWatching(label: string, pids: number[], watch: (pid: number) => { start(): Promise<void>; dispose(): void }): Promise<Map<string, number>> {
  const watchers = await settledWatchers(pids, watch, SETTLE_SECONDS);
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: HEAP_SAMPLING_BYTES, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  counts.clear();
  const looksBefore = looksOf(watchers);
  // Under --trace-opt/--trace-deopt/--trace-gc, V8's lines between these two are the window's.
  console.log(`WINDOW START ${label}`);
  counting = true;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  counting = false;
  console.log(`WINDOW END ${label}`);
  counting = true;
  count('classifier looks', looksOf(watchers) - looksBefore);
  counting = false;
  const { profile } = await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  for (const w of watchers) w.dispose();
  const result = new Map(counts);
  const allocated = new Map<string, number>();
  allocationByFunction(profile.head, allocated);
  result.set('bytes allocated (sampled)', [...allocated.values()].reduce((a, b) => a + b, 0));
  for (const [row, bytes] of allocated) result.set(row, bytes);
  return result;
}

async function main(): Promise<void> {
  countEvents();
  countTimers();
  countFs();
  countGc();
  const { pids, stop } = await startSleepers(WATCHED);
  const options = productSessionOptions();
  const engine = PRODUCT_ONLY ? new Map<string, number>() : await countWatching('engine', pids, (pid) => new ProcessMonitor(readLinuxProcessInfo(pid), { intervalMs: 1000 }));
  const product = await countWatching('product', pids, (pid) => new WatchSession(readLinuxProcessInfo(pid), options));
  const perSample = (n: number): string => (n / (SECONDS * pids.length)).toFixed(3).padStart(10);
  console.log(`Per sample (${pids.length} processes at 1 Hz, ${SECONDS} s counted after ${SETTLE_SECONDS} s):`);
  console.log(`${'what'.padEnd(72)} ${'engine'.padStart(10)} ${'product'.padStart(10)}`);
  const rows = [...new Set([...engine.keys(), ...product.keys()])].sort();
  const shown = (row: string): boolean => !row.startsWith('allocated in') || Math.max(engine.get(row) ?? 0, product.get(row) ?? 0) / (SECONDS * pids.length) >= 8;
  for (const row of rows.filter(shown)) console.log(`${row.padEnd(72)} ${perSample(engine.get(row) ?? 0)} ${perSample(product.get(row) ?? 0)}`);
  await stop();
}

runTool(main);
