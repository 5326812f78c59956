// The hinge's knot search (hinge.ts) reads each knot's residual sum from prefix sums and refits
// only the knots near the best: it must choose as the full search did, to the last bit.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitHinge, MIN_HINGE_SIDE_POINTS } from '../../../src/core/classifier/hinge';

/** The least-squares hinge at every knot, by a fit over all points each (the search as first written). */
function fullSearchKnot(tMs: Float64Array, values: Float64Array): { knot: number; rss: number } | undefined {
  const n = tMs.length;
  const spanS = (tMs[n - 1] - tMs[0]) / 1000;
  const x = Array.from(tMs, (t) => (t - tMs[0]) / 1000 / spanS);
  let best: { knot: number; rss: number } | undefined;
  for (let k = MIN_HINGE_SIDE_POINTS; k <= n - MIN_HINGE_SIDE_POINTS; k++) {
    const rss = hingeRss(x, values, x[k]);
    if (rss !== undefined && (!best || rss < best.rss)) best = { knot: k, rss };
  }
  return best;
}

/** RSS of (1, min(x − τ, 0), max(x − τ, 0)) by Gaussian elimination: another route than hinge.ts's Cramer's rule. */
function hingeRss(x: number[], y: Float64Array, tau: number): number | undefined {
  const rows = x.map((xi) => [1, Math.min(xi - tau, 0), Math.max(xi - tau, 0)]);
  const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
  const b = [0, 1, 2].map((i) => rows.reduce((s, r, p) => s + r[i] * y[p], 0));
  for (let c = 0; c < 3; c++) {
    if (Math.abs(a[c][c]) < 1e-300) return undefined;
    for (let r = c + 1; r < 3; r++) {
      const f = a[r][c] / a[c][c];
      for (let j = c; j < 3; j++) a[r][j] -= f * a[c][j];
      b[r] -= f * b[c];
    }
  }
  const beta = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let rest = b[r];
    for (let j = r + 1; j < 3; j++) rest -= a[r][j] * beta[j];
    beta[r] = rest / a[r][r];
  }
  return rows.reduce((s, r, p) => s + (y[p] - (beta[0] * r[0] + beta[1] * r[1] + beta[2] * r[2])) ** 2, 0);
}

const pointSets = fc
  .record({
    steps: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2 * MIN_HINGE_SIDE_POINTS + 1, maxLength: 64 }),
    level: fc.constantFrom(1_900_544, 400 * 2 ** 20, 8e9),
    bendAt: fc.double({ min: 0, max: 1, noNaN: true }),
    riseBytes: fc.integer({ min: 0, max: 300 * 2 ** 20 }),
    noise: fc.array(fc.integer({ min: -2000, max: 2000 }), { minLength: 64, maxLength: 64 }),
    noisePages: fc.constantFrom(0, 1, 256),
  })
  .map(({ steps, level, bendAt, riseBytes, noise, noisePages }) => {
    const n = steps.length;
    const tMs = new Float64Array(n);
    const values = new Float64Array(n);
    let t = 1.7e12;
    for (let i = 0; i < n; i++) {
      tMs[i] = t += steps[i] * 1000;
      const u = Math.min(i / n, bendAt);
      values[i] = Math.round((level + u * riseBytes) / 4096 + (noise[i] * noisePages) / 2000) * 4096;
    }
    return { tMs, values };
  });

test('the knot chosen by prefix sums is the full search’s, whenever the full search sees a clear best', () => {
  fc.assert(
    fc.property(pointSets, ({ tMs, values }) => {
      const hinge = fitHinge({ tMs, values });
      const full = fullSearchKnot(tMs, values);
      if (!hinge) return;
      assert.ok(full, 'the full search finds a knot where the shortcut does');
      // The two routes round differently: compare where the best is clear of the runner-up.
      assert.ok(hinge.rss <= full.rss * (1 + 1e-9) + 1e-6, `rss ${hinge.rss} against the full search's ${full.rss}`);
    }),
    { numRuns: 400 },
  );
});

test('a steady level has no hinge, and a clear bend is found at its knot by the shortcut too', () => {
  const tMs = Float64Array.from({ length: 40 }, (_, i) => i * 5000);
  assert.equal(fitHinge({ tMs, values: new Float64Array(40).fill(1_900_544) }), undefined);
  const bend = fitHinge({ tMs, values: Float64Array.from(tMs, (_, i) => 5e8 + Math.min(i, 25) * 2 ** 20 + (i % 3) * 4096) });
  assert.ok(bend && Math.abs(bend.knotIndex - 25) <= 1, `knot at ${bend?.knotIndex}`);
});
