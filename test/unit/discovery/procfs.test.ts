// The one /proc reader of a process's command line and executable, on real processes: discovery
// and the probes both read through it, so both see the same argv and the same path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCmdline, readExe } from '../../../src/core/discovery/procfs';
import { probeRead } from '../../../src/core/probe/procfs';
import { isProbeError } from '../../../src/core/probe/errors';
import { startProcess } from '../../helpers/processes';

describe('readCmdline', () => {
  it('reads each argument, empty ones inside kept', async (t) => {
    const proc = await startProcess(t, 'sh', ['-c', 'echo ready; sleep 60; exit 0', 'name', '', 'last'], { ready: /^ready/ });
    assert.deepEqual(readCmdline(proc.pid), ['sh', '-c', 'echo ready; sleep 60; exit 0', 'name', '', 'last']);
  });

  it('drops the NUL padding a retitled process leaves in its old argv area', async (t) => {
    const script = "process.title = 'short'; console.log('ready'); setInterval(() => {}, 1000);";
    const proc = await startProcess(t, process.execPath, ['-e', script, 'a-long-argument-that-the-title-overwrites']);
    assert.deepEqual(readCmdline(proc.pid), ['short']);
  });

  it('throws the system error for a process that is gone, which the probes report as not running', async () => {
    const proc = await startProcess(undefined, 'sh', ['-c', 'echo ready; sleep 60']);
    await proc.kill();
    await proc.exited;
    assert.throws(() => readCmdline(proc.pid), { code: 'ENOENT' });
    assert.throws(() => probeRead(proc.pid, 'read the command line of', readCmdline), (error) => isProbeError(error, 'process-exited'));
  });
});

describe('readExe', () => {
  it('resolves the executable, and reports one removed from disk without the " (deleted)" suffix', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'leakscope-exe-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const copy = join(dir, 'sleeper');
    copyFileSync('/bin/sleep', copy);
    // spawn returns once the exec has happened (libuv waits for it), so the link is already there.
    const proc = await startProcess(t, copy, ['60'], { ready: null });
    assert.deepEqual(readExe(proc.pid), { path: copy, deleted: false });
    unlinkSync(copy);
    assert.deepEqual(readExe(proc.pid), { path: copy, deleted: true });
  });
});
