// What one lookup of the applicable limit costs, and which part (issue 16: the limit watcher's
// share of the product). Each watched process looks its limit up every 30 s; 100 watched
// processes make 3.3 lookups a second. Times, in wall µs a lookup over 100 sleeping children
// (real /proc and /sys, in this process's cgroups), findLimitSafely with what a watch session
// holds (its /proc/PID/status from the decomposition, its kept limit facts), without the status
// reading (a watcher on a bare monitor), with nothing kept, and the status read alone. Then the
// per-sample check of 100 watchers (LimitWatcher.check, 12 GB limit, RSS far below it), in wall
// µs a sample, with this process's caches evicted before each tick (a 64 MB sweep) as the
// engine's /proc reads and the second between two ticks do in the product, and without.
// Measured 2026-12-06 (this 2-core VM, shared with other work; 4 runs): as a session 5.3-13.8 µs
// a lookup (0.18-0.46 µs a sample at one lookup in 30), facts kept with the status read 21.8-28.5,
// nothing kept 48-73, the status read alone 15-21: the shared facts (meminfo, the cgroup chain)
// are already read once for all watchers (one MachineLimitFacts shared by the sessions; until limit22, module caches).
// A session's lookup alone on its tick, caches swept before it: 39-52 µs (3 runs), 1.3-1.7 µs a
// sample at one in 30: what watchers whose 30-s refreshes fell on ticks of their own paid, before
// they refreshed on the clock's 30-s periods together (limits.ts, refreshPeriod).
// The sampling bench cannot show it: its 100 sessions start together, so their lookups already
// shared a tick (one same-run A/B against main: product 0.89x main's, engine 0.82x with the same
// engine code: the run's noise).
// LimitWatcher.check: 0.05-0.23 µs a sample warm or with the caches evicted before each tick
// (7 runs, 4 of main's watcher and 3 of one with its settings as plain fields, which was no faster
// and was dropped): the per-sample check is not where the watcher's cost is.
// limit22 (2026-12-06): the machine's facts in one MachineLimitFacts handed to every session, not
// module caches. A paired A/B in one process (main's lookup and this one alternating, 8 pairs, 100
// sleepers): as a session 5.96 µs a lookup median against main's 7.16, ratio 0.88 (0.59-1.21);
// this tool's separate runs gave 8.9-16.9 against main's 7.3-14.3 (3 runs each, the run's noise).
//   node scripts/build.mjs --tests && node out/bench/tools/lookLimits.js [--rounds 50]
import { findLimitSafely, ProcessLimitFacts } from '../../src/core/memory/applicableLimit';
import { MachineLimitFacts } from '../../src/core/memory/machineLimitFacts';
import { readProcMemory } from '../../src/core/memory/procMemory';
import { LimitWatcher } from '../../src/core/limits';
import { MemorySample } from '../../src/core/model';
import { option, spawnSleepers, sweepCache, sweptSum } from './harness';

const ROUNDS = Number(option('--rounds', '50'));
const USER_LIMIT_BYTES = 12 * 1024 ** 3;

/** Median over 5 repeats of the wall µs a call of `call(i)` for every watched process, ROUNDS times. */
function timePerCall(count: number, call: (i: number) => unknown): number {
  const repeats: number[] = [];
  for (let repeat = 0; repeat < 5; repeat++) {
    const start = performance.now();
    for (let round = 0; round < ROUNDS; round++) for (let i = 0; i < count; i++) call(i);
    repeats.push(((performance.now() - start) * 1000) / (ROUNDS * count));
  }
  return repeats.sort((a, b) => a - b)[2];
}

const CHECK_TICKS = Number(option('--ticks', '1000'));
const EVICTION = new Float64Array((64 * 1024 * 1024) / 8);

/** Wall µs a sample of 100 watchers' checks, CHECK_TICKS ticks, the caches swept before each tick when `evict`. */
function timeChecks(evict: boolean): number {
  const watchers = Array.from({ length: 100 }, () => new LimitWatcher({ memoryBytes: USER_LIMIT_BYTES, warnFraction: 0.8 }));
  const samples: MemorySample[] = watchers.map((_, i) => ({ tMs: 0, rssBytes: 50 * 1024 ** 2 + i * 4096, deltaBytes: 0, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 }));
  const slope = 1024; // growing: the projection is worked out at every check
  let ms = 0;
  for (let tick = 0; tick < CHECK_TICKS; tick++) {
    if (evict) sweepCache(EVICTION);
    const start = performance.now();
    for (let i = 0; i < watchers.length; i++) {
      samples[i].tMs = tick * 1000;
      watchers[i].check(samples[i], slope, tick * 1000);
    }
    ms += performance.now() - start;
  }
  return (ms * 1000) / (CHECK_TICKS * watchers.length);
}

/** Wall µs of one session-style lookup at a time, the caches swept before each (median of 500, every process in turn). */
function timeColdLookups(pids: number[], facts: ProcessLimitFacts[], memory: ReturnType<typeof readProcMemory>[], machine: MachineLimitFacts): number {
  const times: number[] = [];
  for (let n = 0; n < 500; n++) {
    const i = n % pids.length;
    sweepCache(EVICTION);
    const start = performance.now();
    findLimitSafely(pids[i], USER_LIMIT_BYTES, { facts: facts[i], memory: memory[i], machine });
    times.push((performance.now() - start) * 1000);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

async function main(): Promise<void> {
  const { targets, stop } = await spawnSleepers(100);
  try {
    const pids = targets.map((t) => t.pid);
    const facts = pids.map((pid) => new ProcessLimitFacts(pid));
    const memory = pids.map((pid) => readProcMemory(pid));
    // One for all the processes, as MonitorManager and `leakscope watch` give one to all their sessions.
    const machine = new MachineLimitFacts();
    const found = findLimitSafely(pids[0], USER_LIMIT_BYTES, { facts: facts[0], memory: memory[0], machine });
    console.log(`nearest limit of a sleeper here: ${found?.source} ${found?.description}`);
    const arms: [string, (i: number) => unknown][] = [
      ['as a session: status and facts kept', (i) => findLimitSafely(pids[i], USER_LIMIT_BYTES, { facts: facts[i], memory: memory[i], machine })],
      ['facts kept, status read', (i) => findLimitSafely(pids[i], USER_LIMIT_BYTES, { facts: facts[i], machine })],
      ['nothing kept but the machine facts', (i) => findLimitSafely(pids[i], USER_LIMIT_BYTES, { machine })],
      ['nothing kept (a lone lookup: explain)', (i) => findLimitSafely(pids[i], USER_LIMIT_BYTES)],
      ['/proc/PID/status read alone', (i) => readProcMemory(pids[i])],
    ];
    for (const [name, call] of arms) console.log(`  ${timePerCall(pids.length, call).toFixed(2).padStart(7)} µs a lookup  ${name}`);
    console.log(`  ${timeColdLookups(pids, facts, memory, machine).toFixed(2).padStart(7)} µs a lookup  as a session, alone, caches evicted before it (a watcher whose refresh falls on its own tick)`);
    for (const evict of [false, true]) console.log(`  ${timeChecks(evict).toFixed(3).padStart(7)} µs a sample  LimitWatcher.check, caches ${evict ? 'evicted before each tick' : 'warm'}`);
    if (sweptSum() < 0) console.log(sweptSum()); // keeps the sweeps from being optimized away
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
