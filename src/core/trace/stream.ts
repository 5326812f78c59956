// Reading a big trace into typed columns without holding its text or one object per sample: a
// 170 MB CSV as text plus MemorySample objects cost ~350 bytes a sample, the columns 8 a column
// (plus slack). CSV, mprof .dat and JSON lines are read line by line from a fixed buffer, out of
// a file (by its fd) or out of bytes already fetched (a remote file the panel got whole); a JSON
// document is parsed whole (JSON.parse has no streaming form), under the same size limit.
// Every refusal is the one the whole-text readers give: they share the header, row and line
// readers (parseCsv.ts, parseMprof.ts, parseJson.ts), and this file only changes where the
// lines come from and where the values go.
// `leakscope classify` keeps t_ms and rss_bytes (16 bytes a sample); the panel keeps every
// reading, each in a column of its own only when some sample has it.
import { readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MonitorEvent, Trace } from '../model';
import { OPTIONAL_COLUMNS, OptionalKey } from './columns';
import { CsvLayout, isSkippable, readCsvRow, readHeader } from './parseCsv';
import { MAX_TRACE_SAMPLES, TraceParseError } from './parseError';
import { readJsonLinesRow } from './parseJson';
import { readMprofLine } from './parseMprof';
import { checkTraceSize, detectFormatOfLine, parseTrace, withTraceFile } from './parse';
import { MISSING_READINGS, OptionalReadings } from './samples';
import { errorMessage } from '../errorMessage';

/** A reading other than t_ms and rss_bytes, by its MemorySample field. */
export type ReadingKey = OptionalKey;

const READING_KEYS: readonly ReadingKey[] = Object.values(OPTIONAL_COLUMNS);

export interface TraceColumns {
  /** Epoch ms in time order (sorted like readTraceFile's samples: stable for equal times). */
  tMs: Float64Array;
  rssBytes: Float64Array;
  /**
   * The other readings, when read with `{ readings: true }`: a column only for a reading that
   * some sample has; where a sample lacks it, and everywhere for a reading with no column, it is
   * missingReading(key) (what the whole-text reader's sample holds, NaN for "left out").
   */
  readings?: Partial<Record<ReadingKey, ReadingColumn>>;
  events: MonitorEvent[];
  pid?: number;
  command?: string;
}

/** Whole numbers (thread and fd counts) take an Int32Array, half the bytes; any other value a Float64Array. */
export type ReadingColumn = Int32Array | Float64Array;

export interface ReadOptions {
  /** Keep every reading (the panel), not only t_ms and rss_bytes (`leakscope classify`). */
  readings?: boolean;
}

/** A sample's value for a reading its file lacks: MISSING_READINGS' default, NaN for one left out (USS, PSS, heap, GPU). */
export function missingReading(key: ReadingKey): number {
  return Object.prototype.hasOwnProperty.call(MISSING_READINGS, key) ? MISSING_READINGS[key as keyof typeof MISSING_READINGS] : NaN;
}

/** Read size: big enough that the system calls do not count, small next to any trace worth streaming. */
const CHUNK_BYTES = 1 << 16;

/** Where a trace's bytes come from: an open file (as it was when opened) or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`, valid until the next call; fewer, or none, at the end. */
  read(offset: number, length: number): Uint8Array;
}

export function fileSource(fd: number, size: number): ByteSource {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  return { size, read: (offset, length) => buffer.subarray(0, readSync(fd, buffer, 0, Math.min(length, CHUNK_BYTES), offset)) };
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** A trace file as columns, with readTraceFile's refusals and messages. */
export function readTraceColumns(path: string, options: ReadOptions = {}): TraceColumns {
  return guarded(() => withTraceFile(path, (fd, size) => readSource(fileSource(fd, size), path, options)));
}

/** A trace fetched whole as bytes (a remote file), as columns: no string of the whole file. */
export function readTraceBytes(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): TraceColumns {
  return guarded(() => {
    checkTraceSize(bytes.length);
    return readSource(bytesSource(bytes), fileName, options);
  });
}

function guarded(read: () => TraceColumns): TraceColumns {
  try {
    return read();
  } catch (error) {
    if (error instanceof TraceParseError || isErrno(error)) throw error;
    // As in parseTrace: a reader bug reaches the user as a readable message, not a stack.
    throw new TraceParseError(0, `could not read the trace: ${errorMessage(error)}`);
  }
}

function isErrno(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** Columns of an already parsed trace (a JSON document, read whole). */
export function columnsOf(trace: Trace, options: ReadOptions = {}): TraceColumns {
  const columns = new GrowableColumns(0, Math.max(1, trace.samples.length));
  for (const s of trace.samples) columns.push(s.tMs, s.rssBytes, 0, options.readings ? s : undefined);
  const result = columns.finish(options.readings === true);
  result.events = trace.events;
  if (trace.pid !== undefined) result.pid = trace.pid;
  if (trace.command !== undefined) result.command = trace.command;
  return result;
}

function readSource(source: ByteSource, fileName: string, options: ReadOptions): TraceColumns {
  const reader = new LineReader(source);
  let line = reader.next();
  // The whole-text reader drops a byte-order mark before splitting lines; so does this one.
  if (line !== undefined && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  while (line !== undefined && line.trim() === '') line = reader.next();
  if (line === undefined) throw new TraceParseError(0, 'the file is empty');
  const format = detectFormatOfLine(line, reader.lineNo, fileName);
  if (format === 'json') return columnsOf(parseTrace(wholeText(source), fileName), options);
  const keep = options.readings === true;
  const columns = new GrowableColumns(source.size);
  if (format === 'csv') return readCsv(reader, line, columns, keep);
  if (format === 'mprof') return readMprof(reader, line, columns, keep);
  return readJsonLines(reader, line, columns, keep);
}

function readCsv(reader: LineReader, first: string, columns: GrowableColumns, keep: boolean): TraceColumns {
  let line: string | undefined = first;
  while (line !== undefined && isSkippable(line)) line = reader.next();
  if (line === undefined) throw new TraceParseError(0, 'the file has no samples (only blank or comment lines)');
  const headerLine = reader.lineNo;
  const layout: CsvLayout = readHeader(line, headerLine);
  for (line = reader.next(); line !== undefined; line = reader.next()) {
    if (isSkippable(line)) continue;
    if (columns.length >= MAX_TRACE_SAMPLES) {
      throw new TraceParseError(reader.lineNo, `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
    }
    const readings: OptionalReadings | undefined = keep ? {} : undefined;
    const [tMs, rssBytes] = readCsvRow(line, reader.lineNo, layout, readings);
    columns.push(tMs, rssBytes, reader.consumed, readings);
  }
  if (columns.length === 0) throw new TraceParseError(headerLine, 'a header but no samples after it');
  return columns.finish(keep);
}

function readMprof(reader: LineReader, first: string, columns: GrowableColumns, keep: boolean): TraceColumns {
  let command: string | undefined;
  for (let line: string | undefined = first; line !== undefined; line = reader.next()) {
    const read = readMprofLine(line, reader.lineNo, columns.length);
    if (read?.kind === 'command') command = read.command;
    else if (read?.kind === 'mem') columns.push(read.tMs, read.rssBytes, reader.consumed);
    // A CHLD line is checked (read above) whether kept or not. Without the readings the columns
    // hold the process's own RSS, which is what the classifier reads from the samples too.
    else if (read?.kind === 'child' && keep) columns.addChild(read.bytes);
  }
  if (columns.length === 0) throw new TraceParseError(0, 'the mprof file has no MEM lines');
  const trace = columns.finish(keep);
  if (command) trace.command = command;
  return trace;
}

function readJsonLines(reader: LineReader, first: string, columns: GrowableColumns, keep: boolean): TraceColumns {
  for (let line: string | undefined = first; line !== undefined; line = reader.next()) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const sample = readJsonLinesRow(trimmed, reader.lineNo, columns.length);
    columns.push(sample.tMs, sample.rssBytes, reader.consumed, keep ? sample : undefined);
  }
  return columns.finish(keep);
}

/** The whole source as text, for the one format read whole (under the size limit, checked before). */
function wholeText(source: ByteSource): string {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  for (let offset = 0; offset < source.size; ) {
    const chunk = source.read(offset, CHUNK_BYTES);
    if (chunk.length === 0) break;
    parts.push(decoder.write(chunk));
    offset += chunk.length;
  }
  parts.push(decoder.end());
  return parts.join('');
}

/**
 * Lines of a byte source (a file is read as it was when opened), split like the whole-text
 * readers' /\r?\n|\r/, with 1-based line numbers.
 */
class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private pos = 0;
  private offset = 0;
  private done = false;
  /** The line number of the line `next` returned last. */
  lineNo = 0;
  /** Characters of the lines returned so far, with their line ends (for the capacity estimate). */
  consumed = 0;

  constructor(private readonly source: ByteSource) {}

  next(): string | undefined {
    for (;;) {
      const end = this.findBreak();
      const left = this.source.size - this.offset;
      // A '\r' last in the text may be the first half of a '\r\n' still in the file: wait for more.
      if (end !== -1 && (end + 1 < this.text.length || this.text.charCodeAt(end) === 10 || left === 0)) {
        const line = this.text.slice(this.pos, end);
        const step = this.text.charCodeAt(end) === 13 && this.text.charCodeAt(end + 1) === 10 ? 2 : 1;
        this.pos = end + step;
        return this.emit(line, step);
      }
      if (left === 0) {
        // After the last line end comes one more line, possibly empty, as split() gives.
        if (this.done) return undefined;
        this.done = true;
        const line = this.text.slice(this.pos) + this.decoder.end();
        this.text = '';
        this.pos = 0;
        this.crKnown = false;
        return this.emit(line, 0);
      }
      this.refill(left);
    }
  }

  private emit(line: string, step: number): string {
    this.lineNo++;
    this.consumed += line.length + step;
    return line;
  }

  /** Where the next '\r' of `text` is (-1: none), kept: a file without one would be scanned to the end for every line. */
  private nextCr = -1;
  private crKnown = false;

  private findBreak(): number {
    const n = this.text.indexOf('\n', this.pos);
    if (!this.crKnown || (this.nextCr !== -1 && this.nextCr < this.pos)) {
      this.nextCr = this.text.indexOf('\r', this.pos);
      this.crKnown = true;
    }
    const r = this.nextCr;
    if (r === -1) return n;
    return n === -1 ? r : Math.min(n, r);
  }

  private refill(left: number): void {
    const chunk = this.source.read(this.offset, Math.min(CHUNK_BYTES, left));
    // A file that shrank since it was opened simply ends early.
    this.offset = chunk.length === 0 ? this.source.size : this.offset + chunk.length;
    this.text = this.text.slice(this.pos) + this.decoder.write(chunk);
    this.pos = 0;
    this.crKnown = false;
  }
}

/** Samples a first estimate is taken from; by then the line length is known well enough. */
const ESTIMATE_AFTER = 4096;

/**
 * Typed columns that grow as samples come. Doubling would leave up to half of them empty;
 * instead, once a few thousand lines have been read, the file's size over their mean length says
 * how many samples to expect, and only a miss grows the columns further (by 1/4). A reading gets
 * a column at its first value other than missingReading: a file without it costs nothing for it,
 * and an Int32Array while its values are 32-bit integers (a Float64Array from the first that is not).
 */
class GrowableColumns {
  private t: Float64Array;
  private rss: Float64Array;
  private readonly readings = new Map<ReadingKey, ReadingColumn>();
  private estimated: boolean;
  length = 0;

  /** `knownCount`: the number of samples when known (columnsOf), which then needs no estimate. */
  constructor(private readonly fileSize: number, knownCount?: number) {
    this.t = new Float64Array(knownCount ?? ESTIMATE_AFTER);
    this.rss = new Float64Array(knownCount ?? ESTIMATE_AFTER);
    this.estimated = knownCount !== undefined;
  }

  push(tMs: number, rssBytes: number, consumedChars: number, readings?: OptionalReadings): void {
    if (this.length === this.t.length) this.grow(consumedChars);
    this.t[this.length] = tMs;
    this.rss[this.length] = rssBytes;
    if (readings) {
      for (const key of READING_KEYS) {
        const value = readings[key];
        if (value !== undefined) this.set(key, this.length, value);
      }
    }
    this.length++;
  }

  /** A CHLD line of mprof: summed into the sample it follows, as the whole-text reader does. */
  addChild(bytes: number): void {
    const last = this.length - 1;
    if (last < 0) return;
    this.set('childrenRssBytes', last, this.get('childrenRssBytes', last) + bytes);
    this.set('childCount', last, this.get('childCount', last) + 1);
  }

  private get(key: ReadingKey, index: number): number {
    return this.readings.get(key)?.[index] ?? missingReading(key);
  }

  private set(key: ReadingKey, index: number, value: number): void {
    let column = this.readings.get(key);
    const missing = missingReading(key);
    if (!column) {
      if (Object.is(value, missing)) return;
      column = isInt32(value) && isInt32(missing) ? new Int32Array(this.t.length) : new Float64Array(this.t.length);
      column.fill(missing);
      this.readings.set(key, column);
    } else if (column instanceof Int32Array && !isInt32(value)) {
      column = Float64Array.from(column);
      this.readings.set(key, column);
    }
    column[index] = value;
  }

  private grow(consumedChars: number): void {
    let capacity = Math.ceil(this.t.length * 1.25);
    if (!this.estimated) {
      this.estimated = true;
      const perSample = consumedChars / this.length;
      // 5 % over the estimate, so that a slightly longer tail does not cost a whole copy.
      capacity = Math.max(capacity, Math.ceil((this.fileSize / perSample) * 1.05));
    }
    capacity = Math.min(capacity, MAX_TRACE_SAMPLES);
    this.t = copyInto(this.t, capacity, this.length, 0);
    this.rss = copyInto(this.rss, capacity, this.length, 0);
    for (const [key, column] of this.readings) this.readings.set(key, copyInto(column, capacity, this.length, missingReading(key)));
  }

  /** The columns in time order, trimmed to their length; the readings only when kept. */
  finish(keepReadings: boolean): TraceColumns {
    const order = isSorted(this.t, this.length) ? undefined : timeOrder(this.t, this.length);
    const trim = <C extends ReadingColumn>(column: C): C => (order ? permute(column, order) : (column.subarray(0, this.length) as C));
    const columns: TraceColumns = { tMs: trim(this.t), rssBytes: trim(this.rss), events: [] };
    if (keepReadings) {
      const readings: Partial<Record<ReadingKey, ReadingColumn>> = {};
      for (const [key, column] of this.readings) readings[key] = trim(column);
      columns.readings = readings;
    }
    return columns;
  }
}

/** -0 is no Int32 (it would read back as 0, where the whole-text reader keeps -0). */
function isInt32(value: number): boolean {
  return (value | 0) === value && !Object.is(value, -0);
}

/** The same kind of column, `capacity` long, with the first `length` values and `fill` after them. */
function copyInto<C extends ReadingColumn>(from: C, capacity: number, length: number, fill: number): C {
  const to = (from instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity)) as C;
  to.set(from.subarray(0, length));
  if (fill !== 0) to.fill(fill, length);
  return to;
}

function isSorted(t: Float64Array, length: number): boolean {
  for (let i = 1; i < length; i++) if (t[i] < t[i - 1]) return false;
  return true;
}

/** Time order, stable for equal times like finishSamples: backwards time is sorted, not refused. */
function timeOrder(t: Float64Array, length: number): Uint32Array {
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  return order.sort((a, b) => t[a] - t[b] || a - b);
}

function permute<C extends ReadingColumn>(column: C, order: Uint32Array): C {
  const sorted = (column instanceof Int32Array ? new Int32Array(order.length) : new Float64Array(order.length)) as C;
  for (let i = 0; i < order.length; i++) sorted[i] = column[order[i]];
  return sorted;
}
