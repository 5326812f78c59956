// "Watch the next run": after a watched process exits (the user applied a fix and restarts it),
// find the new process running the same program, so its curve can be set against the last one.
import { readFileSync } from 'node:fs';
import { ProcessInfo } from '../model';
import { delay } from '../probe/util';
import { procCwd } from '../scriptFiles';
import { listProcesses } from './processes';

/** Clock ticks per second in /proc/PID/stat: USER_HZ, fixed at 100 by the Linux ABI. */
const USER_HZ = 100;
/** /proc/stat's btime is whole seconds: a start time read through it is off by up to one. */
const START_TIME_SLACK_MS = 1000;

let bootTimeMs: number | undefined;

/** Wall-clock start of a process from its start time in ticks since boot (Linux). */
export function processStartMs(startTicks: number): number {
  bootTimeMs ??= readBootTimeMs();
  return bootTimeMs + (startTicks * 1000) / USER_HZ;
}

function readBootTimeMs(): number {
  const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  if (!match) throw new Error('/proc/stat has no btime line');
  return Number(match[1]) * 1000;
}

/**
 * True when `candidate` runs the same program as `previous` (executable, arguments, user) and
 * started after `aliveAtMs`, when `previous` was last seen alive: another worker launched
 * alongside it runs the same command too, but started before.
 */
export function isRerunOf(previous: ProcessInfo, candidate: ProcessInfo, aliveAtMs: number, startMs = processStartMs): boolean {
  if (candidate.pid === previous.pid && candidate.startTicks === previous.startTicks) return false;
  if (candidate.exe !== previous.exe || candidate.uid !== previous.uid) return false;
  if (candidate.argv.length !== previous.argv.length || candidate.argv.some((arg, i) => arg !== previous.argv[i])) return false;
  return startMs(candidate.startTicks) >= aliveAtMs - START_TIME_SLACK_MS;
}

export interface WaitForRerunOptions {
  /** When `previous` was last seen alive (its last sample), ms since the epoch. */
  aliveAtMs: number;
  signal?: AbortSignal;
  /** Between two looks at the process list (default 1 s). */
  pollMs?: number;
  /** Give up after (default 10 min). */
  timeoutMs?: number;
  /** The old run's working directory: `python train.py` started in another folder is another program. */
  cwd?: string;
  /** The processes to look at (default: the Python and Node processes). */
  list?: () => Promise<readonly ProcessInfo[]>;
}

/**
 * The first new run of `previous` to appear (the earliest started, if several), or undefined
 * on timeout or abort. Polls: the kernel has no "process started" event for a non-parent.
 */
export async function waitForRerun(previous: ProcessInfo, options: WaitForRerunOptions): Promise<ProcessInfo | undefined> {
  const list = options.list ?? (() => listProcesses());
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const pollMs = options.pollMs ?? 1000;
  while (!options.signal?.aborted) {
    const reruns = (await list()).filter((p) => isRerunOf(previous, p, options.aliveAtMs) && inSameFolder(p, options.cwd));
    if (reruns.length > 0) return reruns.reduce((a, b) => (b.startTicks < a.startTicks ? b : a));
    if (Date.now() + pollMs > deadline) return undefined;
    await delay(pollMs, options.signal).catch(() => undefined); // aborted: the loop ends
  }
  return undefined;
}

/** Unknown on either side (not recorded, or not readable) counts as the same folder. */
function inSameFolder(candidate: ProcessInfo, cwd: string | undefined): boolean {
  if (cwd === undefined) return true;
  const theirs = procCwd(candidate.pid);
  return theirs === undefined || theirs === cwd;
}
