// The attach doctor on real processes: each finding is one sentence that says what it stops and
// what still works. ptrace_scope is simulated (passed as a fact): the machine's real setting is
// never changed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { attachDoctor, explainProcess, gatherAttachFacts } from '../../../src/core/memory';
import { fromRoot } from '../../helpers/paths';
import { startProcess, SYSTEM_PYTHON } from '../../helpers/processes';

const SLEEPER = ['-c', "print('ready', flush=True); import time; time.sleep(600)"];
const STILL_WORKS = /still work/;

test('ptrace_scope 3 (simulated): a blocker that names what still works, and explain does not inject', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, SLEEPER);
  const real = await gatherAttachFacts(target.pid, 'python');
  const yama = '/proc/sys/kernel/yama/ptrace_scope';
  assert.equal(real.ptraceScope, existsSync(yama) ? Number(readFileSync(yama, 'utf8')) : undefined, 'the real setting is only read');
  const report = await attachDoctor(target.pid, 'python', { ptraceScope: 3 });
  assert.equal(report.canProbe, false);
  const finding = report.findings.find((f) => f.id === 'ptrace-scope');
  assert.equal(finding?.level, 'blocker');
  assert.match(finding?.message ?? '', /ptrace_scope is 3: no process may use ptrace, not even root/);
  assert.match(finding?.message ?? '', STILL_WORKS);
  const explained = await explainProcess(target.pid, { windowMs: 500, inject: true, doctorFacts: { ptraceScope: 3 } });
  assert.equal(explained.python, undefined);
  assert.ok(explained.skipped.some((s) => /ptrace_scope is 3/.test(s)));
  assert.equal(readdirSync(`/proc/${target.pid}/task`).length, 1, 'nothing was injected');
});

test("a target of another user: as nobody, a blocker; as root, it can attach and says as whom the code runs", async (t) => {
  const cli = fromRoot('dist', 'cli.js');
  if (process.getuid?.() !== 0) return t.skip('needs root to run as nobody');
  if (!existsSync('/usr/bin/setpriv') || !existsSync(cli)) return t.skip('setpriv or dist/cli.js missing');
  const rootTarget = await startProcess(t, SYSTEM_PYTHON, SLEEPER);
  const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
  const run = spawnSync('/usr/bin/setpriv', [...asNobody, process.execPath, cli, 'explain', '--pid', String(rootTarget.pid), '--window', '1s', '--yes', '--json'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as { doctor: { findings: { id: string; level: string; message: string }[] }; python: unknown; rss_bytes: number; skipped: string[] };
  const finding = json.doctor.findings.find((f) => f.id === 'other-user');
  assert.equal(finding?.level, 'blocker');
  assert.match(finding?.message ?? '', /belongs to root \(uid 0\) and Leakscope runs as nobody without CAP_SYS_PTRACE/);
  assert.match(finding?.message ?? '', STILL_WORKS);
  assert.equal(json.python, null, 'nothing was injected');
  assert.ok(json.rss_bytes > 0, 'RSS still read');
  assert.ok(json.skipped.some((s) => /belongs to root/.test(s)));

  const nobodyTarget = await startProcess(t, '/usr/bin/setpriv', [...asNobody, SYSTEM_PYTHON, ...SLEEPER]);
  const asRoot = await attachDoctor(nobodyTarget.pid, 'python');
  const ok = asRoot.findings.find((f) => f.id === 'other-user');
  assert.equal(ok?.level, 'ok');
  assert.match(ok?.message ?? '', /belongs to nobody \(uid 65534\); Leakscope has CAP_SYS_PTRACE/);
});

test('PYTHON_DISABLE_REMOTE_DEBUG=1: respected, with what still works', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, SLEEPER, { env: { ...process.env, PYTHON_DISABLE_REMOTE_DEBUG: '1' } });
  const report = await attachDoctor(target.pid, 'python');
  assert.equal(report.canProbe, false);
  const finding = report.findings.find((f) => f.id === 'remote-debug-disabled');
  assert.match(finding?.message ?? '', /started with PYTHON_DISABLE_REMOTE_DEBUG set: it asked not to be debugged from outside/);
  assert.match(finding?.message ?? '', STILL_WORKS);
});

test('a Python that can be probed: the route is named, no blocker', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, SLEEPER);
  const report = await attachDoctor(target.pid, 'python');
  assert.equal(report.canProbe, true, JSON.stringify(report.findings));
  assert.match(report.findings.find((f) => f.id === 'python-route')?.message ?? '', /Python 3\.\d+: the probe would use/);
});

test('an inspector port already taken: a blocker naming the holder; a free port is fine', async (t) => {
  const port = 9343;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.after(() => server.close());
  const target = await startProcess(t, process.execPath, [`--inspect-port=127.0.0.1:${port}`, '-e', 'setInterval(() => {}, 1000); console.log("ready")']);
  const report = await attachDoctor(target.pid, 'node');
  assert.equal(report.canProbe, false);
  const finding = report.findings.find((f) => f.id === 'inspector-port');
  assert.match(finding?.message ?? '', new RegExp(`Port ${port} is taken by .*\\(pid ${process.pid}\\), so process ${target.pid} cannot open its inspector there`));
  assert.match(finding?.message ?? '', STILL_WORKS);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const free = await attachDoctor(target.pid, 'node');
  assert.equal(free.findings.find((f) => f.id === 'inspector-port')?.level, 'ok');
});
