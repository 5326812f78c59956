// The worker thread of "Open memory trace…" (traceOffThread.ts starts it): reads a trace file, or
// bytes fetched whole, into typed columns, judges and thins it (openTraceFile / openTraceBytes),
// and answers with what the panel keeps, its sample columns packed as Float64Arrays that are
// transferred, not copied. The extension host only waits: a 168 MB CSV took it ~6 s of blocked
// thread when read in place. Built as its own bundle, dist/traceWorker.js, beside the extension.
import { parentPort } from 'node:worker_threads';
import { packColumns } from '../core/shared/columns';
import { TraceParseError } from '../core/trace/parseError';
import { errorMessage } from '../core/errorMessage';
import { openTraceBytes, openTraceFile, OpenedTrace } from './traceView';
import { columnBuffers, TraceAnswer, TraceJob } from './traceJob';

/** Progress is told at most this often (in whole percent steps), not once per 64 KB chunk. */
const PERCENT_STEP = 1;

function progressReporter(): (bytesRead: number, totalBytes: number) => void {
  let told = -PERCENT_STEP;
  return (bytesRead, totalBytes) => {
    const percent = totalBytes > 0 ? Math.floor((bytesRead / totalBytes) * 100) : 100;
    if (percent - told < PERCENT_STEP) return;
    told = percent;
    post({ type: 'progress', bytesRead, totalBytes });
  };
}

function open(job: TraceJob): OpenedTrace {
  const onProgress = progressReporter();
  return job.kind === 'file' ? openTraceFile(job.path, { onProgress }) : openTraceBytes(job.bytes, job.fileName, { onProgress });
}

function answer(job: TraceJob): void {
  try {
    const { samples, ...rest } = open(job);
    const packed = packColumns(samples);
    post({ type: 'done', trace: { ...rest, samples: packed } }, columnBuffers(packed));
  } catch (error) {
    if (error instanceof TraceParseError) post({ type: 'error', line: error.line, reason: error.reason });
    else post({ type: 'error', message: errorMessage(error) });
  }
}

function post(message: TraceAnswer, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

parentPort?.once('message', (job: TraceJob) => answer(job));
