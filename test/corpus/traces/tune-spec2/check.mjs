#!/usr/bin/env node
// Sanity checks for the tune-spec2 set: every file is well formed, and every unambiguous trace shows
// its label's intent by simple measures written here (window medians, a least-squares line,
// step concentration, smoothed excursions); the growth labels' checks and the run are shared with
// tune-spec (../specChecks.mjs). No classifier code is used or imported.
//
//   node check.mjs [DIR]    DIR: a directory written by generate.mjs; without it the set is
//                           generated twice into temporary directories (also checking determinism).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, growthChecks, median, quantile, rollingMedian, runSpecChecks, windows } from '../specChecks.mjs';

const checks = {
  ...growthChecks,
  spiky: (tr, m) => {
    // A rolling median of 3 samples: spikes last several samples, sample noise does not.
    const y = rollingMedian(tr.y, 3);
    const level = median(y);
    const height = quantile(y, 0.99) - level;
    const highShare = y.filter((v) => v > level + 0.5 * height).length / y.length;
    const third = Math.floor(y.length / 3);
    const floorMid = quantile(y.slice(third, 2 * third), 0.1);
    const floorEnd = quantile(y.slice(2 * third), 0.1);
    // Count excursions with hysteresis (up past 60% of the spike height, back below 30%).
    let excursions = 0;
    let up = false;
    for (const v of y) {
      if (!up && v > level + 0.6 * height) [up, excursions] = [true, excursions + 1];
      else if (up && v < level + 0.3 * height) up = false;
    }
    return [
      [excursions >= 3, `${excursions} separate excursions`],
      [height > 2.5 * m.noise && height > 0.02 * level, `spikes ${fmt(height)} above a ${fmt(level)} level, noise ${fmt(m.noise)}`],
      // Spikes stand above the base's own band (a sawtooth is as far below its median as above).
      [height > 2 * (level - quantile(y, 0.05)), `spikes ${fmt(height)} vs the base's lower band ${fmt(level - quantile(y, 0.05))}`],
      [highShare <= 0.4, `transient: ${(highShare * 100).toFixed(0)}% of samples in the upper half of the spikes`],
      [Math.abs(floorEnd - floorMid) <= 0.15 * height, `floor holds: ${fmt(floorEnd - floorMid)}`],
    ];
  },
  flat: (tr, m) => {
    const fittedRise = m.slope * m.span;
    // Wander with a long time constant leaves a fitted trend of a few of its own sds.
    const allowed = Math.max(4 * m.residualSd, 0.02 * m.level);
    // No rise-then-hold either: the start is not far below the later level.
    const later = m.w.slice(Math.floor(m.w.length / 2));
    // The start: the first tenth's median, or the first 2% of samples if lower (an early rise).
    const start = Math.min(m.w[0], median(tr.y.slice(0, Math.max(3, Math.floor(tr.y.length / 50)))));
    const fromStart = median(later) - start;
    const laterSpread = Math.max(...later) - Math.min(...later);
    // Transients, judged in each 1/20 of the span against that stretch's floor (its 10th
    // percentile): a band that is mostly occupied (a sawtooth, a busy band) is allowed, p99 may
    // sit 4× the median height above the floor; tall rare excursions (batches) are not. One
    // stretch in ten may break the rule (a one-off spike or dip, the stretch of a level shift).
    const stretches = windows(tr, 20);
    const withTransients = stretches.filter((w) => {
      const floor = quantile(w, 0.1);
      return quantile(w, 0.99) - floor > Math.max(0.1 * m.level, 8 * m.noise, 4 * (median(w) - floor));
    }).length;
    return [
      [withTransients <= 0.1 * stretches.length, `no repeated large transients: ${withTransients}/${stretches.length} stretches have them`],
      [fittedRise <= allowed, `fitted rise ${fmt(fittedRise)} ≤ ${fmt(allowed)}`],
      [fromStart <= Math.max(2 * laterSpread, 0.03 * m.level), `start to later level ${fmt(fromStart)}, later spread ${fmt(laterSpread)}`],
    ];
  },
};

runSpecChecks({ set: 'tune-spec2', here: dirname(fileURLToPath(import.meta.url)), checks });
