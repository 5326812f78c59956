// `leakscope watch`: the monitor of the extension in a terminal. A live table (or JSON lines),
// CSV written as it goes, a JSON trace at the end, and exit codes a script can act on.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { parsePid } from './args';
import { PermissionDeniedError, ProcessGoneError } from '../core/discovery/errors';
import { basename } from 'node:path';
import { readProcessInfo, resolveInterpreterChain, shortCommand } from '../core/discovery/processes';
import { isLaunchWrapper, isWrapper } from '../core/discovery/runtime';
import { GrowthVerdict, ProcessInfo } from '../core/model';
import { ExitSummary } from '../core/monitor';
import { SessionLimitNotice, WatchSession } from '../core/session';
import { formatDuration, parseDuration } from '../core/units';
import { DecompositionNow, WatchOutputs } from './watchOutput';
import {
  closeOutputs, describeTarget, DETAIL_HELP, Ending, EXIT, FILES_HELP, missingReadings, parseOption, readSessionOptions, SAMPLING_HELP,
  SESSION_ARG_OPTIONS, SessionCliOptions, sessionOptions, summaryLine, traceOf, usageError, WARN_AT_HELP, WARM_UP_HELP,
} from './watchCommon';

export { EXIT } from './watchCommon';

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
${SAMPLING_HELP}
  --limit SIZE              Memory limit on RSS, e.g. 12G, 12GB, 800MiB, 1.5g. Warns once at
                            --warn-at of it or when the current slope reaches it within 10 min
                            ("reaches 12 GB in ~43 min at the current slope"); exits 3 when reached.
  --duration DURATION       Time limit since watching began, e.g. 30m, 1h30m; exits 5 when reached.
${WARN_AT_HELP}
${DETAIL_HELP} Shown in --json output.
${WARM_UP_HELP}
                            Default: 90s from the process's start (attaching later leaves less).
  --explain-every DURATION  Under the table, what RSS is made of (anonymous, file-backed, shared,
                            swap; /proc/PID/status, read every 5 s) this often and when the
                            verdict changes; for a leak or plateau also which kind of growth it
                            is (live objects, freed memory the allocator keeps, native memory,
                            a high-water mark) with its numbers, when /proc can tell. Default
                            30s; 0 for none.
  --json                    Print one JSON object per sample per line instead of the table:
                            t_ms, rss_bytes, delta_bytes, threads, fds, children_rss_bytes,
                            child_count, cpu_percent, and uss_bytes/pss_bytes when read; once
                            the decomposition is read, anon_bytes, file_bytes, shmem_bytes and
                            swap_bytes (the latest reading, every 5 s, repeated in between);
                            once the growth classifier has a verdict, also class, confidence
                            (0–1), slope_bytes_per_s and diagnosis (leak, fragmentation,
                            native-growth, high-water, flat or unknown: from /proc alone, growth
                            is unknown until \`leakscope explain --yes\` reads inside). Times
                            are epoch ms, sizes bytes; fds is -1 when unreadable.
  --fail-on leak            Exit 7 as soon as the verdict is a likely leak (steady or stepwise,
                            confidence at least 0.8), for CI.
${FILES_HELP}
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

interface WatchOptions extends SessionCliOptions {
  pid: number;
  resolve: boolean;
  json: boolean;
  failOnLeak: boolean;
  /** Between decomposition lines under the table; 0 for none. */
  explainEveryMs: number;
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
        ...SESSION_ARG_OPTIONS,
        pid: { type: 'string' },
        'no-resolve': { type: 'boolean' },
        json: { type: 'boolean' },
        'fail-on': { type: 'string' },
        'explain-every': { type: 'string' },
      },
    }));
  } catch (error) {
    throw usageError(error);
  }
  if (values.pid === undefined) throw new CliError('--pid is required (see --help)');
  return {
    ...readSessionOptions(values),
    pid: parsePid(values.pid),
    resolve: !values['no-resolve'],
    json: values.json ?? false,
    failOnLeak: parseOption('--fail-on', values['fail-on'] ?? '', parseFailOn),
    explainEveryMs: parseOption('--explain-every', values['explain-every'] ?? '30s', parseDuration),
  };
}

function parseFailOn(text: string): boolean {
  if (text === '') return false;
  if (text !== 'leak') throw new RangeError(`the only condition is 'leak', got '${text}'`);
  return true;
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
      for (const note of missingReadings(sample, options.detailIntervalMs)) io.err(`leakscope watch: note: pid ${monitor.pid}: ${note}`);
    });
    monitor.onSample((sample) => {
      try {
        output.sample(sample, session.verdict, decompositionNow(session));
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        finish({ code: error.exitCode, message: `${error.message}. ${summaryLine(monitor.summary(), session.verdict)}` });
      }
    });
    monitor.onExit((summary) => finish(exitEnding(summary, session.verdict)));
    monitor.onExec((info) => io.err(`leakscope watch: pid ${info.pid} exec'd a new program: ${describeTarget(info)}. Still watching it.`));
    session.onLimit((notice) => onLimit(session, notice, io, finish));
    if (options.failOnLeak) session.onLeakSuspected((verdict) => finish(leakEnding(session, verdict)));
    if (options.explainEveryMs > 0) printDecomposition(session, output, options.explainEveryMs);

    if (io.signal.aborted) return onAbort();
    io.err(`leakscope watch: watching pid ${monitor.pid} (${describeTarget(monitor.target)}) every ${formatDuration(options.intervalMs)}; Ctrl+C to stop.`);
    output.header();
    session.start().catch(() => undefined); // a failed attach arrives through onExit
  });
}

/** What RSS is made of now and why it grows, once the decomposition has been read. */
function decompositionNow(session: WatchSession): DecompositionNow | undefined {
  const d = session.decomposition;
  const i = d.t.length - 1;
  if (i < 0) return undefined;
  return { pid: session.monitor.pid, parts: { anon: d.anon[i], file: d.file[i], shmem: d.shmem[i], swap: d.swap[i] }, diagnosis: session.growthDiagnosis() };
}

/** A decomposition line every `everyMs` (on the reading that completes the period) and when the verdict's class changes. */
function printDecomposition(session: WatchSession, output: WatchOutputs, everyMs: number): void {
  let lastMs = -Infinity;
  let lastClass = session.verdict.class;
  const print = (atMs: number): void => {
    const now = decompositionNow(session);
    if (!now) return;
    lastMs = atMs;
    output.decomposition(now, session.verdict);
  };
  session.onDecomposition((reading) => {
    // The first reading comes with the first sample: the first line waits one period, under rows.
    if (lastMs === -Infinity) lastMs = reading.tMs;
    else if (reading.tMs - lastMs >= everyMs) print(reading.tMs);
  });
  session.onVerdict((verdict) => {
    if (verdict.class === lastClass) return;
    lastClass = verdict.class;
    print(session.monitor.now());
  });
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
