// Process families watched in this window ("this process and its N workers"): a ProcessFamily
// per attach, whose root session MonitorManager takes in like any other, so the status bar,
// alerts and panel follow the master; the panel also gets the family's picture from here.
import * as vscode from 'vscode';
import { DisposableBase, HoldsPerSession } from '../core/events';
import { familyView, ProcessFamily } from '../core/family';
import { ProcessInfo } from '../core/model';
import { FamilyView } from '../core/protocol';
import { WatchSession } from '../core/session';
import { MonitorManager } from './monitorManager';

/** The panel's small multiple is redrawn at most this often (members joining or leaving: at once). */
const VIEW_REFRESH_MS = 2000;

export class FamilyManager extends DisposableBase implements HoldsPerSession {
  /** By the root session's id. */
  private readonly families = new Map<string, { family: ProcessFamily; lastFiredMs: number }>();
  private readonly changeEmitter = this.register(new vscode.EventEmitter<{ sessionId: string; view: FamilyView }>());
  /** A family's picture changed: new samples (throttled), a member joined or exited. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly manager: MonitorManager) {
    super();
    this.register(manager.onWillRemove((session) => this.release(session.id)));
  }

  /** Watches `root` and its Python and Node workers; the root's session (already watched: refocused). */
  async attach(root: ProcessInfo): Promise<WatchSession> {
    const existing = this.manager.all.find((s) => s.target.pid === root.pid && s.target.startTicks === root.startTicks && s.monitor.state !== 'exited');
    if (existing && this.families.has(existing.id)) {
      this.manager.focus(existing.id);
      return existing;
    }
    if (existing) this.manager.detach(existing.id); // watched alone so far: now with its workers
    const family = new ProcessFamily(root, { session: this.manager.sessionOptions() });
    try {
      await family.start();
    } catch (error) {
      family.dispose();
      throw error;
    }
    const id = family.root.session.id;
    const entry = { family, lastFiredMs: 0 };
    this.families.set(id, entry);
    family.onBatch(() => this.fire(id, false));
    family.onMemberAdded(() => this.fire(id, true));
    family.onMemberExited(() => this.fire(id, true));
    this.manager.adopt(family.root.session);
    return family.root.session;
  }

  /** The family whose root is this session, as the panel draws it; undefined for a lone process. */
  view(sessionId: string): FamilyView | undefined {
    const entry = this.families.get(sessionId);
    return entry ? familyView(entry.family) : undefined;
  }

  heldCounts(): Record<string, number> {
    let members = 0;
    for (const { family } of this.families.values()) members += family.live.length;
    return { families: this.families.size, members };
  }

  override dispose(): void {
    for (const id of [...this.families.keys()]) this.release(id);
    super.dispose();
  }

  private fire(sessionId: string, now: boolean): void {
    const entry = this.families.get(sessionId);
    if (!entry) return;
    const atMs = Date.now();
    if (!now && atMs - entry.lastFiredMs < VIEW_REFRESH_MS) return;
    entry.lastFiredMs = atMs;
    this.changeEmitter.fire({ sessionId, view: familyView(entry.family) });
  }

  private release(sessionId: string): void {
    const entry = this.families.get(sessionId);
    if (!entry) return;
    this.families.delete(sessionId);
    entry.family.dispose();
  }
}
