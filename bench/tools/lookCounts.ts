// Where a look's work goes, counted rather than timed (issue 16): timings on this shared 2-core
// machine spread ±10% and more between runs, counts do not. Replays traces through live
// classifiers exactly as a WatchSession does (its quiet cadence and warm-up) under V8's precise
// block coverage, which counts every call of a function and every run of each of its blocks, and
// prints per look, for each classifier function: its calls, and the runs of its busiest block
// (the innermost loop's body: the points it visits, over all its passes), and the runs of all its
// blocks (the work: their sum over the functions is the table's total). Replays:
//   steady   lookSteady's: 100 `sleep`s at 1 Hz (trace seconds FROM–SECONDS), what the sampling bench watches
//   corpus   every trace of the tuning half as a session replays it (verdictIdentity's session cadence)
// Counts do not depend on the machine's load: repeated runs of one build agree within 0.2% (a few
// functions' counts move a little between runs), so two builds' tables compare row by row. The
// timings of this run mean nothing (block coverage counts in every block it runs).
// Measured 2026-12-06 (perf25), blocks run a look, main -> perf25: steady 9,599-9,608 -> 6,357
// (the trend fits' fitTrendRange, lag1, laggedProducts and residualScale 2,798 -> 1,565; the spike window's
// removals 1,327 -> 181; selections 1,044 -> 448; logGamma calls 15.0 -> 0.9 a look); tuning
// corpus 26,894-26,955 -> 25,152 (selections 6,964 -> 6,672, logGamma calls 16.6 -> 10.5).
// Measured 2026-12-06 (perf28, a series' memo of per-bucket work: memo.ts), main -> perf28: steady
// 6,357 -> 5,363 (localBaseline 546 -> 121, noiseExcursions with its sorted window's insert/remove ~656 -> ~244, steps'
// level check 182 -> 24); tuning corpus 25,143 -> 23,969.
//   node scripts/build.mjs --tests && node out/bench/tools/lookCounts.js [--from 480] [--seconds 900] [--replay steady|corpus|both] [--top 30]
import { Session } from 'node:inspector';
import { GrowthClassifier } from '../../src/core/classifier';
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from '../../src/core/session';
import { corpusHalves } from '../../test/unit/classifier/halves';
import { option, post, watchClassifier } from './harness';
import { steadyReading, steadyStamp } from './steadyTrace';

const WATCHED = 100;
const FROM = Number(option('--from', '480'));
const SECONDS = Number(option('--seconds', '900'));
const REPLAY = option('--replay', 'both');
const TOP = Number(option('--top', '30'));

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface FunctionCoverage {
  functionName: string;
  ranges: CoverageRange[];
}
interface ScriptCoverage {
  url: string;
  functions: FunctionCoverage[];
}

/**
 * Per function: calls (its first range's count), the runs of its busiest block, and the runs of
 * all its blocks (V8's ranges nest, each counting its own region: their sum is the blocks run),
 * summed over same-named functions.
 */
interface Counted {
  calls: number;
  busiestBlock: number;
  blocks: number;
}

/** Keeps this bundle's functions only (the classifier is bundled into it); names joined with their first range's offset are unique. */
function countsOf(scripts: ScriptCoverage[]): Map<string, Counted> {
  const self = scripts.find((s) => s.url.endsWith('lookCounts.js'));
  const out = new Map<string, Counted>();
  for (const fn of self?.functions ?? []) {
    if (!fn.functionName || fn.ranges.length === 0) continue;
    const calls = fn.ranges[0].count;
    if (calls === 0) continue;
    const busiestBlock = Math.max(...fn.ranges.map((r) => r.count));
    const blocks = fn.ranges.reduce((sum, r) => sum + r.count, 0);
    const seen = out.get(fn.functionName) ?? { calls: 0, busiestBlock: 0, blocks: 0 };
    out.set(fn.functionName, { calls: seen.calls + calls, busiestBlock: seen.busiestBlock + busiestBlock, blocks: seen.blocks + blocks });
  }
  return out;
}

/** The coverage counted while `run` ran, and the looks it made. */
async function counted(session: Session, run: () => number): Promise<{ counts: Map<string, Counted>; looks: number }> {
  await post(session, 'Profiler.takePreciseCoverage'); // resets the counters
  const looks = run();
  const { result } = await post<{ result: ScriptCoverage[] }>(session, 'Profiler.takePreciseCoverage');
  return { counts: countsOf(result), looks };
}

/** lookSteady's trace: `sleep`s read at 1 Hz; the looks of trace seconds [from, to). */
function steadyReplay(classifiers: GrowthClassifier[], from: number, to: number): number {
  const before = classifiers.reduce((sum, c) => sum + c.lookCount, 0);
  for (let second = from; second < to; second++) {
    classifiers.forEach((classifier, watched) => {
      classifier.push(steadyStamp(second, watched), steadyReading(second, watched, false));
      classifier.verdict();
    });
  }
  return classifiers.reduce((sum, c) => sum + c.lookCount, 0) - before;
}

/** Every trace of the tuning half, as a session replays it (verdictIdentity's session cadence). */
function corpusReplay(traces: { tMs: ArrayLike<number>; rssBytes: ArrayLike<number> }[]): number {
  let looks = 0;
  for (const trace of traces) {
    const startMs = trace.tMs[0] ?? 0;
    const c = new GrowthClassifier({ quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: startMs - 30_000 + WARM_UP_MS });
    for (let i = 0; i < trace.tMs.length; i++) {
      c.push(trace.tMs[i], trace.rssBytes[i]);
      c.verdict();
    }
    looks += c.lookCount;
  }
  return looks;
}

/** This tool's own functions, left out of the table. */
const HARNESS_FUNCTIONS = new Set(['steadyReplay', 'corpusReplay', 'steadyReading', 'steadyStamp', 'counted', 'main', 'print', 'countsOf']);

function print(label: string, { counts, looks }: { counts: Map<string, Counted>; looks: number }): void {
  const all = [...counts].filter(([name]) => !HARNESS_FUNCTIONS.has(name));
  const total = all.reduce((sum, [, c]) => sum + c.blocks, 0);
  console.log(`\n${label}: ${looks} looks, ${(total / looks).toFixed(0)} blocks run a look (the pushes between looks included); per look, by function:`);
  console.log(`  ${'calls'.padStart(9)} ${'busiest'.padStart(9)} ${'blocks'.padStart(9)}`);
  const rows = all.sort((a, b) => b[1].blocks - a[1].blocks).slice(0, TOP);
  for (const [name, c] of rows) console.log(`  ${(c.calls / looks).toFixed(2).padStart(9)} ${(c.busiestBlock / looks).toFixed(1).padStart(9)} ${(c.blocks / looks).toFixed(1).padStart(9)}  ${name}`);
}

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  if (REPLAY !== 'corpus') {
    const classifiers = Array.from({ length: WATCHED }, () => watchClassifier());
    steadyReplay(classifiers, 0, FROM);
    print(`steady, ${WATCHED} sleeps, trace seconds ${FROM}–${SECONDS}`, await counted(session, () => steadyReplay(classifiers, FROM, SECONDS)));
  }
  if (REPLAY !== 'steady') {
    const { tune } = corpusHalves(60, { tuningOnly: true });
    print(`corpus, ${tune.length} traces of the tuning half at the session's cadence`, await counted(session, () => corpusReplay(tune)));
  }
  session.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
