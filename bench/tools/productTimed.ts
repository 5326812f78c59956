// Profiling aid (issue 16): what the whole product does per process-sample beyond the sampling
// engine, timed part by part inside the sampling bench's setting (100 sleepers, WatchSessions with
// the bench's options, real /proc, real timers), each part wrapped with performance.now(): the
// whole tick, the engine's read and history push, the session's sample listener (classifier push,
// verdict, fan-out), the classifier's looks (counted), the limit watcher's sample listener and its
// lookups, the decomposition's readings, and the young-generation collections (gc entries).
// Nested rows are inside the row above them. Prints µs a process-sample every `--report` seconds
// after `--settle` seconds; `--engine` watches with bare ProcessMonitors instead (the same rows
// that exist there).
//   node --expose-gc out/bench/tools/productTimed.js [--settle N] [--seconds N] [--report N] [--engine]
// A wrapper costs ~0.1 µs a call, so rows with calls every sample read ~0.1–0.2 µs high.
// Measured 2026-12-06 (perf30, main 7410979, settle 120 s, three 30-s windows, a loaded 2-core VM;
// the whole process 41-94 µs of CPU a process-sample, so read the rows against each other): the
// engine's read 21-27 µs and history push 4-19 µs a sample; the product's extra by part, µs a
// process-sample: classifier looks 4.7-11.7 (200 looks in 3000 process-samples: 4 a process a
// minute at a steady process, QUIET_LOOK_INTERVAL_MS; 70-175 µs a look), young collections
// 2.9-5.6 (7-8 scavenges of 1-2 ms in 30 s; countProductWork: the product allocates ~1.8 KB a
// sample against the engine's ~1 KB, ~10 KB a look), the classifier's push and verdict without
// the look 1.5-3.5, the limit watcher's check and slope 1.4-4.6 (mostly the wrappers: its own code
// is ~0.1-0.2, lookLimits) and its lookups (one a process every 30 s, all on one tick) ~1,
// the decomposition 0.75-4.5 (a carried-forward reading every 5 s, a real read a minute; its
// session listener 0.1-0.3), verdict events 0.05-0.1 (a fire a look: the explanation moves).
// No timer of the product's own: the decomposition rides the shared 5-s tick, the lookups the
// samples. The looks and what they allocate are ~70% of the extra.
// The sampling bench cannot see a change this small: two runs (settle 240, baseline 7410979) put
// this build's engine at 1.43x and 3.17x its identical baseline engine (the second at load 1.74).
// Measured 2026-12-06 (look31: the looks read bucket columns, fill kept objects; settle 120 s,
// three 30-s windows, main's build then this one, a loaded 2-core VM): classifier look 138-157 ->
// 99-171 µs a call (9.2-10.5 -> 6.6-11.4 µs a process-sample), young collections 3.3-5.3 ->
// 3.4-4.0 µs a process-sample; the sampling bench (settle 240, baseline main) read this build's
// product at 1.06x main's (0.97-1.15x) and its engine, identical code, at 1.33x main's.
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { ProcessMonitor } from '../../src/core/monitor';
import { WatchSession } from '../../src/core/session';
import { SampleHistory } from '../../src/core/history/sampleHistory';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';
import { GrowthClassifier } from '../../src/core/classifier';
import { LimitWatcher, MonitorLimitWatcher } from '../../src/core/limits';
import { DecompositionSampler } from '../../src/core/memory/decompositionSampler';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { productSessionOptions, runTool, settledWatchers, startSleepers } from '../lib/sleepers';
import { numberOption } from './harness';

const spent = new Map<string, { ms: number; calls: number }>();
let measuring = false;

function note(row: string, ms: number): void {
  if (!measuring) return;
  const entry = spent.get(row) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls++;
  spent.set(row, entry);
}

/** Wraps a method (private ones included: they are on the prototype at run time) with a timer. */
function timed(prototype: object, name: string, row: string): void {
  const methods = prototype as Record<string, (...args: unknown[]) => unknown>;
  const original = methods[name];
  if (typeof original !== 'function') throw new Error(`no method ${name} to time`);
  methods[name] = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      note(row, performance.now() - start);
    }
  };
}

const ENGINE = process.argv.includes('--engine');

function wrapParts(): void {
  timed(ProcessMonitor.prototype, 'onTick', 'tick (all of it, listeners included)');
  timed(ProcfsSampler.prototype, 'sampleSync', '  engine: sampler.sampleSync');
  timed(SampleHistory.prototype, 'push', '  engine: history.push');
  if (ENGINE) return;
  timed(WatchSession.prototype, 'onSample', '  session onSample (classifier push + verdict + events)');
  timed(GrowthClassifier.prototype, 'push', '    classifier.push');
  timed(GrowthClassifier.prototype, 'look', '      classifier look');
  timed(GrowthClassifier.prototype, 'verdict', '    classifier.verdict');
  timed(WatchSession.prototype, 'fireVerdict', '    session fireVerdict');
  timed(LimitWatcher.prototype, 'check', '  limits check');
  timed(MonitorLimitWatcher.prototype, 'refreshLimit', '  limits refreshLimit (lookup every 30 s)');
  timed(MonitorLimitWatcher.prototype, 'currentSlope', '  limits currentSlope');
  timed(DecompositionSampler.prototype, 'read', 'decomposition read (5-s tick)');
  timed(WatchSession.prototype, 'onDecompositionReading', '  session onDecompositionReading');
}

function observeGc(): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) note('gc (all kinds, pause)', entry.duration);
  }).observe({ entryTypes: ['gc'] });
}

async function main(): Promise<void> {
  wrapParts();
  observeGc();
  const { pids, stop } = await startSleepers(100);
  const options = productSessionOptions();
  const watch = (pid: number): ProcessMonitor | WatchSession => (ENGINE ? new ProcessMonitor(readLinuxProcessInfo(pid), { intervalMs: 1000 }) : new WatchSession(readLinuxProcessInfo(pid), options));
  const watchers = await settledWatchers(pids, watch, numberOption('--settle', 120));
  const reportSeconds = numberOption('--report', 30);
  const rounds = Math.max(1, Math.round(numberOption('--seconds', 60) / reportSeconds));
  for (let r = 0; r < rounds; r++) {
    spent.clear();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, reportSeconds * 1000));
    measuring = false;
    const used = process.cpuUsage(cpu);
    const processSamples = spent.get('  engine: history.push')?.calls ?? 1;
    console.log(`${Math.round(process.uptime())} s, ${processSamples} process-samples in ${((performance.now() - wall) / 1000).toFixed(0)} s: CPU ${((used.user + used.system) / processSamples).toFixed(2)} µs a process-sample (process.cpuUsage, all threads)`);
    for (const [row, { ms, calls }] of spent) console.log(`  ${row.padEnd(62)} ${((ms * 1000) / processSamples).toFixed(2).padStart(7)} µs a sample  (${calls} calls, ${((ms * 1000) / calls).toFixed(1)} µs a call)`);
  }
  for (const w of watchers) w.dispose();
  await stop();
}

runTool(main);
