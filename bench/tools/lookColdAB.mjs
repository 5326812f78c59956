// The CPU cost of a look early in a process's life, here against a base commit: what the sampling
// bench measures (minutes 1–3 of a watch), where V8 has not yet optimized the look's functions
// (each runs a few times a look, and a watched process looks every few seconds) and every
// intermediate number of the unoptimized code is a heap object for the collector. lookCostAB
// times looks long warmed up, ~10× cheaper. Each run is a fresh process: 100 live classifiers
// (a WatchSession's options) read a steady process at 1 Hz in lockstep for SECONDS of trace
// time; the CPU of the pushes and looks after FROM s is divided by the looks. Base and here
// alternate, RUNS of each; the median is printed.
//   node bench/tools/lookColdAB.mjs [BASE] [RUNS] [SECONDS] [FROM]   (default: merge base with main, 7, 180, 40)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const base = process.argv[2] ?? git('merge-base', 'HEAD', 'main');
const runs = Number(process.argv[3] ?? 7);
const seconds = Number(process.argv[4] ?? 180);
const from = Number(process.argv[5] ?? 40);
const work = mkdtempSync(join(tmpdir(), 'look-cold-'));

const harness = (srcDir) => `
import { GrowthClassifier } from ${JSON.stringify(join(srcDir, 'src/core/classifier'))};
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from ${JSON.stringify(join(srcDir, 'src/core/session'))};
const classifiers = Array.from({ length: 100 }, () => new GrowthClassifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: WARM_UP_MS }));
const looks = () => classifiers.reduce((a, c) => a + c.lookCount, 0);
let cpu = 0;
let looksBefore = 0;
for (let s = 0; s < ${seconds}; s++) {
  if (s === ${from}) looksBefore = looks();
  const start = process.cpuUsage();
  classifiers.forEach((c, p) => {
    c.push(s * 1000, 1_900_544 + 4096 * (p % 7));
    c.verdict();
  });
  const used = process.cpuUsage(start);
  if (s >= ${from}) cpu += used.user + used.system;
}
console.log(JSON.stringify({ perLook: cpu / (looks() - looksBefore), looks: looks() - looksBefore }));
`;

async function bundle(name, srcDir) {
  writeFileSync(join(work, `${name}.ts`), harness(srcDir));
  await esbuild.build({ entryPoints: [join(work, `${name}.ts`)], outfile: join(work, `${name}.js`), bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
  return join(work, `${name}.js`);
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

try {
  const baseDir = join(work, 'base');
  execFileSync('bash', ['-c', `mkdir -p "${baseDir}" && git -C "${root}" archive "${base}" src | tar -x -C "${baseDir}"`]);
  symlinkSync(join(root, 'node_modules'), join(baseDir, 'node_modules'));
  const scripts = { base: await bundle('base', baseDir), here: await bundle('here', root) };
  const perLook = { base: [], here: [] };
  let looks = 0;
  for (let r = 0; r < runs; r++) {
    for (const which of r % 2 ? ['here', 'base'] : ['base', 'here']) {
      const result = JSON.parse(execFileSync(process.execPath, [scripts[which]], { encoding: 'utf8' }));
      perLook[which].push(result.perLook);
      looks = result.looks;
    }
  }
  const [b, h] = [median(perLook.base), median(perLook.here)];
  console.log(`µs of CPU a look (with its pushes), trace seconds ${from}–${seconds} of a fresh process, ${looks} looks; median of ${runs} runs each`);
  console.log(`  base ${base.slice(0, 10)} ${b.toFixed(1)} (${perLook.base.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(`  here ${h.toFixed(1)} (${perLook.here.map((v) => v.toFixed(0)).join(', ')}); here/base ${(h / b).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
