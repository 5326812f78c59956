// The watch `leakscope run` keeps on its program: a WatchSession on the process it started, one
// more on each Python or Node interpreter that a wrapper CMD (a shell, npm, uv) starts below it,
// and the gate that ends the run early (--fail-on, --kill-on-limit).
import { basename } from 'node:path';
import { CliError, CliIo } from './io';
import { ChildProgram, KILL_GRACE_MS } from './runChild';
import { WatchOutputs } from './watchOutput';
import { describeTarget, missingReadings, sayMemoryLimit, SessionCliOptions, sessionOptions, traceOf } from './watchCommon';
import { readProcessInfo, resolveInterpreterChain } from '../core/discovery/processes';
import { isLaunchWrapper } from '../core/discovery/runtime';
import { Disposable } from '../core/events';
import { growthPerIteration, IterationMark } from '../core/iterations';
import { GrowthVerdict, ProcessInfo } from '../core/model';
import { SessionLimitNotice, WatchSession } from '../core/session';
import { GC_PACING } from '../core/gcPacing';
import { FailCondition, GateFailure, LimitReached, verdictTitle, WatchedProcessResult } from '../core/report/runResult';
import { formatDuration } from '../core/units';

export interface RunWatchOptions extends SessionCliOptions {
  failOn: FailCondition[];
  killOnLimit: boolean;
  /** The Node programs CMD starts get paced full GCs (src/core/gcPacing.ts). */
  gcPaced?: boolean;
}

/** The counter read from the program's output, for growth per iteration. */
export interface IterationSource {
  readonly marks: readonly IterationMark[];
  readonly noun: string | undefined;
}

/** Decides when the run ends early, and says why; stops the program then. */
export class RunGate {
  failure: GateFailure | undefined;
  stoppedBecause: string | undefined;

  constructor(private readonly child: ChildProgram, private readonly options: RunWatchOptions, private readonly io: CliIo) {}

  leak(pid: number, verdict: GrowthVerdict): void {
    if (!this.options.failOn.includes('leak')) return this.say(pid, `a likely leak: ${verdictTitle(verdict)}.`);
    this.failure ??= 'leak';
    this.stop(pid, `a leak (--fail-on leak): ${verdictTitle(verdict)}`);
  }

  limit(pid: number, notice: SessionLimitNotice): void {
    const fail = this.options.failOn.includes('limit');
    if (fail) this.failure ??= notice.kind === 'memory' ? 'memory-limit' : 'time-limit';
    if (fail || this.options.killOnLimit) return this.stop(pid, `${notice.message} (${fail ? '--fail-on limit' : '--kill-on-limit'})`);
    this.say(pid, `${notice.message}. The program runs on (--kill-on-limit would stop it).`);
  }

  /** SIGTERM to the program's group now, SIGKILL after the grace period. */
  private stop(pid: number, reason: string): void {
    if (this.stoppedBecause !== undefined) return;
    this.stoppedBecause = reason;
    this.say(pid, `${reason}. Stopping the program (SIGTERM, then SIGKILL after ${formatDuration(KILL_GRACE_MS)}).`);
    void this.child.stop();
  }

  private say(pid: number, text: string): void {
    this.io.err(`leakscope run: pid ${pid}: ${text}`);
  }
}

/** One watched process: its session (and files, for the process CMD started) and what it showed. */
class WatchedProcess {
  leak: GrowthVerdict | undefined;
  readonly limitsReached: LimitReached[] = [];
  writeError: string | undefined;

  constructor(readonly session: WatchSession, private readonly outputs: WatchOutputs | undefined, private readonly io: CliIo) {}

  get pid(): number {
    return this.session.monitor.pid;
  }

  /** A file that cannot be written is said once; the program runs on regardless. */
  write(action: () => void): void {
    if (this.writeError !== undefined) return;
    try {
      action();
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      this.writeError = error.message;
      this.io.err(`leakscope run: ${error.message}`);
    }
  }

  /** What it found, as report data; ends the session and closes its files. */
  close(iterations: IterationSource | undefined): WatchedProcessResult {
    const summary = this.session.monitor.summary();
    const trace = traceOf(this.session);
    const target = this.session.target;
    this.session.dispose();
    if (this.outputs) this.write(() => this.outputs?.close());
    // A wrapper's own RSS says nothing about the steps its interpreter takes.
    const counted = iterations && !isLaunchWrapper(target) ? iterations : undefined;
    const growth = counted ? growthPerIteration(trace.samples.map((s) => s.tMs), trace.samples.map((s) => s.rssBytes), counted.marks) : undefined;
    return {
      pid: this.pid,
      command: trace.command ?? '',
      summary,
      verdict: this.session.verdict,
      leak: this.leak,
      limitsReached: this.limitsReached,
      iterations: growth ? { noun: counted?.noun ?? 'iteration', growth } : undefined,
      samples: trace.samples,
      events: trace.events,
    };
  }
}

/** Every process watched for one `leakscope run`, and the gate over them. */
export class RunWatch implements Disposable {
  readonly gate: RunGate;
  private readonly watched: WatchedProcess[] = [];
  private follower: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly child: ChildProgram, private readonly options: RunWatchOptions, private readonly io: CliIo) {
    this.gate = new RunGate(child, options, io);
  }

  /** Watches the program from its first sample; undefined-free even when it is gone already. */
  static async start(child: ChildProgram, options: RunWatchOptions, io: CliIo): Promise<RunWatch> {
    const watch = new RunWatch(child, options, io);
    const target = await readProcessInfo(child.pid).catch(() => undefined);
    if (!target) return watch; // gone before it could be read: its exit code still tells
    const outputs = new WatchOutputs({ json: false, quiet: true, csvPath: options.csvPath, traceJsonPath: options.traceJsonPath }, io, () => traceOf(root.session));
    io.err(`leakscope run: watching pid ${child.pid} (${describeTarget(target)}) every ${formatDuration(options.intervalMs)}; in its first ${formatDuration(options.warmUpMs ?? 0)} only a leak no start-up explains is called.`);
    if (options.gcPaced && target.runtime === 'node') io.err(`leakscope run: Node is asked for a full GC at most every ${formatDuration(GC_PACING.minIntervalMs)}, within ${GC_PACING.budget * 100}% of its time, so that RSS shows what it keeps (--no-gc-pacing to leave V8 alone).`);
    const root = watch.add(target, outputs);
    if (isLaunchWrapper(target)) watch.followInterpreters();
    return watch;
  }

  get writeError(): string | undefined {
    return this.watched.find((w) => w.writeError !== undefined)?.writeError;
  }

  /** The process CMD started (watched or not: it may be gone before its first reading). */
  get rootPid(): number {
    return this.child.pid;
  }

  close(iterations: IterationSource | undefined): WatchedProcessResult[] {
    this.closed = true;
    this.stopFollowing();
    return this.watched.map((w) => w.close(iterations));
  }

  dispose(): void {
    this.closed = true;
    this.stopFollowing();
    for (const w of this.watched) w.session.dispose();
  }

  private add(target: ProcessInfo, outputs: WatchOutputs | undefined): WatchedProcess {
    const session = new WatchSession(target, sessionOptions(this.options));
    const watched = new WatchedProcess(session, outputs, this.io);
    this.watched.push(watched);
    this.listen(watched, outputs);
    sayMemoryLimit('run', session, this.io);
    session.start().catch(() => undefined); // a process gone already ends through child.exited
    return watched;
  }

  private listen(watched: WatchedProcess, outputs: WatchOutputs | undefined): void {
    const { session } = watched;
    const monitor = session.monitor;
    const say = (text: string) => this.io.err(`leakscope run: pid ${monitor.pid}: ${text}`);
    const firstSample = monitor.onSample((sample) => {
      firstSample.dispose();
      for (const note of missingReadings(sample, this.options.detailIntervalMs)) say(`note: ${note}`);
    });
    if (outputs) monitor.onSample((sample) => watched.write(() => outputs.sample(sample, session.verdict)));
    monitor.onExec((info) => say(`exec'd a new program: ${describeTarget(info)}. Still watching it.`));
    let shownClass = session.verdict.class;
    session.onVerdict((verdict) => {
      if (verdict.class === shownClass || verdict.class === 'unknown') return;
      shownClass = verdict.class;
      say(`verdict: ${verdictTitle(verdict)}. ${verdict.explanation}`);
    });
    session.onLeakSuspected((verdict) => {
      watched.leak = verdict;
      this.gate.leak(monitor.pid, verdict);
    });
    session.onLimit((notice) => {
      if (notice.level === 'warning') return say(`warning: ${notice.message}`);
      watched.limitsReached.push({ kind: notice.kind, message: notice.message, tMs: notice.tMs });
      this.gate.limit(monitor.pid, notice);
    });
  }

  /**
   * CMD is a wrapper (a shell, npm, a pyenv shim before its exec): each Python or Node interpreter
   * of its user that appears below it through wrappers only is watched too, from when it is seen.
   */
  private followInterpreters(): void {
    const look = async () => {
      this.follower = undefined;
      const resolved = await resolveInterpreterChain(this.child.pid).catch(() => undefined);
      if (this.closed || resolved?.target.pid === this.child.pid) return; // exec'd the interpreter: watched already
      if (resolved && !this.watched.some((w) => w.pid === resolved.target.pid)) this.addInterpreter(resolved.target, resolved.chain);
      this.follower = setTimeout(() => void look(), Math.min(this.options.intervalMs, 1000));
    };
    void look();
  }

  private addInterpreter(target: ProcessInfo, chain: readonly ProcessInfo[]): void {
    const path = chain.map((p) => `${basename(p.argv[0] ?? p.name)} (${p.pid})`).join(' → ');
    this.io.err(`leakscope run: pid ${this.child.pid} is a wrapper; also watching the ${target.interpreter || target.runtime} it started, pid ${target.pid}, through ${path}.`);
    this.add(target, undefined);
  }

  private stopFollowing(): void {
    clearTimeout(this.follower);
    this.follower = undefined;
  }
}
