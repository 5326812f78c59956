// Turning a trace from a file (or a panel's saved state) into what the panel shows. Files come
// from anywhere, so everything is bounded and checked against the protocol before it is sent.
// VS Code–free: tested in Node.
import { GrowthVerdict, MonitorEvent, Trace } from '../core/model';
import {
  ComparisonTrace,
  LIMITS,
  MonitorDescriptor,
  parseToWebview,
} from '../core/protocol';
import { OPTIONAL_COLUMNS, OPTIONAL_COLUMN_FIELDS, REQUIRED_COLUMNS, REQUIRED_COLUMN_FIELDS, RequiredField, SampleColumns, columnsToSamples, samplesToColumns } from '../core/shared/columns';
import { clampToSettingInterval } from '../core/shared/samplingInterval';
import { PANEL_MAX_SAMPLES, minMaxIndices, minMaxThin } from '../core/shared/thin';
import { TraceColumns, missingReading, readTraceBytes, readTraceColumns } from '../core/trace/stream';
import { traceVerdict } from '../core/trace/analyze';

/**
 * What the panel keeps of an opened trace file: its samples thinned for the webview, its events
 * cut to the protocol, and what is said of the whole (count, interval, verdict). The full columns
 * are let go once this is made.
 */
export interface OpenedTrace {
  samples: SampleColumns;
  events: MonitorEvent[];
  pid?: number;
  command?: string;
  /** Samples in the file, before thinning. */
  sampleCount: number;
  firstMs: number;
  medianIntervalMs: number;
  /** The classifier's verdict on the whole file, as `leakscope classify` gives it (analyzeTrace). */
  verdict: GrowthVerdict;
}

/**
 * "Open memory trace…" on a local file: streamed from its fd into typed columns (special files
 * and files over the size limit refused before reading), then thinned and judged. Throws a
 * TraceParseError naming the line, or an Error saying what the panel cannot show.
 */
export function openTraceFile(path: string): OpenedTrace {
  return showable(openedTrace(readTraceColumns(path, { readings: true })));
}

/** The same for a file fetched whole as bytes (a remote file): parsed chunk by chunk, never one string. */
export function openTraceBytes(bytes: Uint8Array, fileName: string): OpenedTrace {
  return showable(openedTrace(readTraceBytes(bytes, fileName, { readings: true })));
}

function showable(trace: OpenedTrace): OpenedTrace {
  const problem = traceProblem(trace);
  if (problem) throw new Error(problem);
  return trace;
}

/** A trace read into columns with its readings (readTraceColumns(…, { readings: true })), for the panel. */
export function openedTrace(columns: TraceColumns): OpenedTrace {
  return {
    samples: thinnedColumns(columns, PANEL_MAX_SAMPLES),
    events: traceEvents(columns.events),
    ...(columns.pid !== undefined ? { pid: columns.pid } : {}),
    ...(columns.command !== undefined ? { command: columns.command } : {}),
    sampleCount: columns.tMs.length,
    firstMs: columns.tMs[0] ?? 0,
    medianIntervalMs: medianIntervalMs(columns.tMs),
    verdict: traceVerdict(columns),
  };
}

/** Min-max thinned wire columns of typed columns: what traceColumns gives for the same file's samples. */
export function thinnedColumns(columns: TraceColumns, maxPoints: number): SampleColumns {
  const kept = minMaxIndices(columns.rssBytes, maxPoints);
  const out = {} as SampleColumns;
  for (const key of REQUIRED_COLUMNS) out[key] = keptValues(columns, REQUIRED_COLUMN_FIELDS[key], kept);
  for (const key of OPTIONAL_COLUMNS) {
    const values = columns.readings?.[OPTIONAL_COLUMN_FIELDS[key]];
    // NaN is the column reader's "this sample lacks it"; null says so on the wire.
    if (values) out[key] = kept.map((i) => (Number.isNaN(values[i]) ? null : values[i]));
  }
  return out;
}

/** A reading every sample has, at the kept indexes: its column, or its missing value where the file has none. */
function keptValues(columns: TraceColumns, field: RequiredField, kept: readonly number[]): number[] {
  if (field === 'tMs' || field === 'rssBytes') {
    const values = columns[field];
    return kept.map((i) => values[i]);
  }
  const values = columns.readings?.[field];
  const missing = missingReading(field);
  return values ? kept.map((i) => values[i]) : kept.map(() => missing);
}

/** Samples in memory (a previous run's) as the panel shows them. */
export function traceColumns(trace: Trace): SampleColumns {
  return minMaxThin(samplesToColumns(trace.samples), PANEL_MAX_SAMPLES);
}

/** Events cut to what the protocol accepts (labels from a file can be anything). */
export function traceEvents(events: readonly MonitorEvent[]): MonitorEvent[] {
  return events.slice(0, LIMITS.maxEvents).map((e) => ({ ...e, label: e.label.slice(0, LIMITS.labelLength) }));
}

export function traceDescriptor(trace: OpenedTrace, id: string, fileLabel: string): MonitorDescriptor {
  return {
    id,
    kind: 'trace',
    ...(trace.pid !== undefined ? { pid: trace.pid } : {}),
    title: fileLabel.slice(0, LIMITS.labelLength),
    command: (trace.command ?? fileLabel).slice(0, LIMITS.textLength),
    state: 'exited',
    summary: summarize(trace.sampleCount).slice(0, LIMITS.textLength),
    startedMs: trace.firstMs,
    limits: {},
    intervalMs: clampToSettingInterval(Math.round(trace.medianIntervalMs)),
    warnAtFraction: 0.8,
  };
}

/** A typical sampling interval of the trace (median step), for the header. */
export function medianIntervalMs(tMs: ArrayLike<number>): number {
  const steps: number[] = [];
  for (let i = 1; i < tMs.length && steps.length < 10_001; i++) steps.push(tMs[i] - tMs[i - 1]);
  if (steps.length === 0) return 1000;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}

/** A previous run's samples, drawn under a live monitor. */
export function comparisonFromTrace(trace: Trace, label: string): ComparisonTrace {
  return { label: label.slice(0, LIMITS.labelLength), samples: traceColumns(trace), events: traceEvents(trace.events) };
}

/** An opened file, drawn under a live monitor ("Compare with memory trace…"). */
export function comparisonFromOpened(trace: OpenedTrace, label: string): ComparisonTrace {
  return { label: label.slice(0, LIMITS.labelLength), samples: trace.samples, events: trace.events };
}

/** The inverse, for exporting what a restored or opened panel shows. */
export function traceFromColumns(columns: SampleColumns, events: readonly MonitorEvent[], monitor: MonitorDescriptor): Trace {
  return {
    ...(monitor.pid !== undefined ? { pid: monitor.pid } : {}),
    command: monitor.command,
    samples: columnsToSamples(columns),
    events: [...events],
  };
}

/**
 * Why the panel could not show this trace, or undefined if it can: the same validation the
 * webview applies, run here so the user gets a message instead of an empty chart.
 */
export function traceProblem(trace: OpenedTrace): string | undefined {
  if (trace.sampleCount === 0) return 'the trace has no samples';
  const probe = parseToWebview({ type: 'comparison', comparison: comparisonFromOpened(trace, 'check') });
  return probe ? undefined : 'the trace has values out of range (negative sizes, fractional thread counts or times before 1970)';
}

function summarize(n: number): string {
  const thinned = n > PANEL_MAX_SAMPLES ? `, shown thinned to ${PANEL_MAX_SAMPLES.toLocaleString('en-US')} points` : '';
  return `Recording of ${n.toLocaleString('en-US')} samples${thinned}.`;
}
