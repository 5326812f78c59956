// Column names shared by the CSV, JSON and JSON-lines readers (snake_case, as format.ts writes).
import { OptionalReadings } from './samples';

export type OptionalKey = keyof OptionalReadings;

/** Optional per-sample columns and where they go; anything else in a file is ignored. */
export const OPTIONAL_COLUMNS: Readonly<Record<string, OptionalKey>> = {
  threads: 'threads',
  fds: 'fds',
  children_rss_bytes: 'childrenRssBytes',
  child_count: 'childCount',
  cpu_percent: 'cpuPercent',
  uss_bytes: 'ussBytes',
  pss_bytes: 'pssBytes',
  heap_used_bytes: 'heapUsedBytes',
  gpu_bytes: 'gpuBytes',
};

export function isOptionalColumn(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPTIONAL_COLUMNS, name);
}
