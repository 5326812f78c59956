// What crosses between the extension host and the trace worker (traceWorker.ts): one job, then
// progress reports and one answer. The sample columns come back as Float64Arrays whose buffers
// are transferred; a failure comes back as what the host rebuilds into the same error.
import { PackedSampleColumns } from '../core/shared/columns';
import type { OpenedTrace } from './traceView';

export type TraceJob = { kind: 'file'; path: string } | { kind: 'bytes'; bytes: Uint8Array; fileName: string };

/** An opened trace with its sample columns packed (NaN where an optional reading is missing). */
export type PackedOpenedTrace = Omit<OpenedTrace, 'samples'> & { samples: PackedSampleColumns };

export type TraceAnswer =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'done'; trace: PackedOpenedTrace }
  /** A TraceParseError (line and reason) or any other failure (message). */
  | { type: 'error'; line: number; reason: string }
  | { type: 'error'; message: string };

/** The buffers of packed columns, to transfer them. */
export function columnBuffers(columns: PackedSampleColumns): ArrayBuffer[] {
  return Object.values(columns).map((column: Float64Array) => column.buffer as ArrayBuffer);
}
