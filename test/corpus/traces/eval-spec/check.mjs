#!/usr/bin/env node
// Plain sanity checks of the eval-spec generator (does NOT use the classifier):
// each trace's data must show its label's intent when measured with simple tools
// (a rolling-minimum baseline, a robust noise estimate, linear fits).
//
//   node test/corpus/traces/eval-spec/check.mjs          # generate in memory and check
//   node test/corpus/traces/eval-spec/check.mjs -v       # also print the measures of every trace
//
// Exit code 1 if any check fails.

import { createHash } from 'node:crypto';
import { generate, MB, KiB } from './generate.mjs';

const verbose = process.argv.includes('-v');

function parse(csv) {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  if (header.join(',') !== 't_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent') throw new Error('bad header');
  const t = [];
  const v = [];
  for (let i = 1; i < lines.length; i++) {
    const c = lines[i].split(',');
    if (c.length !== 6) throw new Error(`bad row ${i}`);
    t.push((Number(c[0]) - Number(lines[1].split(',')[0])) / 1000);
    v.push(Number(c[1]));
    if (!Number.isInteger(Number(c[0])) || !Number.isInteger(v.at(-1)) || v.at(-1) < 0) throw new Error(`bad values in row ${i}`);
    if (t.length > 1 && !(t.at(-1) > t.at(-2))) throw new Error(`time not increasing at row ${i}`);
  }
  return { t, v };
}

const median = (a) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Median of 5 neighbours: removes single-sample outliers.
function median5(v) {
  return v.map((_, i) => median(v.slice(Math.max(0, i - 2), i + 3)));
}

// Centred rolling minimum over a time window of w seconds.
function rollingMin(t, v, w) {
  const out = new Array(v.length);
  const dq = [];
  let j = 0;
  for (let i = 0; i < v.length; i++) {
    while (j < v.length && t[j] <= t[i] + w / 2) {
      while (dq.length && v[dq[dq.length - 1]] >= v[j]) dq.pop();
      dq.push(j++);
    }
    while (t[dq[0]] < t[i] - w / 2) dq.shift();
    out[i] = v[dq[0]];
  }
  return out;
}

function fitSlope(t, v) {
  const n = t.length;
  if (n < 3) return NaN;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const mv = v.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (t[i] - mt) * (v[i] - mv);
    den += (t[i] - mt) ** 2;
  }
  return num / den;
}

function measure(entry, csv) {
  const { t, v: raw } = parse(csv);
  const span = t[t.length - 1];
  const v = median5(raw);
  const B = rollingMin(t, v, entry.check.window_s);
  const sel = (a, b) => {
    const idx = [];
    for (let i = 0; i < t.length; i++) if (t[i] >= a * span && t[i] <= b * span) idx.push(i);
    return idx;
  };
  const lvl = (a, b) => median(sel(a, b).map((i) => B[i]));
  const slope = (a, b) => {
    const idx = sel(a, b);
    return fitSlope(idx.map((i) => t[i]), idx.map((i) => B[i]));
  };
  const diffs = [];
  for (let i = 1; i < raw.length; i++) diffs.push(Math.abs(raw[i] - raw[i - 1]));
  const noise = Math.max((1.4826 * median(diffs)) / Math.SQRT2, 4 * KiB);
  const size = median(v);
  const m = Math.max((0.005 * size) / 3600, KiB); // materiality, bytes/s
  // Excursions well above the baseline: count episodes of >= 2 samples.
  const thr = Math.max(8 * noise, 0.2 * size);
  let episodes = 0;
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] - B[i] > thr) run++;
    else {
      if (run >= 2) episodes++;
      run = 0;
    }
  }
  // Steps: runs of consecutive baseline increases whose sum is large against the noise.
  let jumpRise = 0;
  let jumps = 0;
  let lastJumpT = -1;
  const jthr = 5 * noise;
  let runSum = 0;
  for (let i = 1; i <= B.length; i++) {
    const d = i < B.length ? B[i] - B[i - 1] : 0;
    if (d > 0) runSum += d;
    else {
      if (runSum > jthr) {
        jumpRise += runSum;
        jumps++;
        lastJumpT = t[i - 1];
      }
      runSum = 0;
    }
  }
  // Significance of the late growth: t statistic of a straight-line fit to the baseline (iid residuals assumed, so generous).
  const late = sel(0.6, 1);
  const lt = late.map((i) => t[i]);
  const lv = late.map((i) => B[i]);
  const ls = fitSlope(lt, lv);
  const mt = lt.reduce((a, b) => a + b, 0) / lt.length;
  const mv = lv.reduce((a, b) => a + b, 0) / lv.length;
  let ss = 0;
  let stt = 0;
  for (let k = 0; k < lt.length; k++) {
    ss += (lv[k] - mv - ls * (lt[k] - mt)) ** 2;
    stt += (lt[k] - mt) ** 2;
  }
  const tStat = ls / Math.sqrt(ss / (lt.length - 2) / stt);
  return {
    span,
    size,
    noise,
    m,
    start: lvl(0, 0.1),
    end: lvl(0.9, 1),
    mid: lvl(0.6, 0.7),
    maxB: Math.max(...B),
    slopeLate: slope(0.6, 1),
    slopeEnd: slope(0.8, 1),
    episodes,
    jumps,
    jumpRise,
    lastJumpFrac: lastJumpT / span,
    tStat,
  };
}

function judge(entry, x) {
  const fails = [];
  const need = (ok, msg) => ok || fails.push(msg);
  const rise = x.end - x.start;
  const tail = x.end - x.mid;
  const wander = (entry.check.wander_sd_mb ?? 0) * MB;
  const flatTol = Math.max(x.m * x.span, 5 * x.noise, 2 * wander);
  switch (entry.class) {
    case 'flat':
      need(x.episodes < 3, `${x.episodes} excursions well above the baseline (spiky)`);
      need(rise <= flatTol, `baseline rose ${(rise / MB).toFixed(1)} MB > tol ${(flatTol / MB).toFixed(1)} MB`);
      need(tail <= flatTol, `late baseline rise ${(tail / MB).toFixed(1)} MB > tol`);
      need(x.slopeLate * (0.4 * x.span) <= flatTol, `late slope ${(x.slopeLate / KiB).toFixed(2)} KiB/s`);
      if (wander) {
        // a wandering level must not end on a climb that reads as a late leak
        need(tail <= wander && rise <= 1.5 * wander, `wander ends ${(rise / MB).toFixed(1)} MB from start, last 40% moved ${(tail / MB).toFixed(1)} MB`);
      }
      break;
    case 'spiky':
      need(rise <= flatTol, `baseline rose ${(rise / MB).toFixed(1)} MB`);
      need(rise >= -Math.max(flatTol, 0.05 * x.size), `baseline fell ${(rise / MB).toFixed(1)} MB`);
      need(x.slopeLate * (0.4 * x.span) <= flatTol, `late slope ${(x.slopeLate / KiB).toFixed(2)} KiB/s`);
      need(x.episodes >= 3, `only ${x.episodes} excursions well above the baseline`);
      break;
    case 'steady-leak':
    case 'stepwise-leak':
      need(x.slopeLate >= 1.5 * x.m, `late slope ${(x.slopeLate / KiB).toFixed(2)} KiB/s < 1.5x materiality ${(x.m / KiB).toFixed(2)}`);
      need(tail >= 1.5 * x.noise && x.tStat >= 8, `late rise ${(tail / MB).toFixed(2)} MB (t ${x.tStat.toFixed(1)}) not above noise ${(x.noise / MB).toFixed(2)} MB`);
      need(rise >= 4 * x.noise, `total rise ${(rise / MB).toFixed(2)} MB not well above noise`);
      if (entry.class === 'steady-leak') {
        need(x.slopeEnd >= 0.5 * x.slopeLate, `decelerating: end slope ${(x.slopeEnd / KiB).toFixed(2)} vs late ${(x.slopeLate / KiB).toFixed(2)} KiB/s`);
      } else {
        need(x.jumps >= 3, `only ${x.jumps} baseline jumps`);
        need(x.jumpRise >= 0.6 * rise, `jumps carry ${((100 * x.jumpRise) / rise).toFixed(0)}% of the rise`);
        need(x.lastJumpFrac >= 0.75, `last jump at ${(100 * x.lastJumpFrac).toFixed(0)}% of the trace`);
      }
      break;
    case 'plateau': {
      const full = x.end - x.start;
      need(full >= 8 * x.noise && full >= x.m * x.span, `rise ${(full / MB).toFixed(1)} MB not material`);
      need(Math.abs(tail) <= 0.1 * full, `still moving late: ${(tail / MB).toFixed(1)} MB of ${(full / MB).toFixed(1)} MB`);
      need(x.slopeLate * 0.4 * x.span <= 0.1 * full, `late slope ${(x.slopeLate / KiB).toFixed(2)} KiB/s`);
      break;
    }
    case 'unknown':
      need(entry.ambiguous === true, 'unknown must be marked ambiguous');
      break;
    default:
      fails.push(`unknown class ${entry.class}`);
  }
  return fails;
}

const t0 = Date.now();
const a = generate(null, { write: false });
const genMs = Date.now() - t0;
const b = generate(null, { write: false });
const hash = (g) => {
  const h = createHash('sha256');
  for (const [f, c] of g.csvs) h.update(f).update(c);
  h.update(JSON.stringify(g.doc));
  return h.digest('hex');
};
let failed = 0;
if (hash(a) !== hash(b)) {
  console.log('FAIL determinism: two runs differ');
  failed++;
}
if (genMs > 20000) {
  console.log(`FAIL generation took ${genMs} ms`);
  failed++;
}
const perClass = {};
for (const e of a.doc.traces) {
  perClass[e.class] = (perClass[e.class] ?? 0) + 1;
  if (e.half !== 'eval') {
    console.log(`FAIL ${e.file}: half is not eval`);
    failed++;
  }
  const x = measure(e, a.csvs.get(e.file));
  const fails = judge(e, x);
  // The checks must also tell the classes apart: the trace must fail the checks of every
  // other class (steady-leak and stepwise-leak share growth checks, so one may also pass the other's).
  if (e.class !== 'unknown') {
    const also = ['flat', 'plateau', 'spiky', 'steady-leak', 'stepwise-leak'].filter(
      (c) => c !== e.class && !(e.acceptable ?? []).includes(c) && judge({ ...e, class: c }, x).length === 0,
    );
    const tolerated = { 'stepwise-leak': ['steady-leak'] }[e.class] ?? [];
    const bad = also.filter((c) => !tolerated.includes(c));
    if (bad.length) fails.push(`data also passes the checks of ${bad.join(', ')}`);
  }
  if (fails.length) failed++;
  if (fails.length || verbose) {
    const f = (n) => (n / MB).toFixed(1);
    console.log(
      `${fails.length ? 'FAIL' : 'ok  '} ${e.file.padEnd(48)} ${e.class.padEnd(13)} start ${f(x.start)} mid ${f(x.mid)} end ${f(x.end)} MB; noise ${f(x.noise)} MB; lateSlope ${(x.slopeLate / KiB).toFixed(2)} KiB/s (m ${(x.m / KiB).toFixed(2)}); episodes ${x.episodes}; jumps ${x.jumps}; t ${x.tStat.toFixed(1)}` +
        (fails.length ? `\n       ${fails.join('; ')}` : ''),
    );
  }
}
let bytes = 0;
for (const c of a.csvs.values()) bytes += c.length;
console.log(`${a.doc.traces.length} traces, ${(bytes / 1e6).toFixed(1)} MB, generated in ${genMs} ms; per class ${JSON.stringify(perClass)}`);
console.log(failed ? `${failed} FAILED` : 'all checks passed');
process.exit(failed ? 1 : 0);
