// "Find what is growing", gc.collect() and malloc_trim(0) for a live Python process: inject
// the probe script, wait for its result file, always clean up. Bounded in time throughout.
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cancelled, ProbeError, processExited } from './errors';
import { inject, InjectOutcome } from './pythonInject';
import { buildProbeScript, execExpression, PythonProbeConfig, PythonProbeMode } from './pythonProbeScript';
import { PythonProbeSupport, pythonProbeSupport } from './pythonSupport';
import { isSameProcess, ProcessIdentity, readIdentity, readMapsPaths } from './procfs';
import { MemoryActionResult, ProbeResult, ProbeSite, StatusCallback } from './types';
import { formatBytes } from '../units';
import { delay } from './util';

export interface PythonRunOptions {
  signal?: AbortSignal;
  onStatus?: StatusCallback;
  /** How long the target may take to start the probe (no safe point, long C call). Default 15 s. */
  startTimeoutMs?: number;
  /** Decided already (or forced, in tests); default: pythonProbeSupport(pid). */
  support?: PythonProbeSupport;
}

export interface PythonProbeOptions extends PythonRunOptions {
  windowMs?: number;
  /** Frames tracemalloc keeps per allocation. Default 10: enough to step out of library code
   * to the program's own line, at a cost per allocation well below the 25 of a full stack. */
  frames?: number;
  maxSites?: number;
  /** Count gc-tracked objects by type (one pass over gc.get_objects() at each end). Default true. */
  gcTypes?: boolean;
}

interface Exchange {
  /** Target-owned directory for the probe script and its results (host path). */
  hostDir: string;
  /** The same directory as the target sees it. */
  targetDir: string;
  /** Leakscope-only directory for the injector's files: the target cannot touch them. */
  privateDir: string;
  dispose(): void;
}

/** A target in another mount namespace sees another /tmp: use a directory inside its root. */
function sharesOurRoot(pid: number): boolean {
  try {
    const ours = statSync('/');
    const theirs = statSync(`/proc/${pid}/root`);
    return ours.dev === theirs.dev && ours.ino === theirs.ino;
  } catch {
    return true;
  }
}

function createExchange(pid: number, identity: ProcessIdentity): Exchange {
  const sameRoot = sharesOurRoot(pid);
  const hostDir = mkdtempSync(join(sameRoot ? tmpdir() : `/proc/${pid}/root/tmp`, 'leakscope-probe-'));
  const privateDir = mkdtempSync(join(tmpdir(), 'leakscope-injector-'));
  const dispose = () => {
    rmSync(hostDir, { recursive: true, force: true });
    rmSync(privateDir, { recursive: true, force: true });
  };
  const targetDir = sameRoot ? hostDir : join('/tmp', basename(hostDir));
  if (!/^[\w./-]+$/.test(targetDir)) {
    dispose();
    throw new ProbeError('unsupported', `The temporary directory ${targetDir} has characters the probe cannot pass safely; set TMPDIR to a plain path.`);
  }
  // The injected code runs as the target's user: it must read the script and write results.
  if (process.getuid?.() === 0 && identity.uid !== 0) chownSync(hostDir, identity.uid, identity.gid);
  return { hostDir, targetDir, privateDir, dispose };
}

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

interface InTargetRun {
  result: Record<string, unknown>;
  method: string;
  injected: InjectOutcome;
  durationMs: number;
}

/** Injects the probe in `mode`, waits for its result, and removes every file it made. */
export async function runInPythonTarget(pid: number, mode: PythonProbeMode, config: Partial<PythonProbeConfig>, options: PythonRunOptions = {}): Promise<InTargetRun> {
  const started = Date.now();
  const identity = readIdentity(pid);
  const support = options.support ?? (await pythonProbeSupport(pid));
  if (support.method === 'none') throw new ProbeError(support.errorCode ?? 'unsupported', support.reason ?? `Process ${pid} cannot be probed.`);
  if (identity.tracerPid !== 0 && support.method !== 'remote_exec') {
    throw new ProbeError('injection-failed', `Process ${pid} is already being debugged (by pid ${identity.tracerPid}); detach that debugger to probe it.`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const exchange = createExchange(pid, identity);
  try {
    const script = join(exchange.targetDir, 'probe.py');
    const full: PythonProbeConfig = { dir: exchange.targetDir, script, mode, windowS: 0, frames: 10, maxSites: 20, gcTypes: true, ...config };
    const hostScript = join(exchange.hostDir, 'probe.py');
    writeFileSync(hostScript, buildProbeScript(full), { mode: 0o600 }); // chowned below when the target is another user
    if (process.getuid?.() === 0 && identity.uid !== 0) chownSync(hostScript, identity.uid, identity.gid);
    options.onStatus?.({ state: 'injecting', message: `Injecting the probe into process ${pid} (${support.method})…` });
    const injected = await inject({ pid, support, code: execExpression(script), workDir: exchange.privateDir, timeoutMs: startTimeoutMs, onStatus: options.onStatus });
    const watch = { pid, startTicks: identity.startTicks, signal: options.signal };
    await waitForFile(join(exchange.hostDir, 'started.json'), startTimeoutMs, watch, () =>
      options.onStatus?.({ state: 'waiting', message: `Waiting for process ${pid} to run the probe (it is inside a long call)…` }),
    );
    if (mode === 'trace') options.onStatus?.({ state: 'sampling', message: `Tracing allocations in process ${pid} for ${full.windowS} s…` });
    // Snapshots and gc.get_objects() of a big heap take seconds: allow for them.
    const resultPath = join(exchange.hostDir, 'result.json');
    await waitForFile(resultPath, full.windowS * 1000 + 60_000, watch);
    const result = readJson(resultPath) ?? {};
    if (typeof result.error === 'string') throw new ProbeError('injection-failed', `The probe failed inside process ${pid}: ${result.error}`);
    return { result, method: support.method, injected, durationMs: Date.now() - started };
  } finally {
    // Deleting the directory also tells a probe thread still running to stop at once.
    exchange.dispose();
  }
}

interface Watch {
  pid: number;
  startTicks: number;
  signal?: AbortSignal;
}

async function waitForFile(path: string, timeoutMs: number, watch: Watch, onSlow?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let saidSlow = false;
  for (let waited = 0; ; waited += 50) {
    if (existsSync(path)) return;
    if (watch.signal?.aborted) throw cancelled();
    if (!isSameProcess(watch.pid, watch.startTicks)) throw processExited(watch.pid);
    if (Date.now() > deadline) {
      throw new ProbeError('timeout', `Process ${watch.pid} did not run the probe within ${Math.round(timeoutMs / 1000)} s (it is stuck in a long call); nothing was left running in it.`);
    }
    if (!saidSlow && waited >= 1000 && onSlow) {
      saidSlow = true;
      onSlow();
    }
    await delay(50);
  }
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function toCounts(value: unknown): Record<string, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function toSites(value: unknown): ProbeSite[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null).map((s) => {
    const site: ProbeSite = { file: String(s.file), line: num(s.line), function: String(s.function ?? ''), bytes: num(s.bytes), count: num(s.count), lineIsFunctionStart: false };
    const allocated = s.allocatedIn as Record<string, unknown> | undefined;
    if (allocated && typeof allocated.file === 'string') site.allocatedIn = { file: allocated.file, line: num(allocated.line) };
    return site;
  });
}

/** Traces allocations for a window and names the lines whose memory grew. */
export async function probePython(pid: number, options: PythonProbeOptions = {}): Promise<ProbeResult> {
  const windowMs = options.windowMs ?? 10_000;
  const config = { windowS: windowMs / 1000, frames: options.frames ?? 10, maxSites: options.maxSites ?? 20, gcTypes: options.gcTypes ?? true };
  const run = await runInPythonTarget(pid, 'trace', config, options);
  const r = run.result;
  const notes = [
    'tracemalloc names the line where memory was allocated, not the container that keeps it; a line in library code is reported at the program line that called it (allocatedIn says where).',
    `Only allocations made during the ${windowMs / 1000} s window and still alive at its end are counted.`,
  ];
  if (r.startedTracing === false) notes.push(`tracemalloc was already running in process ${pid} (${num(r.frames)} frames); Leakscope left it running.`);
  if (r.gc) notes.push('Object counts cover gc-tracked containers only (not str, int, bytes).');
  const result: ProbeResult = {
    pid,
    runtime: 'python',
    method: run.method,
    sites: toSites(r.sites),
    heap: { tracedBytes: num(r.tracedBytes), peakTracedBytes: num(r.peakTracedBytes), growthBytes: num(r.growthBytes) },
    windowMs,
    durationMs: run.durationMs,
    notes,
  };
  const gc = toCounts(r.gc);
  const gcGrowth = toCounts(r.gcGrowth);
  if (gc) result.gc = gc;
  if (gcGrowth) result.gcGrowth = gcGrowth;
  return result;
}

export function interpretGc(collected: number, beforeRss: number, freed: number): string {
  if (freed > Math.max(8 * 1024 * 1024, beforeRss * 0.1)) {
    return `gc.collect() freed ${formatBytes(freed)}: reference cycles held that memory until a full collection. Not a leak, but the program makes cycles faster than the collector reclaims them; break the cycles (weakref) or call gc.collect() after each batch.`;
  }
  return `gc.collect() found ${collected} unreachable objects and RSS changed by ${formatBytes(-freed)}: the memory is still reachable (a leak or a growing cache), not waiting cycles. (CPython keeps freed small objects in its own pools, so RSS can stay even when objects die.)`;
}

export function interpretTrim(beforeRss: number, freed: number): string {
  if (freed > Math.max(8 * 1024 * 1024, beforeRss * 0.1)) {
    return `malloc_trim(0) returned ${formatBytes(freed)} to the system: that memory was free inside glibc's heap (fragmentation after large objects were freed), not held by live objects, so it is not a leak. Calling malloc_trim(0) after big batches, or setting MALLOC_TRIM_THRESHOLD_/MALLOC_ARENA_MAX, keeps RSS down.`;
  }
  return `malloc_trim(0) returned only ${formatBytes(Math.max(0, freed))}: the memory is in use (live objects, pymalloc arenas, or a native leak), not free heap held back by fragmentation.`;
}

export async function runPythonGc(pid: number, options: PythonRunOptions = {}): Promise<MemoryActionResult> {
  const run = await runInPythonTarget(pid, 'gc', {}, options);
  const before = num(run.result.beforeRss);
  const after = num(run.result.afterRss);
  const collected = num(run.result.collected);
  return { action: 'gc', beforeRssBytes: before, afterRssBytes: after, freedBytes: before - after, collected, interpretation: interpretGc(collected, before, before - after), durationMs: run.durationMs };
}

/** glibc (not musl) on Linux: the only place malloc_trim exists. */
export function usesGlibc(mapsPaths: string[]): boolean {
  return mapsPaths.some((p) => /\/libc\.so\.6$|\/libc-2\.\d+\.so$/.test(p)) && !mapsPaths.some((p) => /ld-musl|libc\.musl/.test(p));
}

export async function runPythonMallocTrim(pid: number, options: PythonRunOptions = {}): Promise<MemoryActionResult> {
  if (process.platform !== 'linux' || !usesGlibc(readMapsPaths(pid))) {
    throw new ProbeError('unsupported', `malloc_trim is a glibc function, and process ${pid} does not use glibc; there is nothing to trim this way.`);
  }
  const run = await runInPythonTarget(pid, 'trim', {}, options);
  if (typeof run.result.skipped === 'string') throw new ProbeError('unsupported', `malloc_trim was not run in process ${pid}: ${run.result.skipped}.`);
  const before = num(run.result.beforeRss);
  const after = num(run.result.afterRss);
  return { action: 'malloc-trim', beforeRssBytes: before, afterRssBytes: after, freedBytes: before - after, interpretation: interpretTrim(before, before - after), durationMs: run.durationMs };
}

/** What the probe left behind, seen from inside (a second injection): for checks and tests. */
export async function pythonProbeState(pid: number, options: PythonRunOptions = {}): Promise<{ tracing: boolean; threads: string[]; mainNames: string[] }> {
  const run = await runInPythonTarget(pid, 'state', {}, options);
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return { tracing: run.result.tracing === true, threads: strings(run.result.threads), mainNames: strings(run.result.mainNames) };
}
