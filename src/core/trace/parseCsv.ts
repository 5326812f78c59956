// Leakscope CSV: a header naming the columns (t_ms and rss_bytes required, in any order; other
// known columns optional; unknown ones ignored), then one sample a line. Blank lines and lines
// starting with '#' are skipped, so a hand-annotated file still reads.
import { MemorySample, Trace } from '../model';
import { OPTIONAL_COLUMNS, OptionalKey, isOptionalColumn } from './columns';
import { MAX_TRACE_SAMPLES, TraceParseError, checkTime, excerpt, parseDecimal } from './parseError';
import { OptionalReadings, finishSamples, makeSample } from './samples';

export interface CsvLayout {
  width: number;
  tIndex: number;
  rssIndex: number;
  optional: { index: number; key: OptionalKey; name: string }[];
  names: string[];
}

export function parseCsvTrace(lines: readonly string[]): Trace {
  const headerIndex = lines.findIndex((l) => !isSkippable(l));
  if (headerIndex === -1) throw new TraceParseError(0, 'the file has no samples (only blank or comment lines)');
  const layout = readHeader(lines[headerIndex], headerIndex + 1);
  const samples: MemorySample[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (isSkippable(lines[i])) continue;
    if (samples.length >= MAX_TRACE_SAMPLES) {
      throw new TraceParseError(i + 1, `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
    }
    const readings: OptionalReadings = {};
    const [tMs, rssBytes] = readCsvRow(lines[i], i + 1, layout, readings);
    samples.push(makeSample(tMs, rssBytes, readings));
  }
  if (samples.length === 0) throw new TraceParseError(headerIndex + 1, 'a header but no samples after it');
  return { samples: finishSamples(samples), events: [] };
}

export function isSkippable(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

export function readHeader(line: string, lineNo: number): CsvLayout {
  const names = line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
  if (names.every((n) => parseDecimal(n) !== undefined)) {
    throw new TraceParseError(lineNo, `no CSV header: the first line must name the columns (t_ms,rss_bytes,…), found '${excerpt(line)}'`);
  }
  for (const required of ['t_ms', 'rss_bytes']) {
    if (!names.includes(required)) {
      throw new TraceParseError(lineNo, `the CSV header has no ${required} column (found '${excerpt(line, 80)}')`);
    }
  }
  const duplicate = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicate) throw new TraceParseError(lineNo, `the CSV header names ${duplicate} twice`);
  const optional = names.flatMap((name, index) => (isOptionalColumn(name) ? [{ index, key: OPTIONAL_COLUMNS[name], name }] : []));
  return { width: names.length, tIndex: names.indexOf('t_ms'), rssIndex: names.indexOf('rss_bytes'), optional, names };
}

/**
 * One row checked whole (the streaming reader refuses what this reader refuses), as [t_ms, rss_bytes];
 * the optional readings go into `readings`, which the column reader leaves out because it keeps none.
 */
export function readCsvRow(line: string, lineNo: number, layout: CsvLayout, readings?: OptionalReadings): [number, number] {
  const cells = line.split(',');
  if (cells.length !== layout.width) {
    throw new TraceParseError(lineNo, `expected ${layout.width} values (${layout.names.join(',')}), found ${cells.length}`);
  }
  const tMs = checkTime(requiredNumber(cells[layout.tIndex], 't_ms', lineNo), lineNo);
  const rssBytes = requiredNumber(cells[layout.rssIndex], 'rss_bytes', lineNo);
  if (rssBytes < 0) throw new TraceParseError(lineNo, `rss_bytes is negative: '${excerpt(cells[layout.rssIndex].trim())}'`);
  for (const column of layout.optional) {
    const cell = cells[column.index];
    if (cell.trim() === '') continue;
    const value = parseDecimal(cell);
    if (value === undefined) throw new TraceParseError(lineNo, `${column.name} is not a number: '${excerpt(cell.trim())}'`);
    if (readings) readings[column.key] = value;
  }
  return [tMs, rssBytes];
}

function requiredNumber(cell: string, name: string, lineNo: number): number {
  if (cell.trim() === '') throw new TraceParseError(lineNo, `${name} is empty`);
  const value = parseDecimal(cell);
  if (value === undefined) throw new TraceParseError(lineNo, `${name} is not a number: '${excerpt(cell.trim())}'`);
  return value;
}
