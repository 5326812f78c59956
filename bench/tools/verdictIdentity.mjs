// Proves that a change to the classifier's plumbing left every verdict as it was: builds
// bench/tools/verdictIdentity.ts (this worktree's copy) against a base commit's sources and
// against this worktree's, runs both over the tuning half and long synthetic traces, and diffs
// every look (the shown verdict and the raw one, bit for bit, with the sample it came at).
//   node bench/tools/verdictIdentity.mjs [BASE]     (default: the merge base of HEAD and main)
// Exit 0 when identical, 1 with the first differences otherwise, and then, per cadence, the
// shown class compared sample by sample and when a leak is first shown (for a change of cadence).
import * as esbuild from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join('bench', 'tools', 'verdictIdentity.ts');
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const base = process.argv[2] ?? git('merge-base', 'HEAD', 'main');
const work = mkdtempSync(join(tmpdir(), 'verdict-identity-'));

/** The base commit's sources (with this worktree's script), where the corpus and package.json are found. */
function checkoutBase() {
  const dir = join(work, 'base');
  execFileSync('bash', ['-c', `mkdir -p "${dir}" && git -C "${root}" archive "${base}" package.json src test bench | tar -x -C "${dir}"`]);
  cpSync(join(root, SCRIPT), join(dir, SCRIPT));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function build(dir, outfile) {
  await esbuild.build({ entryPoints: [join(dir, SCRIPT)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' });
}

function run(script, out) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, out], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

function readLines(file) {
  return new Map(readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const entry = JSON.parse(line);
    return [entry.trace, entry];
  }));
}

/** Per trace and cadence: the looks that differ (by index), the first few shown. */
function compare(before, after) {
  let traces = 0;
  let looks = 0;
  let differing = 0;
  const shown = [];
  for (const [name, a] of before) {
    const b = after.get(name);
    traces++;
    for (const cadence of ['cli', 'session']) {
      const x = a[cadence];
      const y = b?.[cadence] ?? [];
      looks += x.length;
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (x[i] === y[i]) continue;
        differing++;
        if (shown.length < 10) shown.push(`${name} (${cadence}) look ${i}:\n  base ${x[i]}\n  here ${y[i]}`);
      }
    }
  }
  return { traces, looks, differing, extra: [...after.keys()].filter((k) => !before.has(k)).length, shown };
}

const LEAK_CLASSES = new Set(['steady-leak', 'stepwise-leak']);

/** The shown class at every sample, from a cadence's looks ("sample:class|…:…"). */
function shownClasses(looks, samples) {
  const classes = new Array(samples).fill('unknown');
  let at = 0;
  let current = 'unknown';
  for (const look of looks) {
    const sample = Number(look.slice(0, look.indexOf(':')));
    for (; at < sample && at < samples; at++) classes[at] = current;
    current = look.slice(look.indexOf(':') + 1).split('|')[0];
  }
  for (; at < samples; at++) classes[at] = current;
  return classes;
}

/**
 * When the two sides look at different samples (a change of cadence), looks cannot be compared
 * one by one: compare the shown class sample by sample instead, and when a leak is first shown.
 */
function compareTimelines(before, after, cadence) {
  let samples = 0;
  let differingSamples = 0;
  let finalDiffers = 0;
  const leakDelays = [];
  let looksBefore = 0;
  let looksAfter = 0;
  for (const [name, a] of before) {
    const b = after.get(name);
    if (!b) continue;
    looksBefore += a[cadence].length;
    looksAfter += b[cadence].length;
    const x = shownClasses(a[cadence], a.samples);
    const y = shownClasses(b[cadence], a.samples);
    samples += a.samples;
    for (let i = 0; i < a.samples; i++) if (x[i] !== y[i]) differingSamples++;
    if (x.at(-1) !== y.at(-1)) finalDiffers++;
    const leakBefore = x.findIndex((c) => LEAK_CLASSES.has(c));
    const leakAfter = y.findIndex((c) => LEAK_CLASSES.has(c));
    if (leakBefore >= 0 || leakAfter >= 0) leakDelays.push({ name, before: leakBefore, after: leakAfter });
  }
  const changed = leakDelays.filter((d) => d.before !== d.after);
  const later = changed.filter((d) => d.before >= 0 && d.after > d.before).map((d) => d.after - d.before).sort((p, q) => p - q);
  console.log(`${cadence} cadence: ${looksBefore} looks in base, ${looksAfter} here; the shown class differs at ${differingSamples} of ${samples} samples (${((100 * differingSamples) / samples).toFixed(2)}%), the final one on ${finalDiffers} traces`);
  console.log(`  a leak first shown: on ${leakDelays.length} traces; at another sample on ${changed.length}: later on ${later.length} (by ${later.length ? `${later[0]}–${later.at(-1)} samples, median ${later[later.length >> 1]}` : '-'}), earlier on ${changed.filter((d) => d.before >= 0 && d.after >= 0 && d.after < d.before).length}, only in base ${changed.filter((d) => d.after < 0).length}, only here ${changed.filter((d) => d.before < 0).length}`);
  for (const d of changed) if (d.before < 0 || d.after < 0) console.log(`    ${d.name}: a leak shown only ${d.before < 0 ? 'here' : 'in base'}`);
}

async function main() {
  try {
    const baseDir = checkoutBase();
    await Promise.all([build(baseDir, join(work, 'base.js')), build(root, join(work, 'here.js'))]);
    // The base's bundle lives in the base's tree, so that it reads the base's corpus.
    cpSync(join(work, 'base.js'), join(baseDir, 'identity.js'));
    cpSync(join(work, 'here.js'), join(root, 'out', 'verdict-identity.js'));
    await Promise.all([run(join(baseDir, 'identity.js'), join(work, 'base.jsonl')), run(join(root, 'out', 'verdict-identity.js'), join(work, 'here.jsonl'))]);
    const result = compare(readLines(join(work, 'base.jsonl')), readLines(join(work, 'here.jsonl')));
    console.log(`base ${base.slice(0, 10)} against this worktree: ${result.traces} traces, ${result.looks} looks (two cadences), ${result.differing} differing, ${result.extra} traces only here`);
    for (const line of result.shown) console.log(line);
    if (result.differing > 0) for (const cadence of ['cli', 'session']) compareTimelines(readLines(join(work, 'base.jsonl')), readLines(join(work, 'here.jsonl')), cadence);
    process.exitCode = result.differing === 0 && result.extra === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
