// The GC pacer's settings and the environment that loads it (src/core/gcPacing.ts); the CLI test
// (cli-run.test.ts) checks a real Node program paced under `leakscope run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GC_PACING, nextGcDelayMs, withGcPacer } from '../../src/core/gcPacing';

test('the pacer waits at least its minimum interval, and longer after a slow GC to keep within its budget', () => {
  assert.equal(nextGcDelayMs(0), GC_PACING.minIntervalMs);
  assert.equal(nextGcDelayMs(5), GC_PACING.minIntervalMs);
  const slowGcMs = 800; // a multi-GB heap
  assert.equal(nextGcDelayMs(slowGcMs), slowGcMs / GC_PACING.budget);
  assert.ok(slowGcMs / nextGcDelayMs(slowGcMs) <= GC_PACING.budget);
});

test('withGcPacer appends the preload after the program\'s own NODE_OPTIONS and changes nothing else', () => {
  const env = { PATH: '/bin', NODE_OPTIONS: '--max-old-space-size=512' };
  const paced = withGcPacer(env, '/opt/leakscope/dist/gcPacer.js');
  assert.equal(paced.NODE_OPTIONS, '--max-old-space-size=512 --require "/opt/leakscope/dist/gcPacer.js"');
  assert.equal(paced.PATH, '/bin');
  assert.equal(env.NODE_OPTIONS, '--max-old-space-size=512', 'the caller\'s env is not modified');
  assert.equal(withGcPacer({}, '/p.js').NODE_OPTIONS, '--require "/p.js"');
});

test('a pacer path with spaces and quotes reaches Node intact through NODE_OPTIONS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope pacer "quoted" '));
  try {
    const preload = join(dir, 'marker.js');
    writeFileSync(preload, 'process.stdout.write("preloaded ");');
    const result = spawnSync(process.execPath, ['-e', 'console.log("main")'], { env: withGcPacer({ PATH: process.env.PATH }, preload), encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'preloaded main\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
