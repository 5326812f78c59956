// The decomposition kept up to date beside a watch: cheap readings on an interval, bounded,
// stopped by dispose or by the process exiting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { DecompositionSampler, ProcMemory, ProcStatusReader, readProcMemory, UNMOVED_REREAD_MS } from '../../../src/core/memory';
import { isProbeError } from '../../../src/core/probe/errors';
import { fromRoot } from '../../helpers/paths';
import { eventually, startProcess, SYSTEM_PYTHON } from '../../helpers/processes';
import { readProcessInfo } from '../../../src/core/discovery';
import { WatchSession } from '../../../src/core/session';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This process's fds open on /proc/PID/status. */
function statusFds(pid: number): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/status`) count++;
    } catch {
      // closed while listing (readdir's own fd)
    }
  }
  return count;
}

test('a status reader reads what a read by path reads, through one fd, until the process exits or it is disposed', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "import time; print('ready', flush=True); time.sleep(600)"]);
  const reader = ProcStatusReader.open(target.pid);
  t.after(() => reader.dispose());
  assert.equal(statusFds(target.pid), 1);
  // Right after 'ready' the interpreter may still fault pages in on its way into sleep (64 KB of
  // file pages between two reads, once, on a loaded machine): compare once it holds still.
  const byFd = await eventually(() => {
    const reading = reader.read();
    return isDeepStrictEqual(reading, readProcMemory(target.pid)) ? reading : undefined;
  }, 10_000, 'the fd and the path to give the same reading of an idle process');
  assert.ok(byFd.rssBytes > 0);
  assert.ok(reader.read().rssBytes > 0);
  await target.kill();
  assert.throws(() => reader.read(), (error: unknown) => isProbeError(error, 'process-exited'));
  reader.dispose();
  assert.equal(statusFds(target.pid), 0);
  assert.throws(() => reader.read(), (error: unknown) => isProbeError(error, 'process-exited'));
});

test("the decomposition's recent reading: the last one while running and at most two intervals old, else none", async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(600)"]);
  let nowMs = 1_000_000;
  const ticks: (() => void)[] = [];
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 5000, now: () => nowMs, schedule: (_ms, tick) => (ticks.push(tick), { dispose: () => undefined }) });
  t.after(() => sampler.dispose());
  assert.equal(sampler.recent(), undefined, 'nothing read yet');
  sampler.start();
  assert.equal(sampler.recent(), sampler.latest);
  nowMs += 5003;
  assert.equal(sampler.recent(), sampler.latest, 'an interval old and its tick a few ms late');
  nowMs += 4997;
  assert.equal(sampler.recent(), sampler.latest, 'two intervals old');
  nowMs += 1;
  assert.equal(sampler.recent(), undefined, 'older than two intervals: its ticks stopped coming');
  ticks[0]();
  assert.ok(sampler.recent() !== undefined && sampler.readings.length === 2);
  sampler.stop();
  assert.equal(sampler.recent(), undefined, 'not while stopped');
});

test('a tick where RSS has not moved carries the last reading forward; a moved RSS, or a minute, reads again', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(600)"]);
  let nowMs = 1_000_000;
  let rss: number | undefined = 7 * 4096;
  const ticks: (() => void)[] = [];
  const sampler = new DecompositionSampler(target.pid, {
    intervalMs: 5000,
    now: () => nowMs,
    schedule: (_ms, tick) => (ticks.push(tick), { dispose: () => undefined }),
    rssNow: () => rss,
  });
  t.after(() => sampler.dispose());
  sampler.start();
  const first = sampler.readings[0].proc;
  const tick = (): ProcMemory => {
    nowMs += 5000;
    ticks[0]();
    return sampler.readings[sampler.readings.length - 1].proc;
  };
  assert.equal(tick(), first, 'RSS as at the read: carried forward');
  assert.deepEqual(sampler.readings.map((r) => r.tMs), [1_000_000, 1_005_000], 'at the new time');
  rss = 8 * 4096;
  const moved = tick();
  assert.notEqual(moved, first, 'RSS moved: read again');
  const carried: ProcMemory[] = [];
  while (nowMs - 1_010_000 < UNMOVED_REREAD_MS) carried.push(tick());
  assert.ok(carried.slice(0, -1).every((p) => p === moved), 'held within the minute');
  assert.notEqual(carried[carried.length - 1], moved, 'read again a minute after the last read');
});

test('the decomposition keeps its status fd open while running only', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(600)"]);
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 50 });
  t.after(() => sampler.dispose());
  sampler.start();
  await wait(300);
  assert.ok(sampler.readings.length >= 3);
  assert.equal(statusFds(target.pid), 1, 'one fd for every reading');
  sampler.stop();
  assert.equal(statusFds(target.pid), 0, 'closed when stopped');
  sampler.start();
  assert.equal(statusFds(target.pid), 1, 'opened again on start');
  sampler.dispose();
  assert.equal(statusFds(target.pid), 0, 'closed when disposed');
});

test('reads /proc on its interval, keeps a bounded series, and diagnoses growth without injecting', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, [fromRoot('test', 'fixtures', 'memory', 'py-keep.py')]);
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 100, maxReadings: 15 });
  t.after(() => sampler.dispose());
  sampler.start();
  await wait(2500);
  assert.equal(sampler.readings.length, 15, 'bounded');
  assert.ok((sampler.latest?.anonBytes ?? 0) > 0);
  const d = sampler.diagnose();
  assert.equal(d?.kind, 'unknown', 'growth, but without the inside view');
  assert.ok((d?.evidence.rss_growth_bytes ?? 0) > 2e6, JSON.stringify(d?.evidence));
  assert.ok(sampler.largestMappings(3).length > 0);
  sampler.dispose();
  const last = sampler.readings[sampler.readings.length - 1].tMs;
  await wait(300);
  assert.equal(sampler.readings[sampler.readings.length - 1].tMs, last, 'no reading after dispose');
});

test('stops by itself when the process exits, keeping what it read', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(0.5)"]);
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 50 });
  t.after(() => sampler.dispose());
  sampler.start();
  await target.exited;
  await wait(200);
  assert.equal(sampler.running, false);
  assert.equal(statusFds(target.pid), 0, 'its fd closed with it');
  assert.ok(sampler.readings.length >= 2);
});

test('a watch session reads the decomposition while running, not while paused, and diagnoses from /proc alone', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, [fromRoot('test', 'fixtures', 'memory', 'py-native.py')]);
  const options = { intervalMs: 200, detailIntervalMs: 0, maxSamples: 1000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8, decompositionIntervalMs: 200 };
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  t.after(() => session.dispose());
  const seen: number[] = [];
  session.onDecomposition((r) => seen.push(r.proc.anonBytes));
  await session.start();
  await eventually(() => (session.decomposition.t.length >= 8 ? true : undefined), 15_000, 'eight readings');
  const d = session.decomposition;
  assert.equal(seen.length, d.t.length, 'each reading announced');
  for (const part of ['anon', 'file', 'shmem', 'swap'] as const) assert.equal(d[part].length, d.t.length, part);
  const last = d.t.length - 1;
  assert.ok(d.anon[last] - d.anon[0] > 4e6, `the mmaps show as anonymous memory: ${d.anon[0]} → ${d.anon[last]}`);
  const rss = session.monitor.latest?.rssBytes ?? 0;
  assert.ok(Math.abs(d.anon[last] + d.file[last] + d.shmem[last] - rss) < 0.1 * rss, 'the parts add up to RSS');
  const diagnosis = session.growthDiagnosis();
  assert.equal(diagnosis?.kind, 'unknown', 'growth; which kind needs the inside view');
  assert.ok((diagnosis?.evidence.anon_growth_bytes ?? 0) > 4e6, JSON.stringify(diagnosis?.evidence));
  assert.equal(session.growthDiagnosis(), diagnosis, 'no new reading: the same diagnosis, not recomputed');

  session.monitor.pause();
  const paused = session.decomposition.t.length;
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(session.decomposition.t.length, paused, 'no reading while paused');
  session.monitor.resume();
  await eventually(() => (session.decomposition.t.length > paused ? true : undefined), 10_000, 'readings again after resume');
});

test('a session with the decomposition interval at 0 reads none', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(600)"]);
  const options = { intervalMs: 100, detailIntervalMs: 0, maxSamples: 1000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8, decompositionIntervalMs: 0 };
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  t.after(() => session.dispose());
  await session.start();
  await eventually(() => (session.monitor.history.length >= 3 ? true : undefined), 10_000, 'samples');
  assert.equal(session.decomposition.t.length, 0);
  assert.equal(session.growthDiagnosis(), undefined);
});
