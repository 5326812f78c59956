// `"leakscope": true` in a launch.json configuration: the debuggee is watched from its first
// reported pid, as if "Attach memory monitor to debuggee" had been run at once. js-debug runs the
// program in a child session whose configuration it writes itself, so the flag is looked up the
// parent chain. Each process of a flagged launch is watched once (a Node cluster has several).
import * as vscode from 'vscode';
import { DebuggeeTracker, FoundDebuggee } from './debuggeeTracker';

/** The launch.json attribute. */
export const LAUNCH_ATTRIBUTE = 'leakscope';

export class WatchOnLaunch implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(debuggees: DebuggeeTracker, private readonly watchPid: (pid: number) => Promise<unknown>) {
    this.subscription = debuggees.onDidFindDebuggee((found) => void this.onDebuggee(found));
  }

  private async onDebuggee({ session, pid }: FoundDebuggee): Promise<void> {
    if (wantsWatch(session)) await this.watchPid(pid);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The configuration of the session or of a session above it asks for a watch. */
export function wantsWatch(session: vscode.DebugSession): boolean {
  for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
    const flag: unknown = s.configuration[LAUNCH_ATTRIBUTE];
    if (flag === true) return true;
  }
  return false;
}
