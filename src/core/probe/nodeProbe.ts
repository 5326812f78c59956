// "Find what is growing" and "run GC" for a Node.js target: one inspector session each,
// always closed, bounded in time.
import { NodeInspectorSession, NodeOpenOptions, SampleOptions } from './nodeInspector';
import { MemoryActionResult, ProbeResult, StatusCallback } from './types';
import { formatBytes } from '../units';

export interface NodeProbeOptions extends SampleOptions {
  windowMs?: number;
  signal?: AbortSignal;
  onStatus?: StatusCallback;
  open?: NodeOpenOptions;
}

/** Runs `work` on an open session and closes it whatever happens; close notes are kept. */
export async function withSession<T>(pid: number, open: NodeOpenOptions, work: (session: NodeInspectorSession) => Promise<T>): Promise<{ value: T; notes: string[] }> {
  const session = await NodeInspectorSession.open(pid, open);
  try {
    const value = await work(session);
    const report = await session.close();
    const notes = [...session.notes];
    if (report.openedByUs && !report.portClosed) notes.push(`The inspector port ${session.port} of process ${pid} still accepted connections after closing.`);
    if (!report.targetAlive) notes.push(`Process ${pid} was no longer running after the probe.`);
    return { value, notes };
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
}

export async function probeNode(pid: number, options: NodeProbeOptions = {}): Promise<ProbeResult> {
  const started = Date.now();
  const windowMs = options.windowMs ?? 10_000;
  const open = { signal: options.signal, onStatus: options.onStatus, ...options.open };
  const { value, notes } = await withSession(pid, open, async (session) => {
    options.onStatus?.({ state: 'sampling', message: `Sampling allocations in process ${pid} for ${Math.round(windowMs / 1000)} s…` });
    const sample = await session.sampleAllocations(windowMs, options.signal, options);
    options.onStatus?.({ state: 'reading', message: 'Reading heap use…' });
    const heap = await session.memoryUsage();
    options.onStatus?.({ state: 'closing', message: 'Closing the inspector…' });
    return { sample, heap };
  });
  const { sites, totalBytes, unattributedBytes } = value.sample;
  if (unattributedBytes > 0) {
    notes.push(`${formatBytes(unattributedBytes)} of ${formatBytes(totalBytes)} still alive was allocated with no function of the program on the stack (Node internals, native code).`);
  }
  notes.push(
    'V8 charges allocations of a function it inlined to the function it was inlined into: a small helper can show up as its caller.',
    'Sites are allocations sampled during the window (about one per 8 KiB) that were still alive after a full GC; "count" is the number of samples, not of objects.',
    'V8 reports the line where the allocating function is declared (lineIsFunctionStart); "statement" is a guess at the allocating line from the source.',
  );
  return { pid, runtime: 'node', method: 'inspector', sites, heap: value.heap, windowMs, durationMs: Date.now() - started, notes };
}

export async function runNodeGc(pid: number, open: NodeOpenOptions = {}): Promise<MemoryActionResult> {
  const { value } = await withSession(pid, open, (session) => session.collectGarbage());
  return value;
}
