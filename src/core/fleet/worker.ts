// The worker thread of the fleet pool (pool.ts): classifies the batches it is sent, or reads a
// fleet from Prometheus and classifies it, and answers with the rows (or with one series of it). Built as its own bundle,
// dist/fleetWorker.js, beside the CLI and the extension.
import { parentPort } from 'node:worker_threads';
import { classifyFleet, classifyOne, seriesKey } from './series';
import { PrometheusError, queryRange } from './prometheus';
import { unpackBatch, WorkerAnswer, WorkerJob } from './packing';

async function answer(job: WorkerJob): Promise<WorkerAnswer> {
  try {
    if (job.kind === 'classify') return { id: job.id, rows: unpackBatch(job.batch).map(({ series, name }) => classifyOne(series, name)) };
    const result = await queryRange(job.query);
    if (job.kind === 'series') return { id: job.id, series: result.series.find((s) => seriesKey(s.labels) === job.key) ?? null };
    return { id: job.id, rows: classifyFleet(result.series), warnings: result.warnings, requests: result.requests };
  } catch (error) {
    if (error instanceof PrometheusError) return { id: job.id, error: error.message, prometheusKind: error.kind };
    return { id: job.id, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
}

parentPort?.on('message', (job: WorkerJob) => void answer(job).then((a) => parentPort?.postMessage(a)));
