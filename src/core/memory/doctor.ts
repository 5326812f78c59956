// The attach doctor: before a probe, what will stop it (Yama, capabilities, another user,
// another namespace, unreadable /proc files, PYTHON_DISABLE_REMOTE_DEBUG, the Python route, a
// taken inspector port) and what still works without it. Facts are gathered from /proc, then
// judged by a pure function, so that a setting that must not be changed on this machine
// (ptrace_scope) can be tested by passing the fact instead.
import { readFileSync, readlinkSync } from 'node:fs';
import { userName } from '../discovery/users';
import { ProbeRuntime } from '../probe/types';
import { configuredInspectorPort, nodeOptionArgs } from '../probe/nodeInspector';
import { portHolder, readIdentity } from '../probe/procfs';
import { PythonProbeSupport, pythonProbeSupport, remoteDebugDisabled } from '../probe/pythonSupport';
import { readCmdline } from '../discovery/procfs';
import { readEnviron } from '../probe/procfs';

export interface AttachFacts {
  pid: number;
  runtime?: ProbeRuntime;
  /** /proc/sys/kernel/yama/ptrace_scope; undefined when Yama is not in the kernel. */
  ptraceScope?: number;
  ourUid: number;
  targetUid?: number;
  /** CAP_SYS_PTRACE in our effective set (root normally has it). */
  capSysPtrace: boolean;
  /** The target descends from us (Yama scope 1 allows that without the capability). */
  isDescendant: boolean;
  /** undefined: could not be compared (another user's /proc/PID/ns cannot be read). */
  samePidNamespace?: boolean;
  sameNetNamespace?: boolean;
  /** /proc files of the target we could not read, by name. */
  unreadable: string[];
  remoteDebugDisabled?: string;
  python?: PythonProbeSupport;
  inspectorPort?: number;
  /** Who holds the inspector port when another process does. */
  portTakenBy?: { pid?: number; name?: string };
  tracerPid?: number;
}

export type FindingLevel = 'blocker' | 'warning' | 'ok';

export interface AttachFinding {
  id: string;
  level: FindingLevel;
  /** One sentence: what was found, what it stops, and what still works. */
  message: string;
}

export interface AttachReport {
  pid: number;
  /** No blocker: the deep probe / runtime view should work. */
  canProbe: boolean;
  findings: AttachFinding[];
  /** What works without attaching at all. */
  stillWorks: string;
}

const CAP_SYS_PTRACE = 19;

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

export function hasCapability(capEffHex: string, bit: number): boolean {
  return ((BigInt(`0x${capEffHex || '0'}`) >> BigInt(bit)) & 1n) === 1n;
}

function ptraceScope(): number | undefined {
  return readOr(() => Number(readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'latin1').trim()), undefined);
}

function ourCapEff(): string {
  return readOr(() => /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1] ?? '0', '0');
}

function isDescendantOf(pid: number, ancestor: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    const stat = readOr(() => readFileSync(`/proc/${p}/stat`, 'latin1'), '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === ancestor) return true;
    if (!Number.isFinite(ppid)) return false;
    p = ppid;
  }
  return false;
}

function sameNamespace(pid: number, kind: 'pid' | 'net'): boolean | undefined {
  const theirs = readOr(() => readlinkSync(`/proc/${pid}/ns/${kind}`), undefined);
  return theirs === undefined ? undefined : theirs === readOr(() => readlinkSync(`/proc/self/ns/${kind}`), undefined);
}

function unreadableFiles(pid: number): string[] {
  return ['status', 'maps', 'environ', 'smaps_rollup', 'limits'].filter((name) => readOr(() => (readFileSync(`/proc/${pid}/${name}`), false), true));
}

/** Everything the doctor judges, from /proc; `overrides` replace facts (tests, simulations). */
export async function gatherAttachFacts(pid: number, runtime: ProbeRuntime | undefined, overrides: Partial<AttachFacts> = {}): Promise<AttachFacts> {
  const identity = readOr(() => readIdentity(pid), undefined);
  const environ = readOr(() => readEnviron(pid), undefined);
  const facts: AttachFacts = {
    pid,
    runtime,
    ptraceScope: ptraceScope(),
    ourUid: process.geteuid?.() ?? -1,
    targetUid: identity?.uid,
    capSysPtrace: hasCapability(ourCapEff(), CAP_SYS_PTRACE),
    isDescendant: isDescendantOf(pid, process.pid),
    samePidNamespace: sameNamespace(pid, 'pid'),
    sameNetNamespace: sameNamespace(pid, 'net'),
    unreadable: unreadableFiles(pid),
    remoteDebugDisabled: environ ? remoteDebugDisabled(environ, readOr(() => readCmdline(pid), [])) : undefined,
    tracerPid: identity?.tracerPid,
  };
  if (runtime === 'python') facts.python = await pythonProbeSupport(pid).catch(() => undefined);
  if (runtime === 'node') Object.assign(facts, nodePortFacts(pid));
  return { ...facts, ...overrides };
}

function nodePortFacts(pid: number): Pick<AttachFacts, 'inspectorPort' | 'portTakenBy'> {
  const port = configuredInspectorPort(readOr(() => nodeOptionArgs(pid), []));
  const holder = readOr(() => portHolder(port), undefined);
  return { inspectorPort: port, portTakenBy: holder && holder.pid !== pid ? holder : undefined };
}

const FROM_PROC = 'RSS, threads, the anonymous/file/shared split, the limits and the growth verdict still work (they read /proc/PID/status, which anyone may read)';

/** Judges the facts: each finding is one sentence that says what it stops and what still works. */
export function checkAttach(facts: AttachFacts): AttachReport {
  const findings = [
    ...yamaFindings(facts),
    ...userFindings(facts),
    ...namespaceFindings(facts),
    ...procFindings(facts),
    ...(facts.runtime === 'python' ? pythonFindings(facts) : []),
    ...(facts.runtime === 'node' ? nodeFindings(facts) : []),
  ];
  return { pid: facts.pid, canProbe: !findings.some((f) => f.level === 'blocker'), findings, stillWorks: `${FROM_PROC}.` };
}

/** Python is injected with ptrace; Node's inspector is opened with a signal, which Yama ignores. */
function injects(facts: AttachFacts): boolean {
  return facts.runtime === 'python';
}

function yamaFindings(facts: AttachFacts): AttachFinding[] {
  const scope = facts.ptraceScope;
  if (scope === undefined || scope === 0 || !injects(facts)) return [];
  const stop = `so the Python probe cannot be injected into process ${facts.pid} (every route, sys.remote_exec included, needs ptrace access)`;
  if (scope >= 3) {
    return [{ id: 'ptrace-scope', level: 'blocker', message: `Yama's ptrace_scope is 3: no process may use ptrace, not even root, until the next reboot, ${stop}; ${FROM_PROC}.` }];
  }
  if (scope === 2 && !facts.capSysPtrace) {
    return [{ id: 'ptrace-scope', level: 'blocker', message: `Yama's ptrace_scope is 2: only a process with CAP_SYS_PTRACE may use ptrace, and Leakscope does not have it, ${stop}; run it as root, or ${FROM_PROC}.` }];
  }
  if (scope === 1 && !facts.capSysPtrace && !facts.isDescendant) {
    return [{ id: 'ptrace-scope', level: 'blocker', message: `Yama's ptrace_scope is 1: ptrace reaches only the tracer's own descendants, and process ${facts.pid} was not started by Leakscope, ${stop}; start it from Leakscope's terminal, set ptrace_scope to 0 (sysctl kernel.yama.ptrace_scope=0), or ${FROM_PROC}.` }];
  }
  return [{ id: 'ptrace-scope', level: 'ok', message: `Yama's ptrace_scope is ${scope}, which allows Leakscope to attach (${facts.capSysPtrace ? 'it has CAP_SYS_PTRACE' : 'the target is its descendant'}).` }];
}

function userFindings(facts: AttachFacts): AttachFinding[] {
  if (facts.targetUid === undefined || facts.targetUid === facts.ourUid) return [];
  const theirs = `${userName(facts.targetUid)} (uid ${facts.targetUid})`;
  if (facts.capSysPtrace) {
    return [{ id: 'other-user', level: 'ok', message: `Process ${facts.pid} belongs to ${theirs}; Leakscope has CAP_SYS_PTRACE, so it can attach, and the injected code runs as ${userName(facts.targetUid)}.` }];
  }
  return [{
    id: 'other-user',
    level: 'blocker',
    message: `Process ${facts.pid} belongs to ${theirs} and Leakscope runs as ${userName(facts.ourUid)} without CAP_SYS_PTRACE, so it can neither inject into it nor signal it; run Leakscope as ${facts.targetUid === 0 ? 'root' : `${userName(facts.targetUid)} or as root`}; ${FROM_PROC}, but not USS/PSS or open files.`,
  }];
}

function namespaceFindings(facts: AttachFacts): AttachFinding[] {
  const found: AttachFinding[] = [];
  if (facts.samePidNamespace === false) {
    found.push({ id: 'pid-namespace', level: 'warning', message: `Process ${facts.pid} runs in another PID namespace (a container): the probe reaches it through /proc/${facts.pid}/root, and the process knows itself by another pid.` });
  }
  if (facts.runtime === 'node' && facts.sameNetNamespace === false) {
    found.push({ id: 'net-namespace', level: 'blocker', message: `Process ${facts.pid} has its own network namespace (a container): the inspector it opens on 127.0.0.1 is not reachable from here; run Leakscope inside the container, or start the process with --inspect=0.0.0.0 on a published port; ${FROM_PROC}.` });
  }
  return found;
}

function procFindings(facts: AttachFacts): AttachFinding[] {
  if (facts.unreadable.length === 0) return [];
  const files = facts.unreadable.map((f) => `/proc/${facts.pid}/${f}`).join(', ');
  const level: FindingLevel = facts.unreadable.includes('status') ? 'blocker' : 'warning';
  return [{ id: 'proc-access', level, message: `Leakscope cannot read ${files}: ${level === 'blocker' ? 'nothing about the process can be measured' : `${FROM_PROC}, but what needs those files (USS/PSS, the environment, the probe's route) does not`}.` }];
}

function pythonFindings(facts: AttachFacts): AttachFinding[] {
  if (facts.remoteDebugDisabled) {
    return [{
      id: 'remote-debug-disabled',
      level: 'blocker',
      message: `Process ${facts.pid} was started with ${facts.remoteDebugDisabled}: it asked not to be debugged from outside, and Leakscope respects that, so the interpreter's own view (tracemalloc, pymalloc, mallinfo2) and malloc_trim are out of reach; ${FROM_PROC}.`,
    }];
  }
  const python = facts.python;
  if (!python) return [];
  if (python.method === 'none') return [{ id: 'python-route', level: 'blocker', message: `${python.reason ?? 'No way to inject into this Python.'} ${FROM_PROC}.` }];
  const found: AttachFinding[] = [{ id: 'python-route', level: 'ok', message: `Python ${python.version?.join('.') ?? '?'}: the probe would use ${ROUTES[python.method]}.` }];
  if (facts.tracerPid && python.method !== 'remote_exec') {
    found.push({ id: 'already-traced', level: 'blocker', message: `Process ${facts.pid} is already being debugged by pid ${facts.tracerPid}, and a process has only one ptrace tracer; detach that debugger first; ${FROM_PROC}.` });
  }
  return found;
}

const ROUTES: Record<PythonProbeSupport['method'], string> = {
  remote_exec: 'sys.remote_exec (Python 3.14+, the interpreter runs it at its next safe point)',
  ptrace: "Leakscope's ptrace injector (it borrows a thread that waits in a system call for a few milliseconds)",
  gdb: 'gdb (the process is paused for about half a second)',
  none: 'nothing',
};

function nodeFindings(facts: AttachFacts): AttachFinding[] {
  const port = facts.inspectorPort ?? 9229;
  if (!facts.portTakenBy) return [{ id: 'inspector-port', level: 'ok', message: `Node: SIGUSR1 would open the inspector on 127.0.0.1:${port}, which is free.` }];
  const who = facts.portTakenBy.pid ? `${facts.portTakenBy.name ?? 'a process'} (pid ${facts.portTakenBy.pid})` : 'another process';
  return [{
    id: 'inspector-port',
    level: 'blocker',
    message: `Port ${port} is taken by ${who}, so process ${facts.pid} cannot open its inspector there; free the port or restart the process with --inspect=127.0.0.1:<free port>; ${FROM_PROC}.`,
  }];
}

/** Facts and judgement in one call. */
export async function attachDoctor(pid: number, runtime: ProbeRuntime | undefined, overrides: Partial<AttachFacts> = {}): Promise<AttachReport> {
  return checkAttach(await gatherAttachFacts(pid, runtime, overrides));
}
