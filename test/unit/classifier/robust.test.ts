import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { median, medianInPlace, selectInPlace, theilSen } from '../../../src/core/classifier/robust';

function sortedMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Equal as numbers: -0 and 0 compare equal in a selection, so either may come out. */
function sameNumber(actual: number, expected: number): void {
  assert.ok(actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)), `${actual} vs ${expected}`);
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });

test('median by selection equals the median of a sort, odd and even lengths, duplicates, and leaves its input alone', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(finite, fc.constantFrom(0, 1, 1, 4096)), { minLength: 1, maxLength: 3000 }), (values) => {
      const input = Float64Array.from(values);
      sameNumber(median(input), sortedMedian(values));
      assert.ok(input.every((x, i) => Object.is(x, values[i])), 'median() must not reorder its input');
    }),
    { numRuns: 300 },
  );
  assert.ok(Number.isNaN(median([])));
  // median() selects in a copy it keeps between calls: what a longer call left there must not count.
  median(Float64Array.from({ length: 1000 }, (_, i) => -i));
  sameNumber(median([5, 7, 9, 11]), 8);
  sameNumber(median([3]), 3);
});

test('medianInPlace and selectInPlace give order statistics of the array they reorder', () => {
  fc.assert(
    fc.property(fc.array(finite, { minLength: 1, maxLength: 700 }), fc.nat(), (values, pick) => {
      const k = pick % values.length;
      const sorted = [...values].sort((a, b) => a - b);
      sameNumber(selectInPlace(Float64Array.from(values), k), sorted[k]);
      sameNumber(medianInPlace(Float64Array.from(values)), sortedMedian(values));
    }),
    { numRuns: 300 },
  );
});

test('theilSen recovers a line through outliers', () => {
  const x = Float64Array.from({ length: 64 }, (_, i) => i * 5);
  const y = Float64Array.from(x, (xi, i) => 1000 + 3 * xi + (i % 9 === 0 ? 1e6 : 0));
  const line = theilSen(x, y);
  assert.ok(Math.abs(line.slope - 3) < 1e-9, `slope ${line.slope}`);
  assert.ok(Math.abs(line.intercept - 1000) < 1e-6, `intercept ${line.intercept}`);
});

test('theilSen gives the same line whatever was fitted before (shared pair buffer) and beyond 64 points', () => {
  const line = (n: number, slope: number) => {
    const x = Float64Array.from({ length: n }, (_, i) => i);
    return theilSen(x, Float64Array.from(x, (xi) => 7 + slope * xi));
  };
  for (const [n, slope] of [[10, 2], [100, -3], [64, 0.5], [5, 11]] as const) {
    const fit = line(n, slope);
    assert.ok(Math.abs(fit.slope - slope) < 1e-9 && Math.abs(fit.intercept - 7) < 1e-6, `n=${n}: ${JSON.stringify(fit)}`);
  }
});

test('selection partitions around the k-th smallest within [0, right] and leaves the rest alone (ties, ±Infinity, -0; thousands of values)', () => {
  const value = fc.oneof(finite, fc.constantFrom(0, -0, 1, 1, 4096, Infinity, -Infinity));
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 3000 }), fc.nat(), fc.nat(), (values, at, cut) => {
      const k = at % values.length;
      const right = values.length - 1 - (cut % (values.length - k));
      const selected = Float64Array.from(values);
      const kth = selectInPlace(selected, k, right);
      const sortedRange = values.slice(0, right + 1).sort((a, b) => a - b);
      sameNumber(kth, sortedRange[k]);
      for (let i = 0; i < k; i++) assert.ok(selected[i] <= kth, `[${i}] ${selected[i]} > ${kth}`);
      for (let i = k + 1; i <= right; i++) assert.ok(selected[i] >= kth, `[${i}] ${selected[i]} < ${kth}`);
      const kept = [...selected.subarray(0, right + 1)].sort((a, b) => a - b);
      assert.ok(kept.every((x, i) => x === sortedRange[i]), 'the same values within [0, right] (-0 equal to 0)');
      assert.ok(selected.subarray(right + 1).every((x, i) => Object.is(x, values[right + 1 + i])), 'beyond right untouched');
    }),
    { numRuns: 300 },
  );
});

test('selection ends on NaN too (a NaN compares neither less nor greater)', () => {
  const values = Float64Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? NaN : (i * 7919) % 1000));
  for (const k of [0, 999, 1999]) selectInPlace(Float64Array.from(values), k);
});
