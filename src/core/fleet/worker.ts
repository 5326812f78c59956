// The worker thread of the fleet pool (pool.ts): classifies the batches it is sent and answers with
// their rows. Built as its own bundle, dist/fleetWorker.js, beside the CLI and the extension.
import { parentPort } from 'node:worker_threads';
import { classifyOne } from './series';
import { unpackBatch, WorkerAnswer, WorkerJob } from './packing';

function answer(job: WorkerJob): WorkerAnswer {
  try {
    return { id: job.id, rows: unpackBatch(job.batch).map(({ series, name }) => classifyOne(series, name)) };
  } catch (error) {
    return { id: job.id, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
}

parentPort?.on('message', (job: WorkerJob) => parentPort?.postMessage(answer(job)));
