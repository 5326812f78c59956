// Gets one Python expression run inside a live CPython process, by one of three routes.
// All are bounded in time; the ptrace route is never killed halfway (see injectWithPtrace).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProbeError, ProbeErrorCode } from './errors';
import { INJECTOR_PY } from './pythonInjectorScript';
import { PythonProbeSupport } from './pythonSupport';
import { StatusCallback } from './types';
import { runProgram } from './util';

export interface InjectRequest {
  pid: number;
  support: PythonProbeSupport;
  /** A Python expression (see execExpression). */
  code: string;
  /** Private directory for the injector's own files (host view). */
  workDir: string;
  /** How long the target may take to reach a point where the code can run. */
  timeoutMs: number;
  onStatus?: StatusCallback;
}

export interface InjectOutcome {
  /** The target thread that ran the code (ptrace route). */
  tid?: number;
  /** Blocking system call that thread was in. */
  syscall?: string;
}

const WAITING_MESSAGE = 'Waiting for the target: it is busy (running Python or a long C call) and has no thread idle in a system call yet.';

export function inject(request: InjectRequest): Promise<InjectOutcome> {
  switch (request.support.method) {
    case 'ptrace':
      return injectWithPtrace(request);
    case 'remote_exec':
      return injectWithRemoteExec(request);
    case 'gdb':
      return injectWithGdb(request);
    case 'none':
      throw new ProbeError(request.support.errorCode ?? 'unsupported', request.support.reason ?? 'This process cannot be probed.');
  }
}

interface InjectorLine {
  event?: string;
  ok?: boolean;
  code?: string;
  error?: string;
  rc?: number;
  tid?: number;
  syscall?: string;
}

function parseLine(line: string): InjectorLine | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as InjectorLine) : undefined;
  } catch {
    return undefined;
  }
}

const KNOWN_CODES: ProbeErrorCode[] = ['permission-denied', 'process-exited', 'timeout', 'unsupported', 'injection-failed'];

export function injectorFailure(pid: number, line: InjectorLine): ProbeError {
  const code = KNOWN_CODES.find((c) => c === line.code) ?? 'injection-failed';
  const detail = line.error ?? 'no detail';
  switch (code) {
    case 'permission-denied':
      return new ProbeError(code, `Not allowed to attach to process ${pid} (ptrace: ${detail}). Run Leakscope as the process's user or as root; a debugger already attached also prevents it.`, detail);
    case 'process-exited':
      return new ProbeError(code, `Process ${pid} exited before the probe could run.`, detail);
    case 'timeout':
      return new ProbeError(
        code,
        `Process ${pid} never had a thread idle in a system call (sleep, I/O wait) in the time allowed, so no code was injected: it is running Python or C code without pause. Try again when it waits for I/O or sleeps.`,
        detail,
      );
    case 'unsupported':
      return new ProbeError(code, `Process ${pid} cannot be probed: ${detail}.`, detail);
    default:
      return new ProbeError(code, `Running the probe in process ${pid} failed: ${detail}.`, detail);
  }
}

/**
 * The injector must not be killed while it borrows a thread of the target (the thread would
 * return into nothing). It bounds its own search for a safe point; once a call is under way it
 * finishes it. If the call outlasts our bound (the GIL held elsewhere by a long C call), we stop
 * waiting but leave the injector running, detached: it restores the thread when the call
 * returns, and the probe code finds its directory gone and does nothing.
 */
function injectWithPtrace(request: InjectRequest): Promise<InjectOutcome> {
  const { pid, support, workDir, timeoutMs, onStatus } = request;
  const injector = join(workDir, 'injector.py');
  writeFileSync(injector, INJECTOR_PY, { mode: 0o600 });
  const args = [injector, JSON.stringify({ pid, code: request.code, timeoutS: timeoutMs / 1000 })];
  const child = spawn(support.interpreter ?? 'python3', ['-I', '-S', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let pending = '';
    let stderr = '';
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(bound);
      clearTimeout(slowCall);
      action();
    };
    let slowCall: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => {
      child.unref();
      child.stdout.destroy();
      child.stderr.destroy();
      settle(() =>
        reject(
          new ProbeError(
            'timeout',
            `Process ${pid} is inside a long call that holds its interpreter lock, so the probe could not start within ${Math.round(timeoutMs / 1000)} s. ` +
              'Leakscope stopped waiting: when the call returns, the probe finds its files gone and does nothing (a helper process stays attached to one thread until then).',
          ),
        ),
      );
    }, timeoutMs + 2000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = parseLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        if (line?.event === 'waiting') onStatus?.({ state: 'waiting', message: WAITING_MESSAGE });
        if (line?.event === 'calling') {
          onStatus?.({ state: 'injecting', message: `Running the probe in thread ${line.tid} of process ${pid} (it was in ${line.syscall})…` });
          // The call waits for the interpreter lock: long when another thread holds it in C code.
          slowCall = setTimeout(() => onStatus?.({ state: 'waiting', message: `Waiting for process ${pid}: another thread holds the interpreter lock in a long call; the probe starts when it returns.` }), 1000);
        }
        if (line?.event === 'done') {
          settle(() => (line.ok ? resolve({ tid: line.tid, syscall: line.syscall }) : reject(injectorFailure(pid, line.rc !== undefined ? { ...line, error: `PyRun_SimpleString returned ${line.rc}` } : line))));
        }
      }
    });
    child.on('error', (error) => settle(() => reject(new ProbeError('unsupported', `Could not start the injector (${support.interpreter}): ${error.message}`))));
    child.on('close', (code) => settle(() => reject(new ProbeError('injection-failed', `The injector stopped (exit ${code}) without a result: ${stderr.trim().slice(-500)}`))));
  });
}

/** Python ≥ 3.14: the target runs the script itself at its next safe point. */
async function injectWithRemoteExec(request: InjectRequest): Promise<InjectOutcome> {
  const { pid, support, workDir } = request;
  const stub = join(workDir, 'remote_exec.py');
  writeFileSync(stub, request.code + '\n', { mode: 0o644 });
  const run = await runProgram(support.interpreter ?? 'python3', ['-I', '-S', '-c', 'import sys; sys.remote_exec(int(sys.argv[1]), sys.argv[2])', String(pid), stub], { timeoutMs: 15_000 });
  if (run.code === 0) return {};
  throw remoteExecFailure(pid, run.stderr);
}

export function remoteExecFailure(pid: number, stderr: string): ProbeError {
  const last = stderr.trim().split('\n').pop() ?? '';
  if (/Remote debugging is not enabled/i.test(stderr)) {
    return new ProbeError('remote-debug-disabled', `Process ${pid} has remote debugging turned off (PYTHON_DISABLE_REMOTE_DEBUG, -X disable_remote_debug, or a build without it); Leakscope respects that.`, last);
  }
  if (/PermissionError|Operation not permitted/i.test(stderr)) {
    return new ProbeError('permission-denied', `Not allowed to reach process ${pid} with sys.remote_exec. Run Leakscope as the process's user or as root.`, last);
  }
  if (/ProcessLookupError|No such process/i.test(stderr)) return new ProbeError('process-exited', `Process ${pid} exited before the probe could run.`, last);
  if (/Can't send commands/i.test(stderr)) return new ProbeError('unsupported', `sys.remote_exec refused: ${last}`, last);
  return new ProbeError('injection-failed', `sys.remote_exec failed for process ${pid}: ${last}`, last);
}

/** gdb command file: the brief's sequence, with (int) casts for interpreters without symbols. */
export function gdbCommands(code: string): string {
  const cString = code.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return [
    'set $leakscope_gil = (int)PyGILState_Ensure()',
    `set $leakscope_rc = (int)PyRun_SimpleString("${cString}")`,
    'call (void)PyGILState_Release($leakscope_gil)',
    'printf "LEAKSCOPE_RC %d\\n", $leakscope_rc',
    '',
  ].join('\n');
}

export function gdbFailure(pid: number, output: string): ProbeError | undefined {
  const rc = /LEAKSCOPE_RC (-?\d+)/.exec(output);
  if (rc && rc[1] === '0') return undefined;
  if (/ptrace: Operation not permitted/.test(output)) {
    return new ProbeError('permission-denied', `Not allowed to attach gdb to process ${pid}. Run Leakscope as the process's user or as root.`);
  }
  if (/No such process/.test(output)) return new ProbeError('process-exited', `Process ${pid} exited before the probe could run.`);
  const noSymbol = /No symbol "(\w+)" in current context/.exec(output);
  if (noSymbol) return new ProbeError('unsupported', `gdb found no ${noSymbol[1]} in process ${pid}: it does not export the CPython API.`);
  // gdb 13 on CPUs with AMX: "Couldn't write extended state status: Bad address." after the
  // call. Observed: the target is then left blocked in a futex wait and never runs again.
  const registers = /Couldn't (?:write|get|read) extended state[^\n]*|(?:Could not|Couldn't|Unable to) restore (?:the )?registers[^\n]*/i.exec(output);
  if (registers) {
    return new ProbeError(
      'injection-failed',
      `gdb could not restore the registers of process ${pid} after calling into it (a gdb/CPU mismatch, e.g. AMX). ` +
        `Process ${pid} may now be stuck (left waiting on a lock, doing no work) or may fail in its next system call: check that it still responds, and restart it if not. Nothing was measured.`,
      registers[0].trim(),
    );
  }
  return new ProbeError('injection-failed', `gdb could not run the probe in process ${pid}${rc ? ` (PyRun_SimpleString returned ${rc[1]})` : ''}.`);
}

/** Other architectures: gdb's inferior calls (the target is stopped while gdb is attached). */
async function injectWithGdb(request: InjectRequest): Promise<InjectOutcome> {
  const { pid, workDir } = request;
  const commands = join(workDir, 'inject.gdb');
  writeFileSync(commands, gdbCommands(request.code), { mode: 0o600 });
  const gdb = request.support.interpreter ?? 'gdb';
  // unwindonsignal: an interrupted call (our SIGINT at the timeout) is unwound, not left half done.
  const args = ['-p', String(request.pid), '-batch', '-nx', '-iex', 'set debuginfod enabled off', '-iex', 'set auto-load off', '-ex', 'set confirm off', '-ex', 'set unwindonsignal on', '-x', commands];
  const run = await runProgram(gdb, args, { timeoutMs: request.timeoutMs, killSignal: 'SIGINT' });
  const failure = gdbFailure(pid, run.stdout + run.stderr);
  if (run.timedOut) throw new ProbeError('timeout', `gdb did not finish injecting into process ${pid} in time (it is probably inside a long C call holding the GIL).`);
  if (failure) throw failure;
  return {};
}
