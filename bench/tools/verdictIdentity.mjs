// Proves that a change to the classifier's plumbing left every verdict as it was: builds
// bench/tools/verdictIdentity.ts (this worktree's copy) against a base commit's sources and
// against this worktree's, runs both over the tuning half and long synthetic traces, and diffs
// every look (the shown verdict and the raw one, bit for bit, with the sample it came at).
//   node bench/tools/verdictIdentity.mjs [BASE]     (default: the merge base of HEAD and main)
// Exit 0 when identical, 1 with the first differences otherwise.
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
    process.exitCode = result.differing === 0 && result.extra === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
