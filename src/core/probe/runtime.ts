// Which runtime a process is, for the probe: light enough to load at activation (the consent
// modal asks it first), unlike the probe engine itself (index.ts, loaded on first use).
import { basename } from 'node:path';
import { ProbeError } from './errors';
import { parsePythonVersion } from './pythonSupport';
import { readExe } from '../discovery/procfs';
import { probeRead, readMapsPaths } from './procfs';
import { ProbeRuntime } from './types';

/** 'node' or 'python' from the executable and the mapped libraries; undefined for others. */
export function detectProbeRuntime(pid: number): ProbeRuntime | undefined {
  const exe = basename(probeRead(pid, 'read the executable of', readExe).path);
  if (/^(node|nodejs)\d*$/.test(exe)) return 'node';
  if (/^python/.test(exe)) return 'python';
  const maps = readMapsPaths(pid);
  if (maps.some((p) => /\/libnode\.so/.test(p))) return 'node';
  if (maps.some((p) => parsePythonVersion(basename(p)) && /libpython/.test(p))) return 'python';
  return undefined;
}

/**
 * The name of the program a pid runs now, from /proc/PID/exe: argv read at attach time can be
 * a wrapper's (or the parent's, caught between fork and exec).
 */
export function programName(pid: number): string {
  try {
    return basename(readExe(pid).path);
  } catch {
    return 'unknown';
  }
}

export function requireRuntime(pid: number): ProbeRuntime {
  const runtime = detectProbeRuntime(pid);
  if (!runtime) throw new ProbeError('unsupported', `Process ${pid} (${programName(pid)}) is neither a Node.js nor a Python process, so it cannot be probed.`);
  return runtime;
}
