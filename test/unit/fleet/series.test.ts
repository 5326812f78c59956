// A fleet's series named, classified by the whole-file classifier and listed leaking first;
// the worker pool gives the same rows off the main thread.
import test from 'node:test';
import assert from 'node:assert/strict';
import { classifyFleet, classifyFleetOffThread, FleetSeries, seriesNames, splitByPoints } from '../../../src/core/fleet';
import { analyzeSeries } from '../../../src/core/classifier';
import { fromRoot } from '../../helpers/paths';
import { generate, SyntheticSpec } from '../classifier/synthetic';

const MB = 1024 * 1024;
const WORKER = fromRoot('dist', 'fleetWorker.js');

/** 6 h at 15 s, as `leakscope fleet` reads by default. */
function series(labels: Record<string, string>, spec: Partial<SyntheticSpec>, seed: number): FleetSeries {
  const { tMs, rssBytes } = generate({ durationS: 6 * 3600, intervalS: 15, levelBytes: 300 * MB, noiseSigmaBytes: 0.5 * MB, ...spec }, seed);
  return { labels, tMs: Float64Array.from(tMs), values: Float64Array.from(rssBytes) };
}

function fleet(): FleetSeries[] {
  const pod = (name: string) => ({ __name__: 'process_resident_memory_bytes', job: 'api', namespace: 'prod', pod: name });
  return [
    series(pod('api-flat'), {}, 1),
    series(pod('api-slow-leak'), { leak: { bytesPerS: 2 * 1024 } }, 2),
    series(pod('api-plateau'), { warmup: { riseBytes: 200 * MB, durationS: 3600, shape: 'exp' } }, 3),
    series(pod('api-fast-leak'), { leak: { bytesPerS: 20 * 1024 } }, 4),
  ];
}

test('series are named by the labels that tell them apart, pod or instance first', () => {
  assert.deepEqual(seriesNames([{ job: 'api', pod: 'a' }, { job: 'api', pod: 'b' }]), ['a', 'b']);
  assert.deepEqual(seriesNames([{ instance: 'h:1', pid: '7', job: 'l' }, { instance: 'h:1', pid: '8', job: 'l' }]), ['pid=7', 'pid=8']);
  assert.deepEqual(seriesNames([{ instance: 'h:1', zone: 'x' }, { instance: 'h:2', zone: 'y' }]), ['h:1 zone=x', 'h:2 zone=y']);
  assert.deepEqual(seriesNames([{ __name__: 'm', instance: 'h:1', job: 'j' }]), ['h:1']);
  assert.deepEqual(seriesNames([{ __name__: 'm' }]), ['series']);
  assert.deepEqual(seriesNames([{ a: '1' }, { b: '2' }]), ['a=1', 'b=2'], 'a label one series lacks still tells them apart');
  assert.deepEqual(seriesNames([{ __name__: 'rss', pod: 'a' }, { __name__: 'vms', pod: 'a' }]), ['__name__=rss', '__name__=vms'], 'the metric name, when it is what differs');
  assert.deepEqual(seriesNames([{ __name__: 'rss', pod: 'a' }, { __name__: 'vms', pod: 'b' }]), ['a __name__=rss', 'b __name__=vms']);
});

test('classifyFleet: each series gets the whole-file verdict; leaks first, steepest first, then the rest by slope', () => {
  const input = fleet();
  const rows = classifyFleet(input);
  const classes = Object.fromEntries(rows.map((r) => [r.name, r.class]));
  assert.deepEqual(classes, { 'api-fast-leak': 'steady-leak', 'api-slow-leak': 'steady-leak', 'api-flat': 'flat', 'api-plateau': 'plateau' });
  assert.deepEqual(rows.slice(0, 2).map((r) => r.name), ['api-fast-leak', 'api-slow-leak']);
  for (const row of rows) {
    const source = input.find((s) => s.labels.pod === row.name);
    assert.ok(source);
    const direct = analyzeSeries(source.tMs, source.values);
    assert.equal(row.class, direct.class, 'the same verdict as `leakscope classify` gives the series as a file');
    assert.equal(row.slopeBytesPerS, direct.slopeBytesPerS);
    assert.equal(row.points, 6 * 240 + 1);
    assert.equal(row.lastBytes, source.values[source.values.length - 1]);
    assert.equal(row.labels, source.labels);
  }
  const rest = rows.slice(2);
  assert.ok(rest[0].slopeBytesPerS >= rest[1].slopeBytesPerS, 'the non-leaks by slope too');
});

test('an empty series and an empty fleet are listed, not thrown at', () => {
  assert.deepEqual(classifyFleet([]), []);
  const [row] = classifyFleet([{ labels: { pod: 'new' }, tMs: new Float64Array(0), values: new Float64Array(0) }]);
  assert.equal(row.class, 'unknown');
  assert.equal(row.points, 0);
  assert.ok(Number.isNaN(row.lastBytes));
});

test('splitByPoints balances contiguous ranges by points', () => {
  assert.deepEqual(splitByPoints(4, () => 10, 2), [[0, 2], [2, 4]]);
  assert.deepEqual(splitByPoints(3, (i) => [100, 1, 1][i], 2), [[0, 1], [1, 3]]);
  assert.deepEqual(splitByPoints(1, () => 5, 4), [[0, 1]]);
  const ranges = splitByPoints(1000, () => 1441, 3);
  assert.equal(ranges.length, 3);
  assert.equal(ranges[0][0], 0);
  assert.equal(ranges[2][1], 1000);
});

test('the worker pool gives the same rows, in the same order, as classifyFleet', async () => {
  const input = fleet();
  const expected = classifyFleet(input);
  for (const threads of [1, 2, 3]) {
    const rows = await classifyFleetOffThread(input, { threads, workerScript: WORKER });
    assert.deepEqual(rows, expected, `${threads} threads`);
  }
  assert.equal(input[0].tMs.length, 6 * 240 + 1, "the caller's series are copied to the workers, not moved away");
  assert.deepEqual(await classifyFleetOffThread([], { workerScript: WORKER }), []);
});

test('the main thread stays free while the pool classifies: timers keep firing', async () => {
  const input = Array.from({ length: 60 }, (_, i) => series({ pod: `p${i}` }, i % 2 ? { leak: { bytesPerS: 4096 } } : {}, 100 + i));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const rows = await classifyFleetOffThread(input, { threads: 1, workerScript: WORKER });
  clearInterval(timer);
  assert.equal(rows.length, 60);
  assert.ok(ticks > 0, 'the event loop turned while the worker worked');
});

test('a missing worker bundle and a caller that gives up are errors, not hangs', async () => {
  await assert.rejects(classifyFleetOffThread(fleet(), { workerScript: fromRoot('dist', 'no-such-worker.js') }), /Cannot find module|no-such-worker/);
  const abort = new AbortController();
  const pending = classifyFleetOffThread(fleet(), { workerScript: WORKER, signal: abort.signal });
  abort.abort(new Error('closed the view'));
  await assert.rejects(pending, /closed the view/);
});
