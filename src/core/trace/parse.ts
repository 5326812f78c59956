// Reading a trace: Leakscope CSV (what `leakscope watch` writes), Leakscope JSON (what the
// panel exports), JSON lines (`leakscope watch --json`) and memory_profiler's mprof .dat.
// The format is told from the content first and the file name second, so a renamed file reads.
// Every failure is a TraceParseError naming the line; nothing else escapes.
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from 'node:fs';
import { Trace } from '../model';
import { formatBytes } from '../units';
import { MAX_TRACE_CHARS, TraceParseError, excerpt } from './parseError';
import { parseCsvTrace } from './parseCsv';
import { looksLikeJsonLine, parseJsonDocument, parseJsonLines } from './parseJson';
import { MPROF_TAG, parseMprofTrace } from './parseMprof';
import { errorMessage } from '../errorMessage';

export { TraceParseError, MAX_TRACE_CHARS, MAX_TRACE_SAMPLES } from './parseError';

export type TraceFormat = 'csv' | 'json' | 'jsonl' | 'mprof';

export function parseTrace(text: string, fileName = ''): Trace {
  try {
    return parseKnown(text, fileName);
  } catch (error) {
    if (error instanceof TraceParseError) throw error;
    // A reader bug must still reach the user as a readable message, not a stack.
    throw new TraceParseError(0, `could not read the trace: ${errorMessage(error)}`);
  }
}

function parseKnown(text: string, fileName: string): Trace {
  if (text.length > MAX_TRACE_CHARS) {
    throw new TraceParseError(0, `the trace is too large (${mb(text.length)}); the limit is ${mb(MAX_TRACE_CHARS)}`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new TraceParseError(0, 'the file is empty');
  const lines = body.split(/\r?\n|\r/);
  switch (detectFormat(lines, fileName)) {
    case 'csv':
      return parseCsvTrace(lines);
    case 'json':
      return parseJsonDocument(body);
    case 'jsonl':
      return parseJsonLines(lines);
    case 'mprof':
      return parseMprofTrace(lines);
  }
}

export function detectFormat(lines: readonly string[], fileName: string): TraceFormat {
  const index = lines.findIndex((l) => l.trim() !== '');
  return detectFormatOfLine(lines[index], index + 1, fileName);
}

/** The format told by the first non-blank line (at `lineNo`), as the streaming reader sees it. */
export function detectFormatOfLine(line: string, lineNo: number, fileName: string): TraceFormat {
  const first = line.trim();
  const name = fileName.toLowerCase();
  if (first.startsWith('{') || first.startsWith('[')) {
    return name.endsWith('.jsonl') || name.endsWith('.ndjson') || looksLikeJsonLine(first) ? 'jsonl' : 'json';
  }
  if (MPROF_TAG.test(first)) return 'mprof';
  if (first.includes(',') || first.startsWith('#') || name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.dat')) return 'mprof';
  throw new TraceParseError(
    lineNo,
    `unknown trace format: expected a Leakscope CSV (header t_ms,rss_bytes,…), a Leakscope JSON trace, or an mprof .dat file; found '${excerpt(first)}'`,
  );
}

/**
 * Reads and parses a file, refusing one over the size limit before reading it, and anything that
 * is not a regular file: /dev/zero never ends and a FIFO blocks until someone writes to it.
 * Opened non-blocking (a FIFO's open would wait for a writer), then checked on the open fd.
 */
export function readTraceFile(path: string): Trace {
  return withTraceFile(path, (fd, size) => parseTrace(readCapped(fd, size), path));
}

/** Opens a trace with the refusals above, hands its fd and size to `read`, and closes it. */
export function withTraceFile<T>(path: string, read: (fd: number, size: number) => T): T {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new TraceParseError(0, `not a regular file (${fileKind(stats)}): a trace must be a file on disk`);
    checkTraceSize(stats.size);
    return read(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a trace over the size limit before any of it is read (a file, or bytes fetched whole). */
export function checkTraceSize(bytes: number): void {
  if (bytes > MAX_TRACE_CHARS) throw new TraceParseError(0, `the trace is too large (${mb(bytes)}); the limit is ${mb(MAX_TRACE_CHARS)}`);
}

/** The `size` bytes the file had when opened: a trace still being written is read as it was. */
function readCapped(fd: number, size: number): string {
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  for (let n = 1; n > 0 && length < size; length += n) n = readSync(fd, buffer, length, size - length, null);
  return buffer.toString('utf8', 0, length);
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** One unit style everywhere: units.ts owns it. */
const mb = formatBytes;
