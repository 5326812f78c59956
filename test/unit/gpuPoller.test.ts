// GpuPoller against a stand-in nvidia-smi (a real executable printing the query's CSV format).
import test from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GpuPoller } from '../../src/core/gpuPoller';
import { eventually } from '../helpers/processes';

function fakeNvidiaSmi(t: { after(fn: () => void): void }, output: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-gpu-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'nvidia-smi');
  writeFileSync(path, `#!/bin/sh\nprintf '${output}'\n`);
  chmodSync(path, 0o755);
  return path;
}

test('without nvidia-smi nothing is polled', () => {
  assert.equal(GpuPoller.start(process.pid, undefined), undefined);
});

test('reads the watched pid\'s GPU memory, summed over GPUs, and stops when disposed', async (t) => {
  const smi = fakeNvidiaSmi(t, `${process.pid}, 1024\\n4242, 99\\n${process.pid}, 512\\n`);
  const poller = GpuPoller.start(process.pid, smi, 100);
  assert.ok(poller);
  t.after(() => poller.dispose());
  const bytes = await eventually(() => poller.latestBytes, 5000, 'a GPU reading');
  assert.equal(bytes, 1536 * 1024 * 1024);
  poller.dispose();
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  await new Promise((r) => setTimeout(r, 250));
  assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length <= before);
});

test('a process without GPU memory reads 0', async (t) => {
  const smi = fakeNvidiaSmi(t, '4242, 99\\n');
  const poller = GpuPoller.start(process.pid, smi, 100);
  assert.ok(poller);
  t.after(() => poller.dispose());
  assert.equal(await eventually(() => poller.latestBytes, 5000, 'a GPU reading'), 0);
});
