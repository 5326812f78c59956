#!/usr/bin/env node
// Sanity checks for the tune-spec2 set: every file is well formed, and every unambiguous trace shows
// its label's intent by simple measures written here (window medians, a least-squares line,
// step concentration, smoothed excursions). Adapted from tune-spec's check.mjs; no classifier
// code is used or imported.
//
//   node check.mjs [DIR]    DIR: a directory written by generate.mjs; without it the set is
//                           generated twice into temporary directories (also checking determinism).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const CLASSES = new Set(['flat', 'plateau', 'spiky', 'steady-leak', 'stepwise-leak']);
const here = dirname(fileURLToPath(import.meta.url));

function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'tune-spec2-'));
  execFileSync(process.execPath, [join(here, 'generate.mjs'), dir], { stdio: 'ignore' });
  return dir;
}

function digest(dir) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}

// ---------- reading and simple statistics ----------

function readTrace(path) {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const problems = [];
  if (lines[0] !== 't_ms,rss_bytes') problems.push(`header is '${lines[0]}'`);
  const t = [];
  const y = [];
  let previousMs = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const [ms, bytes] = lines[i].split(',').map(Number);
    if (!Number.isInteger(ms) || !Number.isInteger(bytes) || bytes <= 0) problems.push(`line ${i + 1}: '${lines[i]}'`);
    if (ms <= previousMs) problems.push(`line ${i + 1}: time does not increase`);
    previousMs = ms;
    t.push(ms / 1000);
    y.push(bytes);
  }
  const start = t[0];
  return { t: t.map((s) => s - start), y, problems: problems.slice(0, 3) };
}
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const median = (xs) => quantile(xs, 0.5);
const rollingMedian = (xs, k) => xs.map((_, i) => median(xs.slice(Math.max(0, i - (k >> 1)), i + (k >> 1) + 1)));

/** Values split into `n` equal stretches of time. */
function windows(trace, n) {
  const span = trace.t[trace.t.length - 1];
  const out = Array.from({ length: n }, () => []);
  trace.t.forEach((time, i) => out[Math.min(n - 1, Math.floor((time / span) * n))].push(trace.y[i]));
  return out.filter((w) => w.length > 0);
}

/** Least-squares line: slope (bytes/s) and residual sd. */
function fitLine({ t, y }) {
  const n = t.length;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (t[i] - mt) * (y[i] - my);
    sxx += (t[i] - mt) ** 2;
  }
  const slope = sxy / sxx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - my - slope * (t[i] - mt)) ** 2;
  return { slope, residualSd: Math.sqrt(ss / n) };
}

/** Short-scale noise: robust sd of sample-to-sample differences. */
function shortNoise({ y }) {
  const diffs = [];
  for (let i = 1; i < y.length; i++) diffs.push(Math.abs(y[i] - y[i - 1]));
  return Math.max((median(diffs) * 1.4826) / Math.SQRT2, 64 * 1024);
}

// ---------- what each label means, in measures ----------

function measures(trace) {
  const w = windows(trace, 10).map(median);
  const span = trace.t[trace.t.length - 1];
  const { slope, residualSd } = fitLine(trace);
  const level = median(trace.y);
  return { w, span, slope, residualSd, level, noise: shortNoise(trace), rise: w[w.length - 1] - w[0] };
}

/** Share of the net rise carried by the few large jumps between consecutive medians of ~200 bins. */
function stepConcentration(trace) {
  const m = windows(trace, 200).map(median);
  const inc = m.slice(1).map((v, i) => v - m[i]);
  const typical = median(inc.map(Math.abs)) || 1;
  const big = inc.filter((d) => d > 4 * typical).reduce((a, b) => a + b, 0);
  const net = m[m.length - 1] - m[0];
  return net > 0 ? big / net : 0;
}

const checks = {
  'steady-leak': (tr, m) => {
    const half = Math.floor(m.w.length / 2);
    const firstHalf = m.w[half] - m.w[0];
    const secondHalf = m.w[m.w.length - 1] - m.w[half];
    const perDay = (m.slope * 86400) / m.level;
    return [
      [m.rise > 3 * m.noise && m.rise > 2 * m.residualSd, `rise ${fmt(m.rise)} vs noise ${fmt(m.noise)}, residual sd ${fmt(m.residualSd)}`],
      [firstHalf > 0.25 * m.rise && secondHalf > 0.25 * m.rise, `keeps growing: halves ${fmt(firstHalf)} / ${fmt(secondHalf)}`],
      [perDay >= 0.1, `material: ${(perDay * 100).toFixed(0)}% of its level per day`],
    ];
  },
  'stepwise-leak': (tr, m) => {
    const late = m.w[m.w.length - 1] - m.w[Math.floor(m.w.length * 0.6)];
    const conc = stepConcentration(tr);
    return [
      [m.rise > 3 * m.noise && m.rise > 2 * m.residualSd, `rise ${fmt(m.rise)} vs noise ${fmt(m.noise)}, residual sd ${fmt(m.residualSd)}`],
      [late > 0.15 * m.rise, `still stepping in the last 40%: ${fmt(late)}`],
      [conc >= 0.5, `${(conc * 100).toFixed(0)}% of the rise is in large jumps`],
    ];
  },
  plateau: (tr, m) => {
    const peak = Math.max(...m.w);
    const rise = peak - Math.min(m.w[0], quantile(tr.y.slice(0, Math.max(3, Math.floor(tr.y.length / 50))), 0.5));
    const tail = Math.abs(m.w[m.w.length - 1] - m.w[m.w.length - 3]);
    return [
      [rise > 5 * m.noise, `rise ${fmt(rise)} vs noise ${fmt(m.noise)}`],
      [tail <= 0.15 * rise, `holds over the last 30%: moves ${fmt(tail)}`],
    ];
  },
  spiky: (tr, m) => {
    // A rolling median of 3 samples: spikes last several samples, sample noise does not.
    const y = rollingMedian(tr.y, 3);
    const level = median(y);
    const height = quantile(y, 0.99) - level;
    const highShare = y.filter((v) => v > level + 0.5 * height).length / y.length;
    const third = Math.floor(y.length / 3);
    const floorMid = quantile(y.slice(third, 2 * third), 0.1);
    const floorEnd = quantile(y.slice(2 * third), 0.1);
    // Count excursions with hysteresis (up past 60% of the spike height, back below 30%).
    let excursions = 0;
    let up = false;
    for (const v of y) {
      if (!up && v > level + 0.6 * height) [up, excursions] = [true, excursions + 1];
      else if (up && v < level + 0.3 * height) up = false;
    }
    return [
      [excursions >= 3, `${excursions} separate excursions`],
      [height > 2.5 * m.noise && height > 0.02 * level, `spikes ${fmt(height)} above a ${fmt(level)} level, noise ${fmt(m.noise)}`],
      // Spikes stand above the base's own band (a sawtooth is as far below its median as above).
      [height > 2 * (level - quantile(y, 0.05)), `spikes ${fmt(height)} vs the base's lower band ${fmt(level - quantile(y, 0.05))}`],
      [highShare <= 0.4, `transient: ${(highShare * 100).toFixed(0)}% of samples in the upper half of the spikes`],
      [Math.abs(floorEnd - floorMid) <= 0.15 * height, `floor holds: ${fmt(floorEnd - floorMid)}`],
    ];
  },
  flat: (tr, m) => {
    const fittedRise = m.slope * m.span;
    // Wander with a long time constant leaves a fitted trend of a few of its own sds.
    const allowed = Math.max(4 * m.residualSd, 0.02 * m.level);
    // No rise-then-hold either: the start is not far below the later level.
    const later = m.w.slice(Math.floor(m.w.length / 2));
    // The start: the first tenth's median, or the first 2% of samples if lower (an early rise).
    const start = Math.min(m.w[0], median(tr.y.slice(0, Math.max(3, Math.floor(tr.y.length / 50)))));
    const fromStart = median(later) - start;
    const laterSpread = Math.max(...later) - Math.min(...later);
    // Transients, judged in each 1/20 of the span against that stretch's floor (its 10th
    // percentile): a band that is mostly occupied (a sawtooth, a busy band) is allowed, p99 may
    // sit 4× the median height above the floor; tall rare excursions (batches) are not. One
    // stretch in ten may break the rule (a one-off spike or dip, the stretch of a level shift).
    const stretches = windows(tr, 20);
    const withTransients = stretches.filter((w) => {
      const floor = quantile(w, 0.1);
      return quantile(w, 0.99) - floor > Math.max(0.1 * m.level, 8 * m.noise, 4 * (median(w) - floor));
    }).length;
    return [
      [withTransients <= 0.1 * stretches.length, `no repeated large transients: ${withTransients}/${stretches.length} stretches have them`],
      [fittedRise <= allowed, `fitted rise ${fmt(fittedRise)} ≤ ${fmt(allowed)}`],
      [fromStart <= Math.max(2 * laterSpread, 0.03 * m.level), `start to later level ${fmt(fromStart)}, later spread ${fmt(laterSpread)}`],
    ];
  },
};

const fmt = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

// ---------- run ----------

function checkManifestEntry(e) {
  const bad = [];
  if (!CLASSES.has(e.class)) bad.push(`class '${e.class}'`);
  if (e.half !== 'tune') bad.push(`half '${e.half}'`);
  if (!e.kind || !e.note) bad.push('kind/note missing');
  if (e.ambiguous && !(Array.isArray(e.classes) && e.classes.includes(e.class) && e.classes.every((c) => CLASSES.has(c))))
    bad.push('ambiguous without valid classes');
  return bad;
}

function main() {
  const started = Date.now();
  let dir = process.argv[2];
  const temp = [];
  if (!dir) {
    dir = generate();
    const again = generate();
    temp.push(dir, again);
    const same = digest(dir) === digest(again);
    console.log(`deterministic: ${same ? 'yes' : 'NO'}`);
    if (!same) process.exitCode = 1;
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const failures = [];
  const counts = {};
  const cross = {};
  for (const e of manifest.cases) {
    const key = `${e.class}${e.ambiguous ? ' (ambiguous)' : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
    const problems = checkManifestEntry(e);
    const trace = readTrace(join(dir, e.file));
    problems.push(...trace.problems);
    if (trace.y.length !== e.samples) problems.push(`${trace.y.length} samples, manifest says ${e.samples}`);
    const span = trace.t[trace.t.length - 1];
    if (span < 0.9 * e.duration_s || span > 1.05 * e.duration_s + 20) problems.push(`span ${span} s vs ${e.duration_s} s`);
    if (!e.ambiguous && problems.length === 0) {
      const m = measures(trace);
      for (const [ok, why] of checks[e.class](trace, m)) if (!ok) problems.push(why);
      // How sharp the measures are: which classes' checks this trace would also pass.
      const row = (cross[e.class] ??= {});
      for (const [cls, check] of Object.entries(checks)) {
        if (cls === e.class || !check(trace, m).every(([ok]) => ok)) continue;
        row[cls] = (row[cls] ?? 0) + 1;
        if (process.env.TUNE_SPEC2_VERBOSE) console.log(`  ${e.file} [${e.class}] also passes ${cls}`);
      }
    }
    if (problems.length) failures.push(`${e.file} [${e.class}]: ${problems.join('; ')}`);
  }
  for (const d of temp) rmSync(d, { recursive: true, force: true });
  console.log(`${manifest.cases.length} traces:`, counts);
  console.log('unambiguous traces that ALSO pass another class\'s check (row: label; TUNE_SPEC2_VERBOSE=1 names them):');
  for (const [label, row] of Object.entries(cross)) console.log(`  ${label.padEnd(14)} ${JSON.stringify(row)}`);
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`${manifest.cases.length - failures.length}/${manifest.cases.length} pass (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (failures.length) process.exitCode = 1;
}

main();
