#!/usr/bin/env node
// Second tuning-half trace set for the growth classifier (issue 12), written from the
// specification only (issue 12, shared/design/classifier-evidence.md, the two memory runbooks,
// tune-spec's README/generator for the format) by a helper who has not read the classifier.
// Labels come from the simulated mechanism, decided when each case was written; no classifier
// was run. Weighted towards shapes that are hard to tell apart. Plain Node ESM, no dependencies,
// deterministic (each case seeded by a hash of its id): byte-identical on every run.
//
//   node generate.mjs OUT_DIR        writes OUT_DIR/<id>.csv (t_ms,rss_bytes) and OUT_DIR/manifest.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;
const MIN = 60;
const HOUR = 3600;
// A different wall-clock start from tune-spec's, as separate recordings would have.
const EPOCH_MS = 1_796_400_000_000;

// ---------- deterministic randomness (own helpers: xmur3-style hash + sfc32) ----------

function hashId(text) {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

function makeRandom(id) {
  const seed = hashId(`tune-spec2/${id}`);
  let [a, b, c, d] = [seed(), seed(), seed(), seed()];
  const uniform = () => {
    // sfc32
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) uniform();
  const normal = () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  const between = (lo, hi) => lo + (hi - lo) * uniform();
  /** Exponential waiting time with the given mean. */
  const wait = (mean) => -Math.log(Math.max(uniform(), 1e-12)) * mean;
  return { uniform, normal, between, wait };
}

// ---------- sampling schedules: sample times in seconds ----------

/** Regular sampling at `rate` Hz with timer jitter of ±`jitter` of the interval, minus gaps [{at, len}]. */
function regular(rng, durationS, rate, { gaps = [], jitter = 0.05 } = {}) {
  const dt = 1 / rate;
  const times = [];
  const n = Math.round(durationS * rate);
  for (let k = 0; k <= n; k++) {
    const t = k * dt;
    if (gaps.some((g) => t >= g.at && t < g.at + g.len)) continue;
    times.push(k === 0 ? 0 : t + rng.between(-jitter, jitter) * dt);
  }
  return times;
}

/** Irregular sampling: intervals `lo`–`hi` s and, with chance `pause`, a stall of `pauseLo`–`pauseHi` s. */
function irregular(rng, durationS, { lo = 0.4, hi = 3, pause = 0.01, pauseLo = 10, pauseHi = 40 } = {}) {
  const times = [];
  for (let t = 0; t <= durationS; ) {
    times.push(t);
    t += rng.uniform() < pause ? rng.between(pauseLo, pauseHi) : rng.between(lo, hi);
  }
  return times;
}

const SAMPLING = {
  '10 Hz': (rng, d) => regular(rng, d, 10),
  '1 Hz': (rng, d) => regular(rng, d, 1),
  '0.2 Hz': (rng, d) => regular(rng, d, 0.2, { jitter: 0.02 }),
  '1 Hz with gaps': (rng, d) =>
    regular(rng, d, 1, { gaps: [{ at: d * 0.22, len: Math.min(15 * MIN, d * 0.07) }, { at: d * 0.61, len: Math.min(6 * MIN, d * 0.04) }] }),
  irregular: (rng, d) => irregular(rng, d),
  'irregular, long stalls': (rng, d) => irregular(rng, d, { lo: 1, hi: 5, pause: 0.004, pauseLo: 60, pauseHi: 300 }),
};

// ---------- memory mechanisms: stateful functions of time (s) → bytes, called once per sample ----------

const constant = (bytes) => () => bytes;
const white = (rng, sd) => () => rng.normal() * sd;

/** Heavy-tailed request noise: mostly `sd`, now and then (chance `p`) a bump of up to `bump` bytes. */
const burstyNoise = (rng, sd, p, bump) => () => rng.normal() * sd + (rng.uniform() < p ? rng.between(0.3, 1) * bump : 0);

/** Ornstein–Uhlenbeck wander: stationary sd `sd`, time constant `tau` s. */
function ou(rng, sd, tau) {
  let x = rng.normal() * sd;
  let last = 0;
  return (t) => {
    const a = Math.exp(-Math.max(t - last, 0) / tau);
    last = t;
    x = a * x + Math.sqrt(1 - a * a) * sd * rng.normal();
    return x;
  };
}

/** Node GC sawtooth with irregular cycles: each cycle lasts `periodLo`–`periodHi` s and drops
 *  `amp(t)` bytes (the amplitude may change with load) at its end. */
function sawtooth(rng, amp, periodLo, periodHi) {
  const ampAt = typeof amp === 'function' ? amp : () => amp;
  let start = -rng.between(0, periodHi);
  let len = rng.between(periodLo, periodHi);
  let height = ampAt(0) * rng.between(0.8, 1.2);
  return (t) => {
    while (t - start >= len) {
      start += len;
      len = rng.between(periodLo, periodHi);
      height = ampAt(start) * rng.between(0.75, 1.25);
    }
    return (height * (t - start)) / len;
  };
}

/** Python allocator staircase that goes up AND down: the number of live arenas (`quantum` each)
 *  does a bounded random walk around zero (mean-reverting towards 0 within ±`maxQuanta`), one
 *  move every ~`every` s. */
function arenaWalk(rng, quantum, maxQuanta, every) {
  let k = 0;
  let next = rng.wait(every);
  return (t) => {
    while (next <= t) {
      const pullDown = k / maxQuanta; // -1..1: drift back towards the middle
      k += rng.uniform() < 0.5 - 0.45 * pullDown ? 1 : -1;
      k = Math.max(-maxQuanta, Math.min(maxQuanta, k));
      next += rng.wait(every);
    }
    return k * quantum;
  };
}

const linear = (rate, from = 0) => (t) => Math.max(t - from, 0) * rate;
/** Exponential approach to `rise` with time constant `tau`, starting at `t0` (negative: mid-warm-up). */
const approach = (rise, tau, t0 = 0) => (t) => (t < t0 ? 0 : rise * (1 - Math.exp(-(t - t0) / tau)));
/** A cache filling at `rate` until its bound `cap`: straight up, then flat. */
const fillToCap = (rate, cap, from = 0) => (t) => Math.min(Math.max(t - from, 0) * rate, cap);
const stepsAt = (events) => (t) => events.reduce((s, e) => s + (t >= e.at ? e.size : 0), 0);
/** One-off block: `size` bytes (negative for a dip) from `at` for `len` s, with 0.3 s edges. */
const block = (at, len, size) => (t) => {
  const into = t - at;
  if (into < 0 || into > len) return 0;
  return size * Math.min(1, into / 0.3 + 0.05, (len - into) / 0.3 + 0.05);
};
/** Level change by `delta` at `at` (a shift up or down that then holds). */
const shift = (at, delta) => (t) => (t >= at ? delta : 0);

/** Batch temporaries: bursts of `amp` (±spread) lasting `duty` of the cycle; cycles of mean
 *  `period` s, regular (±`jitter`) or Poisson (`poisson`). */
function batches(rng, { amp, period, duty, jitter = 0.1, poisson = false, spread = 0.2, firstAt }) {
  const events = [];
  let next = firstAt ?? rng.between(0.1, 0.9) * period;
  const gap = () => (poisson ? Math.max(rng.wait(period), duty * period * 1.5) : period * rng.between(1 - jitter, 1 + jitter));
  return (t) => {
    while (next <= t + period) {
      events.push({ at: next, amp: amp * rng.between(1 - spread, 1 + spread), len: duty * period * rng.between(0.85, 1.15) });
      next += gap();
    }
    while (events.length && events[0].at + events[0].len + 1 < t) events.shift();
    let s = 0;
    for (const e of events) {
      const into = t - e.at;
      if (into < 0 || into > e.len) continue;
      const edge = Math.min(0.5, e.len / 6);
      s += e.amp * Math.min(1, into / edge, (e.len - into) / edge);
    }
    return s;
  };
}

/** Irregular retained steps: mean interval `every` s (spread by `irregularity`), sizes `size`×(0.4–1.8). */
function irregularSteps(rng, { size, every, durationS, irregularity = 0.8, start }) {
  const events = [];
  for (let at = start ?? rng.between(0.1, 0.6) * every; at < durationS - 0.05 * durationS; at += every * rng.between(1 - irregularity, 1 + irregularity))
    events.push({ at, size: size * rng.between(0.4, 1.8) });
  return stepsAt(events);
}

const sum = (...parts) => (t) => parts.reduce((acc, part) => acc + part(t), 0);
const mb = (x) => Math.round(x * MB);
const none = () => 0;

// ---------- one case ----------

const cases = [];
const add = (spec) => cases.push(spec);

function render(spec) {
  const rng = makeRandom(spec.id);
  const times = spec.times(rng);
  const level = spec.level(rng);
  const quantum = spec.quantum ?? 0;
  const rows = ['t_ms,rss_bytes'];
  let lastMs = -1;
  times.forEach((t, i) => {
    const ms = Math.max(Math.round(t * 1000), lastMs + 1);
    lastMs = ms;
    let bytes = level(t);
    if (quantum > 0) bytes = Math.round(bytes / quantum) * quantum;
    if (i === times.length - 1 && spec.lastFactor) bytes *= spec.lastFactor;
    rows.push(`${EPOCH_MS + ms},${Math.max(Math.round(bytes), 8 * MB)}`);
  });
  return { csv: rows.join('\n') + '\n', samples: times.length };
}

/** Texture by runtime: Node gets a GC sawtooth, Python allocator quanta (set via `quantum`). */
const nodeSaw = (rng, rt, amp, lo = 3, hi = 9) => (rt === 'node' ? sawtooth(rng, amp, lo, hi) : none);
const pyQuantum = (rt, q) => (rt === 'python' ? q : 0);
const fmtMb = (x) => (x >= 1024 ? `${+(x / 1024).toFixed(1)} GB` : `${+x.toFixed(1)} MB`);

// ===================== FLAT: nothing retained, shapes that could be mistaken for growth =====================

// Mean-reverting wander at several time constants and scales (span ≥ ~20 time constants).
for (const [i, base, sdPct, tauS, durationS, sampling, rt] of [
  [1, 800, 0.6, 45, 40 * MIN, '1 Hz', 'python'],
  [2, 3 * 1024, 0.4, 5 * MIN, 2 * HOUR, '1 Hz', 'python'],
  [3, 16 * 1024, 0.15, 10 * MIN, 5 * HOUR, '0.2 Hz', 'python'],
  [4, 60, 1.5, 20, 8 * MIN, '10 Hz', 'node'],
  [5, 240, 1.0, 2 * MIN, HOUR, 'irregular', 'node'],
  [6, 1200, 0.8, 12 * MIN, 6 * HOUR, '1 Hz with gaps', 'python'],
  [7, 450, 2.0, 3 * MIN, 90 * MIN, '1 Hz', 'node'],
  [8, 6 * 1024, 0.3, 90, HOUR, '1 Hz', 'python'],
]) {
  add({
    id: `flat-wander-${i}`,
    class: 'flat',
    kind: 'flat: mean-reverting wander',
    note: `A ${fmtMb(base)} ${rt} service whose working set follows its request mix: OU wander sd ${sdPct}% of the level, time constant ${tauS} s, over ${(durationS / tauS).toFixed(0)} time constants; nothing retained. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 256 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), ou(rng, mb((base * sdPct) / 100), tauS), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.001))),
  });
}
// Wander whose time constant is a third of the trace or more: cannot show that it reverts.
for (const [i, base, sdPct, tauS, durationS, rt] of [
  [1, 700, 1.2, 40 * MIN, 2 * HOUR, 'python'],
  [2, 2 * 1024, 0.8, 25 * MIN, HOUR, 'node'],
]) {
  add({
    id: `flat-wander-long-tau-${i}`,
    class: 'flat',
    ambiguous: true,
    classes: ['flat', 'steady-leak', 'plateau'],
    kind: 'flat: wander with a time constant near the span',
    note: `OU wander sd ${sdPct}% of ${fmtMb(base)}, time constant ${tauS / MIN} min over a ${durationS / MIN} min trace: a chance drift cannot be told from a trend.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    times: (rng) => SAMPLING['1 Hz'](rng, durationS),
    level: (rng) => sum(constant(mb(base)), ou(rng, mb((base * sdPct) / 100), tauS), nodeSaw(rng, rt, mb(base * 0.02)), white(rng, mb(base * 0.001))),
  });
}
// A busy band that ends at a lower level.
for (const [i, base, bandMb, busyS, dropMb, durationS, sampling, rt] of [
  [1, 110, 6, 50, 3, 100, '10 Hz', 'node'],
  [2, 380, 25, 4 * MIN, 12, 10 * MIN, '1 Hz', 'python'],
  [3, 1500, 60, 25 * MIN, 40, HOUR, '1 Hz', 'python'],
  [4, 55, 3, 70, 1.5, 150, '10 Hz', 'node'],
  [5, 900, 30, 40 * MIN, 25, 2 * HOUR, 'irregular', 'node'],
]) {
  add({
    id: `flat-busy-then-lower-${i}`,
    class: 'flat',
    kind: 'flat: busy band that ends at a lower level',
    note: `Requests with ${fmtMb(bandMb)} of per-request buffers for the first ${busyS} s (a wide noisy band), then light traffic: the level settles ~${fmtMb(dropMb)} lower. No retention.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 128 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const quiet = white(rng, mb(bandMb * 0.05));
      const saw = nodeSaw(rng, rt, mb(base * 0.02), 2, 5);
      return (t) => {
        const busy = t < busyS;
        const load = busy ? rng.between(0, 1) * mb(bandMb) + mb(dropMb) : 0;
        return mb(base) + load + quiet(t) + saw(t);
      };
    },
  });
}
// Allocator-quantum staircases that go up and down.
for (const [i, base, quantumMb, maxQ, everyS, durationS, sampling] of [
  [1, 180, 1, 6, 20, 30 * MIN, '1 Hz'],
  [2, 650, 4, 5, 90, 2 * HOUR, '1 Hz'],
  [3, 90, 0.25, 8, 4, 5 * MIN, '10 Hz'],
  [4, 2500, 16, 4, 5 * MIN, 4 * HOUR, '1 Hz with gaps'],
  [5, 320, 2, 7, 45, HOUR, 'irregular'],
  [6, 48, 0.5, 5, 8, 8 * MIN, '1 Hz'],
]) {
  add({
    id: `flat-arena-staircase-${i}`,
    class: 'flat',
    kind: 'flat: allocator-quantum staircase up and down',
    note: `pymalloc/glibc hands arenas of ${fmtMb(quantumMb)} to and from the OS as the live set moves: RSS steps up and down by one quantum every ~${everyS} s within ±${maxQ} quanta of ${fmtMb(base)}. ${sampling}.`,
    runtime: 'python',
    durationS,
    quantum: mb(Math.min(quantumMb, 1) / 4),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), arenaWalk(rng, mb(quantumMb), maxQ, everyS), white(rng, mb(quantumMb * 0.05))),
  });
}
// GC sawtooth with irregular periods and amplitude changes.
for (const [i, base, ampPct, lo, hi, change, durationS, sampling] of [
  [1, 140, 8, 2, 12, 'doubles at 40%', 6 * MIN, '10 Hz'],
  [2, 420, 12, 5, 40, 'halves at 55%', 30 * MIN, '1 Hz'],
  [3, 75, 14, 1, 6, 'slow swell', 150, '10 Hz'],
  [4, 1800, 6, 20, 120, 'doubles at 30% and back at 70%', 3 * HOUR, '1 Hz'],
  [5, 260, 10, 3, 25, 'random per cycle', HOUR, 'irregular'],
  [6, 40, 15, 4, 9, 'halves at 55%', 10 * MIN, '1 Hz'],
]) {
  const a = mb((base * ampPct) / 100);
  const ampFn = {
    'doubles at 40%': (t) => (t < 0.4 * durationS ? a : 2 * a),
    'halves at 55%': (t) => (t < 0.55 * durationS ? a : a / 2),
    'slow swell': (t) => a * (0.6 + 0.8 * Math.sin((Math.PI * t) / durationS)),
    'doubles at 30% and back at 70%': (t) => (t > 0.3 * durationS && t < 0.7 * durationS ? 2 * a : a),
    'random per cycle': () => a,
  }[change];
  add({
    id: `flat-gc-irregular-${i}`,
    class: 'flat',
    kind: 'flat: GC sawtooth, irregular period and amplitude',
    note: `Node heap at ${fmtMb(base)}: the young generation fills and is scavenged every ${lo}–${hi} s; the drop (${ampPct}% of the level) ${change} as the load changes; floors do not rise. ${sampling}.`,
    runtime: 'node',
    durationS,
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), sawtooth(rng, ampFn, lo, hi), white(rng, mb(base * 0.002))),
  });
}
// Level shift DOWN mid-trace.
for (const [i, base, dropPct, atFrac, durationS, sampling, rt] of [
  [1, 520, 9, 0.5, HOUR, '1 Hz', 'python'],
  [2, 95, 15, 0.45, 4 * MIN, '10 Hz', 'node'],
  [3, 4 * 1024, 5, 0.6, 3 * HOUR, '1 Hz with gaps', 'python'],
  [4, 230, 20, 0.35, 20 * MIN, 'irregular', 'node'],
]) {
  add({
    id: `flat-shift-down-${i}`,
    class: 'flat',
    kind: 'flat: level shift down mid-trace',
    note: `A ${fmtMb(base)} ${rt} process drops a cache/pool (or malloc_trim returns free pages) at ${atFrac * 100}% of the trace: the level falls ${dropPct}% and holds. Nothing grows.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), shift(atFrac * durationS, -mb((base * dropPct) / 100)), ou(rng, mb(base * 0.003), 60), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.002))),
  });
}
// One-off spike or one-off dip.
for (const [i, base, sizePct, lenS, atFrac, durationS, sampling, rt, what] of [
  [1, 300, 80, 6, 0.4, HOUR, '1 Hz', 'python', 'spike'],
  [2, 1100, 35, 40, 0.7, 2 * HOUR, '1 Hz', 'node', 'spike'],
  [3, 70, 150, 1.5, 0.3, 5 * MIN, '10 Hz', 'node', 'spike'],
  [4, 600, -30, 20, 0.55, 90 * MIN, '1 Hz', 'python', 'dip'],
  [5, 150, -40, 3, 0.8, 6 * MIN, '10 Hz', 'node', 'dip'],
]) {
  add({
    id: `flat-one-off-${what}-${i}`,
    class: 'flat',
    kind: `flat: one-off ${what}`,
    note:
      what === 'spike'
        ? `A flat ${fmtMb(base)} ${rt} service serves one large export at ${atFrac * 100}% of the trace: +${sizePct}% for ~${lenS} s, freed at once. One transient in a long flat trace, no rhythm, nothing retained.`
        : `A flat ${fmtMb(base)} ${rt} process: the sampler catches RSS mid-swap-out / after a one-off trim for ~${lenS} s (${sizePct}%), then the pages come back. Nothing retained.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 256 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), block(atFrac * durationS, lenS, mb((base * sizePct) / 100)), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.003))),
  });
}
// Short flat traces (90 s–10 min) at 10 Hz and 1 Hz.
for (const [i, base, durationS, sampling, rt] of [
  [1, 42, 90, '10 Hz', 'python'],
  [2, 310, 120, '10 Hz', 'node'],
  [3, 8 * 1024, 3 * MIN, '10 Hz', 'python'],
  [4, 130, 5 * MIN, '1 Hz', 'node'],
  [5, 700, 10 * MIN, '1 Hz', 'python'],
  [6, 65, 100, '1 Hz', 'node'],
  [7, 1400, 8 * MIN, '10 Hz', 'node'],
]) {
  add({
    id: `flat-short-${i}`,
    class: 'flat',
    kind: 'flat: short trace',
    note: `${durationS} s of a ${fmtMb(base)} ${rt} worker with a steady load; per-request memory is freed. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 64 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), nodeSaw(rng, rt, mb(base * 0.05), 1.5, 4), burstyNoise(rng, mb(base * 0.002), 0.02, mb(base * 0.01))),
  });
}
// Flat with a short warm-up of a few % in the first seconds: decided FLAT (see README).
for (const [i, base, warmPct, warmS, durationS, sampling, rt] of [
  [1, 200, 3, 4, 10 * MIN, '10 Hz', 'node'],
  [2, 850, 4, 20, HOUR, '1 Hz', 'python'],
  [3, 60, 5, 3, 4 * MIN, '10 Hz', 'python'],
  [4, 3 * 1024, 2, 60, 3 * HOUR, '1 Hz', 'python'],
]) {
  add({
    id: `flat-tiny-warmup-${i}`,
    class: 'flat',
    kind: 'flat: tiny warm-up in the first seconds',
    note: `Imports/JIT add ${warmPct}% of the ${fmtMb(base)} level in the first ~${warmS} s (under ${((warmS / durationS) * 100).toFixed(1)}% of the trace), then the process holds. Below materiality: labelled flat.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 128 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), approach(mb((base * warmPct) / 100), warmS / 3), nodeSaw(rng, rt, mb(base * 0.02)), ou(rng, mb(base * 0.002), 30), white(rng, mb(base * 0.001))),
  });
}
add({
  id: 'flat-small-warmup-borderline-1',
  class: 'flat',
  ambiguous: true,
  classes: ['flat', 'plateau'],
  kind: 'flat: tiny warm-up in the first seconds',
  note: 'A 400 MB Python process gains 8% over its first 30 s of a 10 min trace, then holds: too large to call immaterial, too small to insist on plateau.',
  runtime: 'python',
  durationS: 10 * MIN,
  quantum: 256 * KB,
  times: (rng) => SAMPLING['1 Hz'](rng, 10 * MIN),
  level: (rng) => sum(constant(mb(400)), approach(mb(32), 10), white(rng, mb(1))),
});
// Flat at the extremes of scale, with other textures and samplings.
for (const [i, base, durationS, sampling, rt, texture] of [
  [1, 16 * 1024, 4 * HOUR, '1 Hz', 'python', 'model server: 25 MB jitter + page-cache wander'],
  [2, 40, 2 * HOUR, 'irregular, long stalls', 'node', 'tiny worker under GC sawtooth'],
  [3, 12 * 1024, 90 * MIN, '0.2 Hz', 'node', 'large heap with major GCs every few minutes'],
  [4, 900, 6 * HOUR, '1 Hz with gaps', 'python', 'malloc_trim every 10 min returns fragmented free lists'],
]) {
  add({
    id: `flat-scale-${i}`,
    class: 'flat',
    kind: 'flat: at the scale extremes',
    note: `${fmtMb(base)} ${rt} process, ${texture}; nothing retained. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 2 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const parts = {
        1: [ou(rng, mb(25), 4 * MIN), white(rng, mb(12))],
        2: [sawtooth(rng, mb(4), 2, 8), white(rng, mb(0.2))],
        3: [sawtooth(rng, mb(600), 120, 400), white(rng, mb(20))],
        4: [(t) => mb(40) * ((t % 600) / 600), white(rng, mb(2))],
      }[i];
      return sum(constant(mb(base)), ...parts);
    },
  });
}

// ===================== PLATEAU: rises, then holds =====================

// Warm-ups that finish early, mid-trace or late (hold ≥ 30% of the trace).
for (const [i, base, risePct, endFrac, durationS, sampling, rt] of [
  [1, 150, 60, 0.1, 20 * MIN, '1 Hz', 'node'],
  [2, 800, 35, 0.12, 3 * HOUR, '1 Hz with gaps', 'python'],
  [3, 300, 80, 0.4, HOUR, '1 Hz', 'python'],
  [4, 2 * 1024, 40, 0.45, 10 * MIN, '10 Hz', 'node'],
  [5, 90, 120, 0.62, 30 * MIN, 'irregular', 'python'],
  [6, 5 * 1024, 30, 0.65, 5 * HOUR, '0.2 Hz', 'python'],
  [7, 45, 90, 0.5, 4 * MIN, '10 Hz', 'node'],
]) {
  const warmEnd = endFrac * durationS;
  add({
    id: `plateau-warmup-${i}`,
    class: 'plateau',
    kind: `plateau: warm-up finishing ${endFrac < 0.3 ? 'early' : endFrac < 0.55 ? 'mid-trace' : 'late'}`,
    note: `Start-up loads indexes/modules: +${risePct}% of ${fmtMb(base)} (time constant ${(warmEnd / 4).toFixed(0)} s, ~done at ${endFrac * 100}% of the trace), then a fixed working set. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), approach(mb((base * risePct) / 100), warmEnd / 4), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.003))),
  });
}
// Steps up, then hold.
for (const [i, base, stepMb, nSteps, stepEvery, holdS, sampling, rt] of [
  [1, 250, 40, 3, 30, 5 * MIN, '1 Hz', 'python'],
  [2, 1024, 300, 4, 5 * MIN, 90 * MIN, '1 Hz', 'python'],
  [3, 70, 25, 6, 4, 80, '10 Hz', 'node'],
  [4, 9 * 1024, 1500, 3, 8 * MIN, 2 * HOUR, '1 Hz with gaps', 'python'],
  [5, 180, 60, 2, 40, 8 * MIN, '10 Hz', 'node'],
]) {
  const durationS = 10 + nSteps * stepEvery + holdS;
  add({
    id: `plateau-steps-then-hold-${i}`,
    class: 'plateau',
    kind: 'plateau: steps up, then hold',
    note: `Loads ${nSteps} shards of ~${fmtMb(stepMb)} (unequal sizes), one every ~${stepEvery} s, then serves from them for ${holdS} s without loading more.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const ev = Array.from({ length: nSteps }, (_, k) => ({ at: 10 + k * stepEvery * rng.between(0.85, 1.15), size: mb(stepMb) * rng.between(0.6, 1.4) }));
      return sum(constant(mb(base)), stepsAt(ev), nodeSaw(rng, rt, mb(base * 0.03), 2, 6), white(rng, mb(base * 0.002)));
    },
  });
}
// Caches filling to a bound (linear until an LRU's maxsize, then evicting as fast as it adds).
for (const [i, base, capMb, fillFrac, durationS, sampling, rt] of [
  [1, 120, 200, 0.3, 30 * MIN, '1 Hz', 'python'],
  [2, 600, 250, 0.55, 2 * HOUR, '1 Hz', 'node'],
  [3, 60, 80, 0.4, 3 * MIN, '10 Hz', 'python'],
  [4, 14 * 1024, 1800, 0.25, 4 * HOUR, '1 Hz with gaps', 'python'],
  [5, 350, 120, 0.6, HOUR, 'irregular', 'node'],
]) {
  add({
    id: `plateau-cache-bound-${i}`,
    class: 'plateau',
    kind: 'plateau: cache filling to a bound',
    note: `An LRU cache of max ${fmtMb(capMb)} fills at a steady rate for ${fillFrac * 100}% of the trace, reaches maxsize and evicts as it adds; the ${fmtMb(base)} base holds. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 256 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), fillToCap(mb(capMb) / (fillFrac * durationS), mb(capMb)), nodeSaw(rng, rt, mb((base + capMb) * 0.04)), ou(rng, mb(base * 0.002), 40), white(rng, mb(base * 0.002))),
  });
}
// Plateaus with noise, sawtooth or occasional spikes on the hold.
for (const [i, base, rise, hold, durationS, sampling, rt] of [
  [1, 400, 300, 'heavy noise', HOUR, '1 Hz', 'python'],
  [2, 160, 140, 'GC sawtooth 15% of level', 20 * MIN, '1 Hz', 'node'],
  [3, 700, 500, 'a spike every ~10 min', 2 * HOUR, '1 Hz', 'python'],
  [4, 85, 60, 'GC sawtooth, irregular', 6 * MIN, '10 Hz', 'node'],
  [5, 2 * 1024, 1024, 'occasional spikes and wander', 3 * HOUR, 'irregular', 'python'],
]) {
  add({
    id: `plateau-textured-hold-${i}`,
    class: 'plateau',
    kind: 'plateau: noise, sawtooth or spikes on the hold',
    note: `Warm-up +${fmtMb(rise)} over the first ~20% of the trace, then a hold with ${hold}. The hold's texture is bounded and does not trend. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const tex = {
        1: [white(rng, mb(12)), ou(rng, mb(8), 90)],
        2: [sawtooth(rng, mb(base * 0.15), 3, 10)],
        3: [batches(rng, { amp: mb(350), period: 10 * MIN, duty: 0.03, poisson: true }), white(rng, mb(2))],
        4: [sawtooth(rng, mb(10), 0.8, 5), white(rng, mb(0.3))],
        5: [batches(rng, { amp: mb(700), period: 25 * MIN, duty: 0.02, poisson: true }), ou(rng, mb(25), 5 * MIN), white(rng, mb(5))],
      }[i];
      return sum(constant(mb(base)), approach(mb(rise), durationS * 0.05), ...tex);
    },
  });
}
// Plateaus reached after a big temporary spike (early, or after a stretch at the old level).
for (const [i, base, spikeMb, rise, atFrac, durationS, sampling, rt] of [
  [1, 200, 600, 120, 0.02, 30 * MIN, '1 Hz', 'python'],
  [2, 1024, 3 * 1024, 700, 0.15, 2 * HOUR, '1 Hz', 'python'],
  [3, 90, 250, 70, 0.3, 5 * MIN, '10 Hz', 'node'],
]) {
  add({
    id: `plateau-after-spike-${i}`,
    class: 'plateau',
    kind: 'plateau: reached after a big temporary spike',
    note: `At ${atFrac * 100}% of the trace the program parses a ${fmtMb(spikeMb)} file into a temporary (freed after ~4% of the trace) and keeps a ${fmtMb(rise)} index built from it; then holds.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), block(durationS * atFrac, durationS * 0.04, mb(spikeMb)), approach(mb(rise), durationS * 0.015, durationS * atFrac), nodeSaw(rng, rt, mb(base * 0.04), 2, 6), white(rng, mb(base * 0.003))),
  });
}
// Node heap warming up: the GC sawtooth's floors rise (old space fills with long-lived code and
// caches) and then stop rising: a leak-looking start that levels off.
for (const [i, base, rise, settleFrac, durationS, sampling] of [
  [1, 120, 90, 0.35, 20 * MIN, '1 Hz'],
  [2, 700, 400, 0.3, 2 * HOUR, '1 Hz'],
  [3, 60, 35, 0.45, 4 * MIN, '10 Hz'],
]) {
  add({
    id: `plateau-floors-stop-rising-${i}`,
    class: 'plateau',
    kind: 'plateau: GC floors rise, then stop rising',
    note: `Node under a ${fmtMb(base * 0.1)} scavenge sawtooth: old space takes +${fmtMb(rise)} of long-lived objects at a near-constant rate until ${settleFrac * 100}% of the trace (caches reach their configured size), then the floors hold. ${sampling}.`,
    runtime: 'node',
    durationS,
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const settle = settleFrac * durationS;
      // Linear fill that rounds off over the last 20% of the settling time.
      const fill = (t) => mb(rise) * (t < 0.8 * settle ? t / settle : 0.8 + 0.2 * (1 - Math.exp(-(t - 0.8 * settle) / (0.2 * settle))));
      return sum(constant(mb(base)), fill, sawtooth(rng, mb(base * 0.1), 2, 10), white(rng, mb(base * 0.002)));
    },
  });
}
// Python warm-up seen through arena quanta, then a staircase that wanders on the hold.
for (const [i, base, rise, quantumMb, durationS, sampling] of [
  [1, 85, 60, 2, 15 * MIN, '1 Hz'],
  [2, 1600, 900, 32, 3 * HOUR, '1 Hz with gaps'],
]) {
  add({
    id: `plateau-arena-stairs-${i}`,
    class: 'plateau',
    kind: 'plateau: warm-up in allocator quanta, staircase on the hold',
    note: `Imports and a lookup table take +${fmtMb(rise)} in ${fmtMb(quantumMb)} arenas over the first quarter; then arenas come and go (±2 quanta) as requests run. ${sampling}.`,
    runtime: 'python',
    durationS,
    quantum: mb(quantumMb),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), approach(mb(rise), durationS * 0.06), arenaWalk(rng, mb(quantumMb), 2, durationS / 150), white(rng, mb(quantumMb * 0.1))),
  });
}
// Plateaus at the scale extremes.
for (const [i, base, rise, tauS, durationS, sampling, rt] of [
  [1, 3 * 1024, 13 * 1024, 6 * MIN, 3 * HOUR, '0.2 Hz', 'python'],
  [2, 40, 25, 90, 30 * MIN, 'irregular, long stalls', 'node'],
]) {
  add({
    id: `plateau-scale-${i}`,
    class: 'plateau',
    kind: 'plateau: at the scale extremes',
    note:
      i === 1
        ? 'A model server pages in 13 GB of weights (time constant 6 min) to ~16 GB, then serves with a fixed working set; 0.2 Hz.'
        : 'A 40 MB Node worker warms its caches by +25 MB (time constant 90 s), then holds under a small GC sawtooth; irregular sampling with long stalls.',
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 4 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), approach(mb(rise), tauS), nodeSaw(rng, rt, mb(base * 0.06), 2, 8), ou(rng, mb((base + rise) * 0.002), 3 * MIN), white(rng, mb((base + rise) * 0.001))),
  });
}

// ===================== SPIKY: temporaries come and go on a base that holds =====================

// Duty cycles, short and long.
for (const [i, base, amp, period, duty, durationS, sampling, rt] of [
  [1, 250, 400, 90, 0.05, 40 * MIN, '1 Hz', 'python'],
  [2, 500, 300, 60, 0.3, HOUR, '1 Hz', 'python'],
  [3, 80, 120, 5, 0.12, 3 * MIN, '10 Hz', 'node'],
  [4, 1500, 2000, 10 * MIN, 0.2, 5 * HOUR, '1 Hz with gaps', 'python'],
  [5, 140, 90, 20, 0.35, 15 * MIN, '10 Hz', 'node'],
  [6, 16 * 1024, 6 * 1024, 15 * MIN, 0.08, 6 * HOUR, '0.2 Hz', 'python'],
  [7, 60, 45, 12, 0.02, 10 * MIN, '10 Hz', 'python'],
]) {
  add({
    id: `spiky-duty-${i}`,
    class: 'spiky',
    kind: `spiky: batch duty cycle ${duty < 0.1 ? 'short' : duty < 0.25 ? 'medium' : 'long'}`,
    note: `Every ~${period} s a batch builds ~${fmtMb(amp)} of temporaries that live ${(duty * 100).toFixed(0)}% of the cycle, then frees them; the ${fmtMb(base)} base holds. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), batches(rng, { amp: mb(amp), period, duty }), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.003))),
  });
}
// Spike heights from 3× to 50× the sample noise.
for (const [i, base, noiseMb, times, period, duty, durationS, sampling, rt] of [
  [1, 300, 3, 3, 40, 0.25, 30 * MIN, '1 Hz', 'python'],
  [2, 120, 1, 5, 15, 0.2, 5 * MIN, '10 Hz', 'node'],
  [3, 2 * 1024, 15, 10, 5 * MIN, 0.15, 3 * HOUR, '1 Hz', 'python'],
  [4, 70, 0.4, 25, 8, 0.1, 3 * MIN, '10 Hz', 'python'],
  [5, 800, 2, 50, 90, 0.08, 90 * MIN, 'irregular', 'node'],
  [6, 450, 4, 4, 60, 0.3, HOUR, '1 Hz', 'python'],
]) {
  add({
    id: `spiky-height-${i}`,
    class: 'spiky',
    kind: 'spiky: spike height a few to many times the noise',
    note: `Batches ${times}× the ${fmtMb(noiseMb)} sample noise high (${fmtMb(noiseMb * times)}) on a ${fmtMb(base)} base, every ~${period} s for ${(duty * 100).toFixed(0)}% of the cycle (many samples per spike). ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 64 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), batches(rng, { amp: mb(noiseMb * times), period, duty, spread: 0.1 }), white(rng, mb(noiseMb))),
  });
}
// Irregular spike timing (Poisson arrivals of jobs).
for (const [i, base, amp, meanGap, lenFrac, durationS, sampling, rt] of [
  [1, 350, 500, 3 * MIN, 0.1, 2 * HOUR, '1 Hz', 'python'],
  [2, 100, 150, 12, 0.15, 4 * MIN, '10 Hz', 'node'],
  [3, 4 * 1024, 2500, 20 * MIN, 0.08, 6 * HOUR, '1 Hz with gaps', 'python'],
  [4, 220, 180, 45, 0.2, 40 * MIN, 'irregular', 'node'],
]) {
  add({
    id: `spiky-irregular-${i}`,
    class: 'spiky',
    kind: 'spiky: irregular spike timing',
    note: `User-triggered jobs arrive at random (Poisson, mean gap ${meanGap} s), each holding ~${fmtMb(amp)} of temporaries for a while; the ${fmtMb(base)} base holds. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), batches(rng, { amp: mb(amp), period: meanGap, duty: lenFrac, poisson: true, spread: 0.4 }), nodeSaw(rng, rt, mb(base * 0.03)), white(rng, mb(base * 0.003))),
  });
}
// Spikes on a sawtooth base.
for (const [i, base, saw, amp, period, durationS, sampling] of [
  [1, 180, 20, 150, 25, 15 * MIN, '1 Hz'],
  [2, 600, 60, 500, 2 * MIN, HOUR, '1 Hz'],
  [3, 90, 10, 80, 7, 150, '10 Hz'],
  [4, 1200, 100, 900, 4 * MIN, 2 * HOUR, 'irregular'],
]) {
  add({
    id: `spiky-on-sawtooth-${i}`,
    class: 'spiky',
    kind: 'spiky: spikes on a GC sawtooth base',
    note: `Node: a ${fmtMb(saw)} scavenge sawtooth (2–8 s) under ${fmtMb(amp)} Buffer batches every ~${period} s; old space holds. ${sampling}.`,
    runtime: 'node',
    durationS,
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), sawtooth(rng, mb(saw), 2, 8), batches(rng, { amp: mb(amp), period, duty: 0.1 }), white(rng, mb(base * 0.002))),
  });
}
// Few spikes in a short trace (3–5 batches).
for (const [i, base, amp, period, durationS, sampling, rt] of [
  [1, 130, 200, 25, 100, '10 Hz', 'python'],
  [2, 400, 350, 28, 120, '10 Hz', 'node'],
  [3, 75, 90, 60, 5 * MIN, '1 Hz', 'python'],
  [4, 1024, 800, 110, 8 * MIN, '1 Hz', 'node'],
]) {
  add({
    id: `spiky-few-short-${i}`,
    class: 'spiky',
    kind: 'spiky: few spikes in a short trace',
    note: `A ${durationS} s recording of a batch worker: ${Math.floor(durationS / period)} batches of ~${fmtMb(amp)} (every ~${period} s, each ~15% of the cycle) on a ${fmtMb(base)} base. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 256 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), batches(rng, { amp: mb(amp), period, duty: 0.15, jitter: 0.05, firstAt: period * 0.4 }), nodeSaw(rng, rt, mb(base * 0.03), 1.5, 4), white(rng, mb(base * 0.003))),
  });
}

// ===================== STEADY-LEAK: retained at a roughly constant rate to the end =====================

// Short leaks (60 s–10 min) at 1 Hz and 10 Hz under sawtooth/noise.
for (const [i, base, rateMbMin, durationS, sampling, rt, sawPct] of [
  [1, 90, 30, 60, '10 Hz', 'node', 10],
  [2, 250, 120, 75, '10 Hz', 'node', 12],
  [3, 60, 8, 3 * MIN, '10 Hz', 'python', 0],
  [4, 400, 25, 5 * MIN, '1 Hz', 'node', 6],
  [5, 150, 6, 10 * MIN, '1 Hz', 'python', 0],
  [6, 1024, 90, 4 * MIN, '1 Hz', 'node', 5],
  [7, 45, 3, 8 * MIN, '10 Hz', 'node', 8],
  [8, 600, 200, 90, '1 Hz', 'python', 0],
]) {
  add({
    id: `leak-short-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: short trace under sawtooth/noise',
    note: `${rt === 'node' ? 'A module-level Map keyed by request id' : 'A list appended per request'} retains ${rateMbMin} MB/min on a ${fmtMb(base)} process${sawPct ? ` under a ${sawPct}% GC sawtooth` : ''}, for the whole ${durationS} s. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 256 * KB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), linear(mb(rateMbMin) / 60), sawPct ? sawtooth(rng, mb((base * sawPct) / 100), 2, 7) : none, white(rng, mb(base * 0.003))),
  });
}
// Short leaks whose growth over the trace is only 2–4× the oscillation on top of it.
for (const [i, base, rateMbMin, durationS, sampling, rt, texture] of [
  [1, 300, 10, 3 * MIN, '10 Hz', 'node', 'a 12 MB scavenge sawtooth of 3–12 s'],
  [2, 120, 2, 10 * MIN, '1 Hz', 'python', 'arenas of 1 MB coming and going (±3)'],
  [3, 80, 20, 60, '10 Hz', 'node', 'an 8 MB scavenge sawtooth of 2–6 s'],
  [4, 500, 4, 8 * MIN, '1 Hz', 'python', '2 MB request noise with 10 MB bumps'],
]) {
  add({
    id: `leak-short-close-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: short trace, growth a few times the oscillation',
    note: `Retains ${rateMbMin} MB/min on ${fmtMb(base)} for the whole ${durationS} s (growth ${fmtMb((rateMbMin * durationS) / 60)}) under ${texture}. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const tex = {
        1: [sawtooth(rng, mb(12), 3, 12), white(rng, mb(0.6))],
        2: [arenaWalk(rng, mb(1), 3, 10), white(rng, mb(0.1))],
        3: [sawtooth(rng, mb(8), 2, 6), white(rng, mb(0.3))],
        4: [burstyNoise(rng, mb(2), 0.03, mb(10))],
      }[i];
      return sum(constant(mb(base)), linear(mb(rateMbMin) / 60), ...tex);
    },
  });
}
// A leak with one low final reading (process exiting, or a GC just before the last sample).
for (const [i, base, rateMbMin, durationS, sampling, rt, lastFactor, why] of [
  [1, 300, 10, 20 * MIN, '1 Hz', 'python', 0.35, 'the process is exiting: the last sample is taken during teardown'],
  [2, 180, 40, 3 * MIN, '10 Hz', 'node', 0.82, 'a major GC runs just before the last sample'],
  [3, 1500, 5, 2 * HOUR, '1 Hz', 'python', 0.6, 'the process is exiting: the last sample is taken during teardown'],
  [4, 80, 4, 10 * MIN, '1 Hz', 'node', 0.9, 'a major GC runs just before the last sample'],
]) {
  add({
    id: `leak-low-last-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: one low final reading',
    note: `Retains ${rateMbMin} MB/min on ${fmtMb(base)} throughout; ${why} (last reading ×${lastFactor}). The mechanism is a leak to the end.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 512 * KB),
    lastFactor,
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), linear(mb(rateMbMin) / 60), nodeSaw(rng, rt, mb(base * 0.05)), white(rng, mb(base * 0.003))),
  });
}
// Leaks under irregular sampling and gaps.
for (const [i, base, rateMbMin, durationS, sampling, rt] of [
  [1, 500, 2, 3 * HOUR, 'irregular, long stalls', 'python'],
  [2, 220, 5, HOUR, 'irregular', 'node'],
  [3, 2 * 1024, 8, 4 * HOUR, '1 Hz with gaps', 'python'],
  [4, 75, 1.5, 90 * MIN, '1 Hz with gaps', 'node'],
  [5, 900, 20, 30 * MIN, 'irregular, long stalls', 'node'],
]) {
  add({
    id: `leak-irregular-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: irregular sampling and gaps',
    note: `An unbounded event log retains ${rateMbMin} MB/min on ${fmtMb(base)}; sampled ${sampling} (the sampler shares a busy host).`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), linear(mb(rateMbMin) / 60), nodeSaw(rng, rt, mb(base * 0.04), 3, 15), ou(rng, mb(base * 0.003), 2 * MIN), white(rng, mb(base * 0.002))),
  });
}
// Slow material leaks over hours (≥ 10% of the level per day; growth ≫ noise over the trace).
for (const [i, base, pctPerHour, durationS, sampling, rt] of [
  [1, 1200, 1.0, 6 * HOUR, '1 Hz', 'python'],
  [2, 16 * 1024, 0.5, 5 * HOUR, '0.2 Hz', 'python'],
  [3, 350, 2.0, 4 * HOUR, '1 Hz with gaps', 'node'],
  [4, 4 * 1024, 0.8, 6 * HOUR, '1 Hz', 'python'],
  [5, 60, 3.0, 3 * HOUR, 'irregular', 'node'],
  [6, 700, 1.5, 2 * HOUR, '1 Hz', 'python'],
]) {
  add({
    id: `leak-slow-hours-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: slow material leak over hours',
    note: `Per-session state is never evicted: +${pctPerHour}% of the ${fmtMb(base)} level per hour (${(pctPerHour * 24).toFixed(0)}%/day), under wander and ${rt === 'node' ? 'a GC sawtooth' : 'allocator quanta'}. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 2 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), linear((mb(base) * pctPerHour) / 100 / HOUR), ou(rng, mb(base * 0.002), 8 * MIN), nodeSaw(rng, rt, mb(base * 0.03), 5, 30), white(rng, mb(base * 0.001))),
  });
}
// Leaks seen through Python allocator quanta (RSS climbs in arena-sized stairs).
for (const [i, base, rateMbMin, quantumMb, durationS, sampling] of [
  [1, 110, 1.2, 1, 40 * MIN, '1 Hz'],
  [2, 2500, 30, 16, 90 * MIN, '1 Hz'],
  [3, 50, 2, 0.25, 6 * MIN, '10 Hz'],
]) {
  add({
    id: `leak-arena-quanta-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: steady retention through allocator quanta',
    note: `Small objects retained at ${rateMbMin} MB/min; RSS grows in ${fmtMb(quantumMb)} arena quanta (many quanta per trace, so the stairs are a fine texture on a ramp). ${sampling}.`,
    runtime: 'python',
    durationS,
    quantum: mb(quantumMb),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => sum(constant(mb(base)), linear(mb(rateMbMin) / 60), arenaWalk(rng, mb(quantumMb), 2, 20), white(rng, mb(quantumMb * 0.1))),
  });
}
// Leak under a GC sawtooth whose amplitude changes.
for (const [i, base, rateMbMin, durationS, sampling] of [
  [1, 200, 15, 15 * MIN, '1 Hz'],
  [2, 800, 12, 2 * HOUR, '1 Hz'],
]) {
  add({
    id: `leak-under-changing-gc-${i}`,
    class: 'steady-leak',
    kind: 'steady-leak: under a GC sawtooth that changes amplitude',
    note: `Node retains ${rateMbMin} MB/min in a listener list; the scavenge sawtooth doubles in the middle third (a load burst) and shrinks again, the floors keep rising. ${sampling}.`,
    runtime: 'node',
    durationS,
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) => {
      const a = mb(base * 0.06);
      return sum(constant(mb(base)), linear(mb(rateMbMin) / 60), sawtooth(rng, (t) => (t > durationS / 3 && t < (2 * durationS) / 3 ? 2 * a : a), 3, 20), white(rng, mb(base * 0.002)));
    },
  });
}

// ===================== STEPWISE-LEAK: retained in chunks that keep coming =====================

for (const [i, base, stepMb, everyS, irregularity, durationS, sampling, rt] of [
  [1, 300, 45, 4 * MIN, 0.9, HOUR, '1 Hz', 'python'],
  [2, 1800, 250, 20 * MIN, 0.7, 5 * HOUR, '1 Hz with gaps', 'python'],
  [3, 90, 12, 12, 0.8, 150, '10 Hz', 'node'],
  [4, 650, 60, 6 * MIN, 0.95, 2 * HOUR, 'irregular', 'node'],
  [5, 12 * 1024, 900, 15 * MIN, 0.6, 3 * HOUR, '1 Hz', 'python'],
  [6, 45, 5, 50, 0.9, 12 * MIN, '1 Hz', 'python'],
  [7, 160, 18, 20, 0.85, 4 * MIN, '10 Hz', 'node'],
  [8, 420, 35, 7 * MIN, 0.8, 90 * MIN, '1 Hz with gaps', 'python'],
]) {
  add({
    id: `stepwise-irregular-${i}`,
    class: 'stepwise-leak',
    kind: 'stepwise-leak: irregular step sizes and intervals',
    note: `Each reload/retry keeps the previous generation referenced: a chunk of ~${fmtMb(stepMb)} (×0.4–1.8) every ~${everyS} s (±${irregularity * 100}%), continuing to the end. ${sampling}.`,
    runtime: rt,
    durationS,
    quantum: pyQuantum(rt, 1 * MB),
    times: (rng) => SAMPLING[sampling](rng, durationS),
    level: (rng) =>
      sum(constant(mb(base)), irregularSteps(rng, { size: mb(stepMb), every: everyS, durationS, irregularity }), nodeSaw(rng, rt, mb(stepMb * 0.25), 2, 8), white(rng, mb(base * 0.002))),
  });
}

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
    const entry = { file, class: spec.class, half: 'tune', kind: spec.kind, note: spec.note, runtime: spec.runtime, duration_s: spec.durationS, samples };
    if (spec.ambiguous) Object.assign(entry, { ambiguous: true, classes: spec.classes });
    entries.push(entry);
  }
  const manifest = {
    format: 1,
    set: 'tune-spec2',
    half: 'tune',
    description: 'Second set of synthetic traces written from a specification (issue 12) without reading the classifier; labels by mechanism; weighted to hard-to-separate shapes. See README.md.',
    cases: entries,
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${entries.length} traces (${(bytes / MB).toFixed(1)} MB) and manifest.json to ${outDir}`);
}

main();
