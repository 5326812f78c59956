// The attach/detach soak's measure of "the extension's own heap" (test/helpers/ownHeap.ts), on this
// process: what a module keeps, and what its callees allocate for it, is counted as its own; what
// another module keeps is not; what it lets go leaves the count. And the soak's judgement of it:
// read as the soak reads it, a module that keeps ~2.5 KB a cycle (what VS Code 1.139's tab model
// keeps of the host's heap) is a leak by the classifier, one with a bounded cache is not.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fullGc, OwnHeapSampler } from '../helpers/ownHeap';
import { classifySeries } from '../../src/core/classifier';
import { isLeakClass } from '../../src/core/model';

interface Keeper {
  /** Keeps `n` small objects of its own making. */
  hold(n: number): void;
  /** Keeps what `make` returns, `n` times. */
  holdFrom(n: number, make: (i: number) => unknown): void;
  release(): void;
  /** One "attach/detach": garbage, a bounded cache of the last 20, and `keptBytes` kept for good. */
  cycle(keptBytes: number): void;
}

const KEEPER_SOURCE = `const kept = [];
exports.hold = (n) => { for (let i = 0; i < n; i++) kept.push({ i, pair: [i, i + 1], name: 'item ' + i }); };
exports.holdFrom = (n, make) => { for (let i = 0; i < n; i++) kept.push(make(i)); };
exports.release = () => { kept.length = 0; };
const recent = [];
exports.cycle = (keptBytes) => {
  let garbage = [];
  for (let i = 0; i < 500; i++) garbage.push({ i, label: 'sample ' + i });
  recent.push(garbage.slice(0, 50));
  if (recent.length > 20) recent.shift();
  if (keptBytes > 0) kept.push(new Array(keptBytes / 8).fill(0.5));
  garbage = undefined;
};
`;

const OBJECTS = 20_000;

/** Loads the keeper from a file of its own, so that its frames can be told from this file's. */
function loadKeeper(): { keeper: Keeper; keeperPath: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-own-heap-'));
  const keeperPath = join(dir, 'keeper.js');
  writeFileSync(keeperPath, KEEPER_SOURCE);
  const keeper = createRequire(__filename)(keeperPath) as Keeper;
  return { keeper, keeperPath, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the sampler counts what the own script keeps (itself or through a callee), not what others keep, and lets go with it', async () => {
  const { keeper, keeperPath, dispose } = loadKeeper();
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
    dispose();
  }
});

/** The soak's pace: 1,000 cycles in 660 s. */
const CYCLE_MS = 660;
/** A double array of 320: 2,560 bytes of elements, the size of what VS Code 1.139 keeps a cycle. */
const KEPT_BYTES_PER_CYCLE = 2560;

/**
 * The soak's series of a keeper's own heap: 1,000 cycles, read after a GC every 10, on the soak's
 * clock (11 min). Only the timestamps are simulated (the classifier reads them), not the heap.
 */
async function soakSeries(keptBytesPerCycle: number): Promise<{ tMs: number[]; ownBytes: number[] }> {
  const { keeper, keeperPath, dispose } = loadKeeper();
  const gc = fullGc();
  const sampler = await OwnHeapSampler.start((path) => path === keeperPath);
  const tMs: number[] = [];
  const ownBytes: number[] = [];
  try {
    for (let i = 1; i <= 1000; i++) {
      keeper.cycle(keptBytesPerCycle);
      if (i % 10 !== 0) continue;
      gc();
      tMs.push(i * CYCLE_MS);
      ownBytes.push((await sampler.read()).ownBytes);
    }
  } finally {
    await sampler.stop();
    keeper.release();
    dispose();
  }
  return { tMs, ownBytes };
}

test('read as the soak reads it, a keeper of 2.5 KB a cycle is a leak by the classifier, a bounded cache is not', async () => {
  const leaking = await soakSeries(KEPT_BYTES_PER_CYCLE);
  const leakVerdict = classifySeries(leaking.tMs, leaking.ownBytes);
  assert.ok(isLeakClass(leakVerdict.class), `2.5 KB a cycle: ${leakVerdict.class}, ${leaking.ownBytes[0]} → ${leaking.ownBytes.at(-1)} B`);
  const keptPerS = (KEPT_BYTES_PER_CYCLE * 1000) / CYCLE_MS;
  assert.ok(Math.abs(leakVerdict.slopeBytesPerS - keptPerS) < 0.25 * keptPerS, `its slope ${leakVerdict.slopeBytesPerS.toFixed(0)} B/s, kept ${keptPerS.toFixed(0)} B/s`);
  const bounded = await soakSeries(0);
  const boundedVerdict = classifySeries(bounded.tMs, bounded.ownBytes);
  assert.ok(!isLeakClass(boundedVerdict.class), `bounded: ${boundedVerdict.class}, ${bounded.ownBytes[0]} → ${bounded.ownBytes.at(-1)} B`);
});
