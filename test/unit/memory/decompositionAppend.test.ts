// A live session appends its decomposition one reading at a time (appendDecompositionReading);
// the panel appends batches (appendDecomposition). Both must keep the same columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendDecomposition, appendDecompositionReading, emptyDecomposition } from '../../../src/core/shared/decomposition';

const reading = fc.record({ t: fc.integer({ min: 0, max: 50 }), anon: fc.nat(), file: fc.nat(), shmem: fc.nat(), swap: fc.nat() });

test('one reading at a time keeps what a batch of one keeps: resent readings skipped, the bound thinned alike', () => {
  fc.assert(fc.property(fc.array(reading, { maxLength: 60 }), fc.integer({ min: 2, max: 12 }), (readings, max) => {
    const single = emptyDecomposition();
    const batched = emptyDecomposition();
    for (const r of readings) {
      appendDecompositionReading(single, r.t, r.anon, r.file, r.shmem, r.swap, max);
      appendDecomposition(batched, { t: [r.t], anon: [r.anon], file: [r.file], shmem: [r.shmem], swap: [r.swap] }, max);
    }
    assert.deepEqual(single, batched);
  }));
});
