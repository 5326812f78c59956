// `leakscope watch`: the monitor of the extension in a terminal. A live table (or JSON lines),
// CSV written as it goes, a JSON trace at the end, and exit codes a script can act on.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { checkTimerInterval, parsePid } from './args';
import { PermissionDeniedError, ProcessGoneError } from '../core/discovery/errors';
import { basename } from 'node:path';
import { readProcessInfo, resolveInterpreterChain, shortCommand } from '../core/discovery/processes';
import { isLaunchWrapper, isWrapper } from '../core/discovery/runtime';
import { GrowthVerdict, MemorySample, ProcessInfo, Trace } from '../core/model';
import { ExitSummary } from '../core/monitor';
import { SessionLimitNotice, WatchSession, WatchSessionOptions } from '../core/session';
import { csvHeader } from '../core/trace/format';
import { formatBytes, formatDuration, formatRate, parseBytes, parseDuration } from '../core/units';
import { WatchOutputs } from './watchOutput';

export const EXIT = {
  stopped: 0,
  error: 1,
  usage: 2,
  memoryLimit: 3,
  processGone: 4,
  durationLimit: 5,
  permissionDenied: 6,
  leak: 7,
} as const;

const HELP = `Usage: leakscope watch --pid N [options]

Watches the memory of a running process, one line per sample: time, RSS, change since the
previous sample, threads, open file descriptors, children (count and summed RSS of the whole
child-process tree, walked every 5 s) and CPU. Sizes are binary (1 GB = 1024³ bytes), like ps.
It never signals the process, not even at a limit.

Options:
  --pid N                   Process to watch (required). A wrapper — a shell, \`npm run\`, a pyenv
                            shim, \`poetry run\` — is followed down to the Python or Node
                            interpreter it started.
  --no-resolve              Watch N itself even if it is a wrapper.
  --interval DURATION       Time between samples (default 1s), e.g. 500ms, 2s, 1m.
  --limit SIZE              Memory limit on RSS, e.g. 12G, 12GB, 800MiB, 1.5g. Warns once at
                            --warn-at of it or when the current slope reaches it within 10 min
                            ("reaches 12 GB in ~43 min at the current slope"); exits 3 when reached.
  --duration DURATION       Time limit since watching began, e.g. 30m, 1h30m; exits 5 when reached.
  --warn-at FRACTION        Fraction of a limit at which to warn (default 0.8).
  --detail-interval DURATION
                            Also read USS and PSS (smaps_rollup, costly on big processes) this
                            often, e.g. 30s (default: never). Shown in --json output.
  --json                    Print one JSON object per sample per line instead of the table:
                            t_ms, rss_bytes, delta_bytes, threads, fds, children_rss_bytes,
                            child_count, cpu_percent, and uss_bytes/pss_bytes when read; once
                            the growth classifier has a verdict, also class, confidence (0–1)
                            and slope_bytes_per_s. Times are epoch ms, sizes bytes; fds is -1
                            when unreadable.
  --fail-on leak            Exit 7 as soon as the verdict is a likely leak (steady or stepwise,
                            confidence at least 0.8), for CI.
  --csv FILE                Write samples to FILE as CSV while watching, with the header
                            ${csvHeader()}
  --trace-json FILE         Write the whole trace (samples and events, Leakscope's JSON trace
                            format, which the extension opens) to FILE: every 10 s and when
                            watching ends, each time to a temporary file renamed over FILE, so
                            an older FILE is replaced only by a complete trace.
  -h, --help                This help.

The table's last column and the stop summary give the growth verdict (flat, plateau, spiky,
steady-leak, stepwise-leak) with its confidence and slope, once there is one.
Messages (warnings, the reason for stopping, a summary) go to stderr.
Ctrl+C, SIGTERM, SIGHUP and a closed stdout stop watching cleanly and write the trace files.

Exit codes:
  0  stopped with Ctrl+C, SIGTERM or SIGHUP, or stdout was closed
  1  unexpected error
  2  bad arguments
  3  the memory limit (--limit) was reached
  4  the process is gone: it exited, never existed, or its pid now belongs to another process
  5  the time limit (--duration) was reached
  6  permission denied: the process belongs to another user
  7  a leak verdict was reached (--fail-on leak)`;

interface WatchOptions {
  pid: number;
  resolve: boolean;
  intervalMs: number;
  limitBytes: number;
  durationMs: number;
  warnFraction: number;
  detailIntervalMs: number;
  json: boolean;
  csvPath?: string;
  traceJsonPath?: string;
  failOnLeak: boolean;
}

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: 'watch a process: RSS, threads, fds, children; limits; CSV/JSON traces',
  help: HELP,
  run: (argv, io) => watch(parseWatchArgs(argv), io),
};

export function parseWatchArgs(argv: string[]): WatchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        pid: { type: 'string' },
        'no-resolve': { type: 'boolean' },
        interval: { type: 'string' },
        limit: { type: 'string' },
        duration: { type: 'string' },
        'warn-at': { type: 'string' },
        'detail-interval': { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'string' },
        'trace-json': { type: 'string' },
        'fail-on': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (values.pid === undefined) throw new CliError('--pid is required (see --help)');
  return {
    pid: parsePid(values.pid),
    resolve: !values['no-resolve'],
    intervalMs: checkTimerInterval('--interval', parseOption('--interval', values.interval ?? '1s', parseDuration), 10),
    limitBytes: values.limit === undefined ? 0 : parseOption('--limit', values.limit, positive(parseBytes, 'a memory limit')),
    durationMs: values.duration === undefined ? 0 : parseOption('--duration', values.duration, positive(parseDuration, 'a time limit')),
    warnFraction: parseOption('--warn-at', values['warn-at'] ?? '0.8', parseFraction),
    detailIntervalMs: values['detail-interval'] === undefined ? 0 : parseOption('--detail-interval', values['detail-interval'], parseDuration),
    json: values.json ?? false,
    csvPath: values.csv,
    traceJsonPath: values['trace-json'],
    failOnLeak: parseOption('--fail-on', values['fail-on'] ?? '', parseFailOn),
  };
}

function parseFailOn(text: string): boolean {
  if (text === '') return false;
  if (text !== 'leak') throw new RangeError(`the only condition is 'leak', got '${text}'`);
  return true;
}


/** 0 would silently mean "no limit": leaving the option out says that. */
function positive(parse: (text: string) => number, what: string): (text: string) => number {
  return (text) => {
    const value = parse(text);
    if (!(value > 0)) throw new RangeError(`${what} must be more than 0, got '${text}' (leave the option out for none)`);
    return value;
  };
}

function parseFraction(text: string): number {
  const value = Number(text);
  if (!(value > 0 && value <= 1)) throw new RangeError(`Not a fraction between 0 and 1: "${text}"`);
  return value;
}

function parseOption<T>(name: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    throw new CliError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How a watch ended: the exit code and the line that says why. */
interface Ending {
  code: number;
  message: string;
}

async function watch(options: WatchOptions, io: CliIo): Promise<number> {
  const target = await findTarget(options, io);
  const session = new WatchSession(target, sessionOptions(options));
  const output = new WatchOutputs(options, io, () => traceOf(session));
  let ending: Ending;
  try {
    ending = await runSession(session, options, io, output);
  } finally {
    session.dispose();
  }
  ending = closeOutputs(output, ending);
  io.err(`leakscope watch: ${ending.message}`);
  return ending.code;
}

/** The final trace write can fail too (a full disk): that failure, then, is the ending. */
function closeOutputs(output: WatchOutputs, ending: Ending): Ending {
  try {
    output.close();
    return ending;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: EXIT.error, message: `${error.message}. ${ending.message}` };
  }
}

function sessionOptions(options: WatchOptions): WatchSessionOptions {
  return {
    intervalMs: options.intervalMs,
    detailIntervalMs: options.detailIntervalMs,
    maxSamples: 86_400,
    memoryLimitBytes: options.limitBytes || undefined,
    durationLimitMs: options.durationMs || undefined,
    warnAtFraction: options.warnFraction,
    keepAlive: true, // the CLI lives as long as it watches
  };
}

function traceOf(session: WatchSession): Trace {
  const target = session.monitor.target;
  return { pid: target.pid, command: target.argv.join(' '), samples: session.monitor.history.toSamples(), events: [...session.monitor.events] };
}

/** The process to watch, following a wrapper to its interpreter unless --no-resolve; says why. */
async function findTarget(options: WatchOptions, io: CliIo): Promise<ProcessInfo> {
  let info: ProcessInfo;
  try {
    info = await readProcessInfo(options.pid);
  } catch (error) {
    if (error instanceof ProcessGoneError) throw new CliError(error.message, EXIT.processGone);
    if (error instanceof PermissionDeniedError) throw new CliError(error.message, EXIT.permissionDenied);
    throw error;
  }
  if (!options.resolve || info.argv.length === 0 || !isWrapper(info.runtime, info.argv)) return info;
  const what = `pid ${info.pid} (${shortCommand(info)})`;
  if (!isLaunchWrapper(info)) {
    io.err(`leakscope watch: ${what} is neither a Python or Node interpreter nor a wrapper that starts one (a shell, npm, a pyenv shim): watching it as it is.`);
    return info;
  }
  const resolved = await resolveInterpreterChain(options.pid).catch(() => undefined);
  if (!resolved || resolved.target.pid === info.pid) {
    io.err(`leakscope watch: ${what} is a wrapper, but no Python or Node interpreter of its user runs under it: watching it as it is.`);
    return info;
  }
  const { target, chain } = resolved;
  const path = chain.map((p) => `${basename(p.argv[0] ?? p.name)} (${p.pid})`).join(' → ');
  io.err(`leakscope watch: ${what} is a wrapper; watching the ${target.interpreter} it started, pid ${target.pid}. Through ${path}, all of user ${info.user}; --no-resolve watches the wrapper itself.`);
  return target;
}

function runSession(session: WatchSession, options: WatchOptions, io: CliIo, output: WatchOutputs): Promise<Ending> {
  return new Promise<Ending>((resolve) => {
    const monitor = session.monitor;
    const finish = (ending: Ending) => {
      io.signal.removeEventListener('abort', onAbort);
      resolve(ending);
    };
    const onAbort = () => finish({ code: EXIT.stopped, message: `${stoppedBy(io.signal)} ${summaryLine(monitor.summary(), session.verdict)}` });
    io.signal.addEventListener('abort', onAbort, { once: true });

    const firstSample = monitor.onSample((sample) => {
      firstSample.dispose();
      for (const note of missingReadings(sample, options)) io.err(`leakscope watch: note: pid ${monitor.pid}: ${note}`);
    });
    monitor.onSample((sample) => {
      try {
        output.sample(sample, session.verdict);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        finish({ code: error.exitCode, message: `${error.message}. ${summaryLine(monitor.summary(), session.verdict)}` });
      }
    });
    monitor.onExit((summary) => finish(exitEnding(summary, session.verdict)));
    monitor.onExec((info) => io.err(`leakscope watch: pid ${info.pid} exec'd a new program: ${describeTarget(info)}. Still watching it.`));
    session.onLimit((notice) => onLimit(session, notice, io, finish));
    if (options.failOnLeak) session.onLeakSuspected((verdict) => finish(leakEnding(session, verdict)));

    if (io.signal.aborted) return onAbort();
    io.err(`leakscope watch: watching pid ${monitor.pid} (${describeTarget(monitor.target)}) every ${formatDuration(options.intervalMs)}; Ctrl+C to stop.`);
    output.header();
    session.start().catch(() => undefined); // a failed attach arrives through onExit
  });
}

/** Readings another user's process withholds: said once, so a – or a missing USS is not a mystery. */
function missingReadings(sample: MemorySample, options: WatchOptions): string[] {
  const notes: string[] = [];
  const fix = 'run Leakscope as the same user as the process (or as root) to read it';
  if (sample.fds < 0) notes.push(`its open file descriptors cannot be read (permission denied): FDS shows – (-1 in JSON); ${fix}.`);
  if (options.detailIntervalMs > 0 && sample.ussBytes === undefined) notes.push(`its USS and PSS (smaps_rollup) cannot be read (permission denied), so --detail-interval adds nothing; ${fix}.`);
  return notes;
}

function onLimit(session: WatchSession, notice: SessionLimitNotice, io: CliIo, finish: (ending: Ending) => void): void {
  if (notice.level === 'warning') return io.err(`leakscope watch: warning: pid ${session.monitor.pid}: ${notice.message}`);
  const code = notice.kind === 'memory' ? EXIT.memoryLimit : EXIT.durationLimit;
  finish({ code, message: `pid ${session.monitor.pid}: ${notice.message}. The process was left running. ${summaryLine(session.monitor.summary(), session.verdict)}` });
}

function leakEnding(session: WatchSession, verdict: GrowthVerdict): Ending {
  return { code: EXIT.leak, message: `pid ${session.monitor.pid}: a leak (--fail-on leak). The process was left running. ${summaryLine(session.monitor.summary(), verdict)}` };
}

/** "stopped." for Ctrl+C; "stopped (SIGTERM)." or "stopped (stdout closed)." otherwise. */
function stoppedBy(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason !== 'SIGINT' ? `stopped (${reason}).` : 'stopped.';
}

function exitEnding(summary: ExitSummary, verdict: GrowthVerdict): Ending {
  const codes = { exited: EXIT.processGone, 'pid-reused': EXIT.processGone, 'permission-denied': EXIT.permissionDenied, error: EXIT.error };
  const details = summary.samples > 0 ? ` ${summaryLine(summary, verdict)}` : '';
  return { code: codes[summary.reason], message: `${summary.message}${details}` };
}

/** The stop summary: what was watched, then the verdict. */
function summaryLine(s: ExitSummary, verdict: GrowthVerdict): string {
  const watched = `Watched ${formatDuration(s.durationMs)}, ${s.samples} samples: RSS ${formatBytes(s.startRssBytes)} → ${formatBytes(s.endRssBytes)}, peak ${formatBytes(s.peakRssBytes)}.`;
  return `${watched} ${verdictSentence(verdict)}`;
}

function verdictSentence(verdict: GrowthVerdict): string {
  if (verdict.class === 'unknown') return `Verdict: none yet. ${verdict.explanation}`;
  return `Verdict: ${verdict.class} (confidence ${verdict.confidence.toFixed(2)}, ${formatRate(verdict.slopeBytesPerS)}). ${verdict.explanation}`;
}

function describeTarget(info: ProcessInfo): string {
  const command = shortCommand(info);
  return info.interpreter ? `${info.interpreter}: ${command}` : command;
}
