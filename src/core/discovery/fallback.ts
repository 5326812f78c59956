// Off Linux (macOS, Windows) Leakscope reads a process through pidusage, which runs `ps` on macOS
// and WMI on Windows. What is missing there: the command line, executable, runtime, user and
// threads, open fds, children and start ticks (pid reuse is told from the start time that
// pidusage's `elapsed` implies, to ±1 s). Attach works by pid only; there is no listing.
import { ProcessInfo } from '../model';
import { mapProcError } from './errors';

/**
 * pidusage, loaded at its first use: only off Linux is it used at all, so the extension does not
 * evaluate it (and its requires) when it loads.
 */
export async function loadPidusage(): Promise<typeof import('pidusage')> {
  return (await import('pidusage')).default;
}

/**
 * `usePs` keeps pidusage off its Linux procfile reader, whose per-pid fds `clear()` never closes;
 * a short `maxage` lets its per-pid history expire soon after we stop asking (0 loops to EMFILE).
 */
export function fallbackOptions(intervalMs: number): { usePs: boolean; maxage: number } {
  return { usePs: process.platform !== 'win32', maxage: Math.max(2 * intervalMs, 1000) };
}

export async function readFallbackProcessInfo(pid: number): Promise<ProcessInfo> {
  let stat;
  try {
    stat = await (await loadPidusage())(pid, fallbackOptions(1000));
  } catch (error) {
    throw mapProcError(error, pid, 'status', 'not-found');
  }
  return {
    pid,
    ppid: stat.ppid,
    name: '',
    exe: '',
    argv: [],
    runtime: 'other',
    interpreter: '',
    uid: -1,
    user: '',
    startTicks: 0,
    rssBytes: stat.memory,
  };
}
