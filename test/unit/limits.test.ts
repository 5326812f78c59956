import test from 'node:test';
import assert from 'node:assert/strict';
import { describeProjection, LimitNotice, LimitWatcher, projectTimeToLimit } from '../../src/core/limits';
import { MemorySample } from '../../src/core/model';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

function sample(rssBytes: number, tMs = 0): MemorySample {
  return { tMs, rssBytes, deltaBytes: 0, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 };
}

test('projectTimeToLimit: time left at the slope, undefined when not growing, 0 when reached', () => {
  assert.equal(projectTimeToLimit(10 * GB, (2 * GB) / 3600, 12 * GB), 3_600_000);
  assert.equal(projectTimeToLimit(10 * GB, 0, 12 * GB), undefined);
  assert.equal(projectTimeToLimit(10 * GB, -5, 12 * GB), undefined);
  assert.equal(projectTimeToLimit(13 * GB, 5, 12 * GB), 0);
});

test('describeProjection says when the limit is reached at the current slope', () => {
  const slope = (2 * GB) / (43 * 60); // 2 GB in 43 min
  assert.equal(describeProjection(10 * GB, slope, 12 * GB), 'reaches 12 GB in ~43 min at the current slope');
  assert.equal(describeProjection(10 * GB, 0, 12 * GB), undefined);
});

test('LimitWatcher warns once near the memory limit, then reports reaching it once', () => {
  const watcher = new LimitWatcher({ memoryBytes: 12 * GB, warnFraction: 0.8, warnLeadMs: 0 });
  const warnings: LimitNotice[] = [];
  const reached: LimitNotice[] = [];
  watcher.onWarning((n) => warnings.push(n));
  watcher.onReached((n) => reached.push(n));
  const slope = (2 * GB) / (43 * 60);
  watcher.check(sample(5 * GB), slope, 1000);
  assert.equal(warnings.length, 0);
  watcher.check(sample(10 * GB), slope, 2000);
  watcher.check(sample(10.5 * GB), slope, 3000);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].kind, 'memory');
  assert.match(warnings[0].message, /^RSS 10 GB reaches 12 GB in ~43 min at the current slope$/);
  assert.ok(watcher.isNearMemoryLimit(10 * GB));
  watcher.check(sample(12.1 * GB), slope, 4000);
  watcher.check(sample(13 * GB), slope, 5000);
  assert.equal(reached.length, 1);
  assert.match(reached[0].message, /12\.1 GB has reached the 12 GB memory limit/);
});

test('LimitWatcher warns early when the projection is nearer than the lead time', () => {
  const watcher = new LimitWatcher({ memoryBytes: 12 * GB, warnLeadMs: 10 * 60_000 });
  const warnings: LimitNotice[] = [];
  watcher.onWarning((n) => warnings.push(n));
  watcher.check(sample(4 * GB), (8 * GB) / 300, 1000); // 8 GB in 5 min
  assert.equal(warnings.length, 1);
  assert.ok((warnings[0].projectedMs ?? 0) <= 5 * 60_000 + 1);
});

test('LimitWatcher: a jump straight past the limit reports reached without a late warning', () => {
  const watcher = new LimitWatcher({ memoryBytes: 100 * MB });
  const seen: string[] = [];
  watcher.onWarning(() => seen.push('warning'));
  watcher.onReached(() => seen.push('reached'));
  watcher.check(sample(10 * MB), 0, 0);
  watcher.check(sample(200 * MB), 0, 1000);
  watcher.check(sample(90 * MB), 0, 2000);
  assert.deepEqual(seen, ['reached']);
});

test('LimitWatcher: the time limit warns at the fraction and is reached once', () => {
  const watcher = new LimitWatcher({ durationMs: 30 * 60_000, warnFraction: 0.8 });
  const notices: LimitNotice[] = [];
  watcher.onWarning((n) => notices.push(n));
  watcher.onReached((n) => notices.push(n));
  watcher.check(sample(MB), 0, 10 * 60_000);
  watcher.check(sample(MB), 0, 25 * 60_000);
  watcher.check(sample(MB), 0, 31 * 60_000);
  watcher.check(sample(MB), 0, 32 * 60_000);
  assert.deepEqual(notices.map((n) => n.message), [
    'reaches the 30 min time limit in ~5 min',
    'has run for 31 min, past the 30 min time limit',
  ]);
});

test('LimitWatcher with no limits never fires', () => {
  const watcher = new LimitWatcher({});
  let fired = 0;
  watcher.onWarning(() => fired++);
  watcher.onReached(() => fired++);
  watcher.check(sample(100 * GB), 1e9, 1e9);
  assert.equal(fired, 0);
  assert.equal(watcher.projection(GB, 1e6), undefined);
});

test('LimitWatcher.update moves the warning point with the new limit and fraction; a warning given is not given again', () => {
  const watcher = new LimitWatcher({ memoryBytes: 12 * GB, warnFraction: 0.8, warnLeadMs: 0 });
  const warnings: LimitNotice[] = [];
  watcher.onWarning((n) => warnings.push(n));
  watcher.check(sample(6 * GB), 0, 1000);
  assert.equal(warnings.length, 0, 'below 80% of 12 GB');
  assert.equal(watcher.isNearMemoryLimit(6 * GB), false);
  watcher.update({ memoryBytes: 12 * GB, warnFraction: 0.5, warnLeadMs: 0 });
  assert.equal(watcher.isNearMemoryLimit(6 * GB), true, 'half of 12 GB is the new warning point');
  watcher.check(sample(6 * GB), 0, 2000);
  assert.deepEqual(warnings.map((n) => n.message), ['RSS 6 GB is near the 12 GB limit']);
  watcher.update({ memoryBytes: 7 * GB, warnFraction: 0.5, warnLeadMs: 0, memoryLimitName: "the cgroup's 7 GB memory limit" });
  assert.equal(watcher.memoryLimitBytes, 7 * GB);
  watcher.check(sample(6.5 * GB), 0, 3000);
  assert.equal(warnings.length, 1, 'warned once per kind, whatever the limit became');
});
