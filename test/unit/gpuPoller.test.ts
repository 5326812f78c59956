// GpuPoller against stand-in nvidia-smi programs (real executables: one printing the query's CSV
// format, one that hangs the way nvidia-smi does on a busy driver).
import test from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GpuPoller } from '../../src/core/gpuPoller';
import { findExecutable } from '../../src/core/probe/util';
import { eventually } from '../helpers/processes';

/** An `nvidia-smi` in a folder of its own that appends a line to `runs` each time it starts, then runs `body`. */
function fakeNvidiaSmi(t: { after(fn: () => void): void }, body: string): { dir: string; path: string; runs: string } {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-gpu-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'nvidia-smi');
  const runs = join(dir, 'runs');
  writeFileSync(path, `#!/bin/sh\necho $$ >> '${runs}'\n${body}\n`);
  chmodSync(path, 0o755);
  return { dir, path, runs };
}

function printing(output: string): string {
  return `printf '${output}'`;
}

function runCount(runs: string): number {
  return existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0;
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('without nvidia-smi nothing is polled', () => {
  assert.equal(GpuPoller.start(process.pid, undefined), undefined);
});

test("reads the watched pid's GPU memory, summed over GPUs", async (t) => {
  const smi = fakeNvidiaSmi(t, printing(`${process.pid}, 1024\\n4242, 99\\n${process.pid}, 512\\n`));
  const poller = GpuPoller.start(process.pid, smi.path, 100);
  assert.ok(poller);
  t.after(() => poller.dispose());
  assert.equal(await eventually(() => poller.latestBytes, 5000, 'a GPU reading'), 1536 * 1024 * 1024);
});

test('runs nvidia-smi no more once disposed', async (t) => {
  const smi = fakeNvidiaSmi(t, printing(`${process.pid}, 1024\\n`));
  const poller = GpuPoller.start(process.pid, smi.path, 50);
  assert.ok(poller);
  t.after(() => poller.dispose());
  await eventually(() => (runCount(smi.runs) >= 3 ? true : undefined), 10_000, 'three polls');
  poller.dispose();
  await settle(100); // a run spawned just before dispose may still write its line
  const atDispose = runCount(smi.runs);
  await settle(500); // ten intervals: a poller that kept its timer would run again
  assert.equal(runCount(smi.runs), atDispose);
});

test('dispose kills an nvidia-smi (found on PATH) that is still running', async (t) => {
  const smi = fakeNvidiaSmi(t, 'exec sleep 60'); // exec: the pid written is the sleep's
  const path = process.env.PATH;
  process.env.PATH = `${smi.dir}:${path ?? ''}`;
  let poller: GpuPoller | undefined;
  try {
    assert.equal(findExecutable('nvidia-smi'), smi.path);
    // The query's own timeout (a minute) is past the wait below: only dispose can end it in time.
    poller = GpuPoller.start(process.pid, findExecutable('nvidia-smi'), 60_000, 60_000);
  } finally {
    process.env.PATH = path;
  }
  assert.ok(poller);
  const started = poller;
  t.after(() => started.dispose());
  const pid = await eventually(() => (runCount(smi.runs) > 0 ? Number(readFileSync(smi.runs, 'utf8').trim()) : undefined), 10_000, 'nvidia-smi started');
  assert.ok(existsSync(`/proc/${pid}`), 'hanging');
  started.dispose();
  await eventually(() => (existsSync(`/proc/${pid}`) ? undefined : true), 10_000, `nvidia-smi (pid ${pid}) killed at dispose`);
  assert.equal(started.latestBytes, undefined);
});

test('a process without GPU memory reads 0', async (t) => {
  const smi = fakeNvidiaSmi(t, printing('4242, 99\\n'));
  const poller = GpuPoller.start(process.pid, smi.path, 100);
  assert.ok(poller);
  t.after(() => poller.dispose());
  assert.equal(await eventually(() => poller.latestBytes, 5000, 'a GPU reading'), 0);
});
