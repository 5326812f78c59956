import test from 'node:test';
import assert from 'node:assert/strict';
import { growthPerIteration, IterationLog, iterationNoun, readIteration } from '../../src/core/iterations';
import { formatPerIteration } from '../../src/core/units';
import { mulberry32 } from '../../src/core/random';

const KB = 1024;
const MB = 1024 ** 2;

test('readIteration takes the first capture group, else the first integer of the match', () => {
  assert.equal(readIteration(/step (\d+)/, 'step 12 loss 0.5'), 12);
  assert.equal(readIteration(/step/, 'epoch 3: step 1200'), undefined, 'the match holds no number');
  assert.equal(readIteration(/step \d+/, 'epoch 3: step 1200'), 1200);
  assert.equal(readIteration(/requests: ([\d,]+)/, 'requests: 5,000 served'), 5000);
  assert.equal(readIteration(/\[(\d+)\/\d+\]/, '[7/100] ok'), 7);
  assert.equal(readIteration(/step (\d+)/, 'nothing here'), undefined);
});

test('iterationNoun names what is counted, from the words before the number', () => {
  assert.equal(iterationNoun(/step (\d+)/, 'step 12'), 'step');
  assert.equal(iterationNoun(/Epoch (\d+)/, 'Epoch 3/10'), 'epoch');
  assert.equal(iterationNoun(/\[(\d+)\//, '[7/100]'), 'iteration');
});

test('formatPerIteration reads a small growth over a round number of iterations', () => {
  assert.equal(formatPerIteration((3.1 * MB) / 1000, 'step'), '+3.1 MB per 1,000 steps');
  assert.equal(formatPerIteration(3.1 * KB, 'step'), '+3.03 MB per 1,000 steps', 'binary units, like every size');
  assert.equal(formatPerIteration(200 * KB, 'step'), '+200 KB per step');
  assert.equal(formatPerIteration(20 * KB, 'request'), '+1.95 MB per 100 requests');
  assert.equal(formatPerIteration(-50 * KB, 'batch'), '-4.88 MB per 100 batches');
  assert.equal(formatPerIteration(0, 'epoch'), '0 B per epoch');
});

test('IterationLog keeps a counter that goes back out, and thins fast counters', () => {
  const log = new IterationLog();
  for (let i = 0; i <= 1000; i++) log.add(10_000 + i, i); // 1,000 lines in a second
  log.add(12_000, 5); // a second phase restarting at 0: ignored until it passes 1,000
  log.add(13_000, 1500);
  assert.ok(log.marks.length <= 13, `${log.marks.length} marks`);
  assert.deepEqual(log.marks[0], { tMs: 10_000, iteration: 0 });
  assert.deepEqual(log.marks[log.marks.length - 1], { tMs: 13_000, iteration: 1500 });
});

/** A sampled RSS curve: a program at `stepsPerS` keeping `bytesPerStep`, with a GC sawtooth and spikes. */
function leakingRun(bytesPerStep: number, stepsPerS: number, seconds: number, seed: number) {
  const random = mulberry32(seed);
  const t0 = 1_700_000_000_000;
  const tMs: number[] = [];
  const rss: number[] = [];
  const log = new IterationLog();
  // Uneven speed: the program slows down in its middle third, so per-minute and per-step differ.
  const stepAt = (s: number) => (s < seconds / 3 ? s * stepsPerS : s < (2 * seconds) / 3 ? (seconds / 3) * stepsPerS + (s - seconds / 3) * stepsPerS * 0.25 : (seconds / 3) * stepsPerS * 1.25 + (s - (2 * seconds) / 3) * stepsPerS);
  for (let s = 0; s <= seconds; s += 0.25) log.add(t0 + 2000 + s * 1000, Math.floor(stepAt(s)));
  for (let s = 0; s <= seconds + 4; s += 1) {
    const steps = stepAt(Math.max(0, Math.min(seconds, s - 2)));
    const sawtooth = (s % 7) * 2 * MB;
    const spike = random() < 0.05 ? 80 * MB : 0;
    tMs.push(t0 + s * 1000);
    rss.push(300 * MB + steps * bytesPerStep + sawtooth + spike + (random() - 0.5) * MB);
  }
  return { tMs, rss, marks: log.marks };
}

test('growthPerIteration finds bytes per step through a sawtooth, spikes and an uneven pace', () => {
  for (const seed of [1, 2, 3]) {
    const run = leakingRun(50 * KB, 20, 300, seed);
    const growth = growthPerIteration(run.tMs, run.rss, run.marks);
    assert.ok(growth, 'a slope');
    const error = Math.abs(growth.bytesPerIteration - 50 * KB) / (50 * KB);
    assert.ok(error < 0.05, `seed ${seed}: ${growth.bytesPerIteration} B/step, ${(error * 100).toFixed(1)}% off`);
    assert.equal(growth.firstIteration >= 0, true);
  }
});

test('growthPerIteration says nothing before the counter has moved over a few samples', () => {
  const tMs = [0, 1000, 2000, 3000, 4000, 5000];
  const rss = [1, 2, 3, 4, 5, 6].map((x) => x * MB);
  assert.equal(growthPerIteration(tMs, rss, []), undefined);
  assert.equal(growthPerIteration(tMs, rss, [{ tMs: 0, iteration: 5 }, { tMs: 5000, iteration: 5 }]), undefined, 'the counter never moved');
  assert.equal(growthPerIteration(tMs, rss, [{ tMs: 0, iteration: 0 }, { tMs: 2000, iteration: 10 }]), undefined, 'three samples only');
  const flat = growthPerIteration(tMs, [5, 5, 5, 5, 5, 5].map((x) => x * MB), [{ tMs: 0, iteration: 0 }, { tMs: 5000, iteration: 100 }]);
  assert.equal(flat?.bytesPerIteration, 0);
});
