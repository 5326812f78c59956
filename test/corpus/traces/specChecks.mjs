// What the spec-written trace sets' check.mjs share (tune-spec, tune-spec2): reading a trace,
// simple measures (window medians, a least-squares line, short-scale noise, step concentration)
// and the run over a generated set. Each set keeps its own label checks. No classifier code.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MB = 1024 * 1024;
const CLASSES = new Set(['flat', 'plateau', 'spiky', 'steady-leak', 'stepwise-leak']);

function generate(set, here) {
  const dir = mkdtempSync(join(tmpdir(), `${set}-`));
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
export const quantile = (xs, q) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
export const median = (xs) => quantile(xs, 0.5);
export const rollingMedian = (xs, k) => xs.map((_, i) => median(xs.slice(Math.max(0, i - (k >> 1)), i + (k >> 1) + 1)));

/** Values split into `n` equal stretches of time. */
export function windows(trace, n) {
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

// ---------- the measures every check is given ----------

function measures(trace) {
  const w = windows(trace, 10).map(median);
  const span = trace.t[trace.t.length - 1];
  const { slope, residualSd } = fitLine(trace);
  const level = median(trace.y);
  return { w, span, slope, residualSd, level, noise: shortNoise(trace), rise: w[w.length - 1] - w[0] };
}

/** Share of the net rise carried by the few large jumps between consecutive medians of ~200 bins. */
export function stepConcentration(trace) {
  const m = windows(trace, 200).map(median);
  const inc = m.slice(1).map((v, i) => v - m[i]);
  const typical = median(inc.map(Math.abs)) || 1;
  const big = inc.filter((d) => d > 4 * typical).reduce((a, b) => a + b, 0);
  const net = m[m.length - 1] - m[0];
  return net > 0 ? big / net : 0;
}

export const fmt = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * The growth labels' checks, the same in both sets: a leak keeps rising in both halves, a stepwise
 * leak carries its rise in jumps, a plateau's last 30% holds. Spread into a set's `checks`.
 */
export const growthChecks = {
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
};

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

/**
 * Checks the set in process.argv[2] (or generates it twice into temporary directories, also checking
 * determinism) against `checks`: class → (trace, measures) → [ok, why][]; sets process.exitCode.
 */
export function runSpecChecks({ set, here, checks }) {
  const verbose = `${set.replace(/-/g, '_').toUpperCase()}_VERBOSE`;
  const started = Date.now();
  let dir = process.argv[2];
  const temp = [];
  if (!dir) {
    dir = generate(set, here);
    const again = generate(set, here);
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
        if (process.env[verbose]) console.log(`  ${e.file} [${e.class}] also passes ${cls}`);
      }
    }
    if (problems.length) failures.push(`${e.file} [${e.class}]: ${problems.join('; ')}`);
  }
  for (const d of temp) rmSync(d, { recursive: true, force: true });
  console.log(`${manifest.cases.length} traces:`, counts);
  console.log(`unambiguous traces that ALSO pass another class's check (row: label; ${verbose}=1 names them):`);
  for (const [label, row] of Object.entries(cross)) console.log(`  ${label.padEnd(14)} ${JSON.stringify(row)}`);
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`${manifest.cases.length - failures.length}/${manifest.cases.length} pass (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (failures.length) process.exitCode = 1;
}

