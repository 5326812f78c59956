// A real Prometheus for tests: Debian's binary, unpacked by scripts/ensure-tools.sh into
// tools/prometheus, started on loopback with a temporary config and data folder, scraping the
// given targets every second. Stopped (its process group killed) and its folder removed in `after`.
// Optionally with hours of history written before it starts (promtool's backfill, so a test
// needs no hours of scraping), and behind basic authentication (its --web.config.file).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './paths';
import { startProcess, Teardown, TestProcess } from './processes';

export const PROMETHEUS_BINARY = fromRoot('tools', 'prometheus', 'prometheus');
export const PROMTOOL_BINARY = fromRoot('tools', 'prometheus', 'promtool');

/**
 * The user the `basicAuth` option lets in. Prometheus takes only bcrypt hashes of passwords and
 * these machines have no bcrypt tool, so the hash is fixed: bcrypt (cost 12) of "test", the
 * example of Prometheus's own basic-auth guide.
 */
export const TEST_BASIC_AUTH = { user: 'fleet', password: 'test', bcrypt: '$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay' } as const;

/** A series to write into the data folder before Prometheus starts: its labels (__name__ among them) and points (epoch ms, value). */
export interface BackfillSeries {
  labels: Record<string, string>;
  tMs: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface PrometheusOptions {
  /** History to hold from the start (promtool tsdb create-blocks-from openmetrics). */
  backfill?: readonly BackfillSeries[];
  /** Refuse every request without TEST_BASIC_AUTH's user and password. */
  basicAuth?: boolean;
}

export interface TestPrometheus {
  readonly url: string;
  readonly process: TestProcess;
  /** Prometheus's own log so far (stderr), for failure messages. */
  log(): string;
  /** An instant query's vector: each element's labels and value. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
}

/** Why the Prometheus tests cannot run here (a skip reason), or undefined. `npm test` installs it first. */
export function prometheusUnavailable(): string | undefined {
  const missing = [PROMETHEUS_BINARY, PROMTOOL_BINARY].find((path) => !existsSync(path));
  return missing ? `${missing} is missing: run \`bash scripts/ensure-tools.sh prometheus\` (npm test does it first)` : undefined;
}

export function requirePrometheus(): void {
  const missing = prometheusUnavailable();
  if (missing) throw new Error(missing);
}

/** A port nobody listened on a moment ago (Prometheus cannot be asked for port 0 and tell it back). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts Prometheus scraping `targets` (host:port) every second; retries on a port taken in between. */
export async function startPrometheus(t: Teardown, targets: readonly string[], options: PrometheusOptions = {}): Promise<TestPrometheus> {
  requirePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-prometheus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prometheus.yml'), config(targets));
  if (options.basicAuth) writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  ${TEST_BASIC_AUTH.user}: '${TEST_BASIC_AUTH.bcrypt}'\n`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(t, dir, await freePort(), options);
    } catch (error) {
      lastError = error;
      if (!/address already in use/.test(String(error))) throw error;
    }
  }
  throw lastError;
}

function config(targets: readonly string[]): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: leakscope',
    '    static_configs:',
    `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
    '',
  ].join('\n');
}

async function startOnce(t: Teardown, dir: string, port: number, options: PrometheusOptions): Promise<TestPrometheus> {
  const data = join(dir, `data-${port}`);
  if (options.backfill) backfill(dir, data, options.backfill);
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  if (options.basicAuth) args.push(`--web.config.file=${join(dir, 'web.yml')}`);
  const server = await startProcess(t, PROMETHEUS_BINARY, args, { ready: null, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = options.basicAuth ? { Authorization: basicAuthHeader(TEST_BASIC_AUTH.user, TEST_BASIC_AUTH.password) } : {};
  await waitReady(url, server, () => log, headers);
  return { url, process: server, log: () => log, query: (promql) => instantQuery(url, promql, headers) };
}

export function basicAuthHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Writes the series as OpenMetrics text and has promtool turn it into TSDB blocks in `data`. */
function backfill(dir: string, data: string, series: readonly BackfillSeries[]): void {
  const input = join(dir, 'backfill.om');
  writeFileSync(input, openMetrics(series));
  const result = spawnSync(PROMTOOL_BINARY, ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`promtool could not backfill (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
}

/** One gauge family per metric name, its series' samples in time order (timestamps in seconds), then # EOF. */
export function openMetrics(series: readonly BackfillSeries[]): string {
  const byName = new Map<string, BackfillSeries[]>();
  for (const s of series) {
    const name = s.labels.__name__;
    if (!name) throw new Error(`a backfilled series needs __name__: ${JSON.stringify(s.labels)}`);
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const lines: string[] = [];
  for (const [name, members] of byName) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of members) {
      const labels = Object.entries(s.labels).filter(([key]) => key !== '__name__').map(([key, value]) => `${key}="${value.replace(/[\\"]/g, '\\$&')}"`).join(',');
      for (let i = 0; i < s.tMs.length; i++) lines.push(`${name}{${labels}} ${s.values[i]} ${(s.tMs[i] / 1000).toFixed(3)}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/** Polls /-/ready until 200; fails at once if Prometheus exits (with its log), or after a generous ceiling. */
async function waitReady(url: string, server: TestProcess, log: () => string, headers: Record<string, string>, ceilingMs = 90_000): Promise<void> {
  let exited: number | string | undefined;
  void server.exited.then((code) => (exited = code));
  const deadline = Date.now() + ceilingMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`prometheus exited (${exited}) before it was ready: ${log()}`);
    const ready = await fetch(`${url}/-/ready`, { headers }).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.kill();
  throw new Error(`prometheus was not ready within ${ceilingMs / 1000} s: ${log()}`);
}

async function instantQuery(url: string, promql: string, headers: Record<string, string>): Promise<{ metric: Record<string, string>; value: number }[]> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, { headers });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${promql}: ${body.error ?? response.status}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
