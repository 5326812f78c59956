// The soak's census of the extension's objects in a heap snapshot (test/helpers/heapCensus.ts), on
// this process: instances of a module's classes and its closures are counted, another module's are
// not, and released ones leave the count.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { censusOfOwnObjects, CensusEntry, grownKinds, totalCount } from '../helpers/heapCensus';

interface Module {
  hold(n: number): void;
  release(): void;
}

/** A class, a closure per instance, and a subclass whose instances' maps grew by transitions. */
const MODULE_SOURCE = `class Sampler { constructor(i) { this.i = i; this.onTick = () => i; } }
class LateSampler extends Sampler { constructor(i) { super(i); this.extra = i; this.more = [i]; } }
const kept = [];
exports.hold = (n) => { for (let i = 0; i < n; i++) kept.push(new Sampler(i), new LateSampler(i)); };
exports.release = () => { kept.length = 0; };
`;

const N = 300;

test('the census counts a module\'s live instances and closures by kind, not another module\'s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-census-'));
  try {
    const load = (name: string): Module => {
      writeFileSync(join(dir, name), MODULE_SOURCE);
      return createRequire(__filename)(join(dir, name)) as Module;
    };
    const own = load('own.js');
    const other = load('other.js');
    const census = (): Map<string, CensusEntry> => {
      const file = writeHeapSnapshot(join(dir, `${Date.now()}.heapsnapshot`));
      const text = readFileSync(file, 'utf8');
      rmSync(file);
      return censusOfOwnObjects(text, (path) => path === join(dir, 'own.js'));
    };
    const empty = census();
    own.hold(N);
    other.hold(N);
    const held = census();
    // The module's prototypes were there before (LateSampler.prototype is itself a Sampler).
    const grown = Object.fromEntries(grownKinds(empty, held).map((g) => [g.kind, g.after - g.before]));
    assert.deepEqual(grown, { 'closure (anonymous):1': 2 * N, 'class Sampler': N, 'class LateSampler': N }, 'one arrow per instance; the other module\'s are not counted');
    own.release();
    other.release();
    const released = census();
    assert.equal(totalCount(released), totalCount(empty), `released: ${JSON.stringify(grownKinds(empty, released))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
