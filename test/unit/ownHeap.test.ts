// The attach/detach soak's measure of "the extension's own heap" (test/helpers/ownHeap.ts), on this
// process: what a module keeps, and what its callees allocate for it, is counted as its own; what
// another module keeps is not; what it lets go leaves the count.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fullGc, OwnHeapSampler } from '../helpers/ownHeap';

interface Keeper {
  /** Keeps `n` small objects of its own making. */
  hold(n: number): void;
  /** Keeps what `make` returns, `n` times. */
  holdFrom(n: number, make: (i: number) => unknown): void;
  release(): void;
}

const KEEPER_SOURCE = `const kept = [];
exports.hold = (n) => { for (let i = 0; i < n; i++) kept.push({ i, pair: [i, i + 1], name: 'item ' + i }); };
exports.holdFrom = (n, make) => { for (let i = 0; i < n; i++) kept.push(make(i)); };
exports.release = () => { kept.length = 0; };
`;

const OBJECTS = 20_000;

test('the sampler counts what the own script keeps (itself or through a callee), not what others keep, and lets go with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-own-heap-'));
  const keeperPath = join(dir, 'keeper.js');
  writeFileSync(keeperPath, KEEPER_SOURCE);
  const keeper = createRequire(__filename)(keeperPath) as Keeper;
  const gc = fullGc();
  const sampler = await OwnHeapSampler.start((path) => path === keeperPath);
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    keeper.hold(OBJECTS);
    gc();
    const keptBytes = process.memoryUsage().heapUsed - heapBefore;
    const held = await sampler.read();
    assert.ok(Math.abs(held.ownBytes - keptBytes) < 0.25 * keptBytes, `own ${held.ownBytes} B, the heap grew ${keptBytes} B`);
    assert.match(held.sites[0]?.site ?? '', /keeper\.js:2\)$/, 'the site is the keeper\'s line');

    const othersKept: unknown[] = [];
    for (let i = 0; i < OBJECTS; i++) othersKept.push({ i, pair: [i, i + 1], name: `item ${i}` });
    gc();
    const withOthers = await sampler.read();
    assert.ok(Math.abs(withOthers.ownBytes - held.ownBytes) < 0.1 * keptBytes, `another module's objects are not its own: ${held.ownBytes} → ${withOthers.ownBytes} B`);
    assert.ok(withOthers.sampledBytes - held.sampledBytes > 0.75 * keptBytes, `but they are in the sampled heap: ${held.sampledBytes} → ${withOthers.sampledBytes} B`);

    keeper.holdFrom(OBJECTS, (i) => ({ i, pair: [i, i + 1], name: `item ${i}` }));
    gc();
    const throughCallee = await sampler.read();
    assert.ok(throughCallee.ownBytes - withOthers.ownBytes > 0.75 * keptBytes, `what its callee made for it is its own: ${withOthers.ownBytes} → ${throughCallee.ownBytes} B`);

    keeper.release();
    gc();
    const released = await sampler.read();
    assert.ok(released.ownBytes < 0.1 * keptBytes, `released: ${released.ownBytes} B left`);
    assert.ok(othersKept.length === OBJECTS);
  } finally {
    await sampler.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
