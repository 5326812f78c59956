// What activate() returns: a small read-only view for tests and other extensions.
import type { ActivationTimes } from './activationClock';
import { HoldsPerSession } from './core/events';
import { activeTickGroups } from './core/sampling/ticker';
import { WatchSession } from './core/session';
import { LeakDiagnostics } from './diagnostics/leakDiagnostics';
import { FamilyManager } from './monitors/familyManager';
import { MonitorManager } from './monitors/monitorManager';
import { MemoryStatusBar } from './statusBar';
import { DecompositionUpdate } from './core/shared/decomposition';
import type { MonitorLimits } from './core/protocol';
import { PanelController, RecordingShown } from './panel';
import type { FleetState } from './fleet/fleetCommands';
import type { FleetTree } from './fleet/fleetTree';
import type { OpenMetricsExporter, OpenMetricsState } from './monitors/openMetricsExporter';

/** One row of the fleet view as the tree shows it (its TreeItem's texts and icon). */
export interface FleetItemView {
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  iconColor?: string;
  class: string;
  /** What clicking the row runs. */
  click?: { command: string; arguments: unknown[] };
}

export interface FleetView {
  source?: FleetState['source'];
  items: FleetItemView[];
  lastError?: string;
}

export interface SessionView {
  id: string;
  pid: number;
  state: string;
  samples: number;
  latestRssBytes: number | undefined;
  verdict: string;
  /** When it follows an exited run of the same program ("Watch next run"): that run's pid and how the slopes compare. */
  previousRun?: { pid: number; outcome: string };
  /** When it was attached with its workers: the live members (itself included) and the summary. */
  family?: { members: { pid: number; label: string; verdict: string }[]; summary: string };
}

export interface LeakscopeApi {
  sessions(): SessionView[];
  /** The status-bar item's text, or undefined while it is hidden. */
  statusBarText(): string | undefined;
  /** Its background's theme colour id (`statusBarItem.warningBackground`…), undefined for none. */
  statusBarBackground(): string | undefined;
  /** Its tooltip's markdown (RSS, trend, the limit that applies…), undefined while hidden. */
  statusBarTooltip(): string | undefined;
  /**
   * What the memory panel of session `id` would draw as RSS's parts (anon / file / shmem / swap,
   * every few seconds) and the diagnosis of the growth: the panel controller's snapshot of them.
   */
  panelDecomposition(id: string): DecompositionUpdate | undefined;
  /** The limits the memory panel of session `id` draws (its memory line's place, label and description). */
  panelLimits(id: string): MonitorLimits | undefined;
  /** Resolves once the rule engine (tree-sitter grammars) is loaded. */
  rulesReady(): Promise<void>;
  /**
   * What the extension holds for watched processes ("manager.sessions": 1, "ticks": 1…): after
   * every monitor is detached and its panel closed, the same as before attaching (leak tests).
   */
  heldCounts(): Record<string, number>;
  /** What loading and activating cost the extension itself, ms (see activationClock.ts). */
  readonly activation: ActivationTimes;
  /** The fleet view: where it read from, its rows as the tree draws them (in order), the last error. */
  fleet(): FleetView;
  /**
   * The /metrics server of setting leakscope.openMetrics.listen, once the settings of this moment
   * are applied: its URL while serving, or why it could not serve.
   */
  openMetrics(): Promise<OpenMetricsState>;
  /** The panels of opened recordings (trace files, fleet series): title, summary and the verdict each shows. */
  recordings(): RecordingShown[];
}

export function createApi(
  manager: MonitorManager,
  statusBar: MemoryStatusBar,
  diagnostics: LeakDiagnostics,
  holders: Record<string, HoldsPerSession>,
  activation: ActivationTimes,
  panel: Pick<PanelController, 'getSnapshot' | 'getMonitor'>,
  families?: FamilyManager,
  fleet?: { state(): FleetState; tree: FleetTree },
  openMetrics?: OpenMetricsExporter,
  recordings: () => RecordingShown[] = () => [],
): LeakscopeApi {
  return {
    recordings,
    openMetrics: async () => {
      await openMetrics?.apply();
      return openMetrics?.state() ?? {};
    },
    fleet: () => fleetView(fleet),
    activation,
    sessions: () => manager.all.map((s) => ({
      id: s.id,
      pid: s.target.pid,
      state: s.monitor.state,
      samples: s.monitor.history.length,
      latestRssBytes: s.monitor.history.latest()?.rssBytes,
      verdict: s.verdict.class,
      ...previousRun(s),
      ...familyOf(s, families),
    })),
    statusBarText: () => statusBar.visibleText,
    statusBarBackground: () => statusBar.backgroundColorId,
    statusBarTooltip: () => statusBar.tooltipMarkdown,
    panelDecomposition: (id) => panel.getSnapshot(id)?.decomposition,
    panelLimits: (id) => panel.getMonitor(id)?.limits,
    rulesReady: async () => { await diagnostics.engine(); },
    heldCounts: () => heldCounts({ manager, ...holders }),
  };
}

function heldCounts(holders: Record<string, HoldsPerSession>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [owner, holder] of Object.entries(holders)) {
    for (const [what, n] of Object.entries(holder.heldCounts())) counts[`${owner}.${what}`] = n;
  }
  counts.ticks = [...activeTickGroups().values()].reduce((sum, n) => sum + n, 0);
  return counts;
}

function familyOf(session: WatchSession, families: FamilyManager | undefined): Pick<SessionView, 'family'> {
  const view = families?.view(session.id);
  if (!view) return {};
  const members = view.members.filter((m) => m.live).map((m) => ({ pid: m.pid, label: m.label, verdict: m.verdict }));
  return { family: { members, summary: view.summary } };
}

function previousRun(session: WatchSession): Pick<SessionView, 'previousRun'> {
  const run = session.previousRun;
  const comparison = session.rerunComparison();
  return run && comparison ? { previousRun: { pid: run.pid, outcome: comparison.outcome } } : {};
}

function fleetView(fleet: { state(): FleetState; tree: FleetTree } | undefined): FleetView {
  if (!fleet) return { items: [] };
  const state = fleet.state();
  const items = fleet.tree.getChildren().map((row) => {
    const item = fleet.tree.getTreeItem(row);
    const icon = item.iconPath as { id: string; color?: { id: string } };
    return {
      label: String(item.label),
      description: String(item.description),
      tooltip: String(item.tooltip),
      icon: icon.id,
      ...(icon.color ? { iconColor: icon.color.id } : {}),
      class: row.class,
      ...(item.command ? { click: { command: item.command.command, arguments: item.command.arguments ?? [] } } : {}),
    };
  });
  return { ...(state.source ? { source: state.source } : {}), items, ...(state.lastError ? { lastError: state.lastError } : {}) };
}
