// Setting leakscope.openMetrics.listen in the real VS Code: off by default; on loopback it serves
// /metrics of every watched process (what `leakscope watch --openmetrics` serves), a detached one
// drops out, a public address is refused without leakscope.openMetrics.allowPublic, and clearing
// the setting closes the port.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { api, until } from './extensionHost';

const PY_IDLE = 'import time\nwhile True: time.sleep(1)';

async function scrape(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('OpenMetrics from the extension (leakscope.openMetrics.listen)', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('leakscope');
  let child: ChildProcess | undefined;

  afterEach(async () => {
    await vscode.commands.executeCommand('leakscope.detachAll');
    child?.kill('SIGKILL');
    child = undefined;
    await config().update('openMetrics.listen', undefined, vscode.ConfigurationTarget.Global);
    await config().update('openMetrics.allowPublic', undefined, vscode.ConfigurationTarget.Global);
  });

  it('serves nothing by default, then /metrics of each watched process on loopback; detach drops it; clearing closes the port', async () => {
    const leakscope = await api();
    assert.deepEqual(await leakscope.openMetrics(), {});
    await config().update('openMetrics.listen', '127.0.0.1:0', vscode.ConfigurationTarget.Global);
    const { url, error } = await leakscope.openMetrics();
    assert.equal(error, undefined);
    assert.ok(url, 'no server after the setting was set');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    child = spawn('/usr/bin/python3', ['-c', PY_IDLE], { stdio: 'ignore' });
    const pid = child.pid;
    assert.ok(pid);
    const id = await vscode.commands.executeCommand<string>('leakscope.attachPid', pid);
    await until('a sample', () => (leakscope.sessions().find((s) => s.id === id)?.samples ?? 0) >= 1);
    const served = await scrape(url);
    assert.equal(served.status, 200);
    assert.match(served.type ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(served.body, new RegExp(`^leakscope_process_resident_memory_bytes\\{pid="${pid}",[^}]*runtime="python"[^}]*\\} \\d+`, 'm'));
    assert.match(served.body, new RegExp(`^leakscope_verdict_class\\{pid="${pid}",`, 'm'));
    assert.match(served.body, /# EOF\n$/);
    assert.equal(leakscope.heldCounts()['openMetrics.sessions'], 1);

    await vscode.commands.executeCommand('leakscope.detach', id);
    await until('the session released', () => leakscope.heldCounts()['openMetrics.sessions'] === 0);
    assert.doesNotMatch((await scrape(url)).body, new RegExp(`pid="${pid}"`));

    await config().update('openMetrics.listen', '', vscode.ConfigurationTarget.Global);
    assert.deepEqual(await leakscope.openMetrics(), {});
    await assert.rejects(fetch(url), 'the port is closed once the setting is cleared');
  });

  it('refuses an address other machines can reach unless leakscope.openMetrics.allowPublic; a malformed one says why', async () => {
    const leakscope = await api();
    await config().update('openMetrics.listen', '0.0.0.0:0', vscode.ConfigurationTarget.Global);
    const refused = await leakscope.openMetrics();
    assert.equal(refused.url, undefined);
    assert.match(refused.error ?? '', /0\.0\.0\.0 is not a loopback address.*leakscope\.openMetrics\.allowPublic/);

    await config().update('openMetrics.allowPublic', true, vscode.ConfigurationTarget.Global);
    const allowed = await leakscope.openMetrics();
    assert.equal(allowed.error, undefined);
    assert.match(allowed.url ?? '', /^http:\/\/0\.0\.0\.0:\d+\/metrics$/);

    await config().update('openMetrics.listen', 'port 9464', vscode.ConfigurationTarget.Global);
    assert.match((await leakscope.openMetrics()).error ?? '', /not HOST:PORT: 'port 9464'/);
  });
});
