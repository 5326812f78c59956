// What `leakscope watch` writes: the table or JSON lines on stdout, the CSV as it goes, and the
// JSON trace, replaced whole every FLUSH_MS and at the end, so a kill loses at most that much.
import { closeSync, openSync } from 'node:fs';
import { CliError, CliIo } from './io';
import { assertWritable, describeWriteError, replaceFile, writeAll } from './files';
import { GrowthVerdict, MemorySample, Trace } from '../core/model';
import { csvHeader, sampleToCsvRow, sampleToJsonLine, traceToJson } from '../core/trace/format';
import { formatBytes, formatDuration, formatRate, formatSignedBytes } from '../core/units';
import { DecompositionPart, Diagnosis, GROWTH_KIND_LABELS } from '../core/shared/decomposition';
import { isLeakClass } from '../core/model';
import { formatConfidence } from '../core/shared/confidence';

/** The latest decomposition reading (bytes per part) and the diagnosis of the growth now. */
export interface DecompositionNow {
  pid: number;
  parts: Record<DecompositionPart, number>;
  diagnosis: Diagnosis | undefined;
}

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
  sample(sample: MemorySample, verdict: GrowthVerdict, pid?: number, decomposition?: DecompositionNow): void {
    const named = this.options.withPid ? pid : undefined;
    if (!this.options.quiet) this.io.out(this.options.json ? jsonLine(sample, verdict, named, decomposition) : tableRow(sample, verdict, this.columns(), named));
    if (this.csvFd !== undefined) guarded('--csv', this.options.csvPath, () => writeAll(this.csvFd ?? -1, sampleToCsvRow(sample) + '\n'));
    if (Date.now() - this.lastFlushMs >= TRACE_FLUSH_MS) this.writeTrace();
  }

  /** A line under the table saying what RSS is made of and which kind of growth it is (not in --json). */
  decomposition(now: DecompositionNow, verdict: GrowthVerdict): void {
    if (this.options.json || this.options.quiet) return;
    const line = decompositionLine(now, verdict);
    this.io.out(this.options.withPid ? line.replace(/^ {2}/, `  pid ${now.pid}: `) : line);
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

/**
 * The verdict fields join a JSON line once there is one (class not `unknown`); the decomposition's
 * once it has been read (every 5 s: the latest reading repeats in between), and the kind of growth
 * with the verdict. The pid leads the line when given.
 */
function jsonLine(sample: MemorySample, verdict: GrowthVerdict, pid: number | undefined, decomposition: DecompositionNow | undefined): string {
  const sampleLine = sampleToJsonLine(sample);
  const line = pid === undefined ? sampleLine : `{"pid":${pid},${sampleLine.slice(1)}`;
  const fields: Record<string, string | number> = {};
  if (decomposition) {
    const p = decomposition.parts;
    Object.assign(fields, { anon_bytes: p.anon, file_bytes: p.file, shmem_bytes: p.shmem, swap_bytes: p.swap });
  }
  if (verdict.class !== 'unknown') {
    Object.assign(fields, { class: verdict.class, confidence: round(verdict.confidence, 3), slope_bytes_per_s: round(verdict.slopeBytesPerS, 2) });
    if (decomposition?.diagnosis) fields.diagnosis = decomposition.diagnosis.kind;
  }
  return Object.keys(fields).length ? `${line.slice(0, -1)},${JSON.stringify(fields).slice(1)}` : line;
}

/**
 * "  RSS parts: anonymous 812 MB, file-backed 38 MB, shared 6 MB, swap 0 B", and for a leak or a
 * plateau which kind of growth it is, with the diagnosis's numbers (or, from /proc alone, where
 * the growth is and how to learn more).
 */
export function decompositionLine(now: DecompositionNow, verdict: GrowthVerdict): string {
  const p = now.parts;
  const parts = `  RSS parts: anonymous ${formatBytes(p.anon)}, file-backed ${formatBytes(p.file)}, shared ${formatBytes(p.shmem)}, swap ${formatBytes(p.swap)}`;
  const d = now.diagnosis;
  if (!d || !(isLeakClass(verdict.class) || verdict.class === 'plateau')) return parts;
  const label = GROWTH_KIND_LABELS[d.kind];
  if (label) return `${parts}. ${label}: ${d.summary}`;
  const e = d.evidence;
  if (d.kind !== 'unknown' || e.anon_growth_bytes === undefined) return parts;
  return `${parts}. Growth: RSS ${formatSignedBytes(e.rss_growth_bytes)} in ${formatDuration(e.window_s * 1000)}, anonymous ${formatSignedBytes(e.anon_growth_bytes)}; objects, freed-but-kept or native: \`leakscope explain --pid ${now.pid} --yes\` reads inside.`;
}

/** "steady-leak 92% +1.0 MB/s", or '–' while the classifier has no verdict. */
export function verdictCell(verdict: GrowthVerdict): string {
  if (verdict.class === 'unknown') return '–';
  return `${verdict.class} ${formatConfidence(verdict.confidence)} ${formatRate(verdict.slopeBytesPerS)}`;
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
