// Owns the watch sessions of this window: attach, detach, focus. Adapters (status bar,
// panel, notifications) listen to it; it holds no UI of its own.
import * as vscode from 'vscode';
import type { HoldsPerSession } from '../api';
import { readConfig } from '../config';
import { ProcessInfo } from '../core/model';
import { WatchSession, WatchSessionOptions } from '../core/session';

const WATCHING_CONTEXT_KEY = 'leakscope.watching';

export class MonitorManager implements vscode.Disposable, HoldsPerSession {
  private readonly sessions = new Map<string, WatchSession>();
  private readonly sessionListeners = new Map<string, vscode.Disposable[]>();
  private focusedId: string | undefined;

  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly addEmitter = new vscode.EventEmitter<WatchSession>();
  private readonly removeEmitter = new vscode.EventEmitter<WatchSession>();
  /** Sessions were added or removed, or the focus moved. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidAdd = this.addEmitter.event;
  /** Fires before the session is disposed. */
  readonly onWillRemove = this.removeEmitter.event;

  constructor() {
    // Commands that need a watched process show in the palette only while there is one.
    this.onDidChange(() => void vscode.commands.executeCommand('setContext', WATCHING_CONTEXT_KEY, this.sessions.size > 0));
  }

  get all(): readonly WatchSession[] {
    return [...this.sessions.values()];
  }

  get focused(): WatchSession | undefined {
    return this.focusedId ? this.sessions.get(this.focusedId) : undefined;
  }

  get(id: string): WatchSession | undefined {
    return this.sessions.get(id);
  }

  findByPid(pid: number): WatchSession | undefined {
    return this.all.find((s) => s.target.pid === pid && s.monitor.state !== 'detached');
  }

  /**
   * Starts watching; returns the existing session when this very process is already watched.
   * Rejects (and keeps nothing) when the first reading fails: gone, or permission denied.
   */
  async attach(target: ProcessInfo, overrides: Partial<WatchSessionOptions> = {}): Promise<WatchSession> {
    const existing = this.all.find((s) => s.target.pid === target.pid && s.target.startTicks === target.startTicks);
    if (existing && existing.monitor.state !== 'exited') {
      this.focus(existing.id);
      return existing;
    }
    if (existing) this.detach(existing.id);
    // The settings carry every session option under the same names.
    const session = new WatchSession(target, { ...readConfig(), ...overrides });
    try {
      await session.start();
    } catch (error) {
      session.dispose();
      throw error;
    }
    this.sessions.set(session.id, session);
    this.sessionListeners.set(session.id, [
      session.monitor.onStateChange(() => this.changeEmitter.fire()),
    ]);
    this.focusedId = session.id;
    this.addEmitter.fire(session);
    this.changeEmitter.fire();
    return session;
  }

  focus(id: string): void {
    if (this.sessions.has(id) && this.focusedId !== id) {
      this.focusedId = id;
      this.changeEmitter.fire();
    }
  }

  detach(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.removeEmitter.fire(session);
    for (const listener of this.sessionListeners.get(id) ?? []) listener.dispose();
    this.sessionListeners.delete(id);
    this.sessions.delete(id);
    session.dispose();
    if (this.focusedId === id) this.focusedId = this.all.at(-1)?.id;
    this.changeEmitter.fire();
  }

  heldCounts(): Record<string, number> {
    return { sessions: this.sessions.size, sessionListeners: this.sessionListeners.size };
  }

  detachAll(): void {
    for (const id of [...this.sessions.keys()]) this.detach(id);
  }

  dispose(): void {
    this.detachAll();
    this.changeEmitter.dispose();
    this.addEmitter.dispose();
    this.removeEmitter.dispose();
  }
}
