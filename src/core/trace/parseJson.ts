// Leakscope JSON (one columnar document, as the panel exports) and JSON lines (one object per
// sample, as `leakscope watch --json` prints). JSON has no line numbers of its own: syntax
// errors are placed by their offset, schema errors at the line of the offending key.
import { MemorySample, MonitorEvent, MonitorEventKind, Trace } from '../model';
import { OPTIONAL_COLUMNS } from './columns';
import { TRACE_JSON_FORMAT, TRACE_JSON_VERSION } from './format';
import { MAX_TRACE_SAMPLES, TraceParseError, checkTime, excerpt, lineAt } from './parseError';
import { OptionalReadings, finishSamples, makeSample } from './samples';
import { errorMessage } from '../errorMessage';

const EVENT_KINDS: ReadonlySet<string> = new Set<MonitorEventKind>([
  'attach', 'limit-warning', 'limit-reached', 'fix-applied', 'gc', 'malloc-trim', 'probe', 'exec', 'exit', 'note',
]);

type JsonObject = Record<string, unknown>;

/**
 * A value for a message. Never JSON.stringify or String() a container: a deeply nested one
 * overflows the stack, and the message must name the line instead.
 */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return excerpt(JSON.stringify(value) ?? String(value));
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonText(text: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = errorMessage(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : lineAt(text, text.length);
    throw new TraceParseError(line + lineOffset, `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/** Is this first line a JSON-lines sample (rather than the start of a document)? */
export function looksLikeJsonLine(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) && 't_ms' in value && !('format' in value);
  } catch {
    return false;
  }
}

export function parseJsonDocument(text: string): Trace {
  const doc = parseJsonText(text);
  const where = (key: string): number => {
    const at = text.indexOf(`"${key}"`);
    return at === -1 ? 1 : lineAt(text, at);
  };
  if (!isObject(doc)) throw new TraceParseError(1, 'the JSON is not an object: expected a Leakscope trace ({"format":"leakscope-trace",…})');
  if (doc.format !== TRACE_JSON_FORMAT) {
    throw new TraceParseError(where('format'), `not a Leakscope trace: format is ${shown(doc.format)}, expected "${TRACE_JSON_FORMAT}"`);
  }
  if (typeof doc.version !== 'number' || doc.version > TRACE_JSON_VERSION) {
    throw new TraceParseError(where('version'), `unsupported trace version ${shown(doc.version)}; this Leakscope reads version ${TRACE_JSON_VERSION}`);
  }
  if (!isObject(doc.samples)) throw new TraceParseError(where('samples'), 'samples is not an object of columns');
  const samples = readColumns(doc.samples, where);
  const trace: Trace = { samples, events: readEvents(doc.events, where) };
  if (typeof doc.pid === 'number') trace.pid = doc.pid;
  if (typeof doc.command === 'string') trace.command = doc.command;
  return trace;
}

function readColumns(columns: JsonObject, where: (key: string) => number): MemorySample[] {
  const tMs = numberColumn(columns, 't_ms', where, true);
  const rss = numberColumn(columns, 'rss_bytes', where, true);
  if (tMs.length !== rss.length) {
    throw new TraceParseError(where('rss_bytes'), `samples.rss_bytes has ${rss.length} values but samples.t_ms has ${tMs.length}`);
  }
  if (tMs.length === 0) throw new TraceParseError(where('t_ms'), 'the trace has no samples');
  if (tMs.length > MAX_TRACE_SAMPLES) throw new TraceParseError(where('t_ms'), `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
  const optional = Object.entries(OPTIONAL_COLUMNS).flatMap(([name, key]) => {
    if (!(name in columns)) return [];
    const values = numberColumn(columns, name, where, false);
    if (values.length !== tMs.length) {
      throw new TraceParseError(where(name), `samples.${name} has ${values.length} values but samples.t_ms has ${tMs.length}`);
    }
    return [{ key, values }];
  });
  return finishSamples(tMs.map((t, i) => {
    const rssBytes = rss[i];
    if (t === null) throw new TraceParseError(where('t_ms'), `samples.t_ms[${i}] is null`);
    checkTime(t, where('t_ms'), `samples.t_ms[${i}]`);
    if (rssBytes === null) throw new TraceParseError(where('rss_bytes'), `samples.rss_bytes[${i}] is null`);
    if (rssBytes < 0) throw new TraceParseError(where('rss_bytes'), `samples.rss_bytes[${i}] is negative: ${rssBytes}`);
    const readings: OptionalReadings = {};
    for (const column of optional) {
      const value = column.values[i];
      if (value !== null) readings[column.key] = value;
    }
    return makeSample(t, rssBytes, readings);
  }));
}

function numberColumn(columns: JsonObject, name: string, where: (key: string) => number, required: boolean): (number | null)[] {
  const values = columns[name];
  if (values === undefined && required) throw new TraceParseError(where('samples'), `samples has no ${name} column`);
  if (!Array.isArray(values)) throw new TraceParseError(where(name), `samples.${name} is not an array`);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    const ok = (typeof v === 'number' && Number.isFinite(v)) || v === null;
    if (!ok) throw new TraceParseError(where(name), `samples.${name}[${i}] is not a number: ${shown(v)}`);
  }
  return values as (number | null)[];
}

function readEvents(events: unknown, where: (key: string) => number): MonitorEvent[] {
  if (events === undefined) return [];
  if (!Array.isArray(events)) throw new TraceParseError(where('events'), 'events is not an array');
  return events.map((e: unknown, i): MonitorEvent => {
    if (!isObject(e) || typeof e.t_ms !== 'number' || !Number.isFinite(e.t_ms)) {
      throw new TraceParseError(where('events'), `events[${i}] has no numeric t_ms`);
    }
    checkTime(e.t_ms, where('events'), `events[${i}].t_ms`);
    const kind = typeof e.kind === 'string' && EVENT_KINDS.has(e.kind) ? (e.kind as MonitorEventKind) : 'note';
    return { tMs: e.t_ms, kind, label: typeof e.label === 'string' ? e.label : typeof e.kind === 'string' ? e.kind : '' };
  }).sort((a, b) => a.tMs - b.tMs);
}

/** One `{"t_ms":…,"rss_bytes":…}` object per line. */
export function parseJsonLines(lines: readonly string[]): Trace {
  const samples: MemorySample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    samples.push(readJsonLinesRow(line, i + 1, samples.length));
  }
  return { samples: finishSamples(samples), events: [] };
}

/**
 * One non-blank line of JSON lines (trimmed), at 1-based `lineNo` after `count` samples; shared
 * with the streaming column reader (stream.ts), so both refuse the same lines with the same words.
 */
export function readJsonLinesRow(line: string, lineNo: number, count: number): MemorySample {
  if (count >= MAX_TRACE_SAMPLES) throw new TraceParseError(lineNo, `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
  return readJsonLine(parseJsonText(line, lineNo - 1), lineNo);
}

function readJsonLine(value: unknown, lineNo: number): MemorySample {
  if (!isObject(value)) throw new TraceParseError(lineNo, 'expected one JSON object per line');
  const tMs = value.t_ms;
  const rss = value.rss_bytes;
  if (typeof tMs !== 'number' || !Number.isFinite(tMs)) throw new TraceParseError(lineNo, `t_ms is not a number: ${shown(tMs)}`);
  if (typeof rss !== 'number' || !Number.isFinite(rss)) throw new TraceParseError(lineNo, `rss_bytes is not a number: ${shown(rss)}`);
  if (rss < 0) throw new TraceParseError(lineNo, `rss_bytes is negative: ${rss}`);
  checkTime(tMs, lineNo);
  const readings: OptionalReadings = {};
  for (const [name, key] of Object.entries(OPTIONAL_COLUMNS)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TraceParseError(lineNo, `${name} is not a number: ${shown(v)}`);
    readings[key] = v;
  }
  return makeSample(tMs, rss, readings);
}
