// What `leakscope watch` and `leakscope run` share: the options that configure a WatchSession and
// its files, their help lines, the exit codes of the watch's findings, and the stop summary.
import { CliError, CliIo } from './io';
import { checkSamplingInterval } from './args';
import { errorMessage } from '../core/errorMessage';
import { WatchOutputs } from './watchOutput';
import { GrowthVerdict, MemorySample, ProcessInfo, Trace } from '../core/model';
import { ExitSummary } from '../core/monitor';
import { ApplicableLimit } from '../core/memory/applicableLimit';
import { WatchSession, WatchSessionOptions } from '../core/session';
import { csvHeader } from '../core/trace/format';
import { shortCommand } from '../core/discovery/processes';
import { formatBytes, formatDuration, parseBytes, parseDuration } from '../core/units';
import { verdictTitle } from '../core/report/runResult';

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

/** The parseArgs table of the options both commands take. */
export const SESSION_ARG_OPTIONS = {
  interval: { type: 'string' },
  limit: { type: 'string' },
  duration: { type: 'string' },
  'warn-at': { type: 'string' },
  'detail-interval': { type: 'string' },
  warmup: { type: 'string' },
  csv: { type: 'string' },
  'trace-json': { type: 'string' },
} as const;

/** Help lines of the options whose meaning is the same in both commands. */
export const SAMPLING_HELP = `  --interval DURATION       Time between samples (default 1s), e.g. 500ms, 2s, 1m.`;
export const WARN_AT_HELP = `  --warn-at FRACTION        Fraction of a limit at which to warn (default 0.8).`;
export const DETAIL_HELP = `  --detail-interval DURATION
                            Also read USS and PSS (smaps_rollup, costly on big processes) this
                            often, e.g. 30s (default: never).`;
/** Each command adds the line with its own default. */
export const WARM_UP_HELP = `  --warmup DURATION         Until the process has run this long, growth a start-up could
                            explain is no leak yet: only a leak far above the trace's own
                            oscillation, with no bend towards slower growth, is called.`;
export const FILES_HELP = `  --csv FILE                Write samples to FILE as CSV while watching, with the header
                            ${csvHeader()}
  --trace-json FILE         Write the whole trace (samples and events, Leakscope's JSON trace
                            format, which the extension opens) to FILE: every 10 s and when
                            watching ends, each time to a temporary file renamed over FILE, so
                            an older FILE is replaced only by a complete trace.`;

export interface SessionArgValues {
  interval?: string;
  limit?: string;
  duration?: string;
  'warn-at'?: string;
  'detail-interval'?: string;
  warmup?: string;
  csv?: string;
  'trace-json'?: string;
}

/** What both commands read from their options: the session's settings and its files. */
export interface SessionCliOptions {
  intervalMs: number;
  limitBytes: number;
  durationMs: number;
  warnFraction: number;
  detailIntervalMs: number;
  /** Undefined: the session's default. */
  warmUpMs: number | undefined;
  csvPath?: string;
  traceJsonPath?: string;
}

export function readSessionOptions(values: SessionArgValues): SessionCliOptions {
  return {
    intervalMs: checkSamplingInterval('--interval', parseOption('--interval', values.interval ?? '1s', parseDuration)),
    limitBytes: values.limit === undefined ? 0 : parseOption('--limit', values.limit, positive(parseBytes, 'a memory limit')),
    durationMs: values.duration === undefined ? 0 : parseOption('--duration', values.duration, positive(parseDuration, 'a time limit')),
    warnFraction: parseOption('--warn-at', values['warn-at'] ?? '0.8', parseFraction),
    detailIntervalMs: values['detail-interval'] === undefined ? 0 : parseOption('--detail-interval', values['detail-interval'], parseDuration),
    warmUpMs: values.warmup === undefined ? undefined : parseOption('--warmup', values.warmup, parseDuration),
    csvPath: values.csv,
    traceJsonPath: values['trace-json'],
  };
}

export function sessionOptions(options: SessionCliOptions): WatchSessionOptions {
  return {
    intervalMs: options.intervalMs,
    detailIntervalMs: options.detailIntervalMs,
    maxSamples: 86_400,
    memoryLimitBytes: options.limitBytes || undefined,
    durationLimitMs: options.durationMs || undefined,
    warnAtFraction: options.warnFraction,
    keepAlive: true, // the CLI lives as long as it watches
    warmUpMs: options.warmUpMs,
  };
}

/** 0 would silently mean "no limit": leaving the option out says that. */
export function positive(parse: (text: string) => number, what: string): (text: string) => number {
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

export function parseOption<T>(name: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    throw new CliError(`${name}: ${errorMessage(error)}`);
  }
}

/** parseArgs' own messages ("Unknown option '--x'") as a usage error. */
export function usageError(error: unknown): CliError {
  return new CliError(`${errorMessage(error)} (see --help)`);
}

/** How a watch ended: the exit code and the line that says why. */
export interface Ending {
  code: number;
  message: string;
}

/** The final trace write can fail too (a full disk): that failure, then, is the ending. */
export function closeOutputs(output: WatchOutputs, ending: Ending): Ending {
  try {
    output.close();
    return ending;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: EXIT.error, message: `${error.message}. ${ending.message}` };
  }
}

export function traceOf(session: WatchSession): Trace {
  const target = session.monitor.target;
  return { pid: target.pid, command: target.argv.join(' '), samples: session.monitor.history.toSamples(), events: [...session.monitor.events] };
}

/** Readings another user's process withholds: said once, so a – or a missing USS is not a mystery. */
export function missingReadings(sample: MemorySample, detailIntervalMs: number): string[] {
  const notes: string[] = [];
  const fix = 'run Leakscope as the same user as the process (or as root) to read it';
  if (sample.fds < 0) notes.push(`its open file descriptors cannot be read (permission denied): FDS shows – (-1 in JSON); ${fix}.`);
  if (detailIntervalMs > 0 && sample.ussBytes === undefined) notes.push(`its USS and PSS (smaps_rollup) cannot be read (permission denied), so --detail-interval adds nothing; ${fix}.`);
  return notes;
}

/** The stop summary: what was watched, then the verdict. */
export function summaryLine(s: ExitSummary, verdict: GrowthVerdict): string {
  const watched = `Watched ${formatDuration(s.durationMs)}, ${s.samples} samples: RSS ${formatBytes(s.startRssBytes)} → ${formatBytes(s.endRssBytes)}, peak ${formatBytes(s.peakRssBytes)}.`;
  return `${watched} ${verdictSentence(verdict)}`;
}

export function verdictSentence(verdict: GrowthVerdict): string {
  if (verdict.class === 'unknown') return `Verdict: none yet. ${verdict.explanation}`;
  return `Verdict: ${verdictTitle(verdict)}. ${verdict.explanation}`;
}

/**
 * The memory limit the session's watcher found, the one its warnings name, in the words of
 * `leakscope watch` and `leakscope run` alike: said at the start, and again when another limit
 * becomes the nearest or the limit itself is set anew (not when only the room left moves, as the
 * machine's available memory does between lookups). The session owns the limit; nothing here
 * looks it up.
 */
export function sayMemoryLimit(command: 'watch' | 'run', session: WatchSession, io: CliIo, family?: FamilyLimitsSaid): void {
  let said: ApplicableLimit | undefined;
  const say = (limit: ApplicableLimit | undefined): void => {
    if (!limit || (said && sameLimit(said, limit))) return;
    const first = !said;
    said = limit;
    if (first && family?.alreadySaid(limit)) return;
    io.err(`leakscope ${command}: pid ${session.monitor.pid}: ${first ? 'nearest memory limit:' : 'the nearest memory limit is now'} ${limit.description}.`);
  };
  say(session.applicableLimit);
  session.onApplicableLimit(say);
}

function sameLimit(a: ApplicableLimit, b: ApplicableLimit): boolean {
  return a.source === b.source && a.limitBytes === b.limitBytes;
}

/**
 * The limits a family's members have been told of: a member that joins under a limit already
 * named (workers under their master's cgroup, each replacement of a recycled worker) adds no line.
 */
export class FamilyLimitsSaid {
  private readonly said: ApplicableLimit[] = [];

  /** Whether `limit` was named before; remembers it if not. */
  alreadySaid(limit: ApplicableLimit): boolean {
    if (this.said.some((known) => sameLimit(known, limit))) return true;
    this.said.push(limit);
    return false;
  }
}

export function describeTarget(info: ProcessInfo): string {
  const command = shortCommand(info);
  return info.interpreter ? `${info.interpreter}: ${command}` : command;
}
