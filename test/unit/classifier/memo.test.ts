// What a series' looks keep for its next look (memo.ts) against the same values computed afresh:
// looks at random moments of a trace that grows, coarsens and is cleared, with windows that start
// anywhere, must read the bucket columns, the minima, the spikes and a held level as a look made
// from nothing would.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bucket, BucketSeries } from '../../../src/core/classifier/buckets';
import { ExcessMemo, SeriesMemo } from '../../../src/core/classifier/memo';
import { columnsOf, localBaseline } from '../../../src/core/classifier/points';
import { detectSpikes } from '../../../src/core/classifier/spikes';

const reading = fc.record({
  stepMs: fc.integer({ min: 1, max: 3000 }),
  level: fc.integer({ min: 0, max: 3 }),
  noise: fc.integer({ min: 0, max: 400_000 }),
  spike: fc.integer({ min: 0, max: 12 }),
  look: fc.integer({ min: 0, max: 5 }),
  clear: fc.integer({ min: 0, max: 400 }),
  from: fc.double({ min: 0, max: 1, noNaN: true }),
});

/** The spike radius a look uses for this many buckets (analysis.ts). */
function radiusFor(count: number, radiusScale: number): number {
  return Math.max(2, radiusScale * Math.ceil(count / 64));
}

function firstValues(values: Float64Array, count: number): number[] {
  return Array.from(values.subarray(0, count));
}

test("a series' kept minima and spike excesses equal those computed afresh at every look", () => {
  fc.assert(
    fc.property(fc.array(reading, { minLength: 1, maxLength: 900 }), fc.constantFrom(24, 64, 256), fc.constantFrom(1, 2, 3), fc.boolean(), (readings, maxBuckets, radiusScale, flat) => {
      const series = new BucketSeries(maxBuckets, 1000);
      const memo = new SeriesMemo();
      let t = 0;
      let from = 0;
      for (const r of readings) {
        if (r.clear === 0) series.clear();
        // Spikes of a few MB on a level that steps: runs above and below the neighbours' means.
        // Or a level held (minima all the same, but for a rare reading below it).
        const wander = flat ? (r.level === 3 && r.noise < 40_000 ? -4096 : 0) : r.level * 3_000_000 + r.noise;
        series.push((t += r.stepMs), 200_000_000 + wander + (r.spike === 0 ? 6_000_000 : 0));
        if (r.look !== 0) continue;
        const buckets: readonly Bucket[] = series.buckets;
        memo.begin(series);
        // The kept columns hold every bucket's fields as they are now (the last bucket the previous look saw may have grown).
        const fresh = columnsOf(buckets);
        for (const field of ['min', 'minMs', 'max', 'count', 'mean'] as const) assert.deepEqual(firstValues(memo.columns[field], buckets.length), Array.from(fresh[field]), field);
        assert.equal(memo.minimaLevel(buckets), buckets.every((b) => b.min === buckets[0].min));
        const radius = radiusFor(buckets.length, radiusScale);
        const kept = memo.localMinima(buckets, radius);
        const afreshMinima = localBaseline(buckets, radius);
        assert.deepEqual(firstValues(kept, buckets.length), Array.from(afreshMinima));
        // Windows mostly move forward, as a look's last half does, and sometimes back.
        from = r.from < 0.2 ? Math.floor(r.from * 5 * buckets.length) : Math.min(buckets.length - 1, Math.max(from, Math.floor(r.from * buckets.length / 2)));
        from = Math.min(from, Math.max(0, buckets.length - 1));
        const afresh: ExcessMemo = { byBucket: new Float64Array(0), radius: 0, from: 0, to: 0 };
        assert.deepEqual(detectSpikes(buckets, from, 200_000_000, 0, radius, kept, memo.excess, memo.columns), detectSpikes(buckets, from, 200_000_000, 0, radius, afreshMinima, afresh));
        // The excesses themselves, where the spikes were read from them (the counts above may not show a stale one).
        if (afresh.to === buckets.length) assert.deepEqual(firstValues(memo.excess.byBucket, buckets.length).slice(from), firstValues(afresh.byBucket, buckets.length).slice(from));
      }
    }),
    { numRuns: 300 },
  );
});

test('a held level is no longer level when the last bucket, level at the previous look, falls', () => {
  const series = new BucketSeries(256, 1000);
  const memo = new SeriesMemo();
  for (let t = 0; t < 30_000; t += 1000) series.push(t, 100_000_000);
  memo.begin(series);
  assert.equal(memo.minimaLevel(series.buckets), true);
  // A reading below the level in the bucket the previous look saw last (the same second).
  series.push(29_500, 99_000_000);
  memo.begin(series);
  assert.equal(memo.minimaLevel(series.buckets), false);
  series.push(30_000, 100_000_000);
  memo.begin(series);
  assert.equal(memo.minimaLevel(series.buckets), false);
});
