// Typed command ids, one place (as vscode-js-debug's contributionUtils): package.json
// contributes exactly these, a test checks both directions.
import * as vscode from 'vscode';

export const Commands = {
  attach: 'leakscope.attach',
  attachPid: 'leakscope.attachPid',
  attachDebuggee: 'leakscope.attachDebuggee',
  attachTerminal: 'leakscope.attachTerminal',
  runWithMonitor: 'leakscope.runWithMonitor',
  watchNextRun: 'leakscope.watchNextRun',
  restartAndCompare: 'leakscope.restartAndCompare',
  detach: 'leakscope.detach',
  detachAll: 'leakscope.detachAll',
  showPanel: 'leakscope.showPanel',
  openTrace: 'leakscope.openTrace',
  markFixApplied: 'leakscope.markFixApplied',
  scanWorkspace: 'leakscope.scanWorkspace',
  findGrowing: 'leakscope.findGrowing',
  runGc: 'leakscope.runGc',
  runMallocTrim: 'leakscope.runMallocTrim',
  openFleet: 'leakscope.openFleet',
  setPrometheusCredentials: 'leakscope.setPrometheusCredentials',
  refreshFleet: 'leakscope.refreshFleet',
  closeFleet: 'leakscope.closeFleet',
  openFleetSeries: 'leakscope.openFleetSeries',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export function registerCommand(id: CommandId, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler);
}
