// Profiling aid (issue 16): what the classifier's looks allocate, by function. Runs 100 live
// classifiers (a WatchSession's options) over readings of steady processes (what the sampling
// bench watches: a `sleep` holds its RSS) in lockstep, a reading a second of trace time, under
// V8's sampling heap profiler with the objects young and old collections took kept in the
// profile, and prints the bytes allocated a look by the function that allocated them, with the
// CPU time a look took. A second pass does the same for a GC sawtooth and a leak (an hour each).
// With --from N the steady pass profiles (and counts looks and CPU) only from trace second N:
// 40 with --seconds 180 is the sampling bench's window of young traces, 600 with --seconds 900 a
// steady state.
//   node scripts/build.mjs --tests && node --expose-gc out/bench/tools/lookAllocation.js [--seconds N] [--from N]
import { Session } from 'node:inspector';
import { GrowthClassifier } from '../../src/core/classifier';
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from '../../src/core/session';
import { mulberry32 } from '../../src/core/random';
import { numberOption } from './harness';

const WATCHED = 100;
const MB = 1024 * 1024;
const SECONDS = numberOption('--seconds', 300);
const FROM = numberOption('--from', 0);
/** Bytes between two samples of the heap profiler: small, for a fine attribution. */
const SAMPLING_INTERVAL = 512;

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** Self size by function; a built-in (filter, map, slice…) is named with the function that called it. */
function bySelf(node: HeapNode, totals: Map<string, number>, caller = ''): void {
  const name = node.callFrame.functionName || '(anonymous)';
  const row = node.callFrame.url === '' && caller ? `${name} in ${caller}` : name;
  totals.set(row, (totals.get(row) ?? 0) + node.selfSize);
  for (const child of node.children) bySelf(child, totals, node.callFrame.url === '' && caller ? caller : name);
}

type Reading = (second: number, process: number) => number;

const steady: Reading = (_second, process) => 1_900_544 + 4096 * (process % 7);
const sawtooth = (random: () => number): Reading => (second) => Math.round(400 * MB + ((second % 20) / 20) * 30 * MB + (random() - 0.5) * 4 * MB);
const leak = (random: () => number): Reading => (second) => Math.round(400 * MB + second * 5000 + (random() - 0.5) * 4 * MB);

async function profileLooks(label: string, reading: Reading, seconds: number, watched: number, from = 0): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const classifiers = Array.from({ length: watched }, () => new GrowthClassifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: -30_000 + WARM_UP_MS }));
  const countLooks = (): number => classifiers.reduce((a, c) => a + c.lookCount, 0);
  const readUntil = (end: number): void => {
    for (; second < end; second++) {
      for (let p = 0; p < watched; p++) {
        classifiers[p].push(second * 1000, reading(second, p));
        classifiers[p].verdict();
      }
    }
  };
  let second = 0;
  readUntil(from);
  const looksBefore = countLooks();
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const cpu = process.cpuUsage();
  readUntil(seconds);
  const used = process.cpuUsage(cpu);
  const { profile } = await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  const looks = countLooks() - looksBefore;
  const totals = new Map<string, number>();
  bySelf(profile.head, totals);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${label}: ${watched} classifiers, ${seconds} s at 1 Hz${from ? ` (profiled from ${from} s)` : ''}, ${looks} looks; ${(all / MB).toFixed(1)} MB allocated (${(all / looks / 1024).toFixed(1)} KB a look), ${((used.user + used.system) / looks).toFixed(0)} µs CPU a look (profiler on)`);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [name, size] of rows) console.log(`  ${(size / looks / 1024).toFixed(2).padStart(8)} KB  ${((100 * size) / all).toFixed(1).padStart(5)}%  ${name}`);
}

async function main(): Promise<void> {
  await profileLooks('steady', steady, SECONDS, WATCHED, FROM);
  await profileLooks('sawtooth', sawtooth(mulberry32(3)), 3600, 4);
  await profileLooks('leak', leak(mulberry32(5)), 3600, 4);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
