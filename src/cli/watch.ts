// `leakscope watch`: the monitor of the extension in a terminal. A live table (or JSON lines),
// CSV written as it goes, a JSON trace at the end, and exit codes a script can act on.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { PermissionDeniedError, ProcessGoneError } from '../core/discovery/errors';
import { readProcessInfo, resolveInterpreter, shortCommand } from '../core/discovery/processes';
import { isWrapper } from '../core/discovery/runtime';
import { LimitKind, MonitorLimitWatcher } from '../core/limits';
import { MemorySample, ProcessInfo } from '../core/model';
import { ExitSummary, ProcessMonitor } from '../core/monitor';
import { csvHeader, sampleToCsvRow, sampleToJsonLine, traceToJson } from '../core/trace/format';
import { formatBytes, formatDuration, formatSignedBytes, parseBytes, parseDuration } from '../core/units';

export const EXIT = {
  stopped: 0,
  error: 1,
  usage: 2,
  memoryLimit: 3,
  processGone: 4,
  durationLimit: 5,
  permissionDenied: 6,
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
                            child_count, cpu_percent, and uss_bytes/pss_bytes when read.
                            Times are epoch ms, sizes bytes; fds is -1 when unreadable.
  --csv FILE                Write samples to FILE as CSV while watching, with the header
                            ${csvHeader()}
  --trace-json FILE         Write the whole trace (samples and events, Leakscope's JSON trace
                            format, which the extension opens) to FILE when watching ends.
  -h, --help                This help.

Messages (warnings, the reason for stopping, a summary) go to stderr.
Ctrl+C stops watching cleanly and writes the trace files.

Exit codes:
  0  stopped with Ctrl+C
  1  unexpected error
  2  bad arguments
  3  the memory limit (--limit) was reached
  4  the process is gone: it exited, never existed, or its pid now belongs to another process
  5  the time limit (--duration) was reached
  6  permission denied: the process belongs to another user`;

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
      },
    }));
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (values.pid === undefined) throw new CliError('--pid is required (see --help)');
  return {
    pid: parsePid(values.pid),
    resolve: !values['no-resolve'],
    intervalMs: parseOption('--interval', values.interval ?? '1s', parseDuration),
    limitBytes: values.limit === undefined ? 0 : parseOption('--limit', values.limit, parseBytes),
    durationMs: values.duration === undefined ? 0 : parseOption('--duration', values.duration, parseDuration),
    warnFraction: parseOption('--warn-at', values['warn-at'] ?? '0.8', parseFraction),
    detailIntervalMs: values['detail-interval'] === undefined ? 0 : parseOption('--detail-interval', values['detail-interval'], parseDuration),
    json: values.json ?? false,
    csvPath: values.csv,
    traceJsonPath: values['trace-json'],
  };
}

function parsePid(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new CliError(`--pid: not a process id: ${text}`);
  return Number(text);
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
  if (options.intervalMs < 10) throw new CliError('--interval must be at least 10ms');
  const target = await findTarget(options, io);
  const output = openOutputs(options);
  const monitor = new ProcessMonitor(target, {
    intervalMs: options.intervalMs,
    detailIntervalMs: options.detailIntervalMs,
    keepAlive: true,
  });
  try {
    const ending = await runMonitor(monitor, options, io, output);
    io.err(`leakscope watch: ${ending.message}`);
    return ending.code;
  } finally {
    monitor.dispose();
    output.close(monitor, target);
  }
}

/** The process to watch, following a wrapper to its interpreter unless --no-resolve. */
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
  const interpreter = await resolveInterpreter(options.pid).catch(() => undefined);
  if (!interpreter || interpreter.pid === info.pid) return info;
  io.err(`leakscope watch: pid ${info.pid} (${shortCommand(info)}) is a wrapper; watching the ${interpreter.interpreter} it started, pid ${interpreter.pid}.`);
  return interpreter;
}

function runMonitor(monitor: ProcessMonitor, options: WatchOptions, io: CliIo, output: Outputs): Promise<Ending> {
  return new Promise<Ending>((resolve) => {
    const finish = (ending: Ending) => {
      io.signal.removeEventListener('abort', onAbort);
      limits.dispose();
      resolve(ending);
    };
    const onAbort = () => finish({ code: EXIT.stopped, message: `stopped. ${summaryLine(monitor.summary())}` });
    io.signal.addEventListener('abort', onAbort, { once: true });

    monitor.onSample((sample) => output.sample(sample, io));
    monitor.onExit((summary) => finish(exitEnding(summary)));
    const limits = new MonitorLimitWatcher(monitor, { memoryBytes: options.limitBytes, durationMs: options.durationMs, warnFraction: options.warnFraction });
    limits.onWarning((notice) => io.err(`leakscope watch: warning: pid ${monitor.pid}: ${notice.message}`));
    limits.onReached((notice) => finish(limitEnding(monitor, notice.kind, notice.message)));

    if (io.signal.aborted) return onAbort();
    io.err(`leakscope watch: watching pid ${monitor.pid} (${describeTarget(monitor.target)}) every ${formatDuration(options.intervalMs)}; Ctrl+C to stop.`);
    if (!options.json) io.out(tableHeader());
    monitor.start().catch(() => undefined); // a failed attach arrives through onExit
  });
}

function exitEnding(summary: ExitSummary): Ending {
  const codes = { exited: EXIT.processGone, 'pid-reused': EXIT.processGone, 'permission-denied': EXIT.permissionDenied, error: EXIT.error };
  const details = summary.samples > 0 ? ` ${summaryLine(summary)}` : '';
  return { code: codes[summary.reason], message: `${summary.message}${details}` };
}

function limitEnding(monitor: ProcessMonitor, kind: LimitKind, message: string): Ending {
  const code = kind === 'memory' ? EXIT.memoryLimit : EXIT.durationLimit;
  return { code, message: `pid ${monitor.pid}: ${message}. The process was left running. ${summaryLine(monitor.summary())}` };
}

function summaryLine(s: ExitSummary): string {
  return `Watched ${formatDuration(s.durationMs)}, ${s.samples} samples: RSS ${formatBytes(s.startRssBytes)} → ${formatBytes(s.endRssBytes)}, peak ${formatBytes(s.peakRssBytes)}.`;
}

function describeTarget(info: ProcessInfo): string {
  const command = shortCommand(info);
  return info.interpreter ? `${info.interpreter}: ${command}` : command;
}

// ---- output: the table or JSON lines on stdout, CSV as it goes, the JSON trace at the end ----

interface Outputs {
  sample(sample: MemorySample, io: CliIo): void;
  close(monitor: ProcessMonitor, target: ProcessInfo): void;
}

function openOutputs(options: WatchOptions): Outputs {
  const csvFd = options.csvPath === undefined ? undefined : openForWriting(options.csvPath, '--csv');
  if (csvFd !== undefined) writeSync(csvFd, csvHeader() + '\n');
  if (options.traceJsonPath !== undefined) closeSync(openForWriting(options.traceJsonPath, '--trace-json')); // fail early
  return {
    sample(sample, io) {
      io.out(options.json ? sampleToJsonLine(sample) : tableRow(sample));
      if (csvFd !== undefined) writeSync(csvFd, sampleToCsvRow(sample) + '\n');
    },
    close(monitor, target) {
      if (csvFd !== undefined) closeSync(csvFd);
      if (options.traceJsonPath !== undefined) {
        const trace = { pid: target.pid, command: target.argv.join(' '), samples: monitor.history.toSamples(), events: [...monitor.events] };
        writeFileSync(options.traceJsonPath, traceToJson(trace) + '\n');
      }
    },
  };
}

function openForWriting(path: string, option: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw new CliError(`${option}: cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const COLUMNS: [string, number][] = [['TIME', 8], ['RSS', 10], ['DELTA', 11], ['THREADS', 7], ['FDS', 5], ['CHILDREN', 16], ['CPU', 6]];

function tableHeader(): string {
  return formatRow(COLUMNS.map(([name]) => name));
}

function tableRow(s: MemorySample): string {
  const time = new Date(s.tMs).toTimeString().slice(0, 8);
  const children = s.childCount > 0 ? `${s.childCount} · ${formatBytes(s.childrenRssBytes)}` : '–';
  return formatRow([
    time,
    formatBytes(s.rssBytes),
    formatSignedBytes(s.deltaBytes),
    s.threads < 0 ? '–' : String(s.threads),
    s.fds < 0 ? '–' : String(s.fds),
    children,
    `${Math.round(s.cpuPercent)}%`,
  ]);
}

function formatRow(cells: string[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(COLUMNS[i][1]) : cell.padStart(COLUMNS[i][1]))).join('  ');
}
