// `leakscope run [options] -- CMD ARGS…`: starts a program with its memory watched from its first
// second (the same WatchSession as `watch`), passes signals on to it, and when it ends prints a
// summary and writes the reports asked for. With --fail-on it is a leak gate for CI.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo, STOP_SIGNALS } from './io';
import { assertWritable, describeWriteError, replaceFile } from './files';
import { ChildExit, ChildProgram, exitCodeOf } from './runChild';
import { IterationSource, RunWatch } from './runWatch';
import {
  DETAIL_HELP, EXIT, FILES_HELP, parseOption, positive, readSessionOptions, SAMPLING_HELP, SESSION_ARG_OPTIONS, SessionCliOptions, summaryLine,
  usageError, WARN_AT_HELP, WARM_UP_HELP,
} from './watchCommon';
import { IterationLog, IterationMark, iterationNoun, readIteration } from '../core/iterations';
import { FailCondition, GateFailure, iterationText, RunResult } from '../core/report/runResult';
import { runReportToJson } from '../core/report/json';
import { runToJunitXml } from '../core/report/junit';
import { runToMarkdown } from '../core/report/markdown';
import { formatDuration, parseDuration } from '../core/units';
import { LAUNCHED_WARM_UP_MS } from '../core/session';
import { bundledGcPacer, withGcPacer } from '../core/gcPacing';

export const RUN_EXIT = { tooShort: 8 } as const;

const HELP = `Usage: leakscope run [options] -- CMD [ARGS…]

Starts CMD and watches its memory (RSS, threads, fds, the summed RSS of its child processes)
from its first second, with the growth verdict, limits and projections of \`leakscope watch\`.
CMD's output goes to the terminal as usual; Leakscope's messages go to stderr, prefixed
"leakscope run:" (no table per sample: --csv and --trace-json record the samples). When CMD
ends, a summary is printed and the files asked for are written.

CMD runs in a process group of its own. Ctrl+C, SIGTERM and SIGHUP are passed on to that group
(once: the terminal's Ctrl+C reaches Leakscope only), and Leakscope waits for CMD to end.

Options:
  --fail-on CONDITION       leak, limit or any. leak: end the run as soon as the verdict is a
                            likely leak (steady or stepwise, the panel's alert rule) and exit 7;
                            limit: end it when --limit or --duration is reached and exit 3 or 5;
                            any: both. Ending the run stops CMD as --kill-on-limit does.
                            Without it, CMD's own exit code is passed through.
  --kill-on-limit           At the memory or time limit, stop CMD: SIGTERM to its process group,
                            then SIGKILL 5 s later if it is still running. Without it (and
                            without --fail-on limit) a reached limit is reported and CMD runs on.
${WARM_UP_HELP}
                            Default: 30s; 0 judges from the first sample.
  --min-duration DURATION   A run shorter than this is too short to judge: when CMD ends sooner
                            with code 0, exit 8 instead of 0 (a load script that stopped early
                            does not pass a leak gate).
  --report FILE             Write the findings as JSON (format leakscope-run-report).
  --junit FILE              Write a JUnit XML report: one test case per watched process, failed
                            on a leak (the verdict and slope in its message) or a reached limit.
  --markdown FILE           Write a Markdown summary with an inline SVG chart of RSS over time,
                            for CI job summaries and PR comments.
  --no-gc-pacing            Leave V8's collector alone. By default, each Node program CMD starts
                            is asked for a full GC at most every 10 s and within 1% of its time
                            (NODE_OPTIONS=--require; nothing else changes), so that its RSS shows
                            what it keeps: V8 can go minutes without one while its heap grows
                            with garbage, which reads as a leak.
  --iterations-from REGEX   Read an iteration counter from CMD's output lines (stdout and
                            stderr, then piped through unchanged; Python is made to flush
                            them): the pattern's first capture group, else the first integer it
                            matches, e.g. 'step (\\d+)'. Reports growth per iteration ("+3.1 MB
                            per 1,000 steps") beside growth per minute.
${SAMPLING_HELP}
  --limit SIZE              Memory limit on RSS, e.g. 12G, 800MiB. Warns at --warn-at of it or
                            when the current slope reaches it within 10 min; see --kill-on-limit.
  --duration DURATION       Time limit, e.g. 30m, 1h30m; see --kill-on-limit.
${WARN_AT_HELP}
${DETAIL_HELP}
${FILES_HELP}
  -h, --help                This help.

Exit codes:
  CMD's own   when no condition of --fail-on or --min-duration was met: CMD's exit code, or
              128 + the signal number when a signal ended it (130 for SIGINT, 143 for SIGTERM)
  1           unexpected error, or a report could not be written (when CMD exited 0)
  2           bad arguments
  3           the memory limit was reached (--fail-on limit or any)
  5           the time limit was reached (--fail-on limit or any)
  7           a leak verdict was reached (--fail-on leak or any)
  8           CMD ended with code 0 before --min-duration
  126, 127    CMD could not be executed, or was not found
CMD's own codes may coincide with these: the summary line and --report say which it was.`;

export interface RunOptions extends SessionCliOptions {
  argv: string[];
  failOn: FailCondition[];
  killOnLimit: boolean;
  minDurationMs: number;
  reportPath?: string;
  junitPath?: string;
  markdownPath?: string;
  iterationsFrom?: RegExp;
  /** Pace full GCs in the Node programs CMD starts (src/core/gcPacing.ts). */
  gcPacing: boolean;
}

export const runProgramCommand: CliCommand = {
  name: 'run',
  summary: 'start a program watched from its first second; a leak gate for CI',
  help: HELP,
  run: (argv, io) => runProgram(parseRunArgs(argv), io),
};

export function parseRunArgs(argv: string[]): RunOptions {
  const split = argv.indexOf('--');
  if (split < 0 || split === argv.length - 1) throw new CliError('the command to run goes after --: leakscope run [options] -- CMD [ARGS…] (see --help)');
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.slice(0, split),
      strict: true,
      allowPositionals: false,
      options: {
        ...SESSION_ARG_OPTIONS,
        'fail-on': { type: 'string' },
        'kill-on-limit': { type: 'boolean' },
        'min-duration': { type: 'string' },
        report: { type: 'string' },
        junit: { type: 'string' },
        markdown: { type: 'string' },
        'iterations-from': { type: 'string' },
        'no-gc-pacing': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw usageError(error);
  }
  const session = readSessionOptions(values);
  return {
    ...session,
    warmUpMs: session.warmUpMs ?? LAUNCHED_WARM_UP_MS,
    argv: argv.slice(split + 1),
    failOn: parseOption('--fail-on', values['fail-on'] ?? '', parseFailOn),
    killOnLimit: values['kill-on-limit'] ?? false,
    minDurationMs: values['min-duration'] === undefined ? 0 : parseOption('--min-duration', values['min-duration'], positive(parseDuration, 'a minimum duration')),
    reportPath: values.report,
    junitPath: values.junit,
    markdownPath: values.markdown,
    iterationsFrom: values['iterations-from'] === undefined ? undefined : parseOption('--iterations-from', values['iterations-from'], (text) => new RegExp(text)),
    gcPacing: values['no-gc-pacing'] !== true,
  };
}

function parseFailOn(text: string): FailCondition[] {
  if (text === '') return [];
  if (text === 'any') return ['leak', 'limit'];
  if (text === 'leak' || text === 'limit') return [text];
  throw new RangeError(`one of leak, limit or any, got '${text}'`);
}

/** Every file is checked before CMD starts: a typo should not cost a whole load test. */
function checkReportPaths(options: RunOptions): void {
  const files = [['--report', options.reportPath], ['--junit', options.junitPath], ['--markdown', options.markdownPath], ['--csv', options.csvPath], ['--trace-json', options.traceJsonPath]] as const;
  for (const [option, path] of files) {
    if (path === undefined) continue;
    try {
      assertWritable(path);
    } catch (error) {
      throw new CliError(`${option}: cannot write ${path}: ${describeWriteError(error)}`);
    }
  }
}

async function runProgram(options: RunOptions, io: CliIo): Promise<number> {
  checkReportPaths(options);
  const iterations = options.iterationsFrom ? new IterationReader(options.iterationsFrom) : undefined;
  const startedAtMs = Date.now();
  const pacer = options.gcPacing ? bundledGcPacer(__dirname) : undefined;
  const child = await ChildProgram.start(options.argv, {
    onLine: iterations ? (line, tMs) => iterations.read(line, tMs) : undefined,
    env: pacer ? withGcPacer(process.env, pacer) : undefined,
  });
  const forward = (signal: NodeJS.Signals) => {
    io.err(`leakscope run: passing ${signal} on to ${options.argv[0]} (pid ${child.pid}).`);
    child.forward(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  // A signal that came while CMD was being started found only main's listener: it is passed on now.
  const early = STOP_SIGNALS.find((s) => s === io.signal.reason);
  if (io.signal.aborted && early) forward(early);
  try {
    const watched = await RunWatch.start(child, { ...options, gcPaced: pacer !== undefined }, io).catch(async (error: unknown) => {
      await child.stop(); // never left running unwatched
      throw error;
    });
    try {
      const exit = await child.exited;
      return finish({ options, io, watched, exit, startedAtMs, iterations });
    } finally {
      watched.dispose();
    }
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, forward);
  }
}

/** The counter of --iterations-from, read from each line of the program's output. */
class IterationReader implements IterationSource {
  private readonly log = new IterationLog();
  noun: string | undefined;

  get marks(): readonly IterationMark[] {
    return this.log.marks;
  }

  constructor(private readonly pattern: RegExp) {}

  read(line: string, tMs: number): void {
    const value = readIteration(this.pattern, line);
    if (value === undefined) return;
    this.noun ??= iterationNoun(this.pattern, line);
    this.log.add(tMs, value);
  }
}

interface Finish {
  options: RunOptions;
  io: CliIo;
  watched: RunWatch;
  exit: ChildExit;
  startedAtMs: number;
  iterations: IterationReader | undefined;
}

function finish({ options, io, watched, exit, startedAtMs, iterations }: Finish): number {
  const endedAtMs = Date.now();
  const processes = watched.close(iterations);
  const tooShort = watched.gate.failure === undefined && exitCodeOf(exit) === 0 && options.minDurationMs > 0 && endedAtMs - startedAtMs < options.minDurationMs;
  const gateFailure = watched.gate.failure ?? (tooShort ? 'too-short' : undefined);
  let exitCode = gateFailure ? gateExitCode(gateFailure) : exitCodeOf(exit);
  const ending = endingLine(options, exit, watched, gateFailure, endedAtMs - startedAtMs);
  const result: RunResult = {
    argv: options.argv,
    startedAtMs,
    endedAtMs,
    programExit: { code: exit.code, signal: exit.signal },
    failOn: options.failOn,
    warmUpMs: options.warmUpMs ?? 0,
    gateFailure,
    ending,
    exitCode,
    processes,
  };
  const reportErrors = writeReports(options, result);
  for (const error of reportErrors) io.err(`leakscope run: ${error}`);
  if ((reportErrors.length > 0 || watched.writeError !== undefined) && exitCode === 0) exitCode = EXIT.error;
  printSummary(io, result, iterations);
  return exitCode;
}

/** The ending, then per watched process what was watched, the verdict and growth per iteration. */
function printSummary(io: CliIo, result: RunResult, iterations: IterationReader | undefined): void {
  io.err(`leakscope run: ${result.ending}`);
  for (const p of result.processes) {
    io.err(`leakscope run: pid ${p.pid}: ${summaryLine(p.summary, p.leak ?? p.verdict)}`);
    const perIteration = iterationText(p.iterations);
    const span = p.iterations ? `${p.iterations.noun} ${p.iterations.growth.firstIteration.toFixed(0)}–${p.iterations.growth.lastIteration.toFixed(0)}` : '';
    if (perIteration) io.err(`leakscope run: pid ${p.pid}: growth per iteration: ${perIteration} (over ${span}).`);
  }
  if (iterations && !result.processes.some((p) => p.iterations)) io.err(`leakscope run: no growth per iteration: --iterations-from matched ${iterations.marks.length === 0 ? 'no line' : 'too few lines over too few samples'}.`);
}

function gateExitCode(failure: GateFailure): number {
  const codes: Record<GateFailure, number> = { leak: EXIT.leak, 'memory-limit': EXIT.memoryLimit, 'time-limit': EXIT.durationLimit, 'too-short': RUN_EXIT.tooShort };
  return codes[failure];
}

/** One line: how the program ended, and whether the gate failed. */
function endingLine(options: RunOptions, exit: ChildExit, watched: RunWatch, failure: GateFailure | undefined, durationMs: number): string {
  const program = `${options.argv[0]} (pid ${watched.rootPid})`;
  const how = exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code ?? '?'}`;
  const after = `after ${formatDuration(durationMs)}`;
  if (failure === 'too-short') return `${program} ${how} ${after}, sooner than --min-duration ${formatDuration(options.minDurationMs)}: too short to judge (exit ${RUN_EXIT.tooShort}).`;
  if (failure) return `${program} ${how} ${after}; stopped by leakscope: ${watched.gate.stoppedBecause ?? failure} (exit ${gateExitCode(failure)}).`;
  if (watched.gate.stoppedBecause) return `${program} ${how} ${after}; stopped by leakscope: ${watched.gate.stoppedBecause}.`;
  return `${program} ${how} ${after}.`;
}

/** Writes each report asked for; returns what could not be written. */
function writeReports(options: RunOptions, result: RunResult): string[] {
  const reports: [string, string | undefined, (r: RunResult) => string][] = [
    ['--report', options.reportPath, (r) => runReportToJson(r) + '\n'],
    ['--junit', options.junitPath, runToJunitXml],
    ['--markdown', options.markdownPath, runToMarkdown],
  ];
  const errors: string[] = [];
  for (const [option, path, render] of reports) {
    if (path === undefined) continue;
    try {
      replaceFile(path, render(result));
    } catch (error) {
      errors.push(`${option}: cannot write ${path}: ${describeWriteError(error)}`);
    }
  }
  return errors;
}
