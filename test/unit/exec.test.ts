// An exec (a shell or a pyenv shim exec'ing Python, a setuid exec) keeps the pid: it is a new
// program in the same process, not an exit. Real processes that exec after a moment.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';
import { ProcessMonitor } from '../../src/core/monitor';
import { WatchSession } from '../../src/core/session';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { MonitorEvent } from '../../src/core/model';
import { eventually, startProcess, SYSTEM_PYTHON } from '../helpers/processes';

/** `sh` that waits, then execs `program`: the pid stays, the memory map is replaced. */
function execAfter(t: Parameters<typeof startProcess>[0], seconds: number, program: string) {
  return startProcess(t, 'sh', ['-c', `sleep ${seconds}; exec ${program}`], { ready: null });
}

test('the smaps_rollup fd is reopened after an exec that keeps the comm (sh → sh)', async (t) => {
  const proc = await execAfter(t, 0.5, 'sh -c "sleep 60; true"');
  const sampler = ProcfsSampler.open(proc.pid);
  t.after(() => sampler.dispose());
  assert.ok(await sampler.readDetail(), 'a detail reading before the exec');
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const after = await sampler.readDetail();
  assert.ok(after && after.pssBytes > 0, 'a detail reading after the exec');
  assert.equal(sampler.execCount, 1);
  assert.equal(sampler.closed, false);
});

test('a monitor keeps watching through an exec, with an exec event naming the new program', async (t) => {
  const proc = await execAfter(t, 0.5, `${SYSTEM_PYTHON} -c "import time;time.sleep(60)"`);
  const monitor = new ProcessMonitor(readLinuxProcessInfo(proc.pid), { intervalMs: 100, detailIntervalMs: 200 });
  t.after(() => monitor.dispose());
  const events: MonitorEvent[] = [];
  monitor.onEvent((e) => events.push(e));
  await monitor.start();
  const exec = await eventually(() => events.find((e) => e.kind === 'exec'), 5000, 'an exec event');
  assert.match(exec.label, /python3 -c import time/);
  const before = monitor.history.totalPushed;
  await eventually(() => (monitor.history.totalPushed >= before + 5 ? true : undefined), 5000, 'samples after the exec');
  assert.equal(monitor.state, 'running');
  assert.equal(monitor.target.argv[0], SYSTEM_PYTHON);
  assert.equal(monitor.exitSummary, undefined);
  await eventually(() => monitor.history.toSamples().find((s) => s.tMs > exec.tMs && s.ussBytes !== undefined), 5000, 'USS read after the exec');
});

test('a watch session names the program its process runs after an exec (so "watch next run" looks for that program)', async (t) => {
  const proc = await execAfter(t, 0.5, `${SYSTEM_PYTHON} -c "import time;time.sleep(60)"`);
  const session = new WatchSession(readLinuxProcessInfo(proc.pid), { intervalMs: 100, detailIntervalMs: 200, maxSamples: 1000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8 });
  t.after(() => session.dispose());
  assert.equal(session.target.argv[0], 'sh');
  await session.start();
  await eventually(() => (session.target.argv[0] === SYSTEM_PYTHON ? true : undefined), 5000, 'the session to follow the exec');
  assert.equal(session.target.pid, proc.pid);
});

test('a launcher that execs several times in a row (env → bash → pyenv → python) never reads as exited', async (t) => {
  // Each exec replaces the memory map; a smaps_rollup fd reopened after one exec can meet the
  // next one at once. 200 execs of `sh` into itself, then `sleep`: detail reads meanwhile.
  const chain = 'n=$1; if [ "$n" -gt 0 ]; then exec sh -c "$0" "$0" $((n - 1)); fi; exec sleep 60';
  const proc = await startProcess(t, 'sh', ['-c', chain, chain, '200'], { ready: null });
  const sampler = ProcfsSampler.open(proc.pid);
  t.after(() => sampler.dispose());
  const comm = () => readLinuxProcessInfo(proc.pid).name;
  let reads = 0;
  // A generous ceiling: 200 execs take well under a second here.
  const deadline = Date.now() + 60_000;
  while (comm() !== 'sleep') {
    assert.ok(Date.now() < deadline, 'the chain of execs ended within 60 s');
    await sampler.sample({ detail: true });
    reads++;
  }
  assert.ok(reads > 0, 'read during the chain');
  assert.ok(sampler.execCount > 0, 'execs seen');
  assert.ok(await sampler.readDetail(), 'a detail reading once the chain has ended');
  assert.equal(sampler.closed, false);
});
