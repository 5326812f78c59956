// Knows each debug session's debuggee pid, so "Attach memory monitor to debuggee" knows whom to
// watch. Two sources:
//  - the DAP `process` event (body.systemProcessId), which debugpy and most adapters send;
//  - VS Code's own JavaScript debugger (js-debug) sends none: it starts one child session per
//    Node process whose configuration is named "server.js [12345]" (the UI shows it as
//    "server.js [12345] « Launch Program"). That name is read only for Node session types, and
//    the pid is verified like any other before a monitor is attached.
import * as vscode from 'vscode';
import { DisposableBase, toDisposable } from '../core/events';

interface DapMessage {
  type?: unknown;
  event?: unknown;
  body?: { systemProcessId?: unknown };
}

/** Session types of js-debug whose child sessions are Node processes. */
const NODE_SESSION_TYPES = new Set(['pwa-node', 'node', 'node-terminal']);
const PID_IN_NAME = /\[(\d+)\]$/;

export interface FoundDebuggee {
  session: vscode.DebugSession;
  pid: number;
}

export class DebuggeeTracker extends DisposableBase implements vscode.Disposable {
  private readonly reported = new Map<string, number>();
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly foundEmitter = this.register(new vscode.EventEmitter<FoundDebuggee>());
  /** A debug session's own process became known (once per session). */
  readonly onDidFindDebuggee = this.foundEmitter.event;

  constructor() {
    super();
    this.register(
      toDisposable(() => {
        this.reported.clear();
        this.sessions.clear();
      }),
    );
    this.register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: DapMessage) => this.onMessage(session, message),
        }),
      }),
    );
    this.register(
      vscode.debug.onDidStartDebugSession((s) => {
        this.sessions.set(s.id, s);
        const pid = this.ownPid(s);
        if (pid !== undefined) this.foundEmitter.fire({ session: s, pid });
      }),
    );
    this.register(
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.reported.delete(s.id);
        this.sessions.delete(s.id);
      }),
    );
    const active = vscode.debug.activeDebugSession;
    if (active) this.sessions.set(active.id, active);
  }

  /**
   * The debuggee pid of `session`: its own, else its nearest parent's, else (for a js-debug
   * launcher session, which runs no program itself) its first child's.
   */
  pidOf(session: vscode.DebugSession | undefined): number | undefined {
    for (let s = session; s; s = s.parentSession) {
      const pid = this.ownPid(s);
      if (pid !== undefined) return pid;
    }
    if (!session) return undefined;
    for (const child of this.sessions.values()) {
      if (child.parentSession?.id !== session.id) continue;
      const pid = this.ownPid(child);
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

  private ownPid(session: vscode.DebugSession): number | undefined {
    const reported = this.reported.get(session.id);
    if (reported !== undefined) return reported;
    if (!NODE_SESSION_TYPES.has(session.type)) return undefined;
    const name: unknown = session.configuration.name;
    const match = typeof name === 'string' ? PID_IN_NAME.exec(name) : null;
    return match ? validPid(Number(match[1])) : undefined;
  }

  private onMessage(session: vscode.DebugSession, message: DapMessage): void {
    if (message.type !== 'event' || message.event !== 'process') return;
    const pid = validPid(message.body?.systemProcessId);
    if (pid === undefined || this.reported.get(session.id) === pid) return;
    this.reported.set(session.id, pid);
    this.foundEmitter.fire({ session, pid });
  }
}

function validPid(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
