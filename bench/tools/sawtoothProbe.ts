// Exploration (tuning half only): the cycles (sawtooth.ts) of the traces with spikes, per trace,
// and the file verdict. An approximation of the analysis's own reading: the last half, the spike
// threshold from the median of its bucket minima (no fit noise). Run:
//   node scripts/build.mjs --tests && node out/bench/tools/sawtoothProbe.js
import { BucketSeries } from '../../src/core/classifier/buckets';
import { detectSpikes, isSpiky } from '../../src/core/classifier/spikes';
import { cyclesBetweenFalls } from '../../src/core/classifier/sawtooth';
import { median } from '../../src/core/classifier/robust';
import { analyzeSeries } from '../../src/core/classifier';
import { corpusHalves } from '../../test/unit/classifier/halves';

const MB = 1024 * 1024;
const halves = corpusHalves(40, { tuningOnly: true });
const rows: string[] = [];
const f2 = (x: number): string => x.toFixed(2);
for (const t of halves.tune) {
  const series = new BucketSeries();
  for (let i = 0; i < t.tMs.length; i++) series.push(t.tMs[i], t.rssBytes[i]);
  const b = series.buckets;
  const mid = series.lastMs - (series.lastMs - series.firstMs) / 2;
  let from = 0;
  while (from < b.length && b[from].firstMs < mid) from++;
  const level = median(b.slice(from).map((x) => x.min));
  const s = detectSpikes(b, from, level, 0, Math.max(2, 2 * Math.ceil(b.length / 64)));
  if (!isSpiky(s)) continue;
  const verdict = analyzeSeries(t.tMs, t.rssBytes).class;
  const c = cyclesBetweenFalls(b, from, s.thresholdBytes).filter((x) => x.count >= 4);
  const mad = (xs: number[]): number => { const m = median(xs); return 1.4826 * median(xs.map((x) => Math.abs(x - m))); };
  const amp = c.map((x) => x.topBytes - x.floorBytes);
  const row = c.length === 0 ? 'no cycles' : [
    `cyc ${String(c.length).padStart(3)}`,
    `pos ${f2(median(c.map((x) => x.position)))}`,
    `2lvl ${f2(median(c.map((x) => x.twoLevelShare)))}`,
    `teeth ${f2(c.filter((x) => x.position >= 0.3 && x.position <= 0.7 && x.twoLevelShare <= 0.55).length / c.length)}`,
    `floor/amp ${f2(mad(c.map((x) => x.floorBytes)) / median(amp))}`,
    `ampCV ${f2(mad(amp) / median(amp))}`,
    `maxAmp ${f2(Math.max(...amp) / median(amp))}`,
    `amp ${(median(amp) / MB).toFixed(1)}MB n/c ${median(c.map((x) => x.count))} bw ${series.widthMs / 1000}s`,
  ].join('  ');
  rows.push(`${t.label.padEnd(8)} ${verdict.padEnd(12)} ${t.name.padEnd(46)} ${row}`);
}
rows.sort();
for (const r of rows) console.log(r);
