// The wall time of a look at a steady process here against a base commit (issue 16), in one
// process, the two taking turns second by second so that a loaded machine weighs on both alike.
// Each round makes 100 live classifiers per arm (a WatchSession's options) that read the sampling
// bench's `sleep`s at 1 Hz (steadyTrace.ts), trace time fast-forwarded to FROM untimed; then
// [FROM, FROM + 60) s are read timed: the classifiers' calls (pushes, verdicts and the looks they
// make), divided by the looks. With --thrash KB a sweep of that much memory runs between two
// processes' calls, as the rest of the product does between two looks (a look then meets cold
// caches, as in the product). Round 0 warms the code and is not counted; the median of the
// others is printed, at 3 and 15 minutes of history.
//   node bench/tools/lookSteadyAB.mjs [--base REV] [--rounds N] [--thrash KB]   (default: main, 9, 0)
// With AB_ROUNDS=1 in the environment each round's figure is printed too (the spread).
import { join } from 'node:path';
import { root, runHarnessAgainst } from './abHarness.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const base = option('--base', 'main');
const rounds = Number(option('--rounds', '9'));
const thrashKb = Number(option('--thrash', '0'));

const harness = (baseDir) => `
import { GrowthClassifier as Base } from ${JSON.stringify(join(baseDir, 'src/core/classifier'))};
import { GrowthClassifier as Here } from ${JSON.stringify(join(root, 'src/core/classifier'))};
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from ${JSON.stringify(join(root, 'src/core/session'))};
import { steadyReading, steadyStamp } from ${JSON.stringify(join(root, 'bench/tools/steadyTrace'))};
const sweep = new Float64Array(${thrashKb} * 128);
let swept = 0;
const arms = { base: Base, here: Here };
function read(set, from, to, timed) {
  for (let second = from; second < to; second++) {
    set.classifiers.forEach((c, watched) => {
      const start = performance.now();
      c.push(steadyStamp(second, watched), steadyReading(second, watched, false));
      c.verdict();
      if (!timed) return;
      set.ms += performance.now() - start;
      for (let i = 0; i < sweep.length; i += 8) swept += sweep[i]++;
    });
  }
}
const looks = (set) => set.classifiers.reduce((a, c) => a + c.lookCount, 0);
const results = {};
for (const from of [180, 900]) {
  for (let r = 0; r < ${rounds} + 1; r++) {
    const sets = Object.entries(arms).map(([name, Classifier]) => ({ name, ms: 0, classifiers: Array.from({ length: 100 }, () => new Classifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: WARM_UP_MS })) }));
    for (const set of sets) read(set, 0, from, false);
    const before = sets.map(looks);
    for (let second = from; second < from + 60; second++) {
      const order = second % 2 ? sets : [...sets].reverse();
      for (const set of order) read(set, second, second + 1, true);
    }
    if (r === 0) continue;
    sets.forEach((set, i) => ((results[from + ' ' + set.name] ??= []).push((set.ms * 1000) / (looks(set) - before[i]))));
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('µs wall a look (with its pushes and verdicts), median of ${rounds} rounds${thrashKb ? `, ${thrashKb} KB swept between calls` : ''}: base ${base}, here, here/base');
for (const from of [180, 900]) {
  const b = med(results[from + ' base']), h = med(results[from + ' here']);
  console.log('  ' + (from / 60 + ' min').padEnd(8) + b.toFixed(1).padStart(8) + h.toFixed(1).padStart(8) + (h / b).toFixed(2).padStart(7) + (process.env.AB_ROUNDS ? '   base ' + results[from + ' base'].map((x) => x.toFixed(0)).join(' ') + ' / here ' + results[from + ' here'].map((x) => x.toFixed(0)).join(' ') : ''));
}
if (swept < 0) console.log(swept);
`;

await runHarnessAgainst(base, 'look-steady-ab-', harness);
