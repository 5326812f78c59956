// `leakscope explain` on real programs, one per diagnosis. Every test here that injects into a
// process lives in this file, so they run one after another. The probe's temp directories go
// to a TMPDIR of this file's own, so the probe tests' own temp-file checks never see them.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { explainCommand } from '../../../src/cli/explain';
import { CliIo } from '../../../src/cli/io';
import { fromRoot } from '../../helpers/paths';
import { killAllStarted, startProcess, SYSTEM_PYTHON, TestProcess } from '../../helpers/processes';

const ownTmp = mkdtempSync('/tmp/leakscope-explain-tests-');
process.env.TMPDIR = ownTmp;
after(async () => {
  await killAllStarted();
  rmSync(ownTmp, { recursive: true, force: true });
});

/** Not 9229: the Node probe tests use that port at the same time. */
const INSPECTOR_PORT = 9341;

function memoryFixture(name: string): string {
  return fromRoot('test', 'fixtures', 'memory', name);
}

type Json = Record<string, unknown> & { evidence: Record<string, number> };

async function explain(pid: number, args: string[]): Promise<{ json: Json; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => false, signal: new AbortController().signal };
  const code = await explainCommand.run(['--pid', String(pid), '--json', ...args], io);
  assert.equal(code, 0, err.join('\n'));
  return { json: JSON.parse(out.join('\n')) as Json, err: err.join('\n') };
}

function startPythonFixture(t: { after(fn: () => unknown): void }, name: string): Promise<TestProcess> {
  return startProcess(t, SYSTEM_PYTHON, [memoryFixture(name)]);
}

interface NodeTarget extends TestProcess {
  stderrText(): string;
}

async function startNodeFixture(t: { after(fn: () => unknown): void }, name: string): Promise<NodeTarget> {
  const proc = await startProcess(t, process.execPath, [`--inspect-port=127.0.0.1:${INSPECTOR_PORT}`, memoryFixture(name)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(proc, { stderrText: () => stderr });
}

const MB = 1e6;

test('a Python program that keeps every object: leak, with the decomposition and the limit', async (t) => {
  const target = await startPythonFixture(t, 'py-keep.py');
  const { json } = await explain(target.pid, ['--window', '3s', '--yes']);
  assert.equal(json.diagnosis, 'leak', String(json.summary));
  for (const key of ['rss_bytes', 'anon_bytes', 'file_bytes', 'limit_bytes']) assert.equal(typeof json[key], 'number', key);
  assert.equal(typeof json.limit_source, 'string');
  assert.ok((json.anon_bytes as number) > (json.file_bytes as number));
  const e = json.evidence;
  assert.ok(e.rss_growth_bytes > 8 * MB, `grew ${e.rss_growth_bytes}`);
  assert.ok(e.object_growth_bytes > 0.5 * e.rss_growth_bytes, JSON.stringify(e));
  const python = json.python as { pymalloc: { allocatedBytes: number }; glibc: { inUseBytes: number } };
  assert.ok(python.pymalloc.allocatedBytes > 20 * MB, 'pymalloc holds the kept objects');
  assert.ok(python.glibc.inUseBytes > 0, 'mallinfo2 read');
});

test('a Python program that frees all but every 20th object: fragmentation, and malloc_trim returns most of the difference', async (t) => {
  const target = await startPythonFixture(t, 'py-holes.py');
  const { json } = await explain(target.pid, ['--window', '2s', '--yes', '--malloc-trim']);
  assert.equal(json.diagnosis, 'fragmentation', String(json.summary));
  const e = json.evidence;
  const held = e.rss_bytes - e.live_bytes;
  assert.ok(e.live_bytes < 0.2 * e.rss_bytes, `live ${e.live_bytes} of RSS ${e.rss_bytes}`);
  assert.ok(e.glibc_free_bytes > 100 * MB, `glibc free ${e.glibc_free_bytes}`);
  assert.ok(e.trim_freed_bytes > 0.6 * held, `trim returned ${e.trim_freed_bytes} of ${held}`);
  assert.match(String(json.summary), /malloc_trim\(0\) returned .* \(measured\)/);
  assert.match(String(json.fix), /malloc_trim/);
});

test('a Python program growing native memory (anonymous mmaps): native-growth', async (t) => {
  const target = await startPythonFixture(t, 'py-native.py');
  const { json } = await explain(target.pid, ['--window', '3s', '--yes']);
  assert.equal(json.diagnosis, 'native-growth', String(json.summary));
  const e = json.evidence;
  assert.ok(e.native_growth_bytes > 0.7 * e.rss_growth_bytes, JSON.stringify(e));
  assert.ok(Math.abs(e.object_growth_bytes) < 0.1 * e.rss_growth_bytes, JSON.stringify(e));
  const mappings = json.largest_mappings as { kind: string; anonBytes: number }[];
  assert.ok(mappings.some((m) => m.kind === 'anonymous-mmap' && m.anonBytes > 10 * MB), 'the mmaps are among the largest mappings');
});

test('a Python program that peaked and freed: high-water', async (t) => {
  const target = await startPythonFixture(t, 'py-peak.py');
  const { json } = await explain(target.pid, ['--window', '2s', '--yes']);
  assert.equal(json.diagnosis, 'high-water', String(json.summary));
  assert.ok((json.hwm_bytes as number) - (json.rss_bytes as number) > 200 * MB);
  const python = json.python as { pymalloc: { highwaterBytes: number; arenasBytes: number } };
  assert.ok(python.pymalloc.highwaterBytes > 10 * python.pymalloc.arenasBytes, 'pymalloc remembers its peak too');
});

test('Node growing Buffers: native-growth (external); growing objects: leak (heapUsed)', async (t) => {
  const buffers = await startNodeFixture(t, 'node-buffers.js');
  const b = (await explain(buffers.pid, ['--window', '3s', '--yes'])).json;
  assert.equal(b.diagnosis, 'native-growth', String(b.summary));
  assert.match(buffers.stderrText(), new RegExp(`Debugger listening on ws://127\\.0\\.0\\.1:${INSPECTOR_PORT}/`));
  assert.ok(b.evidence.external_growth_bytes > 10 * b.evidence.heap_used_growth_bytes, JSON.stringify(b.evidence));
  const objects = await startNodeFixture(t, 'node-objects.js');
  const o = (await explain(objects.pid, ['--window', '3s', '--yes'])).json;
  assert.equal(o.diagnosis, 'leak', String(o.summary));
  assert.ok(o.evidence.heap_used_growth_bytes > 10 * Math.max(1, o.evidence.external_growth_bytes), JSON.stringify(o.evidence));
  assert.equal(o.limit_source, 'v8-heap', 'V8 heap limit is the nearest');
  assert.match(String(o.limit_description), /V8's .* heap limit/);
});

test('without --yes and without a terminal, nothing is injected and the skipped parts are named', async (t) => {
  const python = await startPythonFixture(t, 'py-keep.py');
  const node = await startNodeFixture(t, 'node-buffers.js');
  const cli = fromRoot('dist', 'cli.js');
  for (const target of [python, node]) {
    const run = spawnSync(process.execPath, [cli, 'explain', '--pid', String(target.pid), '--window', '1s', '--json'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Json;
    assert.equal(json.python, null);
    assert.equal(json.node, null);
    assert.match((json.skipped as string[]).join('\n'), /no consent/);
    assert.ok(typeof json.rss_bytes === 'number' && typeof json.limit_source === 'string');
  }
  assert.deepEqual(readdirSync(ownTmp), [], 'no probe directory was made');
  assert.equal(readdirSync(`/proc/${python.pid}/task`).length, 1, 'no thread was started in the Python target');
  await new Promise((r) => setTimeout(r, 200));
  assert.doesNotMatch(node.stderrText(), /Debugger listening/, 'the inspector was not opened');
});

test('explain --help and bad arguments', async () => {
  const io: CliIo = { out: () => undefined, err: () => undefined, confirm: async () => false, signal: new AbortController().signal };
  await assert.rejects(explainCommand.run([], io), /--pid N is required/);
  await assert.rejects(explainCommand.run(['--pid', '1', '--window', 'soon'], io), /--window/);
  assert.match(explainCommand.help, /--malloc-trim/);
});
