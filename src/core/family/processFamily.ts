// A process family: a root (a gunicorn or uvicorn master, a Node cluster primary, a
// multiprocessing pool's parent, a DataLoader's trainer) and its Python and Node descendants,
// each watched by a WatchSession of its own (its own monitor and classifier), found by walking
// /proc every couple of seconds. A worker that exits leaves its slot to the next one the root
// starts ("worker 2, replaced pid 790"), as with gunicorn's max-requests recycling; exited
// members leave the live set but keep their last verdict. VS Code–free: the CLI and the
// extension both drive it.
import { setImmediate } from 'node:timers';
import { readLinuxProcessInfo } from '../discovery/processes';
import { descendantPids, readStat } from '../discovery/procfs';
import { Disposable, DisposableStore, Event, EventEmitter } from '../events';
import { GrowthVerdict, MemorySample, ProcessInfo } from '../model';
import { ExitSummary } from '../monitor';
import { WatchSession, WatchSessionOptions } from '../session';
import { familySummary, MemberStatus } from './summary';

export interface FamilyOptions {
  /** Each member's session (interval, warm-up...); limits apply per member. */
  session: WatchSessionOptions;
  /** How often the root's process tree is walked for new and gone members (default 2 s). */
  discoveryIntervalMs?: number;
  /** Live members at most, root included (default 64): beyond, new processes are not watched. */
  maxMembers?: number;
  /** Exited members remembered with their last verdict (default 32), oldest forgotten first. */
  maxExited?: number;
  /** Points of the family's total RSS kept (default 3600), oldest dropped first. */
  maxTotalPoints?: number;
}

/** One process of the family and its session; kept, with its last verdict, after it exits. */
export class FamilyMember implements MemberStatus {
  live = true;
  exit: ExitSummary | undefined;

  constructor(readonly session: WatchSession, readonly slot: number, readonly replacedPid: number | undefined) {}

  get pid(): number {
    return this.session.monitor.pid;
  }

  get startTicks(): number {
    return this.session.target.startTicks;
  }

  /** The live verdict, or the last one it had when it exited. */
  get verdict(): GrowthVerdict {
    return this.session.verdict;
  }

  get latest(): MemorySample | undefined {
    return this.session.monitor.latest;
  }
}

/** The members sampled at one tick of the shared timer, and the family's RSS then. */
export interface FamilyBatch {
  tMs: number;
  samples: { member: FamilyMember; sample: MemorySample }[];
  /** Sum of every live member's latest RSS. */
  totalRssBytes: number;
}

export interface MemberVerdict {
  member: FamilyMember;
  verdict: GrowthVerdict;
}

const DEFAULTS = { discoveryIntervalMs: 2000, maxMembers: 64, maxExited: 32, maxTotalPoints: 3600 };

export class ProcessFamily implements Disposable {
  private readonly options: Required<Omit<FamilyOptions, 'session'>> & Pick<FamilyOptions, 'session'>;
  private readonly store = new DisposableStore();
  private readonly liveMembers: FamilyMember[] = [];
  private readonly exitedMembers: FamilyMember[] = [];
  /** Slots whose worker exited, with its pid: the next new worker takes the lowest. */
  private readonly freeSlots: { slot: number; pid: number }[] = [];
  /** Descendants that are no interpreter (a shell, a compiler): pid → start ticks, not read again. */
  private ignored = new Map<number, number>();
  private nextSlot = 1;
  private discovery: NodeJS.Timeout | undefined;
  private pendingBatch: FamilyBatch['samples'] = [];
  private batchScheduled = false;
  private readonly totals: { tMs: number[]; rssBytes: number[] } = { tMs: [], rssBytes: [] };
  private disposed = false;

  private readonly addedEmitter = this.store.add(new EventEmitter<FamilyMember>());
  private readonly exitedEmitter = this.store.add(new EventEmitter<FamilyMember>());
  private readonly batchEmitter = this.store.add(new EventEmitter<FamilyBatch>());
  private readonly verdictEmitter = this.store.add(new EventEmitter<MemberVerdict>());
  private readonly leakEmitter = this.store.add(new EventEmitter<MemberVerdict>());
  private readonly rootExitEmitter = this.store.add(new EventEmitter<ExitSummary>());
  /** A process joined the family (the root first). */
  readonly onMemberAdded: Event<FamilyMember> = this.addedEmitter.event;
  /** A member exited (or left the tree); it stays in `members` with its last verdict. */
  readonly onMemberExited: Event<FamilyMember> = this.exitedEmitter.event;
  /** The samples of one tick, with the family's total RSS. */
  readonly onBatch: Event<FamilyBatch> = this.batchEmitter.event;
  /** A member's verdict changed (see WatchSession.onVerdict). */
  readonly onMemberVerdict: Event<MemberVerdict> = this.verdictEmitter.event;
  /** A member's leak became likely: once per member. */
  readonly onLeak: Event<MemberVerdict> = this.leakEmitter.event;
  /** The root ended: the family is no longer followed (its workers may run on, orphaned). */
  readonly onRootExit: Event<ExitSummary> = this.rootExitEmitter.event;

  readonly root: FamilyMember;

  constructor(rootInfo: ProcessInfo, options: FamilyOptions) {
    this.options = { ...DEFAULTS, ...options };
    this.root = this.addMember(rootInfo, 0, undefined);
  }

  /** Live members, root first, then by slot. */
  get live(): readonly FamilyMember[] {
    return [...this.liveMembers].sort((a, b) => a.slot - b.slot);
  }

  /** Live members, then the exited ones still remembered. */
  get members(): readonly FamilyMember[] {
    return [...this.live, ...this.exitedMembers];
  }

  /** The family's total RSS at each batch (bounded). */
  get totalHistory(): { readonly tMs: readonly number[]; readonly rssBytes: readonly number[] } {
    return this.totals;
  }

  get totalRssBytes(): number {
    return this.liveMembers.reduce((sum, m) => sum + (m.latest?.rssBytes ?? 0), 0);
  }

  /** "Worker 3 of 4 (pid 812): steady leak 2.1 MB/min; the others flat". */
  summary(): string {
    return familySummary(this.members, this.nextSlot - 1);
  }

  /** Attaches to the root (rejects as WatchSession.start does), then finds its workers. */
  async start(): Promise<void> {
    await this.root.session.start();
    this.discover();
    this.discovery = setInterval(() => this.discover(), this.options.discoveryIntervalMs);
    if (!this.options.session.keepAlive) this.discovery.unref();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.discovery);
    for (const member of this.liveMembers) member.session.dispose();
    this.root.session.dispose();
    this.store.dispose();
  }

  /** One walk of the root's tree: members gone from it exit, new interpreters join. */
  discover(): void {
    if (this.disposed || !this.root.live) return;
    const pids = descendantPids(this.root.pid);
    const present = new Set(pids);
    for (const member of [...this.liveMembers]) if (member !== this.root && !present.has(member.pid)) this.retire(member);
    this.ignored = new Map([...this.ignored].filter(([pid]) => present.has(pid)));
    const watched = new Set(this.liveMembers.map((m) => m.pid));
    for (const pid of pids) {
      if (this.liveMembers.length >= this.options.maxMembers) break;
      if (!watched.has(pid)) this.consider(pid);
    }
  }

  /** Joins `pid` when it is a Python or Node process; remembers it when it is not. */
  private consider(pid: number): void {
    if (this.ignored.has(pid) && this.ignored.get(pid) === startTicksOf(pid)) return;
    let info: ProcessInfo;
    try {
      info = readLinuxProcessInfo(pid);
    } catch {
      return; // gone (or exiting) since the walk
    }
    if (info.runtime === 'other' || info.argv.length === 0) {
      this.ignored.set(pid, info.startTicks);
      return;
    }
    const slot = this.takeSlot();
    const member = this.addMember(info, slot.slot, slot.replacedPid);
    member.session.start().catch(() => undefined); // a failed attach arrives through onExit
  }

  private takeSlot(): { slot: number; replacedPid: number | undefined } {
    this.freeSlots.sort((a, b) => a.slot - b.slot);
    const free = this.freeSlots.shift();
    return free ? { slot: free.slot, replacedPid: free.pid } : { slot: this.nextSlot++, replacedPid: undefined };
  }

  private addMember(info: ProcessInfo, slot: number, replacedPid: number | undefined): FamilyMember {
    const member = new FamilyMember(new WatchSession(info, this.options.session), slot, replacedPid);
    this.liveMembers.push(member);
    const { session } = member;
    session.monitor.onSample((sample) => this.queueSample(member, sample));
    session.monitor.onExit((summary) => this.retire(member, summary));
    session.onVerdict((verdict) => this.verdictEmitter.fire({ member, verdict }));
    session.onLeakSuspected((verdict) => this.leakEmitter.fire({ member, verdict }));
    this.addedEmitter.fire(member);
    return member;
  }

  /** Out of the live set, its session closed (its history and verdict stay readable). */
  private retire(member: FamilyMember, summary?: ExitSummary): void {
    if (!member.live) return;
    member.live = false;
    member.exit = summary ?? member.session.monitor.summary('exited', `Process ${member.pid} has left the family.`);
    this.liveMembers.splice(this.liveMembers.indexOf(member), 1);
    if (member === this.root) {
      clearInterval(this.discovery);
      this.exitedMembers.unshift(member);
      this.exitedEmitter.fire(member);
      return this.rootExitEmitter.fire(member.exit);
    }
    // The root's session stays as it ended (a panel shows it); a worker's is closed.
    member.session.dispose();
    this.freeSlots.push({ slot: member.slot, pid: member.pid });
    this.exitedMembers.unshift(member);
    this.exitedMembers.splice(this.options.maxExited);
    this.exitedEmitter.fire(member);
  }

  /** Members sampled on the same tick arrive one after another in that tick: one batch. */
  private queueSample(member: FamilyMember, sample: MemorySample): void {
    this.pendingBatch.push({ member, sample });
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    setImmediate(() => this.flushBatch());
  }

  private flushBatch(): void {
    this.batchScheduled = false;
    const samples = this.pendingBatch;
    this.pendingBatch = [];
    if (this.disposed || samples.length === 0) return;
    const batch: FamilyBatch = { tMs: Math.max(...samples.map((s) => s.sample.tMs)), samples, totalRssBytes: this.totalRssBytes };
    this.recordTotal(batch.tMs, batch.totalRssBytes);
    this.batchEmitter.fire(batch);
  }

  private recordTotal(tMs: number, rssBytes: number): void {
    this.totals.tMs.push(tMs);
    this.totals.rssBytes.push(rssBytes);
    // Trimmed by a quarter at a time: the arrays shift rarely, not at every point.
    const excess = this.totals.tMs.length - this.options.maxTotalPoints;
    if (excess <= 0) return;
    const drop = excess + Math.floor(this.options.maxTotalPoints / 4);
    this.totals.tMs.splice(0, drop);
    this.totals.rssBytes.splice(0, drop);
  }
}

function startTicksOf(pid: number): number | undefined {
  try {
    return readStat(pid).startTicks;
  } catch {
    return undefined;
  }
}
