// Cost of one memory sample: Leakscope's /proc sampler against pidusage and spawning `ps`, all
// on the same target in the same run; then the CPU share of watching 100 processes at 1 Hz with
// real timers. Targets: ≥ 20× cheaper than pidusage per sample, < 0.3% of a core for 100 at 1 Hz.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pidusage from 'pidusage';
import { ProcfsSampler } from '../src/core/sampling/procfsSampler';
import { ProcessMonitor } from '../src/core/monitor';
import { readLinuxProcessInfo } from '../src/core/discovery/processes';
import { killAllStarted, startProcess, startPython } from '../test/helpers/processes';

const WATCHED = 100;
const WATCH_SECONDS = 12;
const WINDOWS = 3;
const SETTLE_SECONDS = 5;

/** Median over `rounds` of the mean cost of `batch` calls, in µs. */
async function medianMicros(rounds: number, batch: number, fn: () => unknown): Promise<number> {
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    perCall.push(((performance.now() - start) * 1000) / batch);
  }
  perCall.sort((a, b) => a - b);
  return perCall[perCall.length >> 1];
}

function row(name: string, micros: number, ours: number): void {
  const ratio = name.startsWith('leakscope') ? '' : `  (${(micros / ours).toFixed(0)}× ours)`;
  console.log(`${name.padEnd(58)} ${micros.toFixed(2).padStart(9)} µs${ratio}`);
}

async function costOfOneSample(): Promise<{ ours: number; pidusage: number }> {
  const target = await startPython(undefined, 'controlled.py');
  await target.command('threads 7'); // a training job has threads; the children walk reads each
  const sampler = ProcfsSampler.open(target.pid);
  const sync = await medianMicros(20, 2000, () => sampler.sampleSync());
  const ours = await medianMicros(20, 2000, () => sampler.sample());
  const withChildren = await medianMicros(20, 500, () => sampler.sample({ children: true }));
  const detail = await medianMicros(5, 20, () => sampler.sample({ detail: true }));
  sampler.dispose();
  await pidusage(target.pid); // its first call spawns getconf: not part of the steady state
  const viaPidusage = await medianMicros(10, 200, () => pidusage(target.pid));
  const viaPs = await medianMicros(3, 10, () => spawnSync('ps', ['-o', 'rss=', '-p', String(target.pid)]));
  console.log(`One sample of pid ${target.pid} (Python, 8 threads), median of batches:`);
  row('leakscope sampleSync(): RSS, CPU, threads, fds', sync, ours);
  row('leakscope sample() (what a monitor tick costs)', ours, ours);
  row('leakscope sample({ children }) (every 5 s by default)', withChildren, ours);
  row('leakscope sample({ detail }) smaps_rollup (every 30 s)', detail, ours);
  row('pidusage(pid) steady state (RSS, CPU only)', viaPidusage, ours);
  row('spawnSync ps -o rss= -p PID (RSS only)', viaPs, ours);
  const ratio = viaPidusage / ours;
  console.log(`→ leakscope is ${ratio.toFixed(0)}× cheaper than pidusage per sample (target ≥ 20×): ${ratio >= 20 ? 'PASS' : 'FAIL'}`);
  await target.kill();
  return { ours, pidusage: viaPidusage };
}

/**
 * Attaches `count` monitors with the default cadences and lets them settle (V8 compiles the hot
 * code and collects the garbage of 100 spawns in the first seconds). Then alternates windows with
 * the monitors running and paused: on a shared, busy machine the paused windows show the noise
 * floor of the same process at the same moment, and the medians are robust to a burst of load.
 */
async function cpuShareWatching(count: number, seconds: number): Promise<number> {
  const targets = await Promise.all(Array.from({ length: count }, () => startProcess(undefined, 'sleep', ['600'], { ready: null, stdio: 'ignore' })));
  const monitors = targets.map((t) => new ProcessMonitor(readLinuxProcessInfo(t.pid), { intervalMs: 1000 }));
  await Promise.all(monitors.map((m) => m.start()));
  let samples = 0;
  for (const m of monitors) m.onSample(() => samples++);
  const settling = await cpuOverWindow(SETTLE_SECONDS);
  const running: number[] = [];
  const paused: number[] = [];
  samples = 0;
  for (let i = 0; i < WINDOWS; i++) {
    running.push(await cpuOverWindow(seconds / WINDOWS));
    for (const m of monitors) m.pause();
    paused.push(await cpuOverWindow(seconds / WINDOWS));
    for (const m of monitors) m.resume();
  }
  for (const m of monitors) m.dispose();
  await Promise.all(targets.map((t) => t.kill()));
  const share = median(running);
  const floor = median(paused);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
  console.log(`\nWatching ${count} processes at 1 Hz with real timers (default cadences: children every 5 s, USS/PSS every 30 s); load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores:`);
  console.log(`  first ${SETTLE_SECONDS} s after attaching: ${settling.toFixed(3)}% of one core (JIT and GC settling in)`);
  console.log(`  running windows (${seconds / WINDOWS} s each): ${list(running)}%  (${samples} samples)`);
  console.log(`  paused windows, same process:   ${list(paused)}%`);
  console.log(`→ watching ${count} processes at 1 Hz costs ${share.toFixed(3)}% of a core (median; ${Math.max(0, share - floor).toFixed(3)}% above the paused floor) (target < 0.3%): ${share < 0.3 ? 'PASS' : 'FAIL'}`);
  return share;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

async function cpuOverWindow(seconds: number): Promise<number> {
  const start = process.cpuUsage();
  const wall = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(start);
  return ((cpu.user + cpu.system) / 1000 / (performance.now() - wall)) * 100;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('sampling bench: Linux only (the /proc sampler).');
    return;
  }
  try {
    await costOfOneSample();
    await cpuShareWatching(WATCHED, WATCH_SECONDS);
  } finally {
    await killAllStarted();
  }
}

main().then(
  () => process.exit(0), // pidusage keeps an fd and an unref'd timer per pid: do not wait for them
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
