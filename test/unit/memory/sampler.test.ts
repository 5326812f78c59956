// The decomposition kept up to date beside a watch: cheap readings on an interval, bounded,
// stopped by dispose or by the process exiting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DecompositionSampler } from '../../../src/core/memory';
import { fromRoot } from '../../helpers/paths';
import { startProcess, SYSTEM_PYTHON } from '../../helpers/processes';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('reads /proc on its interval, keeps a bounded series, and diagnoses growth without injecting', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, [fromRoot('test', 'fixtures', 'memory', 'py-keep.py')]);
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 100, maxReadings: 15 });
  t.after(() => sampler.dispose());
  sampler.start();
  await wait(2500);
  assert.equal(sampler.readings.length, 15, 'bounded');
  assert.ok((sampler.latest?.anonBytes ?? 0) > 0);
  const d = sampler.diagnose();
  assert.equal(d?.kind, 'unknown', 'growth, but without the inside view');
  assert.ok((d?.evidence.rss_growth_bytes ?? 0) > 2e6, JSON.stringify(d?.evidence));
  assert.ok(sampler.largestMappings(3).length > 0);
  sampler.dispose();
  const last = sampler.readings[sampler.readings.length - 1].tMs;
  await wait(300);
  assert.equal(sampler.readings[sampler.readings.length - 1].tMs, last, 'no reading after dispose');
});

test('stops by itself when the process exits, keeping what it read', async (t) => {
  const target = await startProcess(t, SYSTEM_PYTHON, ['-c', "print('ready', flush=True); import time; time.sleep(0.5)"]);
  const sampler = new DecompositionSampler(target.pid, { intervalMs: 50 });
  t.after(() => sampler.dispose());
  sampler.start();
  await target.exited;
  await wait(200);
  assert.equal(sampler.running, false);
  assert.ok(sampler.readings.length >= 2);
});
