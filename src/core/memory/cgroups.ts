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

/** The limits in `files` of `cgroup` and its ancestors under `mount`, each with its cgroup's working set. */
export function limitsUnder(mount: CgroupMount, cgroup: string, files: CgroupLimitFile[]): CgroupLimit[] {
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

/** "the container's" for the usual container runtimes' cgroups, "the cgroup's" otherwise. */
export function cgroupOwner(cgroup: string): string {
  return /docker|containerd|kubepods|libpod|crio|lxc|podman/.test(cgroup) ? "the container's" : "the cgroup's";
}
