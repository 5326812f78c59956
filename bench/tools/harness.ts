// What the look harnesses (lookSteady, lookInterleaved, lookPipeline) and the engine tools share: their command-line
// options, the real sleeping children whose /proc entries they read, and V8's profilers in process.
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { ProcessInfo } from '../../src/core/model';
import { MonitorOptions, ProcessMonitor } from '../../src/core/monitor';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';
import { onTick } from '../../src/core/sampling/ticker';
import { GrowthClassifier } from '../../src/core/classifier';
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from '../../src/core/session';

/** The value after `name` on the command line, else `fallback`. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

/** The number after `name` on the command line, else `fallback`. */
export function numberOption(name: string, fallback: number): number {
  return Number(option(name, String(fallback)));
}

/** A ProcessMonitor at 1 Hz a pid (with `options`), started; the function returned disposes them. */
export async function watchWithMonitors(pids: readonly number[], options: MonitorOptions = {}): Promise<() => void> {
  const monitors = pids.map((pid) => new ProcessMonitor(readLinuxProcessInfo(pid), { intervalMs: 1000, ...options }));
  await Promise.all(monitors.map((m) => m.start()));
  return () => monitors.forEach((m) => m.dispose());
}

/** The engine's floor: ProcfsSampler.sampleSync of every pid on the shared 1-s timer, no monitor; the function returned stops it. */
export function watchBare(pids: readonly number[]): () => void {
  const samplers = pids.map((pid) => ProcfsSampler.open(pid));
  const ticks = onTick(1000, () => samplers.forEach((s) => s.sampleSync()), true);
  return () => {
    ticks.dispose();
    samplers.forEach((s) => s.dispose());
  };
}

/** `count` real `sleep`s (constant RSS, as the sampling bench watches), read as a watch would; `stop` kills them. */
export async function spawnSleepers(count: number): Promise<{ targets: ProcessInfo[]; stop: () => void }> {
  const children = Array.from({ length: count }, () => spawn('sleep', ['100000'], { stdio: 'ignore' }));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
  return { targets: children.map((child) => readLinuxProcessInfo(child.pid ?? 0)), stop: () => children.forEach((child) => child.kill()) };
}

/** A classifier as a watch session makes one (its look cadence and warm-up). */
export function watchClassifier(leakNotBeforeMs = WARM_UP_MS): GrowthClassifier {
  return new GrowthClassifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs });
}

let swept = 0;

/** Touches a cache line of every 64 bytes of `memory`: what the rest of a product does to a look's caches. */
export function sweepCache(memory: Float64Array): void {
  for (let i = 0; i < memory.length; i += 8) swept += memory[i]++;
}

/** The sweeps' sum, to print when it cannot be (so they are not optimized away). */
export function sweptSum(): number {
  return swept;
}

/** Where V8's profilers place a node. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
export interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: CallFrame;
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
export interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** An inspector call as a promise. */
export function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** Bytes allocated at and under `node`. */
export function heapTotal(node: HeapNode): number {
  return node.children.reduce((sum, child) => sum + heapTotal(child), node.selfSize);
}

/** Self time by function name, µs. */
export function selfTimes(profile: Profile): Map<string, number> {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName || '(anonymous)']));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = names.get(id) ?? '?';
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  return totals;
}

/** An inspector session with V8's sampling heap profiler and/or CPU profiler started; undefined when neither is asked for. */
export async function startProfilers(sampling: { heapSamplingBytes?: number; cpuSamplingUs?: number }): Promise<Session | undefined> {
  if (sampling.heapSamplingBytes === undefined && sampling.cpuSamplingUs === undefined) return undefined;
  const session = new Session();
  session.connect();
  if (sampling.heapSamplingBytes !== undefined) {
    await post(session, 'HeapProfiler.enable');
    await post(session, 'HeapProfiler.startSampling', { samplingInterval: sampling.heapSamplingBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  if (sampling.cpuSamplingUs !== undefined) {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: sampling.cpuSamplingUs });
    await post(session, 'Profiler.start');
  }
  return session;
}
