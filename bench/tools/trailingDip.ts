// Exploration: a demo-shaped steady leak (8–20 MB/min on 40–300 MB under a GC sawtooth of a few
// MB, as trailingDipDraws in the synthetic corpus) whose final reading is far below the rest (a
// process exiting, a partial read), at 1 Hz and 10 Hz over 60, 90 and 120 s, 20 seeds each: the
// whole-file verdict's classes per cell, and the same traces without the dip (what the dip costs).
// Seeds apart from the tuning corpus's draws. Run:
//   node scripts/build.mjs --tests && node out/bench/tools/trailingDip.js [seeds]
import { analyzeSeries } from '../../src/core/classifier';
import { generate, SyntheticSpec } from '../../test/unit/classifier/synthetic';
import { mulberry32 as rng } from '../../src/core/random';

const MB = 1024 * 1024;
const seeds = Number(process.argv[2] ?? 20);

function spec(random: () => number, durationS: number, intervalS: number): SyntheticSpec {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const logBetween = (lo: number, hi: number): number => Math.exp(between(Math.log(lo), Math.log(hi)));
  const levelBytes = logBetween(40 * MB, 300 * MB);
  return {
    durationS,
    intervalS,
    levelBytes,
    noiseSigmaBytes: levelBytes * logBetween(0.001, 0.005),
    leak: { bytesPerS: (between(8, 20) * MB) / 60 },
    sawtooth: { amplitudeBytes: levelBytes * between(0.02, 0.06), periodS: between(4, 10) },
  };
}

function tally(classes: string[]): string {
  const counts = new Map<string, number>();
  for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
}

let wrongWithDip = 0;
let wrongWithout = 0;
for (const hz of [1, 10]) {
  for (const durationS of [60, 90, 120]) {
    const random = rng(77_000 + hz * 1000 + durationS);
    const dipped: string[] = [];
    const plain: string[] = [];
    for (let i = 0; i < seeds; i++) {
      const trace = generate(spec(random, durationS, 1 / hz), 91_000 + 37 * i + durationS);
      const dipTo = 0.9 * random();
      plain.push(analyzeSeries(trace.tMs, trace.rssBytes).class);
      const rss = trace.rssBytes.slice();
      rss[rss.length - 1] = dipTo * Math.min(...rss);
      dipped.push(analyzeSeries(trace.tMs, rss).class);
    }
    wrongWithDip += dipped.filter((c) => c !== 'steady-leak').length;
    wrongWithout += plain.filter((c) => c !== 'steady-leak').length;
    console.log(`${hz} Hz, ${durationS} s: with the dip: ${tally(dipped)}; without: ${tally(plain)}`);
  }
}
console.log(`not a steady leak: ${wrongWithDip} of ${6 * seeds} with the dip, ${wrongWithout} without`);
