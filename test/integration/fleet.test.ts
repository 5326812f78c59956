// The fleet view in the real VS Code against a real Prometheus holding six hours of three
// services (backfilled with promtool before it starts, so nothing waits for hours of scraping):
// "Open fleet from Prometheus…" lists them leaking first with the right classes, the tree shows
// the same rows, a click opens the series in a memory panel; failures say what went wrong; and
// credentials set with "Set Prometheus credentials…" are what a Prometheus behind basic auth gets.
import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { FleetRow } from '../../src/core/fleet';
import { FLEET_SERVICES, fleetHistory } from '../helpers/fleetHistory';
import { freePort, startPrometheus, TEST_BASIC_AUTH, TestPrometheus } from '../helpers/prometheus';
import { api, until } from './extensionHost';

/** Mocha's hooks as the helpers' Teardown: what they start is stopped after the suite. */
function teardown(): { after(fn: () => unknown): void; run(): Promise<void> } {
  const steps: (() => unknown)[] = [];
  return {
    after: (fn) => steps.push(fn),
    run: async () => {
      for (const step of steps.reverse()) await step();
      steps.length = 0;
    },
  };
}

const EXPECTED_ORDER = ['api-2:8000', 'api-3:8000', 'api-1:8000'];

describe('Fleet from Prometheus', function () {
  this.timeout(120_000);
  const t = teardown();
  let prometheus: TestPrometheus;
  let secured: TestPrometheus;

  before(async () => {
    const history = fleetHistory(Date.now() - 60_000);
    prometheus = await startPrometheus(t, [], { backfill: history });
    secured = await startPrometheus(t, [], { backfill: history, basicAuth: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('leakscope.closeFleet');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await t.run();
  });

  it('lists the three services leaking first, with the right classes, and the tree shows the same rows', async () => {
    const rows = await vscode.commands.executeCommand<FleetRow[] | undefined>('leakscope.openFleet', { url: prometheus.url, range: '6h', step: '15s' });
    assert.ok(rows, `no rows: ${(await api()).fleet().lastError}`);
    assert.deepEqual(rows.map((r) => r.name), EXPECTED_ORDER);
    for (const row of rows) assert.equal(row.class, FLEET_SERVICES.find((s) => s.instance === row.name)?.expected, `${row.name}: ${row.explanation}`);
    assert.ok(rows.every((r) => r.points === 1441), `6 h at 15 s: ${rows.map((r) => r.points).join(', ')}`);

    const view = (await api()).fleet();
    assert.deepEqual(view.source, { url: prometheus.url, query: 'process_resident_memory_bytes', rangeMs: 6 * 3600_000, stepMs: 15_000 });
    assert.deepEqual(view.items.map((i) => i.label), EXPECTED_ORDER);
    assert.match(view.items[0].description, /^steady leak · [\d.]+ KB\/min · \d+%$/);
    assert.match(view.items[1].description, /^plateau · [\d.]+ (B|KB)\/min · \d+%$/);
    assert.match(view.items[2].description, /^flat · -?[\d.]+ (B|KB)\/min · \d+%$/);
    assert.equal(view.items[0].iconColor, 'list.errorForeground');
    assert.notEqual(view.items[2].iconColor, 'list.errorForeground');
    assert.match(view.items[0].tooltip, /instance="api-2:8000"/);
    assert.match(view.items[0].tooltip, /job="api"/);
    assert.equal(view.lastError, undefined);
  });

  it('clicking a row opens that series in a memory panel as a trace', async () => {
    const leakscope = await api();
    const before = leakscope.heldCounts()['panels.open'];
    const click = leakscope.fleet().items[0].click;
    assert.ok(click, 'the row has no click command');
    const points = await vscode.commands.executeCommand<number | undefined>(click.command, ...click.arguments);
    assert.equal(points, 1441);
    await until('a new memory panel', () => leakscope.heldCounts()['panels.open'] === before + 1);
    await until('its tab, named after the series', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((tab) => tab.label === 'Memory: api-2:8000'));
  });

  it('reads range and step from the settings when the argument leaves them out; refresh reads again; close empties the view', async () => {
    const config = vscode.workspace.getConfiguration('leakscope');
    await config.update('fleet.range', '1h', vscode.ConfigurationTarget.Global);
    await config.update('fleet.step', '1m', vscode.ConfigurationTarget.Global);
    try {
      const rows = await vscode.commands.executeCommand<FleetRow[] | undefined>('leakscope.openFleet', { url: prometheus.url });
      assert.ok(rows);
      assert.deepEqual(rows.map((r) => r.points), [61, 61, 61]);
      assert.deepEqual((await api()).fleet().source?.rangeMs, 3600_000);
      const again = await vscode.commands.executeCommand<FleetRow[] | undefined>('leakscope.refreshFleet');
      assert.deepEqual(again?.map((r) => r.name).sort(), [...EXPECTED_ORDER].sort());
    } finally {
      await config.update('fleet.range', undefined, vscode.ConfigurationTarget.Global);
      await config.update('fleet.step', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('leakscope.closeFleet');
    const view = (await api()).fleet();
    assert.deepEqual(view.items, []);
    assert.equal(view.source, undefined);
  });

  it('says why when the server is unreachable, not Prometheus, or the arguments are wrong', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: nobody }), undefined);
    assert.match((await api()).fleet().lastError ?? '', /^cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused$/);

    const html = await serveHtml();
    try {
      assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: html.url }), undefined);
      assert.match((await api()).fleet().lastError ?? '', /did not answer with JSON, so it is probably not a Prometheus server/);
    } finally {
      html.server.close();
    }

    assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: prometheus.url, range: 'six hours' }), undefined);
    assert.match((await api()).fleet().lastError ?? '', /the range 'six hours' is not a duration/);
    assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: 'ftp://example.org' }), undefined);
    assert.match((await api()).fleet().lastError ?? '', /not an http\(s\) URL/);
    assert.deepEqual((await api()).fleet().items, [], 'failed reads show nothing');
  });

  it('a Prometheus behind basic auth: refused without credentials, read with the stored ones, refused again once they are forgotten', async () => {
    assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: secured.url }), undefined);
    assert.match((await api()).fleet().lastError ?? '', /refused the request: HTTP 401 Unauthorized: set credentials with "Leakscope: Set Prometheus credentials…"/);

    // Stored for the origin: a path under the same server uses them too.
    assert.equal(await vscode.commands.executeCommand('leakscope.setPrometheusCredentials', { url: `${secured.url}/`, user: TEST_BASIC_AUTH.user, password: TEST_BASIC_AUTH.password }), true);
    const rows = await vscode.commands.executeCommand<FleetRow[] | undefined>('leakscope.openFleet', { url: secured.url });
    assert.deepEqual(rows?.map((r) => r.name), EXPECTED_ORDER, (await api()).fleet().lastError);
    const points = await vscode.commands.executeCommand<number | undefined>('leakscope.openFleetSeries', rows?.[2]);
    assert.equal(points, 1441, 'the click reads the series with the same credentials');

    await vscode.commands.executeCommand('leakscope.setPrometheusCredentials', { url: secured.url, user: TEST_BASIC_AUTH.user, password: 'wrong' });
    assert.equal(await vscode.commands.executeCommand('leakscope.refreshFleet'), undefined);
    assert.match((await api()).fleet().lastError ?? '', /HTTP 401/);

    await vscode.commands.executeCommand('leakscope.setPrometheusCredentials', { url: secured.url, forget: true });
    assert.equal(await vscode.commands.executeCommand('leakscope.openFleet', { url: secured.url }), undefined);
    assert.match((await api()).fleet().lastError ?? '', /HTTP 401/);

    await vscode.commands.executeCommand('leakscope.closeFleet');
  });
});

/** A web server that is not Prometheus: it answers every path with an HTML page. */
async function serveHtml(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<html><body>Grafana</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
