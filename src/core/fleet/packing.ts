// Series packed into a few flat arrays to cross to a worker thread: two Float64Arrays and an offset
// table are transferred (moved, not copied), where an array of 1,000 series objects would be
// cloned one typed array at a time.
import type { PrometheusError, RangeQuery } from './prometheus';
import { FleetRow, FleetSeries } from './series';

export interface PackedBatch {
  labels: Record<string, string>[];
  names: string[];
  /** Series i holds points offsets[i] .. offsets[i + 1] - 1. */
  offsets: Uint32Array;
  tMs: Float64Array;
  values: Float64Array;
}

/**
 * A job for a worker: classify a batch it is sent, or read the series from Prometheus itself and
 * classify them all (then neither the fetch, the JSON parse nor the copy touches the caller's thread),
 * or read them and send back only the one series whose labels have the given key (seriesKey).
 */
export type WorkerJob =
  | { id: number; kind: 'classify'; batch: PackedBatch }
  | { id: number; kind: 'query'; query: RangeQuery }
  | { id: number; kind: 'series'; query: RangeQuery; key: string };

export type WorkerAnswer =
  | { id: number; rows: FleetRow[]; warnings?: string[]; requests?: number }
  | { id: number; series: FleetSeries | null }
  | { id: number; error: string; prometheusKind?: PrometheusError['kind'] };

export function packBatch(series: readonly FleetSeries[], names: readonly string[]): PackedBatch {
  const offsets = new Uint32Array(series.length + 1);
  for (let i = 0; i < series.length; i++) offsets[i + 1] = offsets[i] + Math.min(series[i].tMs.length, series[i].values.length);
  const total = offsets[series.length];
  const tMs = new Float64Array(total);
  const values = new Float64Array(total);
  series.forEach((s, i) => {
    const n = offsets[i + 1] - offsets[i];
    tMs.set(s.tMs.subarray(0, n), offsets[i]);
    values.set(s.values.subarray(0, n), offsets[i]);
  });
  return { labels: series.map((s) => s.labels), names: [...names], offsets, tMs, values };
}

/** The series of a batch again, as views on its arrays (no copy). */
export function unpackBatch(batch: PackedBatch): { series: FleetSeries; name: string }[] {
  return batch.labels.map((labels, i) => ({
    series: { labels, tMs: batch.tMs.subarray(batch.offsets[i], batch.offsets[i + 1]), values: batch.values.subarray(batch.offsets[i], batch.offsets[i + 1]) },
    name: batch.names[i],
  }));
}

/** The buffers to transfer with a batch. */
export function transferList(batch: PackedBatch): ArrayBuffer[] {
  return [batch.offsets.buffer as ArrayBuffer, batch.tMs.buffer as ArrayBuffer, batch.values.buffer as ArrayBuffer];
}
