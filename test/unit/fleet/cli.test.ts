// `leakscope fleet` as a user runs it (the built CLI in a child process), against a local server
// answering query_range as Prometheus does; the real Prometheus is in prometheus.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { fromRoot } from '../../helpers/paths';
import { freePort } from '../../helpers/prometheus';
import { authFromEnvironment, parseFleetArgs } from '../../../src/cli/fleet';

const CLI = fromRoot('dist', 'cli.js');
const MB = 1024 * 1024;

interface Served {
  url: string;
  requests: { url: URL; headers: IncomingMessage['headers'] }[];
}

/** Two pods over the asked range: one leaking 1 MB/min, one flat with a little noise. */
async function servePods(t: { after(fn: () => unknown): void }): Promise<Served> {
  const requests: Served['requests'] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push({ url, headers: request.headers });
    const start = Number(url.searchParams.get('start'));
    const end = Number(url.searchParams.get('end'));
    const step = Number(url.searchParams.get('step'));
    const points = (f: (i: number) => number): [number, string][] => Array.from({ length: Math.floor((end - start) / step) + 1 }, (_, i) => [start + i * step, String(Math.round(f(i)))]);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          { metric: { job: 'api', pod: 'api-7' }, values: points(() => 200 * MB + ((Math.random() - 0.5) * MB) / 8) },
          { metric: { job: 'api', pod: 'api-3' }, values: points((i) => 150 * MB + (i * step * MB) / 60) },
        ],
      },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function runFleet(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'fleet', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('--help names the options, the environment variables for credentials, and that it only reads', () => {
  const result = spawnSync(process.execPath, [CLI, 'fleet', '--help'], { encoding: 'utf8' });
  assert.equal(result.status, 0);
  for (const text of ['--prometheus URL', '--query Q', '--range', '--step', '--json', 'LEAKSCOPE_PROMETHEUS_TOKEN', 'LEAKSCOPE_PROMETHEUS_USER', '_PASSWORD', 'It only reads', 'process_resident_memory_bytes']) {
    assert.ok(result.stdout.includes(text), text);
  }
  assert.doesNotMatch(result.stdout, /--(token|password|user)\b/, 'no credential flag to land in shell history');
  assert.match(spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout, /fleet\s+classify the memory series/);
});

test('arguments: defaults, durations, and what is refused (exit 2)', () => {
  assert.deepEqual(parseFleetArgs(['--prometheus', 'http://p:9090']), { url: 'http://p:9090', query: 'process_resident_memory_bytes', rangeMs: 6 * 3600_000, stepMs: 15_000, timeoutMs: 30_000, json: false });
  assert.equal(parseFleetArgs(['--prometheus', 'x', '--range', '1d', '--step', '1m']).stepMs, 60_000);
  for (const args of [[], ['--prometheus', 'x', '--range', 'soon'], ['--prometheus', 'x', '--step', '0s'], ['--prometheus', 'x', '--step', '2h', '--range', '1h'], ['--prometheus', 'x', '--token', 'abc'], ['--prometheus', 'x', '--query', ' ']]) {
    const result = spawnSync(process.execPath, [CLI, 'fleet', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^leakscope fleet: /);
  }
  const notUrl = spawnSync(process.execPath, [CLI, 'fleet', '--prometheus', 'localhost:9090'], { encoding: 'utf8' });
  assert.equal(notUrl.status, 2);
  assert.match(notUrl.stderr, /--prometheus: not an http\(s\) URL/);
});

test('credentials come from the environment: a token, or a user and password, never both', () => {
  assert.equal(authFromEnvironment({}), undefined);
  assert.deepEqual(authFromEnvironment({ LEAKSCOPE_PROMETHEUS_TOKEN: 't' }), { kind: 'bearer', token: 't' });
  assert.deepEqual(authFromEnvironment({ LEAKSCOPE_PROMETHEUS_USER: 'u', LEAKSCOPE_PROMETHEUS_PASSWORD: 'p' }), { kind: 'basic', user: 'u', password: 'p' });
  assert.throws(() => authFromEnvironment({ LEAKSCOPE_PROMETHEUS_TOKEN: 't', LEAKSCOPE_PROMETHEUS_USER: 'u' }), /keep one/);
  assert.throws(() => authFromEnvironment({ LEAKSCOPE_PROMETHEUS_PASSWORD: 'p' }), /without LEAKSCOPE_PROMETHEUS_USER/);
});

test('the table lists the leaking pod first; --json has the rows with labels, class, slope, last value and points', async (t) => {
  const server = await servePods(t);
  const table = await runFleet(['--prometheus', server.url, '--range', '1h', '--step', '15s'], { LEAKSCOPE_PROMETHEUS_TOKEN: 'tok' });
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0], /^CLASS\s+CONF\s+SLOPE\s+LAST\s+POINTS\s+SERIES$/);
  assert.match(lines[1], /^steady-leak\s+\d+%\s+1 MB\/min\s+\d+ MB\s+241\s+api-3$/);
  assert.match(lines[2], /^flat\s+\d+%\s+.*\s+241\s+api-7$/);
  assert.equal(server.requests[0].headers.authorization, 'Bearer tok');
  assert.equal(server.requests[0].url.searchParams.get('query'), 'process_resident_memory_bytes');
  assert.equal(server.requests[0].url.searchParams.get('step'), '15');

  const json = await runFleet(['--prometheus', server.url, '--range', '1h', '--json', '--query', 'sum by (pod) (container_memory_rss)'], { LEAKSCOPE_PROMETHEUS_USER: 'ann', LEAKSCOPE_PROMETHEUS_PASSWORD: 'pw' });
  assert.equal(json.code, 0, json.stderr);
  const body = JSON.parse(json.stdout) as { query: string; step_ms: number; end_ms: number; start_ms: number; rows: Record<string, unknown>[] };
  assert.equal(body.query, 'sum by (pod) (container_memory_rss)');
  assert.equal(body.end_ms - body.start_ms, 3600_000);
  assert.deepEqual(body.rows.map((r) => [r.name, r.class, r.points]), [['api-3', 'steady-leak', 241], ['api-7', 'flat', 241]]);
  assert.deepEqual(Object.keys(body.rows[0]), ['labels', 'name', 'class', 'confidence', 'slope_bytes_per_s', 'slope_uncertainty_bytes_per_s', 'last_bytes', 'points', 'explanation']);
  assert.deepEqual(body.rows[0].labels, { job: 'api', pod: 'api-3' });
  assert.ok(Math.abs((body.rows[0].slope_bytes_per_s as number) - MB / 60) < MB / 600);
  assert.equal(server.requests[1].headers.authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`);
});

test('a query that matches nothing lists nothing, exit 0, and says so on stderr', async (t) => {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const result = await runFleet(['--prometheus', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--json', '--query', 'nothing_here']);
  assert.equal(result.code, 0);
  assert.deepEqual((JSON.parse(result.stdout) as { rows: unknown[] }).rows, []);
  assert.match(result.stderr, /the query matched no series in the last 6 h: nothing_here/);
});

test('Prometheus unreachable exits 3 with the reason', async () => {
  const result = await runFleet(['--prometheus', `http://127.0.0.1:${await freePort()}`]);
  assert.equal(result.code, 3);
  assert.match(result.stderr, /^leakscope fleet: cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused\n$/);
});

test('refused credentials exit 3 and name the environment variables that carry them', async (t) => {
  const server = createServer((_request, response) => {
    response.writeHead(401, { 'Content-Type': 'text/plain' });
    response.end('Unauthorized');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const result = await runFleet(['--prometheus', `http://127.0.0.1:${(server.address() as AddressInfo).port}`], { LEAKSCOPE_PROMETHEUS_TOKEN: 'wrong' });
  assert.equal(result.code, 3);
  assert.match(result.stderr, /refused the request: HTTP 401 Unauthorized \(check LEAKSCOPE_PROMETHEUS_TOKEN or LEAKSCOPE_PROMETHEUS_USER\/_PASSWORD\)\n$/);
});
