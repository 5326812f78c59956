// Falls of memory (falls.ts): every transition that fell, the falls counted once, and no fall
// into a final reading that nothing has held yet.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BucketSeries } from '../../../src/core/classifier/buckets';
import { findFalls } from '../../../src/core/classifier/falls';

const MB = 1024 * 1024;

/** 1-s buckets of the readings, one or more per second: [second, MB]. */
function series(readings: readonly (readonly [number, number])[]): BucketSeries {
  const s = new BucketSeries();
  for (const [t, mb] of readings) s.push(t * 1000, mb * MB);
  return s;
}

test('a fall spread over two transitions is one fall, landing where it ended, and two transitions', () => {
  // Bucket 2 peaks at once and falls within itself to a trough bucket 3 goes lower still.
  const s = series([[0, 100], [1, 110], [2, 120], [2.5, 105], [3, 95], [4, 96], [5, 97]]);
  const { falls, transitions } = findFalls(s.buckets, 0, 4 * MB);
  assert.deepEqual(Array.from(transitions.bucket), [2, 3]);
  assert.equal(falls.bucket.length, 1);
  assert.equal(falls.bucket[0], 2);
  assert.equal(falls.landing[0], 3);
  assert.equal(falls.bytes[0], 25 * MB);
});

test('a fall into the final reading counts only once a later reading holds it', () => {
  const readings: [number, number][] = [[0, 100], [1, 110], [2, 90], [3, 100], [4, 112], [5, 80]];
  const unheld = findFalls(series(readings).buckets, 0, 5 * MB);
  assert.deepEqual(Array.from(unheld.falls.bucket), [2], 'the fall at 5 s is not yet seen to stay');
  const held = findFalls(series([...readings, [5.5, 81]]).buckets, 0, 5 * MB);
  assert.deepEqual(Array.from(held.falls.bucket), [2, 5], 'a reading after the trough holds it');
  const next = findFalls(series([...readings, [6, 82]]).buckets, 0, 5 * MB);
  assert.deepEqual(Array.from(next.transitions.bucket), [2, 5], 'the next bucket holds it too');
});
