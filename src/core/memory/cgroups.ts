// The memory limits of a process's own cgroup and its ancestors (a limit anywhere above
// applies too), for cgroup v2 (memory.max, memory.high) and v1 (memory.limit_in_bytes).
// Paths are resolved through our mount table: /proc/PID/cgroup names a cgroup relative to the
// hierarchy's root, and the hierarchy may be mounted anywhere (or only partly, in a container).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallProcFile } from '../discovery/procfs';

export type CgroupLimitFile = 'memory.max' | 'memory.high' | 'memory.limit_in_bytes';

export interface CgroupLimit {
  version: 1 | 2;
  file: CgroupLimitFile;
  bytes: number;
  /** The cgroup as /proc/PID/cgroup names it, e.g. "/system.slice/app.service". */
  cgroup: string;
  /** Where the file was read. */
  path: string;
  /** The cgroup's charge (memory.current / memory.usage_in_bytes) less inactive file cache. */
  usageBytes?: number;
}

export interface CgroupMount {
  version: 1 | 2;
  /** The part of the hierarchy that is mounted (field 4 of mountinfo). */
  root: string;
  mountPoint: string;
}

/** Values at or above this mean "no limit" (v1 writes PAGE_COUNTER_MAX × page size). */
const UNLIMITED = 2 ** 60;

/**
 * How long a cgroup's files, once read, serve every process that asks: the processes one watches
 * mostly share a cgroup, and reading its chain (limits, usage, memory.stat up to the root) costs
 * ~0.5 ms. As long as a limit watcher holds what it found (LIMIT_REFRESH_MS in limits.ts): with
 * 100 watchers refreshing at their own moments, a shorter life read each chain several times in
 * every watcher's period, for usage figures that no watcher would look at again sooner.
 */
const SHARED_READ_TTL_MS = 30_000;
/** Our own mount table changes when someone mounts a cgroup hierarchy: rarely. */
const MOUNTS_TTL_MS = 300_000;
const cgroupReads = new Map<string, { atMs: number; limits: CgroupLimit[] }>();
let mountReads: { atMs: number; mounts: CgroupMount[] } | undefined;

function ourCgroupMounts(nowMs: number): CgroupMount[] {
  if (!mountReads || nowMs - mountReads.atMs >= MOUNTS_TTL_MS || nowMs < mountReads.atMs) {
    mountReads = { atMs: nowMs, mounts: parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'latin1')) };
  }
  return mountReads.mounts;
}

/** limitsUnder, read at most once per SHARED_READ_TTL_MS for a given cgroup. */
function sharedLimitsUnder(mount: CgroupMount, cgroup: string, files: CgroupLimitFile[], nowMs: number): CgroupLimit[] {
  const key = `${mount.version}\0${mount.mountPoint}\0${cgroup}\0${files.join(',')}`;
  const cached = cgroupReads.get(key);
  if (cached && nowMs - cached.atMs < SHARED_READ_TTL_MS && nowMs >= cached.atMs) return cached.limits;
  for (const [k, e] of cgroupReads) if (nowMs - e.atMs >= SHARED_READ_TTL_MS) cgroupReads.delete(k);
  const limits = limitsUnder(mount, cgroup, files);
  cgroupReads.set(key, { atMs: nowMs, limits });
  return limits;
}

/** The memory hierarchies of our mount table: v2, and v1 mounts that carry the memory controller. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fsType, , superOptions = ''] = right.split(' ');
    if (fsType === 'cgroup2') mounts.push({ version: 2, root: fields[3], mountPoint: fields[4] });
    else if (fsType === 'cgroup' && superOptions.split(',').includes('memory')) mounts.push({ version: 1, root: fields[3], mountPoint: fields[4] });
  }
  return mounts;
}

/** A process's memory cgroups as /proc/PID/cgroup names them. */
export interface ProcCgroups {
  v2?: string;
  v1Memory?: string;
}

/** The v2 path ("0::/x") and the v1 memory path ("4:memory:/x") of /proc/PID/cgroup. */
export function parseProcCgroup(text: string): ProcCgroups {
  const result: ProcCgroups = {};
  for (const line of text.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    if (match[1] === '0' && match[2] === '') result.v2 = match[3];
    else if (match[2].split(',').includes('memory')) result.v1Memory = match[3];
  }
  return result;
}

function readBytes(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'latin1').trim();
    if (text === 'max') return undefined;
    const value = Number(text);
    return Number.isFinite(value) && value > 0 && value < UNLIMITED ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The directory of `cgroup` under `mount`, or undefined when that part is not mounted here. */
function cgroupDir(mount: CgroupMount, cgroup: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (cgroup !== root && !cgroup.startsWith(`${root}/`)) return undefined;
  const dir = join(mount.mountPoint, cgroup.slice(root.length));
  return existsSync(dir) ? dir : undefined;
}

/** `cgroup` and each ancestor up to the mounted root, nearest first. */
function ancestors(cgroup: string): string[] {
  const chain: string[] = [];
  for (let c = cgroup; ; c = c.slice(0, c.lastIndexOf('/')) || '/') {
    chain.push(c);
    if (c === '/' || c === '') return chain;
  }
}

/**
 * The cgroup's charge less its inactive file cache, which the kernel reclaims before it OOM-kills
 * (the figure `docker stats` shows).
 */
function workingSet(dir: string, version: 1 | 2): number | undefined {
  const usage = readBytes(join(dir, version === 2 ? 'memory.current' : 'memory.usage_in_bytes'));
  if (usage === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(join(dir, 'memory.stat'), 'latin1');
  } catch {
    return usage;
  }
  const inactive = Number(new RegExp(`^${version === 2 ? 'inactive_file' : 'total_inactive_file'} (\\d+)`, 'm').exec(stat)?.[1] ?? 0);
  return Math.max(0, usage - inactive);
}

function limitsUnder(mount: CgroupMount, cgroup: string, files: CgroupLimitFile[]): CgroupLimit[] {
  const found: CgroupLimit[] = [];
  for (const c of ancestors(cgroup)) {
    const dir = cgroupDir(mount, c);
    if (!dir) continue;
    for (const file of files) {
      const bytes = readBytes(join(dir, file));
      if (bytes !== undefined) found.push({ version: mount.version, file, bytes, cgroup: c, path: join(dir, file), usageBytes: workingSet(dir, mount.version) });
    }
  }
  return found;
}

/** The cgroups `pid` belongs to (throws when the process is gone or unreadable). */
export function readProcCgroups(pid: number): ProcCgroups {
  return parseProcCgroup(readSmallProcFile(`/proc/${pid}/cgroup`));
}

/** Every memory limit that applies to a process in `own` cgroups (empty when none or unreadable). */
export function cgroupLimits(own: ProcCgroups): CgroupLimit[] {
  const nowMs = Date.now();
  let mounts: CgroupMount[];
  try {
    mounts = ourCgroupMounts(nowMs);
  } catch {
    return [];
  }
  const found: CgroupLimit[] = [];
  for (const mount of mounts) {
    if (mount.version === 2 && own.v2 !== undefined) found.push(...sharedLimitsUnder(mount, own.v2, ['memory.max', 'memory.high'], nowMs));
    if (mount.version === 1 && own.v1Memory !== undefined) found.push(...sharedLimitsUnder(mount, own.v1Memory, ['memory.limit_in_bytes'], nowMs));
  }
  return found;
}

/** "the container's" for the usual container runtimes' cgroups, "the cgroup's" otherwise. */
export function cgroupOwner(cgroup: string): string {
  return /docker|containerd|kubepods|libpod|crio|lxc|podman/.test(cgroup) ? "the container's" : "the cgroup's";
}
