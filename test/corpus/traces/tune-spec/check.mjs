#!/usr/bin/env node
// Sanity checks for the tune-spec set: every file is well formed, and every unambiguous trace shows
// its label's intent by simple measures written here (window medians, a least-squares line,
// step concentration). No classifier code is used or imported.
//
//   node check.mjs [DIR]    DIR: a directory written by generate.mjs; without it the set is
//                           generated twice into temporary directories (also checking determinism).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, growthChecks, median, quantile, runSpecChecks } from '../specChecks.mjs';

const checks = {
  ...growthChecks,
  spiky: (tr, m) => {
    const p99 = quantile(tr.y, 0.99);
    const height = p99 - m.level;
    const highShare = tr.y.filter((v) => v > m.level + 0.5 * height).length / tr.y.length;
    const third = Math.floor(tr.y.length / 3);
    const floorMid = quantile(tr.y.slice(third, 2 * third), 0.1);
    const floorEnd = quantile(tr.y.slice(2 * third), 0.1);
    // Count excursions with hysteresis (up past 60% of the spike height, back below 30%).
    let excursions = 0;
    let up = false;
    for (const v of tr.y) {
      if (!up && v > m.level + 0.6 * height) [up, excursions] = [true, excursions + 1];
      else if (up && v < m.level + 0.3 * height) up = false;
    }
    return [
      [excursions >= 3, `${excursions} separate excursions`],
      [height > 8 * m.noise && height > 0.1 * m.level, `spikes ${fmt(height)} above a ${fmt(m.level)} level, noise ${fmt(m.noise)}`],
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
    const fromStart = median(later) - m.w[0];
    const laterSpread = Math.max(...later) - Math.min(...later);
    const spikes = quantile(tr.y, 0.99) - m.level;
    return [
      [spikes <= Math.max(0.1 * m.level, 8 * m.noise), `no large transients: p99 ${fmt(spikes)} above the median`],
      [fittedRise <= allowed, `fitted rise ${fmt(fittedRise)} ≤ ${fmt(allowed)}`],
      [fromStart <= Math.max(2 * laterSpread, 0.03 * m.level), `start to later level ${fmt(fromStart)}, later spread ${fmt(laterSpread)}`],
    ];
  },
};

runSpecChecks({ set: 'tune-spec', here: dirname(fileURLToPath(import.meta.url)), checks });
