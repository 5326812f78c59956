// The look's shared plumbing (points.ts) against the from-scratch computations it stands for: a
// change here must leave every verdict as it was (bench/tools/verdictIdentity.mjs checks that on
// the corpus; these check it on random buckets, gaps, ties and all sizes).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bucket, BucketSeries } from '../../../src/core/classifier/buckets';
import { BaselineColumns, BaselineEnvelopes, baselinePoints, despike, finalReadingMs, localBaseline } from '../../../src/core/classifier/points';
import { ColumnPool } from '../../../src/core/classifier/scratch';

/** localBaseline as first written: the minimum of each window, scanned whole. */
function scannedLocalBaseline(buckets: readonly Bucket[], radius: number): number[] {
  return buckets.map((_, i) => {
    let low = Infinity;
    for (let j = Math.max(0, i - radius); j <= Math.min(buckets.length - 1, i + radius); j++) low = Math.min(low, buckets[j].min);
    return low;
  });
}

/** Buckets of a random trace: levels drawn from few values (ties), times with gaps, merged past 256. */
const series = fc
  .record({
    readings: fc.array(fc.record({ stepMs: fc.integer({ min: 1, max: 4000 }), level: fc.integer({ min: 0, max: 5 }), noise: fc.integer({ min: 0, max: 3_000_000 }) }), { minLength: 1, maxLength: 700 }),
    width: fc.constantFrom(250, 1000),
  })
  .map(({ readings, width }) => {
    const s = new BucketSeries(256, width);
    let t = 0;
    for (const r of readings) s.push((t += r.stepMs), 100_000_000 + r.level * 4_000_000 + r.noise);
    return s.buckets;
  });

test('the sliding local baseline equals the minimum of each window scanned whole', () => {
  fc.assert(
    fc.property(series, fc.integer({ min: 0, max: 40 }), (buckets, radius) => {
      assert.deepEqual(Array.from(localBaseline(buckets, radius)), scannedLocalBaseline(buckets, radius));
      // Into a reused buffer holding an earlier call's values: the same minima.
      const into = new Float64Array(buckets.length).fill(-1);
      assert.deepEqual(Array.from(localBaseline(buckets, radius, into)), scannedLocalBaseline(buckets, radius));
    }),
    { numRuns: 300 },
  );
});

/** Baseline points as first written, an object per point: each group's latest lowest minimum, grouped from the newest end. */
function groupedMinima(buckets: readonly Bucket[], maxPoints: number, start: number): { tMs: number; value: number }[] {
  const n = buckets.length - start;
  const group = Math.max(1, Math.ceil(n / maxPoints));
  const points: { tMs: number; value: number }[] = [];
  for (let to = n - 1; to >= 0; to -= group) {
    let best = buckets[start + Math.max(0, to - group + 1)];
    for (let i = start + Math.max(0, to - group + 1); i <= start + to; i++) if (buckets[i].min <= best.min) best = buckets[i];
    points.unshift({ tMs: best.minMs, value: best.min });
  }
  return points;
}

test('baseline points as columns hold the times and values of the grouped minima', () => {
  fc.assert(
    fc.property(series, fc.integer({ min: 1, max: 80 }), fc.nat(), (buckets, maxPoints, at) => {
      const start = at % buckets.length;
      const columns = baselinePoints(buckets, maxPoints, start);
      const expected = groupedMinima(buckets, maxPoints, start);
      assert.deepEqual(Array.from(columns.tMs), expected.map((p) => p.tMs));
      assert.deepEqual(Array.from(columns.values), expected.map((p) => p.value));
    }),
    { numRuns: 300 },
  );
});

/** One pool for every look below, as analysis.ts keeps one: columns left by an earlier look must not show. */
const pool = new ColumnPool();

test('shared envelopes equal despiked baseline points made afresh, for every size and start, with or without a reused pool', () => {
  fc.assert(
    fc.property(series, fc.array(fc.record({ maxPoints: fc.integer({ min: 0, max: 80 }), start: fc.nat() }), { minLength: 1, maxLength: 12 }), (buckets, asks) => {
      for (const envelopes of [new BaselineEnvelopes(buckets), new BaselineEnvelopes(buckets, pool)]) {
        const made: [BaselineColumns, number[], number[], string][] = [];
        for (const ask of asks) {
          const start = ask.start % buckets.length;
          const shared = envelopes.get(ask.maxPoints, start);
          const label = `maxPoints ${ask.maxPoints} from bucket ${start}`;
          assert.deepEqual(shared, despike(baselinePoints(buckets, ask.maxPoints, start), finalReadingMs(buckets)), label);
          made.push([shared, Array.from(shared.tMs), Array.from(shared.values), label]);
        }
        // Columns from the pool are not handed out twice within a look: each still holds its points.
        for (const [shared, tMs, values, label] of made) assert.deepEqual([Array.from(shared.tMs), Array.from(shared.values)], [tMs, values], label);
      }
    }),
    { numRuns: 300 },
  );
});

test('envelopes are made once: the same grouping asked twice, or by another size that groups alike, is the same array', () => {
  const s = new BucketSeries();
  for (let i = 0; i < 200; i++) s.push(i * 1000, 50_000_000 + ((i * 7919) % 13) * 100_000);
  const envelopes = new BaselineEnvelopes(s.buckets);
  // 200 buckets in at most 64 points and in at most 50: groups of 4 either way.
  assert.equal(envelopes.get(64), envelopes.get(50));
  assert.notEqual(envelopes.get(64), envelopes.get(16));
  assert.notEqual(envelopes.get(64), envelopes.get(64, 100));
  // Groups longer than the buckets all make the one point of them all.
  assert.equal(envelopes.get(0, 190), envelopes.get(1, 190));
  assert.equal(envelopes.get(0, 190).tMs.length, 1);
});

test('a series that reuses its buckets (after a clear, and those merged away) holds the same buckets as one made afresh', () => {
  const readings = fc.array(fc.record({ stepMs: fc.integer({ min: 1, max: 4000 }), value: fc.integer({ min: 0, max: 50_000_000 }) }), { minLength: 1, maxLength: 700 });
  fc.assert(
    fc.property(readings, readings, (before, after) => {
      const fill = (s: BucketSeries, rs: { stepMs: number; value: number }[]): void => {
        let t = 0;
        for (const r of rs) s.push((t += r.stepMs), r.value);
      };
      const reused = new BucketSeries(64);
      fill(reused, before);
      reused.clear();
      fill(reused, after);
      const fresh = new BucketSeries(64);
      fill(fresh, after);
      assert.deepEqual(reused.buckets, fresh.buckets);
      assert.equal(reused.widthMs, fresh.widthMs);
    }),
    { numRuns: 200 },
  );
});

/** A rising line of baseline points, 1 s apart, ±1 MB around it, with the last one at `lastValue` (by default on the line). */
function risingPoints(lastValue?: number): BaselineColumns {
  const tMs = Float64Array.from({ length: 20 }, (_, i) => 1000 * i);
  const values = Float64Array.from({ length: 20 }, (_, i) => 100_000_000 + 500_000 * i + (i % 2 ? 1 : -1) * 1_000_000);
  if (lastValue !== undefined) values[19] = lastValue;
  return { tMs, values };
}

test('a final point far below the rest is lifted when its minimum is the final reading, and kept when a later reading held it', () => {
  const dipped = risingPoints(0);
  const lifted = despike(dipped, 19_000);
  // The same minimum seen before the final reading (a collection's trough that memory held): baseline.
  const held = despike(dipped, 19_500);
  assert.ok(lifted.values[19] > 100_000_000, `the lone final reading is no baseline: ${lifted.values[19]}`);
  assert.equal(held.values[19], 0);
  assert.deepEqual(lifted.values.slice(0, 19), held.values.slice(0, 19));
  // A final point in line with the rest is left as the filter leaves it without a final reading's time.
  const inLine = risingPoints();
  assert.deepEqual(despike(inLine, 19_000), despike(inLine));
});

test('a final reading far below a few points (one per GC cycle) is lifted, judged by the others alone', () => {
  // Six troughs of a leak, one per cycle, 8 s apart, the last a lone low reading.
  const tMs = Float64Array.from({ length: 6 }, (_, i) => 8000 * i);
  const values = Float64Array.from([100, 102.5, 104.4, 106.2, 108.9, 40].map((mb) => mb * 1024 * 1024));
  const lifted = despike({ tMs, values }, 40_000);
  assert.ok(lifted.values[5] > 100 * 1024 * 1024, `the lone final reading is no baseline: ${lifted.values[5]}`);
  // The same final reading at the floor the earlier troughs set (a collection just seen): baseline.
  const floor = Float64Array.from([100, 103, 99.5, 102, 101, 99.4].map((mb) => mb * 1024 * 1024));
  assert.equal(despike({ tMs, values: floor }, 40_000).values[5], floor[5]);
});

test('a final point that continues a fall (a shutdown freeing memory) is kept: it is not alone in falling', () => {
  const tMs = Float64Array.from({ length: 12 }, (_, i) => 4000 * i);
  const mb = [100, 101, 102, 103, 104, 105, 106, 107, 108, 90, 72, 54];
  const values = Float64Array.from(mb.map((m) => m * 1024 * 1024));
  assert.equal(despike({ tMs, values }, 44_000).values[11], values[11]);
});
