#!/usr/bin/env node
// Tuning-half trace set for the growth classifier, written from a specification (issue 12's
// "What went wrong" list, docs/design classifier-evidence facts, the two memory runbooks) by a
// helper who has not read the classifier. Labels come from the simulated mechanism, never from
// running a classifier. Plain Node ESM, no dependencies, deterministic: the same output on every run.
//
//   node generate.mjs OUT_DIR        writes OUT_DIR/<id>.csv (t_ms,rss_bytes) and OUT_DIR/manifest.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const MIN = 60;
const HOUR = 3600;
// Traces start at a fixed wall-clock time, as real recordings do (epoch milliseconds).
const EPOCH_MS = 1_795_000_000_000;

// ---------- deterministic randomness ----------

function hashSeed(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function makeRandom(seedText) {
  let state = hashSeed(seedText) || 1;
  const uniform = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  const between = (lo, hi) => lo + (hi - lo) * uniform();
  return { uniform, normal, between };
}

// ---------- sampling schedules: sample times in seconds ----------

/** Regular sampling every `dt` s with a little timer jitter, minus any gaps [{ at, len }] (s). */
function regularTimes(rng, durationS, dt, gaps = []) {
  const times = [];
  for (let t = 0; t <= durationS; t += dt) {
    if (gaps.some((g) => t >= g.at && t < g.at + g.len)) continue;
    const jitter = t === 0 ? 0 : rng.between(-0.04, 0.04) * dt;
    times.push(t + jitter);
  }
  return times;
}

/** Irregular sampling: intervals 0.5–4 s, and now and then a pause of 8–20 s. */
function irregularTimes(rng, durationS, pauseChance = 0.01) {
  const times = [];
  for (let t = 0; t <= durationS; ) {
    times.push(t);
    t += rng.uniform() < pauseChance ? rng.between(8, 20) : rng.between(0.5, 4);
  }
  return times;
}

// ---------- memory mechanisms: each returns a stateful function of time (s) → bytes ----------

/** Sample noise: independent jitter of sd `sd` bytes. */
const whiteNoise = (rng, sd) => () => rng.normal() * sd;

/** Mean-reverting wander (Ornstein–Uhlenbeck) with stationary sd `sd` and time constant `tau` s. */
function wander(rng, sd, tau) {
  let x = rng.normal() * sd;
  let last = 0;
  return (t) => {
    const dt = Math.max(t - last, 0);
    last = t;
    const a = Math.exp(-dt / tau);
    x = a * x + Math.sqrt(1 - a * a) * sd * rng.normal();
    return x;
  };
}

/** Node GC sawtooth: the young/old heap fills at a steady rate over `period` s (±30%) and
 *  a collection drops it by `amp` bytes. */
function gcSawtooth(rng, amp, period) {
  let cycleStart = -rng.between(0, period);
  let cycleLen = period;
  return (t) => {
    while (t - cycleStart >= cycleLen) {
      cycleStart += cycleLen;
      cycleLen = period * rng.between(0.7, 1.3);
    }
    return (amp * (t - cycleStart)) / cycleLen;
  };
}

/** Python allocator texture: RSS moves in arena-sized quanta, so round the level to `quantum`. */
const quantize = (bytes, quantum) => Math.round(bytes / quantum) * quantum;

/** Linear growth of `rate` bytes/s from time `start` s. */
const linear = (rate, start = 0) => (t) => Math.max(t - start, 0) * rate;

/** Exponential approach to `rise` bytes above the start with time constant `tau` s, starting at
 *  `t0` s (negative t0: the trace starts mid-warm-up). */
const approach = (rise, tau, t0 = 0) => (t) => (t < t0 ? 0 : rise * (1 - Math.exp(-(t - t0) / tau)));

/** Steps of given sizes at given times (s). */
const steps = (events) => (t) => events.reduce((sum, e) => sum + (t >= e.at ? e.size : 0), 0);

/** Batch temporaries: every `period` s (±jitter) a block of `amp` bytes (±25%) lives `hold` s,
 *  with a short ramp up and down. */
function batchSpikes(rng, amp, period, hold, jitter = 0.15) {
  const events = [];
  let next = rng.between(0.2, 1) * period;
  return (t) => {
    while (next <= t + period) {
      events.push({ at: next, amp: amp * rng.between(0.75, 1.25), hold: hold * rng.between(0.8, 1.2) });
      next += period * rng.between(1 - jitter, 1 + jitter);
    }
    let sum = 0;
    for (const e of events) {
      const into = t - e.at;
      if (into < 0 || into > e.hold + 1) continue;
      const ramp = Math.min(1, into / 0.6, (e.hold + 1 - into) / 0.6);
      sum += e.amp * Math.max(ramp, 0);
    }
    return sum;
  };
}

/** malloc_trim / free-list texture: freed-but-retained memory creeps up by `creep` bytes over
 *  `period` s and a trim (or gc.collect + trim) hands it back to the OS. */
const trimCycle = (creep, period) => (t) => creep * ((t % period) / period);

// ---------- one case ----------

const cases = [];

/**
 * @param spec {id, class, kind, note, runtime, durationS, times(rng) → s[], level(rng) → (t) → bytes,
 *              ambiguous?, classes?, extra fields kept in the manifest}
 */
function add(spec) {
  cases.push(spec);
}

function render(spec) {
  const rng = makeRandom(spec.id);
  const times = spec.times(rng);
  const level = spec.level(rng);
  const quantum = spec.quantum ?? 0;
  const rows = ['t_ms,rss_bytes'];
  let lastMs = -1;
  for (const t of times) {
    const ms = Math.max(Math.round(t * 1000), lastMs + 1);
    lastMs = ms;
    let bytes = level(t);
    if (quantum > 0) bytes = quantize(bytes, quantum);
    rows.push(`${EPOCH_MS + ms},${Math.max(Math.round(bytes), 4 * MB)}`);
  }
  return { csv: rows.join('\n') + '\n', samples: times.length };
}

/** Sum of component functions of time, evaluated in order (stateful components advance once per sample). */
const sum =
  (...parts) =>
  (t) =>
    parts.reduce((acc, part) => acc + part(t), 0);

const hz = (rate) => (rng, d, gaps) => regularTimes(rng, d, 1 / rate, gaps);
const mb = (x) => Math.round(x * MB);

// ===================== the cases =====================

// --- 1. Short, dense real-like traces (90–120 s at 10 Hz): each clear shape must be readable ---
for (const [i, base, rate, saw] of [
  [1, 200, 80, 60],
  [2, 120, 80, 30],
  [3, 600, 120, 90],
  [4, 90, 40, 12],
]) {
  add({
    id: `short-node-array-leak-${i}`,
    class: 'steady-leak',
    kind: 'short-dense: Node array leak under GC sawtooth',
    note: `Node pushes objects into a module-level array at ~${rate} MB/min; V8 scavenges make a ${saw} MB sawtooth of period ~4 s on top.`,
    runtime: 'node',
    durationS: 90 + i * 8,
    times: (rng) => hz(10)(rng, 90 + i * 8),
    level: (rng) => sum(() => mb(base), linear(mb(rate) / 60), gcSawtooth(rng, mb(saw), 4), whiteNoise(rng, mb(0.5))),
  });
}
for (const [i, base, stepMb, nSteps, holdS, rt] of [
  [1, 150, 50, 5, 85, 'python'],
  [2, 60, 50, 5, 85, 'node'],
  [3, 400, 30, 4, 70, 'python'],
]) {
  const every = 6;
  const durationS = nSteps * every + holdS;
  add({
    id: `short-loader-steps-${i}`,
    class: 'plateau',
    kind: 'short-dense: loader climbs in steps then holds',
    note: `A loader reads ${nSteps} shards of ${stepMb} MB, one every ${every} s, keeps them (the working set), then serves from them for ${holdS} s without loading more.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 256 * 1024 : 0,
    times: (rng) => hz(10)(rng, durationS),
    level: (rng) =>
      sum(
        () => mb(base),
        steps(Array.from({ length: nSteps }, (_, k) => ({ at: 2 + k * every, size: mb(stepMb) }))),
        rt === 'node' ? gcSawtooth(rng, mb(6), 3) : () => 0,
        whiteNoise(rng, mb(0.4)),
      ),
  });
}
for (const [i, base, tempMb, period, rt] of [
  [1, 300, 240, 9, 'python'],
  [2, 120, 180, 12, 'python'],
  [3, 500, 400, 15, 'node'],
]) {
  add({
    id: `short-batch-temporaries-${i}`,
    class: 'spiky',
    kind: 'short-dense: batch job with large temporaries',
    note: `A batch loop builds a ${tempMb} MB temporary (numpy/Buffer) every ~${period} s, uses it ~2 s and frees it; the base holds.`,
    runtime: rt,
    durationS: 110,
    quantum: rt === 'python' ? 256 * 1024 : 0,
    times: (rng) => hz(10)(rng, 110),
    level: (rng) => sum(() => mb(base), batchSpikes(rng, mb(tempMb), period, 2), whiteNoise(rng, mb(0.8))),
  });
}
for (const [i, base, rt] of [
  [1, 45, 'node'],
  [2, 80, 'python'],
  [3, 900, 'node'],
]) {
  add({
    id: `short-flat-worker-${i}`,
    class: 'flat',
    kind: 'short-dense: flat worker',
    note: 'A worker handling a steady request stream; every allocation is released per request.',
    runtime: rt,
    durationS: 100,
    quantum: rt === 'python' ? 64 * 1024 : 0,
    times: (rng) => hz(10)(rng, 100),
    level: (rng) =>
      sum(
        () => mb(base),
        rt === 'node' ? gcSawtooth(rng, mb(base * 0.04), 2.5) : () => 0,
        whiteNoise(rng, mb(base * 0.003)),
      ),
  });
}
for (const [i, base, rt] of [
  [1, 50, 'node'],
  [2, 220, 'python'],
]) {
  const durationS = 95;
  const stepMb = base * 0.12;
  add({
    id: `short-stepwise-leak-${i}`,
    class: 'stepwise-leak',
    kind: 'short-dense: stepwise leak that keeps stepping',
    note: `Each job run leaves a ${stepMb.toFixed(0)} MB result set in a global registry every ~10 s; steps continue to the end.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 256 * 1024 : 0,
    times: (rng) => hz(10)(rng, durationS),
    level: (rng) =>
      sum(
        () => mb(base),
        steps(Array.from({ length: 9 }, (_, k) => ({ at: 5 + k * 10 + rng.between(-1, 1), size: mb(stepMb) }))),
        whiteNoise(rng, mb(base * 0.004)),
      ),
  });
}

// --- 2. 90 s of hashing noise: a noisy band, then a quieter lower level (NOT a leak) ---
for (const [i, base, bandMb, durationS] of [
  [1, 70, 2, 90],
  [2, 48, 2, 90],
  [3, 140, 4, 120],
]) {
  add({
    id: `hash-worker-noise-${i}`,
    class: 'flat',
    kind: 'false alarm bait: buffer-hashing noise then quieter',
    note: `A Node worker hashes 64 KiB–${bandMb} MiB buffers per tick for ~35 s (a noisy band), then smaller inputs: a quieter, slightly lower level. No retention.`,
    runtime: 'node',
    durationS,
    times: (rng) => hz(10)(rng, durationS),
    level: (rng) => {
      const busyUntil = 35;
      return (t) => {
        const busy = t < busyUntil;
        const buffers = busy ? rng.between(0.0625, bandMb) * MB * (rng.uniform() < 0.7 ? 1 : 2) : rng.between(0, 0.3) * MB;
        return mb(base) + buffers + (busy ? mb(1.2) : 0) + rng.normal() * mb(0.15);
      };
    },
  });
}

// --- 3. Hours of data (long traces that an expert reads at once) ---
add({
  id: 'long-flat-gaps-4h',
  class: 'flat',
  kind: 'hours: flat with sampling gaps',
  note: 'A service idling at ~600 MB for 4 h, sampled at 1 Hz with two gaps (12 min and 3 min) where the sampler was paused.',
  runtime: 'python',
  durationS: 4 * HOUR,
  quantum: 256 * 1024,
  times: (rng) => hz(1)(rng, 4 * HOUR, [
    { at: 70 * MIN, len: 12 * MIN },
    { at: 170 * MIN, len: 3 * MIN },
  ]),
  level: (rng) => sum(() => mb(600), wander(rng, mb(2), 90), whiteNoise(rng, mb(1))),
});
add({
  id: 'long-flat-gaps-node-3h',
  class: 'flat',
  kind: 'hours: flat with sampling gaps',
  note: 'A Node API server at ~350 MB for 3 h under a GC sawtooth, 1 Hz sampling with gaps of 20 min and 5 min.',
  runtime: 'node',
  durationS: 3 * HOUR,
  times: (rng) => hz(1)(rng, 3 * HOUR, [
    { at: 40 * MIN, len: 20 * MIN },
    { at: 150 * MIN, len: 5 * MIN },
  ]),
  level: (rng) => sum(() => mb(350), gcSawtooth(rng, mb(25), 20), whiteNoise(rng, mb(1))),
});
for (const [i, hours, tauMin, rise, base] of [
  [1, 6, 45, 400, 800],
  [2, 6, 30, 1200, 3000],
  [3, 4, 20, 150, 250],
  [4, 3, 10, 60, 90],
]) {
  add({
    id: `long-slow-approach-${i}`,
    class: 'plateau',
    kind: 'hours: slow exponential approach to a plateau',
    note: `A cache fills towards its bound: +${rise} MB with time constant ${tauMin} min over ${hours} h (the bound is reached well before the end).`,
    runtime: i % 2 ? 'python' : 'node',
    durationS: hours * HOUR,
    quantum: i % 2 ? 1 * MB : 0,
    times: (rng) => hz(1)(rng, hours * HOUR),
    level: (rng) =>
      sum(() => mb(base), approach(mb(rise), tauMin * MIN), i % 2 ? () => 0 : gcSawtooth(rng, mb(base * 0.03), 15), whiteNoise(rng, mb(base * 0.004))),
  });
}
for (const [i, hours, tauMin, rise, base, into] of [
  [1, 2, 25, 500, 700, 20],
  [2, 2, 15, 200, 300, 10],
  [3, 1, 8, 80, 120, 6],
]) {
  add({
    id: `long-mid-warmup-${i}`,
    class: 'plateau',
    kind: 'hours: trace begins mid-warm-up',
    note: `Recording starts ${into} min into a warm-up (+${rise} MB, time constant ${tauMin} min); the level settles and holds for the rest of ${hours} h.`,
    runtime: i === 2 ? 'node' : 'python',
    durationS: hours * HOUR,
    times: (rng) => hz(1)(rng, hours * HOUR),
    level: (rng) => sum(() => mb(base), approach(mb(rise), tauMin * MIN, -into * MIN), whiteNoise(rng, mb(base * 0.005))),
  });
}
for (const [i, baseGb, noiseMb, hours] of [
  [1, 12, 15, 1],
  [2, 8, 10, 2],
  [3, 12, 25, 1],
]) {
  add({
    id: `long-big-model-server-${i}`,
    class: 'flat',
    kind: 'hours: large model server with big jitter',
    note: `A ${baseGb} GB model server (weights loaded before the recording) serving requests: ±${noiseMb} MB of per-request buffers, no retention.`,
    runtime: 'python',
    durationS: hours * HOUR,
    quantum: 2 * MB,
    times: (rng) => hz(1)(rng, hours * HOUR),
    level: (rng) => sum(() => baseGb * GB, whiteNoise(rng, mb(noiseMb)), wander(rng, mb(noiseMb * 0.4), 120)),
  });
}
for (const [i, cls, base] of [
  [1, 'flat', 400],
  [2, 'steady-leak', 400],
  [3, 'plateau', 250],
  [4, 'flat', 1500],
]) {
  const durationS = 1 * HOUR;
  const levelFor = (rng) => {
    if (cls === 'steady-leak') return sum(() => mb(base), linear(mb(2) / 60), whiteNoise(rng, mb(2)));
    if (cls === 'plateau') return sum(() => mb(base), approach(mb(150), 6 * MIN), whiteNoise(rng, mb(1.5)));
    return sum(() => mb(base), wander(rng, mb(base * 0.004), 60), whiteNoise(rng, mb(base * 0.002)));
  };
  add({
    id: `long-irregular-${i}`,
    class: cls,
    kind: 'hours: irregular sampling 0.5–4 s with pauses',
    note: {
      flat: 'An idle-ish service sampled by an irregular poller (0.5–4 s, pauses of 8–20 s).',
      'steady-leak': 'A service appending to an unbounded list at 2 MB/min, sampled irregularly (0.5–4 s, pauses of 8–20 s).',
      plateau: 'A cache warming up (+150 MB, time constant 6 min) then full, sampled irregularly (0.5–4 s, pauses of 8–20 s).',
    }[cls],
    runtime: i % 2 ? 'python' : 'node',
    durationS,
    times: (rng) => irregularTimes(rng, durationS, 0.015),
    level: levelFor,
  });
}

// --- 4. Mean-reverting wander: NOT a leak ---
for (const [i, baseMb, sdMb, tauMin, hours] of [
  [1, 1500, 15, 20, 6],
  [2, 600, 8, 5, 3],
  [3, 250, 4, 2, 2],
  [4, 3000, 40, 30, 6],
  [5, 1500, 15, 10, 4],
  [6, 120, 3, 1, 1],
  [7, 800, 12, 15, 5],
]) {
  add({
    id: `wander-${i}`,
    class: 'flat',
    kind: 'wander: mean-reverting (OU), not a leak',
    note: `A ${baseMb} MB process whose caches grow and shrink with load: mean-reverting wander, sd ${sdMb} MB, time constant ${tauMin} min, over ${hours} h (${Math.round((hours * 60) / (2 * tauMin))} independent pieces).`,
    runtime: i % 2 ? 'python' : 'node',
    durationS: hours * HOUR,
    times: (rng) => hz(1)(rng, hours * HOUR),
    level: (rng) => sum(() => mb(baseMb), wander(rng, mb(sdMb), tauMin * MIN), whiteNoise(rng, mb(sdMb * 0.1))),
  });
}
// Wander whose time constant is comparable to the trace: the trace cannot show it is bounded.
for (const [i, baseMb, sdMb, tauMin, hours] of [
  [1, 1000, 20, 60, 1],
  [2, 500, 10, 90, 2],
]) {
  add({
    id: `wander-long-tau-${i}`,
    class: 'flat',
    ambiguous: true,
    classes: ['flat', 'steady-leak', 'plateau'],
    kind: 'wander: time constant comparable to the trace',
    note: `Mean-reverting wander (sd ${sdMb} MB, time constant ${tauMin} min) observed for only ${hours} h: the mechanism is bounded, but one stretch of it can look like a trend or a rise.`,
    runtime: 'python',
    durationS: hours * HOUR,
    times: (rng) => hz(1)(rng, hours * HOUR),
    level: (rng) => sum(() => mb(baseMb), wander(rng, mb(sdMb), tauMin * MIN), whiteNoise(rng, mb(1))),
  });
}

// --- 5. Slow leaks hidden in large noise: material leaks (see README for the materiality rule) ---
for (const [i, baseMb, rateMbMin, noise, hours, tex] of [
  [1, 500, 1, 5, 1, 'white'],
  [2, 1500, 0.5, 15, 6, 'wander20'],
  [3, 200, 0.3, 3, 3, 'white'],
  [4, 4000, 3, 30, 4, 'wander10'],
  [5, 800, 0.8, 10, 2, 'saw'],
  [6, 50, 0.1, 0.8, 2, 'white'],
  [7, 12 * 1024, 8, 15, 1, 'white'],
  [8, 300, 0.25, 2, 6, 'wander5'],
]) {
  const durationS = hours * HOUR;
  add({
    id: `slow-leak-in-noise-${i}`,
    class: 'steady-leak',
    kind: 'slow leak hidden in large noise',
    note: `A ${baseMb} MB process retaining ${rateMbMin} MB/min (a per-request cache entry never evicted) under ${tex} noise of ~${noise} MB for ${hours} h: ${Math.round(rateMbMin * 60 * hours)} MB over the trace, ${((rateMbMin * 1440) / baseMb * 100).toFixed(0)}% of its level per day.`,
    runtime: tex === 'saw' ? 'node' : 'python',
    durationS,
    times: (rng) => hz(1)(rng, durationS),
    level: (rng) => {
      const texture =
        tex === 'white'
          ? whiteNoise(rng, mb(noise))
          : tex === 'saw'
            ? gcSawtooth(rng, mb(noise * 3), 30)
            : wander(rng, mb(noise), Number(tex.slice(6)) * MIN);
      return sum(() => mb(baseMb), linear(mb(rateMbMin) / 60), texture, whiteNoise(rng, mb(noise * 0.2)));
    },
  });
}
// Too slow to be shown by the trace: growth over the span is well inside the noise.
add({
  id: 'slow-leak-below-noise-1',
  class: 'steady-leak',
  ambiguous: true,
  classes: ['steady-leak', 'flat'],
  kind: 'slow leak hidden in large noise',
  note: 'A 1 GB process retaining 0.05 MB/min under 12 MB wander (time constant 15 min) for 1 h: 3 MB of growth, invisible under the noise though the mechanism leaks.',
  runtime: 'python',
  durationS: HOUR,
  times: (rng) => hz(1)(rng, HOUR),
  level: (rng) => sum(() => mb(1024), linear(mb(0.05) / 60), wander(rng, mb(12), 15 * MIN)),
});

// --- 6. Exponential approaches to a plateau at various time constants relative to the length ---
for (const [i, durMin, ratio, rise, base, hzRate] of [
  [1, 10, 0.05, 100, 200, 10],
  [2, 30, 0.1, 300, 500, 1],
  [3, 60, 0.15, 80, 150, 1],
  [4, 120, 0.2, 600, 1200, 1],
  [5, 20, 0.25, 40, 60, 10],
  [6, 240, 0.12, 2000, 6000, 1],
]) {
  const durationS = durMin * MIN;
  add({
    id: `approach-${i}`,
    class: 'plateau',
    kind: 'exponential approach to a plateau',
    note: `A memoising cache with a size bound fills: +${rise} MB, time constant ${(ratio * durMin).toFixed(1)} min (${ratio} of the ${durMin} min trace).`,
    runtime: i % 2 ? 'node' : 'python',
    durationS,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) =>
      sum(() => mb(base), approach(mb(rise), ratio * durationS), i % 2 ? gcSawtooth(rng, mb(base * 0.03), 8) : () => 0, whiteNoise(rng, mb(base * 0.004))),
  });
}
for (const [i, durMin, ratio, rise, base] of [
  [1, 60, 0.4, 300, 400],
  [2, 120, 0.6, 500, 1000],
]) {
  const durationS = durMin * MIN;
  add({
    id: `approach-unfinished-${i}`,
    class: 'plateau',
    ambiguous: true,
    classes: ['plateau', 'steady-leak'],
    kind: 'exponential approach to a plateau',
    note: `A bounded cache filling with time constant ${ratio} of the trace (${(ratio * durMin).toFixed(0)} min): the bound exists but the trace ends while it is still clearly rising.`,
    runtime: 'python',
    durationS,
    times: (rng) => hz(1)(rng, durationS),
    level: (rng) => sum(() => mb(base), approach(mb(rise), ratio * durationS), whiteNoise(rng, mb(base * 0.003))),
  });
}

// --- 7. Plateaus reached after warm-up (linear ramp, then hold), with drops after gc ---
for (const [i, base, rise, rampMin, durMin, rt, hzRate] of [
  [1, 80, 120, 3, 15, 'node', 10],
  [2, 400, 800, 10, 60, 'python', 1],
  [3, 2000, 3000, 20, 120, 'python', 1],
  [4, 150, 60, 1, 5, 'node', 10],
  [5, 60, 90, 5, 30, 'python', 1],
]) {
  const durationS = durMin * MIN;
  add({
    id: `warmup-plateau-${i}`,
    class: 'plateau',
    kind: 'plateau reached after warm-up',
    note: `Start-up loads ${rise} MB (imports, model, JIT) over ~${rampMin} min, then the process serves from a fixed working set for the rest of ${durMin} min.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 512 * 1024 : 0,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) => {
      const ramp = (t) => mb(rise) * Math.min(1, t / (rampMin * MIN)) ** 0.8;
      return sum(() => mb(base), ramp, rt === 'node' ? gcSawtooth(rng, mb((base + rise) * 0.05), 5) : () => 0, whiteNoise(rng, mb(base * 0.003)));
    },
  });
}
for (const [i, base, rise, dropMb, durMin] of [
  [1, 300, 400, 120, 40],
  [2, 900, 600, 250, 90],
  [3, 100, 150, 40, 20],
]) {
  const durationS = durMin * MIN;
  add({
    id: `warmup-then-gc-drop-${i}`,
    class: 'plateau',
    kind: 'drop after gc',
    note: `Warm-up builds ${rise} MB incl. ${dropMb} MB of start-up garbage; a gc.collect()+malloc_trim at ~${Math.round(durMin * 0.35)} min drops it and the level holds at the new plateau.`,
    runtime: 'python',
    durationS,
    quantum: 512 * 1024,
    times: (rng) => hz(1)(rng, durationS),
    level: (rng) =>
      sum(() => mb(base), approach(mb(rise), durationS * 0.06), steps([{ at: durationS * 0.35, size: -mb(dropMb) }]), whiteNoise(rng, mb(base * 0.004))),
  });
}
for (const [i, base, creep, periodMin, durMin] of [
  [1, 500, 60, 10, 120],
  [2, 200, 25, 5, 60],
  [3, 1200, 150, 15, 240],
]) {
  const durationS = durMin * MIN;
  add({
    id: `malloc-trim-cycle-${i}`,
    class: 'flat',
    kind: 'drop after gc: malloc_trim cycles',
    note: `A Python service whose freed objects stay in the allocator's free lists (${creep} MB creep per ${periodMin} min); a periodic gc.collect()+malloc_trim(0) hands them back. Bounded: ${Math.round(durMin / periodMin)} cycles.`,
    runtime: 'python',
    durationS,
    quantum: 256 * 1024,
    times: (rng) => hz(1)(rng, durationS),
    level: (rng) => sum(() => mb(base), trimCycle(mb(creep), periodMin * MIN), whiteNoise(rng, mb(base * 0.003))),
  });
}
for (const [i, base, fragMb, durMin] of [
  [1, 300, 80, 30],
  [2, 700, 200, 90],
]) {
  const durationS = durMin * MIN;
  add({
    id: `arena-fragmentation-${i}`,
    class: 'spiky',
    kind: 'spiky with arena fragmentation',
    note: `Batch temporaries every ~60 s; the first ones leave ${fragMb} MB of fragmented arenas that later batches reuse, so the floor rises once early and then holds.`,
    runtime: 'python',
    durationS,
    quantum: 1 * MB,
    times: (rng) => hz(1)(rng, durationS),
    level: (rng) =>
      sum(() => mb(base), approach(mb(fragMb), 90), batchSpikes(rng, mb(base * 0.8), 60, 8), whiteNoise(rng, mb(base * 0.004))),
  });
}

// --- 8. Stepwise leaks, regular and irregular ---
for (const [i, base, stepMb, everyS, durMin, rt, irregular, hzRate] of [
  [1, 200, 20, 60, 30, 'python', false, 1],
  [2, 500, 50, 300, 120, 'node', false, 1],
  [3, 100, 8, 20, 10, 'python', true, 10],
  [4, 1500, 120, 600, 240, 'python', true, 1],
  [5, 60, 5, 15, 5, 'node', true, 10],
  [6, 3000, 200, 900, 360, 'python', false, 1],
  [7, 350, 30, 120, 60, 'node', true, 1],
  [8, 800, 64, 45, 40, 'python', true, 1],
]) {
  const durationS = durMin * MIN;
  add({
    id: `stepwise-leak-${i}`,
    class: 'stepwise-leak',
    kind: irregular ? 'stepwise leak, irregular steps' : 'stepwise leak, regular steps',
    note: `${irregular ? 'At irregular moments (Poisson, mean' : 'Every'} ${everyS} s${irregular ? ')' : ''} a job leaves ~${stepMb} MB in a global registry (handlers/result sets never released); steps continue to the end of ${durMin} min.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 512 * 1024 : 0,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) => {
      const events = [];
      for (let at = everyS * rng.between(0.3, 1); at < durationS; ) {
        events.push({ at, size: mb(stepMb) * (irregular ? rng.between(0.5, 1.6) : 1) });
        at += irregular ? -Math.log(Math.max(rng.uniform(), 1e-6)) * everyS : everyS;
      }
      return sum(() => mb(base), steps(events), rt === 'node' ? gcSawtooth(rng, mb(stepMb * 0.4), 10) : () => 0, whiteNoise(rng, mb(base * 0.003)));
    },
  });
}
// Stepwise with the steps so frequent they blur into a line: the mechanism steps, the trace ramps.
add({
  id: 'stepwise-leak-dense-1',
  class: 'stepwise-leak',
  ambiguous: true,
  classes: ['stepwise-leak', 'steady-leak'],
  kind: 'stepwise leak, steps blur into a ramp',
  note: 'Every 3 s a request leaves 1 MB in a session map; sampled at 1 Hz under 2 MB noise, the steps read as a steady line.',
  runtime: 'python',
  durationS: 30 * MIN,
  times: (rng) => hz(1)(rng, 30 * MIN),
  level: (rng) => sum(() => mb(300), (t) => Math.floor(t / 3) * MB, whiteNoise(rng, mb(2))),
});

// --- 9. Steady leaks at several scales and textures (incl. live-vs-file lengths) ---
for (const [i, base, rateMbMin, durationS, tex, hzRate] of [
  [1, 150, 60, 44, 'saw', 10],
  [2, 200, 250, 60, 'saw', 10],
  [3, 80, 30, 180, 'py', 10],
  [4, 2000, 20, 30 * MIN, 'py', 1],
  [5, 400, 5, 2 * HOUR, 'saw', 1],
  [6, 50, 2, 20 * MIN, 'py', 1],
  [7, 6000, 50, HOUR, 'saw', 1],
  [8, 300, 60, 120, 'py', 10],
  [9, 120, 10, 10 * MIN, 'trim', 1],
]) {
  add({
    id: `steady-leak-${i}`,
    class: 'steady-leak',
    kind: durationS <= 60 ? 'live vs file: early part of a fast leak' : 'steady leak at scale',
    note: `A ${base} MB ${tex === 'saw' ? 'Node' : 'Python'} process appending to an unbounded structure at ${rateMbMin} MB/min for ${durationS} s${tex === 'saw' ? ' under a GC sawtooth' : tex === 'trim' ? ' with periodic gc/malloc_trim drops that free only the garbage, not the leak' : ''}.`,
    runtime: tex === 'saw' ? 'node' : 'python',
    durationS,
    quantum: tex === 'saw' ? 0 : 256 * 1024,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) => {
      const texture =
        tex === 'saw'
          ? gcSawtooth(rng, mb(Math.max(base * 0.15, rateMbMin * 0.1)), Math.min(8, durationS / 10))
          : tex === 'trim'
            ? trimCycle(mb(base * 0.15), 90)
            : whiteNoise(rng, mb(base * 0.004));
      return sum(() => mb(base), linear(mb(rateMbMin) / 60), texture, whiteNoise(rng, mb(base * 0.002)));
    },
  });
}
// The bench's two timing cases, written to their stated parameters.
add({
  id: 'timing-1mb-per-min-500mb',
  class: 'steady-leak',
  kind: 'timing case: 1 MB/min on 500 MB ±5 MB at 1 Hz',
  note: 'A 500 MB process leaking 1 MB/min under ±5 MB independent noise, 1 Hz, 30 min.',
  runtime: 'python',
  durationS: 30 * MIN,
  times: (rng) => hz(1)(rng, 30 * MIN),
  level: (rng) => sum(() => mb(500), linear(mb(1) / 60), whiteNoise(rng, mb(5))),
});
add({
  id: 'timing-80mb-per-min-sawtooth',
  class: 'steady-leak',
  kind: 'timing case: 80 MB/min on 200 MB under a 60 MB GC sawtooth',
  note: 'Node leaking 80 MB/min from 200 MB under a 60 MB sawtooth (period ~5 s), 10 Hz, 120 s.',
  runtime: 'node',
  durationS: 120,
  times: (rng) => hz(10)(rng, 120),
  level: (rng) => sum(() => mb(200), linear(mb(80) / 60), gcSawtooth(rng, mb(60), 5), whiteNoise(rng, mb(0.5))),
});

// --- 10. Spiky batch jobs at several scales ---
for (const [i, base, tempMb, periodS, holdS, durMin, hzRate, rt] of [
  [1, 400, 240, 9, 2, 10, 10, 'python'],
  [2, 1000, 2000, 120, 20, 60, 1, 'python'],
  [3, 60, 90, 30, 5, 15, 1, 'node'],
  [4, 3000, 1500, 300, 40, 240, 1, 'python'],
  [5, 200, 150, 20, 3, 30, 1, 'node'],
  [6, 8 * 1024, 4000, 600, 60, 360, 1, 'python'],
]) {
  const durationS = durMin * MIN;
  add({
    id: `spiky-batch-${i}`,
    class: 'spiky',
    kind: 'spiky batch job with large temporaries',
    note: `Every ~${periodS} s a batch builds ${tempMb} MB of temporaries for ~${holdS} s (a DataFrame join / Buffer concat) and frees them; the ${base} MB base holds.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 1 * MB : 0,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) =>
      sum(() => mb(base), batchSpikes(rng, mb(tempMb), periodS, holdS), rt === 'node' ? gcSawtooth(rng, mb(base * 0.04), 6) : () => 0, whiteNoise(rng, mb(base * 0.003))),
  });
}
add({
  id: 'spiky-batch-irregular-1',
  class: 'spiky',
  kind: 'spiky batch job with large temporaries',
  note: 'A job queue consumer: 300 MB temporaries at irregular moments (period 40 s ±60%), irregular 0.5–4 s sampling.',
  runtime: 'python',
  durationS: 45 * MIN,
  times: (rng) => irregularTimes(rng, 45 * MIN, 0.01),
  level: (rng) => sum(() => mb(350), batchSpikes(rng, mb(300), 40, 10, 0.6), whiteNoise(rng, mb(1.5))),
});
// A spiky batch job that ALSO leaks a little each batch: by mechanism a leak.
add({
  id: 'spiky-with-leak-1',
  class: 'stepwise-leak',
  ambiguous: true,
  classes: ['stepwise-leak', 'steady-leak', 'spiky'],
  kind: 'spiky batch job that also retains',
  note: 'Every ~60 s a batch builds 400 MB of temporaries and keeps 6 MB of each result in a global list: spikes on a floor that climbs in small steps for 1 h.',
  runtime: 'python',
  durationS: HOUR,
  quantum: 1 * MB,
  times: (rng) => hz(1)(rng, HOUR),
  level: (rng) => sum(() => mb(500), batchSpikes(rng, mb(400), 60, 10, 0.1), (t) => Math.floor(t / 60) * mb(6), whiteNoise(rng, mb(1.5))),
});

// --- 11. Flat at several scales, rates, noise and sampling (incl. Python steps, irregular) ---
for (const [i, base, durationS, hzRate, rt, tex] of [
  [1, 50, 10 * MIN, 1, 'python', 'steps'],
  [2, 300, 30 * MIN, 10, 'node', 'saw'],
  [3, 2000, 2 * HOUR, 1, 'python', 'steps'],
  [4, 12 * 1024, 6 * HOUR, 1, 'python', 'white'],
  [5, 150, 5 * MIN, 10, 'node', 'saw'],
  [6, 700, 90 * MIN, 1, 'node', 'saw'],
  [7, 90, 45 * MIN, 1, 'python', 'steps'],
]) {
  add({
    id: `flat-${i}`,
    class: 'flat',
    kind: 'flat at scale',
    note: `A ${base} MB ${rt} process with a steady workload, no retention (${tex === 'steps' ? 'allocator arenas come and go in quanta' : tex === 'saw' ? 'GC sawtooth' : 'per-request jitter'}).`,
    runtime: rt,
    durationS,
    quantum: tex === 'steps' ? 1 * MB : 0,
    times: (rng) => hz(hzRate)(rng, durationS),
    level: (rng) => {
      if (tex === 'saw') return sum(() => mb(base), gcSawtooth(rng, mb(base * 0.06), 6), whiteNoise(rng, mb(base * 0.002)));
      if (tex === 'steps') {
        // Arenas: the level flips between a few nearby quanta as allocation bursts come and go.
        let extra = 0;
        return (t) => {
          if (rng.uniform() < 0.01) extra = Math.floor(rng.between(0, 4)) * MB;
          return mb(base) + extra + rng.normal() * mb(base * 0.001) + 0 * t;
        };
      }
      return sum(() => mb(base), whiteNoise(rng, mb(15)), wander(rng, mb(6), 300));
    },
  });
}

// --- 12. More of each shape under the other textures and samplings (gaps, irregular, 10 Hz, 12 GB) ---
const gapsFor = (durationS) => [
  { at: durationS * 0.3, len: Math.min(12 * MIN, durationS * 0.08) },
  { at: durationS * 0.7, len: Math.min(3 * MIN, durationS * 0.03) },
];
const schedules = {
  '10 Hz': (rng, d) => hz(10)(rng, d),
  '1 Hz': (rng, d) => hz(1)(rng, d),
  '1 Hz with gaps': (rng, d) => hz(1)(rng, d, gapsFor(d)),
  irregular: (rng, d) => irregularTimes(rng, d, 0.01),
};
for (const [i, base, tempMb, periodS, holdS, durationS, sampling, rt] of [
  [1, 90, 120, 6, 1.5, 120, '10 Hz', 'node'],
  [2, 250, 300, 10, 2, 100, '10 Hz', 'node'],
  [3, 600, 500, 90, 12, 2 * HOUR, '1 Hz with gaps', 'python'],
  [4, 12 * 1024, 3000, 240, 30, 3 * HOUR, '1 Hz', 'python'],
  [5, 180, 200, 25, 4, 40 * MIN, 'irregular', 'python'],
  [6, 120, 160, 8, 1.5, 10 * MIN, '10 Hz', 'python'],
  [7, 400, 350, 15, 2, 20 * MIN, '1 Hz', 'node'],
]) {
  add({
    id: `spiky-more-${i}`,
    class: 'spiky',
    kind: 'spiky batch job with large temporaries',
    note: `Every ~${periodS} s a ${tempMb} MB temporary lives ~${holdS} s (${rt === 'node' ? 'Buffer.concat of a response' : 'a numpy intermediate'}); the ${base} MB base holds. Sampling: ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 1 * MB : 0,
    times: (rng) => schedules[sampling](rng, durationS),
    level: (rng) =>
      sum(() => mb(base), batchSpikes(rng, mb(tempMb), periodS, holdS), rt === 'node' ? gcSawtooth(rng, mb(base * 0.04), 4) : () => 0, whiteNoise(rng, mb(base * 0.003))),
  });
}
for (const [i, base, stepMb, everyS, durationS, sampling, rt] of [
  [1, 12 * 1024, 400, 600, 4 * HOUR, '1 Hz', 'python'],
  [2, 700, 40, 150, 2 * HOUR, '1 Hz with gaps', 'python'],
  [3, 250, 15, 90, HOUR, 'irregular', 'node'],
  [4, 120, 10, 15, 3 * MIN, '10 Hz', 'node'],
  [5, 50, 4, 1200, 6 * HOUR, '1 Hz', 'python'],
]) {
  add({
    id: `stepwise-more-${i}`,
    class: 'stepwise-leak',
    kind: 'stepwise leak, irregular steps',
    note: `About every ${everyS} s (Poisson) a reload keeps the previous ${stepMb} MB generation alive (an old config/model still referenced); ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 512 * 1024 : 0,
    times: (rng) => schedules[sampling](rng, durationS),
    level: (rng) => {
      const events = [];
      for (let at = everyS * rng.between(0.2, 0.8); at < durationS; at += everyS * rng.between(0.5, 1.5)) events.push({ at, size: mb(stepMb) * rng.between(0.7, 1.3) });
      return sum(() => mb(base), steps(events), rt === 'node' ? gcSawtooth(rng, mb(stepMb * 0.3), 8) : () => 0, whiteNoise(rng, mb(base * 0.003)));
    },
  });
}
for (const [i, base, rateMbMin, durationS, sampling, variant] of [
  [1, 900, 3, 3 * HOUR, '1 Hz with gaps', 'plain'],
  [2, 300, 20, 20 * MIN, '1 Hz', 'major-gc'],
  [3, 1200, 6, 2 * HOUR, '1 Hz', 'late-start'],
  [4, 70, 15, 150, '10 Hz', 'major-gc'],
  [5, 12 * 1024, 40, 2 * HOUR, 'irregular', 'plain'],
]) {
  add({
    id: `steady-more-${i}`,
    class: 'steady-leak',
    kind: variant === 'major-gc' ? 'drop after gc: leak under major GC drops' : variant === 'late-start' ? 'steady leak that starts after a flat stretch' : 'steady leak at scale',
    note: {
      plain: `Retains ${rateMbMin} MB/min (an unbounded in-memory log) on a ${base} MB process; ${sampling}.`,
      'major-gc': `Node retains ${rateMbMin} MB/min in a listener list; garbage builds up and a major GC drops it every ~30 s, but each floor is higher than the last.`,
      'late-start': `Flat for the first quarter, then a new code path starts caching every request at ${rateMbMin} MB/min until the end.`,
    }[variant],
    runtime: variant === 'major-gc' ? 'node' : 'python',
    durationS,
    times: (rng) => schedules[sampling](rng, durationS),
    level: (rng) => {
      const texture = variant === 'major-gc' ? gcSawtooth(rng, mb(Math.max(base * 0.2, rateMbMin)), Math.min(30, durationS / 8)) : whiteNoise(rng, mb(base * 0.004));
      return sum(() => mb(base), linear(mb(rateMbMin) / 60, variant === 'late-start' ? durationS / 4 : 0), texture, whiteNoise(rng, mb(base * 0.002)));
    },
  });
}
for (const [i, base, rise, tauS, durationS, sampling, rt] of [
  [1, 500, 300, 10 * MIN, 3 * HOUR, '1 Hz with gaps', 'python'],
  [2, 2 * 1024, 9 * 1024, 4 * MIN, HOUR, '1 Hz', 'python'],
  [3, 100, 70, 15, 110, '10 Hz', 'python'],
  [4, 300, 200, 5 * MIN, 90 * MIN, 'irregular', 'node'],
]) {
  add({
    id: `plateau-more-${i}`,
    class: 'plateau',
    kind: i === 2 ? 'plateau reached after warm-up' : 'exponential approach to a plateau',
    note: i === 2
      ? 'A model server mmaps and touches 9 GB of weights (time constant 4 min) to reach ~11 GB, then serves with a fixed working set.'
      : `A bounded cache (LRU) fills by +${rise} MB with time constant ${tauS} s, then evicts as fast as it adds; ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 1 * MB : 0,
    times: (rng) => schedules[sampling](rng, durationS),
    level: (rng) =>
      sum(() => mb(base), approach(mb(rise), tauS), rt === 'node' ? gcSawtooth(rng, mb(base * 0.05), 10) : () => 0, whiteNoise(rng, mb(base * 0.003))),
  });
}
for (const [i, base, durationS, sampling, rt] of [
  [1, 65, 95, '10 Hz', 'python'],
  [2, 450, 2 * HOUR, 'irregular', 'node'],
  [3, 5 * 1024, 5 * HOUR, '1 Hz with gaps', 'python'],
]) {
  add({
    id: `flat-more-${i}`,
    class: 'flat',
    kind: 'flat at scale',
    note: `A ${base} MB ${rt} process with a steady workload and nothing retained; ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: rt === 'python' ? 256 * 1024 : 0,
    times: (rng) => schedules[sampling](rng, durationS),
    level: (rng) =>
      sum(() => mb(base), rt === 'node' ? gcSawtooth(rng, mb(base * 0.05), 5) : wander(rng, mb(base * 0.003), 60), whiteNoise(rng, mb(base * 0.002))),
  });
}
add({
  id: 'short-all-warmup-1',
  class: 'plateau',
  ambiguous: true,
  classes: ['plateau', 'steady-leak'],
  kind: 'short-dense: trace ends during warm-up',
  note: 'A 90 s recording made entirely during start-up (+150 MB, time constant 60 s): the bound exists but the trace ends while still rising.',
  runtime: 'node',
  durationS: 90,
  times: (rng) => hz(10)(rng, 90),
  level: (rng) => sum(() => mb(80), approach(mb(150), 60), gcSawtooth(rng, mb(8), 3), whiteNoise(rng, mb(0.4))),
});
add({
  id: 'short-single-batch-1',
  class: 'spiky',
  ambiguous: true,
  classes: ['spiky', 'flat'],
  kind: 'short-dense: one batch in the trace',
  note: 'A worker that runs one 200 MB batch in its 100 s recording (at ~40 s, for 6 s); one spike cannot show a rhythm.',
  runtime: 'python',
  durationS: 100,
  quantum: 256 * 1024,
  times: (rng) => hz(10)(rng, 100),
  level: (rng) => sum(() => mb(150), (t) => (t >= 40 && t < 46 ? mb(200) : 0), whiteNoise(rng, mb(0.5))),
});

// ===================== write =====================

function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node generate.mjs OUT_DIR');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const ids = new Set();
  const entries = [];
  let bytes = 0;
  for (const spec of cases) {
    if (ids.has(spec.id)) throw new Error(`duplicate case id ${spec.id}`);
    ids.add(spec.id);
    const { csv, samples } = render(spec);
    const file = `${spec.id}.csv`;
    writeFileSync(join(outDir, file), csv);
    bytes += csv.length;
    const entry = {
      file,
      class: spec.class,
      half: 'tune',
      kind: spec.kind,
      note: spec.note,
      runtime: spec.runtime,
      duration_s: spec.durationS,
      samples,
    };
    if (spec.ambiguous) Object.assign(entry, { ambiguous: true, classes: spec.classes });
    entries.push(entry);
  }
  const manifest = {
    format: 1,
    set: 'tune-spec',
    half: 'tune',
    description: 'Synthetic traces written from a specification (issue 12) without reading the classifier; labels by mechanism. See README.md.',
    cases: entries,
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${entries.length} traces (${(bytes / MB).toFixed(1)} MB) and manifest.json to ${outDir}`);
}

main();
