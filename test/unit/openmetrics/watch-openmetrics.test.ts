// `leakscope watch --pid A --pid B --openmetrics HOST:PORT` on real processes: the server's HTTP
// behaviour, loopback by default, several pids in one watch, and a process that exits dropping
// out of the exposition while the others are still served.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../helpers/paths';
import { startProcess, startPython, Teardown, TestProcess } from '../../helpers/processes';
import { isLoopbackHost, OPENMETRICS_CONTENT_TYPE, parseListenAddress, startOpenMetricsServer } from '../../../src/core/openmetrics';
import { parseWatchArgs } from '../../../src/cli/watch';

const CLI = fromRoot('dist', 'cli.js');

async function startWatch(t: Teardown, args: string[]): Promise<TestProcess & { stderr: () => string; waitForStderr: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray> }> {
  const proc = await startProcess(t, process.execPath, [CLI, 'watch', ...args], { ready: null, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: (() => void)[] = [];
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of [...waiters]) waiter();
  });
  const waitForStderr = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stderr matching ${pattern} in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      const check = () => {
        const match = pattern.exec(stderr);
        if (!match) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(match);
      };
      waiters.push(check);
      check();
    });
  return Object.assign(proc, { stderr: () => stderr, waitForStderr });
}

/** Scrapes until `accept` holds for the body (the first samples come a moment after the start). */
async function scrapeUntil(url: string, accept: (body: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < deadline) {
    body = await (await fetch(url)).text();
    if (accept(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the exposition never matched in ${timeoutMs} ms: ${body}`);
}

test('HOST:PORT parsing and what counts as loopback', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListenAddress('localhost:80'), { host: 'localhost', port: 80 });
  for (const bad of ['9464', '127.0.0.1', '::1:9464', '[nothost]:1', 'host:99999', 'a b:1']) assert.throws(() => parseListenAddress(bad), RangeError, bad);
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(host), host);
});

test('the server answers GET and HEAD /metrics in the OpenMetrics content type, 404 elsewhere, 405 for other methods', async (t) => {
  const server = await startOpenMetricsServer({ host: '127.0.0.1', port: 0 }, () => [{ name: 'x', type: 'gauge', help: 'h', points: [{ labels: {}, value: 1 }] }]);
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const get = await fetch(server.url);
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('content-type'), OPENMETRICS_CONTENT_TYPE);
  assert.equal(await get.text(), '# TYPE x gauge\n# HELP x h\nx 1\n# EOF\n');
  const head = await fetch(server.url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  assert.equal((await fetch(server.url.replace('/metrics', '/'))).status, 404);
  const post = await fetch(server.url, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('a family that breaks the format is a 500 with the reason, not a malformed exposition', async (t) => {
  const server = await startOpenMetricsServer({ host: '127.0.0.1', port: 0 }, () => [{ name: 'bad name', type: 'gauge', help: 'h', points: [] }]);
  t.after(() => server.close());
  const response = await fetch(server.url);
  assert.equal(response.status, 500);
  assert.match(await response.text(), /not a metric name/);
});

test('--openmetrics refuses a non-loopback host unless --openmetrics-public; several --pid refuse --csv', () => {
  for (const [args, message] of [
    [['--pid', '1', '--openmetrics', '0.0.0.0:9464'], /0\.0\.0\.0 is not a loopback address; .* --openmetrics-public/],
    [['--pid', '1', '--openmetrics', '9464'], /--openmetrics: not HOST:PORT/],
    [['--pid', '1', '--pid', '2', '--csv', 'a.csv'], /--csv and --trace-json record one process/],
  ] as const) {
    const result = spawnSync(process.execPath, [CLI, 'watch', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, message);
  }
  assert.deepEqual(parseWatchArgs(['--pid', '1', '--openmetrics', '0.0.0.0:9464', '--openmetrics-public']).openMetrics, { host: '0.0.0.0', port: 9464 });
  assert.deepEqual(parseWatchArgs(['--pid', '7', '--pid', '8', '--pid', '7']).pids, [7, 8]);
  const help = spawnSync(process.execPath, [CLI, 'watch', '--help'], { encoding: 'utf8' }).stdout;
  assert.match(help, /--openmetrics HOST:PORT/);
  assert.match(help, /--openmetrics-public/);
});

test('a port in use exits 2 and says so', async (t) => {
  const server = await startOpenMetricsServer({ host: '127.0.0.1', port: 0 }, () => []);
  t.after(() => server.close());
  const target = await startPython(t, 'idle.py', ['5']);
  const result = spawnSync(process.execPath, [CLI, 'watch', '--pid', String(target.pid), '--openmetrics', `127.0.0.1:${server.address.port}`], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--openmetrics: cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
});

test('two pids in one watch: both served and printed with their pid; one exits, drops out, the other is still served', async (t) => {
  const a = await startPython(t, 'idle.py', ['10']);
  const b = await startPython(t, 'controlled.py');
  const watch = await startWatch(t, ['--pid', String(a.pid), '--pid', String(b.pid), '--interval', '100ms', '--json', '--detail-interval', '200ms', '--openmetrics', '127.0.0.1:0']);
  const url = (await watch.waitForStderr(/serving OpenMetrics on (http:\/\/127\.0\.0\.1:\d+\/metrics) \(this machine only\)/))[1];
  const both = await scrapeUntil(url, (body) => body.includes(`pid="${a.pid}"`) && body.includes(`pid="${b.pid}"`) && body.includes('leakscope_process_unique_memory_bytes{'));
  assert.match(both, new RegExp(`^leakscope_process_resident_memory_bytes\\{pid="${a.pid}",command="python3 [^"]*idle\\.py 10",runtime="python"\\} \\d+$`, 'm'));
  assert.match(both, new RegExp(`^leakscope_verdict_class\\{pid="${b.pid}",.*,leakscope_verdict_class="unknown"\\} 1$`, 'm'));
  assert.match(both, /^# EOF\n$/m);
  await watch.waitForLine(new RegExp(`"pid":${a.pid},`));
  await watch.waitForLine(new RegExp(`"pid":${b.pid},`));

  b.child.stdin?.write('exit 0\n');
  await watch.waitForStderr(new RegExp(`Process ${b.pid} has exited .* Still watching 1 other process\\.`));
  const one = await scrapeUntil(url, (body) => !body.includes(`pid="${b.pid}"`));
  assert.ok(one.includes(`pid="${a.pid}"`), 'the other process is still served');

  await a.kill();
  assert.equal(await watch.exited, 4, watch.stderr());
  assert.match(watch.stderr(), /It was the last of the 2 watched processes\./);
  await assert.rejects(fetch(url), 'the server is closed when watching ends');
});
