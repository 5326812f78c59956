// What the panel gets of a family: familyView of a real pre-fork server, through the protocol's
// own parser (as the webview receives it), thinned and bounded.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readProcessInfo } from '../../../src/core/discovery';
import { familyView, ProcessFamily } from '../../../src/core/family';
import { parseToWebview } from '../../../src/core/protocol';
import { eventually, startPython } from '../../helpers/processes';

const session = { intervalMs: 100, detailIntervalMs: 0, maxSamples: 1000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8 };

test('a family view lists live members then recent exited ones, with thinned curves, and survives the protocol', async (t) => {
  const server = await startPython(t, 'prefork.py', ['3', '0', '1', '10']); // worker 1 recycled every second
  const family = new ProcessFamily(await readProcessInfo(server.pid), { session, discoveryIntervalMs: 200 });
  t.after(() => family.dispose());
  await family.start();
  await eventually(() => (family.members.filter((m) => !m.live).length >= 6 ? true : undefined), 30_000, 'six exited workers');
  await eventually(() => (family.live.length === 4 && family.live.every((m) => (m.latest?.rssBytes ?? 0) > 0) ? true : undefined), 10_000, 'four sampled live members');

  const view = familyView(family, 60_000, 8);
  const live = view.members.filter((m) => m.live);
  const exited = view.members.filter((m) => !m.live);
  assert.equal(live.length, 4);
  assert.equal(exited.length, 4, 'at most four exited members are drawn');
  assert.deepEqual(view.members.slice(0, 4).map((m) => m.live), [true, true, true, true], 'live first');
  assert.match(live[0].label, new RegExp(`^master \\(pid ${server.pid}\\)$`));
  for (const m of exited) assert.match(m.label, /^worker 1 \(pid \d+(, replaced pid \d+)?\)$/);
  for (const m of view.members) {
    assert.ok(m.t.length <= 8 && m.t.length === m.rss.length, `${m.label}: ${m.t.length} points`);
    assert.ok(m.t.every((x, i) => i === 0 || x >= m.t[i - 1]), 'in time order');
  }
  assert.ok(view.total.t.length >= 1 && view.total.t.length <= 8);
  assert.equal(view.leaking, false);
  assert.match(view.summary, /^No leak: /);

  const received = parseToWebview(JSON.parse(JSON.stringify({ type: 'family', family: view })));
  assert.deepEqual(received, { type: 'family', family: view });
  assert.equal(parseToWebview({ type: 'family', family: { ...view, total: { t: [2, 1], rss: [0, 0] } } }), undefined, 'time must not go backwards');
  assert.deepEqual(parseToWebview({ type: 'family', family: null }), { type: 'family', family: null });
});
