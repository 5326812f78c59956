// What the limit lookups of every watched process share: the machine's memory (/proc/meminfo),
// our cgroup mount table and the limits of each cgroup chain. One object, made by whoever makes
// the sessions (the extension's MonitorManager, `leakscope watch`) and handed to each of them,
// so that 100 watched processes read these files once per time to live, not 100 times, and no
// module keeps them behind everyone's back.
import { readSmallProcFile } from '../discovery/procfs';
import { CgroupLimit, CgroupLimitFile, CgroupMount, limitsUnder, parseCgroupMounts, ProcCgroups } from './cgroups';

/**
 * How long one read of /proc/meminfo serves every process that asks: the machine's memory is
 * the same for all of them, and 100 watched processes each refreshing their limit every 30 s
 * read it 3 times a second otherwise. Each watcher holds what it found for 30 s anyway.
 */
export const MEMINFO_TTL_MS = 10_000;
/**
 * How long a cgroup's files, once read, serve every process that asks: the processes one watches
 * mostly share a cgroup, and reading its chain (limits, usage, memory.stat up to the root) costs
 * ~0.5 ms. As long as a limit watcher holds what it found (LIMIT_REFRESH_MS in limits.ts): with
 * 100 watchers refreshing at their own moments, a shorter life read each chain several times in
 * every watcher's period, for usage figures that no watcher would look at again sooner.
 */
export const CGROUP_CHAIN_TTL_MS = 30_000;
/** Our own mount table changes when someone mounts a cgroup hierarchy: rarely. */
export const MOUNTS_TTL_MS = 300_000;

export interface MachineMemory {
  totalBytes: number;
  availableBytes: number;
}

export interface MachineLimitFactsOptions {
  now?: () => number;
  /** Reads a file whole (throws when it cannot): /proc/meminfo, our mountinfo, a cgroup's files. */
  read?: (path: string) => string;
}

interface Held<T> {
  atMs: number;
  value: T;
}

/** Whether a value read at `atMs` is still good at `nowMs` (a clock that went back reads again). */
function fresh(held: Held<unknown>, nowMs: number, ttlMs: number): boolean {
  return nowMs - held.atMs < ttlMs && nowMs >= held.atMs;
}

export class MachineLimitFacts {
  private meminfo: Held<MachineMemory> | undefined;
  private mounts: Held<CgroupMount[]> | undefined;
  private readonly chains = new Map<string, Held<CgroupLimit[]>>();
  private readonly now: () => number;
  private readonly read: (path: string) => string;

  constructor(options: MachineLimitFactsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.read = options.read ?? readSmallProcFile;
  }

  /** MemTotal and MemAvailable (NaN when a line is missing); throws when /proc/meminfo cannot be read. */
  memory(): MachineMemory {
    const nowMs = this.now();
    const held = this.meminfo;
    if (held && fresh(held, nowMs, MEMINFO_TTL_MS)) return held.value;
    const meminfo = this.read('/proc/meminfo');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(meminfo)?.[1] ?? NaN) * 1024;
    const value = { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable') };
    this.meminfo = { atMs: nowMs, value };
    return value;
  }

  /** Every memory limit that applies to a process in `own` cgroups (empty when none or unreadable). */
  cgroupLimits(own: ProcCgroups): CgroupLimit[] {
    const nowMs = this.now();
    let mounts: CgroupMount[];
    try {
      mounts = this.cgroupMounts(nowMs);
    } catch {
      return [];
    }
    const found: CgroupLimit[] = [];
    for (const mount of mounts) {
      if (mount.version === 2 && own.v2 !== undefined) found.push(...this.chainLimits(mount, own.v2, ['memory.max', 'memory.high'], nowMs));
      if (mount.version === 1 && own.v1Memory !== undefined) found.push(...this.chainLimits(mount, own.v1Memory, ['memory.limit_in_bytes'], nowMs));
    }
    return found;
  }

  private cgroupMounts(nowMs: number): CgroupMount[] {
    const held = this.mounts;
    if (held && fresh(held, nowMs, MOUNTS_TTL_MS)) return held.value;
    const value = parseCgroupMounts(this.read('/proc/self/mountinfo'));
    this.mounts = { atMs: nowMs, value };
    return value;
  }

  /** limitsUnder, read at most once per CGROUP_CHAIN_TTL_MS for a given cgroup. */
  private chainLimits(mount: CgroupMount, cgroup: string, files: CgroupLimitFile[], nowMs: number): CgroupLimit[] {
    const key = `${mount.version}\0${mount.mountPoint}\0${cgroup}\0${files.join(',')}`;
    const held = this.chains.get(key);
    if (held && fresh(held, nowMs, CGROUP_CHAIN_TTL_MS)) return held.value;
    for (const [k, e] of this.chains) if (!fresh(e, nowMs, CGROUP_CHAIN_TTL_MS)) this.chains.delete(k);
    const value = limitsUnder(mount, cgroup, files);
    this.chains.set(key, { atMs: nowMs, value });
    return value;
  }
}
