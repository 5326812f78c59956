// Synthetic memory traces with known shapes, from a fixed seed: the bulk of the labelled corpus
// (the real recordings in test/corpus/traces are few and short). Each trace is the sum of parts
// a real process shows: a level, a warm-up, a leak (linear or steps), a GC sawtooth, temporary
// spikes, Gaussian noise; sampled at a (possibly jittered) interval, with gaps cut out.
// Parameters are drawn inside ranges where an expert would name the shape without hesitating;
// e.g. noise stays ≤ 1% of the level and sawtooth ≤ 5% for non-spiky classes, spikes are ≥ 30%.
import { GrowthClass } from '../../../src/core/model';
import { mulberry32 as rng } from '../../../src/core/random';

const MB = 1024 * 1024;

export interface SyntheticSpec {
  durationS: number;
  intervalS: number;
  /** Each interval is intervalS × (1 ± jitter). */
  jitter?: number;
  startMs?: number;
  levelBytes: number;
  noiseSigmaBytes?: number;
  sawtooth?: { amplitudeBytes: number; periodS: number };
  leak?: { bytesPerS: number; onsetS?: number };
  warmup?: { riseBytes: number; durationS: number; shape: 'linear' | 'exp' | 'steps' };
  steps?: { everyS: number; bytes: number; onsetS?: number };
  /**
   * Temporaries: every everyS, for durationS, of heightBytes × (1 ± heightSpread, default 0.4).
   * `hold` rises at once and holds; `build` climbs for the whole duration (a batch building its
   * data) and is freed at once.
   */
  spikes?: { everyS: number; durationS: number; heightBytes: number; shape?: 'hold' | 'build'; heightSpread?: number };
  gaps?: { count: number; fraction: number };
  /** Mean-reverting wander of the level (Ornstein–Uhlenbeck): stationary sd and time constant. */
  wander?: { sdBytes: number; tauS: number };
  /** Irregular sampling: intervals drawn in [minS, maxS], and a pause of pauseS every pauseEveryS. */
  irregular?: { minS: number; maxS: number; pauseEveryS: number; pauseS: number };
  /** Allocation noise of sigmaBytes (up only) until untilS, then the level drops by dropBytes. */
  band?: { untilS: number; sigmaBytes: number; dropBytes: number };
}

export interface SyntheticTrace {
  name: string;
  label: GrowthClass;
  spec: SyntheticSpec;
  tMs: number[];
  rssBytes: number[];
}


function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function generate(spec: SyntheticSpec, seed: number): { tMs: number[]; rssBytes: number[] } {
  const random = rng(seed);
  const start = spec.startMs ?? 1_767_225_600_000;
  const gaps = cutGaps(spec, random);
  const phase = random();
  const spikeScale: number[] = [];
  const tMs: number[] = [];
  const rssBytes: number[] = [];
  let wanderBytes = 0;
  let lastT = 0;
  let nextPause = spec.irregular?.pauseEveryS ?? Infinity;
  for (let t = 0; t <= spec.durationS; t += nextInterval(spec, random)) {
    if (t >= nextPause && spec.irregular) {
      t += spec.irregular.pauseS;
      nextPause += spec.irregular.pauseEveryS;
    }
    if (spec.wander) wanderBytes = ouStep(wanderBytes, t - lastT, spec.wander, random);
    lastT = t;
    if (gaps.some(([a, b]) => t >= a && t < b)) continue;
    const noise = (spec.noiseSigmaBytes ?? 0) * gaussian(random) + band(spec, t, random);
    const value = spec.levelBytes + warmup(spec, t) + leak(spec, t) + steps(spec, t) + sawtooth(spec, t, phase) + spike(spec, t, random, spikeScale) + noise + wanderBytes;
    tMs.push(Math.round(start + t * 1000));
    rssBytes.push(Math.max(0, Math.round(value / 4096) * 4096));
  }
  return { tMs, rssBytes };
}

function nextInterval(spec: SyntheticSpec, random: () => number): number {
  const irregular = spec.irregular;
  if (irregular) return irregular.minS + (irregular.maxS - irregular.minS) * random();
  return spec.intervalS * (1 + (spec.jitter ?? 0) * (2 * random() - 1));
}

/** Exact OU transition over dt: x' = x·e^(−dt/τ) + sd·√(1 − e^(−2dt/τ))·N(0,1). */
function ouStep(x: number, dtS: number, w: { sdBytes: number; tauS: number }, random: () => number): number {
  const decay = Math.exp(-Math.max(dtS, 0) / w.tauS);
  return x * decay + w.sdBytes * Math.sqrt(1 - decay * decay) * gaussian(random);
}

function band(spec: SyntheticSpec, t: number, random: () => number): number {
  const b = spec.band;
  if (!b) return 0;
  return t < b.untilS ? Math.abs(gaussian(random)) * b.sigmaBytes + b.dropBytes : 0;
}

function cutGaps(spec: SyntheticSpec, random: () => number): [number, number][] {
  if (!spec.gaps) return [];
  const out: [number, number][] = [];
  for (let i = 0; i < spec.gaps.count; i++) {
    const length = spec.durationS * spec.gaps.fraction;
    const at = spec.durationS * (0.1 + 0.8 * random());
    out.push([at, at + length]);
  }
  return out;
}

function warmup(spec: SyntheticSpec, t: number): number {
  const w = spec.warmup;
  if (!w) return 0;
  const x = Math.min(1, t / w.durationS);
  if (w.shape === 'linear') return w.riseBytes * x;
  if (w.shape === 'steps') return w.riseBytes * Math.floor(x * 5) / 5;
  // Exponential approach that is within 0.1% of its level at durationS.
  return w.riseBytes * (1 - Math.exp((-7 * t) / w.durationS));
}

function leak(spec: SyntheticSpec, t: number): number {
  const l = spec.leak;
  return l ? l.bytesPerS * Math.max(0, t - (l.onsetS ?? 0)) : 0;
}

function steps(spec: SyntheticSpec, t: number): number {
  const s = spec.steps;
  if (!s) return 0;
  const since = t - (s.onsetS ?? 0);
  return since < 0 ? 0 : s.bytes * Math.floor(since / s.everyS);
}

function sawtooth(spec: SyntheticSpec, t: number, phase: number): number {
  const s = spec.sawtooth;
  if (!s) return 0;
  const x = t / s.periodS + phase;
  return s.amplitudeBytes * (x - Math.floor(x));
}

function spike(spec: SyntheticSpec, t: number, random: () => number, scale: number[]): number {
  const s = spec.spikes;
  if (!s) return 0;
  const round = Math.floor(t / s.everyS);
  const spread = s.heightSpread ?? 0.4;
  while (scale.length <= round) scale.push(1 - spread + 2 * spread * random());
  const into = t - round * s.everyS;
  if (into >= s.durationS) return 0;
  return s.heightBytes * scale[round] * (s.shape === 'build' ? into / s.durationS : 1);
}

// ---- the labelled corpus -------------------------------------------------------------------

interface Draw {
  random: () => number;
  between(lo: number, hi: number): number;
  logBetween(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

function draw(seed: number): Draw {
  const random = rng(seed);
  return {
    random,
    between: (lo, hi) => lo + (hi - lo) * random(),
    logBetween: (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random()),
    chance: (p) => random() < p,
    pick: (items) => items[Math.floor(random() * items.length)],
  };
}

/** Sampling and level common to all classes: 20 MB–4 GB, 0.5–5 s, sometimes jittered or gappy. */
function base(d: Draw, minDurationS: number, maxDurationS: number): SyntheticSpec {
  const levelBytes = d.logBetween(20 * MB, 4096 * MB);
  const spec: SyntheticSpec = {
    durationS: d.between(minDurationS, maxDurationS),
    intervalS: d.pick([0.5, 1, 1, 1, 2, 5]),
    levelBytes,
    noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.005),
  };
  if (d.chance(0.3)) spec.jitter = d.between(0.1, 0.5);
  if (d.chance(0.2)) spec.gaps = { count: 1 + Math.floor(d.random() * 3), fraction: d.between(0.02, 0.08) };
  if (d.chance(0.3)) spec.sawtooth = { amplitudeBytes: levelBytes * d.between(0.005, 0.05), periodS: d.between(5, 90) };
  if (d.chance(0.2)) spec.startMs = 0;
  return spec;
}

function flatSpec(d: Draw): SyntheticSpec {
  return base(d, 20 * 60, 3 * 3600);
}

function plateauSpec(d: Draw): SyntheticSpec {
  const warmupS = d.between(60, 15 * 60);
  const spec = base(d, warmupS * 3 + 10 * 60, warmupS * 3 + 2 * 3600);
  spec.warmup = { riseBytes: spec.levelBytes * d.between(0.3, 3), durationS: warmupS, shape: d.pick(['linear', 'exp', 'steps'] as const) };
  return spec;
}

function spikySpec(d: Draw): SyntheticSpec {
  const spec = base(d, 15 * 60, 2 * 3600);
  const everyS = d.between(Math.max(10, spec.intervalS * 8), 300);
  spec.spikes = { everyS, durationS: Math.max(spec.intervalS * 2.5, everyS * d.between(0.05, 0.3)), heightBytes: spec.levelBytes * d.between(0.4, 3) };
  if (d.chance(0.3)) spec.warmup = { riseBytes: spec.levelBytes * d.between(0.3, 1), durationS: d.between(60, 300), shape: 'linear' };
  return spec;
}

/** Leaks grow by 15–300% of the level over the trace, never slower than 5× the leak threshold. */
function steadyLeakSpec(d: Draw): SyntheticSpec {
  const spec = base(d, 15 * 60, 3 * 3600);
  const onsetS = d.chance(0.3) ? spec.durationS * d.between(0.1, 0.35) : 0;
  const growth = spec.levelBytes * d.logBetween(0.15, 3);
  const threshold = Math.max(1024, (spec.levelBytes * 0.005) / 3600);
  spec.leak = { bytesPerS: Math.max(growth / (spec.durationS - onsetS), 5 * threshold), onsetS };
  if (d.chance(0.2)) spec.spikes = { everyS: d.between(30, 300), durationS: spec.intervalS * 3, heightBytes: spec.levelBytes * d.between(0.3, 1) };
  return spec;
}

function stepwiseLeakSpec(d: Draw): SyntheticSpec {
  const spec = base(d, 20 * 60, 3 * 3600);
  spec.sawtooth = undefined;
  const count = Math.round(d.between(8, 40));
  const everyS = spec.durationS / count;
  const threshold = Math.max(1024, (spec.levelBytes * 0.005) / 3600);
  const growth = Math.max(spec.levelBytes * d.logBetween(0.2, 2), 5 * threshold * spec.durationS);
  spec.steps = { everyS, bytes: Math.max(growth / count, 10 * (spec.noiseSigmaBytes ?? 0)), onsetS: d.between(0, everyS) };
  spec.intervalS = Math.min(spec.intervalS, everyS / 10);
  if (d.chance(0.3)) spec.spikes = { everyS, durationS: Math.max(spec.intervalS * 2, everyS * 0.02), heightBytes: spec.levelBytes * d.between(0.2, 0.8) };
  return spec;
}

function shortSpec(d: Draw): SyntheticSpec {
  const spec = base(d, 3, 15);
  spec.intervalS = d.pick([0.5, 1, 2]);
  spec.gaps = undefined;
  if (d.chance(0.5)) spec.leak = { bytesPerS: spec.levelBytes * 0.01 };
  return spec;
}

const MAKERS: Record<GrowthClass, (d: Draw) => SyntheticSpec> = {
  flat: flatSpec,
  plateau: plateauSpec,
  spiky: spikySpec,
  'steady-leak': steadyLeakSpec,
  'stepwise-leak': stepwiseLeakSpec,
  unknown: shortSpec,
};

export const DEFAULT_CORPUS_SEED = 20_261_123;

/** `perClass` traces of each class (a few `unknown`), plus the named scenarios below. */
export function syntheticCorpus(perClass = 40, seed = DEFAULT_CORPUS_SEED): SyntheticTrace[] {
  const traces: SyntheticTrace[] = [];
  const classes = Object.keys(MAKERS) as GrowthClass[];
  for (const label of classes) {
    const count = label === 'unknown' ? Math.max(3, Math.round(perClass / 4)) : perClass;
    for (let i = 0; i < count; i++) {
      const traceSeed = seed + classes.indexOf(label) * 100_003 + i * 7919;
      const spec = MAKERS[label](draw(traceSeed));
      traces.push({ name: `${label}-${i}`, label, spec, ...generate(spec, traceSeed + 1) });
    }
  }
  for (const scenario of namedScenarios()) traces.push({ ...scenario, ...generate(scenario.spec, seed + scenario.name.length) });
  for (const [i, scenario] of weaknessCases().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 31 * i) });
  for (const [i, scenario] of issueKindDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 37 * i + 5) });
  for (const [i, scenario] of denseFlatDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 41 * i + 11) });
  for (const [i, scenario] of sawtoothDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 43 * i + 13) });
  for (const [i, scenario] of settleDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 47 * i + 17) });
  for (const [i, scenario] of cycleShapeDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 59 * i + 23) });
  for (const [i, scenario] of wideWanderDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 53 * i + 19) });
  for (const [i, scenario] of lateChangeDraws().entries()) traces.push({ ...scenario, ...generate(scenario.spec, seed + 61 * i + 29) });
  for (const [i, scenario] of trailingDipDraws().entries()) traces.push({ ...scenario, ...withTrailingDip(generate(scenario.spec, seed + 67 * i + 31), scenario.dipTo) });
  return traces;
}

type Scenario = { name: string; label: GrowthClass; spec: SyntheticSpec };

/** Sampling fine enough for a cycle of `periodS` (≥ 8 readings per cycle), 10 Hz or 1 Hz. */
function samplingFor(d: Draw, periodS: number): Pick<SyntheticSpec, 'intervalS' | 'jitter'> {
  const intervalS = periodS < 8 ? 0.1 : d.pick([0.1, 1, 1]);
  return { intervalS, jitter: d.chance(0.4) ? d.between(0.05, 0.3) : undefined };
}

/**
 * Session 11: a regular GC sawtooth that fills the time (a rise for the whole cycle, a fall at each
 * collection) on a level that holds: flat by its mechanism, whatever its amplitude (2–60% of the
 * level), period (2 s–5 min) or scale (50 MB–12 GB); the same with isolated temporaries on top
 * (short, far above the sawtooth's peaks: spiky); and isolated temporaries over a small sawtooth
 * (spiky), so that telling a sawtooth from spikes does not lose the spikes.
 */
export function sawtoothDraws(perKind = 10, seed = 12_110): Scenario[] {
  const d = draw(seed);
  const out: Scenario[] = [];
  const sawtoothSpec = (): SyntheticSpec => {
    const levelBytes = d.logBetween(50 * MB, 12 * 1024 * MB);
    const periodS = d.logBetween(2, 300);
    const durationS = Math.min(Math.max(d.between(120, 1800), 8 * periodS), 3600);
    const sawtooth = { amplitudeBytes: levelBytes * d.logBetween(0.02, 0.6), periodS };
    return { durationS, ...samplingFor(d, periodS), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), sawtooth };
  };
  for (let i = 0; i < perKind; i++) out.push({ name: `sawtooth-flat-${i}`, label: 'flat', spec: sawtoothSpec() });
  for (let i = 0; i < perKind / 2; i++) {
    const spec = sawtoothSpec();
    const everyS = Math.max(d.between(20, 300), 20 * spec.intervalS);
    const heightBytes = Math.max(spec.levelBytes * d.between(0.4, 2), 2.5 * (spec.sawtooth?.amplitudeBytes ?? 0));
    spec.durationS = Math.max(spec.durationS, 6 * everyS);
    out.push({ name: `sawtooth-with-spikes-${i}`, label: 'spiky', spec: { ...spec, spikes: { everyS, durationS: Math.max(3 * spec.intervalS, everyS * d.between(0.03, 0.15)), heightBytes } } });
  }
  for (let i = 0; i < perKind / 2; i++) {
    const spec = sawtoothSpec();
    const small = { amplitudeBytes: spec.levelBytes * d.between(0.01, 0.05), periodS: spec.sawtooth?.periodS ?? 10 };
    const everyS = Math.max(d.between(10, 200), 20 * spec.intervalS);
    spec.durationS = Math.max(spec.durationS, 6 * everyS);
    out.push({ name: `spikes-small-sawtooth-${i}`, label: 'spiky', spec: { ...spec, sawtooth: small, spikes: { everyS, durationS: Math.max(3 * spec.intervalS, everyS * d.between(0.05, 0.3)), heightBytes: spec.levelBytes * d.between(0.3, 2) } } });
  }
  return out;
}

/**
 * Session 14: what a short trace's later windows can and cannot keep open, at 10 Hz (90–130 s)
 * and 1 Hz (5–20 min). A steady GC sawtooth (5–40% of a 50 MB–8 GB level, 3–12 cycles in the last
 * half): flat, though its last half holds few cycles and its slope a wide error. A leak that
 * starts late (at 50–75% of the trace) under the same kind of sawtooth and rises 2–5 of its
 * amplitudes by the end: a steady leak, though the whole trace is mostly flat.
 */
export function lateChangeDraws(perKind = 6, seed = 12_150): Scenario[] {
  const d = draw(seed);
  const out: Scenario[] = [];
  const shortSawtooth = (dense: boolean): SyntheticSpec => {
    const levelBytes = d.logBetween(50 * MB, 8 * 1024 * MB);
    const durationS = dense ? d.between(90, 130) : d.between(300, 1200);
    const periodS = (durationS / 2) / d.between(3, 12);
    const sawtooth = { amplitudeBytes: levelBytes * d.logBetween(0.05, 0.4), periodS };
    return { durationS, intervalS: dense ? 0.1 : 1, jitter: d.chance(0.4) ? d.between(0.05, 0.3) : undefined, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), sawtooth };
  };
  for (let i = 0; i < perKind; i++) out.push({ name: `late-window-sawtooth-flat-${i}`, label: 'flat', spec: shortSawtooth(i % 2 === 0) });
  for (let i = 0; i < perKind; i++) {
    const spec = shortSawtooth(i % 2 === 0);
    const onsetS = spec.durationS * d.between(0.5, 0.75);
    const riseBytes = (spec.sawtooth?.amplitudeBytes ?? 0) * d.between(2, 5);
    out.push({ name: `late-onset-leak-${i}`, label: 'steady-leak', spec: { ...spec, leak: { bytesPerS: riseBytes / (spec.durationS - onsetS), onsetS } } });
  }
  return out;
}

/**
 * Session 14: a short steady leak of the demo programs' shape (8–20 MB/min on 40–300 MB under a
 * GC sawtooth of a few MB, 60–120 s at 1 Hz or 10 Hz) whose final reading is far below the rest
 * (0 to 90% of the level: a process exiting, a partial read): a steady leak, since memory did
 * not keep that one reading.
 */
export function trailingDipDraws(perRate = 4, seed = 12_160): (Scenario & { dipTo: number })[] {
  const d = draw(seed);
  return Array.from({ length: 2 * perRate }, (_, i) => {
    const levelBytes = d.logBetween(40 * MB, 300 * MB);
    const spec: SyntheticSpec = {
      durationS: d.between(60, 120),
      intervalS: i % 2 === 0 ? 1 : 0.1,
      levelBytes,
      noiseSigmaBytes: levelBytes * d.logBetween(0.001, 0.005),
      leak: { bytesPerS: (d.between(8, 20) * MB) / 60 },
      sawtooth: { amplitudeBytes: levelBytes * d.between(0.02, 0.06), periodS: d.between(4, 10) },
    };
    return { name: `trailing-dip-leak-${i}`, label: 'steady-leak' as const, spec, dipTo: d.between(0, 0.9) };
  });
}

/** The trace with its final reading at `dipTo` × its level. */
function withTrailingDip(trace: { tMs: number[]; rssBytes: number[] }, dipTo: number): { tMs: number[]; rssBytes: number[] } {
  const rssBytes = [...trace.rssBytes];
  rssBytes[rssBytes.length - 1] = dipTo * Math.min(...rssBytes);
  return { tMs: trace.tMs, rssBytes };
}

/**
 * Session 13: cycles of the same rhythm told apart by their shape. A collector's sawtooth that
 * fills the time (10–60% of the level, period 1.5–60 s, at 10 Hz or 1 Hz, 90 s to 30 min): flat.
 * Batch jobs as regular as a collector (heights within ±5%): one that builds its data on a climb
 * for 20–55% of each cycle, is freed at once and rests at the floor for the rest (spiky), and one
 * whose temporaries rise at once and fill 60–90% of the time (spiky).
 */
export function cycleShapeDraws(perKind = 8, seed = 12_140): Scenario[] {
  const d = draw(seed);
  const cycleSpec = (): SyntheticSpec => {
    const levelBytes = d.logBetween(30 * MB, 8 * 1024 * MB);
    const periodS = d.logBetween(1.5, 60);
    const dense = periodS < 8 || d.chance(0.5);
    const durationS = dense ? Math.max(d.between(90, 120), 10 * periodS) : Math.max(d.between(300, 1800), 10 * periodS);
    const intervalS = dense ? 0.1 : 1;
    return { durationS, intervalS, jitter: d.chance(0.4) ? d.between(0.05, 0.3) : undefined, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), sawtooth: { amplitudeBytes: levelBytes * d.between(0.1, 0.6), periodS } };
  };
  const out: Scenario[] = [];
  for (let i = 0; i < perKind; i++) out.push({ name: `cycle-sawtooth-flat-${i}`, label: 'flat', spec: cycleSpec() });
  const batch = (shape: 'build' | 'hold', share: readonly [number, number]): SyntheticSpec => {
    const spec = cycleSpec();
    const everyS = Math.max(spec.sawtooth?.periodS ?? 10, 25 * spec.intervalS);
    const spikes = { everyS, durationS: everyS * d.between(share[0], share[1]), heightBytes: spec.levelBytes * d.between(0.3, 2), shape, heightSpread: 0.05 };
    return { ...spec, sawtooth: undefined, spikes };
  };
  for (let i = 0; i < perKind; i++) out.push({ name: `batch-build-spiky-${i}`, label: 'spiky', spec: batch('build', [0.2, 0.55]) });
  for (let i = 0; i < perKind; i++) out.push({ name: `batch-fill-spiky-${i}`, label: 'spiky', spec: batch('hold', [0.6, 0.9]) });
  return out;
}

/**
 * Session 11: a flat process whose first minutes settle a little (allocator arenas, a JIT, a small
 * fixed table: 0.5–2.5% of the level, on a smooth curve or in one early step), then hold: flat by
 * its mechanism, the rise immaterial against the process; beside it, plateaus whose rise is
 * material (8–40% of the level over the same first minutes), which must stay plateaus.
 */
export function settleDraws(perKind = 8, seed = 12_120): Scenario[] {
  const d = draw(seed);
  const spec = (riseShare: number): SyntheticSpec => {
    const levelBytes = d.logBetween(50 * MB, 12 * 1024 * MB);
    const settleS = d.between(20, 180);
    const durationS = d.between(Math.max(120, 3 * settleS), 3600);
    const warmup = { riseBytes: levelBytes * riseShare, durationS: settleS, shape: d.pick(['exp', 'linear', 'steps'] as const) };
    const sawtooth = d.chance(0.4) ? { amplitudeBytes: levelBytes * d.between(0.005, 0.03), periodS: d.between(2, 30) } : undefined;
    return { durationS, intervalS: durationS < 600 ? d.pick([0.1, 1]) : 1, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.002), warmup, sawtooth };
  };
  const out: Scenario[] = [];
  for (let i = 0; i < perKind; i++) out.push({ name: `small-settle-flat-${i}`, label: 'flat', spec: spec(d.between(0.005, 0.025)) });
  for (let i = 0; i < perKind / 2; i++) out.push({ name: `early-rise-plateau-${i}`, label: 'plateau', spec: spec(d.between(0.08, 0.4)) });
  return out;
}

/**
 * Session 12: a level that wanders by 1.5–3% of itself (mean-reverting, time constant 10–60 min,
 * 1–6 h, 100 MB–12 GB): flat by its mechanism (nothing kept), though a stretch at the top of the
 * wander stands two or three of its deviations above an earlier low.
 */
export function wideWanderDraws(count = 12, seed = 12_130): Scenario[] {
  const d = draw(seed);
  return Array.from({ length: count }, (_, i) => {
    const levelBytes = d.logBetween(100 * MB, 12 * 1024 * MB);
    const wander = { sdBytes: levelBytes * d.between(0.015, 0.03), tauS: d.between(10, 60) * 60 };
    return { name: `wide-wander-flat-${i}`, label: 'flat' as const, spec: { durationS: d.between(1, 6) * 3600, intervalS: d.pick([1, 2, 5]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0003, 0.003), wander } };
  });
}

/**
 * Short dense flat traces (session 10: 90–120 s at 10 Hz, no growth), the kind the tuning side
 * saw stay "unknown": a GC sawtooth of 0.5–8% of the level with a period of 1–15 s, allocation
 * noise (up only, 0.3–3% of the level), or both, on 15 MB–1.5 GB.
 */
export function denseFlatDraws(count = 8, seed = 12_100): { name: string; label: GrowthClass; spec: SyntheticSpec }[] {
  const d = draw(seed);
  return Array.from({ length: count }, (_, i) => {
    const spec = denseDraw(d, d.logBetween(15 * MB, 1536 * MB));
    const durationS = spec.durationS;
    const sawtooth = { amplitudeBytes: spec.levelBytes * d.logBetween(0.005, 0.08), periodS: d.logBetween(1, 15) };
    const band = { untilS: durationS + 1, sigmaBytes: spec.levelBytes * d.logBetween(0.003, 0.03), dropBytes: 0 };
    const kind = i % 3;
    return { name: `dense-flat-draw-${i}`, label: 'flat' as const, spec: { ...spec, ...(kind !== 1 ? { sawtooth } : {}), ...(kind !== 0 ? { band } : {}) } };
  });
}

/**
 * Tuning cases for the weaknesses the tuning-side analysis of issue 12 named, written from that
 * description (not from any evaluation trace), drawn at several scales:
 *  - a bounded cache that fills on a ramp and then holds (read as a steady leak for a while);
 *  - staircases whose rounds leave large temporaries that live most of the round;
 *  - plateaus that still creep, more slowly than the leak threshold;
 *  - a fast leak under a large GC sawtooth (the issue's 80 MB/min on 200 MB, 60 MB sawtooth).
 */
export function weaknessCases(seed = 12_012): { name: string; label: GrowthClass; spec: SyntheticSpec }[] {
  const d = draw(seed);
  const out: { name: string; label: GrowthClass; spec: SyntheticSpec }[] = [];
  for (let i = 0; i < 6; i++) {
    const levelBytes = d.logBetween(40 * MB, 3000 * MB);
    const rampS = d.between(60, 600);
    const holdS = rampS * d.between(0.6, 1.5);
    const spec: SyntheticSpec = { durationS: rampS + holdS, intervalS: d.pick([0.1, 1, 1]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), warmup: { riseBytes: levelBytes * d.between(0.3, 1.5), durationS: rampS, shape: 'linear' } };
    if (d.chance(0.5)) spec.sawtooth = { amplitudeBytes: levelBytes * d.between(0.01, 0.05), periodS: d.between(3, 20) };
    out.push({ name: `ramp-then-hold-${i}`, label: 'plateau', spec });
  }
  for (let i = 0; i < 6; i++) {
    const levelBytes = d.logBetween(60 * MB, 2000 * MB);
    const everyS = d.between(3, 60);
    const intervalS = everyS < 10 ? 0.1 : 1;
    const stepBytes = levelBytes * d.between(0.02, 0.1);
    const spec: SyntheticSpec = {
      durationS: everyS * d.between(12, 30), intervalS, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.002),
      steps: { everyS, bytes: stepBytes }, spikes: { everyS, durationS: everyS * d.between(0.4, 0.8), heightBytes: stepBytes * d.between(3, 8) },
    };
    out.push({ name: `steps-big-temporaries-${i}`, label: 'stepwise-leak', spec });
  }
  for (let i = 0; i < 4; i++) {
    const levelBytes = d.logBetween(100 * MB, 2000 * MB);
    const threshold = Math.max(1024, (levelBytes * 0.005) / 3600);
    const warmupS = d.between(300, 900);
    const spec: SyntheticSpec = { durationS: warmupS * d.between(3, 6), intervalS: 1, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.002), warmup: { riseBytes: levelBytes * d.between(0.3, 1), durationS: warmupS, shape: 'exp' }, leak: { bytesPerS: threshold * d.between(0.2, 0.6) } };
    out.push({ name: `creeping-plateau-${i}`, label: 'plateau', spec });
  }
  for (let i = 0; i < 4; i++) {
    const spec: SyntheticSpec = { durationS: d.between(100, 240), intervalS: i % 2 ? 0.1 : 1, levelBytes: 200 * MB, noiseSigmaBytes: 0.5 * MB, leak: { bytesPerS: (80 * MB) / 60 }, sawtooth: { amplitudeBytes: 60 * MB, periodS: d.between(4, 12) } };
    out.push({ name: `fast-leak-big-sawtooth-${i}`, label: 'steady-leak', spec });
  }
  // The issue asks for every kind it lists at several scales: its kinds again at a quarter and
  // four times the size (every byte figure scaled, so the shape relative to the process holds).
  for (const scale of [0.25, 4]) {
    for (const kind of issueKinds()) out.push({ name: `${kind.name}-x${scale}`, label: kind.label, spec: scaled(kind.spec, scale) });
  }
  return out;
}

/**
 * Tuning cases (session 8) drawn from issue 12's text, not from any evaluation trace: each kind
 * it lists, `perKind` times, with its rate, scale, noise, cycle and length drawn around the
 * issue's figures (a factor of 2–4 either way), so that no single parameter set is learnt.
 */
export function issueKindDraws(perKind = 3, seed = 12_080): { name: string; label: GrowthClass; spec: SyntheticSpec }[] {
  const d = draw(seed);
  const out: { name: string; label: GrowthClass; spec: SyntheticSpec }[] = [];
  for (let i = 0; i < perKind; i++) for (const [name, label, make] of ISSUE_KIND_MAKERS) out.push({ name: `drawn-${name}-${i}`, label, spec: make(d) });
  return out;
}

/** 90–120 s at 10 Hz, as the issue's short real traces. */
function denseDraw(d: Draw, levelBytes: number): SyntheticSpec {
  return { durationS: d.between(90, 120), intervalS: 0.1, jitter: d.chance(0.5) ? d.between(0.05, 0.3) : undefined, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.004) };
}

const ISSUE_KIND_MAKERS: readonly [string, GrowthClass, (d: Draw) => SyntheticSpec][] = [
  // A Node array leak of ~80 MB/min under a GC sawtooth.
  ['dense-leak-sawtooth', 'steady-leak', (d) => {
    const spec = denseDraw(d, d.logBetween(60 * MB, 500 * MB));
    const rate = (d.logBetween(30, 200) * MB) / 60;
    return { ...spec, leak: { bytesPerS: rate }, sawtooth: { amplitudeBytes: rate * d.between(3, 10), periodS: d.between(3, 12) } };
  }],
  // A loader that climbs in five steps (~50 MB each) and then holds for ~85 s.
  ['dense-loader-then-hold', 'plateau', (d) => {
    const riseS = d.between(15, 40);
    const spec = denseDraw(d, d.logBetween(30 * MB, 400 * MB));
    return { ...spec, durationS: riseS + d.between(60, 100), warmup: { riseBytes: 5 * d.logBetween(15 * MB, 120 * MB), durationS: riseS, shape: d.pick(['steps', 'steps', 'linear'] as const) } };
  }],
  // A batch job allocating ~240 MB temporaries every ~9 s.
  ['dense-batch-temporaries', 'spiky', (d) => {
    const spec = denseDraw(d, d.logBetween(40 * MB, 400 * MB));
    const everyS = d.between(5, 14);
    return { ...spec, spikes: { everyS, durationS: everyS * d.between(0.15, 0.5), heightBytes: d.logBetween(80 * MB, 600 * MB) } };
  }],
  // A flat worker.
  ['dense-flat-worker', 'flat', (d) => {
    const spec = denseDraw(d, d.logBetween(20 * MB, 300 * MB));
    return d.chance(0.5) ? { ...spec, sawtooth: { amplitudeBytes: spec.levelBytes * d.between(0.01, 0.06), periodS: d.between(1, 10) } } : spec;
  }],
  // ~90 s of a noisy band (~35 s), then a drop to a quieter lower level.
  ['dense-band-then-drop', 'flat', (d) => {
    const spec = denseDraw(d, d.logBetween(30 * MB, 300 * MB));
    return { ...spec, durationS: d.between(80, 110), band: { untilS: d.between(25, 45), sigmaBytes: spec.levelBytes * d.between(0.01, 0.04), dropBytes: spec.levelBytes * d.between(0.03, 0.12) } };
  }],
  // Hours flat at ~600 MB with two sampling gaps (12 and 3 min).
  ['flat-hours-gaps', 'flat', (d) => {
    const levelBytes = d.logBetween(200 * MB, 2000 * MB);
    return { durationS: d.between(2, 6) * 3600, intervalS: d.pick([1, 2, 5]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.004), gaps: { count: 2, fraction: d.between(0.01, 0.05) } };
  }],
  // A slow exponential approach to a plateau over hours (time constant ~45 min).
  ['exp-approach-hours', 'plateau', (d) => {
    const levelBytes = d.logBetween(100 * MB, 2000 * MB);
    const tauS = d.between(20, 75) * 60;
    return { durationS: Math.max(8 * tauS, d.between(3, 6) * 3600), intervalS: d.pick([1, 2, 5]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), warmup: { riseBytes: levelBytes * d.between(0.3, 2), durationS: 7 * tauS, shape: 'exp' } };
  }],
  // Hours that begin mid-warm-up: the trace starts on the rise and holds at the end.
  ['mid-warmup-hours', 'plateau', (d) => {
    const levelBytes = d.logBetween(100 * MB, 2000 * MB);
    const tauS = d.between(5, 25) * 60;
    return { durationS: d.between(1.5, 3) * 3600, intervalS: d.pick([1, 2]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.003), warmup: { riseBytes: levelBytes * d.between(0.3, 1.5), durationS: 7 * tauS, shape: 'exp' } };
  }],
  // A big server (~12 GB) with ~15 MB noise and no real growth.
  ['big-server-flat', 'flat', (d) => {
    const levelBytes = d.logBetween(4 * 1024 * MB, 24 * 1024 * MB);
    return { durationS: d.between(1, 2) * 3600, intervalS: d.pick([1, 2, 5]), levelBytes, noiseSigmaBytes: d.logBetween(5 * MB, 30 * MB) };
  }],
  // An hour of irregular sampling (0.5–4 s, pauses of 8–20 s).
  ['irregular-flat', 'flat', (d) => {
    const levelBytes = d.logBetween(50 * MB, 2000 * MB);
    return { durationS: d.between(0.75, 2) * 3600, intervalS: 1, levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0005, 0.004), irregular: { minS: 0.5, maxS: 4, pauseEveryS: d.between(120, 600), pauseS: d.between(8, 20) } };
  }],
  // Hours of a level that wanders slowly (mean-reverting, sd ~1%, time constant ~20 min).
  ['wander-hours', 'flat', (d) => {
    const levelBytes = d.logBetween(300 * MB, 4000 * MB);
    return { durationS: d.between(2, 6) * 3600, intervalS: d.pick([1, 2, 5]), levelBytes, noiseSigmaBytes: levelBytes * d.logBetween(0.0003, 0.002), wander: { sdBytes: levelBytes * d.between(0.005, 0.015), tauS: d.between(10, 30) * 60 } };
  }],
];

function scaled(spec: SyntheticSpec, k: number): SyntheticSpec {
  const out: SyntheticSpec = { ...spec, levelBytes: spec.levelBytes * k };
  if (spec.noiseSigmaBytes !== undefined) out.noiseSigmaBytes = spec.noiseSigmaBytes * k;
  if (spec.sawtooth) out.sawtooth = { ...spec.sawtooth, amplitudeBytes: spec.sawtooth.amplitudeBytes * k };
  if (spec.leak) out.leak = { ...spec.leak, bytesPerS: spec.leak.bytesPerS * k };
  if (spec.warmup) out.warmup = { ...spec.warmup, riseBytes: spec.warmup.riseBytes * k };
  if (spec.steps) out.steps = { ...spec.steps, bytes: spec.steps.bytes * k };
  if (spec.spikes) out.spikes = { ...spec.spikes, heightBytes: spec.spikes.heightBytes * k };
  if (spec.wander) out.wander = { ...spec.wander, sdBytes: spec.wander.sdBytes * k };
  if (spec.band) out.band = { ...spec.band, sigmaBytes: spec.band.sigmaBytes * k, dropBytes: spec.band.dropBytes * k };
  return out;
}

/** The cases the issue names, fixed rather than drawn. */
export function namedScenarios(): { name: string; label: GrowthClass; spec: SyntheticSpec }[] {
  const slow = (bytesPerS: number): SyntheticSpec => ({ durationS: 3600, intervalS: 1, levelBytes: 500 * MB, noiseSigmaBytes: 2.5 * MB, leak: { bytesPerS } });
  return [
    { name: 'slow-leak-1MBmin-500MB', label: 'steady-leak', spec: slow(MB / 60) },
    { name: 'slow-leak-1MBmin-500MB-sawtooth', label: 'steady-leak', spec: { ...slow(MB / 60), sawtooth: { amplitudeBytes: 10 * MB, periodS: 20 } } },
    { name: 'flat-500MB-noise', label: 'flat', spec: { ...slow(0), leak: undefined } },
    { name: 'mid-leak-start', label: 'steady-leak', spec: { durationS: 1200, intervalS: 1, levelBytes: 2048 * MB, noiseSigmaBytes: 5 * MB, leak: { bytesPerS: 200 * 1024 } } },
    { name: 'leak-after-flat-hour', label: 'steady-leak', spec: { durationS: 7200, intervalS: 2, levelBytes: 300 * MB, noiseSigmaBytes: MB, leak: { bytesPerS: 3 * MB / 60, onsetS: 3600 } } },
    { name: 'gc-sawtooth-flat', label: 'flat', spec: { durationS: 3600, intervalS: 1, levelBytes: 200 * MB, noiseSigmaBytes: 0.2 * MB, sawtooth: { amplitudeBytes: 8 * MB, periodS: 45 } } },
    { name: 'gappy-irregular-leak', label: 'steady-leak', spec: { durationS: 5400, intervalS: 3, jitter: 0.6, levelBytes: 800 * MB, noiseSigmaBytes: 4 * MB, leak: { bytesPerS: 2 * MB / 60 }, gaps: { count: 3, fraction: 0.08 } } },
    { name: 'plateau-after-warmup', label: 'plateau', spec: { durationS: 3600, intervalS: 1, levelBytes: 400 * MB, noiseSigmaBytes: 2 * MB, warmup: { riseBytes: 600 * MB, durationS: 600, shape: 'exp' } } },
    { name: 'spiky-rounds', label: 'spiky', spec: { durationS: 1800, intervalS: 1, levelBytes: 1024 * MB, noiseSigmaBytes: 3 * MB, spikes: { everyS: 60, durationS: 8, heightBytes: 2048 * MB } } },
    { name: 'steps-per-round', label: 'stepwise-leak', spec: { durationS: 3600, intervalS: 1, levelBytes: 600 * MB, noiseSigmaBytes: 1 * MB, steps: { everyS: 180, bytes: 40 * MB }, spikes: { everyS: 180, durationS: 20, heightBytes: 300 * MB } } },
    { name: 'very-short', label: 'unknown', spec: { durationS: 8, intervalS: 1, levelBytes: 100 * MB, noiseSigmaBytes: 0.5 * MB } },
    ...issueKinds(),
  ];
}

/**
 * Tuning cases of each kind the verdicts issue names (its own traces are evaluation data and are
 * not here): short dense traces, a noisy band that drops, long traces with gaps, wander, a large
 * server with small relative growth, irregular sampling.
 */
function issueKinds(): { name: string; label: GrowthClass; spec: SyntheticSpec }[] {
  const dense = (spec: Omit<SyntheticSpec, 'intervalS' | 'durationS'>, durationS = 100): SyntheticSpec => ({ durationS, intervalS: 0.1, ...spec });
  return [
    { name: 'dense-node-leak-sawtooth', label: 'steady-leak', spec: dense({ levelBytes: 120 * MB, noiseSigmaBytes: 0.3 * MB, leak: { bytesPerS: (70 * MB) / 60 }, sawtooth: { amplitudeBytes: 25 * MB, periodS: 6 } }) },
    { name: 'dense-loader-steps-then-hold', label: 'plateau', spec: dense({ levelBytes: 60 * MB, noiseSigmaBytes: 0.2 * MB, warmup: { riseBytes: 200 * MB, durationS: 30, shape: 'steps' } }, 110) },
    { name: 'dense-batch-temporaries', label: 'spiky', spec: dense({ levelBytes: 90 * MB, noiseSigmaBytes: 0.2 * MB, spikes: { everyS: 8, durationS: 2, heightBytes: 200 * MB } }, 110) },
    { name: 'dense-flat-worker', label: 'flat', spec: dense({ levelBytes: 45 * MB, noiseSigmaBytes: 0.05 * MB, sawtooth: { amplitudeBytes: 2 * MB, periodS: 3 } }, 95) },
    { name: 'dense-stepwise', label: 'stepwise-leak', spec: dense({ levelBytes: 70 * MB, noiseSigmaBytes: 0.1 * MB, steps: { everyS: 8, bytes: 12 * MB } }, 110) },
    { name: 'dense-band-then-drop', label: 'flat', spec: dense({ levelBytes: 70 * MB, noiseSigmaBytes: 0.05 * MB, band: { untilS: 30, sigmaBytes: 1.2 * MB, dropBytes: 5 * MB } }, 90) },
    { name: 'flat-3h-gaps', label: 'flat', spec: { durationS: 3 * 3600, intervalS: 1, levelBytes: 700 * MB, noiseSigmaBytes: 1.5 * MB, gaps: { count: 2, fraction: 0.04 } } },
    { name: 'exp-approach-5h', label: 'plateau', spec: { durationS: 5 * 3600, intervalS: 1, levelBytes: 300 * MB, noiseSigmaBytes: 1 * MB, warmup: { riseBytes: 500 * MB, durationS: 5 * 3600, shape: 'exp' } } },
    { name: 'mid-warmup-start', label: 'plateau', spec: { durationS: 5400, intervalS: 1, levelBytes: 200 * MB, noiseSigmaBytes: 1 * MB, warmup: { riseBytes: 300 * MB, durationS: 1800, shape: 'exp' } } },
    { name: 'big-server-slow-leak', label: 'steady-leak', spec: { durationS: 3600, intervalS: 1, levelBytes: 10 * 1024 * MB, noiseSigmaBytes: 12 * MB, leak: { bytesPerS: (4 * MB) / 60 } } },
    { name: 'big-server-flat', label: 'flat', spec: { durationS: 3600, intervalS: 1, levelBytes: 10 * 1024 * MB, noiseSigmaBytes: 12 * MB } },
    { name: 'irregular-flat-1h', label: 'flat', spec: { durationS: 3600, intervalS: 1, levelBytes: 400 * MB, noiseSigmaBytes: 2 * MB, irregular: { minS: 0.5, maxS: 4, pauseEveryS: 300, pauseS: 15 } } },
    { name: 'wander-5h', label: 'flat', spec: { durationS: 5 * 3600, intervalS: 1, levelBytes: 1200 * MB, noiseSigmaBytes: 1 * MB, wander: { sdBytes: 12 * MB, tauS: 1500 } } },
    { name: 'wander-2h-slow', label: 'flat', spec: { durationS: 2 * 3600, intervalS: 2, levelBytes: 600 * MB, noiseSigmaBytes: 0.5 * MB, wander: { sdBytes: 8 * MB, tauS: 900 } } },
  ];
}
