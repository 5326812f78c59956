// Issue 12's long acceptance check, too long for the unit layer: `leakscope watch --json` with
// default flags on fresh real programs for 10 minutes each, side by side. A flat program, one
// that loads at start and then holds, and the demo's warm-up worker must never get a leak class;
// one leaking ~1 MB/s must get one within 60 s of watching. Prints one line per program and exits 1 if any check fails.
// Usage: node scripts/build.mjs && node scripts/long-watch-check.mjs [DURATION, default 10m]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const programs = join(root, 'test', 'fixtures', 'programs');
const programPath = (name) => (name.startsWith('/') ? name : join(programs, name));
const duration = process.argv[2] ?? '10m';
const python = '/usr/bin/python3';

const cases = [
  { name: 'flat (40 MB, churning)', args: ['flat.py', '40'], leak: false },
  { name: 'start-up then flat (60 MB over 15 s, then holds)', args: ['plateau.py', '60', '15', '100000'], leak: false },
  { name: "the demo's warm-up worker (fills 150 MB on a levelling curve, then holds)", args: [join(root, 'demo', 'warmup_worker.py'), '--duration', '100000'], leak: false },
  { name: 'leak ~1 MB/s', args: ['leak.py', '1', '4000'], leak: true, withinS: 60 },
];

function lines(stream, onLine) {
  createInterface({ input: stream }).on('line', onLine);
}

function runCase(c) {
  return new Promise((resolve) => {
    const program = spawn(python, c.args.map((a, i) => (i === 0 ? programPath(a) : a)), { stdio: ['ignore', 'pipe', 'inherit'] });
    // Each program prints one line once it runs ("ready PID", or the demo's banner).
    let started = false;
    lines(program.stdout, () => {
      if (started) return;
      started = true;
      let first;
      let firstLeak;
      const classes = new Set();
      const watch = spawn(process.execPath, [cli, 'watch', '--pid', String(program.pid), '--json', '--duration', duration], { stdio: ['ignore', 'pipe', 'pipe'] });
      let summary = '';
      lines(watch.stderr, (l) => (summary = l));
      lines(watch.stdout, (l) => {
        const r = JSON.parse(l);
        first ??= r.t_ms;
        if (r.class) classes.add(r.class);
        if (firstLeak === undefined && /leak/.test(r.class ?? '')) firstLeak = r;
        if (c.leak && firstLeak) watch.kill('SIGINT');
      });
      watch.on('exit', () => {
        program.kill();
        const leakAtS = firstLeak ? (firstLeak.t_ms - first) / 1000 : undefined;
        const ok = c.leak ? leakAtS !== undefined && leakAtS <= c.withinS : leakAtS === undefined;
        resolve({ ok, text: `${ok ? 'ok    ' : 'FAILED'} ${c.name}: ${leakAtS === undefined ? 'no leak class' : `${firstLeak.class} at ${leakAtS.toFixed(1)} s`}; classes seen: ${[...classes].join(', ') || 'none'}; ${summary.trim()}` });
      });
    });
  });
}

const results = await Promise.all(cases.map(runCase));
for (const r of results) console.log(r.text);
process.exit(results.every((r) => r.ok) ? 0 : 1);
