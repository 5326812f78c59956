// Fleet: 1,000 series × 6 h at 15 s (1.44 M points), as `leakscope fleet` reads them, classified
// on the main thread and with the worker pool, against a baseline in the same run (JSON.parse of
// the query_range answer holding the same points, which the client must do anyway); and the
// whole path from a local HTTP server answering like Prometheus (fetch, parse, classify), on the
// main thread and in one worker (readFleetOffThread). The pool's figures include starting its
// threads. A 10-ms timer on the main thread measures its longest stall meanwhile: what an
// extension host's UI would feel.
// Target (issue 19): 1,000 × 6 h at 15 s classified in ≤ 5 s.
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { classifyFleet, classifyFleetOffThread, FleetRow, FleetSeries, queryRange, readFleetOffThread } from '../src/core/fleet';
import { defaultThreads } from '../src/core/fleet/pool';
import { isLeakClass } from '../src/core/model';
import { fromRoot } from '../test/helpers/paths';
import { generate, SyntheticSpec } from '../test/unit/classifier/synthetic';

const SERIES = 1000;
const RANGE_S = 6 * 3600;
const STEP_S = 15;
const TARGET_MS = 5000;
const MB = 1024 * 1024;
const START_MS = 1_767_225_600_000;
const WORKER = fromRoot('dist', 'fleetWorker.js');
let missed = false;

/** A fleet as one might find it: most pods flat, some warming up to a plateau, a few spiky, 3% leaking. */
function specFor(i: number): Partial<SyntheticSpec> {
  if (i % 33 === 0) return { leak: { bytesPerS: 1024 * (2 + (i % 7)) } };
  if (i % 7 === 0) return { warmup: { riseBytes: 150 * MB, durationS: 3600, shape: 'exp' } };
  if (i % 11 === 0) return { spikes: { everyS: 600, durationS: 60, heightBytes: 200 * MB } };
  return { sawtooth: { amplitudeBytes: 8 * MB, periodS: 300 } };
}

function fleet(): FleetSeries[] {
  return Array.from({ length: SERIES }, (_, i) => {
    const { tMs, rssBytes } = generate({ durationS: RANGE_S, intervalS: STEP_S, startMs: START_MS, levelBytes: (200 + (i % 50) * 10) * MB, noiseSigmaBytes: 0.5 * MB, ...specFor(i) }, 1000 + i);
    return { labels: { __name__: 'process_resident_memory_bytes', job: 'api', pod: `api-${i}` }, tMs: Float64Array.from(tMs), values: Float64Array.from(rssBytes) };
  });
}

/** The query_range answer Prometheus would send for these series. */
function matrixJson(series: readonly FleetSeries[]): string {
  const result = series.map((s) => ({ metric: s.labels, values: Array.from(s.tMs, (t, i) => [t / 1000, String(s.values[i])]) }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  global.gc?.();
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

/**
 * The longest gap between ticks of a 10-ms interval timer while `run` is pending, and the part of
 * it that is the call's own synchronous work (splitting, copying, starting the threads).
 */
async function withStallMeter<T>(run: () => Promise<T>): Promise<{ value: T; longestStallMs: number; synchronousMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  const t0 = performance.now();
  const pending = run();
  const synchronousMs = performance.now() - t0;
  const value = await pending;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return { value, longestStallMs: longest, synchronousMs };
}

function target(ok: boolean, text: string): void {
  console.log(`${ok ? 'ok    ' : 'MISSED'} ${text}`);
  if (!ok) missed = true;
}

function row(name: string, ms: number, baselineMs: number): void {
  console.log(`  ${name.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / baselineMs).toFixed(2).padStart(6)}x baseline`);
}

function summary(rows: readonly FleetRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.class, (counts.get(r.class) ?? 0) + 1);
  return [...counts].map(([c, n]) => `${c} ${n}`).join(', ');
}

/** The answer encoded once: serving it then costs this thread only socket writes, not a 34-MB encode per request. */
async function serveMatrix(text: string): Promise<{ url: string; close: () => void }> {
  const body = Buffer.from(text, 'utf8');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function main(): Promise<void> {
  const series = fleet();
  const points = series.reduce((n, s) => n + s.tMs.length, 0);
  const body = matrixJson(series);
  console.log(`${SERIES} series × ${RANGE_S / 3600} h at ${STEP_S} s: ${(points / 1e6).toFixed(2)} M points; the query_range answer is ${(body.length / MB).toFixed(0)} MB of JSON; ${availableParallelism()} cores`);

  const baseline = await timed(() => JSON.parse(body) as unknown);
  console.log(`  ${'baseline: JSON.parse of the query_range answer'.padEnd(52)} ${baseline.ms.toFixed(0).padStart(7)} ms`);
  const inline = await timed(() => classifyFleet(series));
  row('classifyFleet on the main thread', inline.ms, baseline.ms);
  const pool = await timed(() => withStallMeter(() => classifyFleetOffThread(series, { workerScript: WORKER })));
  row(`classifyFleetOffThread (default: ${defaultThreads()} thread(s), start included)`, pool.ms, baseline.ms);
  const all = await timed(() => withStallMeter(() => classifyFleetOffThread(series, { workerScript: WORKER, threads: availableParallelism() })));
  row(`classifyFleetOffThread (${availableParallelism()} threads, one per core)`, all.ms, baseline.ms);
  for (const [name, run] of [['default', pool.value], ['one per core', all.value]] as const) {
    console.log(`  main thread while the pool classified (${name}): longest stall ${run.longestStallMs.toFixed(0)} ms, of which the call's own synchronous work ${run.synchronousMs.toFixed(0)} ms`);
  }
  console.log(`  (classified on the main thread, the stall is the whole ${inline.ms.toFixed(0)} ms)`);
  console.log(`  verdicts: ${summary(inline.value)}`);

  const server = await serveMatrix(body);
  const query = { url: server.url, query: 'process_resident_memory_bytes', startMs: START_MS, endMs: START_MS + RANGE_S * 1000, stepMs: STEP_S * 1000 };
  const endToEnd = await timed(async () => classifyFleetOffThread((await queryRange(query)).series, { workerScript: WORKER }));
  row('end to end: fetch + parse here, classify in the pool', endToEnd.ms, baseline.ms);
  const offThread = await timed(() => withStallMeter(() => readFleetOffThread(query, { workerScript: WORKER })));
  row('end to end in one worker (readFleetOffThread)', offThread.ms, baseline.ms);
  server.close();
  console.log(`  main thread during readFleetOffThread: longest stall ${offThread.value.longestStallMs.toFixed(0)} ms`);

  const json = JSON.stringify(inline.value);
  const same = json === JSON.stringify(pool.value.value) && json === JSON.stringify(endToEnd.value) && json === JSON.stringify(offThread.value.value.rows);
  const leaks = inline.value.filter((r) => isLeakClass(r.class)).length;
  target(same, 'the pool and both end-to-end paths give the same rows as the main thread');
  target(leaks === Math.ceil(SERIES / 33) && inline.value.slice(0, leaks).every((r) => isLeakClass(r.class)), `the ${Math.ceil(SERIES / 33)} leaking series are found and listed first (found ${leaks})`);
  target(pool.ms <= TARGET_MS, `${SERIES} series × 6 h at 15 s classified with the pool in ${(pool.ms / 1000).toFixed(2)} s (target ≤ ${TARGET_MS / 1000} s)`);
  target(offThread.value.longestStallMs < 100, `read and classified off the main thread, which never stalls 100 ms (longest ${offThread.value.longestStallMs.toFixed(0)} ms)`);
  if (missed) process.exitCode = 1;
}

void main();
