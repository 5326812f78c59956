// Runs the recordings listed in recorded-jobs.mjs with record-real.mjs, at most --parallel at
// a time (longest first), skipping those whose CSV already exists, then writes
// traces/recorded/manifest.json. Logs go to /tmp/leakscope-rec-logs/.
//   node test/corpus/run-recorded.mjs [--parallel 6] [--only NAME,NAME] [--manifest-only]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobs, notes } from './recorded-jobs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const outDir = join(here, 'traces', 'recorded');
const logDir = '/tmp/leakscope-rec-logs';
const argv = process.argv.slice(2);
const opt = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const parallel = Number(opt('--parallel', 6));
const only = opt('--only', '') ? new Set(opt('--only', '').split(',')) : null;

const exe = (program) => (program.endsWith('.py') ? 'python3' : 'node');
const fill = (s, j) => s.replaceAll('{port}', String(j.port));
const runCmd = (j) => `${exe(j.program)} ${j.program} ${fill(j.args, j)}`.trim();

function recordArgs(j) {
  const a = ['test/corpus/record-real.mjs', '--hz', String(j.hz), '--seconds', String(j.seconds), '--out', join(outDir, `${j.name}.csv`), '--run', runCmd(j)];
  if (j.load) a.push('--wait-port', String(j.port), '--load', fill(j.load.cmd, j));
  else a.push('--settle-ms', String(j.settleMs));
  return a;
}

function runOne(j) {
  return new Promise((resolve) => {
    const log = openSync(join(logDir, `${j.name}.log`), 'w');
    const t0 = Date.now();
    const child = spawn(process.execPath, recordArgs(j), { cwd: repo, env: { ...process.env, ...j.env }, stdio: ['ignore', log, log] });
    child.on('exit', (code) => {
      console.log(`${new Date().toISOString().slice(11, 19)} ${j.name}: exit ${code} after ${Math.round((Date.now() - t0) / 1000)} s`);
      resolve();
    });
  });
}

function writeManifest() {
  const traces = {};
  for (const j of jobs) {
    const file = join(outDir, `${j.name}.csv`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    const n = notes[j.name] ?? {};
    traces[`${j.name}.csv`] = {
      class: n.class ?? j.class,
      ...(n.ambiguous ? { ambiguous: true } : {}),
      half: j.half,
      program: { path: j.program, args: fill(j.args, j), ...(Object.keys(j.env).length ? { env: j.env } : {}) },
      load: j.load ? { command: fill(j.load.cmd, j), what: j.load.what } : 'none (the program generates its own work)',
      hz: j.hz,
      seconds: j.seconds,
      samples: lines.length,
      mechanism: j.mechanism,
      ...(n.note ? { note: n.note } : {}),
    };
  }
  const manifest = {
    about: 'Real programs under real load, recorded with test/corpus/record-real.mjs (Linux /proc/PID/statm, stat, fd; real clock; recording starts ~2 s after the program listens / starts and the load begins). Labels come from the mechanism, i.e. what the program does with memory over the recorded window, checked against the recorded RSS; never from a classifier. Programs: test/corpus/programs/real/ and demo/. Regenerate: node test/corpus/run-recorded.mjs. `half` is assigned per program (tune / eval). `python3` on PATH was pyenv\'s CPython 3.11.7 (numpy 2.4.6 from its site-packages; /usr/bin/python3 has no numpy: py_numpy_batch, py_loader and py_rounds_job need python3-numpy there); Node 20.20. The machine had 2 cores shared with other jobs (load average up to ~27), so CPU starvation and timing jitter are real: e.g. parsing an 8 MB JSON took ~2.5 s. `note` says where the recording differs from or qualifies the mechanism; `class` follows what the RSS baseline did; `ambiguous: true` where two classes are defensible. The VM stalled now and then (several recordings show the same 3-9 s gap at the same wall-clock time); the first recorder version then caught up with a burst of back-to-back samples, which were dropped afterwards (a sample is kept only if it comes at least half a period after the previous one, which is what record-real.mjs now does), so those gaps appear as gaps.',
    traces,
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`manifest: ${Object.keys(traces).length} traces`);
}

mkdirSync(outDir, { recursive: true });
mkdirSync(logDir, { recursive: true });
if (!argv.includes('--manifest-only')) {
  const todo = jobs.filter((j) => (only ? only.has(j.name) : !existsSync(join(outDir, `${j.name}.csv`)))).sort((a, b) => b.seconds - a.seconds);
  let next = 0;
  const worker = async () => { while (next < todo.length) await runOne(todo[next++]); };
  await Promise.all(Array.from({ length: Math.min(parallel, todo.length) }, worker));
}
writeManifest();
