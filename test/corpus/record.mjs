// Records a corpus trace: runs one program from programs/ and reads its /proc/PID/statm (RSS),
// /proc/PID/stat (threads, CPU) and /proc/PID/fd at a fixed rate, writing a Leakscope CSV with
// the same header as src/core/trace/format.ts. Real process, real clock: the programs leak
// fast (about a MiB per second) so that a minute shows the shape; the manifest notes the rate.
//
//   node test/corpus/record.mjs PROGRAM SECONDS HZ OUT.csv
//   node test/corpus/record.mjs --mprof PROGRAM SECONDS INTERVAL_S OUT.dat   (needs python3-mprof)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PAGE = 4096;
const TICKS = 100;
const SETTLE_MS = 1500;
const HEADER = 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent';

function interpreter(program) {
  return program.endsWith('.py') ? ['/usr/bin/python3', [program]] : [process.execPath, [program]];
}

function readStat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(fields[11]) + Number(fields[12]), threads: Number(fields[17]) };
}

async function recordCsv(program, seconds, hz, out) {
  const [exe, args] = interpreter(program);
  const child = spawn(exe, [...args, String(seconds + 4)], { cwd: dirname(program), stdio: 'inherit' });
  // Attach once the interpreter is up, as a user attaches to a running program: the exec
  // itself (a few MB to tens of MB in a second) is not the program's behaviour.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const statm = openSync(`/proc/${child.pid}/statm`, 'r');
  const buf = Buffer.alloc(256);
  const rows = [HEADER];
  let last = { ticks: 0, t: Date.now() };
  const end = Date.now() + seconds * 1000;
  const periodMs = 1000 / hz;
  let next = Date.now();
  while (Date.now() < end) {
    const n = readSync(statm, buf, 0, buf.length, 0);
    const t = Date.now();
    const rss = Number(buf.toString('utf8', 0, n).split(' ')[1]) * PAGE;
    const stat = readStat(child.pid);
    const fds = readdirSync(`/proc/${child.pid}/fd`).length;
    const cpu = last.ticks ? ((stat.ticks - last.ticks) / TICKS) / ((t - last.t) / 1000) * 100 : 0;
    last = { ticks: stat.ticks, t };
    rows.push([t, rss, stat.threads, fds, 0, Math.round(cpu * 100) / 100].join(','));
    next += periodMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  closeSync(statm);
  child.kill('SIGTERM');
  writeFileSync(out, rows.join('\n') + '\n');
  console.log(`${basename(out)}: ${rows.length - 1} samples over ${seconds} s at ${hz} Hz`);
}

function recordMprof(program, seconds, intervalS, out) {
  const result = spawnSync('/usr/bin/python3-mprof', ['run', '--interval', String(intervalS), '--output', out, '/usr/bin/python3', program, String(seconds)], {
    cwd: dirname(program),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`mprof exited with ${result.status}`);
  console.log(`${basename(out)}: mprof every ${intervalS} s for ${seconds} s`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--mprof') {
  const [, program, seconds, interval, out] = argv;
  recordMprof(join(here, 'programs', program), Number(seconds), Number(interval), out);
} else {
  const [program, seconds, hz, out] = argv;
  if (!out) {
    console.error('usage: node test/corpus/record.mjs PROGRAM SECONDS HZ OUT.csv | --mprof PROGRAM SECONDS INTERVAL_S OUT.dat');
    process.exit(2);
  }
  await recordCsv(join(here, 'programs', program), Number(seconds), Number(hz), out);
}
