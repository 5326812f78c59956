// The deep probe's entry points: tell the runtime of a process, then probe it or run an action.
import { basename } from 'node:path';
import { ProbeError } from './errors';
import { NodeOpenOptions } from './nodeInspector';
import { probeNode, runNodeGc } from './nodeProbe';
import { probePython, PythonRunOptions, runPythonGc, runPythonMallocTrim } from './pythonProbe';
import { parsePythonVersion } from './pythonSupport';
import { readExe } from '../discovery/procfs';
import { probeRead, readMapsPaths } from './procfs';
import { MemoryActionResult, ProbeResult, ProbeRuntime, StatusCallback } from './types';

export * from './errors';
export * from './types';
export { NodeInspectorSession } from './nodeInspector';
export type { CloseReport, NodeOpenOptions, SampleOptions } from './nodeInspector';
export { probeNode, runNodeGc } from './nodeProbe';
export { probePython, pythonProbeState, runPythonGc, runPythonMallocTrim } from './pythonProbe';
export type { PythonProbeOptions, PythonRunOptions } from './pythonProbe';
export { decidePythonMethod, pythonProbeSupport } from './pythonSupport';
export type { PythonFacts, PythonProbeMethod, PythonProbeSupport } from './pythonSupport';
export { gpuMemoryForPid, parseComputeApps } from './gpu';

/** 'node' or 'python' from the executable and the mapped libraries; undefined for others. */
export function detectProbeRuntime(pid: number): ProbeRuntime | undefined {
  const exe = basename(probeRead(pid, 'read the executable of', readExe).path);
  if (/^(node|nodejs)\d*$/.test(exe)) return 'node';
  if (/^python/.test(exe)) return 'python';
  const maps = readMapsPaths(pid);
  if (maps.some((p) => /\/libnode\.so/.test(p))) return 'node';
  if (maps.some((p) => parsePythonVersion(basename(p)) && /libpython/.test(p))) return 'python';
  return undefined;
}

/**
 * The name of the program a pid runs now, from /proc/PID/exe: argv read at attach time can be
 * a wrapper's (or the parent's, caught between fork and exec).
 */
export function programName(pid: number): string {
  try {
    return basename(readExe(pid).path);
  } catch {
    return 'unknown';
  }
}

function requireRuntime(pid: number): ProbeRuntime {
  const runtime = detectProbeRuntime(pid);
  if (!runtime) throw new ProbeError('unsupported', `Process ${pid} (${programName(pid)}) is neither a Node.js nor a Python process, so it cannot be probed.`);
  return runtime;
}

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
