// A collector's sawtooth told from temporaries by how each cycle fills its range (sawtooth.ts),
// and the bucket statistics it reads (buckets.ts: mean and squared deviations that merge exactly).
import test from 'node:test';
import assert from 'node:assert/strict';
import { classifySeries } from '../../../src/core/classifier';
import { BucketSeries } from '../../../src/core/classifier/buckets';
import { cyclesBetweenFalls, isSawtooth } from '../../../src/core/classifier/sawtooth';
import { mulberry32 } from '../../../src/core/random';
import { SyntheticSpec, generate } from './synthetic';

const MB = 1024 * 1024;

function bucketsOf(spec: SyntheticSpec, seed: number): BucketSeries {
  const { tMs, rssBytes } = generate(spec, seed);
  const series = new BucketSeries();
  for (let i = 0; i < tMs.length; i++) series.push(tMs[i], rssBytes[i]);
  return series;
}

/** isSawtooth on the cycles between falls of more than a third of `heightBytes`. */
function readsAsSawtooth(spec: SyntheticSpec, heightBytes: number, seed = 7): boolean {
  const series = bucketsOf(spec, seed);
  return isSawtooth(cyclesBetweenFalls(series.buckets, 0, heightBytes / 3));
}

test('buckets: the mean and squared deviations of their readings stay exact when buckets merge', () => {
  const random = mulberry32(5);
  const series = new BucketSeries(16);
  const values: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const value = 500 * MB + 40 * MB * random();
    values.push(value);
    series.push(i * 100, value);
  }
  assert.ok(series.widthMs > 1000, 'the buckets have merged');
  let from = 0;
  for (const b of series.buckets) {
    const own = values.slice(from, from + b.count);
    from += b.count;
    const mean = own.reduce((a, v) => a + v, 0) / own.length;
    const m2 = own.reduce((a, v) => a + (v - mean) ** 2, 0);
    assert.ok(Math.abs(b.mean - mean) < 1, `mean ${b.mean} vs ${mean}`);
    assert.ok(Math.abs(b.m2 - m2) / m2 < 1e-9, `m2 ${b.m2} vs ${m2}`);
  }
  assert.equal(from, values.length);
});

// Cycles under three 1-s buckets are beyond what the buckets resolve (a 2.5-s cycle alternates
// cycles of two and three buckets whose floors differ): they are not read as a sawtooth.
test('a collector sawtooth of 15-60% of the level, 3-90 s, at 10 Hz and 1 Hz, reads as a sawtooth', () => {
  for (const [periodS, intervalS, share] of [
    [3, 0.1, 0.6],
    [5, 0.1, 0.3],
    [9, 0.1, 0.15],
    [20, 1, 0.4],
    [90, 1, 0.25],
  ] as const) {
    const levelBytes = 200 * MB;
    const amplitudeBytes = share * levelBytes;
    const spec: SyntheticSpec = { durationS: Math.max(120, 12 * periodS), intervalS, levelBytes, noiseSigmaBytes: 0.001 * levelBytes, sawtooth: { amplitudeBytes, periodS } };
    assert.ok(readsAsSawtooth(spec, amplitudeBytes), `period ${periodS} s at ${1 / intervalS} Hz, ${share * 100}%`);
  }
});

test('temporaries of a collector-like rhythm are no sawtooth: built over half the cycle, held most of it, or brief', () => {
  const levelBytes = 200 * MB;
  const heightBytes = 240 * MB;
  const cases: [string, NonNullable<SyntheticSpec['spikes']>][] = [
    ['a batch that builds for half its 9-s cycle and rests at the floor', { everyS: 9, durationS: 4.5, heightBytes, shape: 'build', heightSpread: 0.02 }],
    ['temporaries that rise at once and fill 80% of the time', { everyS: 9, durationS: 7.2, heightBytes, heightSpread: 0.02 }],
    ['brief temporaries every 9 s', { everyS: 9, durationS: 1.5, heightBytes, heightSpread: 0.02 }],
  ];
  for (const [what, spikes] of cases) {
    for (const intervalS of [0.1, 1]) {
      const spec: SyntheticSpec = { durationS: 120, intervalS, levelBytes, noiseSigmaBytes: 0.001 * levelBytes, spikes };
      assert.equal(readsAsSawtooth(spec, heightBytes), false, `${what} at ${1 / intervalS} Hz`);
    }
  }
});

test('whole-file verdicts: a large sawtooth is flat; batch temporaries, and temporaries above a sawtooth, stay spiky', () => {
  const levelBytes = 150 * MB;
  const sawtooth = { amplitudeBytes: 0.5 * levelBytes, periodS: 6 };
  const dense = { durationS: 110, intervalS: 0.1, levelBytes, noiseSigmaBytes: 0.001 * levelBytes };
  assert.equal(classifySeries(...tracePair({ ...dense, sawtooth })).class, 'flat');
  const build = { everyS: 9, durationS: 4, heightBytes: 1.5 * levelBytes, shape: 'build' as const, heightSpread: 0.02 };
  assert.equal(classifySeries(...tracePair({ ...dense, spikes: build })).class, 'spiky');
  const onTop = { everyS: 30, durationS: 2, heightBytes: 1.6 * levelBytes };
  assert.equal(classifySeries(...tracePair({ ...dense, durationS: 240, sawtooth, spikes: onTop })).class, 'spiky');
});

function tracePair(spec: SyntheticSpec): [number[], number[]] {
  const { tMs, rssBytes } = generate(spec, 11);
  return [tMs, rssBytes];
}
