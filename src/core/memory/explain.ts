// `explain`: the decomposition of a live process over a window, the limit that applies to it
// and the diagnosis of its growth. /proc is read every interval (cheap); the interpreter's view
// is read at both ends of the window only with consent (it injects), after the attach doctor
// found nothing that would stop it; what was skipped is said, never silently dropped.
import { readFileSync } from 'node:fs';
import { detectProbeRuntime, isProbeError, MemoryActionResult, ProbeRuntime, runMallocTrim, StatusCallback } from '../probe';
import { delay } from '../probe/util';
import { ApplicableLimit, applicableLimits } from './applicableLimit';
import { DecompositionWindow, diagnose, Diagnosis, ProcReading } from './diagnose';
import { AttachFacts, attachDoctor, AttachReport } from './doctor';
import { NodeMemoryView, readNodeMemoryWindow } from './nodeMemory';
import { AnonMapping, largestAnonMappings, ProcMemory, readProcMemory } from './procMemory';
import { PythonMemoryView, readPythonMemory } from './pythonMemory';
import { errorMessage } from '../errorMessage';

export interface ExplainOptions {
  windowMs: number;
  /** Between /proc readings. Default 1000. */
  intervalMs?: number;
  /** Consent to read from inside (inject into Python, open Node's inspector). */
  inject: boolean;
  /** Also run malloc_trim(0) at the end and measure what it returns (Python, glibc; needs inject). */
  mallocTrim?: boolean;
  userLimitBytes?: number;
  signal?: AbortSignal;
  onStatus?: StatusCallback;
  /** Facts for the attach doctor to take as given: a setting that must not be changed on this
   *  machine (ptrace_scope) is simulated this way. */
  doctorFacts?: Partial<AttachFacts>;
}

export interface Explanation {
  pid: number;
  runtime?: ProbeRuntime;
  proc: ProcMemory;
  mappings: AnonMapping[];
  python?: PythonMemoryView;
  node?: NodeMemoryView;
  trim?: MemoryActionResult;
  limit?: ApplicableLimit;
  limits: ApplicableLimit[];
  diagnosis: Diagnosis;
  doctor?: AttachReport;
  /** What was not done, and why (no consent, a blocker, a failed injection). */
  skipped: string[];
  notes: string[];
}

function safeRuntime(pid: number): ProbeRuntime | undefined {
  try {
    return detectProbeRuntime(pid);
  } catch {
    // Another user's /proc/PID/exe and maps cannot be read; its comm can.
    const comm = readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
    return /^python/.test(comm) ? 'python' : /^node/.test(comm) ? 'node' : undefined;
  }
}

/** /proc readings every `intervalMs` until `endMs`. */
async function readWindow(pid: number, readings: ProcReading[], endMs: number, intervalMs: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    readings.push({ tMs: Date.now(), proc: readProcMemory(pid) });
    const left = endMs - Date.now();
    if (left <= 0) return;
    await delay(Math.min(intervalMs, left), signal);
  }
}

interface InsideViews {
  python?: { first: PythonMemoryView; last: PythonMemoryView };
  node?: { first: NodeMemoryView; last: NodeMemoryView };
  trim?: MemoryActionResult;
}

async function readPythonWindow(pid: number, options: ExplainOptions, readings: ProcReading[], notes: string[]): Promise<InsideViews> {
  const run = { signal: options.signal, onStatus: options.onStatus };
  const first = await readPythonMemory(pid, run);
  await readWindow(pid, readings, Date.now() + options.windowMs, options.intervalMs ?? 1000, options.signal);
  const last = await readPythonMemory(pid, run);
  notes.push(`Read from inside Python ${last.version} twice (${last.method}, ${first.durationMs + last.durationMs} ms in all).`);
  return { python: { first, last }, trim: options.mallocTrim ? await measureTrim(pid, run, notes) : undefined };
}

/** malloc_trim(0) and what it returned; a refusal (not glibc) is noted, the readings kept. */
async function measureTrim(pid: number, run: { signal?: AbortSignal; onStatus?: StatusCallback }, notes: string[]): Promise<MemoryActionResult | undefined> {
  try {
    return await runMallocTrim(pid, run);
  } catch (error) {
    if (!isProbeError(error, 'unsupported')) throw error;
    notes.push(error.message);
    return undefined;
  }
}

async function readNodeWindow(pid: number, options: ExplainOptions, readings: ProcReading[], notes: string[]): Promise<InsideViews> {
  const tick = () => readings.push({ tMs: Date.now(), proc: readProcMemory(pid) });
  const open = { signal: options.signal, onStatus: options.onStatus };
  const { first, last, notes: sessionNotes } = await readNodeMemoryWindow(pid, options.windowMs, open, tick);
  tick();
  notes.push(...sessionNotes, 'heapUsed is read after a full garbage collection at both ends of the window.');
  return { node: { first, last } };
}

async function readInside(pid: number, runtime: ProbeRuntime, options: ExplainOptions, readings: ProcReading[], notes: string[]): Promise<InsideViews> {
  return runtime === 'python' ? readPythonWindow(pid, options, readings, notes) : readNodeWindow(pid, options, readings, notes);
}

/** The attach doctor's report; when reading from inside will not happen, says why in `skipped`. */
async function consultDoctor(pid: number, runtime: ProbeRuntime | undefined, options: ExplainOptions, skipped: string[]): Promise<AttachReport> {
  // The doctor only reads /proc: it runs with or without consent, so its answer is always shown.
  const doctor = await attachDoctor(pid, runtime, options.doctorFacts);
  if (!runtime) {
    skipped.push(`Process ${pid} is neither Python nor Node.js: only the /proc decomposition is available.`);
  } else if (!options.inject) {
    skipped.push(`Did not read from inside process ${pid} (${runtime === 'python' ? 'tracemalloc, pymalloc arenas, glibc mallinfo2' : 'process.memoryUsage(), V8 heap statistics'}): no consent. Pass --yes (or answer y on a terminal) to include it.`);
  } else {
    for (const blocker of doctor.findings.filter((f) => f.level === 'blocker')) skipped.push(blocker.message);
  }
  return doctor;
}

export async function explainProcess(pid: number, options: ExplainOptions): Promise<Explanation> {
  const runtime = safeRuntime(pid);
  const skipped: string[] = [];
  const notes: string[] = [];
  const readings: ProcReading[] = [];
  const doctor = await consultDoctor(pid, runtime, options, skipped);
  let inside: InsideViews = {};
  if (runtime && options.inject && doctor?.canProbe) {
    try {
      inside = await readInside(pid, runtime, options, readings, notes);
    } catch (error) {
      if (!isProbeError(error) || error.code === 'cancelled' || error.code === 'process-exited') throw error;
      skipped.push(`Reading from inside process ${pid} failed: ${error.message}`);
    }
  }
  if (readings.length < 2) await readWindow(pid, readings, Date.now() + options.windowMs, options.intervalMs ?? 1000, options.signal);
  return finish(pid, runtime, { readings, ...inside }, { doctor, skipped, notes, userLimitBytes: options.userLimitBytes });
}

function finish(pid: number, runtime: ProbeRuntime | undefined, window: DecompositionWindow, extra: { doctor?: AttachReport; skipped: string[]; notes: string[]; userLimitBytes?: number }): Explanation {
  let mappings: AnonMapping[] = [];
  try {
    mappings = largestAnonMappings(pid);
  } catch (error) {
    extra.skipped.push(`The largest mappings could not be read: ${errorMessage(error)}`);
  }
  const node = window.node?.last;
  const v8 = node ? { heapSizeLimitBytes: node.heapSizeLimitBytes, usedHeapBytes: node.heapUsedBytes } : undefined;
  const limits = applicableLimits(pid, { userLimitBytes: extra.userLimitBytes, v8 });
  return {
    pid,
    runtime,
    proc: window.readings[window.readings.length - 1].proc,
    mappings,
    python: window.python?.last,
    node,
    trim: window.trim,
    limit: limits[0],
    limits,
    diagnosis: diagnose(window),
    doctor: extra.doctor,
    skipped: extra.skipped,
    notes: extra.notes,
  };
}
