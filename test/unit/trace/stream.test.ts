// The streaming column reader (stream.ts) against the whole-text reader on real files: the same
// columns or the same refusal, including lines cut by the 64 KiB read buffer; and what a big CSV
// costs `leakscope classify` in peak RSS, measured on the built CLI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readTraceFile } from '../../../src/core/trace/parse';
import { TraceColumns, readTraceColumns } from '../../../src/core/trace/stream';
import { fromRoot } from '../../helpers/paths';
import { scratchDir } from '../../helpers/tempFiles';
import { CSV_CASES, MPROF_CASES } from './cases';

const { dir, write } = scratchDir('leakscope-stream-');

/** What a reader gives for a file: its columns, or the message it refused with. */
function outcome(read: () => TraceColumns): { columns?: { t: number[]; rss: number[]; command?: string }; error?: string } {
  try {
    const c = read();
    return { columns: { t: [...c.tMs], rss: [...c.rssBytes], ...(c.command !== undefined ? { command: c.command } : {}) } };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function fromSamples(path: string): TraceColumns {
  const trace = readTraceFile(path);
  const c: TraceColumns = {
    tMs: Float64Array.from(trace.samples, (s) => s.tMs),
    rssBytes: Float64Array.from(trace.samples, (s) => s.rssBytes),
    events: trace.events,
  };
  if (trace.command !== undefined) c.command = trace.command;
  return c;
}

function assertSame(path: string): void {
  assert.deepEqual(outcome(() => readTraceColumns(path)), outcome(() => fromSamples(path)), path);
}

test('CSV files read as the whole-text reader reads them, valid or not', () => {
  for (const [name, content] of CSV_CASES) assertSame(write(name, content));
});

test('mprof files read as the whole-text reader reads them, valid or not', () => {
  for (const [name, content] of MPROF_CASES) assertSame(write(name, content));
});

test('JSON traces, special files and missing files keep readTraceFile behaviour', () => {
  assertSame(write('trace.jsonl', '{"t_ms":1,"rss_bytes":2}\n{"t_ms":2,"rss_bytes":3}\n'));
  assertSame(write('trace.json', '{"format":"leakscope-trace","version":1,"samples":{"t_ms":[2,1],"rss_bytes":[5,6]},"events":[]}'));
  assertSame(dir);
  assertSame('/dev/null');
  assertSame(join(dir, 'missing.csv'));
});

/** Peak RSS (VmHWM, kB) of `leakscope classify FILE --json`, read by the CLI process itself at exit. */
function classifyPeakKb(file: string): { kb: number; stdout: string } {
  const hook = join(dir, 'hwm.cjs');
  writeFileSync(
    hook,
    "process.on('exit', () => { const m = /VmHWM:\\s*(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8')); require('fs').writeSync(2, `VmHWM ${m ? m[1] : -1}\\n`); });\n",
  );
  const r = spawnSync(process.execPath, ['-r', hook, fromRoot('dist', 'cli.js'), 'classify', file, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const kb = Number(/VmHWM (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { kb, stdout: r.stdout };
}

test('classifying a 1 M-sample CSV costs tens of bytes a sample, not hundreds', { skip: process.platform !== 'linux' && 'VmHWM is read from /proc' }, (t) => {
  const samples = 1_000_000;
  const big = join(dir, 'big.csv');
  const fd = openSync(big, 'w');
  writeSync(fd, 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent\n');
  let rss = 100e6;
  for (let start = 0; start < samples; start += 10_000) {
    const rows: string[] = [];
    for (let i = start; i < start + 10_000; i++) {
      rss += ((i * 7919) % 1000) - 490;
      rows.push(`${1.7e12 + i * 100},${rss},4,20,0,1.5`);
    }
    writeSync(fd, rows.join('\n') + '\n');
  }
  closeSync(fd);
  const tiny = write('tiny.csv', 't_ms,rss_bytes\n1,2\n2,3\n');
  const base = classifyPeakKb(tiny);
  const run = classifyPeakKb(big);
  assert.equal((JSON.parse(run.stdout) as { samples: number }).samples, samples);
  const perSample = ((run.kb - base.kb) * 1024) / samples;
  t.diagnostic(`peak RSS ${run.kb} kB against ${base.kb} kB for a 2-sample trace: ${perSample.toFixed(1)} bytes a sample`);
  // Reading the text whole into sample objects cost ~340 bytes a sample on this file. The columns
  // cost 16 and the classifier's ordering 4; the rest is the garbage of the lines read, which the
  // young generation bounds (a fixed ~25 MB, so it shows as ~25 bytes a sample at 1 M samples).
  assert.ok(perSample < 100, `${perSample.toFixed(1)} bytes a sample`);
});
