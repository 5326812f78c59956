// The hinge (rise then hold) and the staircase test (steady vs stepwise), each on the shapes
// that fooled the classifier before: a bounded cache that fills and holds, a staircase whose
// rounds leave large temporaries, and a steady leak under a large GC sawtooth.
import test from 'node:test';
import assert from 'node:assert/strict';
import { GrowthClassifier, classifySeries } from '../../../src/core/classifier';
import { fitHinge } from '../../../src/core/classifier/hinge';
import { BaselineColumns } from '../../../src/core/classifier/points';
import { isLeakClass } from '../../../src/core/model';
import { mulberry32 } from '../../../src/core/random';
import { SyntheticSpec, generate } from './synthetic';

const MB = 1024 * 1024;

function pointsOf(values: readonly number[], spacingMs: number): BaselineColumns {
  return { tMs: Float64Array.from(values, (_, i) => i * spacingMs), values: Float64Array.from(values) };
}

test('fitHinge: finds the bend of rise-then-hold and does not invent one in a straight noisy line', () => {
  const bend = Array.from({ length: 64 }, (_, i) => 100 * MB + Math.min(i, 40) * MB);
  const hinge = fitHinge(pointsOf(bend, 10_000));
  assert.ok(hinge && hinge.evidence > 0, 'a clear bend beats one line');
  assert.ok(Math.abs(hinge.knotIndex - 40) <= 1, `knot at ${hinge.knotIndex}`);
  assert.ok(Math.abs(hinge.slopeAfterBytesPerS) < 1, `slope after ${hinge.slopeAfterBytesPerS}`);

  let invented = 0;
  for (let seed = 0; seed < 100; seed++) {
    const random = mulberry32(seed);
    const line = Array.from({ length: 64 }, (_, i) => 100 * MB + i * 0.2 * MB + MB * (random() - 0.5));
    if ((fitHinge(pointsOf(line, 10_000))?.evidence ?? 0) > 0) invented++;
  }
  assert.ok(invented <= 10, `a bend found in ${invented} of 100 straight lines`);
});

function classify(spec: SyntheticSpec, seed = 3): ReturnType<typeof classifySeries> {
  const { tMs, rssBytes } = generate(spec, seed);
  return classifySeries(tMs, rssBytes);
}

test('a cache that fills on a ramp and then holds is a plateau, and stops being a leak soon after it holds', () => {
  const spec: SyntheticSpec = { durationS: 420, intervalS: 1, levelBytes: 200 * MB, noiseSigmaBytes: 0.3 * MB, warmup: { riseBytes: 300 * MB, durationS: 300, shape: 'linear' } };
  const whole = classify(spec);
  assert.equal(whole.class, 'plateau', whole.explanation);
  const { tMs, rssBytes } = generate({ ...spec, durationS: 600 }, 3);
  const c = new GrowthClassifier();
  let lastLeakS = 0;
  for (let i = 0; i < tMs.length; i++) {
    c.push(tMs[i], rssBytes[i]);
    if (isLeakClass(c.verdict().class)) lastLeakS = (tMs[i] - tMs[0]) / 1000;
  }
  // The hold begins at 300 s; the hinge test needs a share of the trace after the bend.
  assert.ok(lastLeakS < 300 + 120, `still a leak at ${lastLeakS} s of trace`);
  assert.equal(c.verdict().class, 'plateau', c.verdict().explanation);
});

test('a staircase whose rounds leave large temporaries is a stepwise leak; a leak under a large sawtooth is steady', () => {
  for (const seed of [1, 2, 3]) {
    const stairs = classify({ durationS: 240, intervalS: 0.1, levelBytes: 150 * MB, noiseSigmaBytes: 0.1 * MB, steps: { everyS: 10, bytes: 8 * MB }, spikes: { everyS: 10, durationS: 6, heightBytes: 40 * MB } }, seed);
    assert.equal(stairs.class, 'stepwise-leak', stairs.explanation);
    const sawtooth = classify({ durationS: 180, intervalS: 0.1, levelBytes: 200 * MB, noiseSigmaBytes: 0.5 * MB, leak: { bytesPerS: (80 * MB) / 60 }, sawtooth: { amplitudeBytes: 60 * MB, periodS: 4 + 3 * seed } }, seed);
    assert.equal(sawtooth.class, 'steady-leak', sawtooth.explanation);
  }
});
