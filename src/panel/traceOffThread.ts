// "Open memory trace…" off the extension host's thread: one worker thread (traceWorker.ts) reads,
// judges and thins the file, and the host receives only what the panel keeps. Reading a 168 MB CSV
// in place blocked the host (every extension, every command) for ~6 s. Progress comes as bytes
// read; an abort ends the worker at once, even in the middle of a synchronous read.
// VS Code–free: tested in Node.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OPTIONAL_COLUMNS, PackedSampleColumns, REQUIRED_COLUMNS, SampleColumns, emptyColumns, toArray } from '../core/shared/columns';
import { TraceParseError } from '../core/trace/parseError';
import { OpenedTrace } from './traceView';
import { TraceAnswer, TraceJob } from './traceJob';

/** The worker's bundle, built beside dist/extension.js (scripts/build.mjs); the extension passes its path (traceWorkerOf). */
export const TRACE_WORKER_BUNDLE = 'traceWorker.js';

export interface OffThreadOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Path of the worker bundle (default: traceWorker.js beside the running bundle). */
  workerScript?: string;
}

/** A local trace file, opened as openTraceFile opens it, in a worker thread. */
export function openTraceFileOffThread(path: string, options: OffThreadOptions = {}): Promise<OpenedTrace> {
  return runTraceJob({ kind: 'file', path }, [], options);
}

/**
 * Bytes fetched whole (a remote file), opened as openTraceBytes opens them, in a worker thread.
 * They are copied once (a memcpy, ~20 ms for 200 MB) and the copy moved: the caller's array may be
 * a file system provider's own, which moving would empty.
 */
export function openTraceBytesOffThread(bytes: Uint8Array, fileName: string, options: OffThreadOptions = {}): Promise<OpenedTrace> {
  // new Uint8Array(…) copies; Buffer's slice() would be a view of the caller's memory.
  const copy = new Uint8Array(bytes);
  return runTraceJob({ kind: 'bytes', bytes: copy, fileName }, [copy.buffer], options);
}

function runTraceJob(job: TraceJob, transfer: ArrayBuffer[], options: OffThreadOptions): Promise<OpenedTrace> {
  const { signal } = options;
  return new Promise<OpenedTrace>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const worker = new Worker(options.workerScript ?? join(__dirname, TRACE_WORKER_BUNDLE));
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const onAbort = (): void => settle(() => reject(abortReason(signal)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (answer: TraceAnswer) => {
      if (answer.type === 'progress') {
        if (!settled) options.onProgress?.(answer.bytesRead, answer.totalBytes);
      } else if (answer.type === 'done') {
        settle(() => resolve(unpackInTurns(answer.trace.samples).then((samples) => ({ ...answer.trace, samples }))));
      } else {
        settle(() => reject('line' in answer ? new TraceParseError(answer.line, answer.reason) : new Error(answer.message)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the trace reader's thread exited (code ${code}) before answering`))));
    worker.postMessage(job, transfer);
  });
}

/**
 * The thinned columns as the panel's plain arrays, one column an event-loop turn: up to 172,800
 * values a column, converting all of them at once blocked the host for ~0.2–0.5 s on a busy machine.
 */
async function unpackInTurns(packed: PackedSampleColumns): Promise<SampleColumns> {
  const columns = emptyColumns();
  for (const key of REQUIRED_COLUMNS) {
    columns[key] = toArray(packed[key], false) as number[];
    await nextTurn();
  }
  for (const key of OPTIONAL_COLUMNS) {
    const values = packed[key];
    if (!values) continue;
    columns[key] = toArray(values, true);
    await nextTurn();
  }
  return columns;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
