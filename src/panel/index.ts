// The memory panels of the extension: one per live monitor (revealed, not duplicated, when
// asked again) and one per opened recording. Registered once at activation with the
// serializer that brings panels back after VS Code reloads.
//
// Why one panel per monitor rather than one panel with a picker: each panel's saved state is
// then exactly one monitor (what the serializer needs to re-attach or show the saved trace),
// two processes can be watched side by side in editor columns, and closing a tab says
// unambiguously which monitor the user no longer looks at (PanelController.panelClosed).
import * as vscode from 'vscode';
import { DisposableBase, HoldsPerSession, toDisposable } from '../core/events';
import { PanelState, parsePanelState } from '../core/protocol';
import { MEMORY_PANEL_VIEW_TYPE, MemoryPanel, PanelSource, createWebviewPanel } from './memoryPanel';
import { LoadedTrace, pickTrace, readTrace } from './traceFiles';
import { OpenedTrace, openedTrace, traceDescriptor, traceProblem } from './traceView';
import { Trace } from '../core/model';
import { columnsOf } from '../core/trace/stream';
import { PanelController, PanelLog } from './types';
import { errorMessage } from '../core/errorMessage';

export type { PanelController, PanelLog, MonitorSnapshot, SavedMonitor, MonitorUpdate } from './types';
export { MEMORY_PANEL_VIEW_TYPE } from './memoryPanel';

/**
 * The panel registry. Make one during activation (its panel serializer must exist before VS Code
 * restores panels) and push it to context.subscriptions; the composition root holds it, and
 * everything that opens a panel is handed it.
 */
export class MemoryPanels extends DisposableBase implements vscode.Disposable, HoldsPerSession {
  private readonly live = new Map<string, MemoryPanel>();
  private readonly panels = new Set<MemoryPanel>();
  private recordings = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
    private readonly log: PanelLog,
  ) {
    super();
    // Registered first, so released last: the serializer goes before the panels close.
    this.register(toDisposable(() => [...this.panels].forEach((panel) => panel.dispose())));
    this.register(
      vscode.window.registerWebviewPanelSerializer(MEMORY_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state),
      }),
    );
  }

  /** Opens (or reveals) the panel of a live monitor. */
  show(monitorId: string): void {
    const existing = this.live.get(monitorId);
    if (existing) {
      existing.reveal();
      return;
    }
    const title = this.controller.getMonitor(monitorId)?.title ?? 'monitor';
    this.track(new MemoryPanel(createWebviewPanel(this.extensionUri, `Memory: ${title}`), { kind: 'live', monitorId }, this.deps()));
  }

  /** "Open memory trace…": asks for a file (or takes one) and shows it in a new panel. */
  async openTrace(uri?: vscode.Uri): Promise<void> {
    try {
      const loaded = uri ? await readTrace(uri) : await pickTrace('Open memory trace');
      if (loaded) this.showTrace(loaded);
    } catch (error) {
      // A malformed or huge file: say why, open nothing.
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }

  heldCounts(): Record<string, number> {
    return { open: this.panels.size, live: this.live.size };
  }

  /**
   * Shows a trace that did not come from a file (a series of a Prometheus fleet) in a new panel,
   * as "Open memory trace…" shows a file's. Throws, saying why, when the panel could not draw it.
   */
  showRecording(trace: Trace, label: string): void {
    const opened = openedTrace(columnsOf(trace));
    const problem = traceProblem(opened);
    if (problem) throw new Error(`Could not show ${label}: ${problem}`);
    this.showOpened(opened, label);
  }

  /** A file read by readTrace, already checked there. */
  private showTrace(loaded: LoadedTrace): void {
    this.showOpened(loaded.trace, loaded.label);
  }

  private showOpened(trace: OpenedTrace, label: string): void {
    const id = `trace-${++this.recordings}`;
    const source: PanelSource = {
      kind: 'recording',
      monitor: traceDescriptor(trace, id, label),
      samples: trace.samples,
      events: trace.events,
      verdict: trace.verdict,
    };
    this.track(new MemoryPanel(createWebviewPanel(this.extensionUri, `Memory: ${label}`), source, this.deps()));
  }

  /** After a reload: re-attach to the process if it still lives, else show what was saved. */
  private async restore(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const saved = parsePanelState(raw);
    if (!saved) {
      this.log.warn('memory panel: the saved state could not be restored; closing the panel');
      panel.dispose();
      return;
    }
    const monitorId = await this.reattach(saved);
    if (monitorId && this.live.has(monitorId)) {
      // Already shown (e.g. opened on attach): one panel per monitor.
      panel.dispose();
      this.live.get(monitorId)?.reveal();
      return;
    }
    const source: PanelSource = monitorId ? { kind: 'live', monitorId } : savedRecording(saved);
    this.track(new MemoryPanel(panel, source, this.deps()));
  }

  private async reattach(saved: PanelState): Promise<string | undefined> {
    const m = saved.monitor;
    if (m.kind !== 'live' || (m.state !== 'running' && m.state !== 'paused')) return undefined;
    try {
      return await this.controller.reattach({ monitorId: m.id, ...(m.pid !== undefined ? { pid: m.pid } : {}), command: m.command, startedMs: m.startedMs });
    } catch (error) {
      this.log.warn(`memory panel: could not re-attach to ${m.title}: ${String(error)}`);
      return undefined;
    }
  }

  private track(panel: MemoryPanel): void {
    this.panels.add(panel);
    if (panel.monitorId) this.live.set(panel.monitorId, panel);
  }

  private deps(): ConstructorParameters<typeof MemoryPanel>[2] {
    return {
      controller: this.controller,
      extensionUri: this.extensionUri,
      log: this.log,
      showTrace: (loaded) => this.showTrace(loaded),
      onDidDispose: (panel) => this.forget(panel),
    };
  }

  private forget(panel: MemoryPanel): void {
    this.panels.delete(panel);
    const id = panel.monitorId;
    if (id && this.live.get(id) === panel) {
      this.live.delete(id);
      this.controller.panelClosed?.(id);
    }
  }
}

/** A restored panel whose process is gone: the saved (thinned) trace, marked as such. */
function savedRecording(saved: PanelState): PanelSource {
  const wasLive = saved.monitor.kind === 'live';
  const monitor = {
    ...saved.monitor,
    state: wasLive && (saved.monitor.state === 'running' || saved.monitor.state === 'paused') ? ('detached' as const) : saved.monitor.state,
    ...(wasLive
      ? { summary: `Restored after VS Code reloaded: the process is gone or could not be attached again. This is the trace the panel saved (${saved.samples.t.length.toLocaleString('en-US')} points, thinned).` }
      : {}),
    kind: 'trace' as const,
  };
  return { kind: 'recording', monitor, samples: saved.samples, events: saved.events, verdict: saved.verdict };
}
