import test from 'node:test';
import assert from 'node:assert/strict';
import { activeTickGroups, onTick } from '../../../src/core/sampling/ticker';

test('listeners of one interval share one timer, which goes away with the last of them', async () => {
  const calls: string[] = [];
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const a = onTick(20, () => calls.push('a'), true);
  const b = onTick(20, () => calls.push('b'), true);
  const c = onTick(35, () => calls.push('c'), true);
  assert.deepEqual([...activeTickGroups()], [[20, 2], [35, 1]]);
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before + 2);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.ok(calls.includes('a') && calls.includes('b') && calls.includes('c'));
  // a and b fire in the same tick, in order of subscription.
  assert.equal(calls[calls.indexOf('a') + 1], 'b');
  a.dispose();
  a.dispose();
  b.dispose();
  c.dispose();
  assert.equal(activeTickGroups().size, 0);
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before);
});

test('a listener that leaves during a tick is not called again; others go on', async () => {
  let bCalls = 0;
  let cCalls = 0;
  const b = onTick(15, () => bCalls++);
  const a = onTick(15, () => b.dispose());
  const c = onTick(15, () => cCalls++);
  await new Promise((resolve) => setTimeout(resolve, 120));
  a.dispose();
  c.dispose();
  assert.equal(bCalls, 1, 'b ran in the first tick, before a removed it');
  assert.ok(cCalls >= 2);
  assert.equal(activeTickGroups().size, 0);
});

test('the shared timer keeps Node alive only while a listener asks for it', () => {
  const loose = onTick(1000, () => undefined);
  const hasRef = () => process.getActiveResourcesInfo().includes('Timeout');
  assert.equal(hasRef(), false, 'unref timers are not listed as active');
  const kept = onTick(1000, () => undefined, true);
  assert.equal(hasRef(), true);
  kept.dispose();
  assert.equal(hasRef(), false);
  loose.dispose();
});

test('each grid point fires once: a timer that wakes a little early does not tick twice', async () => {
  // Node's timers may wake a fraction of a millisecond before their due time by performance.now();
  // the ticker once re-armed for the same grid point then, ticking up to twice an interval
  // (183 ticks in 1 s at 10 ms). A loaded machine only ever gives fewer ticks than the bound.
  const intervalMs = 10;
  let ticks = 0;
  const started = performance.now();
  const ticking = onTick(intervalMs, () => ticks++, true);
  await new Promise((resolve) => setTimeout(resolve, 600));
  ticking.dispose();
  const gridPoints = Math.floor((performance.now() - started) / intervalMs) + 1;
  assert.ok(ticks > 0);
  assert.ok(ticks <= gridPoints, `${ticks} ticks in ${gridPoints} grid points`);
});
