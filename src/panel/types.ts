// What the memory panel needs from the rest of the extension. The lead's monitor manager
// implements PanelController; the panel never touches a ProcessMonitor directly. Events use
// the VS Code–free Event shape of src/core/events.ts (a vscode.Event fits it as well).
import { Event } from '../core/events';
import { GrowthVerdict, MemorySample, MonitorEvent } from '../core/model';
import { ComparisonTrace, FamilyView, MonitorDescriptor, MonitorState, ProbeReport } from '../core/protocol';
import { AnySampleColumns } from '../core/shared/columns';
import { DecompositionUpdate } from '../core/shared/decomposition';

/** Everything the panel shows about one monitor, at the moment it is asked. */
export interface MonitorSnapshot {
  monitor: MonitorDescriptor;
  /** All samples kept (full resolution plus downsampled history), oldest first, as the panel's columns (packed from a live history). */
  samples: AnySampleColumns;
  events: readonly MonitorEvent[];
  verdict?: GrowthVerdict;
  probe?: ProbeReport;
  /** Shown over the chart unless the user picks another trace: the previous run of the program. */
  comparison?: ComparisonTrace;
  /** When the process was attached with its workers: the family's members, total and summary. */
  family?: FamilyView;
  /** What RSS is made of so far (every few seconds), and why it grows, when it is read. */
  decomposition?: DecompositionUpdate;
}

/** Identifies a monitor a restored panel showed before VS Code reloaded. */
export interface SavedMonitor {
  monitorId: string;
  pid?: number;
  command: string;
  startedMs: number;
}

export interface MonitorUpdate<T> {
  monitorId: string;
  value: T;
}

export interface PanelController {
  /**
   * The monitor's current picture, or undefined if there is no such monitor. Keep answering for
   * exited and detached monitors while a panel shows them (see panelClosed).
   */
  getSnapshot(monitorId: string): MonitorSnapshot | undefined;

  /** Just the monitor's descriptor (title, state, interval, limits): cheap, for titles; undefined as getSnapshot. */
  getMonitor(monitorId: string): MonitorDescriptor | undefined;

  /** New samples, one or many at a time: the panel batches them for the webview. */
  readonly onSamples: Event<MonitorUpdate<readonly MemorySample[]>>;
  readonly onVerdict: Event<MonitorUpdate<GrowthVerdict | null>>;
  readonly onState: Event<MonitorUpdate<{ state: MonitorState; summary?: string }>>;
  readonly onEvent: Event<MonitorUpdate<MonitorEvent>>;
  readonly onProbe: Event<MonitorUpdate<ProbeReport>>;
  /** Interval, limits or title changed. */
  readonly onMonitorChanged: Event<MonitorDescriptor>;
  /** A family's picture changed (only controllers that watch families have it). */
  readonly onFamily?: Event<MonitorUpdate<FamilyView>>;
  /** New decomposition readings (appended) and the diagnosis now; a controller that reads none omits it. */
  readonly onDecomposition?: Event<MonitorUpdate<DecompositionUpdate>>;

  // Actions from the panel's buttons. A thrown Error's message is shown to the user as is.
  pause(monitorId: string): void | Promise<void>;
  resume(monitorId: string): void | Promise<void>;
  detach(monitorId: string): void | Promise<void>;
  setIntervalMs(monitorId: string, ms: number): void | Promise<void>;
  markFixApplied(monitorId: string): void | Promise<void>;
  runGc(monitorId: string): void | Promise<void>;
  runMallocTrim(monitorId: string): void | Promise<void>;
  findGrowing(monitorId: string): void | Promise<void>;

  /**
   * After VS Code reloaded: attach again if the saved process still lives (same pid and
   * command) and return the new monitor id; undefined to show the saved trace instead.
   */
  reattach(saved: SavedMonitor): Promise<string | undefined>;

  /** The last panel showing this monitor closed: a finished monitor may now be forgotten. */
  panelClosed?(monitorId: string): void;
}

/** Where the panel logs what it ignored or failed at (a vscode.LogOutputChannel fits). */
export interface PanelLog {
  warn(message: string): void;
  error(message: string): void;
}
