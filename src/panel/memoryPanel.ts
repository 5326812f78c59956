// One memory panel: a live monitor or a recording. It builds the page, routes validated
// messages to the controller, batches samples for the webview, and posts only while the panel
// is visible and its webview has said `ready` (a hidden webview is torn down; when it comes
// back it says `ready` again and gets a fresh `init`, so nothing is lost).
import * as vscode from 'vscode';
import { GrowthVerdict, MonitorEvent } from '../core/model';
import {
  ComparisonTrace,
  FromWebviewMessage,
  HostMessage,
  MonitorDescriptor,
  ToWebviewMessage,
  TraceFormat,
  assertNever,
  describeRejected,
  packForPosting,
  parseFromWebview,
} from '../core/protocol';
import { SampleColumns, samplesToColumns, unpackColumns } from '../core/shared/columns';
import { DisposableBase } from '../core/events';
import { panelHtml, makeNonce } from './html';
import { SampleBatcher } from './sampleBatcher';
import { LoadedTrace, pickTrace, saveTrace, suggestedTraceName } from './traceFiles';
import { comparisonFromOpened, traceFromColumns } from './traceView';
import { PanelController, PanelLog } from './types';
import { errorMessage } from '../core/errorMessage';

export const MEMORY_PANEL_VIEW_TYPE = 'leakscope.memoryPanel';

/** A live monitor, or a recording held by the panel itself (opened file, restored state). */
export type PanelSource =
  | { kind: 'live'; monitorId: string }
  | { kind: 'recording'; monitor: MonitorDescriptor; samples: SampleColumns; events: MonitorEvent[]; verdict: GrowthVerdict | null };

export interface RecordingShown {
  title: string;
  summary: string;
  verdict: GrowthVerdict | null;
}

export interface PanelDeps {
  controller: PanelController;
  extensionUri: vscode.Uri;
  log: PanelLog;
  /** Opens a trace in a panel of its own (the registry decides where). */
  showTrace(loaded: LoadedTrace): void;
  onDidDispose(panel: MemoryPanel): void;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  // Only the bundle folder: the webview can load nothing else from disk.
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

export function createWebviewPanel(extensionUri: vscode.Uri, title: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    MEMORY_PANEL_VIEW_TYPE,
    title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { ...webviewOptions(extensionUri), enableFindWidget: false },
  );
  return panel;
}

export class MemoryPanel extends DisposableBase implements vscode.Disposable {
  private ready = false;
  /** The overlay the user chose (null: cleared); undefined shows the monitor's own, e.g. its previous run. */
  private comparison: ComparisonTrace | null | undefined;
  /** file:line pairs the host itself sent in probe results: the only ones openLocation opens. */
  private readonly openableLocations = new Set<string>();
  private readonly batcher: SampleBatcher;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private source: PanelSource,
    private readonly deps: PanelDeps,
  ) {
    super();
    this.batcher = new SampleBatcher((batch) => this.post({ type: 'samples', samples: samplesToColumns(batch) }));
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = {
      light: vscode.Uri.joinPath(deps.extensionUri, 'media', 'panel-light.svg'),
      dark: vscode.Uri.joinPath(deps.extensionUri, 'media', 'panel-dark.svg'),
    };
    panel.webview.html = this.html();
    this.register(this.batcher);
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.onDidChangeViewState(() => this.onViewStateChanged()));
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    for (const subscription of this.subscribeToController()) this.register(subscription);
    this.updateTitle();
  }

  get monitorId(): string | undefined {
    return this.source.kind === 'live' ? this.source.monitorId : undefined;
  }

  /** What a recording's panel was given to show (its title, samples in the file, verdict); undefined for a live monitor. */
  get recording(): RecordingShown | undefined {
    if (this.source.kind !== 'recording') return undefined;
    return { title: this.source.monitor.title, summary: this.source.monitor.summary ?? '', verdict: this.source.verdict };
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Rebinds a restored panel to a monitor attached again after a reload. */
  bindTo(source: PanelSource): void {
    this.source = source;
    this.updateTitle();
    this.postInit();
  }

  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    super.dispose();
    this.panel.dispose();
    this.deps.onDidDispose(this);
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', ...parts)).toString();
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: dist('webview.js'),
      styleUri: dist('webview.css'),
      codiconsUri: dist('codicons', 'codicon.css'),
      title: vscode.l10n.t('Leakscope memory'),
    });
  }

  private subscribeToController(): vscode.Disposable[] {
    const c = this.deps.controller;
    const mine = (id: string): boolean => this.source.kind === 'live' && this.source.monitorId === id;
    const family = c.onFamily?.(({ monitorId, value }) => mine(monitorId) && this.postInOrder({ type: 'family', family: value }));
    return [
      ...(family ? [family] : []),
      c.onSamples(({ monitorId, value }) => {
        if (mine(monitorId) && this.canPost()) this.batcher.add(value);
      }),
      c.onVerdict(({ monitorId, value }) => mine(monitorId) && this.postInOrder({ type: 'verdict', verdict: value })),
      c.onState(({ monitorId, value }) => {
        if (!mine(monitorId)) return;
        this.postInOrder({ type: 'state', state: value.state, ...(value.summary !== undefined ? { summary: value.summary } : {}) });
        this.updateTitle();
      }),
      c.onEvent(({ monitorId, value }) => mine(monitorId) && this.postInOrder({ type: 'event', event: value })),
      c.onProbe(({ monitorId, value }) => {
        if (!mine(monitorId)) return;
        this.allowLocations(value.sites);
        this.postInOrder({ type: 'probe', probe: value });
      }),
      c.onMonitorChanged((monitor) => {
        if (!mine(monitor.id)) return;
        this.postInOrder({ type: 'monitor', monitor });
        this.updateTitle();
      }),
      ...(c.onDecomposition ? [c.onDecomposition(({ monitorId, value }) => mine(monitorId) && this.post({ type: 'decomposition', decomposition: value }))] : []),
    ];
  }

  private onViewStateChanged(): void {
    if (this.panel.visible) {
      // A hidden webview is torn down and says `ready` again once reloaded. Posting now as well
      // costs one message at most and keeps a webview that kept its page from going stale.
      this.ready = true;
      this.postInit();
    } else {
      this.ready = false;
      this.batcher.discard();
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = this.parse(raw);
    if (!message) return;
    try {
      await this.handle(message);
    } catch (error) {
      this.showError(errorMessage(error));
    }
  }

  private parse(raw: unknown): FromWebviewMessage | undefined {
    const message = parseFromWebview(raw);
    if (!message) this.deps.log.warn(`memory panel: ignored an unknown or malformed message ${describeRejected(raw)}`);
    return message;
  }

  private async handle(m: FromWebviewMessage): Promise<void> {
    const c = this.deps.controller;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.postInit();
        return;
      case 'pause':
        return this.onLive((id) => c.pause(id));
      case 'resume':
        return this.onLive((id) => c.resume(id));
      case 'detach':
        return this.onLive((id) => c.detach(id));
      case 'setInterval':
        return this.onLive((id) => c.setIntervalMs(id, m.ms));
      case 'markFixApplied':
        return this.onLive((id) => c.markFixApplied(id));
      case 'runGc':
        return this.onLive((id) => c.runGc(id));
      case 'runMallocTrim':
        return this.onLive((id) => c.runMallocTrim(id));
      case 'findGrowing':
        return this.onLive((id) => c.findGrowing(id));
      case 'exportTrace':
        return this.exportTrace(m.format);
      case 'openTrace':
        return this.openTrace();
      case 'compareTrace':
        return this.compareTrace();
      case 'clearComparison':
        this.comparison = null;
        this.post({ type: 'comparison', comparison: null });
        return;
      case 'openLocation':
        return this.openLocation(m.file, m.line);
      default:
        assertNever(m);
    }
  }

  private async onLive(action: (monitorId: string) => void | Promise<void>): Promise<void> {
    if (this.source.kind !== 'live') throw new Error(vscode.l10n.t('This panel shows a recording: there is no process to act on.'));
    await action(this.source.monitorId);
  }

  private postInit(): void {
    if (!this.canPost()) return;
    this.batcher.discard();
    for (const message of this.initMessages()) this.post(message);
  }

  /** `init`, then the process's family when it was attached with its workers. */
  private initMessages(): HostMessage[] {
    if (this.source.kind === 'recording') {
      const { monitor, samples, events, verdict } = this.source;
      return [{ type: 'init', monitor, samples, events, verdict, probe: null, comparison: this.comparison ?? null }];
    }
    const snapshot = this.deps.controller.getSnapshot(this.source.monitorId);
    if (!snapshot) {
      this.post({ type: 'error', text: vscode.l10n.t('This monitor is no longer available; the panel shows what it saved.') });
      return [];
    }
    this.allowLocations(snapshot.probe?.sites ?? []);
    const init: HostMessage = {
      type: 'init',
      monitor: snapshot.monitor,
      samples: snapshot.samples,
      events: [...snapshot.events],
      verdict: snapshot.verdict ?? null,
      probe: snapshot.probe ?? null,
      comparison: this.comparison === undefined ? snapshot.comparison ?? null : this.comparison,
      ...(snapshot.decomposition ? { decomposition: snapshot.decomposition } : {}),
    };
    return snapshot.family ? [init, { type: 'family', family: snapshot.family }] : [init];
  }

  private async exportTrace(format: TraceFormat): Promise<void> {
    const trace = this.currentTrace();
    const uri = await saveTrace(trace, format, suggestedTraceName(trace.pid));
    if (uri) void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: trace saved to {0}', uri.fsPath || uri.path));
  }

  private currentTrace(): ReturnType<typeof traceFromColumns> {
    if (this.source.kind === 'recording') return traceFromColumns(this.source.samples, this.source.events, this.source.monitor);
    const snapshot = this.deps.controller.getSnapshot(this.source.monitorId);
    if (!snapshot) throw new Error(vscode.l10n.t('This monitor is no longer available, so there is nothing to export.'));
    return traceFromColumns(unpackColumns(snapshot.samples), snapshot.events, snapshot.monitor);
  }

  private async openTrace(): Promise<void> {
    const loaded = await this.pickOrReport(vscode.l10n.t('Open memory trace'));
    if (loaded) this.deps.showTrace(loaded);
  }

  private async compareTrace(): Promise<void> {
    const loaded = await this.pickOrReport(vscode.l10n.t('Compare with memory trace'));
    if (!loaded) return;
    this.comparison = comparisonFromOpened(loaded.trace, loaded.label);
    this.post({ type: 'comparison', comparison: this.comparison });
  }

  /** File errors go to a notification: the dialog was the user's last view, not the panel. */
  private async pickOrReport(title: string): Promise<LoadedTrace | undefined> {
    try {
      return await pickTrace(title, this.deps.extensionUri);
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
      return undefined;
    }
  }

  private async openLocation(file: string, line: number): Promise<void> {
    // A webview is a web page: it may only open what the probe reported, nothing it makes up.
    if (!this.openableLocations.has(`${file}:${line}`)) {
      this.deps.log.warn(`memory panel: refused to open ${file}:${line}, which no probe reported`);
      return;
    }
    const position = new vscode.Position(line - 1, 0);
    const beside = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), viewColumn: beside, preview: true });
  }

  private allowLocations(sites: readonly { file: string; line: number }[]): void {
    for (const site of sites) this.openableLocations.add(`${site.file}:${site.line}`);
  }

  private updateTitle(): void {
    if (this.source.kind === 'recording') {
      this.panel.title = vscode.l10n.t('Memory: {0}', this.source.monitor.title);
      return;
    }
    const monitor = this.deps.controller.getMonitor(this.source.monitorId);
    const state = monitor && monitor.state !== 'running' ? ` (${monitor.state})` : '';
    this.panel.title = `${vscode.l10n.t('Memory: {0}', monitor?.title ?? this.source.monitorId)}${state}`;
  }

  private canPost(): boolean {
    return !this.disposed && this.ready && this.panel.visible;
  }

  /** Pending samples first, so the webview sees events in the order they happened. */
  private postInOrder(message: ToWebviewMessage): void {
    if (!this.canPost()) return;
    this.batcher.flushNow();
    this.post(message);
  }

  private post(message: HostMessage): void {
    if (!this.canPost()) return;
    void this.panel.webview.postMessage(packForPosting(message));
  }

  private showError(text: string): void {
    this.deps.log.error(`memory panel: ${text}`);
    if (this.canPost()) this.post({ type: 'error', text: text.slice(0, 10_000) });
    else void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: {0}', text));
  }
}
