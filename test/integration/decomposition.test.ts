// What RSS is made of, in the real VS Code: a Python program growing native memory (anonymous
// mmaps, which no Python allocator sees) is attached, and its decomposition, read from /proc
// every 5 s by the watch session, reaches the memory panel's controller with the diagnosis.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { api, until } from './extensionHost';

/** 2 MiB private anonymous mmaps, written so they are resident: ~10 MB/s, up to 400 MB. */
const PY_NATIVE = [
  'import mmap, time',
  'maps = []',
  'while len(maps) < 200:',
  '    m = mmap.mmap(-1, 2 * 1024 * 1024, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)',
  "    m.write(b'\\x01' * len(m))",
  '    maps.append(m)',
  '    time.sleep(0.2)',
  'time.sleep(3600)',
  '',
].join('\n');

const MB = 1e6;

describe('RSS decomposition', function () {
  this.timeout(90_000);
  let child: ChildProcess | undefined;
  afterEach(async () => {
    await vscode.commands.executeCommand('leakscope.detachAll');
    child?.kill('SIGKILL');
  });

  it('reaches the panel controller for a Python program growing native memory', async () => {
    const leakscope = await api();
    child = spawn('python3', ['-c', PY_NATIVE], { stdio: 'ignore' });
    const pid = child.pid;
    assert.ok(pid);
    await new Promise((r) => setTimeout(r, 500));
    const id = await vscode.commands.executeCommand<string>('leakscope.attachPid', pid);
    assert.ok(id, 'attachPid returns the session id');
    // One reading at attach, then every 5 s: three readings span 10 s of growth.
    const update = await until('three decomposition readings in the panel snapshot', () => {
      const d = leakscope.panelDecomposition(id);
      return d && d.readings.t.length >= 3 ? d : undefined;
    }, 40_000);
    const { readings, diagnosis } = update;
    const last = readings.t.length - 1;
    assert.ok(readings.anon[last] - readings.anon[0] > 20 * MB, `anonymous memory grew: ${readings.anon[0]} → ${readings.anon[last]}`);
    assert.ok(readings.file[last] > 0, 'the interpreter and its libraries are file-backed');
    const rss = leakscope.sessions().find((s) => s.id === id)?.latestRssBytes ?? 0;
    const sum = readings.anon[last] + readings.file[last] + readings.shmem[last];
    assert.ok(Math.abs(sum - rss) < 0.15 * rss, `the parts (${sum}) add up to RSS (${rss})`);
    assert.ok(diagnosis, 'a diagnosis comes with the readings');
    assert.ok((diagnosis.evidence.anon_growth_bytes ?? 0) > 10 * MB, JSON.stringify(diagnosis.evidence));
    assert.equal(diagnosis.kind, 'unknown', 'growth seen from /proc alone: which kind needs a look inside');
  });
});
