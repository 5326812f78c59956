// Turning a trace from a file (or a panel's saved state) into what the panel shows. Files come
// from anywhere, so everything is bounded and checked against the protocol before it is sent.
// VS Code–free: tested in Node.
import { Trace } from '../core/model';
import {
  ComparisonTrace,
  LIMITS,
  MonitorDescriptor,
  parseToWebview,
} from '../core/protocol';
import { SampleColumns, columnsToSamples, samplesToColumns } from '../core/shared/columns';
import { GrowthVerdict, MonitorEvent } from '../core/model';
import { classifySeries } from '../core/classifier';
import { clampToSettingInterval } from '../core/shared/samplingInterval';
import { PANEL_MAX_SAMPLES, minMaxThin } from '../core/shared/thin';

export function traceColumns(trace: Trace): SampleColumns {
  return minMaxThin(samplesToColumns(trace.samples), PANEL_MAX_SAMPLES);
}

/** Events cut to what the protocol accepts (labels from a file can be anything). */
export function traceEvents(events: readonly MonitorEvent[]): MonitorEvent[] {
  return events.slice(0, LIMITS.maxEvents).map((e) => ({ ...e, label: e.label.slice(0, LIMITS.labelLength) }));
}

export function traceDescriptor(trace: Trace, id: string, fileLabel: string, intervalMs = 1000): MonitorDescriptor {
  const first = trace.samples[0]?.tMs ?? 0;
  return {
    id,
    kind: 'trace',
    ...(trace.pid !== undefined ? { pid: trace.pid } : {}),
    title: fileLabel.slice(0, LIMITS.labelLength),
    command: (trace.command ?? fileLabel).slice(0, LIMITS.textLength),
    state: 'exited',
    summary: summarize(trace).slice(0, LIMITS.textLength),
    startedMs: first,
    limits: {},
    intervalMs: clampToSettingInterval(Math.round(intervalMs)),
    warnAtFraction: 0.8,
  };
}

/**
 * The growth classifier's verdict on a whole recording (an opened file is judged at once, not
 * sample by sample), so an mprof or exported trace gets the same banner as a live process.
 */
export function traceVerdict(trace: Trace): GrowthVerdict {
  return classifySeries(trace.samples.map((s) => s.tMs), trace.samples.map((s) => s.rssBytes));
}

/** A typical sampling interval of the trace (median step), for the header. */
export function medianIntervalMs(trace: Trace): number {
  const steps: number[] = [];
  const s = trace.samples;
  for (let i = 1; i < s.length && steps.length < 10_001; i++) steps.push(s[i].tMs - s[i - 1].tMs);
  if (steps.length === 0) return 1000;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}

export function comparisonFromTrace(trace: Trace, label: string): ComparisonTrace {
  return { label: label.slice(0, LIMITS.labelLength), samples: traceColumns(trace), events: traceEvents(trace.events) };
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
export function traceProblem(trace: Trace): string | undefined {
  if (trace.samples.length === 0) return 'the trace has no samples';
  const probe = parseToWebview({ type: 'comparison', comparison: comparisonFromTrace(trace, 'check') });
  return probe ? undefined : 'the trace has values out of range (negative sizes, fractional thread counts or times before 1970)';
}

function summarize(trace: Trace): string {
  const n = trace.samples.length;
  const thinned = n > PANEL_MAX_SAMPLES ? `, shown thinned to ${PANEL_MAX_SAMPLES.toLocaleString('en-US')} points` : '';
  return `Recording of ${n.toLocaleString('en-US')} samples${thinned}.`;
}
