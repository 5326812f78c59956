// What opening a trace file in the panel costs, measured in a child `node --expose-gc` process of
// its own (so the caller's heap does not disturb it). Two ways of reading, same file:
//   columns     what the panel does now: openTraceFile (streamed into typed columns, thinned, judged)
//   bytes       the same for a remote file: its bytes fetched whole, parsed chunk by chunk (openTraceBytes)
//   whole-text  what it did before: the file decoded into one string, parsed into one object per
//               sample, then thinned and judged from the samples (the baseline of the bench)
// Figures: `heldBytes`, what the reader's result keeps (heap + external, after gc) while the panel
// thins and judges it; `peakBytes`, the process's peak RSS over the whole open (VmHWM, Linux);
// `ms` and `cpuMs`, the wall and CPU time of the open. Run as a script: `node --expose-gc traceMemory.js MODE FILE`.
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { fromRoot } from './paths';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { parseTrace } from '../../src/core/trace/parse';
import { readTraceColumns } from '../../src/core/trace/stream';
import { classifySeries } from '../../src/core/classifier';
import { openTraceBytes, openTraceFile, traceColumns } from '../../src/panel/traceView';

export type ReadMode = 'columns' | 'bytes' | 'whole-text';

export interface ReadCost {
  samples: number;
  heldBytes: number;
  peakBytes: number;
  ms: number;
  /** CPU time of the open (user + system): steadier than the wall time on a busy machine. */
  cpuMs: number;
}

/** Writes a CSV as `leakscope watch --csv` does: `samples` rows at 1 Hz, a sawtooth over a slow rise. */
export function writeWatchCsv(path: string, samples: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent\n');
    let rss = 100e6;
    for (let start = 0; start < samples; start += 10_000) {
      const rows: string[] = [];
      for (let i = start; i < Math.min(samples, start + 10_000); i++) {
        rss += ((i * 7919) % 1000) - 490;
        rows.push(`${1.7e12 + i * 1000},${rss},${4 + (i % 3)},${20 + (i % 5)},0,${((i % 400) / 100).toFixed(2)}`);
      }
      writeSync(fd, rows.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
}

// Tests and benches are bundled with this file inside: the child runs the helper's own bundle.
const SCRIPT = fromRoot('out', 'test', 'helpers', 'traceMemory.js');

/** Runs this file as a child process on `file` and returns what it measured. */
export function measureTraceRead(mode: ReadMode, file: string): ReadCost {
  const r = spawnSync(process.execPath, ['--expose-gc', SCRIPT, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`traceMemory ${mode} ${file} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ReadCost;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  collect();
}

function heapAndExternal(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s*(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** The panel's open before the columns: one string, one object a sample, then thinned and judged. */
function openWholeText(file: string): number {
  const trace = parseTrace(new TextDecoder('utf-8').decode(readFileSync(file)), file);
  traceColumns(trace);
  classifySeries(trace.samples.map((s) => s.tMs), trace.samples.map((s) => s.rssBytes));
  return trace.samples.length;
}

function open(mode: ReadMode, file: string): number {
  if (mode === 'columns') return openTraceFile(file).sampleCount;
  if (mode === 'bytes') return openTraceBytes(readFileSync(file), basename(file)).sampleCount;
  return openWholeText(file);
}

/** What the reader's result costs while it is held: the columns now (either way), the samples before. */
function held(mode: ReadMode, file: string): { samples: number; bytes: number } {
  gc();
  const before = heapAndExternal();
  const kept = mode === 'whole-text' ? parseTrace(new TextDecoder('utf-8').decode(readFileSync(file)), file) : readTraceColumns(file, { readings: true });
  gc();
  const bytes = heapAndExternal() - before;
  const samples = 'samples' in kept ? kept.samples.length : kept.tMs.length;
  return { samples, bytes };
}

function main(mode: ReadMode, file: string): ReadCost {
  gc();
  // Resets VmHWM to the current RSS (proc(5), clear_refs), so the peak read after is the open's.
  writeFileSync('/proc/self/clear_refs', '5');
  const rssBefore = statusKb('VmRSS');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const samples = open(mode, file);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const peakBytes = (statusKb('VmHWM') - rssBefore) * 1024;
  const kept = held(mode, file);
  if (kept.samples !== samples) throw new Error(`read ${kept.samples} samples, then ${samples}`);
  return { samples, heldBytes: kept.bytes, peakBytes, ms, cpuMs };
}

if (basename(process.argv[1] ?? '') === basename(SCRIPT)) {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== 'columns' && mode !== 'bytes' && mode !== 'whole-text') || !file) throw new Error('usage: traceMemory.js columns|bytes|whole-text FILE');
  console.log(JSON.stringify(main(mode, file)));
}
