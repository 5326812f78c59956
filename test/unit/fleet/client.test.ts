// The query_range client against an HTTP server written here that answers the way Prometheus's API
// does (its JSON envelope, its error bodies, its 11,000-points-per-series refusal), and against
// the failures a real network gives: nothing listening, no answer, an answer that is not JSON.
// test/unit/fleet/prometheus.test.ts runs the same client against a real Prometheus.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { classifyFleet, MAX_POINTS_PER_QUERY, PrometheusError, queryRange, queryUrl, rangeChunks, readFleetOffThread, readSeriesOffThread, seriesKey } from '../../../src/core/fleet';
import { fromRoot } from '../../helpers/paths';
import { freePort } from '../../helpers/prometheus';

type Handler = (url: URL, request: IncomingMessage, response: ServerResponse) => void;

async function serve(t: { after(fn: () => unknown): void }, handler: Handler): Promise<{ url: string; requests: URL[]; headers: IncomingMessage['headers'][] }> {
  const requests: URL[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(url);
    headers.push(request.headers);
    handler(url, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, headers };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Prometheus's query_range over two synthetic series on the asked grid, refusing > 11,000 points as it does. */
const prometheusLike: Handler = (url, _request, response) => {
  if (url.pathname !== '/prefix/api/v1/query_range') return json(response, 404, { status: 'error', errorType: 'not_found', error: 'no route' });
  const start = Number(url.searchParams.get('start'));
  const end = Number(url.searchParams.get('end'));
  const step = Number(url.searchParams.get('step'));
  if ((end - start) / step > MAX_POINTS_PER_QUERY) {
    return json(response, 400, { status: 'error', errorType: 'bad_data', error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)' });
  }
  const values = (f: (t: number) => string): [number, string][] => {
    const points: [number, string][] = [];
    for (let t = start; t <= end + 1e-9; t += step) points.push([Math.round(t * 1000) / 1000, f(t)]);
    return points;
  };
  json(response, 200, {
    status: 'success',
    warnings: ['partial data from one store'],
    data: {
      resultType: 'matrix',
      result: [
        { metric: { __name__: 'process_resident_memory_bytes', instance: 'a:9100', job: 'api' }, values: values((t) => String(Math.round(t))) },
        { metric: { __name__: 'process_resident_memory_bytes', instance: 'b:9100', job: 'api' }, values: values((t) => (Math.round(t) % 100 === 0 ? 'NaN' : '5e7')) },
      ],
    },
  });
};

test('rangeChunks covers the grid once, each piece within the limit', () => {
  assert.deepEqual(rangeChunks(0, 10_000, 1000, 4), [[0, 3000], [4000, 7000], [8000, 10_000]]);
  assert.deepEqual(rangeChunks(0, 10_999_000, 1000), [[0, 10_999_000]], '11,000 points: one request');
  assert.deepEqual(rangeChunks(0, 11_000_000, 1000), [[0, 10_999_000], [11_000_000, 11_000_000]]);
  assert.deepEqual(rangeChunks(5, 5, 15_000), [[5, 5]]);
});

test('queryUrl keeps a path prefix and refuses what is not an http(s) URL or holds credentials', () => {
  assert.equal(queryUrl('https://h/prom', 'up', 0, 15_000, 15_000).toString(), 'https://h/prom/api/v1/query_range?query=up&start=0&end=15&step=15');
  assert.throws(() => queryUrl('localhost:9090', 'up', 0, 1, 1), /not an http\(s\) URL/);
  assert.throws(() => queryUrl('not a url', 'up', 0, 1, 1), /not a URL/);
  assert.throws(() => queryUrl('http://u:p@h', 'up', 0, 1, 1), /credentials/);
});

test('a range over 11,000 steps is read in pieces and stitched: every point once, in order, NaN left out', async (t) => {
  const server = await serve(t, prometheusLike);
  const startMs = 1_700_000_000_000;
  const result = await queryRange({ url: `${server.url}/prefix`, query: 'process_resident_memory_bytes', startMs, endMs: startMs + 6 * 3600_000, stepMs: 1000 });
  assert.equal(result.requests, 2);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(result.warnings, ['partial data from one store'], 'said once, not per request');
  assert.equal(result.series.length, 2);
  const [a, b] = result.series;
  assert.deepEqual(a.labels, { __name__: 'process_resident_memory_bytes', instance: 'a:9100', job: 'api' });
  assert.equal(a.tMs.length, 6 * 3600 + 1);
  for (let i = 0; i < a.tMs.length; i++) {
    assert.equal(a.tMs[i], startMs + i * 1000);
    assert.equal(a.values[i], startMs / 1000 + i, 'the value is its own time in s: each point is where it belongs');
  }
  assert.equal(b.tMs.length, 6 * 3600 + 1 - 217, 'the 217 NaN points (every 100th second) are not points');
  assert.ok(b.values.every((v) => v === 5e7));
});

test('credentials go in the Authorization header: bearer or basic', async (t) => {
  const server = await serve(t, prometheusLike);
  const base = { url: `${server.url}/prefix`, query: 'up', startMs: 0, endMs: 60_000, stepMs: 15_000 };
  await queryRange({ ...base, auth: { kind: 'bearer', token: 's3cret' } });
  await queryRange({ ...base, auth: { kind: 'basic', user: 'ann', password: 'pa:ss' } });
  await queryRange(base);
  assert.equal(server.headers[0].authorization, 'Bearer s3cret');
  assert.equal(server.headers[1].authorization, `Basic ${Buffer.from('ann:pa:ss').toString('base64')}`);
  assert.equal(server.headers[2].authorization, undefined);
});

test("Prometheus's own error, HTTP errors, refusals and non-Prometheus answers each say what went wrong", async (t) => {
  const cases: [Handler, RegExp, string][] = [
    [(_u, _q, r) => json(r, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }), /^Prometheus says: parse error at char 5 \(bad_data\)$/, 'prometheus'],
    [(_u, _q, r) => json(r, 200, { status: 'error', errorType: 'execution', error: 'query timed out' }), /Prometheus says: query timed out/, 'prometheus'],
    [(_u, _q, r) => json(r, 401, { message: 'no' }), /refused the request: HTTP 401 Unauthorized$/, 'auth'],
    [(_u, _q, r) => { r.writeHead(502, { 'Content-Type': 'text/html' }); r.end('<html>Bad gateway</html>'); }, /answered HTTP 502 Bad Gateway: <html>Bad gateway<\/html>/, 'http'],
    [(_u, _q, r) => { r.writeHead(200, { 'Content-Type': 'text/html' }); r.end('<html>Grafana</html>'); }, /did not answer with JSON, so it is probably not a Prometheus server/, 'bad-response'],
    [(_u, _q, r) => json(r, 200, { hello: 'world' }), /not a Prometheus API response/, 'bad-response'],
    [(_u, _q, r) => json(r, 200, { status: 'success', data: { resultType: 'vector', result: [] } }), /expected a range vector \(matrix\)/, 'bad-response'],
  ];
  for (const [handler, message, kind] of cases) {
    const server = await serve(t, handler);
    await assert.rejects(queryRange({ url: server.url, query: 'up', startMs: 0, endMs: 60_000, stepMs: 15_000 }), (error: unknown) => {
      assert.ok(error instanceof PrometheusError, String(error));
      assert.match(error.message, message);
      assert.equal(error.kind, kind);
      return true;
    });
  }
});

test('nothing listening, and a server that never answers, fail clearly (the latter at the timeout)', async (t) => {
  const port = await freePort();
  await assert.rejects(queryRange({ url: `http://127.0.0.1:${port}`, query: 'up', startMs: 0, endMs: 1000, stepMs: 1000 }), /cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
  const silent = await serve(t, () => undefined);
  await assert.rejects(queryRange({ url: silent.url, query: 'up', startMs: 0, endMs: 1000, stepMs: 1000, timeoutMs: 300 }), (error: unknown) => error instanceof PrometheusError && error.kind === 'timeout' && /did not answer within 0\.3 s/.test(error.message));
});

test('a caller that gives up (the signal) stops the request with its own reason', async (t) => {
  const silent = await serve(t, () => undefined);
  const abort = new AbortController();
  const pending = queryRange({ url: silent.url, query: 'up', startMs: 0, endMs: 1000, stepMs: 1000, signal: abort.signal });
  abort.abort(new Error('user stopped'));
  await assert.rejects(pending, /user stopped/);
});

test('readFleetOffThread reads and classifies in a worker: the same rows as reading and classifying here', async (t) => {
  const server = await serve(t, prometheusLike);
  const startMs = 1_700_000_000_000;
  const query = { url: `${server.url}/prefix`, query: 'process_resident_memory_bytes', startMs, endMs: startMs + 6 * 3600_000, stepMs: 15_000 };
  const here = classifyFleet((await queryRange(query)).series);
  const there = await readFleetOffThread(query, { workerScript: fromRoot('dist', 'fleetWorker.js') });
  assert.deepEqual(there.rows, here);
  assert.deepEqual(there.warnings, ['partial data from one store']);
  assert.equal(there.requests, 1);
});

test("readFleetOffThread: Prometheus's error keeps its kind across the thread; a caller that gives up ends the worker", async (t) => {
  const failing = await serve(t, (_u, _q, r) => json(r, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' }));
  const workerScript = fromRoot('dist', 'fleetWorker.js');
  await assert.rejects(readFleetOffThread({ url: failing.url, query: 'up(', startMs: 0, endMs: 60_000, stepMs: 15_000 }, { workerScript }), (error: unknown) => error instanceof PrometheusError && error.kind === 'prometheus' && error.message === 'Prometheus says: parse error (bad_data)');
  const silent = await serve(t, () => undefined);
  const abort = new AbortController();
  const pending = readFleetOffThread({ url: silent.url, query: 'up', startMs: 0, endMs: 60_000, stepMs: 15_000 }, { workerScript, signal: abort.signal });
  abort.abort(new Error('closed the view'));
  await assert.rejects(pending, /closed the view/);
});

test('readSeriesOffThread brings back only the series with the given labels, the same points as a read here; undefined for one no longer there', async (t) => {
  const server = await serve(t, prometheusLike);
  const startMs = 1_700_000_000_000;
  const query = { url: `${server.url}/prefix`, query: 'process_resident_memory_bytes', startMs, endMs: startMs + 6 * 3600_000, stepMs: 15_000 };
  const workerScript = fromRoot('dist', 'fleetWorker.js');
  const all = (await queryRange(query)).series;
  assert.ok(all.length >= 2);
  for (const wanted of all) {
    const one = await readSeriesOffThread(query, seriesKey(wanted.labels), { workerScript });
    assert.ok(one, `no series for ${JSON.stringify(wanted.labels)}`);
    assert.deepEqual(one.labels, wanted.labels);
    assert.deepEqual(Array.from(one.tMs), Array.from(wanted.tMs));
    assert.deepEqual(Array.from(one.values), Array.from(wanted.values));
  }
  assert.equal(await readSeriesOffThread(query, seriesKey({ pod: 'gone' }), { workerScript }), undefined);
  const refused = await serve(t, (_u, _q, r) => json(r, 401, {}));
  await assert.rejects(readSeriesOffThread({ ...query, url: refused.url }, seriesKey(all[0].labels), { workerScript }), (error: unknown) => error instanceof PrometheusError && error.kind === 'auth');
});
