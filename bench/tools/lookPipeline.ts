// Which piece of the product makes a look dear (issue 16)? A look at a steady process costs ~35 µs
// of CPU in lookSteady's back-to-back looks and ~115 µs in profileProduct's WatchSessions. Here the
// product is rebuilt one piece at a time, each step an "arm" of its own 100 watches of the same
// 100 real sleeping children, all arms in one process (same code, same machine load; the arm that
// goes first rotates each tick). The clock and the shared ticker are simulated (trace time
// fast-forwarded, stamps as steadyTrace.ts makes them); the /proc reads are real
// (ProcfsSampler.sampleSync, through a wrapper that only restamps the sample). Arms:
//   steady      lookSteady's work in this process: pushes of the same stamps and RSS, no /proc read
//   syscall     steady with one cheap system call (getrusage) before each push: a read's kernel
//               entry without its /proc work (this VM runs PTI without PCID: every entry flushes
//               the TLB); compare the wall time of the calls, which leaves the call out
//   kernel      the system calls alone: the baseline of `syscall`
//   reads       the /proc reads alone (sampleSync): the baseline of `bare`
//   engine      ProcessMonitor alone: reads, history appends, onSample with no listener (the
//               baseline whose CPU the others' is compared with)
//   bare        a read, then GrowthClassifier.push + verdict: lookInterleaved's inline order
//               (its CPU over the engine's is shown over `reads` instead)
//   monitor     ProcessMonitor with a bare classifier listening to onSample (push + verdict)
//   limits      monitor + the limit watcher as a session makes it (slope from the classifier's
//               verdict; /proc/PID/status handed to its lookups, as the session's decomposition
//               does, here one reading kept from the start); the wall time in the watcher's
//               per-sample listener and in its lookups is printed under the table
//   limitcheck  limits without the lookups: the watcher's finder hands back the limit found at the
//               start, so limitcheck over monitor is the per-sample check and slope alone
//   session0    WatchSession without the decomposition: + limit watcher, session events
//   session     WatchSession as the product runs it: + the decomposition (/proc/PID/status, 5 s)
//   listened    session with the extension's kind of listeners on its events (a panel-less host:
//               onSample, onVerdict, onEvent, onDecomposition each do a little work)
// For trace seconds FROM to SECONDS it prints, per arm: looks, CPU a tick (process.cpuUsage of the
// arm's blocks), that divided by the arm's looks, the same over its baseline's (`engine`; `reads`
// for `bare`, `kernel` for `syscall`; none for `steady`): what the classifier and the rest cost a look, and the wall time
// inside the classifier's push + verdict a look (a timing wrapper on each classifier instance, the
// same in every arm: the look's own cost, whatever else the arm does). The USS/PSS detail read
// (async, every 30 s) is off in every arm: it is the engine's, and keeps the ticks synchronous.
// Every arm of a run shares the classifier's code and this process's heap: compare arms within a
// run; a lone arm (`--arms steady`) shows what the company of the others costs.
//   --watched N     watches an arm (default 100): how the classifiers' state size moves a look
//   --arms a,b,...  which arms (default all); `--arms bare,bare` is the control
//   --pace MS       sleep MS of real time between measured ticks (a watch's idle second:
//                   caches and V8's feedback meet other processes' work, timers, idle GC)
//   --idle MODE     how the paced time passes: `sleep` (default: the core goes to other processes
//                   or idles), `spin` (a tight loop on this core: caches and clock stay ours),
//                   `sweep` (a loop sweeping 16 MB: this process evicts the caches itself)
//   --heap          KB allocated a tick by arm (V8's sampling heap profiler, every
//                   512 B, over the measured ticks; slows the CPU figures)
//   --profile       self time a look by function over the measured ticks, all arms together
//                   (V8's sampling profiler every 50 µs; run one arm to read that arm's)
//   --mark          print "@@ FROM" when the measured ticks start, to split a --trace-opt/--trace-deopt log
//   --revisions A,B instead of the arms: two arms of WatchSessions (as `session`) built from
//                   revisions A and B, each tick run inside that build's own shared ticker (one
//                   real timer of 1 ms a tick), so that a build that leaves work to the tick's end
//                   (afterTick) does it as in the product; the arm that goes first alternates
//                   each tick. The measured ticks are cut into --pairs blocks (default 8): the CPU
//                   of each block in either arm, their ratio B/A, and its median.
// Measured 2026-12-06 (trace 480-960 s, 5 runs of all arms, 2-core VM with PTI and no PCID): the
// look's own wall time is the same in bare, monitor, limits, session0, session and listened
// arms (75-119 µs, within ±10% of each other in a run), ~1.5x the steady arm's in the same run (a
// /proc read, or even one getrusage, before each push); steady alone 31-44 µs, in company 50-74.
// The session's CPU over the engine's (139-215 µs a look) is the classifier's calls (monitor over
// engine: 4.4-6.2 µs a sample) plus the limit watcher (limits over monitor: 2.3-3.3 µs a sample);
// decomposition, session bookkeeping and listeners add 0-0.9. A lone look (20 watches, ~1 look
// a tick) costs ~2x a batched one (wall 61-84 against 31-33 µs).
// Measured 2026-12-06 later (limit21; arms engine,monitor,limits,limitcheck, 3 runs each, machine
// shared with other work): with /proc/PID/status read by the watcher at each lookup (the arm as it
// was, which the session does not do) lookups cost 24.7-27.1 µs wall, 0.82-0.90 µs a sample; with
// the status handed over as the session does, 13.0-15.2 µs, 0.43-0.51 µs a sample. The watcher's
// listener (lookups included, plus ~0.5 µs of this harness's timers) 1.6-2.2 µs wall a sample,
// without lookups 1.1-1.7; its own code is ~0.1 µs of that in a profile: the rest is reading its
// objects back after the engine's /proc reads evicted them. limits over monitor in CPU a sample
// 0.6-2.5 µs across runs: the arms' difference is as wide as the figure. Timed alone (lookLimits)
// the check is 0.05-0.23 µs a sample even with cold caches: with a load average of 9-10 on 2
// cores, the listener's wall time here is mostly time spent descheduled.
// Measured 2026-12-06 (limit22; --revisions, 100 sessions an arm, trace 480-960 s, 8 pairs of 60
// ticks a run, machine shared with other work): cost26 (dc2278d, looks at the tick's end) against
// its parent (dc2278d^), 4 runs, both orders: whole-run CPU a tick 0.980, 0.994 (cost26 second) and
// 0.962, 0.951 (cost26 first), pair medians 0.989 (0.874-1.060), 1.005 (0.956-1.045), 0.963
// (0.897-0.999), 0.947 (0.912-0.970); the same looks (2594) in every arm. Controls, one revision
// in both arms: second over first 1.052 (0.914-1.108) for dc2278d^, 1.013 (0.969-1.080) for
// dc2278d: the second arm pays 1-5% by its place alone. So cost26 saves 0-5% of a tick's CPU here,
// not the 7-12% lookInterleaved measured, and no more than the arms' own offset: not resolved.
// Measured 2026-12-06 (run24; --revisions, defaults, machine shared with other work): 50336df
// (the decomposition appended a reading at a time, its tick reading RSS from the column) against
// main: 0.994 (0.953-1.054) with main first, 0.976 (main over it 1.025, 0.968-1.117) with it
// first; control, 50336df in both arms: second over first 1.034 (0.970-1.158). The same looks
// (2594) in every arm. Its allocations are every 5 s per session: no CPU gain shows beyond the
// arms' own offset, as expected.
//   node scripts/build.mjs --tests && node --expose-gc out/bench/tools/lookPipeline.js [--from 480] [--seconds 960] [--arms …] [--pace 0] [--idle sleep] [--heap] [--mark]
import { Session } from 'node:inspector';
import { GrowthClassifier } from '../../src/core/classifier';
import { processStartMs } from '../../src/core/discovery/rerun';
import { Disposable } from '../../src/core/events';
import { MonitorLimitWatcher } from '../../src/core/limits';
import { ApplicableLimit, findLimitSafely, LimitFinder } from '../../src/core/memory/applicableLimit';
import { MachineLimitFacts } from '../../src/core/memory/machineLimitFacts';
import { readProcMemory } from '../../src/core/memory/procMemory';
import { MemorySample, ProcessInfo } from '../../src/core/model';
import { MonitorEnvironment, ProcessMonitor } from '../../src/core/monitor';
import { openSampler, ProcessSampler, SampleRequest } from '../../src/core/sampling';
import { TickListener } from '../../src/core/sampling/ticker';
import { WARM_UP_MS, WatchSession, WatchSessionOptions } from '../../src/core/session';
import { buildAtRevision } from '../lib/revisionBuild';
import { heapTotal, HeapNode, option, post, Profile, selfTimes, spawnSleepers, startProfilers, sweepCache, sweptSum, watchClassifier } from './harness';
import { steadyReading, steadyStamp } from './steadyTrace';

const ARM_KINDS = ['steady', 'syscall', 'kernel', 'reads', 'engine', 'bare', 'monitor', 'limits', 'limitcheck', 'session0', 'session', 'listened'] as const;
type ArmKind = (typeof ARM_KINDS)[number];

const WATCHED = Number(option('--watched', '100'));
const FROM = Number(option('--from', '480'));
const SECONDS = Number(option('--seconds', '960'));
const PACE_MS = Number(option('--pace', '0'));
const HEAP = process.argv.includes('--heap');
const PROFILE = process.argv.includes('--profile');
/** µs between two samples of the CPU profiler. */
const CPU_SAMPLING_US = 50;
const IDLE = option('--idle', 'sleep');
const SWEEP = new Float64Array(IDLE === 'sweep' ? (16 * 1024 * 1024) / 8 : 0);
const KINDS = option('--arms', ARM_KINDS.join(',')).split(',') as ArmKind[];
const HEAP_SAMPLING_BYTES = 512;
const REVISIONS = option('--revisions', '').split(',').filter((r) => r !== '');
const PAIRS = Number(option('--pairs', '8'));

/** Trace time: the tick being run, shared by every arm. Stamps are steadyTrace's, moved to now (process start times are real). */
class TraceClock {
  second = 0;
  private readonly offsetMs = Date.now() - steadyStamp(0, 0);

  stamp(watched: number): number {
    return steadyStamp(this.second, watched) + this.offsetMs;
  }

  get nowMs(): number {
    return this.stamp(0);
  }
}

/** An arm's shared ticker: fires each listener at its own interval of trace time. */
class TraceTicker {
  private readonly listeners = new Set<{ intervalMs: number; listener: TickListener }>();

  onTick = (intervalMs: number, listener: TickListener): Disposable => {
    const entry = { intervalMs, listener };
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  };

  fire(second: number): void {
    for (const { intervalMs, listener } of [...this.listeners]) if ((second * 1000) % intervalMs === 0) listener();
  }
}

/** The real /proc sampler; only the sample's stamp is trace time. */
class StampedSampler implements ProcessSampler {
  constructor(private readonly real: ProcessSampler, private readonly clock: TraceClock, private readonly watched: number) {}

  get pid(): number {
    return this.real.pid;
  }

  get closed(): boolean {
    return this.real.closed;
  }

  get execCount(): number | undefined {
    return this.real.execCount;
  }

  sampleSync(request?: Omit<SampleRequest, 'detail'>): MemorySample {
    if (!this.real.sampleSync) throw new Error('no /proc sampler here: Linux only');
    const sample = this.real.sampleSync(request);
    sample.tMs = this.clock.stamp(this.watched);
    return sample;
  }

  async sample(request?: SampleRequest): Promise<MemorySample> {
    const sample = await this.real.sample(request);
    sample.tMs = this.clock.stamp(this.watched);
    return sample;
  }

  readDetail(): ReturnType<ProcessSampler['readDetail']> {
    return this.real.readDetail();
  }

  dispose(): void {
    this.real.dispose();
  }
}

/** Wall time inside the limit watchers' lookups of the applicable limit and in their per-sample listeners, summed over an arm. */
class LookupTimer {
  ms = 0;
  lookups = 0;
  listenerMs = 0;

  /** The monitor's onSample, with each listener added through it (the watcher's) timed. */
  timedOnSample(monitor: ProcessMonitor): ProcessMonitor {
    const onSample = monitor.onSample;
    const timed: typeof onSample = (listener) => onSample((sample) => {
      const start = performance.now();
      listener(sample);
      this.listenerMs += performance.now() - start;
    });
    (monitor as { onSample: typeof onSample }).onSample = timed;
    return monitor;
  }

  readonly find: LimitFinder = (pid, userLimitBytes, known) => {
    const start = performance.now();
    const found = findLimitSafely(pid, userLimitBytes, known);
    this.ms += performance.now() - start;
    this.lookups++;
    return found;
  };
}

/** A finder that looks the limit up once and hands it back ever after: the watcher's work without its lookups. */
function foundOnce(): LimitFinder {
  let found: { limit: ApplicableLimit | undefined } | undefined;
  return (pid, userLimitBytes, known) => (found ??= { limit: findLimitSafely(pid, userLimitBytes, known) }).limit;
}

/** Wall time inside a classifier's push + verdict (where its looks run), summed over an arm. */
class CallTimer {
  ms = 0;

  /** Wraps this instance's push and verdict (own properties: every arm's classifiers get the same). */
  wrap(classifier: GrowthClassifier): GrowthClassifier {
    const push = classifier.push.bind(classifier);
    const verdict = classifier.verdict.bind(classifier);
    classifier.push = (tMs, rssBytes): boolean => {
      const start = performance.now();
      const mayHaveChanged = push(tMs, rssBytes);
      this.ms += performance.now() - start;
      return mayHaveChanged;
    };
    classifier.verdict = () => {
      const start = performance.now();
      const value = verdict();
      this.ms += performance.now() - start;
      return value;
    };
    return classifier;
  }
}

function classifierFor(target: ProcessInfo): GrowthClassifier {
  return watchClassifier(processStartMs(target.startTicks) + WARM_UP_MS);
}

/** What a panel-less extension host hangs on a session: small work per event, as its status bar and alerts do. */
let listenedWork = 0;
let kernelEntries = 0;
function listen(session: WatchSession): void {
  session.monitor.onSample((s) => (listenedWork += s.rssBytes > 0 ? 1 : 0));
  session.monitor.onEvent((e) => (listenedWork += e.label.length));
  session.onVerdict((v) => (listenedWork += v.confidence));
  session.onDecomposition((r) => (listenedWork += r.tMs > 0 ? 1 : 0));
}

/** One step of the product: 100 watches built as `kind` says, ticked together. */
class Arm {
  readonly timer = new CallTimer();
  readonly lookupTimer = new LookupTimer();
  readonly classifiers: GrowthClassifier[] = [];
  /** Shared by the arm's watchers, as the extension's MonitorManager shares one among its sessions. */
  private readonly machineLimitFacts = new MachineLimitFacts();
  private readonly ticker = new TraceTicker();
  private readonly samplers: StampedSampler[];
  private readonly monitors: { start(): Promise<void>; dispose(): void }[] = [];
  cpuUs = 0;

  constructor(readonly kind: ArmKind, targets: ProcessInfo[], private readonly clock: TraceClock) {
    this.samplers = targets.map((t, watched) => new StampedSampler(openSampler(t), clock, watched));
    if (kind === 'reads' || kind === 'kernel') return;
    if (kind === 'bare' || kind === 'steady' || kind === 'syscall') {
      this.classifiers.push(...targets.map((t) => this.timer.wrap(classifierFor(t))));
      return;
    }
    targets.forEach((target, watched) => this.monitors.push(this.watch(target, watched)));
  }

  private watch(target: ProcessInfo, watched: number): { start(): Promise<void>; dispose(): void } {
    const environment: MonitorEnvironment = {
      now: () => this.clock.nowMs,
      monotonicMs: () => this.clock.second * 1000,
      onTick: this.ticker.onTick,
      openSampler: () => this.samplers[watched],
    };
    if (this.kind === 'engine' || this.kind === 'monitor' || this.kind === 'limits' || this.kind === 'limitcheck') {
      const monitor = new ProcessMonitor(target, { intervalMs: 1000, detailIntervalMs: 0, environment });
      if (this.kind !== 'engine') {
        const classifier = this.timer.wrap(classifierFor(target));
        this.classifiers.push(classifier);
        monitor.onSample((s) => {
          classifier.push(s.tMs, s.rssBytes);
          classifier.verdict();
        });
      }
      if (this.kind === 'limits' || this.kind === 'limitcheck') {
        const findLimit = this.kind === 'limits' ? this.lookupTimer.find : foundOnce();
        const status = readProcMemory(target.pid);
        const limits = new MonitorLimitWatcher(this.lookupTimer.timedOnSample(monitor), { memoryBytes: 12 * 1024 ** 3, durationMs: undefined, warnFraction: 0.8 }, {
          slopeSource: () => this.classifiers[watched].verdict().slopeBytesPerS,
          findLimit,
          recentMemory: () => status,
          machine: this.machineLimitFacts,
        });
        return { start: () => monitor.start(), dispose: () => (limits.dispose(), monitor.dispose()) };
      }
      return monitor;
    }
    const options: WatchSessionOptions = {
      intervalMs: 1000, detailIntervalMs: 0, maxSamples: 86_400, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: undefined, warnAtFraction: 0.8,
      environment, decompositionIntervalMs: this.kind === 'session0' ? 0 : 5000, machineLimitFacts: this.machineLimitFacts,
    };
    const session = new WatchSession(target, options);
    // The session's classifier is private: reached here only to time its calls and count its looks.
    this.classifiers.push(this.timer.wrap((session as unknown as { classifier: GrowthClassifier }).classifier));
    if (this.kind === 'listened') listen(session);
    return session;
  }

  async start(): Promise<void> {
    await Promise.all(this.monitors.map((m) => m.start()));
    if (this.kind === 'bare') this.bareTick();
    if (this.kind === 'steady' || this.kind === 'syscall') this.steadyTick(0);
  }

  looks(): number {
    return this.classifiers.reduce((sum, c) => sum + c.lookCount, 0);
  }

  tick(second: number): void {
    const cpu = process.cpuUsage();
    if (this.kind === 'steady' || this.kind === 'syscall' || this.kind === 'kernel') this.steadyTick(second);
    else if (this.kind === 'bare' || this.kind === 'reads') this.bareTick();
    else this.ticker.fire(second);
    const used = process.cpuUsage(cpu);
    this.cpuUs += used.user + used.system;
  }

  /** lookSteady's pushes: the readings the reads would give (a sleep's RSS, steadyTrace's stamps), without reading. */
  private steadyTick(second: number): void {
    for (let watched = 0; watched < WATCHED; watched++) {
      const classifier = this.classifiers[watched];
      if (this.kind !== 'steady') kernelEntries += process.cpuUsage().user > 0 ? 1 : 0;
      if (!classifier) continue;
      classifier.push(this.clock.stamp(watched), steadyReading(second, watched, false));
      classifier.verdict();
    }
  }

  /** lookInterleaved's inline order: read a process, push its reading (`reads`: no classifier). */
  private bareTick(): void {
    for (let watched = 0; watched < WATCHED; watched++) {
      const sample = this.samplers[watched].sampleSync({});
      const classifier = this.classifiers[watched];
      if (!classifier) continue;
      classifier.push(sample.tMs, sample.rssBytes);
      classifier.verdict();
    }
  }

  dispose(): void {
    for (const m of this.monitors) m.dispose();
    if (this.monitors.length === 0) for (const s of this.samplers) s.dispose(); // else each monitor closed its own
  }
}

/** Bytes allocated under every call named `name` (the calls themselves included). */
function allocationUnder(root: HeapNode, name: string): number[] {
  const found: number[] = [];
  const walk = (node: HeapNode): void => {
    if (node.callFrame.functionName === name) found.push(heapTotal(node));
    else node.children.forEach(walk);
  };
  walk(root);
  return found;
}

/** One tick of every arm, the first arm rotating; each kind's tick through its own named call, so that a heap profile can tell the arms apart. */
function runTicks(arms: Arm[], clock: TraceClock, second: number): void {
  clock.second = second;
  for (let i = 0; i < arms.length; i++) {
    const arm = arms[(second + i) % arms.length];
    KIND_TICKS[arm.kind](arm, second);
  }
}
const KIND_TICKS: Record<ArmKind, (arm: Arm, second: number) => void> = {
  steady: function steadyTick(arm, second) { arm.tick(second); },
  kernel: function kernelTick(arm, second) { arm.tick(second); },
  syscall: function syscallTick(arm, second) { arm.tick(second); },
  reads: function readsTick(arm, second) { arm.tick(second); },
  engine: function engineTick(arm, second) { arm.tick(second); },
  bare: function bareTick(arm, second) { arm.tick(second); },
  limits: function limitsTick(arm, second) { arm.tick(second); },
  limitcheck: function limitcheckTick(arm, second) { arm.tick(second); },
  monitor: function monitorTick(arm, second) { arm.tick(second); },
  session0: function session0Tick(arm, second) { arm.tick(second); },
  session: function sessionTick(arm, second) { arm.tick(second); },
  listened: function listenedTick(arm, second) { arm.tick(second); },
};

/** The time between two ticks, spent as --idle says. */
async function idle(ms: number): Promise<void> {
  if (IDLE === 'sleep') return new Promise((resolve) => setTimeout(resolve, ms));
  const until = performance.now() + ms;
  while (performance.now() < until) {
    sweepCache(SWEEP);
  }
}

/** What a revision arm takes from its own build: the session, and the shared ticker it defers to. */
interface RevisionBuild {
  WatchSession: typeof WatchSession;
  onTick(intervalMs: number, listener: TickListener): Disposable;
  afterTick?: (step: TickListener) => void;
}
const REVISION_ENTRY = 'src/lookPipelineRevision.ts';
const REVISION_ENTRY_SOURCE = "export { WatchSession } from './core/session';\nexport * from './core/sampling/ticker';\n";

/** WatchSessions of one revision's build on the trace clock, each tick run inside that build's own ticker. */
class RevisionArm {
  readonly timer = new CallTimer();
  readonly classifiers: GrowthClassifier[] = [];
  private readonly ticker = new TraceTicker();
  private readonly sessions: WatchSession[];

  constructor(readonly revision: string, private readonly build: RevisionBuild, targets: ProcessInfo[], clock: TraceClock) {
    const options: WatchSessionOptions = { intervalMs: 1000, detailIntervalMs: 0, maxSamples: 86_400, memoryLimitBytes: 12 * 1024 ** 3, durationLimitMs: undefined, warnAtFraction: 0.8, decompositionIntervalMs: 5000 };
    this.sessions = targets.map((target, watched) => {
      const sampler = new StampedSampler(openSampler(target), clock, watched);
      const environment: MonitorEnvironment = { now: () => clock.nowMs, monotonicMs: () => clock.second * 1000, onTick: this.ticker.onTick, openSampler: () => sampler };
      const session = new build.WatchSession(target, { ...options, environment });
      this.classifiers.push(this.timer.wrap((session as unknown as { classifier: GrowthClassifier }).classifier));
      return session;
    });
  }

  async start(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.start()));
  }

  looks(): number {
    return this.classifiers.reduce((sum, c) => sum + c.lookCount, 0);
  }

  /** One trace second inside a tick of the build's ticker; resolves with its CPU µs, the tick's end steps included. */
  tick(second: number): Promise<number> {
    return new Promise((resolve) => {
      const listening = this.build.onTick(1, () => {
        listening.dispose();
        const cpu = process.cpuUsage();
        this.ticker.fire(second);
        const done = (): void => {
          const used = process.cpuUsage(cpu);
          resolve(used.user + used.system);
        };
        // Queued last: runs after the steps the sessions left to the tick's end, where a build has them.
        if (this.build.afterTick) this.build.afterTick(done);
        else done();
      });
    });
  }

  dispose(): void {
    for (const s of this.sessions) s.dispose();
  }
}

/** --revisions: the two builds' sessions over the same trace, ticks alternating, measured in blocks as pairs. */
async function pairedRevisions(targets: ProcessInfo[], clock: TraceClock): Promise<void> {
  const builds = await Promise.all(REVISIONS.map((r) => buildAtRevision<RevisionBuild>(r, REVISION_ENTRY, REVISION_ENTRY_SOURCE)));
  const arms = builds.map((build, i) => new RevisionArm(REVISIONS[i], build, targets, clock));
  try {
    for (const arm of arms) await arm.start();
    const cpu = arms.map((): number[] => []);
    let looksAtFrom: number[] = [];
    for (let second = 1; second < SECONDS; second++) {
      if (second === FROM) looksAtFrom = arms.map((a) => a.looks());
      clock.second = second;
      for (let i = 0; i < arms.length; i++) {
        const k = (second + i) % arms.length;
        const us = await arms[k].tick(second);
        if (second >= FROM) cpu[k].push(us);
      }
    }
    const ticks = SECONDS - FROM;
    const block = Math.floor(ticks / PAIRS);
    console.log(`trace seconds ${FROM}–${SECONDS}, ${WATCHED} sessions an arm, ticks alternating; ${PAIRS} blocks of ${block} ticks as pairs:`);
    arms.forEach((arm, i) => console.log(`  ${arm.revision.padEnd(12)} looks ${arm.looks() - looksAtFrom[i]}, µs CPU a tick ${(cpu[i].reduce((a, b) => a + b, 0) / ticks).toFixed(0)}`));
    const sums = cpu.map((ticksCpu) => Array.from({ length: PAIRS }, (_, p) => ticksCpu.slice(p * block, (p + 1) * block).reduce((a, b) => a + b, 0) / block));
    const ratios = sums[1].map((b, p) => b / sums[0][p]);
    for (let p = 0; p < PAIRS; p++) console.log(`  pair ${p + 1}: ${sums[0][p].toFixed(0)} / ${sums[1][p].toFixed(0)} µs a tick, ratio ${ratios[p].toFixed(3)}`);
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(`  ${REVISIONS[1]} over ${REVISIONS[0]}: median ratio ${sorted[sorted.length >> 1].toFixed(3)} (${sorted[0].toFixed(3)}–${sorted[sorted.length - 1].toFixed(3)})`);
  } finally {
    arms.forEach((a) => a.dispose());
  }
}

async function main(): Promise<void> {
  const { targets, stop } = await spawnSleepers(WATCHED);
  const clock = new TraceClock();
  if (REVISIONS.length > 0) {
    try {
      if (REVISIONS.length !== 2) throw new Error('--revisions takes two revisions: A,B');
      return await pairedRevisions(targets, clock);
    } finally {
      stop();
    }
  }
  const arms = KINDS.map((kind) => new Arm(kind, targets, clock));
  try {
    for (const arm of arms) await arm.start();
    for (let second = 1; second < FROM; second++) runTicks(arms, clock, second);
    const before = arms.map((a) => ({ looks: a.looks(), callsMs: a.timer.ms, cpuUs: a.cpuUs, lookupMs: a.lookupTimer.ms, lookups: a.lookupTimer.lookups, listenerMs: a.lookupTimer.listenerMs }));
    const session = await startProfilers({ heapSamplingBytes: HEAP ? HEAP_SAMPLING_BYTES : undefined, cpuSamplingUs: PROFILE ? CPU_SAMPLING_US : undefined });
    if (process.argv.includes('--mark')) console.log(`@@ ${FROM}`);
    for (let second = FROM; second < SECONDS; second++) {
      runTicks(arms, clock, second);
      if (PACE_MS) await idle(PACE_MS);
    }
    const functions = session && PROFILE ? (await post<{ profile: Profile }>(session, 'Profiler.stop')).profile : undefined;
    const heapByKind = session && HEAP ? await allocationByKind(session) : undefined;
    session?.disconnect();
    report(arms, before, heapByKind);
    if (functions) printSelfTimes(functions, arms.reduce((sum, arm, i) => sum + arm.looks() - before[i].looks, 0));
  } finally {
    arms.forEach((a) => a.dispose());
    stop();
  }
  if (listenedWork < 0 || sweptSum() < 0 || kernelEntries < 0) console.log(listenedWork, sweptSum(), kernelEntries); // keeps the listeners' work and the sweeps from being optimized away
}

/** Bytes allocated under each arm kind's named tick call over the measured ticks (two arms of one kind share it). */
async function allocationByKind(session: Session): Promise<Map<ArmKind, number>> {
  const { profile } = await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling');
  return new Map(ARM_KINDS.map((kind) => [kind, allocationUnder(profile.head, KIND_TICKS[kind].name).reduce((a, b) => a + b, 0)]));
}

function printSelfTimes(profile: Profile, looks: number): void {
  console.log(`self time by function, µs a look (all arms' looks: ${looks}):`);
  for (const [name, us] of [...selfTimes(profile)].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(us / looks).toFixed(1).padStart(7)} µs  ${name}`);
}

function report(arms: Arm[], before: { looks: number; callsMs: number; cpuUs: number; lookupMs: number; lookups: number; listenerMs: number }[], heap: Map<ArmKind, number> | undefined): void {
  const ticks = SECONDS - FROM;
  const cpuTickOf = (kind: ArmKind): number | undefined => {
    const at = arms.findIndex((a) => a.kind === kind);
    return at >= 0 ? (arms[at].cpuUs - before[at].cpuUs) / ticks : undefined;
  };
  console.log(`trace seconds ${FROM}–${SECONDS}, ${WATCHED} watches an arm${PACE_MS ? `, ${PACE_MS} ms real time between ticks (${IDLE})` : ''}:`);
  console.log(`  ${'arm'.padEnd(9)} ${'looks'.padStart(6)} ${'µs CPU/tick'.padStart(12)} ${'CPU/look'.padStart(9)} ${'over base/look'.padStart(15)} ${'µs wall in push+verdict/look'.padStart(29)}${heap ? '  KB alloc/tick' : ''}`);
  arms.forEach((arm, i) => {
    const looks = arm.looks() - before[i].looks;
    const cpuTick = (arm.cpuUs - before[i].cpuUs) / ticks;
    const baseline = arm.kind === 'steady' ? 0 : cpuTickOf(({ bare: 'reads', syscall: 'kernel' } as Partial<Record<ArmKind, ArmKind>>)[arm.kind] ?? 'engine');
    const overEngine = baseline === undefined || looks === 0 ? '' : (((cpuTick - baseline) * ticks) / looks).toFixed(1);
    const calls = looks === 0 ? '' : (((arm.timer.ms - before[i].callsMs) * 1000) / looks).toFixed(1);
    const sameKind = arms.filter((a) => a.kind === arm.kind).length;
    const alloc = heap ? `  ${((heap.get(arm.kind) ?? 0) / sameKind / ticks / 1024).toFixed(1).padStart(14)}` : '';
    console.log(`  ${arm.kind.padEnd(9)} ${String(looks).padStart(6)} ${cpuTick.toFixed(0).padStart(12)} ${(looks ? ((cpuTick * ticks) / looks).toFixed(1) : '').padStart(9)} ${overEngine.padStart(15)} ${calls.padStart(29)}${alloc}`);
  });
  const perSample = (ms: number): string => ((ms * 1000) / (ticks * WATCHED)).toFixed(2);
  arms.forEach((arm, i) => {
    const listenerMs = arm.lookupTimer.listenerMs - before[i].listenerMs;
    if (listenerMs === 0) return;
    const lookups = arm.lookupTimer.lookups - before[i].lookups;
    const ms = arm.lookupTimer.ms - before[i].lookupMs;
    const lookupLine = lookups ? `; ${lookups} limit lookups, ${((ms * 1000) / lookups).toFixed(1)} µs wall a lookup, ${perSample(ms)} µs a sample` : '';
    console.log(`  ${arm.kind}: limit watcher's listener ${perSample(listenerMs)} µs wall a sample${lookupLine}`);
  });

}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
