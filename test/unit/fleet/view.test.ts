// What the VS Code fleet view shows, VS Code–free: a series opened in the memory panel (its trace,
// accepted by the panel's checks, with the tree's verdict), the rows' texts and icons, and the
// commands' arguments checked. The view in a real VS Code is in test/integration/fleet.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { classifyFleet, FleetRow, FleetSeries, seriesTrace } from '../../../src/core/fleet';
import { openedTrace, traceProblem } from '../../../src/panel/traceView';
import { columnsOf } from '../../../src/core/trace/stream';
import { classIcon, className, rowDescription, rowTooltip } from '../../../src/fleet/rowText';
import { credentialsArgument, fleetRowArgument, openFleetArgument } from '../../../src/fleet/arguments';
import { generate, SyntheticSpec } from '../classifier/synthetic';

const MB = 1024 * 1024;

function series(labels: Record<string, string>, spec: Partial<SyntheticSpec>, seed: number): FleetSeries {
  const { tMs, rssBytes } = generate({ durationS: 6 * 3600, intervalS: 15, levelBytes: 300 * MB, noiseSigmaBytes: 0.5 * MB, ...spec }, seed);
  return { labels, tMs: Float64Array.from(tMs), values: Float64Array.from(rssBytes) };
}

const FLEET = [
  series({ job: 'api', instance: 'api-flat:8000' }, {}, 1),
  series({ job: 'api', instance: 'api-leak:8000' }, { leak: { bytesPerS: 10 * 1024 } }, 2),
  series({ job: 'api', instance: 'api-plateau:8000' }, { warmup: { riseBytes: 200 * MB, durationS: 3600, shape: 'exp' } }, 3),
];

test('a series as a trace: every point, RSS only, named; the panel accepts it and its banner agrees with the tree', () => {
  const rows = classifyFleet(FLEET);
  assert.deepEqual(rows.map((r) => r.class), ['steady-leak', 'plateau', 'flat']);
  for (const row of rows) {
    const source = FLEET.find((s) => s.labels.instance === row.labels.instance);
    assert.ok(source);
    const trace = seriesTrace(source, row.name);
    assert.equal(trace.command, row.name);
    assert.equal(trace.samples.length, source.tMs.length);
    assert.deepEqual(trace.samples.map((s) => s.rssBytes), Array.from(source.values));
    assert.equal(trace.samples[1].deltaBytes, source.values[1] - source.values[0]);
    // What MemoryPanels.showRecording makes of it.
    const opened = openedTrace(columnsOf(trace));
    assert.equal(traceProblem(opened), undefined);
    assert.equal(opened.verdict.class, row.class, `the panel's verdict on ${row.name}`);
  }
});

test('a row reads "class · slope · confidence" in the units everywhere else; undecided shows no number', () => {
  const row: FleetRow = { labels: { instance: 'a:1', job: 'api' }, name: 'a:1', class: 'steady-leak', confidence: 0.972, slopeBytesPerS: (2 * MB) / 60, slopeUncertaintyBytesPerS: 1024, lastBytes: 300 * MB, points: 1441, explanation: 'Grows steadily.' };
  assert.equal(rowDescription(row), 'steady leak · 2 MB/min · 97%');
  assert.equal(rowDescription({ ...row, class: 'unknown' }), 'undecided · – · –');
  assert.equal(className('stepwise-leak'), 'stepwise leak');
  const tooltip = rowTooltip(row);
  for (const part of ['a:1: steady leak', 'Last 300 MB', '1,441 points', 'instance="a:1"', 'job="api"', 'Grows steadily.']) assert.ok(tooltip.includes(part), `${part} in ${tooltip}`);
});

test('leaks get the error colour; each class its own icon', () => {
  assert.equal(classIcon('steady-leak').color, 'list.errorForeground');
  assert.equal(classIcon('stepwise-leak').color, 'list.errorForeground');
  const ids = (['flat', 'plateau', 'spiky', 'steady-leak', 'stepwise-leak', 'unknown'] as const).map((c) => classIcon(c).id);
  assert.equal(new Set(ids).size, ids.length);
});

test('command arguments: the right shapes are taken, anything else is ignored', () => {
  assert.deepEqual(openFleetArgument({ url: 'http://p:9090', range: '1h' }), { url: 'http://p:9090', range: '1h' });
  assert.equal(openFleetArgument({ url: 9090 }), undefined);
  assert.equal(openFleetArgument('http://p:9090'), undefined);
  assert.deepEqual(credentialsArgument({ url: 'http://p', token: 't' }), { url: 'http://p', token: 't' });
  assert.deepEqual(credentialsArgument({ url: 'http://p', user: 'u', password: '' }), { url: 'http://p', user: 'u', password: '' });
  assert.deepEqual(credentialsArgument({ url: 'http://p', forget: true }), { url: 'http://p', forget: true });
  assert.equal(credentialsArgument({ url: 'http://p', user: 'u' }), undefined);
  const row = classifyFleet(FLEET)[0];
  assert.equal(fleetRowArgument(row), row);
  assert.equal(fleetRowArgument({ name: 'x', class: 'flat', labels: { a: 1 } }), undefined);
});
