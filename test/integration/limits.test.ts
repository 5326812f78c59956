// The limit that really applies, in the real VS Code: a process in a memory cgroup made for the
// test gets the cgroup's limit named in the status bar's tooltip.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { LeakscopeApi } from '../../src/api';
import { makeMemoryCgroup, removeCgroup } from '../helpers/cgroups';

const MiB = 1024 * 1024;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('The limit that applies', function () {
  this.timeout(60_000);

  it("names a memory cgroup's limit in the status bar tooltip", async function () {
    const cgroup = makeMemoryCgroup(256 * MiB);
    if (typeof cgroup === 'string') return this.skip();
    const child = spawn('/bin/sh', ['-c', `echo $$ > ${cgroup.dir}/cgroup.procs && exec python3 -c "import time; time.sleep(600)"`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const leakscope = await vscode.extensions.getExtension<LeakscopeApi>('leakscope.leakscope')?.activate();
      assert.ok(leakscope && child.pid);
      await new Promise((r) => setTimeout(r, 500));
      await vscode.commands.executeCommand<string>('leakscope.attachPid', child.pid);
      const tooltip = await until('a tooltip naming the limit', () => {
        const text = leakscope.statusBarTooltip();
        return text?.includes('| Limit |') ? text : undefined;
      });
      assert.match(tooltip, new RegExp(`\\| Limit \\| the cgroup's 256 MB memory limit .*${cgroup.name}`));
      // The panel's limit line is the same limit: both read the session's (no lookup of their own).
      const session = leakscope.sessions().find((v) => v.pid === child.pid);
      assert.ok(session);
      const limits = leakscope.panelLimits(session.id);
      assert.ok(limits?.memoryDescription && tooltip.includes(`| Limit | ${limits.memoryDescription} |`), `panel ${JSON.stringify(limits)} against tooltip ${tooltip}`);
    } finally {
      await vscode.commands.executeCommand('leakscope.detachAll');
      child.kill('SIGKILL');
      await exited;
      await removeCgroup(cgroup.dir);
    }
  });
});
