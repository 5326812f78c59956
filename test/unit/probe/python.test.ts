// The Python probe against real interpreters. Every test that injects into a process lives in
// this file, so they run one after another; the probe's temp files go to a directory of this
// file's own (TMPDIR), so the checks that they were removed see nothing of another test run's.
import test, { after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProbeError } from '../../../src/core/probe/errors';
import { probePython, pythonProbeState, runPythonGc, runPythonMallocTrim } from '../../../src/core/probe/pythonProbe';
import { pythonProbeSupport } from '../../../src/core/probe/pythonSupport';
import { ProbeStatus } from '../../../src/core/probe/types';
import { probeCommand } from '../../../src/cli/probe';
import { CliIo } from '../../../src/cli/io';
import { fromRoot } from '../../helpers/paths';
import { fixture, isAlive, killAllTargets, markerLine, pyenvPython, startTarget, threadCount } from './targets';

const SYSTEM_PYTHON = '/usr/bin/python3';
const privateTmp = mkdtempSync(join(tmpdir(), 'leakscope-python-probe-test-'));
chmodSync(privateTmp, 0o1777); // as /tmp: the test run as user nobody writes there too
process.env.TMPDIR = privateTmp; // os.tmpdir() reads it on every call
afterEach(killAllTargets);
after(async () => {
  await killAllTargets();
  rmSync(privateTmp, { recursive: true, force: true });
});

function probeDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('leakscope-probe-') || n.startsWith('leakscope-injector-'));
}

async function threadsSettle(pid: number, expected: number): Promise<number> {
  // The probe thread writes its result, then returns: give it a moment to be gone.
  for (let i = 0; i < 40 && threadCount(pid) !== expected; i++) await new Promise((r) => setTimeout(r, 50));
  return threadCount(pid);
}

test("names the leaking line of Debian's Python, and leaves no tracemalloc, thread, name or file behind", async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const threadsBefore = threadCount(target.pid);
  const dirsBefore = probeDirs();
  const statuses: ProbeStatus[] = [];
  const result = await probePython(target.pid, { windowMs: 1500, onStatus: (s) => statuses.push(s) });
  const first = result.sites[0];
  assert.ok(first, 'a site');
  assert.equal(first.file, fixture('py-leak.py'));
  assert.equal(first.line, markerLine('py-leak.py', 'LEAK-LINE'));
  assert.equal(first.function, 'step');
  assert.equal(first.lineIsFunctionStart, false);
  assert.ok(first.bytes > 100_000 && first.count > 10);
  assert.ok(result.gc && Object.keys(result.gc).length > 0, 'object counts by type');
  assert.ok(statuses.some((s) => s.state === 'sampling'));

  assert.equal(await threadsSettle(target.pid, threadsBefore), threadsBefore, 'probe thread gone');
  assert.deepEqual(probeDirs(), dirsBefore, 'temp files removed');
  const state = await pythonProbeState(target.pid);
  assert.equal(state.tracing, false, 'tracemalloc stopped');
  assert.deepEqual(state.mainNames, [], 'nothing bound in __main__');
  assert.deepEqual(state.threads, ['MainThread']);
  assert.ok(isAlive(target.pid));
  assert.equal(target.stderr(), '', 'nothing printed by the target');
});

for (const minor of ['3.6', '3.13']) {
  test(`names the leaking line on pyenv Python ${minor}`, async (t) => {
    const python = pyenvPython(minor);
    if (!python) return t.skip(`no pyenv Python ${minor} here`);
    const target = await startTarget(python, [fixture('py-leak.py')]);
    const result = await probePython(target.pid, { windowMs: 1000, gcTypes: false });
    assert.equal(result.sites[0]?.line, markerLine('py-leak.py', 'LEAK-LINE'));
    assert.equal(result.gc, undefined);
    assert.ok(isAlive(target.pid));
  });
}

test('the sys.remote_exec route (Python 3.14)', async (t) => {
  const python = pyenvPython('3.14') ?? ['/usr/bin/python3.14', '/usr/local/bin/python3.14'].find((p) => existsSync(p));
  if (!python) {
    const reason = 'no Python 3.14 interpreter on this machine (looked in pyenv, /usr/bin, /usr/local/bin): the remote_exec route is not exercised';
    console.log(`# SKIP: ${reason}`);
    return t.skip(reason);
  }
  const target = await startTarget(python, [fixture('py-leak.py')]);
  assert.equal((await pythonProbeSupport(target.pid)).method, 'remote_exec');
  const result = await probePython(target.pid, { windowMs: 1000 });
  assert.equal(result.method, 'remote_exec');
  assert.equal(result.sites[0]?.line, markerLine('py-leak.py', 'LEAK-LINE'));
});

test('malloc_trim on a fragmenting program reports the drop and calls it fragmentation', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-fragment.py')], {}, 60_000);
  const trim = await runPythonMallocTrim(target.pid);
  assert.equal(trim.action, 'malloc-trim');
  assert.ok(trim.freedBytes > 50 * 1024 * 1024, `freed ${trim.freedBytes}`);
  assert.equal(trim.freedBytes, trim.beforeRssBytes - trim.afterRssBytes);
  assert.match(trim.interpretation, /fragmentation/);
  assert.match(trim.interpretation, /not a leak/);
  assert.ok(isAlive(target.pid));
});

test('gc.collect() action reports what it collected and RSS around it', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const gc = await runPythonGc(target.pid);
  assert.equal(gc.action, 'gc');
  assert.ok(typeof gc.collected === 'number' && gc.collected >= 0);
  assert.ok(gc.beforeRssBytes > 0 && gc.afterRssBytes > 0);
  assert.match(gc.interpretation, /gc\.collect\(\)/);
});

test('a target in a long C call holding the GIL: "waiting", then the probe runs when it returns', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-stuck.py'), '3']);
  const statuses: ProbeStatus[] = [];
  const result = await probePython(target.pid, { windowMs: 500, startTimeoutMs: 20_000, onStatus: (s) => statuses.push(s) });
  assert.ok(statuses.some((s) => s.state === 'waiting'), JSON.stringify(statuses));
  assert.equal(result.runtime, 'python');
  assert.ok(isAlive(target.pid));
});

test('a target that never gets out of its C call: a clean timeout, the target unharmed', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-stuck.py'), '120']);
  const dirsBefore = probeDirs();
  await assert.rejects(probePython(target.pid, { windowMs: 500, startTimeoutMs: 1500 }), (error) => {
    assert.ok(isProbeError(error, 'timeout'), String(error));
    assert.match(error.message, /long call|without pause/);
    return true;
  });
  assert.deepEqual(probeDirs(), dirsBefore);
  assert.ok(isAlive(target.pid));
  // A helper still attached to a thread leaves with the target, never before it is done.
  await target.kill();
  for (let i = 0; i < 100 && injectorsRunning().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(injectorsRunning(), []);
});

function injectorsRunning(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('leakscope-injector-');
    } catch {
      return false;
    }
  }).map(Number);
}

test('a process that exits mid-probe gives process-exited', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const probing = probePython(target.pid, { windowMs: 4000 });
  setTimeout(() => target.child.kill('SIGKILL'), 800);
  await assert.rejects(probing, (error) => isProbeError(error, 'process-exited'));
});

test('PYTHON_DISABLE_REMOTE_DEBUG in the target is respected, before anything is injected', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')], { env: { ...process.env, PYTHON_DISABLE_REMOTE_DEBUG: '1' } });
  const dirsBefore = probeDirs();
  await assert.rejects(probePython(target.pid, { windowMs: 500 }), (error) => {
    assert.ok(isProbeError(error, 'remote-debug-disabled'), String(error));
    assert.match(error.message, /PYTHON_DISABLE_REMOTE_DEBUG/);
    return true;
  });
  assert.deepEqual(probeDirs(), dirsBefore);
});

function captureIo(answer: boolean): CliIo & { outText(): string; errText(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    confirm: async () => answer,
    signal: new AbortController().signal,
    outText: () => out.join('\n'),
    errText: () => err.join('\n'),
  };
}

test('CLI --yes --json --malloc-trim prints ranked sites and the trim result', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const io = captureIo(false);
  const code = await probeCommand.run(['--pid', String(target.pid), '--window', '1s', '--yes', '--json', '--malloc-trim'], io);
  assert.equal(code, 0, io.errText());
  const json = JSON.parse(io.outText()) as Record<string, unknown>;
  assert.equal(json.pid, target.pid);
  assert.equal(json.runtime, 'python');
  const sites = json.sites as { file: string; line: number; function: string; bytes: number; count: number }[];
  assert.deepEqual(Object.keys(sites[0]).slice(0, 5), ['file', 'line', 'function', 'bytes', 'count']);
  assert.equal(sites[0].line, markerLine('py-leak.py', 'LEAK-LINE'));
  for (let i = 1; i < sites.length; i++) assert.ok(sites[i - 1].bytes >= sites[i].bytes, 'ranked');
  assert.equal(typeof json.gc, 'object');
  assert.equal((json.trim as { action: string }).action, 'malloc-trim');
  assert.match(io.errText(), /run a short piece of Python inside process/);
});

test('CLI without consent probes nothing and exits 3', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const dirsBefore = probeDirs();
  const io = captureIo(false);
  assert.equal(await probeCommand.run(['--pid', String(target.pid)], io), 3);
  assert.match(io.errText(), /no consent/);
  assert.deepEqual(probeDirs(), dirsBefore);
  assert.equal(threadCount(target.pid), 1);
});

test('CLI run for real with no terminal and no --yes: refused, exit 3', async (t) => {
  const cli = fromRoot('dist', 'cli.js');
  if (!existsSync(cli)) return t.skip('dist/cli.js not built');
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const run = spawnSync(process.execPath, [cli, 'probe', '--pid', String(target.pid)], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stderr, /no consent/);
});

test("CLI as user nobody on root's process: permission-denied, exit 1", async (t) => {
  const cli = fromRoot('dist', 'cli.js');
  if (process.getuid?.() !== 0) return t.skip('needs root to start a process as nobody');
  if (!existsSync('/usr/bin/setpriv') || !existsSync(cli)) return t.skip('setpriv or dist/cli.js missing');
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const run = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, 'probe', '--pid', String(target.pid), '--yes'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /Not allowed .* another user.*\[permission-denied\]/s);
  assert.ok(isAlive(target.pid));
});

test('cancelling mid-window stops tracemalloc in the target and removes the files', async () => {
  const target = await startTarget(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const dirsBefore = probeDirs();
  const abort = new AbortController();
  const probing = probePython(target.pid, { windowMs: 20_000, signal: abort.signal, onStatus: (s) => s.state === 'sampling' && setTimeout(() => abort.abort(), 300) });
  await assert.rejects(probing, (error) => isProbeError(error, 'cancelled'));
  assert.deepEqual(probeDirs(), dirsBefore);
  // The probe thread notices its directory is gone within a fraction of a second.
  let state = await pythonProbeState(target.pid);
  for (let i = 0; i < 10 && state.tracing; i++) state = await pythonProbeState(target.pid);
  assert.equal(state.tracing, false);
});
