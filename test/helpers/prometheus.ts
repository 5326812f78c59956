// A real Prometheus for tests: Debian's binary, unpacked by scripts/ensure-tools.sh into
// tools/prometheus, started on loopback with a temporary config and data folder, scraping the
// given targets every second. Stopped (its process group killed) and its folder removed in `after`.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './paths';
import { startProcess, Teardown, TestProcess } from './processes';

export const PROMETHEUS_BINARY = fromRoot('tools', 'prometheus', 'prometheus');

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
  return existsSync(PROMETHEUS_BINARY) ? undefined : `${PROMETHEUS_BINARY} is missing: run \`bash scripts/ensure-tools.sh prometheus\` (npm test does it first)`;
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
export async function startPrometheus(t: Teardown, targets: readonly string[]): Promise<TestPrometheus> {
  requirePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-prometheus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prometheus.yml'), config(targets));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(t, dir, await freePort());
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

async function startOnce(t: Teardown, dir: string, port: number): Promise<TestPrometheus> {
  const data = join(dir, `data-${port}`);
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const server = await startProcess(t, PROMETHEUS_BINARY, args, { ready: null, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, server, () => log);
  return { url, process: server, log: () => log, query: (promql) => instantQuery(url, promql) };
}

/** Polls /-/ready until 200; fails at once if Prometheus exits (with its log), or after a generous ceiling. */
async function waitReady(url: string, server: TestProcess, log: () => string, ceilingMs = 90_000): Promise<void> {
  let exited: number | string | undefined;
  void server.exited.then((code) => (exited = code));
  const deadline = Date.now() + ceilingMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`prometheus exited (${exited}) before it was ready: ${log()}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.kill();
  throw new Error(`prometheus was not ready within ${ceilingMs / 1000} s: ${log()}`);
}

async function instantQuery(url: string, promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${promql}: ${body.error ?? response.status}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
