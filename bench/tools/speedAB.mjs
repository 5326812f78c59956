// A/B of the single-file scan speed (bench/rules/speed.ts) between a baseline checkout and this
// one, interleaved in one sitting (base, ours, base, ours…) so the machine's drift falls on both,
// under the heavy-work lock; prints each row's median over the rounds (wall seconds; the parse
// alone beside them). Both checkouts must be built with --tests and hold bench/tools/fileSpeedOnly.ts.
//   node bench/tools/speedAB.mjs BASE_DIR [OURS_DIR=this checkout] [rounds=3]
// (a copy of this checkout as OURS_DIR keeps rebuilds here out of a run in progress)
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [baseDir, oursArg, roundsArg = '3'] = process.argv.slice(2);
const ours = oursArg || join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const builds = { base: baseDir, ours };
const ROW = /^\s+(python|typescript)\s+([\d.]+ [KM]B): ([\d.]+) s \(cpu ([\d.]+) s\), with hints ([\d.]+) s \(cpu ([\d.]+) s\)\s+\[([\d.]+) s/;

/** Row label -> [scan, with hints, parse] seconds, per build, one entry per round. */
const results = { base: new Map(), ours: new Map() };
for (let round = 0; round < Number(roundsArg); round++) {
  for (const [name, dir] of Object.entries(builds)) {
    const out = execFileSync('flock', ['/tmp/leakscope-heavy.lock', process.execPath, '--expose-gc', join(dir, 'out/bench/tools/fileSpeedOnly.js')], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const match = ROW.exec(line);
      if (!match) continue;
      const key = `${match[1]} ${match[2]}`;
      const rows = results[name].get(key) ?? [];
      rows.push([Number(match[3]), Number(match[5]), Number(match[7])]);
      results[name].set(key, rows);
    }
    process.stderr.write(`round ${round + 1} ${name} done\n`);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cell = (rows, i) => `${median(rows.map((r) => r[i])).toFixed(2)}`.padStart(5);
console.log(`medians of ${roundsArg} interleaved rounds (wall s): scan / with hints / parse; scan as a multiple of the parse`);
for (const [key, baseRows] of results.base) {
  const ourRows = results.ours.get(key) ?? [];
  const ratio = (rows) => (median(rows.map((r) => r[0])) / median(rows.map((r) => r[2]))).toFixed(2);
  console.log(`  ${key.padEnd(18)} base ${cell(baseRows, 0)} / ${cell(baseRows, 1)} / ${cell(baseRows, 2)} (x${ratio(baseRows)})   ours ${cell(ourRows, 0)} / ${cell(ourRows, 1)} / ${cell(ourRows, 2)} (x${ratio(ourRows)})`);
}
