import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SampleHistory } from '../../../src/core/history/sampleHistory';
import { theilSenSlopePerS } from '../../../src/core/history/trend';
import { MemorySample } from '../../../src/core/model';
import { packColumns, samplesToColumns, unpackColumns } from '../../../src/core/shared/columns';

function sample(i: number, rssBytes: number, extra: Partial<MemorySample> = {}): MemorySample {
  return { tMs: 1_000_000 + i * 1000, rssBytes, deltaBytes: 0, threads: 4, fds: 10 + (i % 3), childrenRssBytes: 7, childCount: 1, cpuPercent: 1.5, ...extra };
}

test('keeps samples exactly up to capacity, oldest first, with latest() and length', () => {
  const history = new SampleHistory({ capacity: 100 });
  assert.equal(history.latest(), undefined);
  assert.equal(history.latestRssBytes(), undefined);
  for (let i = 0; i < 50; i++) history.push(sample(i, 1000 + i * 10));
  assert.equal(history.length, 50);
  const samples = history.toSamples();
  assert.equal(samples[0].tMs, 1_000_000);
  assert.equal(samples[49].rssBytes, 1490);
  assert.equal(samples[49].deltaBytes, 10);
  assert.equal(samples[0].deltaBytes, 0);
  assert.deepEqual(history.latest(), { ...sample(49, 1490), deltaBytes: 10 });
  assert.equal(history.latestRssBytes(), 1490);
});

test('latestRssBytes is the latest sample\'s RSS once the ring has wrapped and rows were downsampled', () => {
  const history = new SampleHistory({ capacity: 10, bucketSize: 5, maxBuckets: 100 });
  for (let i = 0; i < 37; i++) {
    history.push(sample(i, 1000 + ((i * 7919) % 101)));
    assert.equal(history.latestRssBytes(), history.latest()?.rssBytes);
  }
});

test('samples evicted from the ring are downsampled to the min and max of each bucket', () => {
  const history = new SampleHistory({ capacity: 10, bucketSize: 5, maxBuckets: 100 });
  // 20 samples: the first 10 get evicted into two buckets of 5.
  const rss = [5, 3, 9, 4, 6, /* bucket 2 */ 8, 8, 1, 8, 2, /* full */ 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  rss.forEach((r, i) => history.push(sample(i, r)));
  const samples = history.toSamples();
  assert.equal(history.fullResolutionLength, 10);
  assert.deepEqual(samples.map((s) => s.rssBytes), [3, 9, 8, 1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  // The kept downsampled rows are the real samples, in time order, with their other readings.
  assert.deepEqual(samples.slice(0, 4).map((s) => (s.tMs - 1_000_000) / 1000), [1, 2, 5, 7]);
  assert.equal(samples[1].fds, sample(2, 0).fds);
  assert.equal(samples[4].deltaBytes, 9, 'delta spans from the previous row shown');
  assert.equal(history.length, samples.length);
});

test('a flat stretch downsamples to one row per bucket', () => {
  const history = new SampleHistory({ capacity: 10, bucketSize: 10, maxBuckets: 100 });
  for (let i = 0; i < 110; i++) history.push(sample(i, 500));
  assert.equal(history.toSamples().length, 10 + 10);
});

test('memory stays bounded over millions of pushes, and the early peak and trough survive', () => {
  const history = new SampleHistory({ capacity: 1000, bucketSize: 10, maxBuckets: 64 });
  const n = 3_000_000;
  let retainedAtMillion = 0;
  for (let i = 0; i < n; i++) {
    let rss = 1e9 + (i % 100) * 1000;
    if (i === 12_345) rss = 5e9; // one early peak
    if (i === 23_456) rss = 1e6; // one early trough
    history.push(sample(i, rss));
    if (i === 1_000_000) retainedAtMillion = history.retainedBytes;
  }
  assert.equal(history.totalPushed, n);
  assert.equal(history.retainedBytes, retainedAtMillion, 'no growth after the tiers filled');
  assert.ok(history.retainedBytes < 200_000, `retained ${history.retainedBytes} bytes`);
  const samples = history.toSamples();
  assert.ok(samples.length <= 1000 + 2 * 64);
  assert.ok(samples.some((s) => s.rssBytes === 5e9), 'peak kept');
  assert.ok(samples.some((s) => s.rssBytes === 1e6), 'trough kept');
  assert.equal(history.peakSample?.rssBytes, 5e9);
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i].tMs > samples[i - 1].tMs, 'time order');
  // The whole run is still covered: the first row is within the first (widest) bucket.
  assert.ok(samples[0].tMs < 1_000_000 + (n / 32) * 1000);
});

test('the default capacity is a day at 1 Hz and the arrays grow only as samples come', () => {
  const history = new SampleHistory();
  assert.equal(history.capacity, 86_400);
  history.push(sample(0, 1));
  assert.ok(history.retainedBytes < 100_000, `${history.retainedBytes}`);
});

test('downsampling keeps the global min and max of everything evicted (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 1e6 }), { minLength: 1, maxLength: 600 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 9 }), (values, capacity, bucketSize) => {
      const history = new SampleHistory({ capacity, bucketSize, maxBuckets: 4 });
      values.forEach((v, i) => history.push(sample(i, v)));
      const rss = history.toSamples().map((s) => s.rssBytes);
      assert.equal(Math.max(...rss), Math.max(...values));
      assert.equal(Math.min(...rss), Math.min(...values));
      assert.deepEqual(rss.slice(-Math.min(capacity, values.length)), values.slice(-Math.min(capacity, values.length)));
    }),
  );
});

test('toPackedColumns gives typed arrays in the order of toSamples, NaN for a missing reading, optional columns only when present', () => {
  const history = new SampleHistory({ capacity: 4, bucketSize: 2 });
  for (let i = 0; i < 8; i++) history.push(sample(i, 100 + i, i === 6 ? { ussBytes: 42 } : {}));
  const columns = history.toPackedColumns();
  const samples = history.toSamples();
  assert.ok(columns.rss instanceof Float64Array);
  assert.deepEqual([...columns.rss], samples.map((s) => s.rssBytes));
  assert.deepEqual([...columns.t], samples.map((s) => s.tMs));
  assert.ok(columns.uss);
  assert.equal(columns.uss[samples.length - 2], 42);
  assert.ok(Number.isNaN(columns.uss[0]));
  assert.equal(columns.pss, undefined);
  assert.equal(samples[samples.length - 2].ussBytes, 42);
  assert.equal(samples[samples.length - 1].ussBytes, undefined);
});

test('toPackedColumns gives the panel exactly what the samples would, without them (property)', () => {
  const reading = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined });
  const row = fc.record({ rss: fc.integer({ min: 0, max: 2 ** 40 }), uss: reading, gpu: reading });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (rows, capacity) => {
      const history = new SampleHistory({ capacity, bucketSize: 3, maxBuckets: 4 });
      rows.forEach((r, i) => history.push(sample(i, r.rss, { ...(r.uss !== undefined ? { ussBytes: r.uss } : {}), ...(r.gpu !== undefined ? { gpuBytes: r.gpu } : {}) })));
      const expected = samplesToColumns(history.toSamples());
      assert.deepEqual(unpackColumns(history.toPackedColumns()), expected);
      assert.deepEqual(history.toPackedColumns(), packColumns(expected));
    }),
  );
});

test('recentRss returns the full-resolution window, oldest first', () => {
  const history = new SampleHistory({ capacity: 50 });
  for (let i = 0; i < 80; i++) history.push(sample(i, i));
  const recent = history.recentRss(1_000_000 + 70_000);
  assert.deepEqual(recent.rssBytes, [70, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
});

test('theilSenSlopePerS ignores outliers that would swing a least-squares fit', () => {
  const times = Array.from({ length: 60 }, (_, i) => i * 1000);
  const values = times.map((t) => 1e8 + t * 2); // 2000 bytes/s
  values[30] = 5e9;
  values[31] = 0;
  assert.equal(theilSenSlopePerS(times, values), 2000);
  assert.equal(theilSenSlopePerS([0, 1000], [0, 1]), undefined);
  assert.equal(theilSenSlopePerS([0, 0, 0], [1, 2, 3]), undefined);
});
