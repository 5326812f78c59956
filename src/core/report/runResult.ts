// What a `leakscope run` found: the plain data its JSON, JUnit and Markdown reports are written
// from, one entry per watched process.
import { LimitKind } from '../limits';
import { GrowthVerdict, MemorySample, MonitorEvent } from '../model';
import { ExitSummary } from '../monitor';
import { IterationGrowth } from '../iterations';
import { formatPerIteration, formatRate } from '../units';

/** What `--fail-on` can fail the run on. */
export type FailCondition = 'leak' | 'limit';

/** Why a run failed its gate; `too-short` is a run shorter than --min-duration. */
export type GateFailure = 'leak' | 'memory-limit' | 'time-limit' | 'too-short';

export interface LimitReached {
  kind: LimitKind;
  message: string;
  tMs: number;
}

export interface IterationFinding {
  /** What is counted, singular ("step"). */
  noun: string;
  growth: IterationGrowth;
}

export interface WatchedProcessResult {
  pid: number;
  command: string;
  summary: ExitSummary;
  /** The verdict when the run ended. */
  verdict: GrowthVerdict;
  /** The first likely-leak verdict, kept even if a later look saw it otherwise. */
  leak: GrowthVerdict | undefined;
  limitsReached: LimitReached[];
  iterations: IterationFinding | undefined;
  samples: readonly MemorySample[];
  events: readonly MonitorEvent[];
}

export interface RunResult {
  argv: readonly string[];
  startedAtMs: number;
  endedAtMs: number;
  /** How the program ended: its exit code, or the signal that ended it. */
  programExit: { code: number | null; signal: string | null };
  failOn: readonly FailCondition[];
  warmUpMs: number;
  /** Set when the run failed its gate (--fail-on, --min-duration). */
  gateFailure: GateFailure | undefined;
  /** One line a person reads: why the run ended as it did. */
  ending: string;
  /** What `leakscope run` exits with. */
  exitCode: number;
  processes: readonly WatchedProcessResult[];
}

/** "steady-leak (confidence 0.93, +60 MB/min)": the class with the numbers that back it. */
export function verdictTitle(verdict: GrowthVerdict): string {
  return `${verdict.class} (confidence ${verdict.confidence.toFixed(2)}, ${formatRate(verdict.slopeBytesPerS)})`;
}

/** The verdict a process is judged by: the leak once one was seen, else the last verdict. */
export function judgedVerdict(p: WatchedProcessResult): GrowthVerdict {
  return p.leak ?? p.verdict;
}

/** A process fails when it leaked or crossed a limit. */
export function processFailed(p: WatchedProcessResult): boolean {
  return p.leak !== undefined || p.limitsReached.length > 0;
}

/** "+3.1 MB per 1,000 steps", when the counter moved enough to tell. */
export function iterationText(finding: IterationFinding | undefined): string | undefined {
  return finding ? formatPerIteration(finding.growth.bytesPerIteration, finding.noun) : undefined;
}
