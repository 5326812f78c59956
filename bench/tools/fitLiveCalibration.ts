// Fits the live calibration (src/core/classifier/liveCalibration.ts) on the tuning half's live
// replay and rewrites its generated block; prints the by-trace cross-validated error. Run:
//   node scripts/build.mjs --tests && node out/bench/tools/fitLiveCalibration.js
// Tuning half only: the evaluation half is never generated here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerdictKind } from '../../src/core/classifier/calibration';
import { corpusHalves } from '../../test/unit/classifier/halves';
import { crossValidated, fitSigned, foldOf, samplesOf } from '../lib/liveFit';
import { replayLooks } from '../lib/liveLooks';

const TABLE = join(__dirname, '..', '..', '..', 'src', 'core', 'classifier', 'liveCalibration.ts');
const BEGIN = '// BEGIN GENERATED (bench/tools/fitLiveCalibration.ts)';
const END = '// END GENERATED';

const tune = corpusHalves(60, { tuningOnly: true }).tune;
const looks = tune.map((trace) => replayLooks(trace));
const fold = foldOf(tune.length);
const lines: string[] = [];
for (const kind of ['leak', 'no-leak'] as VerdictKind[]) {
  const samples = samplesOf(kind, looks);
  const weights = fitSigned(kind, samples);
  const cv = crossValidated(kind, samples, fold);
  const meanRight = samples.filter((s) => s.right).length / samples.length;
  const meanStated = cv.reduce((a, p) => a + p, 0) / cv.length;
  console.log(`${kind}: ${samples.length} looks, right ${(100 * meanRight).toFixed(1)}%, cross-validated mean stated ${(100 * meanStated).toFixed(1)}%; weights ${weights.map((w) => w.toFixed(4)).join(', ')}`);
  lines.push(`  ${kind === 'leak' ? 'leak' : "'no-leak'"}: { weights: [${weights.map((w) => Number(w.toFixed(4))).join(', ')}] },`);
}
const source = readFileSync(TABLE, 'utf8');
const from = source.indexOf(BEGIN);
const to = source.indexOf(END);
if (from < 0 || to < from) throw new Error(`${TABLE}: generated block markers not found`);
const block = `${BEGIN}\n// Fitted on the tuning half's live replay (${tune.length} traces, a live session's cadence).\nexport const LIVE_MODELS: Record<VerdictKind, LiveModel> = {\n${lines.join('\n')}\n};\n`;
writeFileSync(TABLE, source.slice(0, from) + block + source.slice(to));
console.log(`wrote ${TABLE}`);
