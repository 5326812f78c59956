// Can a Python process be probed, and how? The facts come from /proc; the decision is a pure
// function so each refusal can be tested.
import { basename } from 'node:path';
import { ProbeErrorCode } from './errors';
import { readCmdline, readExe } from '../discovery/procfs';
import { probeRead, readEnviron, readMapsPaths } from './procfs';
import { findExecutable, runProgram } from './util';

/**
 * remote_exec: Python ≥ 3.14's own sys.remote_exec, run by the target's interpreter.
 * ptrace: Leakscope's injector (Linux x86-64): borrows a thread blocked in a system call.
 * gdb: PyGILState_Ensure + PyRun_SimpleString through gdb (other architectures).
 */
export type PythonProbeMethod = 'remote_exec' | 'ptrace' | 'gdb' | 'none';

export interface PythonProbeSupport {
  method: PythonProbeMethod;
  /** [major, minor] when known. */
  version?: [number, number];
  /** The interpreter that runs the injector or sys.remote_exec. */
  interpreter?: string;
  /** Why not, when method is 'none'. */
  reason?: string;
  errorCode?: ProbeErrorCode;
}

export interface PythonFacts {
  pid: number;
  exe: string;
  version?: [number, number];
  environ: Map<string, string>;
  cmdline: string[];
  /** process.platform and process.arch of this machine. */
  platform: string;
  arch: string;
  gdbPath?: string;
  /** A Python interpreter able to run the injector (the target's own when it is one). */
  interpreter?: string;
}

export function parsePythonVersion(text: string): [number, number] | undefined {
  const match = /(?:python|libpython)(\d)\.(\d+)/.exec(text) ?? /^\(?(\d), ?(\d+)\)?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** `PYTHON_DISABLE_REMOTE_DEBUG` (any non-empty value) or `-X disable_remote_debug`. */
export function remoteDebugDisabled(environ: Map<string, string>, cmdline: string[]): string | undefined {
  if ((environ.get('PYTHON_DISABLE_REMOTE_DEBUG') ?? '') !== '') return 'PYTHON_DISABLE_REMOTE_DEBUG set';
  const x = cmdline.findIndex((a, i) => (a === '-X' && cmdline[i + 1] === 'disable_remote_debug') || a === '-Xdisable_remote_debug');
  return x >= 0 ? '-X disable_remote_debug' : undefined;
}

const atLeast = (v: [number, number], major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor);

export function decidePythonMethod(facts: PythonFacts): PythonProbeSupport {
  const { pid, version } = facts;
  const none = (reason: string, errorCode: ProbeErrorCode = 'unsupported'): PythonProbeSupport => ({ method: 'none', version, reason, errorCode });
  if (!version) return none(`Process ${pid} does not look like CPython (executable ${facts.exe}, no libpython mapped).`);
  if (!atLeast(version, 3, 6)) return none(`Process ${pid} runs Python ${version.join('.')}; the probe needs Python 3.6 or newer.`);
  // Respected on every version: the variable is how a user says "do not debug me from outside".
  const disabled = remoteDebugDisabled(facts.environ, facts.cmdline);
  if (disabled) {
    return none(
      `Process ${pid} was started with ${disabled}: it asked not to be debugged from outside, and Leakscope respects that. ` +
        'Restart it without that setting to probe it.',
      'remote-debug-disabled',
    );
  }
  if (facts.platform !== 'linux') return none(`Probing Python processes needs Linux (this is ${facts.platform}).`);
  if (atLeast(version, 3, 14)) {
    return facts.interpreter ? { method: 'remote_exec', version, interpreter: facts.interpreter } : none(`No Python ${version.join('.')} interpreter to run sys.remote_exec for process ${pid}.`);
  }
  if (facts.arch === 'x64' && facts.interpreter) return { method: 'ptrace', version, interpreter: facts.interpreter };
  if (facts.gdbPath) return { method: 'gdb', version, interpreter: facts.gdbPath };
  return none(`Probing Python ${version.join('.')} on ${facts.arch} needs gdb, which is not installed.`);
}

async function versionOf(pid: number, exe: string, deleted: boolean, maps: string[]): Promise<[number, number] | undefined> {
  const fromName = parsePythonVersion(basename(exe));
  if (fromName) return fromName;
  const lib = maps.find((p) => /\/libpython\d\.\d+/.test(p));
  if (lib) return parsePythonVersion(basename(lib));
  if (!/^python/.test(basename(exe))) return undefined;
  // A bare "python3": ask the same binary (through /proc when it was replaced on disk).
  const run = await runProgram(deleted ? `/proc/${pid}/exe` : exe, ['-I', '-S', '-c', 'import sys; print(sys.version_info[:2])'], { timeoutMs: 5000 }).catch(() => undefined);
  return run?.code === 0 ? parsePythonVersion(run.stdout) : undefined;
}

/** Gathers the facts about `pid` and decides. Throws ProbeError when /proc cannot be read. */
export async function pythonProbeSupport(pid: number): Promise<PythonProbeSupport> {
  const exe = probeRead(pid, 'read the executable of', readExe);
  const maps = readMapsPaths(pid);
  const version = await versionOf(pid, exe.path, exe.deleted, maps);
  // Through /proc only when the binary was replaced on disk: Python finds its prefix by its path.
  const ownInterpreter = /^python/.test(basename(exe.path)) ? (exe.deleted ? `/proc/${pid}/exe` : exe.path) : undefined;
  return decidePythonMethod({
    pid,
    exe: exe.path,
    version,
    environ: readEnviron(pid),
    cmdline: probeRead(pid, 'read the command line of', readCmdline),
    platform: process.platform,
    arch: process.arch,
    gdbPath: findExecutable('gdb'),
    // sys.remote_exec needs the same minor version: only the target's own binary will do.
    interpreter: version && atLeast(version, 3, 14) ? ownInterpreter : ownInterpreter ?? findExecutable('python3'),
  });
}
