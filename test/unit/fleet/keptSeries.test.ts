// A fleet read keeps its series (readFleetOffThread with keepPoints), so that a click on a row opens
// it without a second query: against a real Prometheus holding six hours of three services, the
// kept series are the ones a fresh query for each row gives, in the rows' order (leaking first),
// no more points than the budget, and reading them cost Prometheus one query_range, not four.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFleetOffThread, readSeriesOffThread, seriesKey } from '../../../src/core/fleet';
import { fleetHistory } from '../../helpers/fleetHistory';
import { fromRoot } from '../../helpers/paths';
import { prometheusUnavailable, queryRangeRequests, startPrometheus } from '../../helpers/prometheus';

const workerScript = fromRoot('dist', 'fleetWorker.js');

test('a fleet read keeps its rows\' series within the budget, leaking first, equal to a fresh query of each, in one query_range', { timeout: 5 * 60_000, skip: prometheusUnavailable() }, async (t) => {
  const endMs = Date.now() - 60_000;
  const prometheus = await startPrometheus(t, [], { backfill: fleetHistory(endMs) });
  const query = { url: prometheus.url, query: 'process_resident_memory_bytes', startMs: endMs - 6 * 3600_000, endMs, stepMs: 15_000 };

  const before = await queryRangeRequests(prometheus);
  const all = await readFleetOffThread(query, { workerScript, keepPoints: 1_000_000 });
  assert.equal(await queryRangeRequests(prometheus), before + 1, 'one query_range for the rows and their series');
  assert.deepEqual(all.series.map((s) => s.labels.instance), all.rows.map((r) => r.labels.instance), 'every row\'s series, in the rows\' order');
  for (const kept of all.series) {
    const fresh = await readSeriesOffThread(query, seriesKey(kept.labels), { workerScript });
    assert.ok(fresh);
    assert.deepEqual(Array.from(kept.tMs), Array.from(fresh.tMs), kept.labels.instance);
    assert.deepEqual(Array.from(kept.values), Array.from(fresh.values), kept.labels.instance);
  }

  const points = all.rows[0].points;
  const two = await readFleetOffThread(query, { workerScript, keepPoints: 2 * points + 1 });
  assert.deepEqual(two.series.map((s) => s.labels.instance), all.rows.slice(0, 2).map((r) => r.labels.instance), 'the budget keeps the first rows (leaking first)');
  const none = await readFleetOffThread(query, { workerScript });
  assert.deepEqual(none.series, [], 'nothing kept unless asked');
  assert.deepEqual(none.rows, all.rows);
});
