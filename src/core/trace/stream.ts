// Reading a big trace into two typed columns (t_ms, rss_bytes) without holding its text or one
// object per sample: a 170 MB CSV as text plus MemorySample objects cost ~350 bytes a sample,
// the columns 16 (plus slack). CSV and mprof .dat are read line by line from a fixed buffer;
// JSON (one document, or the rarer JSON lines) is not streamed and goes through readTraceFile.
// Every refusal is the one the whole-text readers give: they share the header, row and line
// readers (parseCsv.ts, parseMprof.ts), and this file only changes where the lines come from.
import { readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MonitorEvent, Trace } from '../model';
import { CsvLayout, isSkippable, readCsvRow, readHeader } from './parseCsv';
import { MAX_TRACE_SAMPLES, TraceParseError } from './parseError';
import { readMprofLine } from './parseMprof';
import { detectFormatOfLine, readTraceFile, withTraceFile } from './parse';
import { errorMessage } from '../errorMessage';

export interface TraceColumns {
  /** Epoch ms in time order (sorted like readTraceFile's samples: stable for equal times). */
  tMs: Float64Array;
  rssBytes: Float64Array;
  events: MonitorEvent[];
  pid?: number;
  command?: string;
}

/** Read size: big enough that the system calls do not count, small next to any trace worth streaming. */
const CHUNK_BYTES = 1 << 16;

/** A trace file as columns, with readTraceFile's refusals and messages. */
export function readTraceColumns(path: string): TraceColumns {
  try {
    const streamed = withTraceFile(path, (fd, size) => readStreamed(new LineReader(fd, size), size, path));
    return streamed ?? columnsOf(readTraceFile(path));
  } catch (error) {
    if (error instanceof TraceParseError || isErrno(error)) throw error;
    // As in parseTrace: a reader bug reaches the user as a readable message, not a stack.
    throw new TraceParseError(0, `could not read the trace: ${errorMessage(error)}`);
  }
}

function isErrno(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** Columns of an already parsed trace (the JSON formats, read whole). */
export function columnsOf(trace: Trace): TraceColumns {
  const n = trace.samples.length;
  const columns: TraceColumns = { tMs: new Float64Array(n), rssBytes: new Float64Array(n), events: trace.events };
  trace.samples.forEach((s, i) => {
    columns.tMs[i] = s.tMs;
    columns.rssBytes[i] = s.rssBytes;
  });
  if (trace.pid !== undefined) columns.pid = trace.pid;
  if (trace.command !== undefined) columns.command = trace.command;
  return columns;
}

/** undefined: a JSON format, which the caller reads whole. */
function readStreamed(reader: LineReader, size: number, path: string): TraceColumns | undefined {
  let line = reader.next();
  // The whole-text reader drops a byte-order mark before splitting lines; so does this one.
  if (line !== undefined && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  while (line !== undefined && line.trim() === '') line = reader.next();
  if (line === undefined) throw new TraceParseError(0, 'the file is empty');
  const format = detectFormatOfLine(line, reader.lineNo, path);
  const columns = new GrowableColumns(size);
  if (format === 'csv') return readCsv(reader, line, columns);
  if (format === 'mprof') return readMprof(reader, line, columns);
  return undefined;
}

function readCsv(reader: LineReader, first: string, columns: GrowableColumns): TraceColumns {
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
    const [tMs, rssBytes] = readCsvRow(line, reader.lineNo, layout);
    columns.push(tMs, rssBytes, reader.consumed);
  }
  if (columns.length === 0) throw new TraceParseError(headerLine, 'a header but no samples after it');
  return columns.finish();
}

function readMprof(reader: LineReader, first: string, columns: GrowableColumns): TraceColumns {
  let command: string | undefined;
  for (let line: string | undefined = first; line !== undefined; line = reader.next()) {
    const read = readMprofLine(line, reader.lineNo, columns.length);
    if (read?.kind === 'command') command = read.command;
    else if (read?.kind === 'mem') columns.push(read.tMs, read.rssBytes, reader.consumed);
    // CHLD lines are checked (read above) but add nothing: the columns hold the process's own RSS,
    // which is what the classifier reads from readTraceFile's samples too.
  }
  if (columns.length === 0) throw new TraceParseError(0, 'the mprof file has no MEM lines');
  const trace = columns.finish();
  if (command) trace.command = command;
  return trace;
}

/**
 * Lines of the first `size` bytes of a file (a trace still being written is read as it was when
 * opened), split like the whole-text readers' /\r?\n|\r/, with 1-based line numbers.
 */
class LineReader {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private pos = 0;
  private left: number;
  private done = false;
  /** The line number of the line `next` returned last. */
  lineNo = 0;
  /** Characters of the lines returned so far, with their line ends (for the capacity estimate). */
  consumed = 0;

  constructor(private readonly fd: number, size: number) {
    this.left = size;
  }

  next(): string | undefined {
    for (;;) {
      const end = this.findBreak();
      // A '\r' last in the text may be the first half of a '\r\n' still in the file: wait for more.
      if (end !== -1 && (end + 1 < this.text.length || this.text.charCodeAt(end) === 10 || this.left === 0)) {
        const line = this.text.slice(this.pos, end);
        const step = this.text.charCodeAt(end) === 13 && this.text.charCodeAt(end + 1) === 10 ? 2 : 1;
        this.pos = end + step;
        return this.emit(line, step);
      }
      if (this.left === 0) {
        // After the last line end comes one more line, possibly empty, as split() gives.
        if (this.done) return undefined;
        this.done = true;
        const line = this.text.slice(this.pos) + this.decoder.end();
        this.text = '';
        this.pos = 0;
        return this.emit(line, 0);
      }
      this.refill();
    }
  }

  private emit(line: string, step: number): string {
    this.lineNo++;
    this.consumed += line.length + step;
    return line;
  }

  private findBreak(): number {
    const n = this.text.indexOf('\n', this.pos);
    const r = this.text.indexOf('\r', this.pos);
    if (r === -1) return n;
    return n === -1 ? r : Math.min(n, r);
  }

  private refill(): void {
    const n = readSync(this.fd, this.buffer, 0, Math.min(CHUNK_BYTES, this.left), null);
    // A file that shrank since it was opened simply ends early.
    this.left = n === 0 ? 0 : this.left - n;
    this.text = this.text.slice(this.pos) + this.decoder.write(this.buffer.subarray(0, n));
    this.pos = 0;
  }
}

/** Samples a first estimate is taken from; by then the line length is known well enough. */
const ESTIMATE_AFTER = 4096;

/**
 * Two Float64Array columns that grow as samples come. Doubling would leave up to half of them
 * empty; instead, once a few thousand lines have been read, the file's size over their mean
 * length says how many samples to expect, and only a miss grows the columns further (by 1/4).
 */
class GrowableColumns {
  private t: Float64Array = new Float64Array(ESTIMATE_AFTER);
  private rss: Float64Array = new Float64Array(ESTIMATE_AFTER);
  private estimated = false;
  length = 0;

  constructor(private readonly fileSize: number) {}

  push(tMs: number, rssBytes: number, consumedChars: number): void {
    if (this.length === this.t.length) this.grow(consumedChars);
    this.t[this.length] = tMs;
    this.rss[this.length] = rssBytes;
    this.length++;
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
    this.t = copyInto(this.t, capacity, this.length);
    this.rss = copyInto(this.rss, capacity, this.length);
  }

  /** The columns in time order, trimmed to their length. */
  finish(): TraceColumns {
    let t: Float64Array = this.t.subarray(0, this.length);
    let rss: Float64Array = this.rss.subarray(0, this.length);
    if (!isSorted(t)) [t, rss] = sortByTime(t, rss);
    return { tMs: t, rssBytes: rss, events: [] };
  }
}

function copyInto(from: Float64Array, capacity: number, length: number): Float64Array {
  const to = new Float64Array(capacity);
  to.set(from.subarray(0, length));
  return to;
}

function isSorted(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) return false;
  return true;
}

/** Time order, stable for equal times like finishSamples: backwards time is sorted, not refused. */
function sortByTime(t: Float64Array, rss: Float64Array): [Float64Array, Float64Array] {
  const order = new Uint32Array(t.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => t[a] - t[b] || a - b);
  const sortedT = new Float64Array(t.length);
  const sortedRss = new Float64Array(t.length);
  for (let i = 0; i < order.length; i++) {
    sortedT[i] = t[order[i]];
    sortedRss[i] = rss[order[i]];
  }
  return [sortedT, sortedRss];
}
