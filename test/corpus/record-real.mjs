// Records a real program under real load: starts the program (--run), waits until it has exec'd
// its interpreter and listens (--wait-port) or for --settle-ms after the exec, starts the load generator (--load, optional), waits
// --settle-ms more, then reads the program's /proc/PID/statm (RSS), /proc/PID/stat (threads,
// CPU), /proc/PID/fd and its children's RSS at --hz for --seconds, writing a Leakscope CSV
// (same header as src/core/trace/format.ts). At the end it kills both process groups.
//
//   node test/corpus/record-real.mjs --hz 10 --seconds 120 --out OUT.csv \
//     --run 'python3 test/corpus/programs/real/py_http_flat.py --port 18101' --wait-port 18101 \
//     --load 'python3 test/corpus/programs/real/load.py --port 18101 --rate 20 --seconds 130'
//
// Commands run through /bin/sh with `exec`, so the recorded pid is the program's own.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

const PAGE = 4096;
const TICKS = 100;
const HEADER = 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const opts = { hz: 10, seconds: 60, settleMs: 2000, waitPort: 0, cwd: process.cwd() };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--hz') opts.hz = Number(v);
    else if (k === '--seconds') opts.seconds = Number(v);
    else if (k === '--out') opts.out = v;
    else if (k === '--run') opts.run = v;
    else if (k === '--load') opts.load = v;
    else if (k === '--wait-port') opts.waitPort = Number(v);
    else if (k === '--settle-ms') opts.settleMs = Number(v);
    else if (k === '--cwd') opts.cwd = v;
    else throw new Error(`unknown option ${k}`);
  }
  if (!opts.run || !opts.out) {
    console.error('usage: node test/corpus/record-real.mjs --hz HZ --seconds S --out OUT.csv --run CMD [--load CMD] [--wait-port PORT] [--settle-ms MS] [--cwd DIR]');
    process.exit(2);
  }
  return opts;
}

function start(cmd, cwd, tag) {
  const child = spawn('/bin/sh', ['-c', `exec ${cmd}`], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = (d) => process.stderr.write(d.toString().split('\n').filter(Boolean).map((l) => `[${tag}] ${l}\n`).join(''));
  child.stdout.on('data', log);
  child.stderr.on('data', log);
  return child;
}

function killGroup(child) {
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
}

async function waitForPort(port, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`port ${port} not listening after ${timeoutMs} ms`);
}

// Wait until the pid runs the program itself, not a shell or a version-manager shim (pyenv's
// python3 is a bash script that execs the interpreter): under load that takes seconds.
async function waitForExec(pid, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if (!/\/(ba|da)?sh$/.test(readlinkSync(`/proc/${pid}/exe`))) return;
    } catch { /* not yet */ }
    await sleep(50);
  }
  throw new Error(`pid ${pid} still a shell after ${timeoutMs} ms`);
}

function readStat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(fields[11]) + Number(fields[12]), threads: Number(fields[17]) };
}

function childrenRss(pid) {
  // Direct and indirect children via /proc/PID/task/*/children (one level is enough here; recurse anyway).
  let total = 0;
  const walk = (p) => {
    let kids = [];
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        kids.push(...readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean));
      }
    } catch { return; }
    for (const k of kids) {
      try { total += Number(readFileSync(`/proc/${k}/statm`, 'utf8').split(' ')[1]) * PAGE; } catch { /* exited */ }
      walk(k);
    }
  };
  walk(pid);
  return total;
}

const opts = parseArgs(process.argv.slice(2));
const prog = start(opts.run, opts.cwd, 'run');
let load;
let exited = false;
prog.on('exit', (code, sig) => { exited = true; process.stderr.write(`[run] exited ${code ?? sig}\n`); });
const cleanup = () => { killGroup(prog); if (load) killGroup(load); };
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

try {
  await waitForExec(prog.pid, 30_000);
  if (opts.waitPort) await waitForPort(opts.waitPort, 30_000);
  else await sleep(opts.settleMs);
  if (opts.load) load = start(opts.load, opts.cwd, 'load');
  await sleep(opts.settleMs);
  const statm = openSync(`/proc/${prog.pid}/statm`, 'r');
  const buf = Buffer.alloc(256);
  const rows = [HEADER];
  let last = { ticks: 0, t: Date.now() };
  const end = Date.now() + opts.seconds * 1000;
  const periodMs = 1000 / opts.hz;
  let next = Date.now();
  while (Date.now() < end && !exited) {
    const n = readSync(statm, buf, 0, buf.length, 0);
    const t = Date.now();
    const rss = Number(buf.toString('utf8', 0, n).split(' ')[1]) * PAGE;
    const stat = readStat(prog.pid);
    const fds = readdirSync(`/proc/${prog.pid}/fd`).length;
    const cpu = last.ticks ? ((stat.ticks - last.ticks) / TICKS) / ((t - last.t) / 1000) * 100 : 0;
    last = { ticks: stat.ticks, t };
    rows.push([t, rss, stat.threads, fds, childrenRss(prog.pid), Math.round(cpu * 100) / 100].join(','));
    next += periodMs;
    // After a stall (the machine paused for seconds), resume on the period instead of
    // catching up with a burst of back-to-back samples.
    if (next < Date.now()) next = Date.now() + periodMs;
    await sleep(Math.max(0, next - Date.now()));
  }
  closeSync(statm);
  writeFileSync(opts.out, rows.join('\n') + '\n');
  console.log(`${opts.out}: ${rows.length - 1} samples over ${opts.seconds} s at ${opts.hz} Hz${exited ? ' (program exited early)' : ''}`);
  cleanup();
  process.exitCode = exited ? 1 : 0;
} catch (err) {
  cleanup();
  console.error(err);
  process.exitCode = 1;
}
