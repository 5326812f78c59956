// The slope's uncertainty must hold when the noise is autocorrelated: the probabilities the
// classifier states rest on it. Checked by coverage on traces with no trend at all.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fitTrend, rhoPerSecond, studentTCdf } from '../../../src/core/classifier/trendFit';
import { mulberry32 } from '../../../src/core/random';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

/** n points, `spacingS` apart, of an AR(1) process with lag-1 correlation `rho` and sd 1 MB. */
function ar1(n: number, spacingS: number, rho: number, seed: number): { t: number[]; v: number[] } {
  const random = mulberry32(seed);
  const t: number[] = [];
  const v: number[] = [];
  let x = gaussian(random);
  for (let i = 0; i < n; i++) {
    x = rho * x + Math.sqrt(1 - rho * rho) * gaussian(random);
    t.push(i * spacingS * 1000);
    v.push(1e9 + x * 1024 * 1024);
  }
  return { t, v };
}

/** Share of trendless traces whose slope the fit calls significant at the two-sided 5% level. */
function falseSignificance(rho: number, traceRho: (t: number[], v: number[]) => number): number {
  let hits = 0;
  const runs = 400;
  for (let seed = 0; seed < runs; seed++) {
    const { t, v } = ar1(64, 10, rho, 1000 + seed);
    const fit = fitTrend(t, v, traceRho(t, v));
    const df = Math.max(1, fit.effectivePoints - 2);
    const p = studentTCdf(fit.bytesPerS / fit.uncertaintyBytesPerS, df);
    if (p > 0.975 || p < 0.025) hits++;
  }
  return hits / runs;
}

test('Student t CDF: symmetric, 0.5 at 0, known quantiles', () => {
  assert.equal(studentTCdf(0, 5), 0.5);
  assert.ok(Math.abs(studentTCdf(2.571, 5) - 0.975) < 1e-3);
  assert.ok(Math.abs(studentTCdf(1.96, 1e7) - 0.975) < 1e-3);
  assert.ok(Math.abs(studentTCdf(-1.5, 3) + studentTCdf(1.5, 3) - 1) < 1e-12);
  assert.ok(Math.abs(studentTCdf(12.706, 1) - 0.975) < 1e-3);
});

test('independent noise: a trendless trace is called significant about 5% of the time', () => {
  const rate = falseSignificance(0, () => 0);
  assert.ok(rate <= 0.09, `false significance ${rate}`);
});

test('strongly autocorrelated noise (ρ = 0.9 per point): the error widens so false significance stays near 5%, not the ~50% of an independent-error fit', () => {
  const rate = falseSignificance(0.9, () => 0);
  assert.ok(rate <= 0.12, `false significance ${rate}`);
});

test('a window shorter than the wander: the whole trace\'s correlation keeps it honest', () => {
  // ρ = 0.99 per 10 s (time constant ~17 min) seen through 64 points: within the window the
  // residuals look nearly independent after the fit has absorbed the wander.
  const perSecond = Math.pow(0.99, 1 / 10);
  const withTrace = falseSignificance(0.99, () => perSecond);
  assert.ok(withTrace <= 0.12, `false significance with the trace's correlation ${withTrace}`);
});

test('rhoPerSecond recovers the correlation of AR(1) residuals per second', () => {
  const { t, v } = ar1(400, 2, 0.8, 7);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const perSecond = rhoPerSecond(t, v.map((x) => x - mean));
  assert.ok(Math.abs(Math.pow(perSecond, 2) - 0.8) < 0.08, `ρ per point ${Math.pow(perSecond, 2)}`);
});
