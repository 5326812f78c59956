// Remembers each debug session's debuggee pid from the DAP `process` event
// (body.systemProcessId), so "Attach memory monitor to debuggee" knows whom to watch.
import * as vscode from 'vscode';

interface DapMessage {
  type?: unknown;
  event?: unknown;
  body?: { systemProcessId?: unknown };
}

export class DebuggeeTracker implements vscode.Disposable {
  private readonly pids = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: DapMessage) => this.onMessage(session, message),
        }),
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.pids.delete(s.id)),
    );
  }

  /** The debuggee pid of the given session, or of its nearest parent that reported one. */
  pidOf(session: vscode.DebugSession | undefined): number | undefined {
    for (let s = session; s; s = s.parentSession) {
      const pid = this.pids.get(s.id);
      if (pid !== undefined) return pid;
    }
    return undefined;
  }

  /** Sessions with a known debuggee pid. */
  get known(): { session: vscode.DebugSession; pid: number }[] {
    const active = vscode.debug.activeDebugSession;
    const result: { session: vscode.DebugSession; pid: number }[] = [];
    if (active) {
      const pid = this.pidOf(active);
      if (pid !== undefined) result.push({ session: active, pid });
    }
    return result;
  }

  private onMessage(session: vscode.DebugSession, message: DapMessage): void {
    if (message.type !== 'event' || message.event !== 'process') return;
    const pid = message.body?.systemProcessId;
    if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) this.pids.set(session.id, pid);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.pids.clear();
  }
}
