// The deep probe's engine: probe a process or run an action in it. The extension loads it on
// first use (src/probe/probeEngineLoader.ts); which runtime a process is lives in runtime.ts.
import { ProbeError } from './errors';
import { NodeOpenOptions } from './nodeInspector';
import { probeNode, runNodeGc } from './nodeProbe';
import { probePython, PythonRunOptions, runPythonGc, runPythonMallocTrim } from './pythonProbe';
import { requireRuntime } from './runtime';
import { MemoryActionResult, ProbeResult, StatusCallback } from './types';

export * from './errors';
export * from './types';
export { detectProbeRuntime, programName } from './runtime';
export { NodeInspectorSession } from './nodeInspector';
export type { CloseReport, NodeOpenOptions, SampleOptions } from './nodeInspector';
export { probeNode, runNodeGc } from './nodeProbe';
export { probePython, pythonProbeState, runPythonGc, runPythonMallocTrim } from './pythonProbe';
export type { PythonProbeOptions, PythonRunOptions } from './pythonProbe';
export { decidePythonMethod, pythonProbeSupport } from './pythonSupport';
export type { PythonFacts, PythonProbeMethod, PythonProbeSupport } from './pythonSupport';
export { gpuMemoryForPid, parseComputeApps } from './gpu';

export interface ProbeOptions {
  windowMs?: number;
  signal?: AbortSignal;
  onStatus?: StatusCallback;
  /** Python: time allowed for the target to start the probe. */
  startTimeoutMs?: number;
  /** Node: bounds of opening the inspector. */
  open?: NodeOpenOptions;
}

/** "Find what is growing": allocation sites of `pid` over a window, ranked by bytes. */
export async function probeProcess(pid: number, options: ProbeOptions = {}): Promise<ProbeResult> {
  return requireRuntime(pid) === 'node'
    ? probeNode(pid, { windowMs: options.windowMs, signal: options.signal, onStatus: options.onStatus, open: options.open })
    : probePython(pid, { windowMs: options.windowMs, signal: options.signal, onStatus: options.onStatus, startTimeoutMs: options.startTimeoutMs });
}

/** A full garbage collection in the process, with RSS before and after. */
export async function runGc(pid: number, options: PythonRunOptions = {}): Promise<MemoryActionResult> {
  return requireRuntime(pid) === 'node' ? runNodeGc(pid, { signal: options.signal, onStatus: options.onStatus }) : runPythonGc(pid, options);
}

/** malloc_trim(0) in a Python process (glibc): shows whether RSS is fragmentation. */
export async function runMallocTrim(pid: number, options: PythonRunOptions = {}): Promise<MemoryActionResult> {
  if (requireRuntime(pid) === 'node') {
    throw new ProbeError('unsupported', `malloc_trim is offered for Python processes; process ${pid} is Node.js, whose heap is managed by V8 (use "run GC" instead).`);
  }
  return runPythonMallocTrim(pid, options);
}
