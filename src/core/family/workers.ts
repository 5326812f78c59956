// Which listed processes are the root of a family: the quick pick offers "this process and its
// N workers" for them.
import { ProcessInfo } from '../model';

/**
 * How many of `processes` descend from each of them, through any depth but only through listed
 * processes (a master's workers, a worker's DataLoader workers). Roots without any are absent.
 */
export function workerCounts(processes: readonly Pick<ProcessInfo, 'pid' | 'ppid'>[]): Map<number, number> {
  const listed = new Map(processes.map((p) => [p.pid, p]));
  const counts = new Map<number, number>();
  for (const p of processes) {
    const seen = new Set<number>();
    for (let parent = listed.get(p.ppid); parent && !seen.has(parent.pid); parent = listed.get(parent.ppid)) {
      seen.add(parent.pid);
      counts.set(parent.pid, (counts.get(parent.pid) ?? 0) + 1);
    }
  }
  return counts;
}
