// Measuring aid (issue 16): is the live calibration's error per look a property of the verdicts or
// of how often they are restated? The classifier bench weighs every decided look alike, so a
// cadence that restates a steady verdict less often (fewer quiet looks) changes that figure
// without changing anything a user sees. The tuning half is replayed at several quiet intervals
// (the session's is 16 s) and the shipped live calibration's error given two ways: per look, as
// the bench's table, and per second of trace, each look weighted by how long it stays shown
// (LiveLook.shownS). Tuning half only.
//   node scripts/build.mjs --tests && node out/bench/tools/cadenceCalibration.js [--quiet 16,32,64]
// Measured 2026-12-07 (main 4e74896, 842 tuning traces, 1,009 h): quiet interval 16 s: 125,532
// looks, ECE per look 0.041, per second shown 0.034; 32 s: 109,323 looks, 0.051 and 0.034; 64 s:
// 93,977 looks, 0.060 and 0.034. The per-look figure moves with the cadence alone.
// Since 02da40b each interval given is where the quiet-look backoff starts (it doubles up to 4×).
import { corpusHalves } from '../../test/unit/classifier/halves';
import { replayLooks, weightedCalibrationError } from '../lib/liveLooks';
import { option } from './harness';

const quietSeconds = option('--quiet', '16,32,64').split(',').map(Number);
const tune = corpusHalves(60, { tuningOnly: true }).tune;
for (const quietS of quietSeconds) {
  const looks = tune.flatMap((trace) => replayLooks(trace, { quietLookIntervalMs: quietS * 1000 }));
  const hours = looks.reduce((sum, look) => sum + look.shownS, 0) / 3600;
  console.log(`quiet interval ${quietS} s: ${looks.length} decided looks, shown over ${hours.toFixed(0)} h; calibration error per look ${weightedCalibrationError(looks).toFixed(3)}, per second shown ${weightedCalibrationError(looks, (look) => look.shownS).toFixed(3)}`);
}
