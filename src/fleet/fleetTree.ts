// The "Leakscope Fleet" tree view: one row per series of the fleet last read, in the core's
// order (leaking first, then by slope). Holds the rows and where they came from; reading them is
// fleetCommands.ts's job.
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

  /** Shows these rows (and the view); `title` says where they came from. */
  async show(rows: readonly FleetRow[], message: string): Promise<void> {
    this.shown = rows;
    this.view.message = message;
    this.changed.fire();
    await vscode.commands.executeCommand('setContext', FLEET_OPEN_CONTEXT, true);
  }

  /** Empties and hides the view. */
  async close(): Promise<void> {
    this.shown = [];
    this.view.message = undefined;
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
