// What the paired look harnesses (lookInterleaved, lookPipeline) share: their command-line options
// and the real sleeping children whose /proc entries they read.
import { spawn } from 'node:child_process';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { ProcessInfo } from '../../src/core/model';

/** The value after `name` on the command line, else `fallback`. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

/** `count` real `sleep`s (constant RSS, as the sampling bench watches), read as a watch would; `stop` kills them. */
export async function spawnSleepers(count: number): Promise<{ targets: ProcessInfo[]; stop: () => void }> {
  const children = Array.from({ length: count }, () => spawn('sleep', ['100000'], { stdio: 'ignore' }));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
  return { targets: children.map((child) => readLinuxProcessInfo(child.pid ?? 0)), stop: () => children.forEach((child) => child.kill()) };
}
