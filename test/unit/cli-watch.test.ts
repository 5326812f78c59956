import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths';
import { eventually, fixtureProgram, PYENV_SHIM, startProcess, startPython, SYSTEM_PYTHON, TestProcess } from '../helpers/processes';
import { parseWatchArgs } from '../../src/cli/watch';
import { decompositionLine } from '../../src/cli/watchOutput';

const CLI = fromRoot('dist', 'cli.js');
const MB = 1024 ** 2;

/** Runs the built CLI; stdout lines are collected by the helper, stderr here. */
async function startWatch(t: Parameters<typeof startProcess>[0], args: string[], prefix: string[] = []): Promise<TestProcess & { stderr: () => string }> {
  const command = prefix.length > 0 ? prefix[0] : process.execPath;
  const argv = prefix.length > 0 ? [...prefix.slice(1), process.execPath, CLI, 'watch', ...args] : [CLI, 'watch', ...args];
  const proc = await startProcess(t, command, argv, { ready: null, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(proc, { stderr: () => stderr });
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-watch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('--help documents every option and the exit codes', () => {
  const result = spawnSync(process.execPath, [CLI, 'watch', '--help'], { encoding: 'utf8' });
  assert.equal(result.status, 0);
  for (const option of ['--pid', '--no-resolve', '--interval', '--limit', '--duration', '--warn-at', '--detail-interval', '--explain-every', '--json', '--csv', '--trace-json', 'anon_bytes', 'swap_bytes', 'diagnosis']) {
    assert.ok(result.stdout.includes(option), option);
  }
  assert.match(result.stdout, /3 {2}the memory limit/);
  assert.match(result.stdout, /4 {2}the process is gone/);
  assert.match(result.stdout, /5 {2}the time limit/);
  assert.match(result.stdout, /6 {2}permission denied/);
  assert.match(result.stdout, /7 {2}a leak verdict was reached \(--fail-on leak\)/);
});

test('bad arguments exit 2 with a message', () => {
  for (const args of [[], ['--pid', 'abc'], ['--pid', '1', '--limit', '12 parsecs'], ['--pid', '1', '--interval', 'soon'], ['--pid', '1', '--frobnicate']]) {
    const result = spawnSync(process.execPath, [CLI, 'watch', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^leakscope watch: /);
  }
});

test('parseWatchArgs reads sizes and durations', () => {
  const o = parseWatchArgs(['--pid', '42', '--interval', '500ms', '--limit', '12G', '--duration', '1h30m', '--json', '--csv', 'a.csv']);
  assert.deepEqual(o.pids, [42]);
  assert.equal(o.intervalMs, 500);
  assert.equal(o.limitBytes, 12 * 1024 ** 3);
  assert.equal(o.durationMs, 90 * 60_000);
  assert.equal(o.json, true);
  assert.equal(o.csvPath, 'a.csv');
  assert.equal(o.resolve, true);
});

test('--json prints one sample object a line and exits 3 at the memory limit, leaving the process running', async (t) => {
  const target = await startPython(t, 'leak.py', ['50', '500']);
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '100ms', '--json', '--limit', '120M', '--warn-at', '0.5']);
  assert.equal(await watch.exited, 3);
  assert.ok(watch.lines.length >= 2);
  for (const line of watch.lines) {
    const sample = JSON.parse(line) as Record<string, number>;
    for (const field of ['t_ms', 'rss_bytes', 'delta_bytes', 'threads', 'fds', 'children_rss_bytes', 'child_count', 'cpu_percent']) {
      assert.equal(typeof sample[field], 'number', `${field} in ${line}`);
    }
  }
  const last = JSON.parse(watch.lines[watch.lines.length - 1]) as { rss_bytes: number };
  assert.ok(last.rss_bytes >= 120 * MB);
  assert.match(watch.stderr(), /warning: pid \d+: RSS .* (reaches 120 MB in ~|is near)/);
  assert.match(watch.stderr(), /has reached the 120 MB memory limit\. The process was left running\./);
  assert.equal(process.kill(target.pid, 0), true, 'target still alive');
});

test('the limit said at the start is the one the warning names: the session\'s', async (t) => {
  const target = await startProcess(t, '/bin/sh', ['-c', `ulimit -v 1048576 && exec ${SYSTEM_PYTHON} -c "print('ready', flush=True); import time; time.sleep(600)"`]);
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '100ms', '--json', '--limit', '12G', '--warn-at', '0.001']);
  const warning = await eventually(() => /warning: pid \d+: RSS .*\n/.exec(watch.stderr())?.[0], 10_000, 'a warning');
  const said = /: nearest memory limit: (.+)\.\n/.exec(watch.stderr())?.[1];
  assert.ok(said && warning.includes(said), watch.stderr());
  assert.match(said, /address-space limit \(ulimit -v|machine's available memory/);
});

test('the decomposition: on each --json line once read, and a line under the table every --explain-every', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, [fromRoot('test', 'fixtures', 'memory', 'py-native.py')]);
  const json = await startWatch(t, ['--pid', String(target.pid), '--interval', '100ms', '--json']);
  await json.waitForLine(/rss_bytes/, 10_000, 3);
  json.child.kill('SIGINT');
  assert.equal(await json.exited, 0);
  for (const line of json.lines) {
    const s = JSON.parse(line) as Record<string, number>;
    for (const field of ['anon_bytes', 'file_bytes', 'shmem_bytes', 'swap_bytes']) assert.equal(typeof s[field], 'number', `${field} in ${line}`);
    assert.ok(s.anon_bytes > s.file_bytes, 'mostly anonymous memory');
    assert.ok(Math.abs(s.anon_bytes + s.file_bytes + s.shmem_bytes - s.rss_bytes) < 0.25 * s.rss_bytes, `the parts are RSS's: ${line}`);
  }

  const table = await startWatch(t, ['--pid', String(target.pid), '--interval', '200ms', '--explain-every', '1s']);
  const parts = /^ {2}RSS parts: anonymous [\d.]+ [KMG]?B, file-backed [\d.]+ [KMG]?B, shared [\d.]+ [KMG]?B, swap [\d.]+ [KMG]?B/;
  // Read every 5 s: the first line comes with the second reading, under the rows so far.
  await table.waitForLine(parts, 15_000);
  table.child.kill('SIGINT');
  assert.equal(await table.exited, 0);
  const first = table.lines.findIndex((l) => parts.test(l));
  assert.ok(first > 2, 'after some sample rows, not before the first');
});

test('the decomposition line names the kind of growth for a leak or plateau, with the numbers it rests on', () => {
  const parts = { anon: 800 * MB, file: 38 * MB, shmem: 6 * MB, swap: 0 };
  const leak = { class: 'steady-leak' as const, confidence: 0.9, slopeBytesPerS: 1e5, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: '' };
  const native = { kind: 'native-growth' as const, summary: "RSS grew 40 MB in 60 s; 38 MB of it is outside Python's objects.", evidence: { rss_growth_bytes: 40 * MB }, fix: '' };
  assert.equal(decompositionLine({ pid: 7, parts, diagnosis: native }, leak), "  RSS parts: anonymous 800 MB, file-backed 38 MB, shared 6 MB, swap 0 B. Native memory growing outside the interpreter heap: RSS grew 40 MB in 60 s; 38 MB of it is outside Python's objects.");
  assert.equal(decompositionLine({ pid: 7, parts, diagnosis: native }, { ...leak, class: 'flat' }), '  RSS parts: anonymous 800 MB, file-backed 38 MB, shared 6 MB, swap 0 B', 'no kind for flat');
  const unknown = { kind: 'unknown' as const, summary: '', evidence: { window_s: 60, rss_growth_bytes: 40 * MB, anon_growth_bytes: 39 * MB }, fix: '' };
  assert.match(decompositionLine({ pid: 7, parts, diagnosis: unknown }, leak), /Growth: RSS \+40 MB in 1 min, anonymous \+39 MB; .*`leakscope explain --pid 7 --yes` reads inside\.$/);
});

test('exits 4 with a clear message when the process exits', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--json']);
  await watch.waitForLine(/rss_bytes/);
  target.child.stdin?.write('exit 0\n');
  assert.equal(await watch.exited, 4);
  assert.match(watch.stderr(), new RegExp(`Process ${target.pid} has exited after .* of watching\\. Watched`));
});

test('a pid that does not exist exits 4', () => {
  const result = spawnSync(process.execPath, [CLI, 'watch', '--pid', '4000000'], { encoding: 'utf8' });
  assert.equal(result.status, 4);
  assert.match(result.stderr, /No process with pid 4000000 is running/);
});

test('the time limit exits 5', async (t) => {
  const target = await startPython(t, 'flat.py', ['5']);
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--duration', '300ms']);
  assert.equal(await watch.exited, 5);
  assert.match(watch.stderr(), /past the 300 ms time limit/);
  assert.match(watch.lines[0], /^TIME\s+RSS\s+DELTA\s+THREADS\s+FDS\s+CHILDREN\s+CPU\s+VERDICT$/);
  assert.match(watch.lines[1], /^\d\d:\d\d:\d\d\s+[\d.]+ MB\s+0 B\s+1\s+\d+\s+–\s+\d+%\s+–$/);
});

test('Ctrl+C stops cleanly (exit 0) and flushes the CSV and the JSON trace', async (t) => {
  const dir = tempDir(t);
  const csv = join(dir, 'trace.csv');
  const json = join(dir, 'trace.json');
  const target = await startPython(t, 'controlled.py');
  await target.command('spawn 1 10');
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--json', '--csv', csv, '--trace-json', json]);
  await watch.waitForLine(/rss_bytes/);
  await watch.waitForLine(/rss_bytes/, 5000, 2);
  watch.child.kill('SIGINT');
  assert.equal(await watch.exited, 0);
  assert.match(watch.stderr(), /stopped\. Watched/);
  const rows = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(rows[0], 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent');
  assert.equal(rows.length - 1, watch.lines.length, 'a CSV row per printed sample');
  assert.ok(Number(rows[1].split(',')[4]) > 10 * MB, 'children RSS in the CSV');
  const trace = JSON.parse(readFileSync(json, 'utf8')) as { format: string; pid: number; samples: { t_ms: number[] }; events: { kind: string }[] };
  assert.equal(trace.format, 'leakscope-trace');
  assert.equal(trace.pid, target.pid);
  assert.equal(trace.samples.t_ms.length, watch.lines.length);
  assert.equal(trace.events[0].kind, 'attach');
});

test('a wrapper pid is followed to its interpreter, unless --no-resolve', async (t) => {
  const wrapper = await startProcess(t, 'bash', ['-c', `${PYENV_SHIM} ${fixtureProgram('flat.py')} 5; true`]);
  const watch = await startWatch(t, ['--pid', String(wrapper.pid), '--interval', '50ms', '--duration', '200ms', '--json']);
  assert.equal(await watch.exited, 5);
  assert.match(watch.stderr(), new RegExp(`pid ${wrapper.pid} \\(bash -c .*\\) is a wrapper; watching the Python 3.11 it started, pid \\d+\\.`));
  assert.ok((JSON.parse(watch.lines[0]) as { rss_bytes: number }).rss_bytes > 5 * MB);
  const direct = await startWatch(t, ['--pid', String(wrapper.pid), '--no-resolve', '--interval', '50ms', '--duration', '100ms', '--json']);
  assert.equal(await direct.exited, 5);
  assert.doesNotMatch(direct.stderr(), /is a wrapper/);
});

test("as another user: watching a root process works without fds (-1 in JSON, – in the table), with a note", async (t) => {
  const target = await startPython(t, 'flat.py', ['5']);
  const prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--duration', '200ms', '--json', '--detail-interval', '1s'], prefix);
  assert.equal(await watch.exited, 5, watch.stderr());
  const sample = JSON.parse(watch.lines[0]) as { fds: number; rss_bytes: number };
  assert.equal(sample.fds, -1);
  // Said once, not left to guess from a –:
  assert.match(watch.stderr(), /note: pid \d+: its open file descriptors cannot be read \(permission denied\)/);
  assert.match(watch.stderr(), /note: pid \d+: its USS and PSS \(smaps_rollup\) cannot be read \(permission denied\)/);
  assert.equal(watch.stderr().split('\n').filter((l) => l.includes('note:')).length, 2);
  assert.ok(sample.rss_bytes > 5 * MB);
});


test('a process that is no wrapper (init, a supervisor) is watched as it is, not followed down to another job', async (t) => {
  // awk stands for init: not an interpreter, not a shell or launcher; a Python runs below it.
  const parent = await startProcess(t, 'awk', [`BEGIN { system("${SYSTEM_PYTHON} ${fixtureProgram('flat.py')} 5") }`]);
  const watch = await startWatch(t, ['--pid', String(parent.pid), '--interval', '50ms', '--duration', '200ms']);
  assert.equal(await watch.exited, 5, watch.stderr());
  assert.match(watch.stderr(), new RegExp(`pid ${parent.pid} \\(awk .*\\) is neither a Python or Node interpreter nor a wrapper .*: watching it as it is\\.`));
  assert.match(watch.stderr(), new RegExp(`watching pid ${parent.pid} \\(awk`));
});

test("a wrapper is not followed to an interpreter of another user", async (t) => {
  const shell = await startProcess(t, 'bash', ['-c', `setpriv --reuid=65534 --regid=65534 --clear-groups ${SYSTEM_PYTHON} ${fixtureProgram('flat.py')} 5; true`]);
  const watch = await startWatch(t, ['--pid', String(shell.pid), '--interval', '50ms', '--duration', '200ms']);
  assert.equal(await watch.exited, 5, watch.stderr());
  assert.match(watch.stderr(), new RegExp(`pid ${shell.pid} \\(bash .*\\) is a wrapper, but no Python or Node interpreter of its user runs under it: watching it as it is\\.`));
});
