// The CPU cost of one look (analyze) here against a base commit, in one process, alternating, so
// that a loaded machine weighs on both alike: the figure for a change to how looks are computed,
// which the sampling bench's whole-product share (±30% between runs on a busy 2-core machine)
// cannot resolve. Series: constant RSS (what the sampling bench watches), a GC sawtooth, a leak
// in noise; 90 s, 150 s (the bench's minutes 1–3) and an hour at 1 Hz.
//   node bench/tools/lookCostAB.mjs [BASE] [ROUNDS]   (default: the merge base of HEAD and main, 40)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root, runHarnessAgainst } from './abHarness.mjs';

const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const base = process.argv[2] ?? git('merge-base', 'HEAD', 'main');
const rounds = Number(process.argv[3] ?? 40);

const harness = (baseDir) => `
import { analyze as analyzeBase } from ${JSON.stringify(join(baseDir, 'src/core/classifier/analysis'))};
import { BucketSeries as SeriesBase } from ${JSON.stringify(join(baseDir, 'src/core/classifier/buckets'))};
import { analyze as analyzeHere } from ${JSON.stringify(join(root, 'src/core/classifier/analysis'))};
import { BucketSeries as SeriesHere } from ${JSON.stringify(join(root, 'src/core/classifier/buckets'))};
import { mulberry32 } from ${JSON.stringify(join(root, 'src/core/random'))};
const MB = 1024 * 1024;
function fill(s, kind, seconds) {
  const r = mulberry32(3);
  for (let t = 0; t < seconds; t++) {
    const v = kind === 'constant' ? 1_900_544 : kind === 'sawtooth' ? Math.round(400 * MB + ((t % 20) / 20) * 30 * MB + (r() - 0.5) * 4 * MB) : Math.round(400 * MB + t * 5000 + (r() - 0.5) * 4 * MB);
    s.push(t * 1000, v);
  }
}
const cases = [];
for (const kind of ['constant', 'sawtooth', 'leak']) for (const seconds of [90, 150, 3600]) {
  const b = new SeriesBase(); fill(b, kind, seconds);
  const h = new SeriesHere(); fill(h, kind, seconds);
  cases.push({ name: kind + '-' + seconds + 's', b, h, base: Infinity, here: Infinity });
}
const time = (fn) => { const s = process.cpuUsage(); for (let i = 0; i < 20; i++) fn(); const u = process.cpuUsage(s); return (u.user + u.system) / 20; };
for (let r = 0; r < ${rounds}; r++) for (const c of cases) {
  const measureBase = () => { c.base = Math.min(c.base, time(() => analyzeBase(c.b))); };
  const measureHere = () => { c.here = Math.min(c.here, time(() => analyzeHere(c.h))); };
  if (r % 2) { measureHere(); measureBase(); } else { measureBase(); measureHere(); }
}
let sb = 0, sh = 0;
console.log('µs of CPU a look, the least of ${rounds} rounds of 20: base ${base.slice(0, 10)}, here, here/base');
for (const c of cases) { sb += c.base; sh += c.here; console.log('  ' + c.name.padEnd(15) + c.base.toFixed(1).padStart(8) + c.here.toFixed(1).padStart(8) + (c.here / c.base).toFixed(2).padStart(7)); }
console.log('  ' + 'all'.padEnd(15) + sb.toFixed(0).padStart(8) + sh.toFixed(0).padStart(8) + (sh / sb).toFixed(2).padStart(7));
`;

await runHarnessAgainst(base, 'look-cost-', harness);
