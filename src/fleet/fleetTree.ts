// The Fleet view (in the Leakscope view container of the activity bar, shown once a fleet is
// open: a fleet can be long, and the explorer leaves a view a few rows): one row per series of
// the fleet last read, in the core's order (leaking first, then by slope). It holds the rows;
// reading them is fleetCommands.ts's job.
import * as vscode from 'vscode';
import { FleetRow, seriesKey } from '../core/fleet';
import { DisposableBase } from '../core/events';
import { classIcon, rowDescription, rowTooltip } from './rowText';

export const FLEET_VIEW_ID = 'leakscope.fleet';
/** The context key that shows the view (package.json's `when`). */
export const FLEET_OPEN_CONTEXT = 'leakscope.fleetOpen';
export const OPEN_SERIES_COMMAND = 'leakscope.openFleetSeries';

export class FleetTree extends DisposableBase implements vscode.TreeDataProvider<FleetRow>, vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private shown: readonly FleetRow[] = [];
  private readonly view: vscode.TreeView<FleetRow>;

  constructor() {
    super();
    this.view = this.register(vscode.window.createTreeView(FLEET_VIEW_ID, { treeDataProvider: this, showCollapseAll: false }));
  }

  get rows(): readonly FleetRow[] {
    return this.shown;
  }

  /** Shows these rows (and the view), with a message above them and a description (where they came from) beside its title. */
  async show(rows: readonly FleetRow[], message: string, description: string): Promise<void> {
    this.shown = rows;
    this.view.message = message;
    this.view.description = description;
    this.changed.fire();
    await vscode.commands.executeCommand('setContext', FLEET_OPEN_CONTEXT, true);
  }

  /** Empties and hides the view. */
  async close(): Promise<void> {
    this.shown = [];
    this.view.message = undefined;
    this.view.description = undefined;
    this.changed.fire();
    await vscode.commands.executeCommand('setContext', FLEET_OPEN_CONTEXT, false);
  }

  getChildren(element?: FleetRow): FleetRow[] {
    return element ? [] : [...this.shown];
  }

  getTreeItem(row: FleetRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
    item.id = seriesKey(row.labels);
    item.description = rowDescription(row);
    item.tooltip = rowTooltip(row);
    const icon = classIcon(row.class);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = `fleetSeries.${row.class}`;
    item.command = { command: OPEN_SERIES_COMMAND, title: 'Open in the memory panel', arguments: [row] };
    return item;
  }
}
