import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ProcfsSampler } from '../../../src/core/sampling/procfsSampler';
import { PidusageSampler } from '../../../src/core/sampling/pidusageSampler';
import { ProcessGoneError } from '../../../src/core/discovery/errors';
import { hasExited, pageSize, parseStat, parseStatCounters, readStat } from '../../../src/core/discovery/procfs';
import { eventually, ownFdCount, psRssBytes, startNode, startProcess, startPython, SYSTEM_PYTHON } from '../../helpers/processes';

const MB = 1024 ** 2;

function assertWithin(actual: number, expected: number, fraction: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * fraction, `${what}: ${actual} vs ${expected} (more than ${fraction * 100}% apart)`);
}

function statusField(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]);
}

test('page size matches getconf', () => {
  assert.equal(pageSize(), Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
});

test('RSS of a Python process agrees with ps within 5%, before and after it grows', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const before = await sampler.sample();
  assertWithin(before.rssBytes, psRssBytes(target.pid), 0.05, 'rss before');
  await target.command('alloc 100');
  const after = await sampler.sample();
  assertWithin(after.rssBytes, psRssBytes(target.pid), 0.05, 'rss after');
  assert.ok(after.deltaBytes >= 95 * MB, `delta ${after.deltaBytes}`);
  assert.equal(after.rssBytes - before.rssBytes, after.deltaBytes);
});

test('RSS of a Node process agrees with ps within 5%', async (t) => {
  const target = await startNode(t, 'controlled.js');
  await target.command('alloc 64');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const s = await sampler.sample();
  assertWithin(s.rssBytes, psRssBytes(target.pid), 0.05, 'rss');
  assert.equal(s.threads, statusField(target.pid, 'Threads'));
});

test('threads match /proc and follow the target starting threads', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const first = await sampler.sample();
  assert.equal(first.threads, statusField(target.pid, 'Threads'));
  await target.command('threads 5');
  const second = await sampler.sample();
  assert.equal(second.threads, first.threads + 5);
  assert.equal(second.threads, statusField(target.pid, 'Threads'));
});

test('open fds follow the target opening and closing files, counted when asked and carried between counts', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const first = await sampler.sample();
  assert.ok(first.fds >= 3);
  await target.command('open 20');
  assert.equal((await sampler.sample()).fds, first.fds, 'carried until the next count');
  assert.equal((await sampler.sample({ fds: true })).fds, first.fds + 20);
  await target.command('close');
  assert.equal((await sampler.sample({ fds: true })).fds, first.fds);
});

test('children RSS sums the worker processes the target spawns', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const first = await sampler.sample({ children: true });
  assert.equal(first.childCount, 0);
  assert.equal(first.childrenRssBytes, 0);
  const answer = await target.command('spawn 2 30');
  const workers = answer.split(' ').slice(1).map(Number);
  const withWorkers = await sampler.sample({ children: true });
  assert.equal(withWorkers.childCount, 2);
  const psSum = workers.reduce((sum, pid) => sum + psRssBytes(pid), 0);
  assertWithin(withWorkers.childrenRssBytes, psSum, 0.05, 'children rss');
  assert.ok(withWorkers.childrenRssBytes >= 60 * MB);
  const carried = await sampler.sample({ children: false });
  assert.equal(carried.childrenRssBytes, withWorkers.childrenRssBytes, 'carried between walks');
  await target.command('reap');
  assert.equal((await sampler.sample({ children: true })).childCount, 0);
});

test('detail readings: USS and PSS at most RSS and both non-zero', async (t) => {
  const target = await startPython(t, 'controlled.py');
  await target.command('alloc 20');
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  const s = await sampler.sample({ detail: true });
  assert.ok(s.ussBytes !== undefined && s.pssBytes !== undefined);
  assert.ok(s.ussBytes > 20 * MB && s.ussBytes <= s.rssBytes * 1.01, `uss ${s.ussBytes} rss ${s.rssBytes}`);
  assert.ok(s.pssBytes >= s.ussBytes && s.pssBytes <= s.rssBytes * 1.01);
  assert.equal((await sampler.sample()).ussBytes, undefined, 'only when asked');
});

test('CPU percent shows a busy process', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', 'print("ready", flush=True)\nwhile True: pass']);
  const sampler = ProcfsSampler.open(target.pid);
  t.after(() => sampler.dispose());
  await sampler.sample();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const s = await sampler.sample();
  assert.ok(s.cpuPercent > 10 && s.cpuPercent <= 105, `cpu ${s.cpuPercent}`);
});

test('exit: the next sample rejects with ProcessGoneError and every fd is closed', async (t) => {
  const fdsAtStart = ownFdCount();
  const target = await startPython(t, 'controlled.py');
  const fdsBefore = ownFdCount();
  const sampler = ProcfsSampler.open(target.pid);
  await sampler.sample();
  assert.equal(ownFdCount(), fdsBefore + 2, 'stat and fd/');
  target.child.stdin?.write('exit 0\n');
  await target.exited;
  await assert.rejects(sampler.sample(), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'exited');
  assert.ok(sampler.closed);
  await target.kill(); // closes the stdio pipes
  await eventually(() => (ownFdCount() === fdsAtStart ? true : undefined), 5000, `fd count back to ${fdsAtStart}`);
});

test('a zombie (exited, not reaped by its parent) counts as exited', async (t) => {
  const parent = await startProcess(t, SYSTEM_PYTHON, ['-c', 'import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint("ready", pid, flush=True)\ntime.sleep(60)']);
  const zombie = Number((await parent.waitForLine(/^ready/)).split(' ')[1]);
  await eventually(() => (readStat(zombie).state === 'Z' ? true : undefined), 5000, 'zombie state');
  assert.throws(() => ProcfsSampler.open(zombie), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'exited');
});

test('pid reuse: a start time other than the one discovered is refused, leaving no fd open', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const fdsBefore = ownFdCount();
  const realStart = readStat(target.pid).startTicks;
  assert.throws(() => ProcfsSampler.open(target.pid, realStart + 1), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'pid-reused' && /belongs to another process/.test(e.message));
  assert.equal(ownFdCount(), fdsBefore);
  const sampler = ProcfsSampler.open(target.pid, realStart);
  assert.equal(sampler.startTicks, realStart);
  sampler.dispose();
  assert.equal(ownFdCount(), fdsBefore);
});

test('a pid that does not exist gives ProcessGoneError not-found', () => {
  assert.throws(() => ProcfsSampler.open(4_000_000), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'not-found' && /No process with pid 4000000/.test(e.message));
});

test('reading stat through a kept fd parses like a fresh read', async (t) => {
  const target = await startNode(t, 'controlled.js');
  const fresh = parseStat(readFileSync(`/proc/${target.pid}/stat`, 'latin1'));
  assert.equal(fresh.pid, target.pid);
  assert.equal(fresh.comm, 'node');
  const sampler = ProcfsSampler.open(target.pid, fresh.startTicks);
  t.after(() => sampler.dispose());
  assert.equal((await sampler.sample()).threads, fresh.threads);
});

test('parseStat copes with spaces and parentheses in the command name', () => {
  const stat = parseStat('42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 9 0 12345 1000 250 18446744073709551615');
  assert.equal(stat.comm, 'a) b (c)');
  assert.equal(stat.ppid, 1);
  assert.equal(stat.cpuTicks, 10);
  assert.equal(stat.threads, 9);
  assert.equal(stat.startTicks, 12345);
  assert.equal(stat.rssPages, 250);
});

test('pidusage fallback: RSS like ps, no threads or fds, ProcessGoneError after exit', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const sampler = new PidusageSampler(target.pid);
  t.after(() => sampler.dispose());
  const s = await sampler.sample();
  assertWithin(s.rssBytes, psRssBytes(target.pid), 0.05, 'rss');
  assert.equal(s.threads, -1);
  assert.equal(s.fds, -1);
  assert.equal(await sampler.readDetail(), undefined);
  await target.kill();
  await assert.rejects(sampler.sample(), (e: unknown) => e instanceof ProcessGoneError);
});

test('parseStatCounters (bytes) agrees with parseStat (text) on live processes', async (t) => {
  const target = await startPython(t, 'controlled.py');
  await target.command('threads 3');
  for (const pid of [target.pid, process.pid, 1]) {
    const buffer = readFileSync(`/proc/${pid}/stat`);
    const counters = parseStatCounters(buffer, buffer.length, { stateCode: 0, flags: 0, cpuTicks: 0, threads: 0, startTicks: 0, rssPages: 0 });
    const text = parseStat(buffer.toString('latin1'));
    assert.equal(String.fromCharCode(counters.stateCode), text.state);
    assert.equal(counters.cpuTicks, text.cpuTicks);
    assert.equal(counters.threads, text.threads);
    assert.equal(counters.startTicks, text.startTicks);
    assert.equal(counters.rssPages, text.rssPages);
  }
});

test('a process the kernel is tearing down counts as exited: its state still says R, its flags say exiting, its RSS reads 0', () => {
  // Read from /proc/PID/stat 0.2 ms after SIGTERM to a Python process (flags 0x40040c: PF_EXITING set).
  const line = (state: string, flags: number, rssPages: number) =>
    Buffer.from(`4242 (python3) ${state} 1 4242 4242 0 -1 ${flags} 1100 0 0 0 12 3 0 0 20 0 1 0 98765 ${rssPages ? 120_000_000 : 0} ${rssPages} 18446744073709551615`);
  const parse = (b: Buffer) => parseStatCounters(b, b.length, { stateCode: 0, flags: 0, cpuTicks: 0, threads: 0, startTicks: 0, rssPages: 0 });
  const running = parse(line('R', 0x400000, 5632));
  assert.equal(running.rssPages, 5632);
  assert.equal(hasExited(running), false);
  const exiting = parse(line('R', 0x40040c, 0));
  assert.equal(exiting.flags, 0x40040c);
  assert.equal(hasExited(exiting), true);
  assert.equal(hasExited(parse(line('Z', 0x40840c, 0))), true);
});
