// "Watch the next run": telling a restarted program from the one that exited and from other
// copies running alongside, on real processes.
import test from 'node:test';
import { copyFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { readProcessInfo } from '../../../src/core/discovery/processes';
import { isRerunOf, processStartMs, waitForRerun } from '../../../src/core/discovery/rerun';
import { ProcessInfo } from '../../../src/core/model';
import { fixtureProgram, startProcess, startPython, SYSTEM_PYTHON } from '../../helpers/processes';

/** Arguments no other test uses: tests run side by side, and their copies would be new runs too. */
const ARGS = ['5', `rerun-test-${process.pid}`];

const BASE: ProcessInfo = {
  pid: 100,
  ppid: 1,
  name: 'python3',
  exe: '/usr/bin/python3.11',
  argv: ['python3', 'train.py', '--epochs', '3'],
  runtime: 'python',
  interpreter: 'Python 3.11',
  uid: 1000,
  user: 'ada',
  startTicks: 5_000,
  rssBytes: 0,
};

test('isRerunOf: same executable, arguments and user, started after the last sight of the old run', () => {
  const startMs = (ticks: number) => ticks * 10; // 100 ticks a second from an epoch at 0
  const aliveAtMs = 80_000;
  const rerun = { ...BASE, pid: 200, startTicks: 8_050 };
  assert.equal(isRerunOf(BASE, rerun, aliveAtMs, startMs), true);
  assert.equal(isRerunOf(BASE, { ...rerun, startTicks: 7_950 }, aliveAtMs, startMs), true, 'within the 1-s rounding of the boot time');
  assert.equal(isRerunOf(BASE, { ...rerun, startTicks: 6_000 }, aliveAtMs, startMs), false, 'a copy started alongside, before the old run ended');
  assert.equal(isRerunOf(BASE, BASE, aliveAtMs, startMs), false, 'the old run itself');
  assert.equal(isRerunOf(BASE, { ...rerun, argv: ['python3', 'train.py', '--epochs', '4'] }, aliveAtMs, startMs), false);
  assert.equal(isRerunOf(BASE, { ...rerun, argv: ['python3', 'train.py', '--epochs'] }, aliveAtMs, startMs), false);
  assert.equal(isRerunOf(BASE, { ...rerun, exe: '/usr/bin/python3.12' }, aliveAtMs, startMs), false);
  assert.equal(isRerunOf(BASE, { ...rerun, uid: 0 }, aliveAtMs, startMs), false);
});

test('processStartMs: a process started just now started now', async (t) => {
  const before = Date.now();
  const child = await startPython(t, 'flat.py', ['5']);
  const info = await readProcessInfo(child.pid);
  const started = processStartMs(info.startTicks);
  assert.ok(started >= before - 1500 && started <= Date.now() + 1500, `started ${started - before} ms after the test began`);
});

test('waitForRerun finds the restarted program, not the copy that kept running alongside', async (t) => {
  const alongside = await startPython(t, 'flat.py', ARGS);
  const first = await startPython(t, 'flat.py', ARGS);
  const previous = await readProcessInfo(first.pid);
  await new Promise((resolve) => setTimeout(resolve, 2500)); // watched a while: the copy alongside is older than the rounding
  await first.kill();
  const aliveAtMs = Date.now();
  const restarting = new Promise((resolve) => setTimeout(resolve, 1500)).then(() => startPython(t, 'flat.py', ARGS));
  const found = await waitForRerun(previous, { aliveAtMs, pollMs: 200, timeoutMs: 20_000 });
  const restarted = await restarting;
  assert.ok(found, 'the new run was found');
  assert.equal(found.pid, restarted.pid);
  assert.notEqual(found.pid, previous.pid);
  assert.notEqual(found.pid, alongside.pid);
  assert.deepEqual(found.argv, previous.argv);
  assert.ok(processStartMs(found.startTicks) >= aliveAtMs - 1000);
});

test('waitForRerun gives up at its timeout, and at once when aborted', async (t) => {
  const first = await startPython(t, 'flat.py', [...ARGS, 'gives-up']);
  const previous = await readProcessInfo(first.pid);
  await first.kill();
  const aliveAtMs = Date.now();
  let started = Date.now();
  assert.equal(await waitForRerun(previous, { aliveAtMs, pollMs: 200, timeoutMs: 800 }), undefined);
  assert.ok(Date.now() - started < 3000, 'returned near its timeout');
  const controller = new AbortController();
  started = Date.now();
  setTimeout(() => controller.abort(), 300);
  assert.equal(await waitForRerun(previous, { aliveAtMs, pollMs: 5000, timeoutMs: 60_000, signal: controller.signal }), undefined);
  assert.ok(Date.now() - started < 2000, 'returned when aborted, not after its poll interval');
});

test('waitForRerun with the old run\'s folder: the same command started in another folder is not its next run', async (t) => {
  const [home, elsewhere] = ['a', 'b'].map((name) => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), `leakscope-rerun-${name}-`)));
    copyFileSync(fixtureProgram('flat.py'), join(dir, 'flat.py'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  const args = ['flat.py', ...ARGS, 'cwd'];
  const first = await startProcess(t, SYSTEM_PYTHON, args, { cwd: home });
  const previous = await readProcessInfo(first.pid);
  await first.kill();
  const aliveAtMs = Date.now();
  const other = await startProcess(t, SYSTEM_PYTHON, args, { cwd: elsewhere });
  const restarting = new Promise((resolve) => setTimeout(resolve, 1000)).then(() => startProcess(t, SYSTEM_PYTHON, args, { cwd: home }));
  const found = await waitForRerun(previous, { aliveAtMs, cwd: home, pollMs: 200, timeoutMs: 20_000 });
  const restarted = await restarting;
  assert.equal(found?.pid, restarted.pid, `not pid ${other.pid}, which runs in ${elsewhere}`);
  assert.equal((await waitForRerun(previous, { aliveAtMs, pollMs: 200, timeoutMs: 1000 }))?.pid, other.pid, 'without the folder: the earlier started of the two');
});
