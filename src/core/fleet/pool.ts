// classifyFleet off the calling thread: the series are split into one batch per worker thread
// (balanced by points), classified there (worker.ts), and the rows come back sorted. The extension
// host calls this so that 1,000 series never freeze its UI; the CLI uses it for the speed-up.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packBatch, transferList, WorkerAnswer } from './packing';
import { FleetRow, FleetSeries, seriesNames, sortRows } from './series';

/** The worker's bundle, built beside dist/cli.js and dist/extension.js (scripts/build.mjs). */
export const WORKER_BUNDLE = 'fleetWorker.js';
const MAX_THREADS = 8;

export interface PoolOptions {
  /** Worker threads (default: the cores available but one, which the caller's UI keeps; 1 to 8; no more than the series). */
  threads?: number;
  /** Path of the worker bundle (default: fleetWorker.js beside the running bundle). */
  workerScript?: string;
  signal?: AbortSignal;
}

export async function classifyFleetOffThread(series: readonly FleetSeries[], options: PoolOptions = {}): Promise<FleetRow[]> {
  if (series.length === 0) return [];
  const names = seriesNames(series.map((s) => s.labels));
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), series.length));
  const script = options.workerScript ?? join(__dirname, WORKER_BUNDLE);
  const batches = splitByPoints(series.length, (i) => series[i].tMs.length, threads);
  const rows = await Promise.all(batches.map(([from, to]) => runBatch(script, series.slice(from, to), names.slice(from, to), options.signal)));
  return sortRows(rows.flat());
}

/**
 * Every core but one: the calling thread (an extension host drawing a UI) keeps a core to itself.
 * On a loaded 2-core machine two workers were slower than one and stalled the caller twice as long.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, MAX_THREADS));
}

/** Contiguous index ranges [from, to) holding about the same number of points each. */
export function splitByPoints(count: number, pointsOf: (i: number) => number, parts: number): [number, number][] {
  let total = 0;
  for (let i = 0; i < count; i++) total += pointsOf(i);
  const ranges: [number, number][] = [];
  let from = 0;
  let seen = 0;
  for (let i = 0; i < count; i++) {
    seen += pointsOf(i);
    const isLast = i === count - 1;
    if (isLast || seen >= (total * (ranges.length + 1)) / parts) {
      ranges.push([from, i + 1]);
      from = i + 1;
    }
  }
  return ranges;
}

/** One worker, one batch: the worker ends once it has answered (or failed, or the caller gave up). */
function runBatch(script: string, series: readonly FleetSeries[], names: readonly string[], signal: AbortSignal | undefined): Promise<FleetRow[]> {
  return new Promise<FleetRow[]>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const worker = new Worker(script);
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const onAbort = () => settle(() => reject(abortReason(signal)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (answer: WorkerAnswer) => settle(() => ('rows' in answer ? resolve(answer.rows) : reject(new Error(`fleet worker: ${answer.error}`)))));
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`fleet worker exited (code ${code}) before answering`))));
    const batch = packBatch(series, names);
    worker.postMessage({ id: 0, batch }, transferList(batch));
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
