// What Leakscope serves about the processes it watches, as OpenMetrics families: their memory,
// threads, fds and children as last read, and the growth verdict (slope, confidence, class).
// Labels pid, command and runtime tell the processes apart; Prometheus adds instance and job.
import { Disposable } from '../events';
import { GROWTH_CLASSES, GrowthVerdict, hasMeasuredSlope, MemorySample, Runtime } from '../model';
import type { WatchSession } from '../session';
import { shortCommand } from '../discovery/processes';
import { MetricFamily, MetricPoint, statesetPoints } from './exposition';

/** One watched process as the exposition shows it. */
export interface WatchedProcessReading {
  pid: number;
  command: string;
  runtime: Runtime;
  /** The latest sample (none before the first). */
  sample: MemorySample | undefined;
  /** The latest USS and PSS read (they come at the slower detail cadence, not with every sample). */
  ussBytes: number | undefined;
  pssBytes: number | undefined;
  verdict: GrowthVerdict;
}

/** The metric family names, for a query (`leakscope fleet --query …`) or a dashboard. */
export const METRICS = {
  rss: 'leakscope_process_resident_memory_bytes',
  uss: 'leakscope_process_unique_memory_bytes',
  pss: 'leakscope_process_proportional_memory_bytes',
  threads: 'leakscope_process_threads',
  fds: 'leakscope_process_open_fds',
  childrenRss: 'leakscope_process_children_resident_memory_bytes',
  children: 'leakscope_process_children',
  slope: 'leakscope_verdict_slope_bytes_per_second',
  confidence: 'leakscope_verdict_confidence',
  verdictClass: 'leakscope_verdict_class',
} as const;

type Read = (r: WatchedProcessReading) => number | undefined;

interface GaugeSpec {
  name: string;
  unit?: string;
  help: string;
  read: Read;
}

const GAUGES: GaugeSpec[] = [
  { name: METRICS.rss, unit: 'bytes', help: 'Resident set size of the watched process.', read: (r) => r.sample?.rssBytes },
  { name: METRICS.uss, unit: 'bytes', help: 'Unique set size (memory only this process holds), from smaps_rollup at the detail interval.', read: (r) => r.ussBytes },
  { name: METRICS.pss, unit: 'bytes', help: 'Proportional set size (shared pages split among their users), from smaps_rollup at the detail interval.', read: (r) => r.pssBytes },
  { name: METRICS.threads, help: 'Threads of the watched process.', read: (r) => nonNegative(r.sample?.threads) },
  { name: METRICS.fds, help: 'Open file descriptors of the watched process (absent when they cannot be read).', read: (r) => nonNegative(r.sample?.fds) },
  { name: METRICS.childrenRss, unit: 'bytes', help: "Summed resident set size of the watched process's descendants.", read: (r) => r.sample?.childrenRssBytes },
  { name: METRICS.children, help: 'Descendant processes of the watched process.', read: (r) => r.sample?.childCount },
  { name: METRICS.slope, unit: 'bytes_per_second', help: "Slope of the memory baseline (troughs) by Leakscope's growth classifier; absent until measured.", read: (r) => (hasMeasuredSlope(r.verdict) ? r.verdict.slopeBytesPerS : undefined) },
  { name: METRICS.confidence, help: 'Confidence (0 to 1) of the growth verdict; 0 while undecided.', read: (r) => r.verdict.confidence },
];

function nonNegative(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : value;
}

export function readingLabels(r: WatchedProcessReading): Record<string, string> {
  return { pid: String(r.pid), command: r.command, runtime: r.runtime };
}

/** The families for these processes; a gauge with no value for any of them is left out. */
export function watchedProcessFamilies(readings: readonly WatchedProcessReading[]): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const spec of GAUGES) {
    const points: MetricPoint[] = [];
    for (const r of readings) {
      const value = spec.read(r);
      if (value !== undefined && Number.isFinite(value)) points.push({ labels: readingLabels(r), value });
    }
    if (points.length) families.push({ name: spec.name, type: 'gauge', ...(spec.unit ? { unit: spec.unit } : {}), help: spec.help, points });
  }
  if (readings.length) {
    families.push({
      name: METRICS.verdictClass,
      type: 'stateset',
      help: "Growth verdict of Leakscope's classifier: flat, plateau, spiky, steady-leak, stepwise-leak or unknown (undecided).",
      points: readings.flatMap((r) => statesetPoints(METRICS.verdictClass, readingLabels(r), GROWTH_CLASSES, r.verdict.class)),
    });
  }
  return families;
}

/**
 * The watch sessions whose metrics are served: each one's last USS and PSS are kept as its samples
 * arrive; a session whose process has exited, or that was removed, drops out of the exposition.
 */
export class WatchedSessionMetrics implements Disposable {
  private readonly entries = new Map<WatchSession, { ussBytes?: number; pssBytes?: number; subscription: Disposable }>();

  add(session: WatchSession): Disposable {
    const entry: { ussBytes?: number; pssBytes?: number; subscription: Disposable } = { subscription: { dispose: () => undefined } };
    entry.subscription = session.monitor.onSample((sample) => {
      if (sample.ussBytes !== undefined) entry.ussBytes = sample.ussBytes;
      if (sample.pssBytes !== undefined) entry.pssBytes = sample.pssBytes;
    });
    this.entries.set(session, entry);
    // Not kept in a store: an extension adds and removes sessions all day, and a store would hold
    // every removed session (and its history) through this closure. dispose() removes what is left.
    return { dispose: () => this.remove(session) };
  }

  /** Sessions added and not yet removed (exited ones included, until removed). */
  get size(): number {
    return this.entries.size;
  }

  private remove(session: WatchSession): void {
    this.entries.get(session)?.subscription.dispose();
    this.entries.delete(session);
  }

  readings(): WatchedProcessReading[] {
    return [...this.entries]
      .filter(([session]) => session.monitor.state !== 'exited' && session.monitor.state !== 'detached')
      .map(([session, entry]) => ({
        pid: session.target.pid,
        command: shortCommand(session.target),
        runtime: session.target.runtime,
        sample: session.monitor.latest,
        ussBytes: entry.ussBytes,
        pssBytes: entry.pssBytes,
        verdict: session.verdict,
      }));
  }

  families(): MetricFamily[] {
    return watchedProcessFamilies(this.readings());
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.subscription.dispose();
    this.entries.clear();
  }
}
