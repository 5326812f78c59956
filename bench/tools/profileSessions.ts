// Profiling aid (issue 16): `count` WatchSessions fed by a simulated clock and reader, against
// the same number of bare ProcessMonitors, over the same simulated minutes. Prints µs of this
// process's CPU per simulated sample for each and their ratio; run under `node --cpu-prof` to see
// where the difference goes. Targets: `sleep`-like (constant RSS, as the sampling bench watches)
// or a GC sawtooth with noise (`--sawtooth`).
//   node scripts/build.mjs --tests && node --cpu-prof out/bench/tools/profileSessions.js [--sawtooth] [--seconds N]
import { GrowthClassifier } from '../../src/core/classifier';
import { processStartMs } from '../../src/core/discovery/rerun';
import { Disposable } from '../../src/core/events';
import { MonitorLimitWatcher } from '../../src/core/limits';
import { MemorySample, ProcessInfo } from '../../src/core/model';
import { MonitorEnvironment, ProcessMonitor } from '../../src/core/monitor';
import { ProcessSampler } from '../../src/core/sampling';
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS, WatchSession, WatchSessionOptions } from '../../src/core/session';
import { MachineLimitFacts } from '../../src/core/memory/machineLimitFacts';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { mulberry32 } from '../../src/core/random';
import { ManualTicker } from '../../test/helpers/manualTicker';

const MB = 1024 * 1024;
const COUNT = 100;
const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 120;
const SAWTOOTH = process.argv.includes('--sawtooth');
const SETTLE_SECONDS = 60;

class Clock {
  constructor(public nowMs: number, public monotonicMs = 0) {}
  advance(ms: number): void {
    this.nowMs += ms;
    this.monotonicMs += ms;
  }
}

class SimulatedTarget implements ProcessSampler {
  closed = false;
  private readonly random: () => number;
  constructor(readonly pid: number, private readonly clock: Clock, private readonly startMs: number, seed: number) {
    this.random = mulberry32(seed);
  }
  sampleSync(): MemorySample {
    const since = this.clock.nowMs - this.startMs;
    const rssBytes = SAWTOOTH ? Math.round(400 * MB + ((since % 20_000) / 20_000) * 30 * MB + (this.random() - 0.5) * 4 * MB) : 1_900_544;
    return { tMs: this.clock.nowMs, rssBytes, deltaBytes: 0, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 };
  }
  sample(): Promise<MemorySample> {
    return Promise.resolve(this.sampleSync());
  }
  async readDetail(): Promise<undefined> {
    return undefined;
  }
  dispose(): void {
    this.closed = true;
  }
}

async function drive(make: (target: ProcessInfo, environment: MonitorEnvironment) => { start(): Promise<void>; dispose(): void }): Promise<number> {
  const clock = new Clock(Date.now());
  const ticker = new ManualTicker();
  let seed = 1;
  const environment: MonitorEnvironment = {
    now: () => clock.nowMs,
    monotonicMs: () => clock.monotonicMs,
    onTick: ticker.onTick,
    openSampler: (target) => new SimulatedTarget(target.pid, clock, clock.nowMs, seed++),
  };
  const self = readLinuxProcessInfo(process.pid);
  const watchers = Array.from({ length: COUNT }, () => make(self, environment));
  await Promise.all(watchers.map((w) => w.start()));
  const tick = async (): Promise<void> => {
    clock.advance(1000);
    ticker.fire();
    await new Promise((resolve) => setImmediate(resolve));
  };
  // As the sampling bench: the first minute unmeasured, then minutes 1 to 1 + SECONDS / 60.
  for (let s = 0; s < SETTLE_SECONDS; s++) await tick();
  const cpu = process.cpuUsage();
  for (let s = 0; s < SECONDS; s++) await tick();
  const used = process.cpuUsage(cpu);
  for (const w of watchers) w.dispose();
  return (used.user + used.system) / (SECONDS * COUNT);
}

/** A monitor with one part of the session on its samples: what that part costs on its own. */
function monitorWith(target: ProcessInfo, environment: MonitorEnvironment, part: (monitor: ProcessMonitor) => Disposable): { start(): Promise<void>; dispose(): void } {
  const monitor = new ProcessMonitor(target, { intervalMs: 1000, environment });
  const attached = part(monitor);
  return { start: () => monitor.start(), dispose: () => (attached.dispose(), monitor.dispose()) };
}

function classifierOn(monitor: ProcessMonitor, target: ProcessInfo): Disposable {
  const classifier = new GrowthClassifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: processStartMs(target.startTicks) + WARM_UP_MS });
  return monitor.onSample((sample) => {
    classifier.push(sample.tMs, sample.rssBytes);
    classifier.verdict();
  });
}

async function main(): Promise<void> {
  const machineLimitFacts = new MachineLimitFacts();
  const sessionOptions = (environment: MonitorEnvironment): WatchSessionOptions => ({ intervalMs: 1000, detailIntervalMs: 30_000, maxSamples: 86_400, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: undefined, warnAtFraction: 0.8, environment, machineLimitFacts });
  const parts: [string, (target: ProcessInfo, environment: MonitorEnvironment) => { start(): Promise<void>; dispose(): void }][] = [
    ['monitor alone', (target, environment) => new ProcessMonitor(target, { intervalMs: 1000, environment })],
    ['monitor + classifier', (target, environment) => monitorWith(target, environment, (m) => classifierOn(m, target))],
    ['monitor + limit watcher', (target, environment) => monitorWith(target, environment, (m) => new MonitorLimitWatcher(m, { memoryBytes: 12 * 1024 ** 3, warnFraction: 0.8 }, { slopeSource: () => 0, machine: machineLimitFacts }))],
    ['WatchSession (all)', (target, environment) => new WatchSession(target, sessionOptions(environment))],
  ];
  // Twice each, to warm V8 up; the second round is printed.
  for (let round = 0; round < 2; round++) {
    const costs: number[] = [];
    for (const [, make] of parts) costs.push(await drive(make));
    if (round === 0) continue;
    console.log(`${COUNT} processes, minutes 1 to ${1 + SECONDS / 60} simulated (${SAWTOOTH ? 'sawtooth' : 'constant RSS'}), µs of CPU a sample (no /proc reads: the monitor's own is near zero):`);
    parts.forEach(([name], i) => console.log(`  ${name.padEnd(24)} ${costs[i].toFixed(2).padStart(7)}  (+${(costs[i] - costs[0]).toFixed(2)} over the monitor)`));
  }
}

void main();
