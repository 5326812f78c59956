// Finding Python and Node processes to attach to, and the real interpreter behind a wrapper.
//
// Linux reads /proc directly. Elsewhere (macOS, Windows) there is no listing: only attaching by
// pid works, and `readProcessInfo` knows pid, ppid and RSS (from pidusage) but not the command
// line, executable, user or start time — see fallback.ts.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ProcessInfo } from '../model';
import { mapProcError, ProcessGoneError } from './errors';
import { readFallbackProcessInfo } from './fallback';
import { descendantPids, isLinux, isZombie, listPids, pageSize, readCmdline, readExe, readStat } from './procfs';
import { guessRuntime, isLaunchWrapper, isWrapper } from './runtime';
import { userName } from './users';

export interface ListedProcess extends ProcessInfo {
  /** One of `markPids` (e.g. VS Code's own processes): show it, but set apart. */
  marked: boolean;
  /** Starts another program rather than being it (npm, poetry, a pyenv shim...). */
  wrapper: boolean;
}

export interface ListOptions {
  /** Left out entirely, e.g. our own pid. */
  excludePids?: Iterable<number>;
  /** Kept but flagged `marked`, e.g. VS Code's processes. */
  markPids?: Iterable<number>;
  /** Every process, not only Python and Node ones. */
  all?: boolean;
}

/** True where `listProcesses` can enumerate processes (Linux). */
export const canListProcesses = isLinux;

/** How many processes to read before letting the event loop run (the quick pick stays live). */
const BATCH = 64;

/** Python and Node processes, largest RSS first. Empty off Linux (see canListProcesses). */
export async function listProcesses(options: ListOptions = {}): Promise<ListedProcess[]> {
  if (!isLinux) return [];
  const excluded = new Set(options.excludePids ?? []);
  const marked = new Set(options.markPids ?? []);
  const found: ListedProcess[] = [];
  const pids = listPids();
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % BATCH === 0) await yieldToEventLoop();
    const pid = pids[i];
    if (excluded.has(pid)) continue;
    const info = tryReadLinuxProcessInfo(pid);
    if (!info || info.argv.length === 0) continue; // gone, or a kernel thread
    if (!options.all && info.runtime === 'other') continue;
    found.push({ ...info, marked: marked.has(pid), wrapper: isWrapper(info.runtime, info.argv) });
  }
  return found.sort((a, b) => b.rssBytes - a.rssBytes);
}

/** Throws ProcessGoneError (reason 'not-found') when there is no such process. */
export async function readProcessInfo(pid: number): Promise<ProcessInfo> {
  assertValidPid(pid);
  return isLinux ? readLinuxProcessInfo(pid) : readFallbackProcessInfo(pid);
}

/** Synchronous Linux variant (the sampler uses it at attach). */
export function readLinuxProcessInfo(pid: number): ProcessInfo {
  let stat;
  try {
    stat = readStat(pid);
  } catch (error) {
    throw mapProcError(error, pid, 'status', 'not-found');
  }
  if (isZombie(stat)) throw new ProcessGoneError(pid, 'exited');
  let argv: string[];
  let uid: number;
  try {
    argv = readCmdline(pid);
    uid = statSync(`/proc/${pid}`).uid;
  } catch (error) {
    throw mapProcError(error, pid, 'command line', 'exited');
  }
  const exe = readExeOrEmpty(pid);
  const { runtime, interpreter } = guessRuntime(exe, argv, stat.comm);
  return {
    pid,
    ppid: stat.ppid,
    name: stat.comm,
    exe,
    argv,
    runtime,
    interpreter,
    uid,
    user: userName(uid),
    startTicks: stat.startTicks,
    rssBytes: stat.rssPages * pageSize(),
  };
}

function tryReadLinuxProcessInfo(pid: number): ProcessInfo | undefined {
  try {
    return readLinuxProcessInfo(pid);
  } catch {
    return undefined;
  }
}

/** Every descendant pid of `pid` (children, grandchildren...), breadth first. Linux only. */
export async function descendants(pid: number): Promise<number[]> {
  assertValidPid(pid);
  return isLinux ? descendantPids(pid) : [];
}

/** An interpreter found behind a wrapper, with the processes between (the wrapper first). */
export interface ResolvedInterpreter {
  target: ProcessInfo;
  chain: ProcessInfo[];
}

/**
 * The Python or Node interpreter that does the work behind `pid`: `pid` itself when it is one,
 * else the nearest descendant interpreter reached only through wrappers (a shell running a pyenv
 * shim, `npm run` → `sh -c` → node, a terminal's shell) of the same user. Among several at the
 * same depth, the one with the largest RSS. Undefined when there is none (yet), and when `pid`
 * is no wrapper at all (init, a terminal, a supervisor: what runs below is another job).
 * Off Linux: `pid` itself.
 */
export async function resolveInterpreter(pid: number): Promise<ProcessInfo | undefined> {
  return (await resolveInterpreterChain(pid))?.target;
}

export async function resolveInterpreterChain(pid: number): Promise<ResolvedInterpreter | undefined> {
  const root = await readProcessInfo(pid);
  if (!isLinux) return { target: root, chain: [root] };
  if (root.runtime !== 'other' && !isWrapper(root.runtime, root.argv)) return { target: root, chain: [root] };
  if (!isLaunchWrapper(root)) return undefined;
  return nearestInterpreterBelow(root);
}

function nearestInterpreterBelow(root: ProcessInfo): ResolvedInterpreter | undefined {
  const infos = descendantPids(root.pid)
    .map(tryReadLinuxProcessInfo)
    .filter((p): p is ProcessInfo => p !== undefined);
  const byPid = new Map(infos.map((p) => [p.pid, p]));
  const chains = infos
    .filter((p) => p.runtime !== 'other' && !isWrapper(p.runtime, p.argv) && p.uid === root.uid)
    .map((p) => wrapperChain(root, p, byPid))
    .filter((c): c is ProcessInfo[] => c !== undefined);
  chains.sort((a, b) => a.length - b.length || b[b.length - 1].rssBytes - a[a.length - 1].rssBytes);
  return chains[0] ? { target: chains[0][chains[0].length - 1], chain: chains[0] } : undefined;
}

/** root → … → target when every process between is a wrapper of root's user; else undefined. */
function wrapperChain(root: ProcessInfo, target: ProcessInfo, byPid: ReadonlyMap<number, ProcessInfo>): ProcessInfo[] | undefined {
  const chain = [target];
  for (let ppid = target.ppid; ppid !== root.pid; ) {
    const p = byPid.get(ppid);
    if (!p || p.uid !== root.uid || !isLaunchWrapper(p)) return undefined;
    chain.unshift(p);
    ppid = p.ppid;
  }
  return [root, ...chain];
}

/** A short label for lists: "python3 train.py --epochs 3" with paths cut to their base names. */
export function shortCommand(info: Pick<ProcessInfo, 'argv' | 'name'>, maxLength = 60): string {
  const argv = info.argv.length > 0 ? info.argv : [info.name];
  const text = [basename(argv[0]), ...argv.slice(1).map((a) => (a.includes('/') && !a.startsWith('-') ? basename(a) : a))].join(' ');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function assertValidPid(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`Not a process id: ${pid}`);
}

/** The executable's path, or '' when it cannot be read (another user's process, kernel thread). */
function readExeOrEmpty(pid: number): string {
  try {
    return readExe(pid).path;
  } catch {
    return '';
  }
}
