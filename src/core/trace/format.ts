// Writing traces. CSV: a header line, then `t_ms,rss_bytes,...` one sample a line, so that
// `leakscope watch` can stream it. JSON: one object, columns as arrays (compact for a day of samples).
import { MemorySample, Trace } from '../model';

export const TRACE_JSON_FORMAT = 'leakscope-trace';
export const TRACE_JSON_VERSION = 1;

/** CSV columns in order; the first two are required when reading, the rest optional. */
export const CSV_COLUMNS = ['t_ms', 'rss_bytes', 'threads', 'fds', 'children_rss_bytes', 'cpu_percent'] as const;

export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

export function sampleToCsvRow(s: MemorySample): string {
  return [s.tMs, s.rssBytes, s.threads, s.fds, s.childrenRssBytes, round2(s.cpuPercent)].join(',');
}

export function traceToCsv(trace: Trace): string {
  return [csvHeader(), ...trace.samples.map(sampleToCsvRow)].join('\n') + '\n';
}

/** The JSON trace document. Optional per-sample readings appear only when some sample has them. */
export interface TraceJson {
  format: typeof TRACE_JSON_FORMAT;
  version: number;
  pid?: number;
  command?: string;
  samples: Record<string, (number | null)[]>;
  events: { t_ms: number; kind: string; label: string }[];
}

export function traceToJson(trace: Trace): string {
  const s = trace.samples;
  const columns: Record<string, (number | null)[]> = {
    t_ms: s.map((x) => x.tMs),
    rss_bytes: s.map((x) => x.rssBytes),
    threads: s.map((x) => x.threads),
    fds: s.map((x) => x.fds),
    children_rss_bytes: s.map((x) => x.childrenRssBytes),
    child_count: s.map((x) => x.childCount),
    cpu_percent: s.map((x) => round2(x.cpuPercent)),
  };
  const optional = { uss_bytes: 'ussBytes', pss_bytes: 'pssBytes', heap_used_bytes: 'heapUsedBytes', gpu_bytes: 'gpuBytes' } as const;
  for (const [column, key] of Object.entries(optional)) {
    if (s.some((x) => x[key] !== undefined)) columns[column] = s.map((x) => x[key] ?? null);
  }
  const doc: TraceJson = {
    format: TRACE_JSON_FORMAT,
    version: TRACE_JSON_VERSION,
    ...(trace.pid !== undefined ? { pid: trace.pid } : {}),
    ...(trace.command !== undefined ? { command: trace.command } : {}),
    samples: columns,
    events: trace.events.map((e) => ({ t_ms: e.tMs, kind: e.kind, label: e.label })),
  };
  return JSON.stringify(doc);
}

/** One JSON object per sample, for `leakscope watch --json` (snake_case like the files). */
export function sampleToJsonLine(s: MemorySample): string {
  return JSON.stringify({
    t_ms: s.tMs,
    rss_bytes: s.rssBytes,
    delta_bytes: s.deltaBytes,
    threads: s.threads,
    fds: s.fds,
    children_rss_bytes: s.childrenRssBytes,
    child_count: s.childCount,
    cpu_percent: round2(s.cpuPercent),
    ...(s.ussBytes !== undefined ? { uss_bytes: s.ussBytes } : {}),
    ...(s.pssBytes !== undefined ? { pss_bytes: s.pssBytes } : {}),
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
