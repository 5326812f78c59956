// Soak: one watch session fed 24 hours of 1-Hz samples in simulated time. The clock, the timer
// and the /proc reader are simulated (MonitorEnvironment); everything else is the product's own:
// WatchSession, ProcessMonitor, the bounded history, the growth classifier and the limit watcher
// (which reads this process's real cgroup and rlimits). Every simulated 5 minutes this process's
// own heap (after a full GC) and RSS are measured; at the end Leakscope's classifier judges those
// two series as it would a watched program's. Run twice: with the default history (86,400 samples
// at full resolution: the ring fills just as the day ends) and with a 1-hour ring, so that for
// 23 hours every sample pushes one out into the downsampled tier.
// Targets: no sample missed; the history within its bound; no leak in this process's heap or
// RSS by its own classifier; no leak verdict on the healthy simulated service; its duration
// limit warned and reached at the simulated times; timers, ticks and listeners back to baseline.
import { performance } from 'node:perf_hooks';
import { classifySeries } from '../src/core/classifier';
import { Disposable } from '../src/core/events';
import { GrowthVerdict, isLeakClass, MemorySample, MonitorEvent } from '../src/core/model';
import { MonitorEnvironment } from '../src/core/monitor';
import { ProcessSampler } from '../src/core/sampling';
import { activeTickGroups, TickListener } from '../src/core/sampling/ticker';
import { WatchSession, WatchSessionOptions } from '../src/core/session';
import { readLinuxProcessInfo } from '../src/core/discovery/processes';
import { mulberry32 } from '../src/core/random';
import { formatBytes } from '../src/core/units';

const HOUR_MS = 3_600_000;
const SOAK_MS = 24 * HOUR_MS;
const INTERVAL_MS = 1000;
const MEASURE_EVERY_MS = 5 * 60_000;
const MB = 1024 * 1024;
let missed = false;

function target(ok: boolean, text: string): void {
  console.log(`${ok ? 'ok    ' : 'MISSED'} ${text}`);
  if (!ok) missed = true;
}

/** The one clock a simulated day runs on: epoch ms for the samples, monotonic ms for the ticks. */
class SimulatedClock {
  constructor(public nowMs: number, public monotonicMs = 0) {}

  advance(ms: number): void {
    this.nowMs += ms;
    this.monotonicMs += ms;
  }
}

/** The shared sampling timer, fired by the driver instead of libuv. */
class SimulatedTicker {
  readonly listeners = new Set<TickListener>();

  onTick = (_intervalMs: number, listener: TickListener): Disposable => {
    const own = (): void => listener();
    this.listeners.add(own);
    return { dispose: () => this.listeners.delete(own) };
  };

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * A healthy long-running service as /proc would show it: 420 MB with a 20-s, 30-MB GC
 * sawtooth, ±2 MB of noise, and a 150-MB spike for 20 s every 3 hours. USS/PSS come through a
 * promise, as smaps_rollup reads do. (With a 90-s or 7-min sawtooth instead, the session raises a
 * leak alarm in the first two minutes: until the first drop, 45 s of unbroken rise past the
 * warm-up is all there is to see. That is the classifier's start, not what this soak is about.)
 */
class SimulatedService implements ProcessSampler {
  closed = false;
  /** The detail read in flight: the driver lets it settle before the next tick. */
  inFlight: Promise<MemorySample> | undefined;
  private readonly random = mulberry32(15);
  private previousRss = 0;

  constructor(readonly pid: number, private readonly clock: SimulatedClock, private readonly startMs: number) {}

  sampleSync(): MemorySample {
    const t = this.clock.nowMs;
    const sinceStart = t - this.startMs;
    const sawtooth = ((sinceStart % 20_000) / 20_000) * 30 * MB;
    const spike = sinceStart % (3 * HOUR_MS) < 20_000 && sinceStart > HOUR_MS ? 150 * MB : 0;
    const rssBytes = Math.round(420 * MB + sawtooth + spike + (this.random() - 0.5) * 4 * MB);
    const sample: MemorySample = { tMs: t, rssBytes, deltaBytes: this.previousRss ? rssBytes - this.previousRss : 0, threads: 12, fds: 40, childrenRssBytes: 0, childCount: 0, cpuPercent: 3 + this.random() * 4 };
    this.previousRss = rssBytes;
    return sample;
  }

  sample(request: { detail?: boolean } = {}): Promise<MemorySample> {
    const sample = this.sampleSync();
    if (request.detail) Object.assign(sample, { ussBytes: sample.rssBytes - 60 * MB, pssBytes: sample.rssBytes - 40 * MB });
    this.inFlight = Promise.resolve(sample);
    return this.inFlight;
  }

  async readDetail(): Promise<undefined> {
    return undefined;
  }

  dispose(): void {
    this.closed = true;
  }
}

interface Measured {
  tMs: number[];
  heapBytes: number[];
  rssBytes: number[];
}

/** A full GC first, so the heap figure is what is retained, not what awaits collection. */
function measure(into: Measured, tMs: number): number {
  const start = performance.now();
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  into.tMs.push(tMs);
  into.heapBytes.push(usage.heapUsed);
  into.rssBytes.push(usage.rss);
  return performance.now() - start;
}

function resources(): string {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort().map(([r, n]) => `${r}×${n}`).join(' ');
}

function hours(ms: number): string {
  return `${(ms / HOUR_MS).toFixed(2)} h`;
}

function verdictLine(v: GrowthVerdict): string {
  return `${v.class} (confidence ${v.confidence.toFixed(2)}, ${formatBytes(v.slopeBytesPerS * 3600)}/h ± ${formatBytes(v.slopeUncertaintyBytesPerS * 3600)}/h)`;
}

/** What a simulated day left behind, read before and after the session was disposed. */
interface Day {
  startMs: number;
  ticks: number;
  drivingMs: number;
  measuringMs: number;
  measured: Measured;
  pushed: number;
  fullRows: number;
  rows: number;
  retainedBytes: number;
  events: number;
  finalVerdict: GrowthVerdict;
  classChanges: string[];
  leakAlarms: string[];
  limitNotices: MonitorEvent[];
  resourcesBefore: string;
  resourcesAfter: string;
  tickListenersLeft: number;
  samplerClosed: boolean;
}

/** A session over a simulated clock, timer and service; the rest is the product's own. */
function simulatedSession(maxSamples: number, clock: SimulatedClock, ticker: SimulatedTicker): { session: WatchSession; sampler: () => SimulatedService | undefined } {
  let service: SimulatedService | undefined;
  const environment: MonitorEnvironment = {
    now: () => clock.nowMs,
    monotonicMs: () => clock.monotonicMs,
    onTick: ticker.onTick,
    openSampler: (target) => (service = new SimulatedService(target.pid, clock, clock.nowMs)),
  };
  const options: WatchSessionOptions = { intervalMs: INTERVAL_MS, detailIntervalMs: 30_000, maxSamples, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: 12 * HOUR_MS, warnAtFraction: 0.8, environment };
  // This process as the target: the limit watcher finds its real cgroup and rlimits.
  return { session: new WatchSession(readLinuxProcessInfo(process.pid), options), sampler: () => service };
}

/** Ticks a day through the session, measuring this process every 5 simulated minutes. */
async function driveDay(clock: SimulatedClock, ticker: SimulatedTicker, sampler: SimulatedService, measured: Measured): Promise<Pick<Day, 'ticks' | 'drivingMs' | 'measuringMs'>> {
  const startMs = clock.nowMs;
  const day = { ticks: 0, drivingMs: 0, measuringMs: 0 };
  while (clock.nowMs - startMs < SOAK_MS) {
    const stretchStart = performance.now();
    for (let i = 0; i < MEASURE_EVERY_MS / INTERVAL_MS; i++) {
      clock.advance(INTERVAL_MS);
      ticker.fire();
      day.ticks++;
      if (sampler.inFlight) {
        await sampler.inFlight; // the monitor's own reaction to it was queued first
        sampler.inFlight = undefined;
      }
    }
    day.drivingMs += performance.now() - stretchStart;
    day.measuringMs += measure(measured, clock.nowMs);
  }
  return day;
}

async function simulateDay(maxSamples: number): Promise<Day> {
  const clock = new SimulatedClock(Date.now());
  const ticker = new SimulatedTicker();
  const resourcesBefore = resources();
  const measured: Measured = { tMs: [], heapBytes: [], rssBytes: [] };
  measure(measured, clock.nowMs);
  const { session, sampler: openedSampler } = simulatedSession(maxSamples, clock, ticker);
  const startMs = clock.nowMs;
  const classChanges: string[] = [];
  const leakAlarms: string[] = [];
  const limitNotices: MonitorEvent[] = [];
  let shownClass = session.verdict.class;
  const listening = [
    session.onVerdict((v) => {
      if (v.class !== shownClass) classChanges.push(`${v.class} at ${hours(clock.nowMs - startMs)}`);
      shownClass = v.class;
    }),
    session.onLeakSuspected((v) => leakAlarms.push(`at ${hours(clock.nowMs - startMs)}: ${v.explanation}`)),
    session.monitor.onEvent((e) => { if (e.kind.startsWith('limit')) limitNotices.push(e); }),
  ];
  await session.start();
  const sampler = openedSampler();
  if (!sampler) throw new Error('the monitor opened no sampler');
  const driven = await driveDay(clock, ticker, sampler, measured);
  const history = session.monitor.history;
  const kept = { pushed: history.totalPushed, fullRows: history.fullResolutionLength, rows: history.length, retainedBytes: history.retainedBytes, events: session.monitor.events.length, finalVerdict: session.verdict };
  for (const d of listening) d.dispose();
  session.dispose();
  await new Promise((resolve) => setImmediate(resolve));
  return { startMs, ...driven, measured, ...kept, classChanges, leakAlarms, limitNotices, resourcesBefore, resourcesAfter: resources(), tickListenersLeft: ticker.listeners.size, samplerClosed: sampler.closed };
}

function report(label: string, maxSamples: number, day: Day): void {
  const { measured: m } = day;
  const n = m.tMs.length;
  const heapVerdict = classifySeries(m.tMs, m.heapBytes);
  const rssVerdict = classifySeries(m.tMs, m.rssBytes);
  const range = (values: number[]): string => `${formatBytes(values[1])} at 5 min → ${formatBytes(values[n - 1])} at 24 h (min ${formatBytes(Math.min(...values))}, max ${formatBytes(Math.max(...values))}; ${formatBytes(values[0])} before attaching)`;
  console.log(`\n${label}: ${(SOAK_MS / HOUR_MS).toFixed(0)} h at 1 Hz in simulated time, maxSamples ${maxSamples.toLocaleString('en-US')}, detail every 30 s, 12 GB and 12 h limits`);
  console.log(`  ${day.pushed.toLocaleString('en-US')} samples from ${(day.ticks + 1).toLocaleString('en-US')} ticks (start + one a second) in ${(day.drivingMs / 1000).toFixed(2)} s: ${((day.drivingMs * 1000) / day.ticks).toFixed(2)} µs a simulated sample (session, monitor, history, classifier, limits), plus ${(day.measuringMs / 1000).toFixed(2)} s of ${n} GCs and measurements`);
  console.log(`  history: ${day.fullRows.toLocaleString('en-US')} samples at full resolution (cap ${maxSamples.toLocaleString('en-US')}), ${day.rows.toLocaleString('en-US')} rows in all, ${formatBytes(day.retainedBytes)} in typed arrays; ${day.events} events`);
  console.log(`  this process's heap after GC, every 5 simulated min: ${range(m.heapBytes)}`);
  console.log(`  this process's RSS: ${range(m.rssBytes)}`);
  console.log(`  Leakscope's classifier on this process's heap: ${verdictLine(heapVerdict)}: ${heapVerdict.explanation}`);
  console.log(`  Leakscope's classifier on this process's RSS:  ${verdictLine(rssVerdict)}: ${rssVerdict.explanation}`);
  console.log(`  the simulated service's verdict at 24 h: ${verdictLine(day.finalVerdict)}; ${day.classChanges.length} changes of class: ${day.classChanges.slice(0, 12).join(', ')}${day.classChanges.length > 12 ? '…' : ''}`);
  for (const alarm of day.leakAlarms) console.log(`  LEAK ALARM ${alarm}`);
  console.log(`  limit notices: ${day.limitNotices.map((e) => `${e.kind} at ${hours(e.tMs - day.startMs)}`).join(', ') || 'none'}`);
  console.log(`  active resources before attaching: ${day.resourcesBefore || 'none'}; after detaching: ${day.resourcesAfter || 'none'}; simulated tick listeners left ${day.tickListenersLeft}, real tick groups ${activeTickGroups().size}, sampler closed ${day.samplerClosed}`);
  target(day.pushed === day.ticks + 1, `every tick gave a sample (${day.pushed} of ${day.ticks + 1})`);
  target(day.fullRows <= maxSamples && day.rows <= maxSamples + 2 * Math.max(256, Math.ceil(maxSamples / 20)), 'the history stays within its bound (the ring plus two samples per downsampled bucket)');
  target(!isLeakClass(heapVerdict.class) && heapVerdict.class !== 'unknown', 'this process\'s heap is no leak by its own classifier, and it says so decidedly');
  target(!isLeakClass(rssVerdict.class) && rssVerdict.class !== 'unknown', 'this process\'s RSS is no leak by its own classifier, and it says so decidedly');
  target(day.leakAlarms.length === 0 && !isLeakClass(day.finalVerdict.class), 'no leak alarm on the healthy service in 24 h');
  const warnedAt = day.limitNotices.find((e) => e.kind === 'limit-warning')?.tMs;
  const reachedAt = day.limitNotices.find((e) => e.kind === 'limit-reached')?.tMs;
  target(warnedAt === day.startMs + 0.8 * 12 * HOUR_MS && reachedAt === day.startMs + 12 * HOUR_MS, 'the 12-h limit warned at 9.6 h and was reached at 12 h of simulated time');
  target(day.resourcesAfter === day.resourcesBefore && day.tickListenersLeft === 0 && activeTickGroups().size === 0 && day.samplerClosed, 'timers, tick listeners and the sampler back to baseline after dispose');
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('soak bench: Linux only (the limit watcher reads /proc and the cgroup).');
    return;
  }
  report('Default history', 86_400, await simulateDay(86_400));
  report('1-hour history (23 h of downsampling)', 3_600, await simulateDay(3_600));
  if (missed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
