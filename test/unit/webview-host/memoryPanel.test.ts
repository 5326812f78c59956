// The panel host against a fake `vscode`: handshake, batching, visibility, validation,
// actions, restore after reload, export and import of traces.
import { FakeWebviewPanel, Uri, fake } from './fixtures/fakeVscode';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { EventEmitter } from '../../../src/core/events';
import { GrowthVerdict, MemorySample, MonitorEvent } from '../../../src/core/model';
import { FamilyView, MonitorDescriptor, MonitorState, PROTOCOL_VERSION, PanelState, ProbeReport, parseToWebview } from '../../../src/core/protocol';
import { columnsToSamples, emptyColumns, samplesToColumns, unpackColumns } from '../../../src/core/shared/columns';
import { traceToCsv } from '../../../src/core/trace/format';
import { MemoryPanels } from '../../../src/panel';
import { MonitorSnapshot, MonitorUpdate, PanelController, SavedMonitor } from '../../../src/panel/types';
import { DecompositionUpdate } from '../../../src/core/shared/decomposition';
import { repoRoot } from '../../helpers/paths';

const START = 1_767_600_000_000;

// "Open memory trace…" reads a file: URI from disk by its path; other schemes through the fake's workspace.fs.
const traceDir = mkdtempSync(join(tmpdir(), 'leakscope-panel-traces-'));
after(() => rmSync(traceDir, { recursive: true, force: true }));

function diskTrace(name: string, text: string): Uri {
  const path = join(traceDir, name);
  writeFileSync(path, text);
  return Uri.file(path);
}

function remoteTrace(path: string, text: string, size = Buffer.byteLength(text)): Uri {
  fake.files.set(path, { size, text });
  return Uri.from({ scheme: 'vscode-remote', path });
}

function sample(i: number): MemorySample {
  return { tMs: START + i * 1000, rssBytes: 100e6 + i * 1e5, deltaBytes: i ? 1e5 : 0, threads: 3, fds: 9, childrenRssBytes: 0, childCount: 0, cpuPercent: 2 };
}

function descriptor(id: string, state: MonitorState = 'running'): MonitorDescriptor {
  return { id, kind: 'live', pid: 4242, title: 'node leak.js', command: 'node leak.js', state, startedMs: START, limits: { memoryBytes: 2 ** 30 }, intervalMs: 1000, warnAtFraction: 0.8 };
}

class FakeController implements PanelController {
  readonly calls: string[] = [];
  /** Snapshots carry the whole history: asked for on init and export only. */
  snapshotCalls = 0;
  readonly snapshots = new Map<string, MonitorSnapshot>();
  reattachTo: string | undefined;
  failWith: string | undefined;
  readonly samples = new EventEmitter<MonitorUpdate<readonly MemorySample[]>>();
  readonly verdicts = new EventEmitter<MonitorUpdate<GrowthVerdict | null>>();
  readonly states = new EventEmitter<MonitorUpdate<{ state: MonitorState; summary?: string }>>();
  readonly events = new EventEmitter<MonitorUpdate<MonitorEvent>>();
  readonly probes = new EventEmitter<MonitorUpdate<ProbeReport>>();
  readonly changes = new EventEmitter<MonitorDescriptor>();
  readonly decompositions = new EventEmitter<MonitorUpdate<DecompositionUpdate>>();
  readonly onSamples = this.samples.event;
  readonly onVerdict = this.verdicts.event;
  readonly onState = this.states.event;
  readonly onEvent = this.events.event;
  readonly onProbe = this.probes.event;
  readonly onMonitorChanged = this.changes.event;
  readonly families = new EventEmitter<MonitorUpdate<FamilyView>>();
  readonly onFamily = this.families.event;
  readonly onDecomposition = this.decompositions.event;

  getSnapshot(id: string): MonitorSnapshot | undefined {
    this.snapshotCalls++;
    return this.snapshots.get(id);
  }
  getMonitor(id: string): MonitorDescriptor | undefined {
    return this.snapshots.get(id)?.monitor;
  }
  private act(name: string, id: string): void {
    this.calls.push(`${name} ${id}`);
    if (this.failWith) throw new Error(this.failWith);
  }
  pause = (id: string): void => this.act('pause', id);
  resume = (id: string): void => this.act('resume', id);
  detach = (id: string): void => this.act('detach', id);
  setIntervalMs = (id: string, ms: number): void => this.act(`interval ${ms}`, id);
  markFixApplied = (id: string): void => this.act('fix', id);
  runGc = (id: string): void => this.act('gc', id);
  runMallocTrim = (id: string): void => this.act('trim', id);
  findGrowing = (id: string): void => this.act('probe', id);
  async reattach(saved: SavedMonitor): Promise<string | undefined> {
    this.calls.push(`reattach ${saved.monitorId} ${saved.pid}`);
    return this.reattachTo;
  }
  panelClosed(id: string): void {
    this.calls.push(`closed ${id}`);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 10 ms until it holds (a generous ceiling: a worker thread starts on a busy machine). */
async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('memory panel host', () => {
  let controller: FakeController;
  let panels: MemoryPanels;
  const warnings: string[] = [];

  beforeEach(() => {
    fake.reset();
    warnings.length = 0;
    controller = new FakeController();
    controller.snapshots.set('m1', { monitor: descriptor('m1'), samples: samplesToColumns([sample(0), sample(1)]), events: [{ tMs: START, kind: 'attach', label: 'attached' }] });
    // The repository as the extension's folder: "Open memory trace…" starts dist/traceWorker.js from it.
    panels = new MemoryPanels(Uri.file(repoRoot()) as unknown as vscode.Uri, controller, { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) });
  });
  afterEach(() => panels.dispose());

  function openLive(): FakeWebviewPanel {
    panels.show('m1');
    const panel = fake.panels[fake.panels.length - 1];
    panel.receive({ type: 'ready' });
    return panel;
  }

  it('builds a locked-down page and waits for ready before posting', async () => {
    panels.show('m1');
    const panel = fake.panels[0];
    assert.match(panel.webview.html, /default-src 'none'/);
    const script = `file://${repoRoot()}/dist/webview.js`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    assert.match(panel.webview.html, new RegExp(`<script nonce="[A-Za-z0-9_-]{22}" src="${script}">`));
    assert.deepEqual((panel.webview.options as { localResourceRoots: Uri[] }).localResourceRoots.map(String), [`file://${repoRoot()}/dist`]);
    controller.samples.fire({ monitorId: 'm1', value: [sample(2)] });
    assert.deepEqual(panel.posted, []);
    panel.receive({ type: 'ready' });
    await settle();
    assert.deepEqual(panel.types(), ['init']);
    const init = panel.posted[0] as { samples: { t: Float64Array }; monitor: MonitorDescriptor };
    assert.ok(init.samples.t instanceof Float64Array, 'columns go out packed');
    assert.deepEqual(Array.from(init.samples.t), [sample(0).tMs, sample(1).tMs]);
    assert.equal(panel.title, 'Memory: node leak.js');
  });

  it('titles the panel from the descriptor: opening, a state change and an interval change ask for no snapshot', async () => {
    panels.show('m1');
    const panel = fake.panels[0];
    assert.equal(controller.snapshotCalls, 0, 'opening a panel reads the title only');
    panel.receive({ type: 'ready' });
    await settle();
    assert.equal(controller.snapshotCalls, 1, 'the init message carries the history');
    const snapshot = controller.snapshots.get('m1');
    assert.ok(snapshot);
    snapshot.monitor = { ...snapshot.monitor, state: 'exited' };
    controller.states.fire({ monitorId: 'm1', value: { state: 'exited', summary: 'exit 0' } });
    assert.equal(panel.title, 'Memory: node leak.js (exited)');
    controller.changes.fire({ ...snapshot.monitor, intervalMs: 500 });
    assert.equal(controller.snapshotCalls, 1);
  });

  it("sends a family's picture after init, and each update of its own family only", async () => {
    const family: FamilyView = { summary: 'No leak: all 2 members flat', leaking: false, members: [], total: { t: [START], rss: [1] } };
    const snapshot = controller.snapshots.get('m1');
    assert.ok(snapshot);
    snapshot.family = family;
    const panel = openLive();
    await settle();
    assert.deepEqual(panel.types(), ['init', 'family']);
    assert.equal(controller.snapshotCalls, 1, 'one snapshot for both');
    controller.families.fire({ monitorId: 'other', value: family });
    controller.families.fire({ monitorId: 'm1', value: { ...family, summary: 'changed' } });
    assert.deepEqual(panel.types(), ['init', 'family', 'family']);
    assert.equal((panel.posted[2] as { family: FamilyView }).family.summary, 'changed');
  });

  it('reveals the one panel of a monitor instead of opening another', () => {
    panels.show('m1');
    panels.show('m1');
    assert.equal(fake.panels.length, 1);
    assert.equal(fake.panels[0].revealed, 1);
  });

  it('batches samples into one message and keeps order with other updates', async () => {
    const panel = openLive();
    await settle();
    controller.samples.fire({ monitorId: 'm1', value: [sample(2)] });
    controller.samples.fire({ monitorId: 'm1', value: [sample(3)] });
    controller.samples.fire({ monitorId: 'other', value: [sample(9)] });
    assert.deepEqual(panel.types(), ['init']);
    await sleep(400);
    assert.deepEqual(panel.types(), ['init', 'samples']);
    assert.deepEqual(Array.from((panel.posted[1] as { samples: { t: Float64Array } }).samples.t), [sample(2).tMs, sample(3).tMs]);
    controller.samples.fire({ monitorId: 'm1', value: [sample(4)] });
    controller.states.fire({ monitorId: 'm1', value: { state: 'exited', summary: 'exit 0' } });
    assert.deepEqual(panel.types().slice(2), ['samples', 'state'], 'pending samples go out before the state change');
  });

  it('sends the applicable limit with its name, in init and when the monitor changes', async () => {
    const cgroup = { memoryBytes: 250e6, memoryLabel: 'cgroup limit 256 MB', memoryDescription: "the cgroup's 256 MB memory limit, memory.max of /a" };
    controller.snapshots.set('m1', { monitor: { ...descriptor('m1'), limits: cgroup }, samples: samplesToColumns([sample(0)]), events: [] });
    const panel = openLive();
    await settle();
    // What the webview will accept (posted as VS Code delivers it), not just what was posted.
    const init = parseToWebview(panel.posted[0]);
    assert.equal(init?.type, 'init');
    assert.deepEqual(init?.type === 'init' ? init.monitor.limits : undefined, cgroup);
    const container = { memoryBytes: 2 ** 31, memoryLabel: 'container limit 2 GiB', memoryDescription: "the container's 2 GiB memory limit" };
    controller.changes.fire({ ...descriptor('m1'), limits: container });
    const changed = parseToWebview(panel.posted[panel.posted.length - 1]);
    assert.deepEqual(changed?.type === 'monitor' ? changed.monitor.limits : undefined, container);
  });

  it('sends the decomposition in init and each new reading with the diagnosis, as the webview accepts them', async () => {
    const reading = (i: number) => ({ t: [START + i * 5000], anon: [80e6 + i * 1e6], file: [18e6], shmem: [2e6], swap: [0] });
    const diagnosis = { kind: 'native-growth' as const, summary: 'RSS grew 5 MB', evidence: { rss_growth_bytes: 5e6 }, fix: 'Look at the native side.' };
    const snapshot = controller.snapshots.get('m1');
    assert.ok(snapshot);
    snapshot.decomposition = { readings: reading(0), diagnosis: null };
    const panel = openLive();
    await settle();
    const init = parseToWebview(panel.posted[0]);
    assert.deepEqual(init?.type === 'init' ? init.decomposition : undefined, { readings: reading(0), diagnosis: null });
    controller.decompositions.fire({ monitorId: 'other', value: { readings: reading(9), diagnosis: null } });
    controller.decompositions.fire({ monitorId: 'm1', value: { readings: reading(1), diagnosis } });
    assert.deepEqual(panel.types(), ['init', 'decomposition'], "another monitor's readings are not this panel's");
    const update = parseToWebview(panel.posted[1]);
    assert.deepEqual(update, { type: 'decomposition', decomposition: { readings: reading(1), diagnosis } });
    panel.setVisible(false);
    controller.decompositions.fire({ monitorId: 'm1', value: { readings: reading(2), diagnosis } });
    assert.equal(panel.types().length, 2, 'nothing while hidden: the next init carries it');
  });

  it('posts nothing while hidden and re-sends init when visible again', async () => {
    const panel = openLive();
    await settle();
    panel.setVisible(false);
    controller.samples.fire({ monitorId: 'm1', value: [sample(2)] });
    controller.verdicts.fire({ monitorId: 'm1', value: null });
    await sleep(350);
    assert.deepEqual(panel.types(), ['init']);
    panel.setVisible(true);
    assert.deepEqual(panel.types(), ['init', 'init'], 'visible again: the whole picture at once');
    panel.receive({ type: 'ready' });
    await settle();
    assert.deepEqual(panel.types(), ['init', 'init', 'init'], 'and again for the reloaded page');
  });

  it('routes valid actions to the controller and ignores malformed ones', async () => {
    const panel = openLive();
    for (const type of ['pause', 'resume', 'runGc', 'runMallocTrim', 'markFixApplied', 'findGrowing', 'detach']) panel.receive({ type });
    panel.receive({ type: 'setInterval', ms: 500 });
    panel.receive({ type: 'setInterval', ms: 5 });
    panel.receive({ type: 'rm -rf /' });
    panel.receive(null);
    await settle();
    assert.deepEqual(controller.calls, ['pause m1', 'resume m1', 'gc m1', 'trim m1', 'fix m1', 'probe m1', 'detach m1', 'interval 500 m1']);
    assert.equal(warnings.length, 3);
    assert.match(warnings[1], /ignored .*"rm -rf \/"/);
  });

  it('shows a failed action in the panel', async () => {
    const panel = openLive();
    controller.failWith = 'the process is gone';
    panel.receive({ type: 'runGc' });
    await settle();
    assert.deepEqual(panel.posted.at(-1), { type: 'error', text: 'the process is gone' });
  });

  it('opens only source locations that a probe reported', async () => {
    const panel = openLive();
    panel.receive({ type: 'openLocation', file: '/etc/shadow', line: 1 });
    await settle();
    assert.deepEqual(fake.opened, []);
    controller.probes.fire({ monitorId: 'm1', value: { status: 'done', sites: [{ file: '/w/leak.js', line: 12, function: 'f', bytes: 1, count: 1 }], notes: [] } });
    panel.receive({ type: 'openLocation', file: '/w/leak.js', line: 12 });
    await settle();
    assert.deepEqual(fake.opened, [{ path: '/w/leak.js', line: 12 }]);
  });

  it('exports the monitor as CSV through the save dialog', async () => {
    const panel = openLive();
    fake.nextSave = Uri.file('/ws/out.csv');
    panel.receive({ type: 'exportTrace', format: 'csv' });
    await sleep(10);
    const snapshot = controller.snapshots.get('m1');
    assert.equal(fake.written.get('/ws/out.csv'), traceToCsv({ pid: 4242, command: 'node leak.js', samples: columnsToSamples(unpackColumns(snapshot?.samples ?? emptyColumns())), events: [] }));
  });

  it('opens a trace in a new panel, and refuses a malformed or huge one with a clear message', async () => {
    const good = diskTrace('good.csv', `t_ms,rss_bytes\n${START},1000\n${START + 1000},2000\n`);
    const huge = diskTrace('huge.csv', '');
    truncateSync(huge.fsPath, 300 * 2 ** 20); // sparse: over the limit without writing it
    await panels.openTrace(diskTrace('bad.csv', 't_ms,rss_bytes\nnope,1\n') as unknown as vscode.Uri);
    await panels.openTrace(huge as unknown as vscode.Uri);
    await panels.openTrace(Uri.file('/dev/zero') as unknown as vscode.Uri);
    assert.equal(fake.panels.length, 0, 'nothing opened');
    assert.match(fake.errors[0], /^Could not open bad\.csv: line 2: t_ms is not a number: 'nope'/);
    assert.match(fake.errors[1], /^Could not open huge\.csv: the trace is too large \(300 MB\); the limit is 200 MB/);
    assert.match(fake.errors[2], /^Could not open zero: not a regular file \(a device\)/);
    assert.equal(fake.reads, 0, 'local files are read from disk, not through workspace.fs');
    await panels.openTrace(good as unknown as vscode.Uri);
    assert.ok(fake.progress.length > 0, 'the reading reports its progress');
    const panel = fake.panels[0];
    panel.receive({ type: 'ready' });
    await settle();
    const init = panel.posted[0] as { monitor: MonitorDescriptor; samples: { rss: Float64Array } };
    assert.equal(init.monitor.kind, 'trace');
    assert.deepEqual(Array.from(init.samples.rss), [1000, 2000]);
    assert.equal(panel.title, 'Memory: good.csv');
  });

  it('opens a remote trace from the bytes workspace.fs gives, and refuses a huge one before fetching it', async () => {
    await panels.openTrace(remoteTrace('/r/huge.csv', '', 10 * 2 ** 30) as unknown as vscode.Uri);
    await panels.openTrace(remoteTrace('/r/bad.dat', 'MEM 1.0 100.0\nMEM lots 101.0\n') as unknown as vscode.Uri);
    assert.match(fake.errors[0], /^Could not open huge\.csv: the trace is too large/);
    assert.match(fake.errors[1], /^Could not open bad\.dat: line 2: MEM size \(MiB\) is not a number: 'lots'/);
    assert.equal(fake.reads, 1, 'the huge file was never fetched');
    const text = `\ufeff# exported\nt_ms,rss_bytes,threads,uss_bytes\r\n${START},1000,4,\r\n${START + 1000},2000,5,900\r\n`;
    await panels.openTrace(remoteTrace('/r/good.csv', text) as unknown as vscode.Uri);
    const panel = fake.panels[0];
    panel.receive({ type: 'ready' });
    await settle();
    // Posted packed: Float64Array columns, NaN where a sample lacks the reading.
    const init = panel.posted[0] as { samples: Record<'rss' | 'threads' | 'fds' | 'uss', Float64Array> };
    const column = (key: 'rss' | 'threads' | 'fds' | 'uss'): number[] => Array.from(init.samples[key]);
    assert.deepEqual({ rss: column('rss'), threads: column('threads'), fds: column('fds'), uss: column('uss') }, { rss: [1000, 2000], threads: [4, 5], fds: [-1, -1], uss: [NaN, 900] });
    assert.equal(panel.title, 'Memory: good.csv');
  });

  it('overlays a compared trace and clears it', async () => {
    const before = diskTrace('before.csv', `t_ms,rss_bytes\n${START},1000\n`);
    const panel = openLive();
    fake.nextOpen = before;
    panel.receive({ type: 'compareTrace' });
    // The file is read in a worker thread: wait for the comparison it gives, not for a time.
    await until('the comparison', () => panel.types().includes('comparison'));
    panel.receive({ type: 'clearComparison' });
    await settle();
    assert.deepEqual(panel.types(), ['init', 'comparison', 'comparison']);
    assert.equal((panel.posted[1] as { comparison: { label: string } }).comparison.label, 'before.csv');
    assert.equal((panel.posted[2] as { comparison: null }).comparison, null);
  });

  it('tells the controller when the last panel of a monitor closes', () => {
    const panel = openLive();
    panel.dispose();
    assert.deepEqual(controller.calls, ['closed m1']);
    panels.show('m1');
    assert.equal(fake.panels.length, 2, 'a new panel after the old one closed');
  });

  describe('after a reload', () => {
    const saved: PanelState = {
      version: PROTOCOL_VERSION,
      monitor: descriptor('old-id'),
      samples: samplesToColumns([sample(0), sample(1), sample(2)]),
      events: [],
      verdict: null,
      ui: { followLive: true, hiddenSeries: [] },
    };

    it('re-attaches when the controller finds the process', async () => {
      controller.reattachTo = 'm1';
      const panel = new FakeWebviewPanel('leakscope.memoryPanel', 'x');
      await fake.serializer?.deserializeWebviewPanel(panel, JSON.parse(JSON.stringify(saved)));
      panel.receive({ type: 'ready' });
      await settle();
      assert.deepEqual(controller.calls, ['reattach old-id 4242']);
      assert.equal((panel.posted[0] as { monitor: MonitorDescriptor }).monitor.id, 'm1');
    });

    it('shows the saved trace, marked detached, when the process is gone', async () => {
      const panel = new FakeWebviewPanel('leakscope.memoryPanel', 'x');
      await fake.serializer?.deserializeWebviewPanel(panel, saved);
      panel.receive({ type: 'ready' });
      await settle();
      const init = panel.posted[0] as { monitor: MonitorDescriptor; samples: { t: Float64Array } };
      assert.equal(init.monitor.state, 'detached');
      assert.equal(init.monitor.kind, 'trace');
      assert.match(init.monitor.summary ?? '', /Restored after VS Code reloaded/);
      assert.equal(init.samples.t.length, 3);
    });

    it('closes a panel whose saved state is unusable', async () => {
      const panel = new FakeWebviewPanel('leakscope.memoryPanel', 'x');
      await fake.serializer?.deserializeWebviewPanel(panel, { version: PROTOCOL_VERSION, monitor: 'junk' });
      assert.equal(panel.disposed, true);
      assert.match(warnings[0], /could not be restored/);
    });
  });
});
