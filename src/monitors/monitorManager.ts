// Owns the watch sessions of this window: attach, detach, focus. Adapters (status bar,
// panel, notifications) listen to it; it holds no UI of its own.
import * as vscode from 'vscode';
import { readConfig } from '../config';
import { ProcessInfo } from '../core/model';
import { DisposableBase, HoldsPerSession } from '../core/events';
import { MachineLimitFacts } from '../core/memory/machineLimitFacts';
import { WatchSession, WatchSessionOptions } from '../core/session';

const WATCHING_CONTEXT_KEY = 'leakscope.watching';

export class MonitorManager extends DisposableBase implements HoldsPerSession {
  private readonly sessions = new Map<string, WatchSession>();
  /** Every forEachSession's live per-session entries, so tests can see they are released. */
  private readonly perSessionMaps = new Set<ReadonlyMap<string, unknown>>();
  private focusedId: string | undefined;
  /** The machine's share of every session's limit lookup (meminfo, cgroup chains), read once for all. */
  private readonly machineLimitFacts = new MachineLimitFacts();

  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  private readonly addEmitter = this.register(new vscode.EventEmitter<WatchSession>());
  private readonly removeEmitter = this.register(new vscode.EventEmitter<WatchSession>());
  /** Sessions were added or removed, or the focus moved. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidAdd = this.addEmitter.event;
  /** Fires before the session is disposed. */
  readonly onWillRemove = this.removeEmitter.event;

  constructor() {
    super();
    // Commands that need a watched process show in the palette only while there is one.
    this.register(this.onDidChange(() => void vscode.commands.executeCommand('setContext', WATCHING_CONTEXT_KEY, this.sessions.size > 0)));
    this.register(this.forEachSession((s) => [s.monitor.onStateChange(() => this.changeEmitter.fire())]));
  }

  /**
   * Calls `watch` for every session, those there now and those added later, and disposes what it
   * returns when that session is removed (after `onRemove`, before the session is disposed) or
   * when the returned Disposable is. The one place per-session listeners are kept.
   */
  forEachSession(watch: (session: WatchSession) => readonly vscode.Disposable[], onRemove?: (session: WatchSession) => void): vscode.Disposable {
    const perSession = new Map<string, readonly vscode.Disposable[]>();
    const release = (id: string): void => {
      for (const d of perSession.get(id) ?? []) d.dispose();
      perSession.delete(id);
    };
    const subscriptions = [
      this.onDidAdd((s) => perSession.set(s.id, watch(s))),
      this.onWillRemove((s) => {
        onRemove?.(s);
        release(s.id);
      }),
    ];
    for (const s of this.sessions.values()) perSession.set(s.id, watch(s));
    this.perSessionMaps.add(perSession);
    return {
      dispose: () => {
        for (const d of subscriptions) d.dispose();
        for (const id of [...perSession.keys()]) release(id);
        this.perSessionMaps.delete(perSession);
      },
    };
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

  /** The settings every session takes (the same names), with what the sessions of this window share. */
  sessionOptions(): WatchSessionOptions {
    return { ...readConfig(), machineLimitFacts: this.machineLimitFacts };
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
    const session = new WatchSession(target, { ...this.sessionOptions(), ...overrides });
    try {
      await session.start();
    } catch (error) {
      session.dispose();
      throw error;
    }
    this.adopt(session);
    return session;
  }

  /**
   * Takes in a session started elsewhere (a process family's root, which its ProcessFamily
   * starts and owns with the workers' sessions); from here on it is watched like any other.
   */
  adopt(session: WatchSession): void {
    this.sessions.set(session.id, session);
    this.focusedId = session.id;
    this.addEmitter.fire(session);
    this.changeEmitter.fire();
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
    this.sessions.delete(id);
    session.dispose();
    if (this.focusedId === id) this.focusedId = this.all.at(-1)?.id;
    this.changeEmitter.fire();
  }

  heldCounts(): Record<string, number> {
    let sessionListeners = 0;
    for (const map of this.perSessionMaps) sessionListeners += map.size;
    return { sessions: this.sessions.size, watchers: this.perSessionMaps.size, sessionListeners };
  }

  detachAll(): void {
    for (const id of [...this.sessions.keys()]) this.detach(id);
  }

  override dispose(): void {
    this.detachAll();
    super.dispose();
  }
}
