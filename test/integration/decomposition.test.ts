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
  this.timeout(120_000);
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
    // One reading at attach, then on the shared 5-s ticker, whose first tick may come at once.
    // The wait ends on the growth itself, not on a reading count: the readings may span only
    // ~5 s, and on a loaded machine the program writes few maps in that time.
    const update = await until('decomposition readings in the panel snapshot showing 20 MB of anonymous growth', () => {
      const d = leakscope.panelDecomposition(id);
      const n = d?.readings.t.length ?? 0;
      return d && n >= 3 && d.readings.anon[n - 1] - d.readings.anon[0] > 20 * MB ? d : undefined;
    }, 75_000);
    const { readings, diagnosis } = update;
    const last = readings.t.length - 1;
    assert.ok(readings.file[last] > 0, 'the interpreter and its libraries are file-backed');
    const rss = leakscope.sessions().find((s) => s.id === id)?.latestRssBytes ?? 0;
    const sum = readings.anon[last] + readings.file[last] + readings.shmem[last];
    assert.ok(Math.abs(sum - rss) < 0.15 * rss, `the parts (${sum}) add up to RSS (${rss})`);
    assert.ok(diagnosis, 'a diagnosis comes with the readings');
    assert.ok((diagnosis.evidence.anon_growth_bytes ?? 0) > 10 * MB, JSON.stringify(diagnosis.evidence));
    assert.equal(diagnosis.kind, 'unknown', 'growth seen from /proc alone: which kind needs a look inside');
  });
});
