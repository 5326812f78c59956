// Profiling aid (issue 16): where the whole product's extra over the sampling engine goes in the
// real sampling bench's setting (100 `sleep`s, real /proc reads, real timers). Watches them with
// bare ProcessMonitors, then with WatchSessions, profiles each for the same time with V8's
// sampling profiler (the inspector, in this process) after a settling minute, and attributes the
// self time to modules through the bundle's source map. Prints µs of CPU a sample per module for
// both and the difference: the table of where the extra goes.
//   node scripts/build.mjs --tests && node --enable-source-maps --expose-gc out/bench/tools/profileProduct.js [--seconds N] [--settle N] [--save DIR] [--heap]
import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessMonitor } from '../../src/core/monitor';
import { WatchSession } from '../../src/core/session';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { productSessionOptions, runTool, settledWatchers, startSleepers } from '../lib/sleepers';
import { HeapNode, numberOption, post, Profile, ProfileNode } from './harness';

const WATCHED = 100;
const SECONDS = numberOption('--seconds', 40);
const SETTLE_SECONDS = numberOption('--settle', 40);
const saveAt = process.argv.indexOf('--save');
const SAVE_DIR = saveAt > 0 ? process.argv[saveAt + 1] : undefined;
/** Also sample allocations (V8's sampling heap profiler, every ~1 KB): it slows the CPU figures a little. */
const HEAP = process.argv.includes('--heap');


/** Module groups, first match wins: the rows of the table. */
const GROUPS: [string, RegExp][] = [
  ['classifier', /src\/core\/classifier\//],
  ['limits (watcher, cgroups, rlimits, meminfo)', /src\/core\/(limits|memory\/(applicableLimit|cgroups))\.ts/],
  ['decomposition (status reads, columns)', /src\/core\/(memory\/(decompositionSampler|procMemory|diagnose)|shared\/decomposition)\.ts/],
  ['events (emitters, disposables)', /src\/core\/events\.ts/],
  ['history', /src\/core\/history\//],
  ['session', /src\/core\/session\.ts/],
  ['monitor', /src\/core\/monitor\.ts/],
  ['sampling (/proc sampler, ticker)', /src\/core\/(sampling|discovery)\//],
  ['other src', /src\//],
  ['node internals (fs, timers…)', /^node:|^internal\//],
];

/** The source file a frame's code came from, through the bundle's source map. */
function sourceOf(frame: ProfileNode['callFrame']): string {
  const map = frame.url.startsWith('file://') || frame.url.startsWith('/') ? findSourceMap(frame.url.replace(/^file:\/\//, '')) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
  return entry?.originalSource ?? frame.url;
}

function groupOf(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : `native ${frame.functionName || '(anonymous)'}`;
  const source = sourceOf(frame);
  for (const [name, pattern] of GROUPS) if (pattern.test(source)) return name;
  return 'other';
}

/** The engine's own modules: the product's extra is everything else of ours. */
const ENGINE_CODE = /src\/core\/(sampling|discovery|history)\/|src\/core\/monitor\.ts/;

/** A product function's row: its name and file; undefined for the engine's code and code elsewhere. */
function productFunctionOf(frame: ProfileNode['callFrame']): string | undefined {
  if (frame.url === '') return undefined;
  const source = sourceOf(frame);
  if (!source.includes('src/') || ENGINE_CODE.test(source)) return undefined;
  return `${frame.functionName || '(anonymous)'} (${source.split('/').pop()})`;
}

/** Self time per row, µs, of the nodes `rowOf` names. */
function selfTimeBy(profile: Profile, tools: ReadonlySet<number>, rowOf: (frame: ProfileNode['callFrame']) => string | undefined): Map<string, number> {
  const rowOfNode = new Map<number, string | undefined>();
  for (const node of profile.nodes) rowOfNode.set(node.id, rowOf(node.callFrame));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (tools.has(id)) return;
    const row = rowOfNode.has(id) ? rowOfNode.get(id) : 'other';
    if (row !== undefined) totals.set(row, (totals.get(row) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

/**
 * The nodes under this tool's own inspector calls: the profile's collection at the end (a native
 * `dispatch` under `node:inspector`'s post) costs more for the product's larger call tree, and
 * showed as ~6 µs a sample of product "extra" in a steady-state profile. Not the product's.
 */
function profilerOwnNodes(profile: Profile): Set<number> {
  const under = new Set<number>();
  const mark = (node: ProfileNode | undefined): void => {
    if (!node || under.has(node.id)) return;
    under.add(node.id);
    for (const child of node.children ?? []) mark(byId.get(child));
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) if (node.callFrame.url === 'node:inspector') mark(node);
  return under;
}

/**
 * Native and Node-internal self time charged to the nearest caller in our sources (its file):
 * which of our modules the extra reads, opens and fstats come from.
 */
function nativeTimeByCaller(profile: Profile, tools: ReadonlySet<number>): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const callerOf = new Map<number, string | undefined>();
  const ourCaller = (id: number): string | undefined => {
    if (callerOf.has(id)) return callerOf.get(id);
    const frame = byId.get(id)?.callFrame;
    const source = frame && frame.url !== '' ? sourceOf(frame) : '';
    const parent = parentOf.get(id);
    // discovery/procfs.ts holds the small read helpers everyone calls: name who called them.
    const caller = /src\//.test(source) && !source.endsWith('discovery/procfs.ts') ? source.replace(/^.*src\//, 'src/') : parent === undefined ? undefined : ourCaller(parent);
    callerOf.set(id, caller);
    return caller;
  };
  const isNative = (frame: ProfileNode['callFrame']): boolean => (frame.url === '' && !frame.functionName.startsWith('(')) || /^node:|^internal\//.test(frame.url);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = tools.has(id) ? undefined : byId.get(id)?.callFrame;
    if (!frame || !isNative(frame)) return;
    const row = `${ourCaller(id) ?? '(no caller of ours)'} → ${frame.functionName || '(anonymous)'}`;
    totals.set(row, (totals.get(row) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

/** Bytes allocated (sampled) by our nearest calling function (file and name), over the profiled time. */
function allocationByCaller(root: HeapNode): Map<string, number> {
  const totals = new Map<string, number>();
  const walk = (node: HeapNode, caller: string): void => {
    const source = node.callFrame.url === '' ? '' : sourceOf(node.callFrame);
    const here = /src\//.test(source) ? `${source.replace(/^.*src\//, 'src/')} ${node.callFrame.functionName || '(anonymous)'}` : caller;
    if (node.selfSize > 0) totals.set(here, (totals.get(here) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(root, '(no caller of ours)');
  return totals;
}

async function profileWatching(
  pids: number[], watch: (pid: number) => { start(): Promise<void>; dispose(): void }, label: string,
): Promise<{ groups: Map<string, number>; productFunctions: Map<string, number>; nativeByCaller: Map<string, number>; allocation: Map<string, number>; cpuUs: number }> {
  const watchers = await settledWatchers(pids, watch, SETTLE_SECONDS);
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(session, 'Profiler.start');
  if (HEAP) await post(session, 'HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const used = process.cpuUsage(cpu);
  const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
  const heap = HEAP ? await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling') : undefined;
  session.disconnect();
  for (const w of watchers) w.dispose();
  if (SAVE_DIR) writeFileSync(join(SAVE_DIR, `${label}.cpuprofile`), JSON.stringify(profile));
  const tools = profilerOwnNodes(profile);
  return { groups: selfTimeBy(profile, tools, groupOf), productFunctions: selfTimeBy(profile, tools, productFunctionOf), nativeByCaller: nativeTimeByCaller(profile, tools), allocation: heap ? allocationByCaller(heap.profile.head) : new Map<string, number>(), cpuUs: used.user + used.system };
}

async function main(): Promise<void> {
  const { pids, stop } = await startSleepers(WATCHED);
  const options = productSessionOptions();
  const engine = await profileWatching(pids, (pid) => new ProcessMonitor(readLinuxProcessInfo(pid), { intervalMs: 1000 }), 'engine');
  const product = await profileWatching(pids, (pid) => new WatchSession(readLinuxProcessInfo(pid), options), 'product');
  const perSample = (us: number): number => us / (SECONDS * pids.length);
  const names = [...new Set([...product.groups.keys(), ...engine.groups.keys()])].filter((n) => n !== '(idle)');
  names.sort((a, b) => (product.groups.get(b) ?? 0) - (engine.groups.get(b) ?? 0) - ((product.groups.get(a) ?? 0) - (engine.groups.get(a) ?? 0)));
  console.log(`Self time by module, µs a sample (${pids.length} processes at 1 Hz, ${SECONDS} s profiled after ${SETTLE_SECONDS} s; sampling profiler at 200 µs):`);
  console.log(`${'module'.padEnd(46)} ${'engine'.padStart(8)} ${'product'.padStart(8)} ${'extra'.padStart(8)}`);
  let engineSum = 0;
  let productSum = 0;
  for (const name of names) {
    const e = perSample(engine.groups.get(name) ?? 0);
    const p = perSample(product.groups.get(name) ?? 0);
    engineSum += e;
    productSum += p;
    if (Math.max(e, p) >= 0.05) console.log(`${name.padEnd(46)} ${e.toFixed(2).padStart(8)} ${p.toFixed(2).padStart(8)} ${(p - e).toFixed(2).padStart(8)}`);
  }
  console.log(`${'all profiled (not idle)'.padEnd(46)} ${engineSum.toFixed(2).padStart(8)} ${productSum.toFixed(2).padStart(8)} ${(productSum - engineSum).toFixed(2).padStart(8)}`);
  console.log(`${'process.cpuUsage (all threads)'.padEnd(46)} ${perSample(engine.cpuUs).toFixed(2).padStart(8)} ${perSample(product.cpuUs).toFixed(2).padStart(8)} ${perSample(product.cpuUs - engine.cpuUs).toFixed(2).padStart(8)}`);
  console.log('\nThe product\'s own functions (outside the engine) by self time, µs a sample:');
  const functions = [...product.productFunctions].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [name, us] of functions) console.log(`  ${perSample(us).toFixed(2).padStart(8)}  ${name}`);
  console.log('\nNative and Node-internal time by our nearest caller, µs a sample (engine → product, largest differences):');
  const rows = [...new Set([...product.nativeByCaller.keys(), ...engine.nativeByCaller.keys()])];
  const extra = (row: string): number => perSample((product.nativeByCaller.get(row) ?? 0) - (engine.nativeByCaller.get(row) ?? 0));
  rows.sort((a, b) => Math.abs(extra(b)) - Math.abs(extra(a)));
  for (const row of rows.slice(0, 20)) {
    console.log(`  ${perSample(engine.nativeByCaller.get(row) ?? 0).toFixed(2).padStart(7)} → ${perSample(product.nativeByCaller.get(row) ?? 0).toFixed(2).padStart(7)}  ${row}`);
  }
  if (HEAP) printAllocation(engine.allocation, product.allocation, perSample);
  await stop();
}

function printAllocation(engine: Map<string, number>, product: Map<string, number>, perSample: (n: number) => number): void {
  console.log('\nBytes allocated a sample by our nearest caller (sampled heap profile, objects collected included), engine → product:');
  const files = [...new Set([...product.keys(), ...engine.keys()])];
  const extra = (file: string): number => (product.get(file) ?? 0) - (engine.get(file) ?? 0);
  files.sort((a, b) => extra(b) - extra(a));
  for (const file of files.slice(0, 25)) {
    console.log(`  ${perSample(engine.get(file) ?? 0).toFixed(0).padStart(7)} → ${perSample(product.get(file) ?? 0).toFixed(0).padStart(7)}  ${file}`);
  }
}

runTool(main);
