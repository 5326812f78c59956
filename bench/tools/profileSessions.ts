// Profiling aid (issue 16): `count` WatchSessions fed by a simulated clock and reader, against
// the same number of bare ProcessMonitors, over the same simulated minutes. Prints µs of this
// process's CPU per simulated sample for each and their ratio; run under `node --cpu-prof` to see
// where the difference goes. Targets: `sleep`-like (constant RSS, as the sampling bench watches)
// or a GC sawtooth with noise (`--sawtooth`).
//   node scripts/build.mjs --tests && node --cpu-prof out/bench/tools/profileSessions.js [--sawtooth] [--seconds N]
import { Disposable } from '../../src/core/events';
import { MemorySample, ProcessInfo } from '../../src/core/model';
import { MonitorEnvironment, ProcessMonitor } from '../../src/core/monitor';
import { ProcessSampler } from '../../src/core/sampling';
import { TickListener } from '../../src/core/sampling/ticker';
import { WatchSession, WatchSessionOptions } from '../../src/core/session';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { mulberry32 } from '../../src/core/random';

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

class Ticker {
  readonly listeners = new Set<TickListener>();
  onTick = (_intervalMs: number, listener: TickListener): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

class SimulatedTarget implements ProcessSampler {
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
  dispose(): void {}
}

async function drive(make: (target: ProcessInfo, environment: MonitorEnvironment) => { start(): Promise<void>; dispose(): void }): Promise<number> {
  const clock = new Clock(Date.now());
  const ticker = new Ticker();
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

async function main(): Promise<void> {
  const sessionOptions = (environment: MonitorEnvironment): WatchSessionOptions => ({ intervalMs: 1000, detailIntervalMs: 30_000, maxSamples: 86_400, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: undefined, warnAtFraction: 0.8, environment });
  // Once each to warm V8 up, then measured.
  for (let round = 0; round < 2; round++) {
    const monitor = await drive((target, environment) => new ProcessMonitor(target, { intervalMs: 1000, environment }));
    const session = await drive((target, environment) => new WatchSession(target, sessionOptions(environment)));
    if (round === 1) console.log(`${COUNT} processes, minutes 1 to ${1 + SECONDS / 60} simulated (${SAWTOOTH ? 'sawtooth' : 'constant RSS'}): monitor ${monitor.toFixed(2)} µs CPU a sample, session ${session.toFixed(2)} µs, ratio ${(session / monitor).toFixed(2)}×`);
  }
}

void main();
