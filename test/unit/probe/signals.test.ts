// A probe stopped by SIGTERM or SIGHUP (a closed terminal, `timeout`, a CI runner) cleans up as
// after Ctrl+C: no temp folders left, tracemalloc stopped in the target, and the files it wrote
// readable by Leakscope's user only. A real Python target and the built CLI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../helpers/paths';
import { eventually, startProcess, startPython } from '../../helpers/processes';
import { pythonProbeState } from '../../../src/core/probe/pythonProbe';

const CLI = fromRoot('dist', 'cli.js');

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} during a probe's window removes its temp folders and stops tracemalloc in the target`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'leakscope-signals-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const target = await startPython(t, 'controlled.py');
    const probe = await startProcess(t, process.execPath, [CLI, 'probe', '--pid', String(target.pid), '--window', '60s', '--yes'], {
      ready: null,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir },
    });
    let stderr = '';
    probe.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await eventually(() => (/Tracing allocations/.test(stderr) ? true : undefined), 30_000, 'the tracing window');
    const started = readdirSync(dir).filter((d) => d.startsWith('leakscope-probe-')).map((d) => join(dir, d, 'started.json'));
    assert.equal(started.length, 1);
    assert.equal(statSync(started[0]).mode & 0o777, 0o600, 'started.json is private');
    probe.child.kill(signal);
    assert.notEqual(await probe.exited, signal, `the CLI handled ${signal}`);
    assert.deepEqual(readdirSync(dir), [], 'no leakscope-probe-* or leakscope-injector-* left');
    // The probe's thread in the target stops tracemalloc when it sees its folder gone: it polls,
    // so wait for it (a generous ceiling for a loaded machine) instead of reading once.
    await eventually(async () => ((await pythonProbeState(target.pid)).tracing ? undefined : true), 30_000, 'tracemalloc stopped in the target');
  });
}
