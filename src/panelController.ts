// Implements the panel's PanelController over the MonitorManager: snapshots, live updates
// and the panel's buttons. Keeps the last picture of a detached monitor until its panel closes.
import * as vscode from 'vscode';
import { readProcessInfo, shortCommand } from './core/discovery';
import { DisposableBase, Event, EventEmitter, HoldsPerSession } from './core/events';
import { GrowthVerdict, MemorySample, MonitorEvent } from './core/model';
import { MonitorState as CoreState } from './core/monitor';
import type { ProbeResult } from './core/probe/types';
import { ComparisonTrace, FamilyView, MonitorDescriptor, MonitorState, ProbeReport } from './core/protocol';
import { ProcReading } from './core/memory/diagnose';
import { copyDecomposition, DecompositionUpdate } from './core/shared/decomposition';
import { WatchSession } from './core/session';
import { FamilyManager } from './monitors/familyManager';
import { MonitorManager } from './monitors/monitorManager';
import { MonitorSnapshot, MonitorUpdate, PanelController, SavedMonitor } from './panel';
import { panelMemoryLimit } from './panel/memoryLimit';
import { comparisonFromTrace } from './panel/traceView';

/** The probe buttons of the panel: ProbeCommands, which also reports each probe's result. */
export interface ProbeActions {
  findGrowing(sessionId: string): Promise<unknown>;
  runGc(sessionId: string): Promise<unknown>;
  runMallocTrim(sessionId: string): Promise<unknown>;
  readonly onDidProbe: Event<{ sessionId: string; result: ProbeResult }>;
}

export class SessionPanelController extends DisposableBase implements PanelController, HoldsPerSession {
  private readonly samplesEmitter = this.register(new EventEmitter<MonitorUpdate<readonly MemorySample[]>>());
  private readonly verdictEmitter = this.register(new EventEmitter<MonitorUpdate<GrowthVerdict | null>>());
  private readonly stateEmitter = this.register(new EventEmitter<MonitorUpdate<{ state: MonitorState; summary?: string }>>());
  private readonly eventEmitter = this.register(new EventEmitter<MonitorUpdate<MonitorEvent>>());
  private readonly probeEmitter = this.register(new EventEmitter<MonitorUpdate<ProbeReport>>());
  private readonly monitorEmitter = this.register(new EventEmitter<MonitorDescriptor>());
  private readonly familyEmitter = this.register(new EventEmitter<MonitorUpdate<FamilyView>>());
  private readonly decompositionEmitter = this.register(new EventEmitter<MonitorUpdate<DecompositionUpdate>>());
  readonly onSamples = this.samplesEmitter.event;
  readonly onVerdict = this.verdictEmitter.event;
  readonly onState = this.stateEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  readonly onProbe = this.probeEmitter.event;
  readonly onMonitorChanged = this.monitorEmitter.event;
  readonly onFamily = this.familyEmitter.event;
  readonly onDecomposition = this.decompositionEmitter.event;

  private readonly probes = new Map<string, ProbeReport>();
  /** Detached sessions' last picture, kept while a panel may show it. */
  private readonly retired = new Map<string, MonitorSnapshot>();

  constructor(
    private readonly manager: MonitorManager,
    private readonly probeActions: ProbeActions,
    private readonly families?: FamilyManager,
  ) {
    super();
    if (families) this.register(families.onDidChange(({ sessionId, view }) => this.familyEmitter.fire({ monitorId: sessionId, value: view })));
    this.register(manager.forEachSession((s) => this.watch(s), (s) => this.retire(s)));
    this.register(probeActions.onDidProbe(({ sessionId, result }) => this.showProbe(sessionId, result)));
  }

  getSnapshot(monitorId: string): MonitorSnapshot | undefined {
    const session = this.manager.get(monitorId);
    if (!session) return this.retired.get(monitorId);
    const probe = this.probes.get(monitorId);
    const family = this.families?.view(monitorId);
    return {
      monitor: descriptor(session),
      samples: session.monitor.history.toPackedColumns(),
      events: session.monitor.events,
      verdict: withComparisons(session),
      ...(probe ? { probe } : {}),
      ...(family ? { family } : {}),
      ...previousRunOverlay(session),
      ...decompositionOf(session),
    };
  }

  getMonitor(monitorId: string): MonitorDescriptor | undefined {
    const session = this.manager.get(monitorId);
    return session ? descriptor(session) : this.retired.get(monitorId)?.monitor;
  }

  /** A probe's result, for the panel's table. */
  private showProbe(monitorId: string, result: ProbeResult): void {
    const report: ProbeReport = { status: 'done', startedMs: Date.now() - result.durationMs, sites: result.sites.slice(0, 50), notes: result.notes };
    this.probes.set(monitorId, report);
    this.probeEmitter.fire({ monitorId, value: report });
  }

  pause(id: string): void {
    this.session(id).monitor.pause();
  }

  resume(id: string): void {
    this.session(id).monitor.resume();
  }

  detach(id: string): void {
    this.manager.detach(id);
  }

  setIntervalMs(id: string, ms: number): void {
    const session = this.session(id);
    session.monitor.setIntervalMs(ms);
    this.monitorEmitter.fire(descriptor(session));
  }

  markFixApplied(id: string): void {
    this.session(id).markFixApplied('Fix applied (marked in the panel)');
  }

  async runGc(id: string): Promise<void> {
    await this.probeActions.runGc(this.session(id).id);
  }

  async runMallocTrim(id: string): Promise<void> {
    await this.probeActions.runMallocTrim(this.session(id).id);
  }

  async findGrowing(id: string): Promise<void> {
    await this.probeActions.findGrowing(this.session(id).id);
  }

  async reattach(saved: SavedMonitor): Promise<string | undefined> {
    if (saved.pid === undefined) return undefined;
    try {
      const info = await readProcessInfo(saved.pid);
      if (info.argv.join(' ') !== saved.command) return undefined;
      return (await this.manager.attach(info)).id;
    } catch {
      return undefined;
    }
  }

  heldCounts(): Record<string, number> {
    const emitters = [this.samplesEmitter, this.verdictEmitter, this.stateEmitter, this.eventEmitter, this.probeEmitter, this.monitorEmitter, this.familyEmitter, this.decompositionEmitter];
    return {
      retired: this.retired.size,
      probes: this.probes.size,
      listeners: emitters.reduce((sum, e) => sum + e.listenerCount, 0),
    };
  }

  panelClosed(monitorId: string): void {
    this.retired.delete(monitorId);
    this.probes.delete(monitorId);
  }

  private session(id: string): WatchSession {
    const session = this.manager.get(id);
    if (!session) throw new Error(vscode.l10n.t('This monitor is detached: attach again to watch the process.'));
    return session;
  }

  private watch(session: WatchSession): vscode.Disposable[] {
    const id = session.id;
    const m = session.monitor;
    return [
      m.onSample((s) => this.samplesEmitter.fire({ monitorId: id, value: [s] })),
      m.onEvent((e) => this.eventEmitter.fire({ monitorId: id, value: e })),
      m.onStateChange((state) => this.stateEmitter.fire({ monitorId: id, value: { state: panelState(state), ...summary(session) } })),
      session.onVerdict(() => this.verdictEmitter.fire({ monitorId: id, value: withComparisons(session) })),
      session.onDecomposition((reading) => this.fireDecomposition(session, reading)),
      // The limit line moves with the limit the watcher found (every 30 s at most), when a panel listens.
      session.onApplicableLimit(() => this.monitorEmitter.listenerCount > 0 && this.monitorEmitter.fire(descriptor(session))),
    ];
  }

  /** The diagnosis is only worked out when a panel listens (it is cheap, but 100 sessions…). */
  private fireDecomposition(session: WatchSession, reading: ProcReading): void {
    if (this.decompositionEmitter.listenerCount === 0) return;
    const p = reading.proc;
    const readings = { t: [reading.tMs], anon: [p.anonBytes], file: [p.fileBytes], shmem: [p.shmemBytes], swap: [p.swapBytes] };
    this.decompositionEmitter.fire({ monitorId: session.id, value: { readings, diagnosis: session.growthDiagnosis() ?? null } });
  }

  private retire(session: WatchSession): void {
    const snapshot = this.getSnapshot(session.id);
    if (!snapshot) return;
    const state: MonitorState = snapshot.monitor.state === 'exited' ? 'exited' : 'detached';
    this.retired.set(session.id, { ...snapshot, monitor: { ...snapshot.monitor, state } });
    this.stateEmitter.fire({ monitorId: session.id, value: { state, summary: state === 'detached' ? vscode.l10n.t('Detached: sampling stopped. The trace stays until this panel closes.') : snapshot.monitor.summary ?? '' } });
  }
}

function descriptor(session: WatchSession): MonitorDescriptor {
  const m = session.monitor;
  const limits = session.limitOptions;
  return {
    id: session.id,
    kind: 'live',
    pid: session.target.pid,
    title: shortCommand(session.target),
    command: session.target.argv.join(' '),
    state: panelState(m.state),
    ...summary(session),
    startedMs: m.startedAtMs,
    limits: {
      // The limit the session's watcher found: the one the notices and the status bar name.
      ...panelMemoryLimit(session.applicableLimit, limits.memoryBytes),
      ...(limits.durationMs !== undefined ? { durationMs: limits.durationMs } : {}),
    },
    intervalMs: m.intervalMs,
    warnAtFraction: limits.warnAtFraction,
  };
}

function summary(session: WatchSession): { summary?: string } {
  const exit = session.monitor.exitSummary;
  return exit ? { summary: exit.message } : {};
}

function panelState(state: CoreState): MonitorState {
  return state === 'idle' ? 'running' : state;
}

/** After "fix applied", or in the next run of a program, the verdict also says whether the slope went flat. */
function withComparisons(session: WatchSession): GrowthVerdict {
  const verdict = session.verdict;
  const parts = [verdict.explanation];
  const rerun = session.rerunComparison();
  if (rerun && session.previousRun) parts.push(vscode.l10n.t('Against the previous run (pid {0}): {1}', session.previousRun.pid, rerun.explanation));
  const fix = session.fixComparison();
  if (fix) parts.push(vscode.l10n.t('Since the fix: {0}', fix.explanation));
  return parts.length > 1 ? { ...verdict, explanation: parts.join(' · ') } : verdict;
}

function decompositionOf(session: WatchSession): { decomposition?: DecompositionUpdate } {
  const readings = session.decomposition;
  if (readings.t.length === 0) return {};
  return { decomposition: { readings: copyDecomposition(readings), diagnosis: session.growthDiagnosis() ?? null } };
}

function previousRunOverlay(session: WatchSession): { comparison?: ComparisonTrace } {
  const run = session.previousRun;
  if (!run) return {};
  return { comparison: comparisonFromTrace({ pid: run.pid, samples: [...run.samples], events: [...run.events] }, vscode.l10n.t('previous run (pid {0})', run.pid)) };
}
