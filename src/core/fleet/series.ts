// A fleet: many memory series (one per instance, pod or process), each read as a whole file by
// the same classifier as `leakscope classify`, listed leaking first. Pure: no I/O, no threads, so
// the CLI, the worker pool (pool.ts) and a VS Code tree view share it.
import { analyzeSeries } from '../classifier';
import { GrowthClass, isLeakClass, Trace } from '../model';
import { finishSamples, makeSample } from '../trace/samples';

/** One series as Prometheus returns it: its labels, and its points in time order (epoch ms, bytes). */
export interface FleetSeries {
  labels: Record<string, string>;
  tMs: Float64Array;
  values: Float64Array;
}

/** One series' verdict: what a fleet listing shows per instance. */
export interface FleetRow {
  labels: Record<string, string>;
  /** A short name that tells this series from the others ("pod-7", "10.0.0.3:9100 pid=42"). */
  name: string;
  class: GrowthClass;
  confidence: number;
  slopeBytesPerS: number;
  slopeUncertaintyBytesPerS: number;
  /** The last value of the series (NaN when it has none). */
  lastBytes: number;
  points: number;
  explanation: string;
}

/** Labels that name where a series comes from, most telling first; others follow alphabetically. */
const NAMING_LABELS = ['pod', 'instance', 'pid', 'command', 'container', 'job'];

/** A stable identity for a label set: its pairs, sorted. */
export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A name per series, built from the labels whose values differ between series (a label all share,
 * like job, says nothing), pod or instance first. A lone series is named by its pod or instance.
 */
export function seriesNames(labelSets: readonly Record<string, string>[]): string[] {
  // __name__ counts only when it varies (a query over several metrics); it is ranked last.
  const names = new Set(labelSets.flatMap((labels) => Object.keys(labels)));
  const varying = orderLabels([...names].filter((name) => new Set(labelSets.map((l) => l[name] ?? '')).size > 1));
  return labelSets.map((labels) => {
    if (varying.length === 0) return labels.pod ?? labels.instance ?? (describeLabels(labels) || 'series');
    return varying
      .filter((name) => labels[name] !== undefined)
      .map((name, i) => (i === 0 && (name === 'pod' || name === 'instance') ? labels[name] : `${name}=${labels[name]}`))
      .join(' ');
  });
}

function orderLabels(names: string[]): string[] {
  const rank = (name: string) => (NAMING_LABELS.includes(name) ? NAMING_LABELS.indexOf(name) : name === '__name__' ? NAMING_LABELS.length + 1 : NAMING_LABELS.length);
  return names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

function describeLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/** Classifies one series as a whole file (no warm-up: a stored range knows no process start). */
export function classifyOne(series: FleetSeries, name: string): FleetRow {
  const a = analyzeSeries(series.tMs, series.values);
  return {
    labels: series.labels,
    name,
    class: a.class,
    confidence: a.confidence,
    slopeBytesPerS: a.slopeBytesPerS,
    slopeUncertaintyBytesPerS: a.slopeUncertaintyBytesPerS,
    lastBytes: series.values.length ? series.values[series.values.length - 1] : NaN,
    points: a.samples,
    explanation: a.explanation,
  };
}

/** Every series classified, listed leaking first, then by slope, steepest first. */
export function classifyFleet(series: readonly FleetSeries[]): FleetRow[] {
  const names = seriesNames(series.map((s) => s.labels));
  return sortRows(series.map((s, i) => classifyOne(s, names[i])));
}

/** Leaks first; within each group the steepest slope first; then by name, so the order is stable. */
export function sortRows(rows: FleetRow[]): FleetRow[] {
  return rows.sort((a, b) => Number(isLeakClass(b.class)) - Number(isLeakClass(a.class)) || b.slopeBytesPerS - a.slopeBytesPerS || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * One series as a recorded trace, for the memory panel: RSS only (Prometheus gave no threads, fds
 * or children), with the series' name as its command.
 */
export function seriesTrace(series: FleetSeries, name: string): Trace {
  const samples = Array.from(series.tMs, (tMs, i) => makeSample(tMs, series.values[i]));
  return { command: name, samples: finishSamples(samples), events: [] };
}
