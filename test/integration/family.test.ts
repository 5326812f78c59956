// Attaching to a process family in the real VS Code: a pre-fork Python master whose worker 2 is
// recycled every 3 s. The master's session stands for the family (status bar, panel); every
// worker is watched, a replacement joins in its slot, and detaching releases them all.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { fromRoot } from '../helpers/paths';
import { api, until } from './extensionHost';

const PREFORK = fromRoot('test', 'fixtures', 'programs', 'prefork.py');

describe('Attach memory monitor to a family', function () {
  this.timeout(90_000);
  let server: ChildProcess | undefined;
  afterEach(async () => {
    await vscode.commands.executeCommand('leakscope.detachAll');
    if (server?.pid) process.kill(-server.pid, 'SIGKILL'); // the master and its workers
    server = undefined;
  });

  it('watches the master and its 4 workers, follows a recycled worker, and releases all on detach', async () => {
    const leakscope = await api();
    const before = leakscope.heldCounts();
    server = spawn('/usr/bin/python3', [PREFORK, '4', '0', '2', '30'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const pid = server.pid;
    assert.ok(pid);
    let output = '';
    server.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await until('the server ready', () => (/^ready/m.test(output) ? true : undefined));

    const id = await vscode.commands.executeCommand<string>('leakscope.attach', { pid, family: true });
    assert.ok(id, 'the master session id');
    const family = await until('five live members', () => {
      const view = leakscope.sessions().find((s) => s.id === id)?.family;
      return view && view.members.length === 5 ? view : undefined;
    });
    assert.equal(family.members[0].pid, pid);
    assert.match(family.members[0].label, /^master \(pid \d+\)$/);
    assert.match(family.summary, /^No leak: /);
    assert.equal(leakscope.sessions().length, 1, 'one session in the window: the master, standing for its family');

    const replaced = await until('a recycled worker 2', () => leakscope.sessions().find((s) => s.id === id)?.family?.members.find((m) => /^worker 2 \(pid \d+, replaced pid \d+\)$/.test(m.label)), 30_000);
    const [, newPid, oldPid] = /pid (\d+), replaced pid (\d+)/.exec(replaced.label) ?? [];
    assert.ok(output.indexOf(`worker 2 ${oldPid}`) < output.indexOf(`worker 2 ${newPid}`), 'it replaced the worker forked before it');
    assert.equal(leakscope.heldCounts()['families.members'], 5);

    await vscode.commands.executeCommand('leakscope.detachAll');
    await until('the family released', () => (leakscope.heldCounts()['families.families'] === 0 ? true : undefined));
    const after = leakscope.heldCounts();
    assert.equal(after['families.members'], 0);
    assert.equal(after.ticks, before.ticks, 'no sampling timer left');
  });
});
