// classifyFleet off the calling thread: the series are split into one batch per worker thread
// (balanced by points), classified there (worker.ts), and the rows come back sorted. Copying the
// series into the batches is the calling thread's share (~0.1 s for 1.44 M points: fresh memory's
// first touch); readFleetOffThread leaves it nothing at all: one worker reads Prometheus (fetch
// and JSON parse, the larger cost) and classifies, and only the rows come back. An extension host
// calls that one so that a fleet never freezes its UI.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packBatch, transferList, WorkerAnswer, WorkerJob } from './packing';
import { PrometheusError, RangeQuery } from './prometheus';
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
  const script = workerScript(options);
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

/** Reads the fleet from Prometheus and classifies it in one worker thread; the calling thread only waits. */
export async function readFleetOffThread(query: Omit<RangeQuery, 'signal'>, options: Omit<PoolOptions, 'threads'> = {}): Promise<{ rows: FleetRow[]; warnings: string[]; requests: number }> {
  const answer = rowsOf(await runJob(workerScript(options), { id: 0, kind: 'query', query }, [], options.signal));
  return { rows: answer.rows, warnings: answer.warnings ?? [], requests: answer.requests ?? 0 };
}

/**
 * One series of a fleet read again (same query, same range) for a closer look, e.g. the memory
 * panel: the worker reads the whole answer and sends back only the series whose labels have
 * `key` (seriesKey), or undefined when the range no longer holds it.
 */
export async function readSeriesOffThread(query: Omit<RangeQuery, 'signal'>, key: string, options: Omit<PoolOptions, 'threads'> = {}): Promise<FleetSeries | undefined> {
  const answer = await runJob(workerScript(options), { id: 0, kind: 'series', query, key }, [], options.signal);
  if (!('series' in answer)) throw new Error('fleet worker: answered rows where one series was asked for');
  return answer.series ?? undefined;
}

function workerScript(options: Pick<PoolOptions, 'workerScript'>): string {
  return options.workerScript ?? join(__dirname, WORKER_BUNDLE);
}

function runBatch(script: string, series: readonly FleetSeries[], names: readonly string[], signal: AbortSignal | undefined): Promise<FleetRow[]> {
  const batch = packBatch(series, names);
  return runJob(script, { id: 0, kind: 'classify', batch }, transferList(batch), signal).then((answer) => rowsOf(answer).rows);
}

type Answered = Exclude<WorkerAnswer, { error: string }>;
type Rows = Extract<WorkerAnswer, { rows: FleetRow[] }>;

function rowsOf(answer: Answered): Rows {
  if (!('rows' in answer)) throw new Error('fleet worker: answered one series where rows were asked for');
  return answer;
}

/** One worker, one job: the worker ends once it has answered (or failed, or the caller gave up). */
function runJob(script: string, job: WorkerJob, transfer: ArrayBuffer[], signal: AbortSignal | undefined): Promise<Answered> {
  return new Promise<Answered>((resolve, reject) => {
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
    worker.on('message', (answer: WorkerAnswer) => settle(() => ('error' in answer ? reject(workerError(answer)) : resolve(answer))));
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`fleet worker exited (code ${code}) before answering`))));
    worker.postMessage(job, transfer);
  });
}

/** A Prometheus failure keeps its kind across the thread boundary; anything else says where it happened. */
function workerError(answer: Extract<WorkerAnswer, { error: string }>): Error {
  return answer.prometheusKind ? new PrometheusError(answer.error, answer.prometheusKind) : new Error(`fleet worker: ${answer.error}`);
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
