// Writes the live classifier's every look, sample by sample, over every trace of the tuning half
// and over long synthetic traces of our own, one JSON line per trace: for proving that a change to
// how the looks are computed (how often, what is cached, how windows are built) leaves every
// verdict as it was. Each trace is replayed twice: as `leakscope classify --replay` runs it (the
// default classifier) and as a live session does (its quiet cadence and a warm-up). At each look
// it records the shown verdict and the raw look (class, confidence, slope, its uncertainty, the
// regime, the plateau and the explanation), both as printed numbers, i.e. bit for bit.
// bench/tools/verdictIdentity.mjs builds this on two commits and diffs their outputs.
//   node out/bench/tools/verdictIdentity.js OUT.jsonl
import { createWriteStream } from 'node:fs';
import { GrowthClassifier, GrowthClassifierOptions } from '../../src/core/classifier';
import { GrowthVerdict } from '../../src/core/model';
import { QUIET_LOOK_INTERVAL_MS, WARM_UP_MS } from '../../src/core/session';
import { corpusHalves } from '../../test/unit/classifier/halves';
import { generate, SyntheticSpec } from '../../test/unit/classifier/synthetic';

const MB = 1024 * 1024;
const HOUR_S = 3600;

interface Trace {
  name: string;
  tMs: ArrayLike<number>;
  rssBytes: ArrayLike<number>;
}

/** Long traces the corpus has few of: hours at 1 Hz, where the buckets coarsen many times. */
function longTraces(): Trace[] {
  const level = 400 * MB;
  const specs: [string, SyntheticSpec][] = [
    ['constant-3h', { durationS: 3 * HOUR_S, intervalS: 1, levelBytes: 1_900_544 }],
    ['sawtooth-6h', { durationS: 6 * HOUR_S, intervalS: 1, levelBytes: level, noiseSigmaBytes: MB, sawtooth: { amplitudeBytes: 30 * MB, periodS: 20 } }],
    ['slow-leak-4h', { durationS: 4 * HOUR_S, intervalS: 1, levelBytes: level, noiseSigmaBytes: 2 * MB, sawtooth: { amplitudeBytes: 20 * MB, periodS: 45 }, leak: { bytesPerS: 2000, onsetS: 1800 } }],
    ['steps-5h', { durationS: 5 * HOUR_S, intervalS: 2, jitter: 0.2, levelBytes: level, noiseSigmaBytes: MB, steps: { everyS: 900, bytes: 24 * MB, onsetS: 600 } }],
    ['plateau-3h', { durationS: 3 * HOUR_S, intervalS: 1, levelBytes: level, noiseSigmaBytes: MB, warmup: { riseBytes: 300 * MB, durationS: 1200, shape: 'exp' }, spikes: { everyS: 600, durationS: 20, heightBytes: 200 * MB } }],
    ['wander-gaps-8h', { durationS: 8 * HOUR_S, intervalS: 5, levelBytes: 2000 * MB, noiseSigmaBytes: 2 * MB, wander: { sdBytes: 20 * MB, tauS: 1200 }, gaps: { count: 3, fraction: 0.05 } }],
    ['irregular-2h', { durationS: 2 * HOUR_S, intervalS: 1, levelBytes: level, noiseSigmaBytes: MB, irregular: { minS: 0.2, maxS: 3, pauseEveryS: 1500, pauseS: 120 }, leak: { bytesPerS: 20_000 } }],
  ];
  return specs.map(([name, spec], i) => ({ name: `long/${name}`, ...generate(spec, 1000 + i) }));
}

/** Every number as printed: two runs agree on a line only if they agree bit for bit. */
function stated(v: GrowthVerdict): string {
  return [v.class, v.confidence, v.slopeBytesPerS, v.slopeUncertaintyBytesPerS, v.regimeStartMs, v.plateauBytes ?? '', v.explanation].join('|');
}

/** One line per look: the sample it came at, the shown verdict, and the look's own verdict. */
function replay(trace: Trace, options: GrowthClassifierOptions): string[] {
  const c = new GrowthClassifier(options);
  const looks: string[] = [];
  let looksSeen = 0;
  for (let i = 0; i < trace.tMs.length; i++) {
    c.push(trace.tMs[i], trace.rssBytes[i]);
    const shown = c.verdict();
    if (c.lookCount === looksSeen) continue;
    looksSeen = c.lookCount;
    looks.push(`${i}:${stated(shown)}:${stated(c.rawVerdict())}`);
  }
  return looks;
}

function main(): void {
  const out = process.argv[2];
  if (!out) throw new Error('usage: verdictIdentity OUT.jsonl');
  const { tune } = corpusHalves(60, { tuningOnly: true });
  const traces: Trace[] = [...tune, ...longTraces()];
  const stream = createWriteStream(out);
  let looks = 0;
  for (const trace of traces) {
    const startMs = trace.tMs[0] ?? 0;
    const cli = replay(trace, {});
    // As WatchSession: quiet looks, and a process that started 30 s before the first reading.
    const session = replay(trace, { quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS, leakNotBeforeMs: startMs - 30_000 + WARM_UP_MS });
    looks += cli.length + session.length;
    stream.write(`${JSON.stringify({ trace: trace.name, samples: trace.tMs.length, cli, session })}\n`);
  }
  stream.end();
  console.log(`${traces.length} traces (${tune.length} of the tuning half, ${traces.length - tune.length} long synthetic), ${looks} looks written to ${out}`);
}

main();
