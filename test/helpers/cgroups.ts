// A memory cgroup with a limit, made for a test under our own cgroup (v2 where the memory
// controller is delegated to us, v1 otherwise) and removed after it.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCgroupMounts, parseProcCgroup } from '../../src/core/memory/cgroups';

export interface TestCgroup {
  version: 1 | 2;
  dir: string;
  /** As /proc/PID/cgroup names it. */
  name: string;
}

/** A child of our own memory cgroup with a limit, or the reason it cannot be made here. */
export function makeMemoryCgroup(limitBytes: number): TestCgroup | string {
  if (process.getuid?.() !== 0) return 'needs root to create a cgroup';
  const own = parseProcCgroup(readFileSync('/proc/self/cgroup', 'latin1'));
  const mounts = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'latin1'));
  const leaf = `leakscope-test-${process.pid}-${Date.now()}`;
  const v2 = mounts.find((m) => m.version === 2);
  const attempts: string[] = [];
  for (const mount of [v2, mounts.find((m) => m.version === 1)]) {
    const path = mount?.version === 2 ? own.v2 : own.v1Memory;
    if (!mount || path === undefined) continue;
    const parent = join(mount.mountPoint, path.slice(mount.root === '/' ? 0 : mount.root.length));
    if (mount.version === 2 && !readFileSync(join(parent, 'cgroup.subtree_control'), 'latin1').includes('memory')) {
      attempts.push(`cgroup v2 at ${parent} does not delegate the memory controller`);
      continue;
    }
    try {
      const dir = join(parent, leaf);
      mkdirSync(dir);
      writeFileSync(join(dir, mount.version === 2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitBytes));
      return { version: mount.version, dir, name: join(path, leaf) };
    } catch (error) {
      attempts.push(`cgroup v${mount.version}: ${(error as Error).message}`);
    }
  }
  return attempts.join('; ') || 'no memory cgroup hierarchy is mounted';
}

export async function removeCgroup(dir: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      return rmdirSync(dir);
    } catch {
      await new Promise((r) => setTimeout(r, 100)); // the killed process may not have left yet
    }
  }
}

