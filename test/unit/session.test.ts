// WatchSession composes monitor, classifier and limits: tested on real processes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readProcessInfo } from '../../src/core/discovery';
import { SessionLimitNotice, WatchSession } from '../../src/core/session';
import { eventually, startNode } from '../helpers/processes';

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
  assert.equal(session.id, `${target.pid}-${session.target.startTicks}`);
  assert.equal(session.monitor.events[0]?.kind, 'attach');
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
  session.markFixApplied('Fix applied to app.py');
  assert.ok(session.monitor.events.some((e) => e.kind === 'fix-applied' && e.label === 'Fix applied to app.py'));
  const comparison = session.fixComparison();
  assert.ok(comparison, 'a comparison once a marker exists');
  assert.equal(typeof comparison.explanation, 'string');
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
