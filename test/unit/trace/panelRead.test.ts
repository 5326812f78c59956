// "Open memory trace…" reads a file into typed columns with every reading (readTraceColumns with
// readings, from a file's fd or from fetched bytes), not into one string and an object a sample.
// Each reading must give what the whole-text reader gives: the same columns, or the same refusal
// (line and words), on the malformed files of the reader tests and on the fuzz's mutated inputs.
// Then: the panel's verdict on a file is the CLI's, and opening a 2 M-sample CSV costs the
// columns (tens of bytes a sample), not the text and the objects (hundreds).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MonitorEvent } from '../../../src/core/model';
import { SampleColumns, samplesToColumns } from '../../../src/core/shared/columns';
import { readTraceFile } from '../../../src/core/trace/parse';
import { TraceColumns, readTraceBytes, readTraceColumns } from '../../../src/core/trace/stream';
import { mulberry32 } from '../../../src/core/random';
import { openTraceFile, thinnedColumns } from '../../../src/panel/traceView';
import { fromRoot } from '../../helpers/paths';
import { scratchDir } from '../../helpers/tempFiles';
import { measureTraceRead, writeWatchCsv } from '../../helpers/traceMemory';
import { CSV_CASES, JSON_CASES, MPROF_CASES } from './cases';
import { TRACE_SEEDS, mutated } from './mutations';

const RUNS = Number(process.env.LEAKSCOPE_FUZZ_RUNS ?? 1000);

const { dir, write } = scratchDir('leakscope-panel-read-');

interface Outcome {
  columns?: SampleColumns;
  events?: MonitorEvent[];
  pid?: number;
  command?: string;
  error?: string;
  line?: number;
}

function outcome(read: () => { columns: SampleColumns; events: MonitorEvent[]; pid?: number; command?: string }): Outcome {
  try {
    const { columns, events, pid, command } = read();
    return { columns, events, ...(pid !== undefined ? { pid } : {}), ...(command !== undefined ? { command } : {}) };
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    return { error: `${(error as Error).name}: ${(error as Error).message}`, ...(typeof line === 'number' ? { line } : {}) };
  }
}

/** The whole-text reader: the file as one string, one object a sample, as wire columns. */
function wholeText(path: string): Outcome {
  return outcome(() => {
    const trace = readTraceFile(path);
    return { columns: samplesToColumns(trace.samples), events: trace.events, pid: trace.pid, command: trace.command };
  });
}

/** A column reader, unthinned, as wire columns (the panel's thinning with no bound). */
function streamed(read: () => TraceColumns): Outcome {
  return outcome(() => {
    const c = read();
    return { columns: thinnedColumns(c, Infinity), events: c.events, pid: c.pid, command: c.command };
  });
}

/** From the fd (a file: URI) and from the bytes (another scheme): both as the whole-text reader reads it. */
function assertSameAsWholeText(path: string, what: string): void {
  const expected = wholeText(path);
  assert.deepEqual(streamed(() => readTraceColumns(path, { readings: true })), expected, `${what}: from the file`);
  // The panel names fetched bytes by the file's base name (the label), which tells the format too.
  assert.deepEqual(streamed(() => readTraceBytes(readFileSync(path), basename(path), { readings: true })), expected, `${what}: from bytes`);
}

test('every reading of every reader test file, valid or not, is the whole-text reader\'s, from a file or from bytes', () => {
  for (const [name, content] of [...CSV_CASES, ...MPROF_CASES, ...JSON_CASES]) assertSameAsWholeText(write(name, content), name);
});

test(`fuzz: ${RUNS} mutated traces of each format read into columns as the whole-text reader reads them, or are refused alike`, () => {
  let refused = 0;
  for (const [name, seed] of TRACE_SEEDS) {
    const random = mulberry32(name.length * 104_729);
    for (let run = 0; run < RUNS; run++) {
      const path = write(name, mutated(seed, random));
      assertSameAsWholeText(path, `${name} run ${run}`);
      if (wholeText(path).error) refused++;
      rmSync(path);
    }
  }
  // Both outcomes must be exercised for the comparison to say anything.
  assert.ok(refused > RUNS / 4 && refused < TRACE_SEEDS.length * RUNS - RUNS / 4, `${refused} refused`);
});

test('special files and files over the limit are refused before reading, as the whole-text reader refuses them', () => {
  assert.deepEqual(streamed(() => readTraceColumns('/dev/zero', { readings: true })), wholeText('/dev/zero'));
  assert.deepEqual(streamed(() => readTraceColumns(dir, { readings: true })), wholeText(dir));
  assert.match(streamed(() => readTraceBytes(new Uint8Array(201 * 2 ** 20), 'big.csv')).error ?? '', /^TraceParseError: the trace is too large \(201 MB\); the limit is 200 MB$/);
});

/** `leakscope classify FILE --json` on the built CLI. */
function cliVerdict(file: string): { class: string; confidence: number; slope_bytes_per_s: number; explanation: string; samples: number } {
  const r = spawnSync(process.execPath, [fromRoot('dist', 'cli.js'), 'classify', file, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof cliVerdict>;
}

test('the panel\'s verdict on an opened file is the one `leakscope classify` prints for it', () => {
  const rows = (n: number, rss: (i: number) => number): string => Array.from({ length: n }, (_, i) => `${1.7e12 + i * 1000},${Math.round(rss(i))},4,9,0,1.5`).join('\n');
  const header = 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent\n';
  const files = [
    write('leak.csv', header + rows(900, (i) => 2e8 + i * 5e4 + (i % 30) * 2e6)),
    write('flat.csv', header + rows(1800, (i) => 2e8 + (i % 60) * 1e6)),
    write('plateau.csv', header + rows(1800, (i) => 2e8 + Math.min(i, 600) * 1e5 + (i % 20) * 3e5)),
    write('mprofile_1.dat', Array.from({ length: 1200 }, (_, i) => `MEM ${(100 + i * 0.05).toFixed(4)} ${(1.7e9 + i * 0.5).toFixed(1)}\nCHLD 1 5.0 ${(1.7e9 + i * 0.5).toFixed(1)}`).join('\n')),
  ];
  for (const file of files) {
    const cli = cliVerdict(file);
    const panel = openTraceFile(file);
    assert.equal(panel.sampleCount, cli.samples, file);
    assert.deepEqual(
      { class: panel.verdict.class, confidence: Math.round(panel.verdict.confidence * 1000) / 1000, slope: Math.round(panel.verdict.slopeBytesPerS * 100) / 100, explanation: panel.verdict.explanation },
      { class: cli.class, confidence: cli.confidence, slope: cli.slope_bytes_per_s, explanation: cli.explanation },
      file,
    );
  }
});

test('opening a 2 M-sample CSV in the panel holds its columns, tens of bytes a sample, not hundreds', { skip: process.platform !== 'linux' && 'VmHWM is read from /proc' }, (t) => {
  const samples = 2_000_000;
  const big = join(dir, 'big.csv');
  writeWatchCsv(big, samples);
  const cost = measureTraceRead('columns', big);
  rmSync(big);
  assert.equal(cost.samples, samples);
  const held = cost.heldBytes / samples;
  const peak = cost.peakBytes / samples;
  t.diagnostic(`held ${held.toFixed(1)} bytes a sample, peak RSS growth ${peak.toFixed(1)} bytes a sample`);
  // One string and an object a sample (the reading before the columns) held ~235 bytes a sample
  // of this file and peaked at ~530. The columns hold 8 bytes a sample for t, rss and cpu, 4 for
  // threads and fds (whole numbers), none for children_rss (all 0), with under 1/3 of slack (~33
  // in all); the peak adds the young generation's garbage of the lines read (a fixed few tens of
  // MB) and the thinned copy.
  assert.ok(held < 80, `held ${held.toFixed(1)} bytes a sample`);
  assert.ok(peak < 150, `peak ${peak.toFixed(1)} bytes a sample`);
});
