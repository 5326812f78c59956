// What the host does to send a day of samples to the panel (an init: opening, reloading, or the
// webview becoming visible again). Baseline: the history's samples as objects (toSamples), then
// wire columns from those (samplesToColumns). Now: packed wire columns straight from the history's
// typed columns (toPackedColumns: one typed copy per column, what the host posts). Same rows.
// Target: well under half the old.
// Issue 16's table: the host's side of opening (or restoring) a panel with a day of data, the
// init message built, packed (packForPosting) and serialized as webview.postMessage does (typed
// arrays copied out as buffers, the rest JSON), ≤ 100 ms, beside the baseline's all-JSON columns.
// Then issue 15's big trace: "Open memory trace…" on a 170 MB-class CSV (4.9 M samples, as
// `leakscope watch --csv` writes), each way in a child process of its own: the columns (the file
// streamed into typed arrays, thinned and judged from them) against the baseline (the file as one
// string, an object a sample), and a remote file's way (the bytes fetched whole, parsed from them
// chunk by chunk). LEAKSCOPE_BENCH_TRACE_SAMPLES changes the size (0 skips it). Last, how long
// the opening thread (the extension host's) is blocked: read in place (the baseline) against read
// in the worker thread (openTraceFileOffThread), as the longest gap of a 5 ms timer on this thread.
// And a JSON document (LEAKSCOPE_BENCH_JSON_SAMPLES, default 2 M; 0 skips it): streamed into the
// columns against JSON.parse and an object a sample.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { SampleHistory } from '../src/core/history/sampleHistory';
import { MemorySample } from '../src/core/model';
import { AnySampleColumns, samplesToColumns, unpackColumns } from '../src/core/shared/columns';
import { HostMessage, packForPosting } from '../src/core/protocol';
import { figure } from './lib/figure';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadCost, measureTraceRead, writeWatchCsv, writeWatchJson } from '../test/helpers/traceMemory';
import { openTraceFile } from '../src/panel/traceView';
import { openTraceFileOffThread } from '../src/panel/traceOffThread';
import { fromRoot } from '../test/helpers/paths';

const HOST_OPEN_GOAL_MS = 100;
/** Issue 15: what an opened trace holds, and the peak of opening it, a sample (the text and objects cost ~235 and ~530). */
const TRACE_HELD_GOAL_BYTES = 80;
const TRACE_PEAK_GOAL_BYTES = 150;
/** Issue 15: the longest the host's thread may be blocked while a big trace opens (a frame or few, not seconds). */
const HOST_BLOCKED_GOAL_MS = 100;
const TRACE_SAMPLES = Number(process.env.LEAKSCOPE_BENCH_TRACE_SAMPLES ?? 4_900_000);
/** The JSON document's samples (its baseline, JSON.parse and an object a sample, peaks at ~0.5 KB a sample). */
const JSON_SAMPLES = Number(process.env.LEAKSCOPE_BENCH_JSON_SAMPLES ?? 2_000_000);

const SAMPLES = 86_400;
const ROUNDS = 15;

function dayOfSamples(): SampleHistory {
  const history = new SampleHistory({ capacity: SAMPLES });
  for (let i = 0; i < SAMPLES; i++) {
    const rss = 400 * 2 ** 20 + i * 2048 + (i % 90) * 2 ** 20;
    const sample: MemorySample = { tMs: 1_767_600_000_000 + i * 1000, rssBytes: rss, deltaBytes: 0, threads: 12, fds: 40, childrenRssBytes: 0, childCount: 0, cpuPercent: 3.5 };
    if (i % 30 === 0) Object.assign(sample, { ussBytes: Math.round(rss * 0.82), pssBytes: Math.round(rss * 0.88) });
    history.push(sample);
  }
  return history;
}

/** Median and 90th percentile of ROUNDS timed runs, ms, after one untimed warm-up run. */
function time(fn: () => unknown): { median: number; p90: number } {
  fn();
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[runs.length >> 1], p90: runs[Math.floor(runs.length * 0.9)] };
}

function row(name: string, t: { median: number; p90: number }, baseline?: number): void {
  const ratio = baseline === undefined ? '' : `  (${(baseline / t.median).toFixed(1)}× faster than the baseline)`;
  console.log(`${name.padEnd(62)} median ${t.median.toFixed(1).padStart(6)} ms, p90 ${t.p90.toFixed(1).padStart(6)} ms${ratio}`);
}

function main(): void {
  const history = dayOfSamples();
  assert.deepEqual(unpackColumns(history.toPackedColumns()), samplesToColumns(history.toSamples()), 'both paths give the same columns');
  const toSamples = time(() => history.toSamples());
  const samples = history.toSamples();
  const toColumns = time(() => samplesToColumns(samples));
  const old = time(() => samplesToColumns(history.toSamples()));
  const direct = time(() => history.toPackedColumns());
  console.log(`A day of samples (${SAMPLES.toLocaleString('en-US')} at 1 Hz, USS/PSS every 30th) into the panel's init message, ${ROUNDS} rounds:`);
  row('baseline, step 1: history.toSamples() (an object a sample)', toSamples);
  row('baseline, step 2: samplesToColumns(samples)', toColumns);
  row('baseline: samplesToColumns(history.toSamples())', old);
  row('now: history.toPackedColumns()', direct, old.median);
  const verdict = direct.median < old.median / 2 ? 'PASS' : 'FAIL';
  console.log(`→ the panel's init costs ${direct.median.toFixed(1)} ms of host time, was ${old.median.toFixed(1)} ms (target: under half): ${verdict}`);
  const open = time(() => postedInit(history.toPackedColumns()));
  const openBefore = time(() => serializedInit(samplesToColumns(history.toSamples())));
  row('now: init message built, packed and posted (columns as buffers, the rest JSON)', open, openBefore.median);
  row('baseline: toSamples + samplesToColumns, all of it JSON', openBefore);
  console.log('performance table (issue 16):');
  figure('panel open / restore with a day of data, host side (init built, packed and serialized), median', open.median, HOST_OPEN_GOAL_MS, 'ms', `p90 ${open.p90.toFixed(1)} ms; baseline ${openBefore.median.toFixed(1)} ms`);
}

/** "Open memory trace…" on a big CSV, the baseline's way and the columns' way, one child process each. */
async function bigTraceOpen(): Promise<void> {
  if (TRACE_SAMPLES <= 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-bench-trace-'));
  try {
    const file = join(dir, 'big.csv');
    writeWatchCsv(file, TRACE_SAMPLES);
    const mb = statSync(file).size / 2 ** 20;
    console.log(`\n"Open memory trace…" on a ${mb.toFixed(0)} MB CSV of ${TRACE_SAMPLES.toLocaleString('en-US')} samples (as watch --csv writes), each in a child process:`);
    const before = measureTraceRead('whole-text', file);
    const now = measureTraceRead('columns', file);
    const remote = measureTraceRead('bytes', file);
    traceRow('baseline: one string, an object a sample', before);
    traceRow('now: streamed into typed columns', now);
    traceRow('now, a remote file: from its bytes', remote);
    console.log(`→ ${(before.cpuMs / now.cpuMs).toFixed(1)}× less CPU, ${(before.peakBytes / now.peakBytes).toFixed(1)}× lower peak, ${(before.heldBytes / now.heldBytes).toFixed(1)}× less held`);
    figure('opened trace held, a sample', now.heldBytes / now.samples, TRACE_HELD_GOAL_BYTES, 'B', `baseline ${(before.heldBytes / before.samples).toFixed(0)} B`);
    figure('opening a trace, peak RSS growth a sample', now.peakBytes / now.samples, TRACE_PEAK_GOAL_BYTES, 'B', `baseline ${(before.peakBytes / before.samples).toFixed(0)} B`);
    await hostBlocked(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same for a JSON document (the panel's export): streamed into columns against JSON.parse and an object a sample. */
function bigJsonOpen(): void {
  if (JSON_SAMPLES <= 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-bench-json-'));
  try {
    const file = join(dir, 'big.json');
    writeWatchJson(file, JSON_SAMPLES);
    const mb = statSync(file).size / 2 ** 20;
    console.log(`\n"Open memory trace…" on a ${mb.toFixed(0)} MB JSON document of ${JSON_SAMPLES.toLocaleString('en-US')} samples (as the panel exports), each in a child process:`);
    const before = measureTraceRead('whole-text', file);
    const now = measureTraceRead('columns', file);
    traceRow('baseline: JSON.parse, an object a sample', before);
    traceRow('now: streamed into typed columns', now);
    console.log(`→ ${(before.cpuMs / now.cpuMs).toFixed(1)}× less CPU, ${(before.peakBytes / now.peakBytes).toFixed(1)}× lower peak, ${(before.heldBytes / now.heldBytes).toFixed(1)}× less held`);
    figure('opened JSON document held, a sample', now.heldBytes / now.samples, TRACE_HELD_GOAL_BYTES, 'B', `baseline ${(before.heldBytes / before.samples).toFixed(0)} B`);
    figure('opening a JSON document, peak RSS growth a sample', now.peakBytes / now.samples, TRACE_PEAK_GOAL_BYTES, 'B', `baseline ${(before.peakBytes / before.samples).toFixed(0)} B`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The longest this thread went without running a timer while `open` ran, and the open's wall time. */
async function longestStall(open: () => unknown): Promise<{ stallMs: number; wallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    await new Promise((r) => setTimeout(r, 20));
    await open();
    const wallMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
    stallMs = Math.max(stallMs, performance.now() - last);
    return { stallMs, wallMs };
  } finally {
    clearInterval(ticker);
  }
}

async function hostBlocked(file: string): Promise<void> {
  const workerScript = fromRoot('dist', 'traceWorker.js');
  const inPlace = await longestStall(() => openTraceFile(file));
  const offThread = await longestStall(() => openTraceFileOffThread(file, { workerScript }));
  console.log(`the opening thread blocked: in place (baseline) ${inPlace.stallMs.toFixed(0)} ms of ${inPlace.wallMs.toFixed(0)} ms; in the worker ${offThread.stallMs.toFixed(0)} ms of ${offThread.wallMs.toFixed(0)} ms`);
  figure('opening a big trace, longest block of the host thread', offThread.stallMs, HOST_BLOCKED_GOAL_MS, 'ms', `baseline (read in place) ${inPlace.stallMs.toFixed(0)} ms`);
}

function traceRow(name: string, c: ReadCost): void {
  const perSample = (bytes: number): string => `${(bytes / c.samples).toFixed(1)} B/sample`;
  console.log(
    `${name.padEnd(44)} wall ${(c.ms / 1000).toFixed(1).padStart(5)} s, CPU ${(c.cpuMs / 1000).toFixed(1).padStart(5)} s, ` +
      `peak +${(c.peakBytes / 2 ** 20).toFixed(0)} MB (${perSample(c.peakBytes)}), held ${(c.heldBytes / 2 ** 20).toFixed(0)} MB (${perSample(c.heldBytes)})`,
  );
}

function initMessage(samples: AnySampleColumns): HostMessage {
  const monitor = { id: 'm1', kind: 'live', pid: 4242, title: 'python train.py', command: 'python train.py --epochs 30', state: 'running', startedMs: 1_767_600_000_000, limits: {}, intervalMs: 1000, warnAtFraction: 0.8 } as const;
  return { type: 'init', monitor, samples, events: [], verdict: null, probe: null, comparison: null };
}

/** The baseline's init as text: every column a JSON array of numbers. */
function serializedInit(samples: AnySampleColumns): number {
  return JSON.stringify(initMessage(samples)).length;
}

/**
 * The init as the panel posts it (memoryPanel.ts: packForPosting, columns as Float64Arrays), then
 * what VS Code's webview.postMessage does with it: each typed array's bytes copied out as a buffer
 * of its own, a reference to it in place, and the rest JSON. Returns the bytes sent.
 */
function postedInit(samples: AnySampleColumns): number {
  const buffers: Uint8Array[] = [];
  const text = JSON.stringify(packForPosting(initMessage(samples)), (_key, value: unknown) => {
    if (!ArrayBuffer.isView(value)) return value;
    buffers.push(new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)));
    return { $$vscode_array_buffer_reference$$: buffers.length - 1 };
  });
  return text.length + buffers.reduce((sum, b) => sum + b.byteLength, 0);
}

main();
void bigTraceOpen().then(bigJsonOpen);
