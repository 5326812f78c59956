#!/usr/bin/env node
// Deterministic generator of the eval-spec trace set (evaluation only).
// Written from the written specification of the growth classes, without
// reading the classifier. Plain Node ESM, no dependencies.
//
//   node test/corpus/traces/eval-spec/generate.mjs <out-dir>
//
// Writes <out-dir>/<name>.csv (Leakscope CSV) and <out-dir>/manifest.json.
// The same out-dir content is produced on every run (seeded PRNG, fixed epochs).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const KiB = 1024;
export const MB = 1024 * 1024;
export const GB = 1024 * MB;
const MIN = 60;
const HOUR = 3600;

// ---------------------------------------------------------------- PRNG

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.u = mulberry32(seed);
    this.spare = null;
  }
  range(a, b) {
    return a + (b - a) * this.u();
  }
  int(a, b) {
    return Math.floor(this.range(a, b + 1));
  }
  normal() {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u1 = this.u();
    while (u1 <= 1e-12) u1 = this.u();
    const u2 = this.u();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
  expo(mean) {
    return -mean * Math.log(1 - this.u());
  }
  pareto(xm, alpha) {
    return xm / Math.pow(1 - this.u(), 1 / alpha);
  }
}

// ---------------------------------------------------------------- time axes (seconds from start)

function regularTimes(rng, hz, span, jitterS) {
  const dt = 1 / hz;
  const j = jitterS ?? dt * 0.03;
  const out = [];
  for (let i = 0; i * dt <= span + 1e-9; i++) {
    const t = i === 0 ? 0 : i * dt + rng.range(-j, j);
    out.push(Math.max(t, out.length ? out[out.length - 1] + 0.001 : 0));
  }
  return out;
}

// Irregular sampling: intervals uniform in [lo, hi] s, and now and then a pause of 8-20 s.
function irregularTimes(rng, span, lo = 0.5, hi = 4, pauseProb = 0.03) {
  const out = [0];
  let t = 0;
  for (;;) {
    const step = rng.u() < pauseProb ? rng.range(8, 20) : rng.range(lo, hi);
    t += step;
    if (t > span) break;
    out.push(t);
  }
  return out;
}

// Regular sampling with gaps: gaps = [[startS, durationS], ...] removed.
function gappedTimes(rng, hz, span, gaps) {
  return regularTimes(rng, hz, span).filter((t) => !gaps.some(([a, d]) => t > a && t < a + d));
}

// ---------------------------------------------------------------- signal components
// Each component is f(t) -> bytes, called with increasing t (some keep state).

const constant = (level) => () => level;

// Linear growth at rate (bytes/s) between t0 and t1 (held before and after).
const ramp = (rate, t0 = 0, t1 = Infinity) => (t) => rate * (Math.min(Math.max(t, t0), t1) - t0);

// Discrete kept steps: steps = [[time, size], ...]; each step takes rampS seconds.
const steps = (list, rampS = 0.4) => (t) => {
  let s = 0;
  for (const [ts, size] of list) {
    if (t >= ts + rampS) s += size;
    else if (t > ts) s += (size * (t - ts)) / rampS;
  }
  return s;
};

// Exponential approach: rise * (1 - exp(-(t + offset)/tau)), offset > 0 starts mid-warm-up.
const expApproach = (rise, tau, offset = 0, t0 = 0) => (t) =>
  t + offset < t0 ? 0 : rise * (1 - Math.exp(-(t + offset - t0) / tau));

// GC sawtooth: rises linearly to amp over a (jittered) period, then drops to 0.
function sawtooth(rng, amp, period, jitter = 0.25) {
  let cs = -rng.range(0, period);
  let p = period;
  let a = amp;
  return (t) => {
    while (t >= cs + p) {
      cs += p;
      p = period * rng.range(1 - jitter, 1 + jitter);
      a = amp * rng.range(1 - jitter, 1 + jitter);
    }
    return (a * (t - cs)) / p;
  };
}

// Temporaries: events = [{ t, dur, amp }], fast rise, hold, fast release.
function spikeTrain(events, riseS = 0.3, fallS = 0.5) {
  return (t) => {
    let s = 0;
    for (const e of events) {
      if (t < e.t || t > e.t + riseS + e.dur + fallS) continue;
      const x = t - e.t;
      if (x < riseS) s += (e.amp * x) / riseS;
      else if (x < riseS + e.dur) s += e.amp;
      else s += e.amp * (1 - (x - riseS - e.dur) / fallS);
    }
    return s;
  };
}

// Periodic spike events every `every` s (jittered), amplitude amp*(1±ampJ), duration dur*(1±0.3).
function periodicEvents(rng, span, { every, amp, dur, jitter = 0.15, ampJ = 0.15, start, end }) {
  const out = [];
  let t = start ?? rng.range(0.3, 1) * every;
  const stop = end ?? span - dur * 1.5 - 1;
  while (t < stop) {
    out.push({ t, dur: dur * rng.range(0.7, 1.3), amp: amp * rng.range(1 - ampJ, 1 + ampJ) });
    t += every * rng.range(1 - jitter, 1 + jitter);
  }
  return out;
}

// Poisson events with Pareto (heavy-tailed) amplitudes, capped.
function heavyEvents(rng, span, { rate, xm, alpha, cap, durMean, end }) {
  const out = [];
  let t = rng.expo(1 / rate);
  const stop = end ?? span - 3 * durMean;
  while (t < stop) {
    const dur = Math.min(Math.max(rng.expo(durMean), 1.5), 6 * durMean);
    out.push({ t, dur, amp: Math.min(rng.pareto(xm, alpha), cap) });
    t += dur + 1 + rng.expo(1 / rate);
  }
  return out;
}

// Ornstein-Uhlenbeck wander (exact discretisation), mean 0.
function ou(rng, sd, tau, x0) {
  let x = x0 ?? 0;
  let last = null;
  return (t) => {
    if (last !== null) {
      const a = Math.exp(-(t - last) / tau);
      x = x * a + sd * Math.sqrt(1 - a * a) * rng.normal();
    }
    last = t;
    return x;
  };
}

const gauss = (rng, sd) => () => sd * rng.normal();
// Only-upwards noise (small temporaries): |N| * sd.
const upNoise = (rng, sd) => () => Math.abs(sd * rng.normal());

// Piecewise: use fa before tSwitch and fb after.
const switchAt = (tSwitch, fa, fb) => (t) => (t < tSwitch ? fa(t) : fb(t));

// ---------------------------------------------------------------- building one trace

const EPOCH0 = 1796000000000; // fixed epoch (ms) so output is deterministic

function buildTrace(spec, index) {
  const rng = new Rng(spec.seed);
  const times = spec.times(rng);
  const comps = spec.components(rng);
  const rows = [];
  const t0 = EPOCH0 + index * 10_000_000 + (spec.seed % 997) * 13;
  const threadsBase = spec.runtime === 'python' ? 2 : 9;
  let threads = threadsBase;
  let fds = spec.runtime === 'python' ? 12 : 22;
  const outliers = new Map((spec.outliers ?? []).map(([at, value]) => [at, value]));
  const outlierIdx = new Map();
  for (const [at, value] of outliers) {
    // nearest sample index to fraction `at` of the trace
    let best = 0;
    const target = at * spec.span_s;
    for (let i = 0; i < times.length; i++) if (Math.abs(times[i] - target) < Math.abs(times[best] - target)) best = i;
    outlierIdx.set(best, value);
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    let v = 0;
    for (const c of comps) v += c(t);
    if (spec.quantum) v = Math.round(v / spec.quantum) * spec.quantum;
    else v = Math.round(v);
    if (outlierIdx.has(i)) v = outlierIdx.get(i);
    v = Math.max(v, 0);
    if (rng.u() < 0.002) threads = threadsBase + rng.int(0, 2);
    if (rng.u() < 0.003) fds = Math.max(3, fds + rng.int(-2, 2));
    const cpu = (rng.u() * (spec.cpu ?? 20)).toFixed(1);
    rows.push(`${t0 + Math.round(t * 1000)},${v},${threads},${fds},0,${cpu}`);
  }
  return { csv: 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent\n' + rows.join('\n') + '\n', samples: rows.length };
}

// ---------------------------------------------------------------- scenarios

const mb = (x) => Math.round(x * 100) / 100;
const perMin = (bytesPerMin) => bytesPerMin / 60; // bytes/s

export function scenarios() {
  const S = [];
  const add = (s) => S.push(s);

  // ===== A. short dense traces, 10 Hz, 90-120 s =====
  // A1 Node array leak ~80 MB/min under a GC sawtooth of tens of MB.
  [
    { seed: 101, span: 90, base: 60, rate: 80, amp: 30, period: 3 },
    { seed: 102, span: 100, base: 90, rate: 70, amp: 45, period: 4.5 },
    { seed: 103, span: 120, base: 120, rate: 90, amp: 25, period: 2.5 },
    { seed: 104, span: 110, base: 75, rate: 80, amp: 50, period: 6 },
  ].forEach((p) =>
    add({
      name: `dense-node-array-leak-s${p.seed}`,
      kind: 'dense-node-array-leak',
      class: 'steady-leak',
      runtime: 'node',
      hz: 10,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate, sawtooth_mb: p.amp, sawtooth_period_s: p.period, noise_mb: 0.5 },
      window_s: p.period * 2.5,
      description: `Node array leak ${p.rate} MB/min on ${p.base} MB under a ${p.amp} MB GC sawtooth (${p.period} s)`,
      times: (r) => regularTimes(r, 10, p.span),
      components: (r) => [constant(p.base * MB), ramp(perMin(p.rate * MB)), sawtooth(r, p.amp * MB, p.period), gauss(r, 0.5 * MB)],
    }),
  );

  // A2 loader climbing in five 50 MB steps then holding 85 s.
  [
    { seed: 111, base: 80, every: 5, hold: 85, rt: 'python' },
    { seed: 112, base: 200, every: 6, hold: 85, rt: 'node', saw: 12 },
    { seed: 113, base: 45, every: 4, hold: 85, rt: 'python' },
  ].forEach((p) => {
    const first = 3;
    const list = [0, 1, 2, 3, 4].map((k) => [first + k * p.every, 50 * MB]);
    const span = Math.round(first + 4 * p.every + p.hold);
    add({
      name: `dense-loader-steps-plateau-s${p.seed}`,
      kind: 'dense-loader-steps-plateau',
      class: 'plateau',
      runtime: p.rt,
      hz: 10,
      span_s: span,
      seed: p.seed,
      params: { base_mb: p.base, steps: 5, step_mb: 50, step_every_s: p.every, hold_s: p.hold, sawtooth_mb: p.saw ?? 0, noise_mb: 0.4 },
      window_s: 2,
      description: `Loader climbs from ${p.base} MB in five 50 MB steps every ${p.every} s, then holds ${p.hold} s`,
      times: (r) => regularTimes(r, 10, span),
      components: (r) => [constant(p.base * MB), steps(list, 0.8), gauss(r, 0.4 * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, 2)] : [])],
    });
  });

  // A3 batch job allocating 240 MB temporaries every 9 s.
  [
    { seed: 121, span: 110, base: 150, dur: 3 },
    { seed: 122, span: 120, base: 400, dur: 2 },
    { seed: 123, span: 100, base: 260, dur: 4, saw: 15 },
  ].forEach((p) =>
    add({
      name: `dense-batch-spiky-s${p.seed}`,
      kind: 'dense-batch-spiky',
      class: 'spiky',
      runtime: 'python',
      hz: 10,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, spike_mb: 240, spike_every_s: 9, spike_dur_s: p.dur, sawtooth_mb: p.saw ?? 0, noise_mb: 0.5 },
      window_s: p.dur * 3,
      description: `Batch job on ${p.base} MB allocating and freeing 240 MB temporaries every 9 s (${p.dur} s each)`,
      times: (r) => regularTimes(r, 10, p.span),
      components: (r) => [
        constant(p.base * MB),
        spikeTrain(periodicEvents(r, p.span, { every: 9, amp: 240 * MB, dur: p.dur, jitter: 0.08, ampJ: 0.05 })),
        gauss(r, 0.5 * MB),
        ...(p.saw ? [sawtooth(r, p.saw * MB, 2.5)] : []),
      ],
    }),
  );

  // A4 flat worker.
  [
    { seed: 131, span: 90, base: 70, noise: 0.3, saw: 0, rt: 'node' },
    { seed: 132, span: 120, base: 110, noise: 0.6, saw: 18, period: 3, rt: 'node' },
    { seed: 133, span: 100, base: 30, noise: 0.05, saw: 0, rt: 'python', quantum: 4 * KiB },
  ].forEach((p) =>
    add({
      name: `dense-flat-worker-s${p.seed}`,
      kind: 'dense-flat-worker',
      class: 'flat',
      runtime: p.rt,
      hz: 10,
      span_s: p.span,
      seed: p.seed,
      quantum: p.quantum,
      params: { base_mb: p.base, noise_mb: p.noise, sawtooth_mb: p.saw, quantum_bytes: p.quantum ?? 1 },
      window_s: p.saw ? p.period * 2.5 : 3,
      description: `Flat ${p.rt} worker at ${p.base} MB, noise ${p.noise} MB${p.saw ? `, ${p.saw} MB GC sawtooth` : ''}`,
      times: (r) => regularTimes(r, 10, p.span),
      components: (r) => [constant(p.base * MB), gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : [])],
    }),
  );

  // A5 stepwise leak, a kept step every ~10 s up to the end.
  [
    { seed: 141, span: 120, base: 100, step: 25 },
    { seed: 142, span: 110, base: 300, step: 40 },
    { seed: 143, span: 100, base: 60, step: 15, temp: 120 },
  ].forEach((p) => {
    const r0 = new Rng(p.seed * 7 + 1);
    const list = [];
    for (let t = r0.range(5, 9); t < p.span - 2; t += r0.range(8.5, 11.5)) list.push([t, p.step * MB * r0.range(0.85, 1.15)]);
    add({
      name: `dense-stepwise-leak-s${p.seed}`,
      kind: 'dense-stepwise-leak',
      class: 'stepwise-leak',
      runtime: 'python',
      hz: 10,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, step_mb: p.step, step_every_s: 10, steps: list.length, last_step_s: mb(list.at(-1)[0]), temporaries_mb: p.temp ?? 0, noise_mb: 0.4 },
      window_s: 2.5,
      description: `Stepwise leak: ${p.step} MB kept every ~10 s on ${p.base} MB${p.temp ? `, ${p.temp} MB temporaries between steps` : ''}`,
      times: (r) => regularTimes(r, 10, p.span),
      components: (r) => [
        constant(p.base * MB),
        steps(list, 0.5),
        gauss(r, 0.4 * MB),
        ...(p.temp ? [spikeTrain(list.slice(0, -1).map(([t]) => ({ t: t + 4, dur: 1.5, amp: p.temp * MB })))] : []),
      ],
    });
  });

  // ===== B. noisy band that drops to a quieter lower level (not a leak) =====
  [
    { seed: 201, span: 20 * MIN, base: 400, band: 12, drop: 8, at: 0.5, quiet: 1.0, cls: 'flat' },
    { seed: 202, span: 30 * MIN, base: 1200, band: 30, drop: 20, at: 0.4, quiet: 2.0, cls: 'flat' },
    { seed: 203, span: 10 * MIN, base: 90, band: 4, drop: 3, at: 0.6, quiet: 0.2, cls: 'flat', hz: 10 },
    { seed: 204, span: 25 * MIN, base: 500, band: 10, drop: 10, at: 0.55, quiet: 1.0, cls: 'spiky', spikes: 250 },
  ].forEach((p) => {
    const hz = p.hz ?? 1;
    const tSw = p.at * p.span;
    add({
      name: `noisy-band-then-quiet-s${p.seed}`,
      kind: 'noisy-band-then-quiet',
      class: p.cls,
      ...(p.spikes ? { acceptable: ['spiky', 'flat'] } : {}),
      runtime: 'python',
      hz,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, band_noise_mb: p.band, drop_mb: p.drop, switch_frac: p.at, quiet_noise_mb: p.quiet, spike_mb: p.spikes ?? 0 },
      window_s: p.spikes ? 40 : 30,
      description: `Noisy band (${p.band} MB upward noise${p.spikes ? `, ${p.spikes} MB spikes` : ''}) on ${p.base} MB, then a quieter level ${p.drop} MB lower`,
      times: (r) => regularTimes(r, hz, p.span),
      components: (r) => {
        const noisy = upNoise(r, p.band * MB);
        const g1 = gauss(r, 0.3 * p.band * MB);
        const quiet = gauss(r, p.quiet * MB);
        const sp = p.spikes
          ? spikeTrain(periodicEvents(r, p.span, { every: 45, amp: p.spikes * MB, dur: 8, end: tSw - 20, ampJ: 0.3, jitter: 0.3 }), 1, 1)
          : () => 0;
        return [
          constant(p.base * MB),
          switchAt(tSw, (t) => noisy(t) + g1(t) + sp(t), (t) => -p.drop * MB + quiet(t)),
        ];
      },
    });
  });

  // ===== C. 4 h flat with two sampling gaps (12 min and 3 min); and other classes with gaps =====
  [
    { seed: 301, base: 300, noise: 1.5, saw: 0, gaps: [[1.3 * HOUR, 12 * MIN], [2.9 * HOUR, 3 * MIN]], rt: 'python' },
    { seed: 302, base: 2048, noise: 6, saw: 40, period: 20, gaps: [[0.8 * HOUR, 12 * MIN], [3.1 * HOUR, 3 * MIN]], rt: 'node' },
  ].forEach((p) =>
    add({
      name: `flat-4h-gaps-s${p.seed}`,
      kind: 'flat-4h-gaps',
      class: 'flat',
      runtime: p.rt,
      hz: 1,
      sampling: 'gaps',
      span_s: 4 * HOUR,
      seed: p.seed,
      params: { base_mb: p.base, noise_mb: p.noise, sawtooth_mb: p.saw, gaps_s: p.gaps.map(([a, d]) => [a, d]) },
      window_s: 120,
      description: `4 h flat at ${p.base} MB (noise ${p.noise} MB${p.saw ? `, ${p.saw} MB sawtooth` : ''}) with sampling gaps of 12 min and 3 min`,
      times: (r) => gappedTimes(r, 1, 4 * HOUR, p.gaps),
      components: (r) => [constant(p.base * MB), gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : [])],
    }),
  );
  add({
    name: 'leak-2h-gaps-s311',
    kind: 'leak-with-gaps',
    class: 'steady-leak',
    runtime: 'python',
    hz: 1,
    sampling: 'gaps',
    span_s: 2 * HOUR,
    seed: 311,
    params: { base_mb: 400, rate_mb_per_min: 0.5, noise_mb: 1.5, gaps_s: [[40 * MIN, 9 * MIN], [85 * MIN, 4 * MIN]] },
    window_s: 120,
    description: '2 h leak 0.5 MB/min on 400 MB (noise 1.5 MB) with sampling gaps of 9 and 4 min',
    times: (r) => gappedTimes(r, 1, 2 * HOUR, [[40 * MIN, 9 * MIN], [85 * MIN, 4 * MIN]]),
    components: (r) => [constant(400 * MB), ramp(perMin(0.5 * MB)), gauss(r, 1.5 * MB)],
  });
  add({
    name: 'plateau-90m-gap-s312',
    kind: 'plateau-with-gaps',
    class: 'plateau',
    runtime: 'node',
    hz: 1,
    sampling: 'gaps',
    span_s: 90 * MIN,
    seed: 312,
    params: { base_mb: 250, rise_mb: 300, tau_min: 6, noise_mb: 2, gaps_s: [[12 * MIN, 6 * MIN], [50 * MIN, 10 * MIN]] },
    window_s: 60,
    description: 'Cache fills 250 -> 550 MB (tau 6 min), flat afterwards; sampling gaps of 6 and 10 min',
    times: (r) => gappedTimes(r, 1, 90 * MIN, [[12 * MIN, 6 * MIN], [50 * MIN, 10 * MIN]]),
    components: (r) => [constant(250 * MB), expApproach(300 * MB, 6 * MIN), gauss(r, 2 * MB)],
  });
  add({
    name: 'stepwise-leak-2h-gap-s313',
    kind: 'stepwise-leak-with-gaps',
    class: 'stepwise-leak',
    runtime: 'python',
    hz: 1,
    sampling: 'gaps',
    span_s: 2 * HOUR,
    seed: 313,
    params: { base_mb: 600, step_mb: 40, step_every_min: 12, noise_mb: 2, gaps_s: [[30 * MIN, 5 * MIN], [70 * MIN, 8 * MIN]] },
    window_s: 60,
    description: 'Stepwise leak: 40 MB kept every ~12 min on 600 MB over 2 h, sampling gaps of 5 and 8 min',
    times: (r) => gappedTimes(r, 1, 2 * HOUR, [[30 * MIN, 5 * MIN], [70 * MIN, 8 * MIN]]),
    components: (r) => {
      const list = [];
      for (let t = 7 * MIN; t < 2 * HOUR - 2 * MIN; t += 12 * MIN) list.push([t + r.range(-60, 60), 40 * MB]);
      return [constant(600 * MB), steps(list, 2), gauss(r, 2 * MB)];
    },
  });

  // ===== D. 6 h exponential approach to a plateau (tau 45 min) =====
  [
    { seed: 401, base: 800, rise: 600, noise: 4, saw: 0 },
    { seed: 402, base: 3072, rise: 2048, noise: 12, saw: 0 },
    { seed: 403, base: 350, rise: 400, noise: 2, saw: 25, period: 30, rt: 'node' },
  ].forEach((p) =>
    add({
      name: `exp-approach-6h-s${p.seed}`,
      kind: 'exp-approach-6h',
      class: 'plateau',
      runtime: p.rt ?? 'python',
      hz: 1,
      span_s: 6 * HOUR,
      seed: p.seed,
      params: { base_mb: p.base, rise_mb: p.rise, tau_min: 45, noise_mb: p.noise, sawtooth_mb: p.saw },
      window_s: p.saw ? 90 : 60,
      description: `6 h exponential approach ${p.base} -> ${p.base + p.rise} MB, time constant 45 min${p.saw ? `, ${p.saw} MB sawtooth` : ''}`,
      times: (r) => regularTimes(r, 1, 6 * HOUR),
      components: (r) => [constant(p.base * MB), expApproach(p.rise * MB, 45 * MIN), gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : [])],
    }),
  );

  // ===== E. 2 h starting mid-warm-up then flat =====
  [
    { seed: 501, base: 1000, rise: 500, tau: 10, offset: 10, noise: 3 },
    { seed: 502, base: 150, rise: 200, tau: 15, offset: 8, noise: 1 },
    { seed: 503, base: 5000, rise: 1500, tau: 12, offset: 12, noise: 15, hz: 0.5 },
  ].forEach((p) => {
    const hz = p.hz ?? 1;
    add({
      name: `mid-warmup-2h-s${p.seed}`,
      kind: 'mid-warmup-then-flat',
      class: 'plateau',
      runtime: 'python',
      hz: hz >= 1 ? 1 : hz,
      span_s: 2 * HOUR,
      seed: p.seed,
      params: { base_mb: p.base, full_rise_mb: p.rise, tau_min: p.tau, start_offset_min: p.offset, remaining_rise_mb: mb(p.rise * Math.exp(-p.offset / p.tau)), noise_mb: p.noise },
      window_s: 60,
      description: `Trace starts mid-warm-up (${mb(p.rise * Math.exp(-p.offset / p.tau))} MB of the rise left, tau ${p.tau} min), then flat for the rest of 2 h`,
      times: (r) => regularTimes(r, hz, 2 * HOUR),
      components: (r) => [constant(p.base * MB), expApproach(p.rise * MB, p.tau * MIN, p.offset * MIN), gauss(r, p.noise * MB)],
    });
  });

  // ===== F. 1 h 12 GB model server, 15 MB noise, 3 MB/min growth vs none =====
  [
    { seed: 601, rate: 3, cls: 'steady-leak' },
    { seed: 602, rate: 3, cls: 'steady-leak', irregular: true },
    { seed: 603, rate: 0, cls: 'flat' },
    { seed: 604, rate: 0, cls: 'flat', irregular: true },
  ].forEach((p) =>
    add({
      name: `model-server-12g-${p.rate ? 'leak' : 'flat'}-s${p.seed}`,
      kind: p.rate ? 'model-server-12g-leak' : 'model-server-12g-flat',
      class: p.cls,
      runtime: 'python',
      hz: p.irregular ? 0.5 : 1,
      sampling: p.irregular ? 'irregular' : 'regular',
      span_s: HOUR,
      seed: p.seed,
      params: { base_mb: 12 * 1024, rate_mb_per_min: p.rate, noise_mb: 15 },
      window_s: 60,
      description: `1 h of a 12 GB model server, 15 MB noise, ${p.rate ? '3 MB/min true growth (~1.5%/h)' : 'no growth'}${p.irregular ? ', irregular sampling' : ''}`,
      times: (r) => (p.irregular ? irregularTimes(r, HOUR) : regularTimes(r, 1, HOUR)),
      components: (r) => [constant(12 * GB), ramp(perMin(p.rate * MB)), gauss(r, 15 * MB)],
    }),
  );

  // ===== G. 6 h of a 1.5 GB process whose level wanders (OU), no trend =====
  [
    { seed: 701, sd: 15, tau: 20 },
    { seed: 702, sd: 15, tau: 20 },
    { seed: 703, sd: 30, tau: 60 },
    { seed: 704, sd: 30, tau: 60 },
    { seed: 705, sd: 30, tau: 20 },
  ].forEach((p) =>
    add({
      name: `ou-wander-6h-sd${p.sd}-tau${p.tau}-s${p.seed}`,
      kind: 'ou-wander-6h',
      class: 'flat',
      runtime: 'python',
      hz: 1,
      span_s: 6 * HOUR,
      seed: p.seed,
      params: { base_mb: 1536, ou_sd_mb: p.sd, ou_tau_min: p.tau, noise_mb: 3 },
      wander_sd_mb: p.sd,
      window_s: 60,
      description: `6 h, 1.5 GB process whose level wanders (OU sd ${p.sd} MB, tau ${p.tau} min), no trend`,
      times: (r) => regularTimes(r, 1, 6 * HOUR),
      components: (r) => [constant(1536 * MB), ou(r, p.sd * MB, p.tau * MIN, 0), gauss(r, 3 * MB)],
    }),
  );

  // ===== H. slow leaks =====
  [
    { seed: 801, span: 15, base: 500, rate: 1, noise: 2.5 },
    { seed: 802, span: 20, base: 500, rate: 1, noise: 2.5 },
    { seed: 803, span: 30, base: 500, rate: 1, noise: 2.5 },
    { seed: 804, span: 120, base: 200, rate: 0.3, noise: 1 },
    { seed: 805, span: 120, base: 200, rate: 0.3, noise: 1, irregular: true },
  ].forEach((p) =>
    add({
      name: `slow-leak-${p.rate}mbpm-${p.span}m-s${p.seed}`,
      kind: 'slow-leak',
      class: 'steady-leak',
      runtime: 'python',
      hz: p.irregular ? 0.5 : 1,
      sampling: p.irregular ? 'irregular' : 'regular',
      span_s: p.span * MIN,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate, noise_mb: p.noise },
      window_s: 30,
      description: `Slow leak ${p.rate} MB/min on ${p.base} MB (noise sd ${p.noise} MB) for ${p.span} min${p.irregular ? ', irregular sampling' : ''}`,
      times: (r) => (p.irregular ? irregularTimes(r, p.span * MIN) : regularTimes(r, 1, p.span * MIN)),
      components: (r) => [constant(p.base * MB), ramp(perMin(p.rate * MB)), gauss(r, p.noise * MB)],
    }),
  );

  // ===== I. fast leak under GC sawtooth =====
  [
    { seed: 901, span: 2, hz: 10, base: 200, rate: 80, amp: 60, period: 8 },
    { seed: 902, span: 3, hz: 1, base: 200, rate: 80, amp: 60, period: 10 },
    { seed: 903, span: 4, hz: 10, base: 200, rate: 80, amp: 60, period: 12 },
    { seed: 904, span: 5, hz: 1, base: 200, rate: 80, amp: 60, period: 9 },
    { seed: 905, span: 3, hz: 1, base: 1024, rate: 250, amp: 80, period: 10 },
  ].forEach((p) =>
    add({
      name: `fast-leak-sawtooth-${p.rate}mbpm-s${p.seed}`,
      kind: 'fast-leak-sawtooth',
      class: 'steady-leak',
      runtime: 'node',
      hz: p.hz,
      span_s: p.span * MIN,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate, sawtooth_mb: p.amp, sawtooth_period_s: p.period, noise_mb: 1 },
      window_s: p.period * 2.5,
      description: `Fast leak ${p.rate} MB/min on ${p.base} MB under a ${p.amp} MB GC sawtooth, ${p.span} min at ${p.hz} Hz`,
      times: (r) => regularTimes(r, p.hz, p.span * MIN),
      components: (r) => [constant(p.base * MB), ramp(perMin(p.rate * MB)), sawtooth(r, p.amp * MB, p.period), gauss(r, 1 * MB)],
    }),
  );

  // ===== J. stepwise leaks (with / without temporaries), and steps that stop =====
  const stepList = (r, from, to, every, size = 1, jitter = 0.2) => {
    const list = [];
    for (let t = from; t < to; t += every * r.range(1 - jitter, 1 + jitter)) list.push([t, size * r.range(0.8, 1.2)]);
    return list;
  };
  [
    { seed: 1001, span: 30 * MIN, base: 300, step: 30, every: 3 * MIN, temp: 0, noise: 1.5 },
    { seed: 1002, span: 45 * MIN, base: 800, step: 60, every: 5 * MIN, temp: 300, noise: 3 },
    { seed: 1003, span: 20 * MIN, base: 120, step: 12, every: 2 * MIN, temp: 80, noise: 0.6 },
    { seed: 1004, span: 2 * HOUR, base: 4096, step: 100, every: 10 * MIN, temp: 0, noise: 8 },
    { seed: 1005, span: 60 * MIN, base: 1500, step: 50, every: 4 * MIN, temp: 400, noise: 4, saw: 30 },
  ].forEach((p) => {
    const r0 = new Rng(p.seed * 13 + 5);
    const list = stepList(r0, p.every * 0.6, p.span - 20, p.every);
    list.forEach((s) => (s[1] *= p.step * MB));
    add({
      name: `stepwise-leak-s${p.seed}`,
      kind: p.temp ? 'stepwise-leak-temporaries' : 'stepwise-leak',
      class: 'stepwise-leak',
      runtime: 'python',
      hz: 1,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, step_mb: p.step, step_every_s: p.every, steps: list.length, last_step_s: mb(list.at(-1)[0]), temporaries_mb: p.temp, noise_mb: p.noise, sawtooth_mb: p.saw ?? 0 },
      window_s: p.temp ? 40 : 20,
      description: `Stepwise leak: ${p.step} MB kept every ~${p.every / MIN} min on ${p.base} MB${p.temp ? `, ${p.temp} MB temporaries between steps` : ''}${p.saw ? `, ${p.saw} MB sawtooth` : ''}`,
      times: (r) => regularTimes(r, 1, p.span),
      components: (r) => {
        const temps = p.temp
          ? spikeTrain(list.map(([t]) => ({ t: t + p.every * r.range(0.3, 0.6), dur: r.range(5, 12), amp: p.temp * MB * r.range(0.7, 1.3) })).filter((e) => e.t < p.span - 20), 1, 1.5)
          : () => 0;
        return [constant(p.base * MB), steps(list, 2), temps, gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, 15)] : [])];
      },
    });
  });
  [
    { seed: 1011, span: 60 * MIN, base: 500, step: 50, every: 3 * MIN, stopFrac: 0.3, temp: 0 },
    { seed: 1012, span: 2 * HOUR, base: 2048, step: 120, every: 6 * MIN, stopFrac: 0.35, temp: 500 },
  ].forEach((p) => {
    const r0 = new Rng(p.seed * 13 + 5);
    const list = stepList(r0, p.every * 0.5, p.span * p.stopFrac, p.every);
    list.forEach((s) => (s[1] *= p.step * MB));
    add({
      name: `steps-then-stop-plateau-s${p.seed}`,
      kind: 'steps-then-stop',
      class: 'plateau',
      runtime: 'python',
      hz: 1,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, step_mb: p.step, step_every_s: p.every, steps: list.length, last_step_s: mb(list.at(-1)[0]), temporaries_mb: p.temp, noise_mb: 2 },
      window_s: 40,
      description: `${list.length} kept ${p.step} MB steps in the first ${Math.round(p.stopFrac * 100)}% of the trace, flat afterwards${p.temp ? `, ${p.temp} MB temporaries throughout` : ''}`,
      times: (r) => regularTimes(r, 1, p.span),
      components: (r) => {
        const temps = p.temp
          ? spikeTrain(periodicEvents(r, p.span, { every: p.every, amp: p.temp * MB, dur: 8, jitter: 0.3, ampJ: 0.3 }), 1, 1.5)
          : () => 0;
        return [constant(p.base * MB), steps(list, 2), temps, gauss(r, 2 * MB)];
      },
    });
  });

  // ===== K. late-start leak (leak) and leak that stops halfway (plateau) =====
  [
    { seed: 1101, span: 30 * MIN, base: 300, rate: 2, startFrac: 0.55, noise: 1, hz: 1 },
    { seed: 1102, span: 2 * HOUR, base: 2048, rate: 5, startFrac: 0.6, noise: 6, hz: 1, saw: 40 },
    { seed: 1103, span: 4 * MIN, base: 150, rate: 40, startFrac: 0.5, noise: 0.5, hz: 10 },
  ].forEach((p) =>
    add({
      name: `late-start-leak-s${p.seed}`,
      kind: 'late-start-leak',
      class: 'steady-leak',
      runtime: p.saw ? 'node' : 'python',
      hz: p.hz,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate, leak_start_frac: p.startFrac, noise_mb: p.noise, sawtooth_mb: p.saw ?? 0 },
      window_s: p.saw ? 60 : Math.max(3, p.span / 100),
      description: `Flat for ${Math.round(p.startFrac * 100)}% of the trace at ${p.base} MB, then a ${p.rate} MB/min leak until the end`,
      times: (r) => regularTimes(r, p.hz, p.span),
      components: (r) => [constant(p.base * MB), ramp(perMin(p.rate * MB), p.startFrac * p.span), gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, 20)] : [])],
    }),
  );
  [
    { seed: 1111, span: 30 * MIN, base: 300, rate: 4, stopFrac: 0.5, noise: 1, hz: 1 },
    { seed: 1112, span: 2 * HOUR, base: 1024, rate: 3, stopFrac: 0.45, noise: 4, hz: 1, saw: 30 },
    { seed: 1113, span: 4 * MIN, base: 100, rate: 50, stopFrac: 0.4, noise: 0.4, hz: 10 },
  ].forEach((p) =>
    add({
      name: `leak-stops-halfway-s${p.seed}`,
      kind: 'leak-stops-halfway',
      class: 'plateau',
      runtime: p.saw ? 'node' : 'python',
      hz: p.hz,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate, leak_stop_frac: p.stopFrac, noise_mb: p.noise, sawtooth_mb: p.saw ?? 0 },
      window_s: p.saw ? 60 : Math.max(3, p.span / 100),
      description: `${p.rate} MB/min leak on ${p.base} MB for the first ${Math.round(p.stopFrac * 100)}% of the trace, then flat`,
      times: (r) => regularTimes(r, p.hz, p.span),
      components: (r) => [constant(p.base * MB), ramp(perMin(p.rate * MB), 0, p.stopFrac * p.span), gauss(r, p.noise * MB), ...(p.saw ? [sawtooth(r, p.saw * MB, 20)] : [])],
    }),
  );

  // ===== L. spiky: with/without sawtooth, heavy-tailed =====
  [
    { seed: 1201, span: 20 * MIN, base: 300, amp: 200, every: 40, dur: 6, saw: 0, hz: 1 },
    { seed: 1202, span: 60 * MIN, base: 2048, amp: 1024, every: 120, dur: 15, saw: 0, hz: 1 },
    { seed: 1203, span: 10 * MIN, base: 30, amp: 25, every: 20, dur: 3, saw: 0, hz: 1 },
    { seed: 1204, span: 15 * MIN, base: 400, amp: 350, every: 30, dur: 5, saw: 40, period: 8, hz: 1, rt: 'node' },
    { seed: 1205, span: 5 * MIN, base: 150, amp: 150, every: 15, dur: 2, saw: 20, period: 3, hz: 10, rt: 'node' },
  ].forEach((p) =>
    add({
      name: `spiky-s${p.seed}`,
      kind: p.saw ? 'spiky-sawtooth' : 'spiky',
      class: 'spiky',
      runtime: p.rt ?? 'python',
      hz: p.hz,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, spike_mb: p.amp, spike_every_s: p.every, spike_dur_s: p.dur, sawtooth_mb: p.saw, noise_mb: 0.005 * p.base },
      window_s: Math.max(p.dur * 3, p.saw ? p.period * 2.5 : 0),
      description: `Steady ${p.base} MB with ${p.amp} MB temporaries every ~${p.every} s${p.saw ? `, ${p.saw} MB GC sawtooth` : ''}`,
      times: (r) => regularTimes(r, p.hz, p.span),
      components: (r) => [
        constant(p.base * MB),
        spikeTrain(periodicEvents(r, p.span, { every: p.every, amp: p.amp * MB, dur: p.dur, jitter: 0.35, ampJ: 0.35 }), 0.6, 0.8),
        gauss(r, 0.005 * p.base * MB),
        ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : []),
      ],
    }),
  );
  [
    { seed: 1211, span: 30 * MIN, base: 600, xm: 120, alpha: 1.3, cap: 4000, rate: 1 / 60, dur: 5, saw: 0 },
    { seed: 1212, span: 45 * MIN, base: 250, xm: 60, alpha: 1.5, cap: 1500, rate: 1 / 45, dur: 4, saw: 20, period: 6, rt: 'node' },
    { seed: 1213, span: 20 * MIN, base: 8192, xm: 800, alpha: 1.2, cap: 16384, rate: 1 / 50, dur: 8, saw: 0 },
  ].forEach((p) =>
    add({
      name: `spiky-heavy-tail-s${p.seed}`,
      kind: 'spiky-heavy-tail',
      class: 'spiky',
      runtime: p.rt ?? 'python',
      hz: 1,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, pareto_xm_mb: p.xm, pareto_alpha: p.alpha, cap_mb: p.cap, spikes_per_min: mb(p.rate * 60), spike_dur_mean_s: p.dur, sawtooth_mb: p.saw, noise_mb: 0.004 * p.base },
      window_s: Math.max(p.dur * 8, p.saw ? p.period * 2.5 : 0),
      description: `Steady ${p.base} MB with heavy-tailed (Pareto alpha ${p.alpha}, min ${p.xm} MB) temporaries${p.saw ? `, ${p.saw} MB sawtooth` : ''}`,
      times: (r) => regularTimes(r, 1, p.span),
      components: (r) => [
        constant(p.base * MB),
        spikeTrain(heavyEvents(r, p.span, { rate: p.rate, xm: p.xm * MB, alpha: p.alpha, cap: p.cap * MB, durMean: p.dur }), 0.6, 1),
        gauss(r, 0.004 * p.base * MB),
        ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : []),
      ],
    }),
  );

  // ===== M. quantised RSS (4 KiB pages) and single absurd outliers =====
  const Q = 4 * KiB;
  add({
    name: 'quantised-flat-30m-s1301',
    kind: 'quantised-flat',
    class: 'flat',
    runtime: 'python',
    hz: 1,
    span_s: 30 * MIN,
    seed: 1301,
    quantum: Q,
    params: { base_mb: 30, noise_kib: 6, quantum_bytes: Q },
    window_s: 20,
    description: 'Tiny 30 MB process, flat, noise of a couple of pages, RSS quantised to 4 KiB pages',
    times: (r) => regularTimes(r, 1, 30 * MIN),
    components: (r) => [constant(30 * MB), gauss(r, 6 * KiB)],
  });
  add({
    name: 'quantised-leak-30m-3kibps-s1302',
    kind: 'quantised-slow-leak',
    class: 'steady-leak',
    runtime: 'python',
    hz: 1,
    span_s: HOUR,
    seed: 1302,
    quantum: Q,
    params: { base_mb: 30, rate_kib_per_s: 3, noise_kib: 8, quantum_bytes: Q },
    window_s: 20,
    description: '30 MB process leaking 3 KiB/s (3x the 1 KiB/s floor) for 1 h, RSS quantised to 4 KiB pages',
    times: (r) => regularTimes(r, 1, HOUR),
    components: (r) => [constant(30 * MB), ramp(3 * KiB), gauss(r, 8 * KiB)],
  });
  add({
    name: 'quantised-plateau-s1303',
    kind: 'quantised-plateau',
    class: 'plateau',
    runtime: 'node',
    hz: 10,
    span_s: 120,
    seed: 1303,
    quantum: Q,
    params: { base_mb: 40, rise_mb: 12, tau_s: 10, noise_kib: 8, quantum_bytes: Q },
    window_s: 3,
    description: 'Node start-up 40 -> 52 MB (tau 10 s) then flat, 10 Hz, RSS quantised to 4 KiB pages',
    times: (r) => regularTimes(r, 10, 120),
    components: (r) => [constant(40 * MB), expApproach(12 * MB, 10), gauss(r, 8 * KiB)],
  });
  add({
    name: 'quantised-stepwise-s1304',
    kind: 'quantised-stepwise-leak',
    class: 'stepwise-leak',
    runtime: 'python',
    hz: 1,
    span_s: 20 * MIN,
    seed: 1304,
    quantum: Q,
    params: { base_mb: 35, step_mb: 2, step_every_s: 90, noise_kib: 4, quantum_bytes: Q },
    window_s: 10,
    description: '35 MB process keeping a 2 MB block every ~90 s, RSS quantised to 4 KiB pages',
    times: (r) => regularTimes(r, 1, 20 * MIN),
    components: (r) => [constant(35 * MB), steps(stepList(r, 50, 20 * MIN - 20, 90).map(([t, f]) => [t, 2 * MB * f]), 1), gauss(r, 4 * KiB)],
  });
  [
    { seed: 1311, cls: 'flat', base: 400, outlier: 0, at: 0.63, what: 'a single 0-byte sample' },
    { seed: 1312, cls: 'flat', base: 900, outlier: 2 ** 40, at: 0.97, what: 'a single 1 TiB sample near the end' },
    { seed: 1313, cls: 'steady-leak', base: 500, rate: 2, outlier: 0, at: 0.4, what: 'a single 0-byte sample' },
    { seed: 1314, cls: 'steady-leak', base: 250, rate: 1.5, outlier: 64 * GB, at: 0.02, what: 'a single 64 GiB sample at the start' },
    { seed: 1315, cls: 'plateau', base: 300, rise: 250, outlier: 40 * GB, at: 0.9, what: 'a single 40 GiB sample late in the flat part' },
    { seed: 1316, cls: 'spiky', base: 700, spike: 400, outlier: 0, at: 0.5, what: 'a single 0-byte sample' },
  ].forEach((p) => {
    const span = 30 * MIN;
    add({
      name: `outlier-${p.cls}-s${p.seed}`,
      kind: `outlier-${p.cls}`,
      class: p.cls,
      runtime: 'python',
      hz: 1,
      span_s: span,
      seed: p.seed,
      quantum: Q,
      outliers: [[p.at, p.outlier]],
      params: { base_mb: p.base, rate_mb_per_min: p.rate ?? 0, rise_mb: p.rise ?? 0, spike_mb: p.spike ?? 0, noise_mb: 1.5, outlier_bytes: p.outlier, outlier_at_frac: p.at, quantum_bytes: Q },
      window_s: p.spike ? 25 : 20,
      description: `${p.cls} (${p.base} MB${p.rate ? `, +${p.rate} MB/min` : ''}${p.rise ? `, rises ${p.rise} MB then holds` : ''}${p.spike ? `, ${p.spike} MB temporaries` : ''}) with ${p.what}, 4 KiB pages`,
      times: (r) => regularTimes(r, 1, span),
      components: (r) => [
        constant(p.base * MB),
        ...(p.rate ? [ramp(perMin(p.rate * MB))] : []),
        ...(p.rise ? [expApproach(p.rise * MB, 3 * MIN)] : []),
        ...(p.spike ? [spikeTrain(periodicEvents(r, span, { every: 60, amp: p.spike * MB, dur: 6, jitter: 0.3, ampJ: 0.3 }), 0.6, 0.8)] : []),
        gauss(r, 1.5 * MB),
      ],
    });
  });

  // ===== N. irregular sampling 0.5-4 s with pauses of 8-20 s =====
  [
    { seed: 1401, cls: 'flat', kind: 'irregular-flat', base: 700, noise: 2, span: 40 * MIN },
    { seed: 1402, cls: 'steady-leak', kind: 'irregular-leak', base: 700, noise: 2, rate: 1.5, span: 40 * MIN },
    { seed: 1403, cls: 'plateau', kind: 'irregular-plateau', base: 300, noise: 1.5, rise: 400, tau: 4 * MIN, span: 50 * MIN },
    { seed: 1404, cls: 'spiky', kind: 'irregular-spiky', base: 500, noise: 1.5, spike: 300, span: 30 * MIN },
    { seed: 1405, cls: 'stepwise-leak', kind: 'irregular-stepwise-leak', base: 900, noise: 3, step: 60, every: 4 * MIN, span: 45 * MIN },
  ].forEach((p) =>
    add({
      name: `${p.kind}-s${p.seed}`,
      kind: p.kind,
      class: p.cls,
      runtime: 'python',
      hz: 0.5,
      sampling: 'irregular',
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, noise_mb: p.noise, rate_mb_per_min: p.rate ?? 0, rise_mb: p.rise ?? 0, tau_s: p.tau ?? 0, spike_mb: p.spike ?? 0, step_mb: p.step ?? 0, step_every_s: p.every ?? 0, interval_s: [0.5, 4], pauses_s: [8, 20] },
      window_s: p.spike ? 60 : 45,
      description: `${p.cls} on ${p.base} MB, sampled every 0.5-4 s with pauses of 8-20 s`,
      times: (r) => irregularTimes(r, p.span),
      components: (r) => [
        constant(p.base * MB),
        ...(p.rate ? [ramp(perMin(p.rate * MB))] : []),
        ...(p.rise ? [expApproach(p.rise * MB, p.tau)] : []),
        ...(p.spike ? [spikeTrain(periodicEvents(r, p.span, { every: 70, amp: p.spike * MB, dur: 15, jitter: 0.3, ampJ: 0.3 }), 1, 1.5)] : []),
        ...(p.step ? [steps(stepList(r, p.every * 0.7, p.span - 30, p.every).map(([t, f]) => [t, p.step * MB * f]), 3)] : []),
        gauss(r, p.noise * MB),
      ],
    }),
  );

  // ===== P. scale and materiality: just above the threshold, and clearly below it =====
  // threshold = max(0.5 % of size per hour, 1 KiB/s)
  [
    { seed: 1501, cls: 'steady-leak', base: 30, rateKiBs: 2.5, span: 3 * HOUR, noise: 0.2, note: '2.5x the 1 KiB/s floor' },
    { seed: 1502, cls: 'steady-leak', base: 12 * 1024, rateKiBs: (2 * 1024) / 60, span: 3 * HOUR, noise: 15, note: '2 MB/min = 2x 0.5 %/h of 12 GB' },
    { seed: 1503, cls: 'steady-leak', base: 4096, rateKiBs: (0.7 * 1024) / 60, span: 6 * HOUR, noise: 4, note: '0.7 MB/min = ~2x 0.5 %/h of 4 GB' },
    { seed: 1504, cls: 'steady-leak', base: 80, rateKiBs: 4, span: 2 * HOUR, noise: 0.3, note: '4 KiB/s on 80 MB' },
    { seed: 1505, cls: 'flat', base: 12 * 1024, rateKiBs: (0.2 * 1024) / 60, span: HOUR, noise: 15, note: '0.2 MB/min = 0.1 %/h of 12 GB, 1/5 of the threshold' },
    { seed: 1506, cls: 'flat', base: 2048, rateKiBs: 0.3, span: 2 * HOUR, noise: 3, note: '0.3 KiB/s, below both thresholds' },
  ].forEach((p) =>
    add({
      name: `materiality-${p.cls}-s${p.seed}`,
      kind: p.cls === 'flat' ? 'sub-threshold-drift' : 'just-above-threshold-leak',
      class: p.cls,
      runtime: 'python',
      hz: 1,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, rate_kib_per_s: mb(p.rateKiBs), threshold_kib_per_s: mb(Math.max((0.005 * p.base * 1024) / 3600, 1)), noise_mb: p.noise },
      window_s: 60,
      description: `${p.base >= 1024 ? `${p.base / 1024} GB` : `${p.base} MB`} process growing ${mb(p.rateKiBs)} KiB/s over ${p.span / HOUR} h (${p.note})`,
      times: (r) => regularTimes(r, 1, p.span),
      components: (r) => [constant(p.base * MB), ramp(p.rateKiBs * KiB), gauss(r, p.noise * MB)],
    }),
  );

  // ===== Q. a few more scale variants of the common shapes =====
  [
    { seed: 1601, cls: 'steady-leak', kind: 'leak-sawtooth-long', base: 1200, rate: 2, saw: 80, period: 45, span: 90 * MIN, rt: 'node' },
    { seed: 1602, cls: 'flat', kind: 'flat-sawtooth-long', base: 1200, rate: 0, saw: 80, period: 45, span: 90 * MIN, rt: 'node' },
    { seed: 1603, cls: 'steady-leak', kind: 'leak-short-1hz', base: 60, rate: 20, saw: 0, span: 60, hz: 1 },
    { seed: 1604, cls: 'flat', kind: 'flat-short-1hz', base: 60, rate: 0, saw: 0, span: 60, hz: 1 },
    { seed: 1605, cls: 'steady-leak', kind: 'leak-spikes-on-top', base: 800, rate: 3, spike: 300, span: 40 * MIN },
    { seed: 1606, cls: 'plateau', kind: 'warmup-then-hold', base: 9000, rise: 2500, tau: 5 * MIN, span: 60 * MIN, noise: 20 },
    { seed: 1607, cls: 'steady-leak', kind: 'leak-6h-gc', base: 600, rate: 0.4, saw: 30, period: 60, span: 6 * HOUR, rt: 'node' },
    { seed: 1608, cls: 'plateau', kind: 'linear-warmup-then-hold', base: 500, rate: 30, stop: 8 * MIN, span: 30 * MIN },
  ].forEach((p) => {
    const hz = p.hz ?? 1;
    const noise = p.noise ?? Math.max(0.2, 0.003 * p.base);
    add({
      name: `${p.kind}-s${p.seed}`,
      kind: p.kind,
      class: p.cls,
      runtime: p.rt ?? 'python',
      hz,
      span_s: p.span,
      seed: p.seed,
      params: { base_mb: p.base, rate_mb_per_min: p.rate ?? 0, rise_mb: p.rise ?? 0, tau_s: p.tau ?? 0, rate_stop_s: p.stop ?? 0, sawtooth_mb: p.saw ?? 0, sawtooth_period_s: p.period ?? 0, spike_mb: p.spike ?? 0, noise_mb: mb(noise) },
      window_s: p.saw ? p.period * 2.5 : p.spike ? 40 : Math.max(5, Math.min(60, p.span / 60)),
      description: `${p.cls} (${p.kind}) on ${p.base} MB${p.rate ? `, ${p.rate} MB/min` : ''}${p.stop ? ` for ${p.stop / MIN} min` : ''}${p.rise ? `, rise ${p.rise} MB tau ${p.tau / MIN} min` : ''}${p.saw ? `, ${p.saw} MB sawtooth` : ''}${p.spike ? `, ${p.spike} MB temporaries` : ''}, ${p.span >= HOUR ? `${p.span / HOUR} h` : p.span >= MIN ? `${p.span / MIN} min` : `${p.span} s`}`,
      times: (r) => regularTimes(r, hz, p.span),
      components: (r) => [
        constant(p.base * MB),
        ...(p.rate ? [ramp(perMin(p.rate * MB), 0, p.stop ?? Infinity)] : []),
        ...(p.rise ? [expApproach(p.rise * MB, p.tau)] : []),
        ...(p.saw ? [sawtooth(r, p.saw * MB, p.period)] : []),
        ...(p.spike ? [spikeTrain(periodicEvents(r, p.span, { every: 50, amp: p.spike * MB, dur: 6, jitter: 0.3, ampJ: 0.3 }), 0.6, 0.8)] : []),
        gauss(r, noise * MB),
      ],
    });
  });

  // ===== Z. genuinely ambiguous (expected answer: unknown, or either listed class) =====
  add({
    name: 'ambiguous-decelerating-3h-s1901',
    kind: 'ambiguous-decelerating',
    class: 'unknown',
    ambiguous: true,
    acceptable: ['unknown', 'plateau', 'steady-leak'],
    runtime: 'python',
    hz: 1,
    span_s: 3 * HOUR,
    seed: 1901,
    params: { base_mb: 1000, rise_mb: 600, tau_min: 120, noise_mb: 3, reached_frac: mb(1 - Math.exp(-1.5)) },
    window_s: 60,
    description: 'Exponential approach with tau 2 h over 3 h: decelerating, only ~78% of the asymptote reached, still rising ~1.6 MB/min at the end',
    times: (r) => regularTimes(r, 1, 3 * HOUR),
    components: (r) => [constant(1000 * MB), expApproach(600 * MB, 120 * MIN), gauss(r, 3 * MB)],
  });
  add({
    name: 'ambiguous-steps-pause-s1902',
    kind: 'ambiguous-steps-pause',
    class: 'unknown',
    ambiguous: true,
    acceptable: ['unknown', 'plateau', 'stepwise-leak'],
    runtime: 'python',
    hz: 1,
    span_s: 60 * MIN,
    seed: 1902,
    params: { base_mb: 400, step_mb: 40, step_every_s: 6 * MIN, last_step_frac: 0.75, noise_mb: 1.5 },
    window_s: 30,
    description: 'Kept 40 MB steps every ~6 min until 75% of the trace, then 15 min (2.5 intervals) without a step',
    times: (r) => regularTimes(r, 1, 60 * MIN),
    components: (r) => {
      const list = [];
      for (let t = 3 * MIN; t <= 45 * MIN + 1; t += 6 * MIN) list.push([t + r.range(-20, 20), 40 * MB]);
      return [constant(400 * MB), steps(list, 2), gauss(r, 1.5 * MB)];
    },
  });

  return S;
}

// ---------------------------------------------------------------- main

export function generate(outDir, { write = true } = {}) {
  const specs = scenarios();
  const names = new Set();
  const manifest = [];
  const csvs = new Map();
  specs.forEach((s, i) => {
    if (names.has(s.name)) throw new Error(`duplicate name ${s.name}`);
    names.add(s.name);
    const { csv, samples } = buildTrace(s, i);
    const file = `${s.name}.csv`;
    csvs.set(file, csv);
    if (write) writeFileSync(join(outDir, file), csv);
    const entry = {
      file,
      class: s.class,
      kind: s.kind,
      half: 'eval',
      hz: s.hz,
      sampling: s.sampling ?? 'regular',
      span_s: s.span_s,
      samples,
      seed: s.seed,
      runtime: s.runtime,
      params: s.params,
      description: s.description,
      check: { window_s: s.window_s, ...(s.wander_sd_mb ? { wander_sd_mb: s.wander_sd_mb } : {}) },
    };
    if (s.ambiguous) entry.ambiguous = true;
    if (s.acceptable) entry.acceptable = s.acceptable;
    manifest.push(entry);
  });
  const doc = {
    description:
      'eval-spec: synthetic evaluation traces written from the growth-class specification (see README.md). Evaluation only; do not tune on these.',
    generator: 'test/corpus/traces/eval-spec/generate.mjs',
    traces: manifest,
  };
  if (write) writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(doc, null, 2) + '\n');
  return { doc, csvs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node generate.mjs <out-dir>');
    process.exit(2);
  }
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const t = Date.now();
  const { doc, csvs } = generate(dir);
  let bytes = 0;
  for (const c of csvs.values()) bytes += c.length;
  const perClass = {};
  for (const e of doc.traces) perClass[e.class] = (perClass[e.class] ?? 0) + 1;
  console.log(`${doc.traces.length} traces, ${(bytes / 1e6).toFixed(1)} MB, ${Date.now() - t} ms -> ${dir}`);
  console.log(perClass);
}
