// `leakscope watch`: the monitor of the extension in a terminal. A live table (or JSON lines),
// CSV written as it goes, a JSON trace at the end, and exit codes a script can act on.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { parsePid } from './args';
import { errnoCode } from '../core/discovery/errors';
import { isLoopbackHost, ListenAddress, OpenMetricsServer, parseListenAddress, startOpenMetricsServer, WatchedSessionMetrics } from '../core/openmetrics';
import { PermissionDeniedError, ProcessGoneError } from '../core/discovery/errors';
import { basename } from 'node:path';
import { readProcessInfo, resolveInterpreterChain, shortCommand } from '../core/discovery/processes';
import { isLaunchWrapper, isWrapper } from '../core/discovery/runtime';
import { GrowthVerdict, ProcessInfo } from '../core/model';
import { ExitSummary } from '../core/monitor';
import { MachineLimitFacts } from '../core/memory/machineLimitFacts';
import { SessionLimitNotice, WatchSession } from '../core/session';
import { formatDuration, parseDuration } from '../core/units';
import { DecompositionNow, WatchOutputs } from './watchOutput';
import { FAMILY_HELP, familyConflict, watchFamily } from './watchFamily';
import {
  closeOutputs, describeTarget, DETAIL_HELP, Ending, EXIT, FILES_HELP, missingReadings, parseOption, readSessionOptions, SAMPLING_HELP,
  sayMemoryLimit, SESSION_ARG_OPTIONS, SessionCliOptions, sessionOptions, summaryLine, traceOf, usageError, WARN_AT_HELP, WARM_UP_HELP,
} from './watchCommon';

export { EXIT } from './watchCommon';

const HELP = `Usage: leakscope watch --pid N [--pid N…] [options]

Watches the memory of a running process, one line per sample: time, RSS, change since the
previous sample, threads, open file descriptors, children (count and summed RSS of the whole
child-process tree, walked every 5 s) and CPU. Sizes are binary (1 GB = 1024³ bytes), like ps.
It never signals the process, not even at a limit.

Options:
  --pid N                   Process to watch (required). A wrapper — a shell, \`npm run\`, a pyenv
                            shim, \`poetry run\` — is followed down to the Python or Node
                            interpreter it started. Repeat it to watch several processes: each
                            line then starts with its PID (a "pid" field in --json), each process
                            is classified on its own, and watching goes on until the last has
                            exited; --csv and --trace-json take one process only.
  --no-resolve              Watch N itself even if it is a wrapper.
${FAMILY_HELP}
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
                            the panel's alert rule), for CI.
${FILES_HELP}
  --openmetrics HOST:PORT   Also serve http://HOST:PORT/metrics in the OpenMetrics text format, for
                            a Prometheus to scrape: per watched process (labels pid, command,
                            runtime) RSS, USS and PSS when read, threads, fds, children's RSS,
                            and the verdict's slope, confidence and class (a stateset). Names
                            start with leakscope_, e.g. leakscope_process_resident_memory_bytes.
                            Port 0 picks a free port; the address is said on stderr. Only a
                            loopback HOST (127.0.0.1, ::1, localhost) unless --openmetrics-public.
  --openmetrics-public      Allow --openmetrics on another interface (e.g. 0.0.0.0): anyone who
                            can reach it then sees the processes' commands and memory.
  -h, --help                This help.

The table's last column and the stop summary give the growth verdict (flat, plateau, spiky,
steady-leak, stepwise-leak) with its confidence and slope, once there is one.
Messages (warnings, the reason for stopping, a summary) go to stderr.
Ctrl+C, SIGTERM, SIGHUP and a closed stdout stop watching cleanly and write the trace files.

Exit codes:
  0  stopped with Ctrl+C, SIGTERM or SIGHUP, or stdout was closed
  1  unexpected error
  2  bad arguments (or the --openmetrics address cannot be listened on)
  3  the memory limit (--limit) was reached
  4  the process is gone (with several, the last of them): it exited, never existed, or its pid
     now belongs to another process
  5  the time limit (--duration) was reached
  6  permission denied: the process belongs to another user
  7  a leak verdict was reached (--fail-on leak)`;

interface WatchOptions extends SessionCliOptions {
  pids: number[];
  resolve: boolean;
  json: boolean;
  failOnLeak: boolean;
  openMetrics: ListenAddress | undefined;
  family: boolean;
  /** Between decomposition lines under the table; 0 for none. */
  explainEveryMs: number;
}

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: 'watch processes: RSS, threads, fds, children; limits; CSV/JSON traces; OpenMetrics',
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
        pid: { type: 'string', multiple: true },
        'no-resolve': { type: 'boolean' },
        json: { type: 'boolean' },
        'fail-on': { type: 'string' },
        openmetrics: { type: 'string' },
        'openmetrics-public': { type: 'boolean' },
        family: { type: 'boolean' },
        'explain-every': { type: 'string' },
      },
    }));
  } catch (error) {
    throw usageError(error);
  }
  if (values.pid === undefined) throw new CliError('--pid is required (see --help)');
  const pids = [...new Set(values.pid.map((text) => parsePid(text)))];
  const session = readSessionOptions(values);
  if (pids.length > 1 && (session.csvPath !== undefined || session.traceJsonPath !== undefined)) {
    throw new CliError('--csv and --trace-json record one process: give one --pid (or run one watch per process)');
  }
  if (values.family) {
    const conflict = familyConflict(values) ?? (pids.length > 1 ? '--family takes one --pid (the family\'s root)' : undefined) ?? (values.openmetrics !== undefined ? '--family does not take --openmetrics yet' : undefined);
    if (conflict !== undefined) throw new CliError(conflict);
  }
  return {
    ...session,
    pids,
    resolve: !values['no-resolve'],
    json: values.json ?? false,
    failOnLeak: parseOption('--fail-on', values['fail-on'] ?? '', parseFailOn),
    openMetrics: values.openmetrics === undefined ? undefined : openMetricsAddress(values.openmetrics, values['openmetrics-public'] ?? false),
    family: values.family ?? false,
    explainEveryMs: parseOption('--explain-every', values['explain-every'] ?? '30s', parseDuration),
  };
}

function parseFailOn(text: string): boolean {
  if (text === '') return false;
  if (text !== 'leak') throw new RangeError(`the only condition is 'leak', got '${text}'`);
  return true;
}

function openMetricsAddress(text: string, allowPublic: boolean): ListenAddress {
  const address = parseOption('--openmetrics', text, parseListenAddress);
  if (!allowPublic && !isLoopbackHost(address.host)) {
    throw new CliError(`--openmetrics: ${address.host} is not a loopback address; the metrics name your processes' commands, so serving them beyond this machine takes --openmetrics-public`);
  }
  return address;
}

async function watch(options: WatchOptions, io: CliIo): Promise<number> {
  if (options.family) return watchFamily(await findTarget(options.pids[0], options.resolve, io), options, io);
  const targets = await findTargets(options, io);
  // One read of the machine's memory and cgroup chains serves every watched process's limit.
  const machineLimitFacts = new MachineLimitFacts();
  const sessions = targets.map((target) => new WatchSession(target, { ...sessionOptions(options), machineLimitFacts }));
  const output = new WatchOutputs({ ...options, withPid: sessions.length > 1 }, io, () => traceOf(sessions[0]));
  const metrics = new WatchedSessionMetrics();
  for (const session of sessions) metrics.add(session);
  let server: OpenMetricsServer | undefined;
  let ending: Ending;
  try {
    if (options.openMetrics) server = await serveOpenMetrics(options.openMetrics, metrics, io);
    ending = await runSessions(sessions, options, io, output);
  } finally {
    await server?.close();
    metrics.dispose();
    for (const session of sessions) session.dispose();
  }
  ending = closeOutputs(output, ending);
  io.err(`leakscope watch: ${ending.message}`);
  return ending.code;
}

async function serveOpenMetrics(address: ListenAddress, metrics: WatchedSessionMetrics, io: CliIo): Promise<OpenMetricsServer> {
  try {
    const server = await startOpenMetricsServer(address, () => metrics.families());
    const scope = isLoopbackHost(address.host) ? 'this machine only' : 'reachable from other machines (--openmetrics-public)';
    io.err(`leakscope watch: serving OpenMetrics on ${server.url} (${scope}).`);
    return server;
  } catch (error) {
    throw new CliError(`--openmetrics: cannot listen on ${address.host}:${address.port}: ${describeListenError(error)}`);
  }
}

function describeListenError(error: unknown): string {
  const code = errnoCode(error);
  if (code === 'EADDRINUSE') return 'the port is in use';
  if (code === 'EADDRNOTAVAIL') return 'no interface of this machine has that address';
  if (code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
  if (code === 'ENOTFOUND') return 'no such host';
  return error instanceof Error ? error.message : String(error);
}

/** Each --pid's process, a wrapper followed to its interpreter; two pids that lead to one process watch it once. */
async function findTargets(options: WatchOptions, io: CliIo): Promise<ProcessInfo[]> {
  const targets: ProcessInfo[] = [];
  for (const pid of options.pids) {
    const target = await findTarget(pid, options.resolve, io);
    if (!targets.some((t) => t.pid === target.pid)) targets.push(target);
  }
  return targets;
}

/** The process to watch, following a wrapper to its interpreter unless --no-resolve; says why. */
async function findTarget(pid: number, resolve: boolean, io: CliIo): Promise<ProcessInfo> {
  let info: ProcessInfo;
  try {
    info = await readProcessInfo(pid);
  } catch (error) {
    if (error instanceof ProcessGoneError) throw new CliError(error.message, EXIT.processGone);
    if (error instanceof PermissionDeniedError) throw new CliError(error.message, EXIT.permissionDenied);
    throw error;
  }
  if (!resolve || info.argv.length === 0 || !isWrapper(info.runtime, info.argv)) return info;
  const what = `pid ${info.pid} (${shortCommand(info)})`;
  if (!isLaunchWrapper(info)) {
    io.err(`leakscope watch: ${what} is neither a Python or Node interpreter nor a wrapper that starts one (a shell, npm, a pyenv shim): watching it as it is.`);
    return info;
  }
  const resolved = await resolveInterpreterChain(pid).catch(() => undefined);
  if (!resolved || resolved.target.pid === info.pid) {
    io.err(`leakscope watch: ${what} is a wrapper, but no Python or Node interpreter of its user runs under it: watching it as it is.`);
    return info;
  }
  const { target, chain } = resolved;
  const path = chain.map((p) => `${basename(p.argv[0] ?? p.name)} (${p.pid})`).join(' → ');
  io.err(`leakscope watch: ${what} is a wrapper; watching the ${target.interpreter} it started, pid ${target.pid}. Through ${path}, all of user ${info.user}; --no-resolve watches the wrapper itself.`);
  return target;
}

/**
 * Watches every session until a finding ends the watch (a limit, a leak with --fail-on leak), a
 * stop signal, or the last process is gone; a process that exits while others run is said and
 * dropped. With one process every line reads as it always has.
 */
function runSessions(sessions: readonly WatchSession[], options: WatchOptions, io: CliIo, output: WatchOutputs): Promise<Ending> {
  return new Promise<Ending>((resolve) => {
    const running = new Set(sessions);
    const finish = (ending: Ending) => {
      io.signal.removeEventListener('abort', onAbort);
      resolve(ending);
    };
    const onAbort = () => finish({ code: EXIT.stopped, message: `${stoppedBy(io.signal)}${summaries(sessions)}` });
    io.signal.addEventListener('abort', onAbort, { once: true });
    const onExit = (session: WatchSession, summary: ExitSummary) => {
      running.delete(session);
      const ending = exitEnding(summary, session.verdict);
      if (running.size === 0) return finish(sessions.length > 1 ? { ...ending, message: `${ending.message} It was the last of the ${sessions.length} watched processes.` } : ending);
      io.err(`leakscope watch: ${ending.message} Still watching ${running.size} other process${running.size === 1 ? '' : 'es'}.`);
    };
    for (const session of sessions) listen(session, options, io, output, finish, (summary) => onExit(session, summary));

    if (io.signal.aborted) return onAbort();
    for (const session of sessions) {
      io.err(`leakscope watch: watching pid ${session.monitor.pid} (${describeTarget(session.monitor.target)}) every ${formatDuration(options.intervalMs)}; Ctrl+C to stop.`);
      sayMemoryLimit('watch', session, io);
    }
    output.header();
    for (const session of sessions) session.start().catch(() => undefined); // a failed attach arrives through onExit
  });
}

function listen(session: WatchSession, options: WatchOptions, io: CliIo, output: WatchOutputs, finish: (ending: Ending) => void, onExit: (summary: ExitSummary) => void): void {
  const monitor = session.monitor;
  const firstSample = monitor.onSample((sample) => {
    firstSample.dispose();
    for (const note of missingReadings(sample, options.detailIntervalMs)) io.err(`leakscope watch: note: pid ${monitor.pid}: ${note}`);
  });
  monitor.onSample((sample) => {
    try {
      output.sample(sample, session.verdict, monitor.pid, decompositionNow(session));
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      finish({ code: error.exitCode, message: `${error.message}. ${summaryLine(monitor.summary(), session.verdict)}` });
    }
  });
  monitor.onExit(onExit);
  monitor.onExec((info) => io.err(`leakscope watch: pid ${info.pid} exec'd a new program: ${describeTarget(info)}. Still watching it.`));
  session.onLimit((notice) => onLimit(session, notice, io, finish));
  if (options.failOnLeak) session.onLeakSuspected((verdict) => finish(leakEnding(session, verdict)));
  if (options.explainEveryMs > 0) printDecomposition(session, output, options.explainEveryMs);
}

/** The stop summary, to follow "stopped.": one process's on the same line, as it always was; several, a line each. */
function summaries(sessions: readonly WatchSession[]): string {
  if (sessions.length === 1) return ` ${summaryLine(sessions[0].monitor.summary(), sessions[0].verdict)}`;
  return sessions.map((s) => `\n  pid ${s.monitor.pid}: ${summaryLine(s.monitor.summary(), s.verdict)}`).join('');
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
