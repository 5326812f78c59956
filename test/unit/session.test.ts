// WatchSession composes monitor, classifier and limits: tested on real processes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readProcessInfo } from '../../src/core/discovery';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { GrowthVerdict, isLeakClass, MemorySample } from '../../src/core/model';
import { ProcessSampler } from '../../src/core/sampling';
import { isTentative } from '../../src/core/shared/confidence';
import { SessionLimitNotice, WatchSession } from '../../src/core/session';
import { ManualTicker } from '../helpers/manualTicker';
import { eventually, startNode, startProcess, SYSTEM_PYTHON } from '../helpers/processes';
import { readSmallProcFile } from '../../src/core/discovery/procfs';
import { MachineLimitFacts, MEMINFO_TTL_MS } from '../../src/core/memory';
import { panelMemoryLimit } from '../../src/panel/memoryLimit';
import { generate } from './classifier/synthetic';

const options = { intervalMs: 100, detailIntervalMs: 0, maxSamples: 10_000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8 };

test('a session samples a real process and reports its verdict as it goes', async (t) => {
  const target = await startNode(t, 'leak.js', ['10', '200']);
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  t.after(() => session.dispose());
  const verdicts: string[] = [];
  session.onVerdict((v) => verdicts.push(v.explanation));
  await session.start();
  // The undecided verdict's explanation changes as data comes in: it is refreshed every 2 s.
  await eventually(() => (verdicts.length >= 2 ? true : undefined), 10_000, 'two verdict updates');
  assert.match(session.id, new RegExp(`^${target.pid}-${session.target.startTicks}-\\d+$`));
  const again = new WatchSession(session.target, options);
  assert.notEqual(again.id, session.id, 'each attach has its own id');
  again.dispose();
  assert.deepEqual(session.monitor.events.filter((e) => e.kind === 'attach').map((e) => e.label), [`Attached to pid ${target.pid}`], 'one attach marker');
  assert.ok(session.monitor.history.length >= 2);
});

test('a memory limit below the current RSS is reported reached, once, with a chart marker', async (t) => {
  const target = await startNode(t, 'leak.js', ['5', '100']);
  const session = new WatchSession(await readProcessInfo(target.pid), { ...options, memoryLimitBytes: 1024 * 1024 });
  t.after(() => session.dispose());
  const notices: SessionLimitNotice[] = [];
  session.onLimit((n) => notices.push(n));
  await session.start();
  await eventually(() => (notices.some((n) => n.level === 'reached') ? true : undefined), 10_000, 'limit reached');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(notices.filter((n) => n.level === 'reached').length, 1);
  assert.ok(session.monitor.events.some((e) => e.kind === 'limit-reached'));
});

test('marking a fix applied records an event and starts a before/after comparison', async (t) => {
  const target = await startNode(t, 'leak.js', ['5', '100']);
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  t.after(() => session.dispose());
  assert.equal(session.fixComparison(), undefined);
  await session.start();
  await eventually(() => (session.monitor.history.length >= 3 ? true : undefined), 10_000, 'samples');
  const beforeMarker = Date.now();
  session.markFixApplied('Fix applied to app.py');
  const marker = session.monitor.events.find((e) => e.kind === 'fix-applied');
  assert.equal(marker?.label, 'Fix applied to app.py');
  assert.ok(marker.tMs >= beforeMarker && marker.tMs <= Date.now(), 'the marker is the moment it was marked');
  const comparison = session.fixComparison();
  assert.ok(comparison, 'a comparison once a marker exists');
  // A few seconds of samples before the marker show no leak yet, and none have come after it.
  assert.equal(comparison.outcome, 'no-leak-before');
  assert.equal(comparison.leakGone, false);
  assert.equal(comparison.before.class, 'unknown');
  assert.equal(comparison.after.class, 'unknown');
  assert.match(comparison.explanation, /^No leak to compare: before the marker: /);
  assert.equal(comparison.explanation, `No leak to compare: before the marker: ${comparison.before.explanation}`);
});

test('a session that follows an earlier run compares its slope with that run\'s', async (t) => {
  const target = await startNode(t, 'flat.js', ['20']);
  const session = new WatchSession(await readProcessInfo(target.pid), { ...options, intervalMs: 50 });
  t.after(() => session.dispose());
  assert.equal(session.rerunComparison(), undefined, 'nothing to compare before it follows a run');
  // The earlier run: 10 min leaking 2 MB/min at 1 Hz.
  const earlier = generate({ durationS: 600, intervalS: 1, levelBytes: 200 * 2 ** 20, noiseSigmaBytes: 2 ** 20, leak: { bytesPerS: (2 * 2 ** 20) / 60 } }, 3);
  const samples = earlier.tMs.map((tMs, i) => ({ tMs, rssBytes: earlier.rssBytes[i], deltaBytes: 0, threads: 1, fds: 4, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 }));
  await session.start();
  session.followsRun({ pid: 4242, samples, events: [] });
  assert.equal(session.previousRun?.pid, 4242);
  assert.equal(session.previousRun?.samples.length, samples.length);
  assert.ok(session.monitor.events.some((e) => e.kind === 'note' && e.label.includes('pid 4242')));
  await eventually(() => (session.monitor.history.length >= 5 ? true : undefined), 10_000, 'samples of the new run');
  const comparison = session.rerunComparison();
  assert.ok(comparison);
  assert.equal(comparison.before.class, 'steady-leak');
  assert.equal(comparison.outcome, 'too-early', 'under a second of the new run says nothing yet');
  assert.equal(comparison.after, session.verdict, "this run's side is the session's live verdict, the one its banner shows");
  assert.ok(comparison.beforeBytesPerS > 30_000 && comparison.beforeBytesPerS < 40_000, `before ${comparison.beforeBytesPerS} B/s`);
});

test('a run Leakscope stopped is judged as it ran, not by its shutdown after the SIGTERM', async (t) => {
  const target = await startNode(t, 'flat.js', ['20']);
  const session = new WatchSession(await readProcessInfo(target.pid), { ...options, intervalMs: 50 });
  t.after(() => session.dispose());
  // 3 min leaking 14 MB/min at 1 Hz, then a graceful shutdown that frees its memory over 20 s.
  const ran = generate({ durationS: 180, intervalS: 1, levelBytes: 60 * 2 ** 20, noiseSigmaBytes: 2 ** 20, leak: { bytesPerS: (14 * 2 ** 20) / 60 } }, 5);
  const sample = (tMs: number, rssBytes: number) => ({ tMs, rssBytes, deltaBytes: 0, threads: 1, fds: 4, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 });
  const samples = ran.tMs.map((tMs, i) => sample(tMs, ran.rssBytes[i]));
  const stopRequestedMs = samples[samples.length - 1].tMs + 500;
  const peak = samples[samples.length - 1].rssBytes;
  for (let s = 1; s <= 20; s++) samples.push(sample(stopRequestedMs + s * 1000, peak * (1 - s / 25)));
  await session.start();
  session.followsRun({ pid: 4242, samples, events: [], stopRequestedMs });
  const comparison = session.rerunComparison();
  assert.ok(comparison);
  assert.equal(comparison.before.class, 'steady-leak', comparison.before.explanation);
  assert.equal(session.previousRun?.samples.length, samples.length, 'the overlay still draws the shutdown');

  const unstopped = new WatchSession(await readProcessInfo(target.pid), { ...options, intervalMs: 50 });
  t.after(() => unstopped.dispose());
  await unstopped.start();
  unstopped.followsRun({ pid: 4242, samples, events: [] });
  assert.notEqual(unstopped.rerunComparison()?.before.class, 'steady-leak', 'judged with its shutdown, the run would not read as the leak it was');
});

test('when the process exits, the last verdict is said even if the 2-s refresh throttle held it back', async (t) => {
  const target = await startNode(t, 'leak.js', ['5', '100']);
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  t.after(() => session.dispose());
  const fired: string[] = [];
  session.onVerdict((v) => fired.push(v.explanation));
  await session.start();
  await eventually(() => (session.monitor.history.length >= 14 ? true : undefined), 10_000, '1.3 s of samples');
  await target.kill();
  await eventually(() => (session.monitor.state === 'exited' ? true : undefined), 10_000, 'the exit');
  assert.ok(fired.length >= 2, fired.join(' | '));
  assert.equal(fired.at(-1), session.verdict.explanation);
  assert.doesNotMatch(fired.at(-1) ?? '', /over 0 ms/);
});

test('disposing a session stops sampling and removes its listeners', async (t) => {
  const target = await startNode(t, 'leak.js', ['5', '100']);
  const session = new WatchSession(await readProcessInfo(target.pid), options);
  await session.start();
  await eventually(() => (session.monitor.history.length >= 2 ? true : undefined), 10_000, 'samples');
  session.dispose();
  const count = session.monitor.history.length;
  await new Promise((r) => setTimeout(r, 350));
  assert.equal(session.monitor.history.length, count);
  assert.equal(session.monitor.state, 'detached');
});

/** A session on an injected clock and ticker, whose readings are `rssBytes`, one a tick (1 s). */
function replayedSession(rssBytes: readonly number[]): { session: WatchSession; tick: () => Promise<void>; ticks: number } {
  let nowMs = Date.now();
  const ticker = new ManualTicker();
  let index = 0;
  const reading = (): MemorySample => ({ tMs: nowMs, rssBytes: rssBytes[Math.min(index, rssBytes.length - 1)], deltaBytes: 0, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 });
  const sampler: ProcessSampler = {
    pid: process.pid,
    closed: false,
    sampleSync: reading,
    sample: () => Promise.resolve(reading()),
    readDetail: () => Promise.resolve(undefined),
    dispose: () => undefined,
  };
  const session = new WatchSession(readLinuxProcessInfo(process.pid), {
    ...options,
    intervalMs: 1000,
    environment: {
      now: () => nowMs,
      monotonicMs: () => nowMs,
      onTick: ticker.onTick,
      openSampler: () => sampler,
    },
  });
  const tick = async (): Promise<void> => {
    nowMs += 1000;
    index++;
    ticker.fire();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { session, tick, ticks: rssBytes.length };
}

test('a leak first alerted below even odds is said again, once, when it becomes more likely than not', async (t) => {
  // 2 MB/min on 200 MB: alerted as possible within minutes, stated likely as the evidence grows.
  const { rssBytes } = generate({ durationS: 3600, intervalS: 1, levelBytes: 200 * 2 ** 20, noiseSigmaBytes: 2 ** 20, leak: { bytesPerS: (2 * 2 ** 20) / 60 } }, 7);
  const { session, tick, ticks } = replayedSession(rssBytes);
  t.after(() => session.dispose());
  const suspected: GrowthVerdict[] = [];
  const likely: GrowthVerdict[] = [];
  session.onLeakSuspected((v) => suspected.push(v));
  session.onLeakLikely((v) => likely.push(v));
  await session.start();
  for (let i = 1; i < ticks && likely.length === 0; i++) await tick();
  assert.equal(suspected.length, 1, 'one alert');
  assert.equal(likely.length, 1, 'one likely leak within the hour');
  assert.ok(isLeakClass(likely[0].class) && likely[0].confidence >= 0.5, `${likely[0].class} ${likely[0].confidence}`);
  assert.ok(isTentative(suspected[0].confidence), `the first alert, at ${suspected[0].confidence}, is stated below even odds on this trace`);
  assert.ok(likely[0].confidence > suspected[0].confidence);
  for (let i = 0; i < 120; i++) await tick();
  assert.equal(likely.length, 1, 'said once');
});

test('a process that holds steady is never alerted, possible or likely', async (t) => {
  const { rssBytes } = generate({ durationS: 900, intervalS: 1, levelBytes: 200 * 2 ** 20, noiseSigmaBytes: 2 ** 20 }, 8);
  const { session, tick, ticks } = replayedSession(rssBytes);
  t.after(() => session.dispose());
  let alerts = 0;
  session.onLeakSuspected(() => alerts++);
  session.onLeakLikely(() => alerts++);
  await session.start();
  for (let i = 1; i < ticks; i++) await tick();
  assert.ok(session.monitor.history.length >= ticks - 1, 'every reading was taken');
  assert.equal(alerts, 0);
});

test("the session's limit is the one its notices name, and what the displays are given: none looks it up again", async (t) => {
  // ulimit -v: a limit far nearer than the user's 12 GB, so the notices name a limit the session found.
  const target = await startProcess(t, '/bin/sh', ['-c', `ulimit -v 1048576 && exec ${SYSTEM_PYTHON} -c "print('ready', flush=True); import time; time.sleep(600)"`]);
  // A clock a time to live ahead at every look: every lookup through these facts reads /proc/meminfo.
  let clockMs = 0;
  let meminfoReads = 0;
  const machineLimitFacts = new MachineLimitFacts({
    now: () => (clockMs += MEMINFO_TTL_MS),
    read: (path) => {
      if (path === '/proc/meminfo') meminfoReads++;
      return readSmallProcFile(path);
    },
  });
  // A warning at once: RSS is far above a thousandth of any limit.
  const session = new WatchSession(await readProcessInfo(target.pid), { ...options, memoryLimitBytes: 12 * 1024 ** 3, warnAtFraction: 0.001, machineLimitFacts });
  t.after(() => session.dispose());
  const warned = new Promise<{ message: string; named: string | undefined }>((resolve) => {
    session.onLimit((n) => n.kind === 'memory' && resolve({ message: n.message, named: session.applicableLimit?.description }));
  });
  await session.start();
  const { message, named } = await warned;
  assert.ok(named && session.applicableLimit, 'the session found a limit');
  assert.notEqual(session.applicableLimit.source, 'setting');
  assert.ok(message.includes(named), `the notice "${message}" names the session's limit "${named}"`);

  const readsBefore = meminfoReads;
  const panel = panelMemoryLimit(session.applicableLimit, session.limitOptions.memoryBytes);
  for (let i = 0; i < 10; i++) assert.equal(session.applicableLimit.description, named);
  assert.equal(panel.memoryBytes, session.applicableLimit.bytes, "the panel's line is at the session's limit");
  assert.equal(panel.memoryDescription, session.applicableLimit.description);
  assert.equal(panel.memoryLabel, session.applicableLimit.label);
  assert.equal(meminfoReads, readsBefore, 'reading the limit and drawing it looks nothing up');
});
