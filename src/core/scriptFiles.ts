// Which source files a process runs, from its command line: the script argument of
// `python [opts] script.py` or `node [opts] app.js`, resolved against its working directory.
import { readlinkSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ProcessInfo } from './model';

const SCRIPT = /\.(py|js|mjs|cjs|ts|mts|cts)$/;

export function scriptFiles(info: ProcessInfo, readCwd: (pid: number) => string | undefined = procCwd): string[] {
  const scripts = info.argv.slice(1).filter((a) => !a.startsWith('-') && SCRIPT.test(a));
  if (scripts.length === 0) return [];
  const cwd = readCwd(info.pid);
  return scripts
    .map((s) => (isAbsolute(s) ? s : cwd ? resolve(cwd, s) : undefined))
    .filter((s): s is string => s !== undefined);
}

/** The working directory of a process (Linux), undefined when it cannot be read. */
export function procCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}
