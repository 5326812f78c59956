import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ColumnStore } from '../../../src/core/history/columns';
import { MemorySample } from '../../../src/core/model';
import { OPTIONAL_FIELDS } from '../../../src/core/shared/columns';

function sample(i: number, optional: Partial<MemorySample>): MemorySample {
  return { tMs: 1000 * i, rssBytes: 4096 * i + 1, deltaBytes: 0, threads: i % 7, fds: i % 11, childrenRssBytes: 3 * i, childCount: i % 2, cpuPercent: i / 3, ...optional };
}

/** What read() must give for a written sample: every field as written, an absent optional reading absent. */
function expectedRead(s: MemorySample): MemorySample {
  const copy: MemorySample = { ...s, deltaBytes: 0 };
  for (const field of OPTIONAL_FIELDS) if (copy[field] === undefined) delete copy[field];
  return copy;
}

const reading = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined });
const step = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), row: fc.nat(40), uss: reading, pss: reading, heap: reading, gpu: reading }),
  fc.record({ kind: fc.constant('copy' as const), from: fc.nat(40), to: fc.nat(40) }),
  fc.record({ kind: fc.constant('resize' as const), rows: fc.integer({ min: 1, max: 41 }) }),
);

test('a row reads back what was written to it, whatever optional readings appear later, across copies and resizes (property)', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
      let rows = 41;
      const store = new ColumnStore(rows);
      const model = new Map<number, MemorySample>();
      const seen = new Set<string>();
      steps.forEach((s, i) => {
        if (s.kind === 'write' && s.row < rows) {
          const optional: Partial<MemorySample> = {};
          if (s.uss !== undefined) optional.ussBytes = s.uss;
          if (s.pss !== undefined) optional.pssBytes = s.pss;
          if (s.heap !== undefined) optional.heapUsedBytes = s.heap;
          if (s.gpu !== undefined) optional.gpuBytes = s.gpu;
          const written = sample(i, optional);
          store.write(s.row, written);
          for (const field of OPTIONAL_FIELDS) if (written[field] !== undefined) seen.add(field);
          model.set(s.row, expectedRead(written));
        } else if (s.kind === 'copy' && s.from < rows && s.to < rows && model.has(s.from)) {
          store.copyRow(s.from, s.to);
          model.set(s.to, { ...(model.get(s.from) as MemorySample) });
        } else if (s.kind === 'resize') {
          store.resize(s.rows);
          for (const row of [...model.keys()]) if (row >= s.rows) model.delete(row);
          rows = s.rows;
        }
      });
      assert.equal(store.size, rows);
      for (const [row, expected] of model) {
        assert.deepEqual(store.read(row), expected);
        assert.equal(store.value('rssBytes', row), expected.rssBytes);
      }
      for (const field of OPTIONAL_FIELDS) assert.equal(store.hasOptional(field), seen.has(field));
    }),
  );
});

test('rows grown by resize read as zero with no optional reading; copyColumn gives NaN for a reading the store never had', () => {
  const store = new ColumnStore(2);
  store.write(0, sample(1, { ussBytes: 5 }));
  store.resize(4);
  assert.deepEqual(store.read(3), { tMs: 0, rssBytes: 0, deltaBytes: 0, threads: 0, fds: 0, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 });
  assert.equal(store.read(0).ussBytes, 5);
  const out = new Float64Array(3);
  store.copyColumn('gpuBytes', Int32Array.from([0, 1, 3]), out, 0);
  assert.ok(out.every(Number.isNaN));
  store.copyColumn('ussBytes', Int32Array.from([3, 0]), out, 1);
  assert.ok(Number.isNaN(out[1]));
  assert.equal(out[2], 5);
});

test('one row of one array: a store holds 8 bytes per value in use, optional slots only once some sample has them', () => {
  const store = new ColumnStore(10);
  assert.equal(store.byteLength, 10 * 7 * 8);
  store.write(0, sample(1, { ussBytes: 1, pssBytes: 2 }));
  assert.equal(store.byteLength, 10 * 9 * 8);
});
