import test from 'node:test';
import assert from 'node:assert/strict';
import { ACROSS_RUNS, GrowthClassifier, analyzeSeries, classifySeries, compareRuns, compareSlopes } from '../../../src/core/classifier';
import { BucketSeries } from '../../../src/core/classifier/buckets';
import { leakThresholdBytesPerS } from '../../../src/core/classifier/analysis';
import { GrowthClass, GrowthVerdict, isLeakClass } from '../../../src/core/model';
import { TRACES_DIR, confusion, formatConfusion, realCorpus } from './corpus';
import { readTraceFile } from '../../../src/core/trace/parse';
import { fromRoot } from '../../helpers/paths';
import { SyntheticSpec, generate, namedScenarios, syntheticCorpus } from './synthetic';
import { mulberry32 } from '../../../src/core/random';
import { confidencePercent, isTentative } from '../../../src/core/shared/confidence';

const MB = 1024 * 1024;

function classify(spec: SyntheticSpec, seed = 7): GrowthVerdict {
  const { tMs, rssBytes } = generate(spec, seed);
  return classifySeries(tMs, rssBytes);
}

function online(tMs: readonly number[], rssBytes: readonly number[], onEach?: (v: GrowthVerdict, i: number) => void, c = new GrowthClassifier()): GrowthClassifier {
  for (let i = 0; i < tMs.length; i++) {
    c.push(tMs[i], rssBytes[i]);
    onEach?.(c.verdict(), i);
  }
  return c;
}

const base: SyntheticSpec = { durationS: 3600, intervalS: 1, levelBytes: 500 * MB, noiseSigmaBytes: 2 * MB };

test('each named scenario gets its class', () => {
  for (const s of namedScenarios()) {
    const v = classify(s.spec, s.name.length);
    assert.equal(v.class, s.label, `${s.name}: ${v.explanation}`);
  }
});

test('per class: the verdict carries slope, uncertainty, regime start and a readable line', () => {
  const leak = classify({ ...base, leak: { bytesPerS: (1.2 * MB) / 60 } });
  assert.equal(leak.class, 'steady-leak');
  assert.ok(Math.abs(leak.slopeBytesPerS - (1.2 * MB) / 60) < 3 * leak.slopeUncertaintyBytesPerS + 1024, leak.explanation);
  assert.ok(leak.confidence >= 0.9 && leak.confidence <= 1);
  assert.match(leak.explanation, /^Steady leak: baseline grows 1\.\d+ MB\/min \(±0\.\d+\) since \d\d:\d\d, \d\d% confidence$/);

  const plateau = classify({ ...base, warmup: { riseBytes: 300 * MB, durationS: 300, shape: 'linear' } });
  assert.equal(plateau.class, 'plateau', plateau.explanation);
  assert.ok(plateau.plateauBytes !== undefined && Math.abs(plateau.plateauBytes - 800 * MB) < 20 * MB);
  assert.ok(Math.abs(plateau.regimeStartMs - (1_767_225_600_000 + 300_000)) < 120_000, 'regime starts where growth stopped');
  assert.match(plateau.explanation, /^Plateau: memory rose \d+ MB, then levelled off at \d+ MB since \d\d:\d\d/);

  const spiky = classify({ ...base, spikes: { everyS: 60, durationS: 5, heightBytes: 400 * MB } });
  assert.equal(spiky.class, 'spiky', spiky.explanation);
  assert.match(spiky.explanation, /^Spiky, no leak: \d+ spikes up to/);

  const steps = classify({ ...base, steps: { everyS: 120, bytes: 25 * MB } });
  assert.equal(steps.class, 'stepwise-leak', steps.explanation);
  assert.match(steps.explanation, /^Stepwise leak: baseline rises in \d+ steps of about 2\d(\.\d+)? MB \(every 2 min\)/);

  const flat = classify(base);
  assert.equal(flat.class, 'flat', flat.explanation);
  assert.ok(Math.abs(flat.slopeBytesPerS) < 3 * flat.slopeUncertaintyBytesPerS + 100);
});

test('very short traces are unknown and say how much more data is needed', () => {
  const v = classify({ ...base, durationS: 8 });
  assert.equal(v.class, 'unknown');
  assert.equal(v.confidence, 0);
  assert.match(v.explanation, /^Undecided: 9 samples over 8 s so far; a verdict needs 12 s more and 1 sample more$/);
  assert.equal(classifySeries([], []).class, 'unknown');
  assert.equal(classifySeries([1000], [5 * MB]).class, 'unknown');
});

test('ten readings over 25 s that share seconds (irregular sampling) are too few buckets: undecided, not an error', () => {
  const tMs = [0, 300, 5000, 5300, 10_000, 10_300, 15_000, 15_300, 20_000, 25_000];
  const rssBytes = tMs.map((t) => 100 * MB + t * 10);
  const file = classifySeries(tMs, rssBytes);
  assert.equal(file.class, 'unknown');
  assert.match(file.explanation, /^Undecided: 10 samples over 25 s so far; a verdict needs a few more buckets of data$/);
  const live = online(tMs, rssBytes).verdict();
  assert.equal(live.class, 'unknown');
  // Ten buckets later the trace has a verdict's worth of data again.
  const more = [...tMs, 26_000, 27_000, 28_000, 29_000];
  assert.notEqual(analyzeSeries(more, more.map((t) => 100 * MB + t * 10)).explanation, file.explanation);
});

test('a short noisy trace: flat when nothing rises above its noise, never a leak when a slow one hides in it', () => {
  const noisy = { durationS: 90, intervalS: 1, levelBytes: 4096 * MB, noiseSigmaBytes: 40 * MB };
  const v = classify(noisy);
  assert.equal(v.class, 'flat', v.explanation);
  for (let seed = 0; seed < 10; seed++) {
    const hidden = classify({ ...noisy, leak: { bytesPerS: (2 * MB) / 60 } }, 100 + seed);
    assert.ok(!isLeakClass(hidden.class), hidden.explanation);
    if (hidden.class === 'unknown') assert.match(hidden.explanation, /about \d+ (s|min|h)( \d+ (s|min))? more data should tell$/);
  }
});

test('short dense flat traces (90–120 s at 10 Hz) under a GC sawtooth are flat; the same with a fast leak is a leak', () => {
  const dense = (levelBytes: number, amplitudeBytes: number, periodS: number, durationS: number): SyntheticSpec => ({
    durationS,
    intervalS: 0.1,
    levelBytes,
    noiseSigmaBytes: levelBytes * 0.001,
    sawtooth: { amplitudeBytes, periodS },
  });
  // A 12 MB worker whose collections free 0.5 MB (under the old fixed 1 MiB fall), and a 9-s cycle
  // that falls inside a bucket (once counted twice, so read as a 5-s cycle).
  const cases = [dense(12 * MB, 0.5 * MB, 3, 95), dense(105 * MB, 5.8 * MB, 9, 106)];
  for (const spec of cases) {
    for (let seed = 0; seed < 6; seed++) {
      const v = classify(spec, 300 + seed);
      assert.equal(v.class, 'flat', `${spec.levelBytes / MB} MB, ${spec.sawtooth?.periodS} s cycle, seed ${seed}: ${v.explanation}`);
      const leaking = classify({ ...spec, leak: { bytesPerS: (spec.levelBytes * 0.2) / 60 } }, 300 + seed);
      assert.ok(isLeakClass(leaking.class), `leaking at 20%/min, seed ${seed}: ${leaking.explanation}`);
    }
  }
});

test('robust: GC sawtooth, gaps, irregular intervals, a start mid-leak, unsorted input', () => {
  const sawtoothFlat = classify({ ...base, sawtooth: { amplitudeBytes: 20 * MB, periodS: 30 } });
  assert.equal(sawtoothFlat.class, 'flat', sawtoothFlat.explanation);
  const sawtoothLeak = classify({ ...base, sawtooth: { amplitudeBytes: 20 * MB, periodS: 30 }, leak: { bytesPerS: (2 * MB) / 60 } });
  assert.equal(sawtoothLeak.class, 'steady-leak', sawtoothLeak.explanation);
  const gappy = classify({ ...base, intervalS: 2, jitter: 0.6, gaps: { count: 3, fraction: 0.1 }, leak: { bytesPerS: (2 * MB) / 60 } });
  assert.equal(gappy.class, 'steady-leak', gappy.explanation);
  const gappyFlat = classify({ ...base, intervalS: 2, jitter: 0.6, gaps: { count: 3, fraction: 0.1 } });
  assert.equal(gappyFlat.class, 'flat', gappyFlat.explanation);

  const { tMs, rssBytes } = generate({ ...base, levelBytes: 3000 * MB, leak: { bytesPerS: (5 * MB) / 60 } }, 3);
  const midLeak = classifySeries(tMs, rssBytes);
  assert.equal(midLeak.class, 'steady-leak');
  assert.equal(midLeak.regimeStartMs, tMs[0], 'a trace that starts mid-leak leaks from its first sample');

  const order = tMs.map((_, i) => i).sort((a, b) => ((a * 7919) % tMs.length) - ((b * 7919) % tMs.length));
  const shuffled = classifySeries(order.map((i) => tMs[i]), order.map((i) => rssBytes[i]));
  assert.deepEqual(shuffled, midLeak);
  const withJunk = classifySeries([...tMs, NaN, tMs[5]], [...rssBytes, 5, Infinity]);
  assert.deepEqual(withJunk, midLeak);
});

test('irregular kept steps (at random moments, ~45 s apart, 40–90 MB each) over 40 min: a stepwise leak, not a plateau', () => {
  const random = mulberry32(1);
  const tMs: number[] = [];
  const rssBytes: number[] = [];
  let level = 800 * MB;
  let nextStepS = 30;
  for (let s = 0; s <= 2400; s++) {
    if (s >= nextStepS) {
      level += (40 + 50 * random()) * MB;
      nextStepS += -45 * Math.log(Math.max(random(), 1e-9));
    }
    tMs.push(s * 1000);
    rssBytes.push(level + 2 * MB * random());
  }
  // A line through a staircase leaves the treads as residuals (one degree of freedom): before the
  // steps themselves were the evidence, this one (and 9 of 24 such seeds) read as a plateau.
  const v = classifySeries(tMs, rssBytes);
  assert.equal(v.class, 'stepwise-leak', v.explanation);
});

test('a leak that begins after an hour of flat memory: regime starts near the onset', () => {
  const onsetS = 3600;
  const v = classify({ durationS: 7200, intervalS: 2, levelBytes: 300 * MB, noiseSigmaBytes: MB, leak: { bytesPerS: (3 * MB) / 60, onsetS } });
  assert.equal(v.class, 'steady-leak', v.explanation);
  assert.ok(Math.abs(v.regimeStartMs - (1_767_225_600_000 + onsetS * 1000)) < 10 * 60_000, `regime start ${v.regimeStartMs}`);
});

test('never a leak verdict on flat, plateau or spiky traces of the synthetic corpus; ≥ 95% overall', () => {
  const corpus = syntheticCorpus(12, 99);
  const scored = corpus.map((t) => ({ trace: { ...t, source: 'synthetic' as const }, verdict: classifySeries(t.tMs, t.rssBytes) }));
  const c = confusion(scored);
  assert.equal(c.falseLeaks.length, 0, c.falseLeaks.map((s) => `${s.trace.name}: ${s.verdict.explanation}`).join('\n'));
  assert.ok(c.correct / c.total >= 0.95, formatConfusion(c));
});

test('real recordings of the corpus programs get their labels', () => {
  const real = realCorpus();
  assert.ok(real.length >= 10, `expected the recorded corpus, found ${real.length} traces`);
  for (const t of real) {
    const v = classifySeries(t.tMs, t.rssBytes);
    assert.equal(v.class, t.label, `${t.name}: ${v.explanation}`);
  }
});

test('online: a slow leak becomes a leak verdict and stays one (no flicker)', () => {
  const { tMs, rssBytes } = generate(namedScenarios()[0].spec, 11);
  const classes: GrowthClass[] = [];
  online(tMs, rssBytes, (v) => {
    if (classes[classes.length - 1] !== v.class) classes.push(v.class);
  });
  assert.equal(classes[classes.length - 1], 'steady-leak');
  const firstLeak = classes.findIndex(isLeakClass);
  assert.ok(classes.slice(firstLeak).every(isLeakClass), `verdicts: ${classes.join(' → ')}`);
  assert.ok(classes.length <= 4, `verdicts: ${classes.join(' → ')}`);
});

test('online: hysteresis holds a leak verdict through a brief ambiguous stretch', () => {
  // A leak, then a short pause: the raw look may waver, the shown verdict does not.
  const leak = generate({ durationS: 1800, intervalS: 1, levelBytes: 200 * MB, noiseSigmaBytes: 0.5 * MB, leak: { bytesPerS: (4 * MB) / 60 } }, 5);
  const c = online(leak.tMs, leak.rssBytes);
  assert.equal(c.verdict().class, 'steady-leak');
  const last = leak.tMs[leak.tMs.length - 1];
  const top = leak.rssBytes[leak.rssBytes.length - 1];
  let changes = 0;
  let shown = c.verdict().class;
  for (let s = 1; s <= 60; s++) {
    c.push(last + s * 1000, top + ((s * 7919) % 5) * 100_000);
    if (c.verdict().class !== shown) {
      changes++;
      shown = c.verdict().class;
    }
  }
  assert.equal(changes, 0, `verdict changed to ${shown}`);
});

test('online: flat, plateau and spiky programs never show a leak at any point after warm-up', () => {
  for (const name of ['flat-500MB-noise', 'gc-sawtooth-flat', 'spiky-rounds']) {
    const s = namedScenarios().find((x) => x.name === name);
    assert.ok(s);
    const { tMs, rssBytes } = generate(s.spec, 21);
    online(tMs, rssBytes, (v, i) => assert.ok(!isLeakClass(v.class), `${name} at sample ${i}: ${v.explanation}`));
  }
});

test('online and file verdicts agree at the end of the named scenarios', () => {
  for (const s of namedScenarios()) {
    const { tMs, rssBytes } = generate(s.spec, 4);
    assert.equal(online(tMs, rssBytes).verdict().class, classifySeries(tMs, rssBytes).class, s.name);
  }
});

test('a day at 1 Hz keeps at most 256 buckets (bounded work per sample)', () => {
  const series = new BucketSeries();
  let maxBuckets = 0;
  for (let i = 0; i < 86_400; i++) {
    series.push(i * 1000, 100 * MB + (i % 17) * 4096);
    maxBuckets = Math.max(maxBuckets, series.buckets.length);
  }
  assert.ok(maxBuckets <= 256, `buckets: ${maxBuckets}`);
  assert.equal(series.sampleCount, 86_400);
  const b = series.buckets;
  assert.equal(b.reduce((a, x) => a + x.count, 0), 86_400);
  assert.equal(Math.min(...b.map((x) => x.min)), 100 * MB);
});

test('a series that reserves its buckets up front holds the same buckets as one that makes them as it goes, through gaps, coarsenings and a clear', () => {
  const reserved = new BucketSeries(16, 1000, true);
  const plain = new BucketSeries(16, 1000);
  const held = new Set<object>();
  const random = mulberry32(3);
  let tMs = 0;
  for (let i = 0; i < 3000; i++) {
    tMs += random() < 0.1 ? 7000 : 1000; // a gap now and then leaves lone buckets unmerged
    const value = 100 * MB + Math.floor(random() * 64) * 4096;
    assert.equal(reserved.push(tMs, value), plain.push(tMs, value));
    if (i === 1500) {
      reserved.clear();
      plain.clear();
    }
    assert.deepEqual(reserved.buckets.map((b) => ({ ...b })), plain.buckets.map((b) => ({ ...b })), `after push ${i}`);
    for (const b of reserved.buckets) held.add(b);
  }
  assert.equal(reserved.widthMs, plain.widthMs);
  assert.ok(held.size <= 17, `bucket objects used: ${held.size} (16 + the one that makes a coarsening due)`);
});

test('online: a look every second while too short for a verdict, then every 2 s, every 1/64 of the span later (bounded CPU per watched process)', () => {
  const c = new GrowthClassifier();
  const looksAt: number[] = [];
  for (let i = 0; i <= 3600; i++) {
    const before = c.lookCount;
    c.push(i * 1000, 100 * MB + (i % 17) * 4096);
    if (c.lookCount > before) looksAt.push(i);
  }
  const firstReal = looksAt.findIndex((t) => t >= 20);
  assert.deepEqual(looksAt.slice(0, firstReal + 1), range(1, 20), 'a look at each completed 1-s bucket until the 20 s a verdict needs');
  const gaps = looksAt.slice(firstReal + 1).map((t, k) => t - looksAt[firstReal + k]);
  assert.ok(gaps.every((g) => g >= 2), `gaps ${gaps.slice(0, 10).join(', ')}`);
  assert.deepEqual(gaps.slice(0, 20), new Array(20).fill(2), 'every 2 s in the first minutes');
  const lastGap = gaps[gaps.length - 1];
  // A look waits for a bucket to complete: buckets are 16 s wide after an hour.
  assert.ok(lastGap >= 3600 / 64 - 1 && lastGap <= 3600 / 64 + 16, `after an hour a look every ~56–72 s, got ${lastGap}`);
  assert.ok(looksAt.length < 400, `${looksAt.length} looks in an hour`);
  assert.ok(3600 - looksAt[looksAt.length - 1] < 60, 'the verdict is never more than a minute behind');
});

test('online: push says when the verdict may have changed (a session asks verdict() only then)', () => {
  const shapes: Record<string, (i: number) => number> = {
    steady: (i) => 300 * MB + ((i * 7919) % 13) * 4096,
    leak: (i) => 100 * MB + i * 200_000 + ((i * 7919) % 13) * 65536,
    steps: (i) => 200 * MB + Math.floor(i / 120) * 20 * MB,
    'rise then hold': (i) => 100 * MB + Math.min(i, 200) * MB,
  };
  for (const [name, value] of Object.entries(shapes)) {
    const c = new GrowthClassifier({ quietLookIntervalMs: 16_000 });
    let shown = c.verdict();
    let said = 0;
    for (let i = 0; i <= 900; i++) {
      const t = 1_767_600_000_000 + i * 1000;
      const mayChange = c.push(t, i === 300 ? NaN : value(i));
      const verdict = c.verdict();
      assert.ok(mayChange || verdict === shown, `${name}: a new verdict at ${i} s after push said nothing changed`);
      if (mayChange) said++;
      shown = verdict;
    }
    assert.ok(said < 300, `${name}: push said "may have changed" at ${said} of 900 readings`);
  }
});

test('online with a quiet interval: quiet looks that find the same class space out (doubling, ≤ 4×, ≤ 1/8 of the span), and anything new starts over', () => {
  const quiet = 16_000;
  const c = new GrowthClassifier({ quietLookIntervalMs: quiet });
  const steady = (i: number): number => 300 * MB + ((i * 7919) % 13) * 4096;
  const looks: number[] = [];
  const classes: string[] = [];
  const stepAt = 1500;
  for (let i = 0; i <= 1560; i++) {
    const before = c.lookCount;
    c.push(1_767_600_000_000 + i * 1000, i < stepAt ? steady(i) : steady(i) + 200 * MB);
    if (c.lookCount > before) looks.push(i);
    classes.push(c.verdict().class);
  }
  const decided = classes.indexOf('flat');
  assert.ok(decided > 0, 'decided flat');
  const quietLooks = looks.filter((i) => i > decided + 2 * quiet / 1000 && i < stepAt);
  const gaps = quietLooks.slice(1).map((i, k) => i - quietLooks[k]);
  // A look waits for its bucket to complete (4–8 s wide here): gaps read a bucket above their interval.
  assert.ok(gaps.every((g, k) => g >= 16 && g <= Math.min(64, Math.max(16, quietLooks[k + 1] / 8)) + 8), `gaps ${gaps.join(', ')}`);
  assert.ok(gaps.slice(-3).every((g) => g >= 64), `a steady process is looked at every ~64 s after ~9 min: gaps ${gaps.join(', ')}`);
  // The step leaves the range already judged: the next look comes at the usual interval, not the quiet one.
  const firstAfterStep = looks.find((i) => i >= stepAt);
  assert.ok(firstAfterStep !== undefined && firstAfterStep - stepAt <= 1500 / 64 + 8, `first look after the step at ${firstAfterStep}`);
  const after = looks.filter((i) => i >= stepAt);
  assert.ok(after.length >= 2 && after[1] - after[0] < 64, `looks after the step at ${after.join(', ')}`);
});

test('online with a quiet interval (a live session): a steady process is looked at that often, moving data as before, and the verdicts match', () => {
  const quiet = 16_000;
  const run = (value: (i: number) => number, options = {}): { classes: string[]; looks: number[] } => {
    const c = new GrowthClassifier(options);
    const classes: string[] = [];
    const looks: number[] = [];
    for (let i = 0; i <= 600; i++) {
      const before = c.lookCount;
      c.push(1_767_600_000_000 + i * 1000, value(i));
      if (c.lookCount > before) looks.push(i);
      classes.push(c.verdict().class);
    }
    return { classes, looks };
  };
  const steady = (i: number): number => 300 * MB + ((i * 7919) % 13) * 4096;
  const plain = run(steady);
  const session = run(steady, { quietLookIntervalMs: quiet });
  assert.equal(session.classes.at(-1), plain.classes.at(-1), 'the same verdict in the end');
  assert.equal(session.classes.at(-1), 'flat');
  const decided = session.classes.indexOf('flat');
  const later = session.looks.filter((i) => i > decided + quiet / 1000);
  assert.ok(later.length >= 2 && later.slice(1).every((i, k) => i - later[k] >= quiet / 1000), `looks at ${later.join(', ')}`);
  assert.ok(session.looks.length < plain.looks.length / 2, `${session.looks.length} looks against ${plain.looks.length}`);
  // Growth leaves the range already judged at every bucket: no look is spared, no verdict later.
  const leak = (i: number): number => 100 * MB + i * MB + ((i * 7919) % 13) * 4096;
  const leakPlain = run(leak);
  const leakSession = run(leak, { quietLookIntervalMs: quiet });
  assert.deepEqual(leakSession.looks, leakPlain.looks);
  assert.deepEqual(leakSession.classes, leakPlain.classes);
  // Rise, then hold: the hold is judged at most one quiet interval (and one confirmation) later.
  const hold = (i: number): number => 100 * MB + Math.min(i, 60) * MB + ((i * 7919) % 13) * 4096;
  const holdPlain = run(hold).classes.indexOf('plateau');
  const holdSession = run(hold, { quietLookIntervalMs: quiet }).classes.indexOf('plateau');
  assert.ok(holdPlain > 0 && holdSession > 0 && holdSession <= holdPlain + quiet / 1000 + 2, `plateau at ${holdPlain} s, with quiet looks at ${holdSession} s`);
});

test('online: the undecided countdown moves on with every second of a short trace', () => {
  const c = new GrowthClassifier();
  const explanations = new Set<string>();
  for (let i = 0; i <= 12; i++) {
    c.push(i * 1000, 100 * MB + i * 4096);
    explanations.add(c.verdict().explanation);
  }
  assert.equal(explanations.size, 13, [...explanations].join('\n'));
  assert.equal([...explanations][0], 'Undecided: 1 sample so far; a verdict needs 20 s more and 9 samples more');
  assert.match(c.verdict().explanation, /13 samples over 12 s so far; a verdict needs 8 s more/);
});

test('online: the explanation states the class and the confidence the verdict carries, "Steady growth … chance of a leak" while below even odds', () => {
  // A fast leak under noise: called early, first with a low live confidence, later a likely one.
  const { tMs, rssBytes } = generate({ durationS: 900, intervalS: 1, levelBytes: 200 * MB, noiseSigmaBytes: 2 * MB, leak: { bytesPerS: (12 * MB) / 60 } }, 21);
  const seen = { tentative: 0, likely: 0 };
  online(tMs, rssBytes, (v) => {
    if (!isLeakClass(v.class)) return;
    const percent = `${confidencePercent(v.confidence)}% ${isTentative(v.confidence) ? 'chance of a leak' : 'confidence'}`;
    assert.ok(v.explanation.endsWith(percent), `${v.explanation} (stated ${percent})`);
    if (isTentative(v.confidence)) {
      seen.tentative++;
      assert.match(v.explanation, /^(Steady|Stepwise) growth: /);
    } else {
      seen.likely++;
      assert.match(v.explanation, /^(Steady|Stepwise) leak: /);
    }
  });
  assert.ok(seen.tentative > 0 && seen.likely > 0, `looks at a possible leak ${seen.tentative}, at a likely one ${seen.likely}`);
});

test('undecided says how much longer to watch: from the slope\'s error when that is what keeps it open, else at most until the length that decides any trace', () => {
  // Growth right at the leak bar, measured precisely (±3 KB/min): more data will not shrink the error
  // enough to matter; only the 10-min length that decides any trace will.
  const t: number[] = [];
  const r: number[] = [];
  const random = mulberry32(3);
  // 30 GB: its relative bar (44 KB/s) is above the floor of what 2 min resolve (one 1-MiB arena).
  const bar = leakThresholdBytesPerS(30 * 1024 * MB);
  for (let i = 0; i < 240; i++) {
    t.push(i * 1000);
    r.push(30 * 1024 * MB + i * bar + (random() - 0.5) * 0.05 * MB);
  }
  const v = classifySeries(t, r);
  if (v.class !== 'unknown') return assert.fail(`the set-up should be undecided: ${v.explanation}`);
  const more = /about (.+) more data should tell$/.exec(v.explanation);
  assert.ok(more, v.explanation);
  assert.equal(more[1], '6 min', `${v.explanation}: 4 min watched, decided by 10 min at the latest`);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

test('reset forgets the past', () => {
  const { tMs, rssBytes } = generate({ ...base, leak: { bytesPerS: 50_000 } }, 2);
  const c = online(tMs, rssBytes);
  assert.equal(c.verdict().class, 'steady-leak');
  c.reset();
  assert.equal(c.sampleCount, 0);
  assert.equal(c.verdict().class, 'unknown');
});

test('compareSlopes: a fix that stops the leak (after a restart and warm-up) is "gone"', () => {
  const before = generate({ ...base, leak: { bytesPerS: (2 * MB) / 60 } }, 1);
  const after = generate({ ...base, startMs: 1_767_229_300_000, warmup: { riseBytes: 100 * MB, durationS: 120, shape: 'linear' } }, 2);
  const r = compareSlopes({ tMs: before.tMs, rssBytes: before.rssBytes }, { tMs: after.tMs, rssBytes: after.rssBytes });
  assert.equal(r.outcome, 'gone', r.explanation);
  assert.equal(r.leakGone, true);
  assert.ok(r.beforeBytesPerS > 25_000 && Math.abs(r.afterBytesPerS) < 2000);
  assert.match(r.explanation, /^Leak gone: before 2\.\d+ MB\/min/);
  const runs = compareSlopes({ tMs: before.tMs, rssBytes: before.rssBytes }, { tMs: after.tMs, rssBytes: after.rssBytes }, ACROSS_RUNS);
  assert.equal(runs.outcome, 'gone');
  assert.match(runs.explanation, /^Leak gone: in the previous run 2\.\d+ MB\/min.*, in this run [^;]*$/);
});

test('compareSlopes: unchanged, reduced, too early, no leak before', () => {
  const leak = (bytesPerS: number, seed: number) => generate({ ...base, leak: { bytesPerS } }, seed);
  const same = compareSlopes(leak(40_000, 1), leak(40_000, 2));
  assert.equal(same.outcome, 'unchanged');
  assert.equal(same.leakGone, false);
  assert.equal(compareSlopes(leak(40_000, 1), leak(8_000, 2)).outcome, 'reduced');
  const short = generate({ ...base, durationS: 10 }, 3);
  const early = compareSlopes(leak(40_000, 1), short);
  assert.equal(early.outcome, 'too-early');
  assert.match(early.explanation, /^Too early to tell/);
  assert.equal(compareSlopes(generate(base, 1), leak(40_000, 2)).outcome, 'no-leak-before');
  assert.match(compareSlopes(leak(40_000, 1), short, ACROSS_RUNS).explanation, /^Too early to tell: steady leak in the previous run \(2\.\d+ MB\/min \(±[\d.]+\)\)$/);
  assert.match(compareSlopes(generate(base, 1), leak(40_000, 2), ACROSS_RUNS).explanation, /^No leak to compare: the previous run: /);
});

test('compareRuns: this run is its live verdict, so the comparison follows what the banner shows', () => {
  const leaking = generate({ ...base, leak: { bytesPerS: (2 * MB) / 60 } }, 1);
  const previous = analyzeSeries(leaking.tMs, leaking.rssBytes);
  const verdict = (cls: GrowthVerdict['class'], slopeBytesPerS: number): GrowthVerdict => ({ class: cls, confidence: 0.9, slopeBytesPerS, slopeUncertaintyBytesPerS: 500, regimeStartMs: 0, explanation: `${cls} now` });
  // A run in its warm-up ramps as a leak would; its live verdict is still undecided, and so is the comparison.
  assert.equal(compareRuns(previous, verdict('unknown', 90_000)).outcome, 'too-early');
  const flat = compareRuns(previous, verdict('flat', 10));
  assert.equal(flat.outcome, 'gone');
  assert.equal(flat.after.class, 'flat');
  assert.equal(flat.afterBytesPerS, 10);
  assert.match(flat.explanation, /^Leak gone: in the previous run 2\.\d+ MB\/min/);
  assert.equal(compareRuns(previous, verdict('steady-leak', 5_000)).outcome, 'reduced');
  assert.equal(compareRuns(previous, verdict('steady-leak', 35_000)).outcome, 'unchanged');
});

/** Trace time of the first leak shown, or Infinity. */
function firstLeakMs(trace: { tMs: readonly number[]; rssBytes: readonly number[] }, c: GrowthClassifier): number {
  let at = Infinity;
  online(trace.tMs, trace.rssBytes, (v, i) => {
    if (at === Infinity && isLeakClass(v.class)) at = trace.tMs[i];
  }, c);
  return at;
}

test('online: within the process\'s warm-up (leakNotBeforeMs) growth not far above the noise is no leak yet, and the explanation says why; after it, the leak shows', () => {
  // 2 MB/min on 100 MB: a clear leak to the classifier, but 1.5 MB in 45 s, under the 5 MB a
  // start-up could load (a material rise: 5% of the process).
  const leak = generate({ durationS: 180, intervalS: 1, levelBytes: 100 * MB, noiseSigmaBytes: 0.2 * MB, leak: { bytesPerS: (2 * MB) / 60 } }, 3);
  const start = leak.tMs[0];
  assert.ok(firstLeakMs(leak, new GrowthClassifier()) < start + 90_000, 'without a warm-up the leak is called inside the first 90 s');
  const c = new GrowthClassifier({ leakNotBeforeMs: start + 90_000 });
  const shownAt = firstLeakMs(leak, c);
  assert.ok(shownAt >= start + 90_000 && shownAt < Infinity, `shown at ${shownAt - start} ms`);
  const during = new GrowthClassifier({ leakNotBeforeMs: start + 90_000 });
  for (let i = 0; i < 80; i++) during.push(leak.tMs[i], leak.rssBytes[i]);
  assert.match(during.verdict().explanation, /only just started/);
});

test('online: a fast leak with no bend is called within the warm-up as soon as without one; a start-up that levels off never is', () => {
  const fast = generate({ durationS: 120, intervalS: 1, levelBytes: 100 * MB, noiseSigmaBytes: 0.2 * MB, leak: { bytesPerS: (60 * MB) / 60 } }, 3);
  const start = fast.tMs[0];
  const plainAt = firstLeakMs(fast, new GrowthClassifier());
  assert.ok(plainAt < start + 60_000, `plain ${plainAt - start} ms`);
  assert.equal(firstLeakMs(fast, new GrowthClassifier({ leakNotBeforeMs: start + 90_000 })), plainAt);
  // Loading at start: linear or levelling ramps of 60 MB over 15–30 s, then holding, watched from the start.
  for (const [shape, durationS] of [['linear', 15], ['linear', 30], ['exp', 20], ['exp', 40], ['steps', 25]] as const) {
    for (const seed of [1, 2, 3]) {
      const warm = generate({ durationS: 300, intervalS: 1, levelBytes: 20 * MB, noiseSigmaBytes: 0.05 * MB, warmup: { riseBytes: 60 * MB, durationS, shape } }, seed);
      const c = new GrowthClassifier({ leakNotBeforeMs: warm.tMs[0] + 90_000 });
      assert.equal(firstLeakMs(warm, c), Infinity, `${shape} ${durationS} s, seed ${seed}: ${c.verdict().explanation}`);
      assert.equal(c.verdict().class, 'plateau', `${shape} ${durationS} s, seed ${seed}`);
    }
  }
});

test('growth smaller than the wander a window cannot see is no leak yet, however straight; the same rate over a longer span is', () => {
  // 0.5 MB/min on 1 GB (6× the process threshold) under 0.2 MB of noise: after 5 min it has risen
  // 0.25% of the level, which a level wandering on a time scale of minutes does unseen.
  const spec: SyntheticSpec = { durationS: 40 * 60, intervalS: 1, levelBytes: 1024 * MB, noiseSigmaBytes: 0.2 * MB, leak: { bytesPerS: (0.5 * MB) / 60 } };
  const { tMs, rssBytes } = generate(spec, 11);
  const upTo = (minutes: number): GrowthVerdict => classifySeries(tMs.slice(0, minutes * 60), rssBytes.slice(0, minutes * 60));
  const early = upTo(5);
  assert.ok(!isLeakClass(early.class), early.explanation);
  assert.equal(upTo(40).class, 'steady-leak', upTo(40).explanation);
});

test('the leak bar is relative to the process: 32 KB/min on 64 MB over 3 h (under 1 KiB/s, ~70% a day) is a leak; the same process flat, or wandering (sd 1%, time constant 15 min), is not', () => {
  const small: SyntheticSpec = { durationS: 3 * 3600, intervalS: 5, levelBytes: 64 * MB, noiseSigmaBytes: 0.1 * MB };
  const leak = classify({ ...small, leak: { bytesPerS: (32 * 1024) / 60 } });
  assert.equal(leak.class, 'steady-leak', leak.explanation);
  assert.equal(classify(small).class, 'flat');
  // The wander: its slope over an hour is ~9 KB/min either way, over the 5 KB/min bar;
  // the wander measured on the whole trace keeps it from reading as growth.
  for (let seed = 0; seed < 8; seed++) {
    const wander = classify({ ...small, wander: { sdBytes: 0.01 * 64 * MB, tauS: 15 * 60 } }, 20 + seed);
    assert.ok(!isLeakClass(wander.class), `seed ${20 + seed}: ${wander.explanation}`);
  }
});

test('a short trace of a small process growing a few KB a minute (under one allocator arena over it) is flat, not kept open', () => {
  const { tMs, rssBytes } = generate({ durationS: 120, intervalS: 0.1, levelBytes: 20 * MB, noiseSigmaBytes: 16 * 1024 }, 3);
  const v = classifySeries(tMs, rssBytes.map((r, i) => r + i * 8));
  assert.equal(v.class, 'flat', v.explanation);
});

test('spikes far above the noise, held for several readings, are spiky though under 15% of the level; a level walking up and down, or one-reading outliers, are not', () => {
  const quiet: SyntheticSpec = { durationS: 5400, intervalS: 1, levelBytes: 800 * MB, noiseSigmaBytes: 2 * MB };
  const spiky = classify({ ...quiet, spikes: { everyS: 90, durationS: 8, heightBytes: 100 * MB, heightSpread: 0.1 } });
  assert.equal(spiky.class, 'spiky', spiky.explanation);
  assert.equal(classify(quiet).class, 'flat');
  const steps = classify({ ...quiet, durationS: 3600, noiseSigmaBytes: 0.2 * MB, wander: { sdBytes: 8 * MB, tauS: 120 } });
  assert.notEqual(steps.class, 'spiky', steps.explanation);
  const { tMs, rssBytes } = generate({ durationS: 180, intervalS: 0.1, levelBytes: 8192 * MB, noiseSigmaBytes: 16 * MB }, 5);
  const random = mulberry32(9);
  const outliers = classifySeries(tMs, rssBytes.map((r) => (random() < 0.02 ? r + (0.3 + 0.7 * random()) * 80 * MB : r)));
  assert.equal(outliers.class, 'flat', outliers.explanation);
});

// A real recording (session 16): a Python program holding 40 MB that builds and frees a
// 20,000-string list every 0.1 s; some readings catch a round's temporaries (~1 MB on ~57 MB).
// Bumps of a few percent of the process are allocator traffic, not spikes anyone plans for: a
// spike rule that read them as spiky (for 8 of the 10 minutes, live) must not come back.
test('a real flat program churning small temporaries reads flat at every live look, never spiky or a leak', () => {
  const trace = readTraceFile(fromRoot(...TRACES_DIR, 'recorded', 'py-churn-flat-1hz.csv'));
  const classifier = new GrowthClassifier();
  const seen = new Set<GrowthClass>();
  for (const s of trace.samples) {
    classifier.push(s.tMs, s.rssBytes);
    seen.add(classifier.verdict().class);
  }
  assert.deepEqual([...seen].filter((c) => c !== 'unknown' && c !== 'flat'), []);
  assert.equal(classifier.verdict().class, 'flat');
});
