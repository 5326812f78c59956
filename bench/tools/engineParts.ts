// Profiling aid (issue 16): where the sampling engine's own CPU goes in the sampling bench's
// setting (100 `sleep`s at 1 Hz, real timers), by subtraction. Each variant watches the same
// sleepers in a process of its own, all at once over the same wall-clock windows (as
// bench/sampling.ts runs its contenders): idle; a bare loop of ProcfsSampler.sampleSync on one
// shared 1-s timer (no monitor); the monitor with the costly cadences off (no children walk, no
// fd count, no smaps_rollup); with the children walk and fd count (5 s); with smaps_rollup too
// (30 s: the engine's defaults). Each window's CPU is split into the main thread and the others
// (libuv's thread pool, V8's GC and compiler threads) from /proc/self/task.
// --replicates runs each variant in N processes: identical code in two processes can differ.
//   node scripts/build.mjs --tests && node --expose-gc out/bench/tools/engineParts.js [--settle S] [--windows N] [--window S] [--only 1,5] [--replicates N]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { MonitorOptions } from '../../src/core/monitor';
import { median } from '../../src/core/classifier/robust';
import { runTool, startSleepers } from '../lib/sleepers';
import { numberOption, option, watchBare, watchWithMonitors } from './harness';

const WATCHED = 100;
const SETTLE_SECONDS = numberOption('--settle', 60);
const WINDOWS = numberOption('--windows', 8);
const WINDOW_SECONDS = numberOption('--window', 15);
const HOUR = 3_600_000;

interface Variant {
  name: string;
  watch?: (pids: readonly number[]) => Promise<() => void>;
}

const monitors = (options: MonitorOptions) => (pids: readonly number[]): Promise<() => void> => watchWithMonitors(pids, options);

const VARIANTS: Variant[] = [
  { name: 'idle' },
  { name: 'bare sampleSync loop', watch: async (pids) => watchBare(pids) },
  { name: 'monitor, no children/fds/detail', watch: monitors({ detailIntervalMs: 0, childrenIntervalMs: HOUR }) },
  { name: 'monitor + children/fds 5 s', watch: monitors({ detailIntervalMs: 0 }) },
  { name: 'monitor + smaps 30 s, no children', watch: monitors({ childrenIntervalMs: HOUR }) },
  { name: 'monitor defaults (engine)', watch: monitors({}) },
];

/** CPU seconds of this process's main thread and of its other threads (those alive now), from /proc/self/task. */
function threadCpu(): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    // schedstat's first field: the thread's run time in ns (stat's utime/stime tick at 10 ms).
    const seconds = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]) / 1e9;
    if (Number(tid) === process.pid) main += seconds;
    else others += seconds;
  }
  return { main, others };
}

interface Window {
  total: number;
  main: number;
  others: number;
}

async function window(seconds: number): Promise<Window> {
  const cpu = process.cpuUsage();
  const threads = threadCpu();
  const wall = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const after = threadCpu();
  const wallS = (performance.now() - wall) / 1000;
  return { total: (used.user + used.system) / 1e6 / wallS, main: (after.main - threads.main) / wallS, others: (after.others - threads.others) / wallS };
}

async function variantMain(index: number, pids: number[], atMs: number): Promise<void> {
  const stop = (await VARIANTS[index].watch?.(pids)) ?? (() => undefined);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - Date.now())));
  const windows: Window[] = [];
  for (let i = 0; i < WINDOWS; i++) windows.push(await window(WINDOW_SECONDS));
  stop();
  console.log(JSON.stringify(windows));
}

function runVariant(index: number, pids: number[], atMs: number): Promise<Window[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', process.argv[1], '--variant', String(index), '--pids', pids.join(','), '--at', String(atMs), '--windows', String(WINDOWS), '--window', String(WINDOW_SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '[]') as Window[]) : reject(new Error(`variant ${index}: ${code} ${out}`))));
  });
}

/** µs of CPU a sample (100 samples a second): share of a core × 10⁶ / 100. */
const perSample = (share: number): string => ((share * 1e6) / WATCHED).toFixed(1).padStart(7);

async function main(): Promise<void> {
  const only = option('--only', '');
  const replicates = numberOption('--replicates', 1);
  const picked = VARIANTS.map((_, i) => i).filter((i) => i > 0 && (only === '' || only.split(',').includes(String(i))));
  // Each variant in `replicates` processes: identical code in two processes can differ (V8's
  // optimizations are made per process), which windows alone do not show.
  const chosen = [0, ...picked.flatMap((i) => Array.from({ length: replicates }, () => i))];
  const { pids, stop } = await startSleepers(WATCHED);
  const atMs = Date.now() + SETTLE_SECONDS * 1000;
  const results = await Promise.all(chosen.map((i) => runVariant(i, pids, atMs)));
  await stop();
  const idle = results[0];
  console.log(`${WATCHED} sleepers at 1 Hz, ${WINDOWS} windows of ${WINDOW_SECONDS} s after ${SETTLE_SECONDS} s; µs of CPU a sample less the idle process's same window (median; min–max), total = main thread + other threads:`);
  chosen.forEach((variant, k) => {
    const net = (pick: (w: Window) => number): number[] => results[k].map((w, i) => pick(w) - pick(idle[i]));
    const total = net((w) => w.total);
    const row = (values: number[]): string => `${perSample(median(values))} (${perSample(Math.min(...values)).trim()}–${perSample(Math.max(...values)).trim()})`;
    const raw = variant === 0 ? `  raw ${perSample(median(results[k].map((w) => w.total)))}, main ${perSample(median(results[k].map((w) => w.main)))}, others ${perSample(median(results[k].map((w) => w.others)))}` : '';
    console.log(`  ${VARIANTS[variant].name.padEnd(36)} total ${row(total)}  main ${row(net((w) => w.main))}  others ${row(net((w) => w.others))}${raw}`);
  });
}

const variantAt = process.argv.indexOf('--variant');
if (variantAt > 0) {
  const argument = (name: string): string => process.argv[process.argv.indexOf(name) + 1] ?? '';
  variantMain(Number(process.argv[variantAt + 1]), argument('--pids').split(',').map(Number), Number(argument('--at'))).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  runTool(main);
}
