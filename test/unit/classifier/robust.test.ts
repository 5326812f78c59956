import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import quickselect from 'quickselect';
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

test('selection leaves the values in the order the quickselect package leaves them (ties, NaN, ±Infinity, -0; past 600 values)', () => {
  const packaged = quickselect as unknown as (values: Float64Array, k: number, left?: number, right?: number) => void;
  const value = fc.oneof(finite, fc.constantFrom(0, -0, 1, 1, 4096, NaN, Infinity, -Infinity));
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 1500 }), fc.nat(), fc.nat(), (values, at, cut) => {
      const k = at % values.length;
      const right = values.length - 1 - (cut % (values.length - k));
      const theirs = Float64Array.from(values);
      const ours = Float64Array.from(values);
      packaged(theirs, k, 0, right);
      selectInPlace(ours, k, right);
      assert.ok(ours.every((x, i) => Object.is(x, theirs[i])), `k ${k}, right ${right}`);
    }),
    { numRuns: 300 },
  );
});
