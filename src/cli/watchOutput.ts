// What `leakscope watch` writes: the table or JSON lines on stdout, the CSV as it goes, and the
// JSON trace, replaced whole every FLUSH_MS and at the end, so a kill loses at most that much.
import { closeSync, openSync } from 'node:fs';
import { CliError, CliIo } from './io';
import { assertWritable, describeWriteError, replaceFile, writeAll } from './files';
import { GrowthVerdict, MemorySample, Trace } from '../core/model';
import { csvHeader, sampleToCsvRow, sampleToJsonLine, traceToJson } from '../core/trace/format';
import { formatBytes, formatRate, formatSignedBytes } from '../core/units';

/** How often the JSON trace is rewritten while watching. */
export const TRACE_FLUSH_MS = 10_000;

export interface OutputOptions {
  json: boolean;
  /** No line per sample on stdout (`leakscope run`, where stdout is the program's): files only. */
  quiet?: boolean;
  csvPath?: string;
  traceJsonPath?: string;
  /** Several processes watched at once: each line names its pid (a PID column, a "pid" field). */
  withPid?: boolean;
}

export class WatchOutputs {
  private readonly csvFd: number | undefined;
  private lastFlushMs = Date.now();

  constructor(private readonly options: OutputOptions, private readonly io: CliIo, private readonly trace: () => Trace) {
    if (options.traceJsonPath !== undefined) checkWritable(options.traceJsonPath, '--trace-json');
    this.csvFd = options.csvPath === undefined ? undefined : openCsv(options.csvPath);
  }

  header(): void {
    if (!this.options.json && !this.options.quiet) this.io.out(tableHeader(this.columns()));
  }

  /** Throws CliError (exit 1) when a file cannot be written; what was written stays. */
  sample(sample: MemorySample, verdict: GrowthVerdict, pid?: number): void {
    const named = this.options.withPid ? pid : undefined;
    if (!this.options.quiet) this.io.out(this.options.json ? jsonLine(sample, verdict, named) : tableRow(sample, verdict, this.columns(), named));
    if (this.csvFd !== undefined) guarded('--csv', this.options.csvPath, () => writeAll(this.csvFd ?? -1, sampleToCsvRow(sample) + '\n'));
    if (Date.now() - this.lastFlushMs >= TRACE_FLUSH_MS) this.writeTrace();
  }

  /** The final trace; the CSV is closed. Throws CliError when the trace cannot be written. */
  close(): void {
    if (this.csvFd !== undefined) closeSync(this.csvFd);
    this.writeTrace();
  }

  private columns(): readonly Column[] {
    return this.options.withPid ? [PID_COLUMN, ...COLUMNS] : COLUMNS;
  }

  private writeTrace(): void {
    this.lastFlushMs = Date.now();
    const path = this.options.traceJsonPath;
    if (path !== undefined) guarded('--trace-json', path, () => replaceFile(path, traceToJson(this.trace()) + '\n'));
  }
}

function guarded(option: string, path: string | undefined, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw new CliError(`${option}: cannot write ${path}: ${describeWriteError(error)}`, 1);
  }
}

function checkWritable(path: string, option: string): void {
  try {
    assertWritable(path);
  } catch (error) {
    throw new CliError(`${option}: cannot write ${path}: ${describeWriteError(error)}`);
  }
}

function openCsv(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new CliError(`--csv: cannot write ${path}: ${describeWriteError(error)}`);
  }
  guarded('--csv', path, () => writeAll(fd, csvHeader() + '\n'));
  return fd;
}

/** The verdict fields join a JSON line once there is one (class not `unknown`); the pid leads it when given. */
function jsonLine(sample: MemorySample, verdict: GrowthVerdict, pid: number | undefined): string {
  const sampleLine = sampleToJsonLine(sample);
  const line = pid === undefined ? sampleLine : `{"pid":${pid},${sampleLine.slice(1)}`;
  if (verdict.class === 'unknown') return line;
  const fields = { class: verdict.class, confidence: round(verdict.confidence, 3), slope_bytes_per_s: round(verdict.slopeBytesPerS, 2) };
  return `${line.slice(0, -1)},${JSON.stringify(fields).slice(1)}`;
}

/** "steady-leak 92% +1.0 MB/s", or '–' while the classifier has no verdict. */
export function verdictCell(verdict: GrowthVerdict): string {
  if (verdict.class === 'unknown') return '–';
  return `${verdict.class} ${Math.round(verdict.confidence * 100)}% ${formatRate(verdict.slopeBytesPerS)}`;
}

type Column = readonly [name: string, width: number];
const COLUMNS: readonly Column[] = [['TIME', 8], ['RSS', 10], ['DELTA', 11], ['THREADS', 7], ['FDS', 5], ['CHILDREN', 16], ['CPU', 6], ['VERDICT', 0]];
const PID_COLUMN: Column = ['PID', 7];

function tableHeader(columns: readonly Column[]): string {
  return formatRow(columns.map(([name]) => name), columns);
}

function tableRow(s: MemorySample, verdict: GrowthVerdict, columns: readonly Column[], pid: number | undefined): string {
  const time = new Date(s.tMs).toTimeString().slice(0, 8);
  const children = s.childCount > 0 ? `${s.childCount} · ${formatBytes(s.childrenRssBytes)}` : '–';
  return formatRow([
    ...(pid === undefined ? [] : [String(pid)]),
    time,
    formatBytes(s.rssBytes),
    formatSignedBytes(s.deltaBytes),
    s.threads < 0 ? '–' : String(s.threads),
    s.fds < 0 ? '–' : String(s.fds),
    children,
    `${Math.round(s.cpuPercent)}%`,
    verdictCell(verdict),
  ], columns);
}

/** The first column (pid or time) and the verdict, last, are left-aligned; the verdict unpadded, so a long one does not skew the rest. */
function formatRow(cells: string[], columns: readonly Column[]): string {
  return cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(columns[i][1]) : cell.padStart(columns[i][1]))).join('  ');
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
