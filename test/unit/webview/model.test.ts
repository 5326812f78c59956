// Pure models of the webview: the sample store and its bound, thinning, stats, projection
// geometry, time ticks and the banner text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SampleColumns, emptyColumns } from '../../../src/core/shared/columns';
import { SeriesStore, sliceColumns } from '../../../webview/model/series';
import { minMaxThin } from '../../../src/core/shared/thin';
import { StatsTracker, computeStats, firstIndexAtOrAfter, leastSquaresSlope } from '../../../webview/model/stats';
import { liveXRange, projectedSlope, projectToLimit, timeToLimitMs, yAxisMax } from '../../../webview/model/projection';
import { chooseTickStep, formatTick, timeTicks } from '../../../webview/model/timeTicks';
import { syntheticTrace } from '../../../webview/model/synthetic';
import { byteTicks, niceByteStep, roundUpToStep } from '../../../webview/model/byteTicks';
import { BucketGrid, IncrementalDecimator, bucketWidthMs, liveEdgeMs, maxY, maxYBetween, minMaxDecimate } from '../../../webview/model/decimate';
import { Point } from '../../../webview/model/point';
import { bannerContent } from '../../../webview/model/verdictText';
import { limitFactName, limitLineTexts } from '../../../webview/model/limitText';
import { opaque, withAlpha } from '../../../webview/model/colors';
import { DecompositionStore } from '../../../webview/model/decomposition';
import { Diagnosis } from '../../../src/core/shared/decomposition';
import { formatConfidence } from '../../../src/core/shared/confidence';

const MB = 2 ** 20;

function trace(rss: number[], startMs = 1_000_000, stepMs = 1000): SampleColumns {
  return {
    t: rss.map((_, i) => startMs + i * stepMs),
    rss,
    threads: rss.map(() => 3),
    fds: rss.map(() => -1),
    childrenRss: rss.map(() => 0),
    childCount: rss.map(() => 0),
    cpu: rss.map(() => 0),
  };
}

describe('SeriesStore', () => {
  it('appends batches and hands out fresh arrays of the same points', () => {
    const store = new SeriesStore();
    store.append(trace([1, 2, 3]));
    const first = store.points('rss');
    store.append(trace([4], 1_003_000));
    const second = store.points('rss');
    assert.notEqual(first, second);
    assert.equal(first[0], second[0], 'point objects are reused, not rebuilt');
    assert.deepEqual(second.map((p) => p.y), [1, 2, 3, 4]);
  });

  it('drops a resent batch (samples not newer than the last)', () => {
    const store = new SeriesStore();
    store.append(trace([1, 2, 3]));
    store.append(trace([1, 2, 3, 4]));
    assert.deepEqual(store.data.rss, [1, 2, 3, 4]);
  });

  it('skips missing readings: USS only where sampled, fds only when readable', () => {
    const store = new SeriesStore();
    store.append(trace([1, 2]));
    store.append({ ...trace([3, 4], 1_002_000), uss: [null, 9] });
    assert.deepEqual(store.data.uss, [null, null, null, 9]);
    assert.deepEqual(store.points('uss'), [{ x: 1_003_000, y: 9 }]);
    assert.deepEqual(store.points('fds'), []);
    assert.equal(store.has('fds'), false);
    assert.equal(store.has('uss'), true);
    assert.equal(store.has('heap'), false);
    assert.equal(store.has('childrenRss'), false);
    assert.equal(store.has('threads'), true);
  });

  it('has no thread series when every count is 0 (a trace that never read threads)', () => {
    const store = new SeriesStore();
    store.append({ ...trace([1, 2, 3]), threads: [0, 0, 0] });
    assert.equal(store.has('threads'), false);
    store.append({ ...trace([4], 1_003_000), threads: [1] });
    assert.equal(store.has('threads'), true);
  });

  it('stays within its bound by thinning the oldest half, keeping the extremes', () => {
    const store = new SeriesStore(1000);
    const rss = Array.from({ length: 1500 }, (_, i) => (i === 100 ? 10 : i === 200 ? 1e9 : 500));
    store.append(trace(rss));
    assert.ok(store.length <= 1000, `length ${store.length}`);
    assert.ok(store.data.rss.includes(10) && store.data.rss.includes(1e9));
    assert.equal(store.data.t[store.length - 1], 1_000_000 + 1499 * 1000, 'the newest sample survives');
    assert.ok(store.data.t.every((t, i, a) => i === 0 || a[i - 1] < t), 'still in time order');
  });

  it('keeps all columns the same length whatever batches arrive', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 20 }), fc.boolean()), { maxLength: 30 }), (batches) => {
        const store = new SeriesStore(50);
        let t = 0;
        for (const [n, withUss] of batches) {
          const batch = trace(Array.from({ length: n }, () => 5), t, 10);
          if (withUss) batch.uss = batch.t.map(() => 7);
          t += n * 10;
          store.append(batch);
        }
        const c = store.data;
        for (const key of ['rss', 'threads', 'fds', 'childrenRss', 'childCount', 'cpu', 'uss'] as const) {
          if (c[key]) assert.equal(c[key]?.length, c.t.length, key);
        }
        assert.ok(store.length <= 50);
      }),
    );
  });
});

describe('minMaxThin', () => {
  it('keeps the lowest and highest sample of each bucket in time order', () => {
    const c = trace([5, 1, 9, 5, 5, 8, 2, 5]);
    const thin = minMaxThin(c, 4);
    assert.deepEqual(thin.rss, [1, 9, 8, 2]);
    assert.deepEqual(thin.t, [c.t[1], c.t[2], c.t[5], c.t[6]]);
  });

  it('returns a copy when already small enough', () => {
    const c = trace([1, 2]);
    const thin = minMaxThin(c, 10);
    assert.deepEqual(thin, c);
    assert.notEqual(thin.rss, c.rss);
  });

  it('bounds a day of samples and keeps its global min and max', () => {
    const day = syntheticTrace();
    const thin = minMaxThin(day, 4000);
    assert.ok(thin.t.length <= 4000);
    assert.equal(Math.min(...thin.rss), Math.min(...day.rss));
    assert.equal(Math.max(...thin.rss), Math.max(...day.rss));
  });
});

describe('stats', () => {
  it('reads current, min, peak, delta and the last counters', () => {
    const c = trace([10, 5, 30, 20]);
    c.threads[3] = 7;
    const s = computeStats(c);
    assert.ok(s);
    assert.equal(s.currentBytes, 20);
    assert.equal(s.minBytes, 5);
    assert.equal(s.peakBytes, 30);
    assert.equal(s.deltaBytes, 10);
    assert.equal(s.threads, 7);
    assert.equal(s.spanMs, 3000);
  });

  it('has no stats without samples', () => assert.equal(computeStats(emptyColumns()), undefined));

  it('fits the slope of a line exactly, in bytes per second, at epoch-sized times', () => {
    const t = [1.7e12, 1.7e12 + 2000, 1.7e12 + 4000];
    assert.equal(leastSquaresSlope(t, [100, 300, 500], 0, 3), 100);
    assert.equal(leastSquaresSlope(t, [1, 1, 1], 0, 1), 0);
  });

  it('finds the leak under a GC sawtooth', () => {
    const s = computeStats(syntheticTrace({ samples: 86_400, leakBytesPerS: 2048 }));
    assert.ok(s);
    assert.ok(Math.abs(s.meanSlopeBytesPerS - 2048) < 100, `slope ${s.meanSlopeBytesPerS}`);
  });

  it('carried from frame to frame, as a growing store asks, says what a fresh computation says', () => {
    const day = syntheticTrace({ samples: 20_000, leakBytesPerS: 2048 });
    const tracker = new StatsTracker();
    const store = new SeriesStore();
    store.replace(sliceColumns(day, 0, 10_000));
    for (let end = 10_000; end <= 20_000; end += 997) {
      store.append(sliceColumns(day, store.length, end));
      const carried = tracker.stats(store.data);
      const fresh = computeStats(sliceColumns(day, 0, end));
      assert.ok(carried && fresh);
      const twoPass = leastSquaresSlope(store.data.t, store.data.rss, 0, store.length);
      assert.ok(Math.abs(carried.meanSlopeBytesPerS - twoPass) <= 1e-9 * Math.abs(twoPass), `${carried.meanSlopeBytesPerS} against ${twoPass}`);
      assert.deepEqual({ ...carried, meanSlopeBytesPerS: 0 }, { ...fresh, meanSlopeBytesPerS: 0 });
    }
    store.replace(sliceColumns(day, 5000, 6000));
    assert.equal(tracker.stats(store.data)?.samples, 1000, 'new columns: started over');
    assert.equal(tracker.stats(store.data)?.minBytes, Math.min(...store.data.rss));
  });

  it('binary-searches a time', () => {
    assert.equal(firstIndexAtOrAfter([1, 2, 2, 5], 2), 1);
    assert.equal(firstIndexAtOrAfter([1, 2, 2, 5], 6), 4);
    assert.equal(firstIndexAtOrAfter([], 6), 0);
  });
});

describe('projection', () => {
  const input = { lastMs: 0, lastBytes: 100 * MB, slopeBytesPerS: MB, limitBytes: 200 * MB };

  it('reaches the limit along the slope', () => {
    const p = projectToLimit(input, Infinity);
    assert.ok(p);
    assert.equal(p.limitAtMs, 100_000);
    assert.deepEqual([p.toX, p.toY, p.reachesLimit], [100_000, 200 * MB, true]);
    assert.equal(timeToLimitMs(input), 100_000);
  });

  it('is cut at the right edge of the chart, on the same line', () => {
    const p = projectToLimit(input, 50_000);
    assert.ok(p);
    assert.deepEqual([p.toX, p.toY, p.reachesLimit], [50_000, 150 * MB, false]);
  });

  it('does not exist without a limit, without growth, or past the limit', () => {
    assert.equal(projectToLimit({ ...input, limitBytes: undefined }, 1e9), undefined);
    assert.equal(projectToLimit({ ...input, slopeBytesPerS: 0 }, 1e9), undefined);
    assert.equal(projectToLimit({ ...input, slopeBytesPerS: -5 }, 1e9), undefined);
    assert.equal(projectToLimit({ ...input, lastBytes: 300 * MB }, 1e9), undefined);
  });

  it('leaves room on the right while following live, never past the limit', () => {
    assert.deepEqual(liveXRange(0, 100_000), { min: 0, max: 100_000 });
    assert.deepEqual(liveXRange(0, 100_000, 110_000), { min: 0, max: 110_000 });
    assert.deepEqual(liveXRange(0, 100_000, 1e9), { min: 0, max: 125_000 });
  });

  it('shows a far limit off-scale and a near one on it', () => {
    const far = yAxisMax(200 * MB, 12 * 1024 * MB, undefined);
    assert.equal(far.limitOnScale, false);
    assert.ok(Math.abs(far.max - 220 * MB) < 1);
    const near = yAxisMax(700 * MB, 1000 * MB, undefined);
    assert.equal(near.limitOnScale, true);
    assert.ok(near.max > 1000 * MB);
    assert.equal(yAxisMax(100 * MB, 1000 * MB, 1000 * MB).limitOnScale, true, 'the projection reaches it');
  });
});

describe('time ticks', () => {
  it('picks a clock step giving at most the wanted number of ticks', () => {
    assert.equal(chooseTickStep(60_000, 6), 10_000);
    assert.equal(chooseTickStep(86_400_000, 8), 3 * 3_600_000);
  });

  it('aligns ticks to the local clock', () => {
    const hour = 3_600_000;
    const ticks = timeTicks(10 * hour + 1, 13 * hour, hour, hour);
    assert.deepEqual(ticks, [11 * hour, 12 * hour, 13 * hour]);
    assert.equal(formatTick(11 * hour, hour, hour), '12:00');
    assert.equal(formatTick(11 * hour + 5000, 5000, 0), '11:00:05');
  });

  it('gives no ticks for an empty or reversed range', () => {
    assert.deepEqual(timeTicks(10, 5, 1000, 0), []);
  });
});

describe('banner text', () => {
  const stats = computeStats(trace([100 * MB, 110 * MB, 120 * MB], 0, 60_000));

  it('says honestly that there is no verdict yet, with the raw slope', () => {
    const b = bannerContent({ verdict: null, stats, tzOffsetMs: 0 });
    assert.equal(b.title, 'No verdict yet');
    assert.match(b.facts.join(' | '), /\+20 MB over 2 min/);
    assert.match(b.facts.join(' | '), /\+10 MB\/min/);
  });

  it('shows the class, confidence, slope and since when', () => {
    const b = bannerContent({
      verdict: {
        class: 'steady-leak',
        confidence: 0.87,
        slopeBytesPerS: MB / 60,
        slopeUncertaintyBytesPerS: 0,
        regimeStartMs: 0,
        explanation: 'baseline rises',
      },
      stats,
      limitBytes: 200 * MB,
      timeToLimitMs: 3_600_000,
      tzOffsetMs: 0,
    });
    assert.equal(b.tone, 'leak');
    assert.equal(b.title, 'Steady leak · 87% confidence');
    assert.deepEqual(b.facts, ['+1 MB/min ± 0 B/min', 'since 00:00:00 (2 min)', '200 MB limit in 1 h at this slope']);
  });

  it('names a leak below even odds by its growth, with the chance of a leak, in the warning colour, not the error colour', () => {
    const verdict = { class: 'steady-leak' as const, confidence: 0.275, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'x' };
    const tentative = bannerContent({ verdict, stats, tzOffsetMs: 0 });
    assert.equal(tentative.title, 'Steady growth · 27% chance of a leak');
    assert.equal(tentative.tone, 'warning');
    assert.equal(bannerContent({ verdict: { ...verdict, confidence: 0.5 }, stats, tzOffsetMs: 0 }).tone, 'leak');
  });

  it("names the limit as the host sent it: the limit that applies, not the user's number", () => {
    const verdict = { class: 'steady-leak' as const, confidence: 0.87, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'x' };
    const named = bannerContent({ verdict, stats, limitBytes: 250 * MB, limitLabel: 'cgroup limit 256 MB', timeToLimitMs: 3_600_000, tzOffsetMs: 0 });
    assert.equal(named.facts.at(-1), 'cgroup limit 256 MB in 1 h at this slope');
    const over = bannerContent({ verdict, stats: computeStats(trace([280 * MB, 290 * MB, 300 * MB], 0, 60_000)), limitBytes: 250 * MB, limitLabel: 'container limit 2 GiB', tzOffsetMs: 0 });
    assert.equal(over.facts.at(-1), 'over the container limit 2 GiB');
    const pending = bannerContent({ verdict: null, stats, limitBytes: 250 * MB, limitLabel: 'ulimit -v (4 GB virtual)', timeToLimitMs: 60_000, tzOffsetMs: 0 });
    assert.equal(pending.facts.at(-1), 'ulimit -v (4 GB virtual) in 1 min at this slope');
  });

  it('never says 100% confidence', () => {
    const verdict = { class: 'steady-leak' as const, confidence: 0.998, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'x' };
    assert.equal(bannerContent({ verdict, stats, tzOffsetMs: 0 }).title, 'Steady leak · 99% confidence');
  });

  it("states the percentage the classifier's explanation states (one rule: rounded down)", () => {
    const verdict = { class: 'steady-leak' as const, confidence: 0.275, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'x' };
    assert.equal(bannerContent({ verdict: { ...verdict, confidence: 0.875 }, stats, tzOffsetMs: 0 }).title, `Steady leak · ${formatConfidence(0.875)} confidence`);
    assert.equal(formatConfidence(0.875), '87%');
  });

  it('words a leak below even odds as growth with a chance of a leak, and only a leak', () => {
    const at = (cls: 'stepwise-leak' | 'plateau', confidence: number): string => bannerContent({ verdict: { class: cls, confidence, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'x' }, stats, tzOffsetMs: 0 }).title;
    assert.equal(at('stepwise-leak', 0.49), 'Stepwise growth · 49% chance of a leak');
    assert.equal(at('stepwise-leak', 0.5), 'Stepwise leak · 50% confidence');
    assert.equal(at('plateau', 0.3), 'Plateau · 30% confidence');
  });

  it('an undecided verdict shows the change so far and the baseline slope the status bar shows, or no slope before a fit', () => {
    const fitted = { class: 'unknown' as const, confidence: 0, slopeBytesPerS: (16.5 * MB) / 60, slopeUncertaintyBytesPerS: (4 * MB) / 60, regimeStartMs: 0, explanation: 'Undecided: the process has only just started' };
    const b = bannerContent({ verdict: fitted, stats, tzOffsetMs: 0 });
    assert.equal(b.title, 'Undecided');
    assert.deepEqual(b.facts, [`+20 MB over 2 min`, 'baseline +16.5 MB/min ± 4 MB/min']);
    assert.equal(b.explanation, fitted.explanation);
    const tooShort = { ...fitted, slopeBytesPerS: 0, slopeUncertaintyBytesPerS: 0, explanation: 'Undecided: 3 samples over 2 min so far' };
    const early = bannerContent({ verdict: tooShort, stats, tzOffsetMs: 0 });
    assert.deepEqual(early.facts, ['+20 MB over 2 min'], 'no slope is claimed before the classifier fits one, not even 0');
  });

  describe('which kind of growth, from the diagnosis', () => {
    const leak = { class: 'steady-leak' as const, confidence: 0.9, slopeBytesPerS: MB / 60, slopeUncertaintyBytesPerS: 0, regimeStartMs: 0, explanation: 'baseline rises' };
    const native: Diagnosis = { kind: 'native-growth', summary: "RSS grew 40 MB in 2 min; 38 MB of it is outside Python's objects.", evidence: { rss_growth_bytes: 40 * MB, native_growth_bytes: 38 * MB }, fix: 'Look at the native side.' };

    it('a leak names its kind with the evidence sentence and the fix', () => {
      const b = bannerContent({ verdict: leak, stats, tzOffsetMs: 0, diagnosis: native });
      assert.deepEqual(b.growth, { kind: 'native-growth', label: 'Native memory growing outside the interpreter heap', text: native.summary, fix: native.fix });
      const hw = bannerContent({ verdict: { ...leak, class: 'plateau' }, stats, tzOffsetMs: 0, diagnosis: { ...native, kind: 'high-water', summary: 'peaked at 900 MB' } });
      assert.equal(hw.growth?.label, 'High-water mark: a peak freed but not returned');
      for (const [kind, label] of [['leak', 'Live objects growing'], ['fragmentation', 'Allocator holding freed memory']] as const) {
        assert.equal(bannerContent({ verdict: leak, stats, tzOffsetMs: 0, diagnosis: { ...native, kind } }).growth?.label, label);
      }
    });

    it('growth /proc cannot place says where it is (anonymous or file pages), with its numbers', () => {
      const unknown: Diagnosis = { kind: 'unknown', summary: 'x', evidence: { window_s: 120, rss_growth_bytes: 40 * MB, anon_growth_bytes: 39 * MB, file_growth_bytes: MB }, fix: 'y' };
      const b = bannerContent({ verdict: leak, stats, tzOffsetMs: 0, diagnosis: unknown });
      assert.equal(b.growth?.kind, 'unknown');
      assert.equal(b.growth?.text, 'RSS +40 MB in 2 min: anonymous memory +39 MB, file-backed +1 MB.');
      assert.match(b.growth?.fix ?? '', /Find what is growing/);
    });

    it('nothing for a flat or spiky verdict, a flat diagnosis, or none', () => {
      assert.equal(bannerContent({ verdict: { ...leak, class: 'flat' }, stats, tzOffsetMs: 0, diagnosis: native }).growth, undefined);
      assert.equal(bannerContent({ verdict: { ...leak, class: 'spiky' }, stats, tzOffsetMs: 0, diagnosis: native }).growth, undefined);
      assert.equal(bannerContent({ verdict: leak, stats, tzOffsetMs: 0, diagnosis: { ...native, kind: 'flat' } }).growth, undefined);
      assert.equal(bannerContent({ verdict: leak, stats, tzOffsetMs: 0, diagnosis: null }).growth, undefined);
    });
  });

  it('waits for samples before saying anything', () => {
    assert.equal(bannerContent({ verdict: null, stats: undefined, tzOffsetMs: 0 }).title, 'Waiting for samples');
  });
});

describe('synthetic trace', () => {
  it('is a day at 1 Hz, in time order, with USS at the detail cadence', () => {
    const day = syntheticTrace();
    assert.equal(day.t.length, 86_400);
    assert.equal(day.uss?.filter((v) => v !== null).length, 2880);
    assert.deepEqual(sliceColumns(day, 0, 2).t, [day.t[0], day.t[0] + 1000]);
  });
});

describe('byte ticks', () => {
  it('steps at round binary sizes', () => {
    assert.equal(niceByteStep(1.58 * 1024 * MB, 5), 512 * MB);
    assert.equal(niceByteStep(900 * MB, 5), 256 * MB);
    assert.equal(niceByteStep(3 * 1024 * MB, 5), 1024 * MB);
    assert.deepEqual(byteTicks(1024 * MB, 5), [0, 256 * MB, 512 * MB, 768 * MB, 1024 * MB]);
  });

  it('rounds the axis top up to a labelled tick', () => {
    assert.equal(roundUpToStep(1.58 * 1024 * MB, 5), 2048 * MB);
    assert.equal(roundUpToStep(0, 5), 1);
  });
});

describe('minMaxDecimate', () => {
  const t = Array.from({ length: 10_000 }, (_, i) => i * 1000);
  const v = t.map((_, i) => (i === 1234 ? 1e9 : i === 5678 ? -5 : i % 7));

  it('draws every point when they are few, plus one either side of the range', () => {
    const points = minMaxDecimate(t, v, 10_000, 20_000, 1000);
    assert.deepEqual(points.map((p) => p.x), Array.from({ length: 13 }, (_, i) => (9 + i) * 1000));
  });

  it('keeps every column’s extremes, in time order, within about 4 points per column', () => {
    const points = minMaxDecimate(t, v, 0, t[t.length - 1], 100);
    assert.ok(points.length <= 400, `${points.length} points`);
    assert.ok(points.some((p) => p.y === 1e9) && points.some((p) => p.y === -5));
    assert.ok(points.every((p, i) => i === 0 || points[i - 1].x < p.x));
    assert.equal(maxY(points), 1e9);
  });

  it('skips missing readings and handles empty input', () => {
    const sparse = t.map((_, i) => (i % 30 === 0 ? i : null));
    assert.ok(minMaxDecimate(t, sparse, 0, 1e9, 10).every((p) => p.y % 30 === 0));
    assert.deepEqual(minMaxDecimate([], [], 0, 1, 10), []);
    assert.deepEqual(minMaxDecimate(t, v, 5, 1, 10), []);
  });

  it('maxYBetween: the highest point inside a time range, ends included (fuzzed against a filter)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { maxLength: 500 }), fc.integer({ min: -20, max: 5200 }), fc.integer({ min: 0, max: 5200 }), (ys, min, width) => {
        const points = ys.map((y, i) => ({ x: i * 10, y }));
        const inside = points.filter((p) => p.x >= min && p.x <= min + width).map((p) => p.y);
        assert.equal(maxYBetween(points, min, min + width), Math.max(0, ...inside));
      }),
    );
  });

  it('never loses the maximum of the visible range (fuzzed)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 200 }), (ys, columns) => {
        const ts = ys.map((_, i) => i * 10);
        const points = minMaxDecimate(ts, ys, 0, ts[ts.length - 1], columns);
        assert.equal(maxY(points), Math.max(0, ...ys));
        assert.equal(Math.min(...points.map((p) => p.y)), Math.min(...ys));
      }),
    );
  });
});

describe('liveEdgeMs', () => {
  it('rounds the newest time up by less than a bucket, and holds while samples arrive within it', () => {
    const day = 86_400_000;
    const first = 1_700_000_000_000;
    const width = bucketWidthMs(day, 1100);
    const edges = [0, 1000, 2000, 60_000].map((later) => liveEdgeMs({ min: first, max: first + day + later }, 1100));
    for (const [i, later] of [0, 1000, 2000, 60_000].entries()) {
      assert.ok(edges[i] >= first + day + later && edges[i] < first + day + later + width, `edge ${edges[i]} for +${later} ms`);
      assert.equal(edges[i] % width, 0);
    }
    assert.ok(new Set(edges).size < edges.length, 'consecutive samples share an edge');
  });

  it('leaves an edge on the grid where it is', () => {
    assert.equal(liveEdgeMs({ min: 0, max: 4096 }, 1), 4096);
  });
});

describe('IncrementalDecimator', () => {
  it('gives the same points after many small appends as after one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }), (ys, cuts) => {
        const t = ys.map((_, i) => 1_000_000 + i * 1000);
        const width = bucketWidthMs(t[t.length - 1] - t[0], 50);
        const incremental = new IncrementalDecimator();
        let n = 0;
        for (const cut of cuts) {
          n = Math.min(ys.length, n + cut);
          incremental.points(t.slice(0, n), ys.slice(0, n), width, t[0], t[n - 1]);
        }
        const all = new IncrementalDecimator().points(t, ys, width, t[0], t[t.length - 1]);
        assert.deepEqual(incremental.points(t, ys, width, t[0], t[t.length - 1]), all);
        assert.equal(maxY(all), Math.max(0, ...ys));
      }),
    );
  });

  it('keeps the lowest and highest reading of each bucket on the grid, and the first and last of the newest, skipping missing ones', () => {
    // The oracle: buckets as groups of floor(t / width), each reduced on its own.
    const reference = (t: number[], ys: (number | null)[], width: number): Point[] => {
      const out: Point[] = [];
      const groups = new Map<number, number[]>();
      t.forEach((x, i) => {
        if (ys[i] === null) return;
        const key = Math.floor(x / width);
        groups.set(key, [...(groups.get(key) ?? []), i]);
      });
      // The newest bucket (the one of the last sample, read or not) keeps its ends: the line ends at the newest reading.
      const newest = Math.floor(t[t.length - 1] / width);
      for (const [key, indexes] of groups) {
        const y = (i: number): number => ys[i] as number;
        const lo = indexes.reduce((a, i) => (y(i) < y(a) ? i : a));
        const hi = indexes.reduce((a, i) => (y(i) > y(a) ? i : a));
        const extremes = [Math.min(lo, hi), Math.max(lo, hi)];
        const kept = [...new Set(key === newest ? [indexes[0], ...extremes, indexes[indexes.length - 1]] : extremes)];
        out.push(...kept.map((i) => ({ x: t[i], y: y(i) })));
      }
      return out;
    };
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 5 }), { minLength: 1, maxLength: 1500 }), fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1500, maxLength: 1500 }), fc.integer({ min: 1, max: 80 }), (ys, gaps, columns) => {
        let x = 1_000_000;
        const t = ys.map((_, i) => (x += gaps[i]));
        const width = bucketWidthMs(t[t.length - 1] - t[0], columns);
        assert.deepEqual(new IncrementalDecimator().points(t, ys, width, 0, Infinity), reference(t, ys, width));
      }),
    );
  });

  it('shares one bucket grid between the series of a time column, giving what each would find alone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 4 }), fc.integer({ min: -1, max: 50 })), { minLength: 1, maxLength: 1500 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 }), (rows, cuts) => {
        const t = rows.map((_, i) => 1_000_000 + i * 700);
        const rss = rows.map(([y]) => y);
        const fds = rows.map(([, y]) => y);
        const width = bucketWidthMs(t[t.length - 1] - t[0], 40);
        const grid = new BucketGrid();
        const shared = [new IncrementalDecimator(), new IncrementalDecimator(0)];
        let n = 0;
        for (const cut of cuts) {
          n = Math.min(t.length, n + cut);
          const times = t.slice(0, n);
          [rss, fds].forEach((values, k) => {
            const alone = new IncrementalDecimator(k === 0 ? -Infinity : 0).points(times, values.slice(0, n), width, 0, Infinity);
            assert.deepEqual(shared[k].points(times, values.slice(0, n), width, 0, Infinity, grid), alone);
          });
        }
      }),
    );
  });

  it('slices the visible range and leaves out the newest bucket when panned into the past', () => {
    const t = Array.from({ length: 10_000 }, (_, i) => i * 1000);
    const v = t.map((_, i) => i);
    const d = new IncrementalDecimator();
    const width = bucketWidthMs(1_000_000, 100);
    const past = d.points(t, v, width, 2_000_000, 3_000_000);
    assert.ok(past[0].x < 2_000_000 && past[0].x >= 2_000_000 - width, 'one point before the range');
    assert.ok(past[past.length - 1].x > 3_000_000 && past[past.length - 1].x <= 3_000_000 + width, 'one point after it');
    assert.equal(d.points(t, v, width, 0, 1e9).at(-1)?.x, t[t.length - 1], 'the newest sample when the view reaches the end');
  });

  it('uses power-of-two widths, stable while a live span grows', () => {
    assert.equal(bucketWidthMs(86_400_000, 1200), 131_072);
    assert.equal(bucketWidthMs(86_401_000, 1200), 131_072);
    assert.equal(bucketWidthMs(0, 1200), 1);
  });
});

describe('SeriesStore.decimated', () => {
  it('draws everything when zoomed in and stays bounded for a day', () => {
    const store = new SeriesStore();
    store.replace(syntheticTrace());
    const t = store.data.t;
    assert.equal(store.decimated('rss', t[100], t[200], 1000).length, 103);
    const day = store.decimated('rss', t[0], t[t.length - 1], 1000);
    assert.ok(day.length <= 4000, `${day.length}`);
    assert.equal(maxY(day), Math.max(...store.data.rss));
    assert.ok(store.decimated('uss', t[0], t[t.length - 1], 1000).length > 0);
  });
});

describe('theme colours for lines', () => {
  it('drops the alpha of a theme colour, keeps opaque ones as they are', () => {
    assert.equal(opaque('#d1861680'), '#d18616');
    assert.equal(opaque('#f008'), '#f00');
    assert.equal(opaque('rgba(209, 134, 22, 0.5)'), 'rgb(209, 134, 22)');
    assert.equal(opaque('#3794ff'), '#3794ff');
    assert.equal(opaque('rgb(1, 2, 3)'), 'rgb(1, 2, 3)');
    assert.equal(withAlpha(opaque('#d1861680'), 0.12), 'rgba(209, 134, 22, 0.12)');
  });
});

describe('projectedSlope', () => {
  it('ends the projection when the growth has ended: the last seconds are flat, whatever the verdict slope', () => {
    const slope = 4 * 2 ** 20; // 4 MB/s, the verdict's
    assert.equal(projectedSlope(slope, slope * 0.9), slope);
    assert.equal(projectedSlope(slope, 0), 0, 'growth stopped: no "limit in 31 s"');
    assert.equal(projectedSlope(slope, slope * 0.1), 0);
    assert.equal(projectedSlope(-slope, -slope), 0);
  });

  it('stats carry the slope of the last 20 s beside the recent one', () => {
    const c = emptyColumns();
    // 60 s of growth at 1 MB/s, then 30 s flat.
    for (let s = 0; s <= 90; s++) {
      c.t.push(s * 1000);
      c.rss.push(Math.min(s, 60) * 2 ** 20);
      for (const key of ['threads', 'fds', 'childrenRss', 'childCount', 'cpu'] as const) c[key].push(0);
    }
    const stats = computeStats(c);
    assert.ok(stats && stats.recentSlopeBytesPerS > 0.5 * 2 ** 20);
    assert.equal(stats?.latestSlopeBytesPerS, 0);
  });
});

describe('limit naming', () => {
  it('draws the name on the line, with the plain number as the fallback where it does not fit', () => {
    assert.deepEqual(limitLineTexts({ bytes: 250 * MB, label: 'cgroup limit 256 MB' }, true), ['cgroup limit 256 MB', 'limit 250 MB']);
    assert.deepEqual(limitLineTexts({ bytes: 250 * MB }, true), ['limit 250 MB']);
  });

  it('says where an off-scale limit is, named, then shorter', () => {
    assert.deepEqual(limitLineTexts({ bytes: 2 * 1024 * MB, label: 'container limit 2 GiB' }, false), [
      'container limit 2 GiB ↑ (off scale)',
      'container limit 2 GiB ↑',
      'limit 2 GB ↑ (off scale)',
      'limit 2 GB ↑',
    ]);
    assert.deepEqual(limitLineTexts({ bytes: 600 * MB }, false), ['limit 600 MB ↑ (off scale)', 'limit 600 MB ↑']);
  });

  it('keeps the old wording when the host sent no name', () => {
    assert.equal(limitFactName({ bytes: 600 * MB }), '600 MB limit');
    assert.equal(limitFactName({ bytes: 600 * MB, label: 'limit 600 MB' }), 'limit 600 MB');
  });
});

describe('DecompositionStore', () => {
  const readings = (from: number, n: number) => ({
    t: Array.from({ length: n }, (_, i) => (from + i) * 5000),
    anon: Array.from({ length: n }, (_, i) => (100 + from + i) * MB),
    file: Array.from({ length: n }, () => 20 * MB),
    shmem: Array.from({ length: n }, () => 2 * MB),
    swap: Array.from({ length: n }, () => 0),
  });
  const all = new Set(['anon', 'file', 'shmem', 'swap'] as const);

  it('stacks the shown parts from zero (their top is RSS) and draws swap as read', () => {
    const store = new DecompositionStore();
    store.replace(readings(0, 3));
    assert.deepEqual(store.points('file', all, 0, 10_000, 100).map((p) => p.y), [20 * MB, 20 * MB, 20 * MB], 'the steadiest part at the bottom');
    assert.deepEqual(store.points('shmem', all, 0, 10_000, 100).map((p) => p.y), [22 * MB, 22 * MB, 22 * MB]);
    assert.deepEqual(store.points('anon', all, 0, 10_000, 100).map((p) => p.y), [122 * MB, 123 * MB, 124 * MB], 'anonymous on top: the top is RSS');
    const noFile = new Set(['anon', 'shmem'] as const);
    assert.deepEqual(store.points('anon', noFile, 0, 10_000, 100).map((p) => p.y), [102 * MB, 103 * MB, 104 * MB], 'a hidden part leaves no gap');
    assert.deepEqual(store.points('swap', all, 0, 10_000, 100).map((p) => p.y), [0, 0, 0]);
    assert.equal(store.valueAt('shmem', 7000), 2 * MB, "a tooltip's value is the part's own, not the stack's");
    assert.equal(store.valueAt('anon', 7000), 101 * MB, 'the reading at or before the pointer');
    assert.equal(store.valueAt('anon', -1), undefined);
  });

  it('appends new readings only, says which parts are worth a legend entry, and stays bounded', () => {
    const store = new DecompositionStore(100);
    assert.equal(store.has('anon'), false);
    store.append(readings(0, 60));
    store.append(readings(50, 20)); // ten of them resent
    assert.equal(store.length, 70);
    assert.equal(store.has('anon'), true);
    assert.equal(store.has('swap'), false, 'no swap legend while the process has none');
    store.append({ ...readings(70, 1), swap: [MB] });
    assert.equal(store.has('swap'), true);
    const withSwap = store.data;
    store.take(readings(0, 10));
    assert.equal(store.has('swap'), false, 'new readings without swap: no swap legend');
    store.take({ ...withSwap, t: [...withSwap.t], swap: [...withSwap.swap] });
    assert.equal(store.has('swap'), true, 'and with swap again');
    store.append(readings(71, 60));
    assert.ok(store.length <= 100, `bounded: ${store.length}`);
    assert.equal(store.data.t.at(-1), 130 * 5000, 'the newest kept');
    assert.deepEqual(store.latest(), { anon: 230 * MB, file: 20 * MB, shmem: 2 * MB, swap: 0 });
  });

  it('takes a message\'s readings as they are, keeping what replace keeps', () => {
    const compare = (given: ReturnType<typeof readings>, max: number): void => {
      const taken = new DecompositionStore(max);
      const replaced = new DecompositionStore(max);
      replaced.replace(given);
      taken.take(given);
      assert.deepEqual(taken.data, replaced.data);
    };
    compare(readings(0, 50), 100);
    compare(readings(0, 150), 100); // over the bound: thinned once
    const resent = readings(0, 10);
    for (const key of ['t', 'anon', 'file', 'shmem', 'swap'] as const) resent[key].splice(5, 0, resent[key][4]);
    compare(resent, 100); // a reading twice in one batch
  });

  it('draws the same points after readings arrive one at a time (and are thinned) as a store given them at once', () => {
    const day = 17_280; // a day at 5 s
    const wavy = (from: number, n: number) => {
      const r = readings(from, n);
      r.anon = r.anon.map((v, i) => v + ((from + i) % 37) * MB);
      r.swap = r.swap.map((_, i) => ((from + i) % 50) * 4096);
      return r;
    };
    const live = new DecompositionStore(day);
    live.replace(wavy(0, day - 30));
    const shownSets = [all, new Set(['anon', 'swap'] as const)];
    const draw = (store: DecompositionStore, shown: ReadonlySet<'anon' | 'file' | 'shmem' | 'swap'>) => {
      const t = store.data.t;
      return (['file', 'shmem', 'anon', 'swap'] as const).filter((p) => shown.has(p)).map((p) => store.points(p, shown, t[0], t[t.length - 1] + 60_000, 1000));
    };
    for (let k = 0; k < 60; k++) {
      live.append(wavy(day - 30 + k, 1));
      const shown = shownSets[k % 7 === 0 ? 1 : 0];
      const whole = new DecompositionStore(day);
      whole.replace(live.data);
      assert.deepEqual(draw(live, shown), draw(whole, shown), `after reading ${k}`);
    }
    assert.ok(live.length < day, 'thinned on the way');
    const zoomed = live.points('anon', all, live.data.t[100], live.data.t[200], 1000);
    assert.equal(zoomed.length, 103, 'every reading when zoomed in, one either side');
  });
});

describe('SeriesStore.has', () => {
  it('finds a series once a reading worth drawing arrives, and forgets on replace', () => {
    const store = new SeriesStore();
    const zeros = syntheticTrace({ samples: 500 });
    zeros.childrenRss = zeros.childrenRss.map(() => 0);
    store.replace(zeros);
    assert.equal(store.has('childrenRss'), false);
    assert.equal(store.has('childrenRss'), false, 'asked again');
    const next = sliceColumns(syntheticTrace({ samples: 502 }), 500, 502);
    next.childrenRss = [0, 5 * MB];
    store.append(next);
    assert.equal(store.has('childrenRss'), true, 'a child appeared');
    store.replace(zeros);
    assert.equal(store.has('childrenRss'), false, 'replaced');
    assert.equal(store.has('rss'), true);
    assert.equal(store.has('uss'), zeros.uss !== undefined && zeros.uss.some((v) => v !== null));
  });
});
