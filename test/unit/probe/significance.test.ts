// A probe's sites against the growth the chart saw: noise in a flat process is "nothing grew",
// real sites of a leaking one stay, and what is left out is said in a note.
import test from 'node:test';
import assert from 'node:assert/strict';
import { MemorySample } from '../../../src/core/model';
import { MIN_SITE_BYTES, rssGrowthOver, significantSiteBytes, withSignificantSites } from '../../../src/core/probe/significance';
import { ProbeResult, ProbeSite } from '../../../src/core/probe/types';

const MB = 2 ** 20;

function samples(rssAt: (s: number) => number, seconds: number): MemorySample[] {
  return Array.from({ length: seconds + 1 }, (_, s) => ({
    tMs: 1_000_000 + s * 1000, rssBytes: rssAt(s), deltaBytes: 0, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 0,
  }));
}

function site(bytes: number, line: number): ProbeSite {
  return { file: '/demo/app.py', line, function: 'f', bytes, count: 3, lineIsFunctionStart: false };
}

function result(sites: ProbeSite[]): ProbeResult {
  return { pid: 42, runtime: 'python', sites, method: 'remote_exec', windowMs: 10_000, durationMs: 10_500, notes: [] };
}

test('the growth over the window is the slope times the window, robust to round-by-round noise', () => {
  // 14 MB/min with +-3 MB of alternating noise: last-minus-first would say 0 or 6 MB more.
  const noisy = samples((s) => 100 * MB + (14 * MB * s) / 60 + (s % 2 ? 3 : -3) * MB, 10);
  const growth = rssGrowthOver(noisy, 1_000_000, 1_010_000);
  assert.ok(Math.abs(growth - (14 * MB) / 6) < 0.5 * MB, `growth ${growth / MB} MB`);
  assert.equal(rssGrowthOver(samples(() => 50 * MB, 10), 1_000_000, 1_010_000), 0);
  assert.equal(rssGrowthOver(samples((s) => 50 * MB - s * MB, 10), 1_000_000, 1_010_000), 0, 'shrinking is no growth');
  assert.equal(rssGrowthOver([], 0, 10), 0);
});

test('a flat process: 206 bytes in 3 objects at the statm line are nothing grew, and a note says so', () => {
  const flat = withSignificantSites(result([site(206, 24)]), 0);
  assert.deepEqual(flat.sites, []);
  assert.equal(flat.notes.length, 1);
  assert.match(flat.notes[0], /^1 site under 64 KB \(206 B in all\) left out as noise: RSS grew 0 B during the probe\.$/);
});

test('a leaking process keeps its real sites and drops the small change beside them', () => {
  const growth = 2.3 * MB; // 14 MB/min over a 10 s probe
  const leaking = withSignificantSites(result([site(1.6 * MB, 60), site(700 * 1024, 57), site(80 * 1024, 75), site(300, 24)]), growth);
  assert.deepEqual(leaking.sites.map((s) => s.line), [60, 57]);
  assert.equal(significantSiteBytes(growth), 0.05 * growth);
  assert.equal(significantSiteBytes(0), MIN_SITE_BYTES);
});

test('nothing to drop: the result is returned as it was, without a note', () => {
  const big = result([site(5 * MB, 1)]);
  assert.equal(withSignificantSites(big, 10 * MB), big);
});
