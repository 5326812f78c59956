import test from 'node:test';
import assert from 'node:assert/strict';
import { ExitSummary, MonitorState, ProcessMonitor, REAL_ENVIRONMENT } from '../../src/core/monitor';
import { ProcessSampler } from '../../src/core/sampling';
import { LIMIT_REFRESH_MS, MonitorLimitWatcher } from '../../src/core/limits';
import { MemorySample } from '../../src/core/model';
import { ProcessGoneError } from '../../src/core/discovery/errors';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { ManualTicker, realReadingsOnClock } from '../helpers/manualTicker';
import { eventually, ownFdCount, startNode, startPython } from '../helpers/processes';

const MB = 1024 ** 2;

function nextSamples(monitor: ProcessMonitor, count: number): Promise<MemorySample[]> {
  return new Promise((resolve) => {
    const got: MemorySample[] = [];
    const sub = monitor.onSample((s) => {
      got.push(s);
      if (got.length === count) {
        sub.dispose();
        resolve(got);
      }
    });
  });
}

function activeResources(): string {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort().map(([k, v]) => `${k}:${v}`).join(' ');
}

test('samples on its interval into history, with attach event and state changes', async (t) => {
  const target = await startPython(t, 'flat.py', ['10']);
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 30, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  const states: MonitorState[] = [];
  monitor.onStateChange((s) => states.push(s));
  assert.equal(monitor.state, 'idle');
  await monitor.start();
  assert.equal(monitor.history.length, 1, 'first sample taken by start()');
  const samples = await nextSamples(monitor, 3);
  assert.ok(samples.every((s) => s.rssBytes > 10 * MB && s.threads >= 1 && s.fds >= 3));
  assert.ok(monitor.history.length >= 4);
  assert.equal(monitor.events[0].kind, 'attach');
  assert.deepEqual(states, ['running']);
  assert.ok(monitor.latest && monitor.latest.tMs >= samples[2].tMs);
});

test('pause stops sampling and resume starts it again at once', async (t) => {
  const target = await startPython(t, 'flat.py', ['10']);
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 20, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  await monitor.start();
  await nextSamples(monitor, 2);
  monitor.pause();
  assert.equal(monitor.state, 'paused');
  const count = monitor.history.totalPushed;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(monitor.history.totalPushed, count, 'no samples while paused');
  monitor.resume();
  assert.equal(monitor.state, 'running');
  await nextSamples(monitor, 2);
  monitor.setIntervalMs(15);
  assert.equal(monitor.intervalMs, 15);
  await nextSamples(monitor, 2);
  assert.throws(() => monitor.setIntervalMs(1), RangeError);
});

test('process exit ends the monitor with a summary and keeps its history', async (t) => {
  const target = await startPython(t, 'controlled.py');
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 20, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  const exits: ExitSummary[] = [];
  monitor.onExit((s) => exits.push(s));
  await monitor.start();
  await target.command('alloc 50');
  await eventually(() => (monitor.latest && monitor.latest.rssBytes > 50 * MB ? true : undefined));
  await target.command('free');
  const kept = monitor.history.totalPushed;
  target.child.stdin?.write('exit 0\n');
  await eventually(() => exits[0]);
  const summary = exits[0];
  assert.equal(monitor.state, 'exited');
  assert.equal(summary.reason, 'exited');
  assert.equal(summary.pid, target.pid);
  assert.match(summary.message, new RegExp(`^Process ${target.pid} has exited after .* of watching\\.$`));
  assert.ok(summary.peakRssBytes > 50 * MB);
  assert.ok(summary.startRssBytes < 50 * MB);
  assert.ok(summary.samples >= kept && summary.samples === monitor.history.totalPushed);
  assert.ok(summary.durationMs > 0 && summary.endedAtMs >= summary.startedAtMs);
  assert.deepEqual(monitor.exitSummary, summary);
  assert.equal(monitor.events.at(-1)?.kind, 'exit');
  assert.ok(monitor.history.length >= kept, 'history kept after exit');
});

test('pid reuse (a different start time) is refused at start and reported as such', async (t) => {
  const target = await startPython(t, 'flat.py', ['5']);
  const info = readLinuxProcessInfo(target.pid);
  const monitor = new ProcessMonitor({ ...info, startTicks: info.startTicks - 7 }, { intervalMs: 50 });
  t.after(() => monitor.dispose());
  const exits: ExitSummary[] = [];
  monitor.onExit((s) => exits.push(s));
  await assert.rejects(monitor.start(), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'pid-reused');
  assert.equal(monitor.state, 'exited');
  assert.equal(exits[0]?.reason, 'pid-reused');
  assert.equal(monitor.history.length, 0, 'nothing of the other process recorded');
});

test('a missing pid rejects start with a clear message', async () => {
  const monitor = new ProcessMonitor({ ...readLinuxProcessInfo(process.pid), pid: 4_000_000 });
  await assert.rejects(monitor.start(), /No process with pid 4000000 is running/);
  assert.equal(monitor.exitSummary?.reason, 'exited');
  monitor.dispose();
});

test('1,000 attach/detach cycles leave open fds and active handles as they were', async (t) => {
  const target = await startPython(t, 'flat.py', ['5']);
  const info = readLinuxProcessInfo(target.pid);
  const warm = new ProcessMonitor(info, { intervalMs: 10, detailIntervalMs: 0 });
  await warm.start();
  warm.dispose();
  const fdsBefore = ownFdCount();
  const resourcesBefore = activeResources();
  for (let i = 0; i < 1000; i++) {
    const monitor = new ProcessMonitor(info, { intervalMs: 10, detailIntervalMs: i % 10 === 0 ? 1 : 0, childrenIntervalMs: 0 });
    let heard = 0;
    monitor.onSample(() => heard++);
    await monitor.start();
    if (i % 100 === 0) await nextSamples(monitor, 1); // some cycles run on the timer too
    monitor.dispose();
    assert.equal(monitor.state, 'detached');
    assert.ok(heard >= 1);
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ownFdCount(), fdsBefore);
  assert.equal(activeResources(), resourcesBefore);
});

test('detach while a detail reading is in flight closes everything and records nothing more', async (t) => {
  const target = await startPython(t, 'controlled.py');
  await target.command('alloc 30');
  const fdsBefore = ownFdCount();
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 10, detailIntervalMs: 1 });
  const start = monitor.start();
  monitor.dispose(); // the first sample's smaps_rollup read is still pending
  await start;
  assert.equal(monitor.state, 'detached');
  assert.equal(monitor.history.length, 0);
  assert.equal(ownFdCount(), fdsBefore);
});

test('detail readings come at the detail cadence, children at theirs', async (t) => {
  const target = await startPython(t, 'controlled.py');
  await target.command('spawn 1 20');
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 20, detailIntervalMs: 60_000, childrenIntervalMs: 60_000 });
  t.after(() => monitor.dispose());
  await monitor.start();
  const first = monitor.latest;
  assert.ok(first?.ussBytes !== undefined, 'detail with the first sample');
  assert.equal(first?.childCount, 1);
  await target.command('spawn 1 20');
  const [later] = await nextSamples(monitor, 1);
  assert.equal(later.ussBytes, undefined, 'not again before the detail interval');
  assert.equal(later.childCount, 1, 'carried until the next children walk');
  const detail = await monitor.readDetail();
  assert.ok(detail && detail.ussBytes > 0, 'on demand');
});

test('trendBytesPerS sees a leak grow and a flat program stay flat', async (t) => {
  // Node's heap still expands in its first seconds, so the flat one is Python.
  const [leaky, flat] = await Promise.all([startNode(t, 'leak.js', ['40', '400']), startPython(t, 'flat.py', ['20'])]);
  const leakMonitor = new ProcessMonitor(readLinuxProcessInfo(leaky.pid), { intervalMs: 50, detailIntervalMs: 0 });
  const flatMonitor = new ProcessMonitor(readLinuxProcessInfo(flat.pid), { intervalMs: 50, detailIntervalMs: 0 });
  t.after(() => leakMonitor.dispose());
  t.after(() => flatMonitor.dispose());
  assert.equal(leakMonitor.trendBytesPerS(), undefined);
  await Promise.all([leakMonitor.start(), flatMonitor.start()]);
  await Promise.all([nextSamples(leakMonitor, 20), nextSamples(flatMonitor, 20)]);
  const leakSlope = leakMonitor.trendBytesPerS(60_000) ?? 0;
  const flatSlope = flatMonitor.trendBytesPerS(60_000) ?? 0;
  assert.ok(leakSlope > 5 * MB, `leak slope ${leakSlope}`); // 40 MB/s asked; a loaded machine slows the leak
  assert.ok(Math.abs(flatSlope) < 2 * MB, `flat slope ${flatSlope}`);
});

test('MonitorLimitWatcher turns a crossed memory limit into a monitor event', async (t) => {
  const target = await startPython(t, 'leak.py', ['40', '400']);
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 50, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  await monitor.start();
  const limit = (monitor.latest?.rssBytes ?? 0) + 30 * MB;
  const limits = new MonitorLimitWatcher(monitor, { memoryBytes: limit, warnFraction: 0.5, warnLeadMs: 0 });
  t.after(() => limits.dispose());
  const reached = await new Promise<string>((resolve) => limits.onReached((n) => resolve(n.message)));
  assert.match(reached, /has reached the .* memory limit/);
  assert.deepEqual(monitor.events.map((e) => e.kind).filter((k) => k.startsWith('limit')), ['limit-warning', 'limit-reached']);
});

test('events are bounded, oldest dropped first', () => {
  const monitor = new ProcessMonitor(readLinuxProcessInfo(process.pid), { maxEvents: 3 });
  const heard: string[] = [];
  monitor.onEvent((e) => heard.push(e.label));
  for (const label of ['a', 'b', 'c', 'd']) monitor.addEvent('note', label);
  assert.deepEqual(monitor.events.map((e) => e.label), ['b', 'c', 'd']);
  assert.deepEqual(heard, ['a', 'b', 'c', 'd']);
  monitor.dispose();
});

test('the pidusage fallback drives a monitor too', async (t) => {
  const target = await startPython(t, 'flat.py', ['5']);
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), { intervalMs: 100, forceFallback: true });
  t.after(() => monitor.dispose());
  await monitor.start();
  assert.equal(monitor.latest?.threads, -1);
  assert.ok((monitor.latest?.rssBytes ?? 0) > 5 * MB);
});

test('an injected environment gives the clock and the ticks (the soak bench simulates a day this way); readings stay real', async (t) => {
  const target = await startPython(t, 'flat.py', ['10']);
  let nowMs = Date.UTC(2030, 0, 1);
  const ticker = new ManualTicker();
  let sampler: ProcessSampler | undefined;
  const monitor = new ProcessMonitor(readLinuxProcessInfo(target.pid), {
    intervalMs: 1000,
    detailIntervalMs: 0,
    environment: {
      now: () => nowMs,
      monotonicMs: () => nowMs,
      onTick: ticker.onTick,
      openSampler: (info, options) => (sampler = REAL_ENVIRONMENT.openSampler(info, options)),
    },
  });
  await monitor.start();
  assert.equal(monitor.startedAtMs, Date.UTC(2030, 0, 1));
  assert.equal(monitor.events[0].tMs, Date.UTC(2030, 0, 1), 'the attach marker is on the injected clock');
  assert.equal(ticker.size, 1);
  for (let i = 0; i < 5; i++) {
    nowMs += 1000;
    ticker.fire();
  }
  assert.equal(monitor.history.totalPushed, 6, 'one reading at start, one a tick');
  assert.ok((monitor.latest?.rssBytes ?? 0) > MB, 'the readings are the real process\'s');
  nowMs += 400;
  ticker.fire();
  assert.equal(monitor.history.totalPushed, 6, 'a tick less than half an interval after the last reading is skipped');
  assert.equal(monitor.summary().durationMs, 5400);
  monitor.dispose();
  assert.equal(ticker.size, 0);
  assert.equal(sampler?.closed, true);
});

test('limit watchers started at different times look their limits up on the same ticks, once a refresh period, and see a moved limit within one', async () => {
  let nowMs = Date.UTC(2030, 0, 1, 0, 0, 7);
  const ticker = new ManualTicker();
  const environment = realReadingsOnClock(ticker, () => nowMs);
  let systemLimitBytes = 64 * 1024 * MB;
  const lookups: { watcher: number; tMs: number }[] = [];
  const watchers: MonitorLimitWatcher[] = [];
  const monitors: ProcessMonitor[] = [];
  const startWatcher = async (): Promise<void> => {
    const monitor = new ProcessMonitor(readLinuxProcessInfo(process.pid), { intervalMs: 1000, detailIntervalMs: 0, environment });
    await monitor.start();
    const index = watchers.length;
    const findLimit = () => {
      lookups.push({ watcher: index, tMs: nowMs });
      return { bytes: systemLimitBytes, limitBytes: systemLimitBytes, source: 'machine' as const, description: 'the machine', label: 'machine memory' };
    };
    monitors.push(monitor);
    watchers.push(new MonitorLimitWatcher(monitor, { memoryBytes: 12 * 1024 * 1024 * MB }, { slopeSource: () => 0, findLimit }));
  };
  const tick = (): void => {
    nowMs += 1000;
    ticker.fire();
  };
  await startWatcher();
  for (let second = 0; second < 11; second++) tick();
  await startWatcher();
  for (let second = 0; second < 90; second++) tick();
  const afterStart = lookups.filter((l) => l.tMs >= Date.UTC(2030, 0, 1, 0, 0, 30));
  const ticksOf = (watcher: number) => afterStart.filter((l) => l.watcher === watcher).map((l) => l.tMs);
  assert.deepEqual(ticksOf(0), [Date.UTC(2030, 0, 1, 0, 0, 30), Date.UTC(2030, 0, 1, 0, 1, 0), Date.UTC(2030, 0, 1, 0, 1, 30)], 'once a period, at its first sample');
  assert.deepEqual(ticksOf(1), ticksOf(0), 'the watcher started 11 s later looks up on the same ticks');

  // The machine's memory shrinks: each watcher names the new limit within one refresh period.
  systemLimitBytes = 6 * 1024 * MB;
  const movedAtMs = nowMs;
  while (watchers.some((w) => w.memoryLimitBytes !== systemLimitBytes)) tick();
  assert.ok(nowMs - movedAtMs <= LIMIT_REFRESH_MS, `seen ${nowMs - movedAtMs} ms after it moved`);
  watchers.forEach((w) => w.dispose());
  monitors.forEach((m) => m.dispose());
});
