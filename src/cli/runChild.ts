// The program `leakscope run` starts: spawned in a process group of its own, so that Ctrl+C in a
// terminal reaches it once (passed on by leakscope, not also straight from the terminal) and a
// stop reaches its whole tree; optionally with its output piped through, line by line.
import { ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from './io';
import { errnoCode } from '../core/discovery/errors';
import { errorMessage } from '../core/errorMessage';

/** Between SIGTERM and SIGKILL when leakscope stops the program: time to flush and clean up. */
export const KILL_GRACE_MS = 5_000;

/** Shell conventions: the command is missing (127) or cannot be executed (126). */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  /** Called with each line of the program's stdout and stderr (which are then piped and echoed). */
  onLine?: (line: string, tMs: number) => void;
  /** The program's environment (default: leakscope's own). */
  env?: NodeJS.ProcessEnv;
}

export class ChildProgram {
  readonly exited: Promise<ChildExit>;
  private stopDeadline: number | undefined;
  private ended = false;

  private constructor(child: ChildProcess, readonly pid: number) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.ended = true;
        const exit = { code, signal };
        if (this.stopDeadline === undefined) return resolve(exit);
        // Stopped by leakscope: the rest of its group (workers, a wrapper's interpreter) goes too.
        void this.groupGone().then(() => resolve(exit));
      });
    });
  }

  /** Starts argv[0] with the rest as its arguments; rejects with CliError (126/127) when it cannot. */
  static async start(argv: readonly string[], options: ChildOptions): Promise<ChildProgram> {
    const piped = options.onLine !== undefined;
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['inherit', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'],
      detached: true, // its own process group (and session): see the top of this file
      // Python buffers stdout on a pipe: lines would arrive in 8-KB bursts, their times wrong.
      env: piped ? { PYTHONUNBUFFERED: '1', ...(options.env ?? process.env) } : options.env ?? process.env,
    });
    const pid = child.pid;
    if (pid === undefined) throw await spawnFailure(child, argv[0]);
    const program = new ChildProgram(child, pid);
    if (options.onLine) {
      echoLines(child.stdout, process.stdout, options.onLine);
      echoLines(child.stderr, process.stderr, options.onLine);
    }
    return program;
  }

  /** Passes a signal on to the program's process group (its workers too, as a terminal would). */
  forward(signal: NodeJS.Signals): void {
    this.signalGroup(signal);
  }

  /**
   * SIGTERM to the program's process group now, SIGKILL to what is left of it after
   * KILL_GRACE_MS; resolves once the program has exited and its group is gone.
   */
  stop(): Promise<ChildExit> {
    if (this.stopDeadline === undefined && !this.ended) {
      this.stopDeadline = Date.now() + KILL_GRACE_MS;
      this.signalGroup('SIGTERM');
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), KILL_GRACE_MS);
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** Waits (polling: a group has no exit event) until no process of the group is left, or kills it at the deadline. */
  private async groupGone(): Promise<void> {
    while (groupExists(this.pid)) {
      if (Date.now() >= (this.stopDeadline ?? 0)) {
        killGroup(this.pid, 'SIGKILL');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (!this.ended || signal === 'SIGKILL') killGroup(this.pid, signal);
  }
}

const GROUP_POLL_MS = 50;

function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // the group is gone: nothing to signal
  }
}

function groupExists(pgid: number): boolean {
  return killGroup(pgid, 0);
}

/** What a shell would exit with: the code, or 128 + the number of the signal that ended it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? constants.signals[exit.signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

async function spawnFailure(child: ChildProcess, command: string): Promise<CliError> {
  const error = await new Promise<unknown>((resolve) => child.once('error', resolve));
  const code = errnoCode(error);
  if (code === 'ENOENT') return new CliError(`${command}: command not found`, EXIT_NOT_FOUND);
  if (code === 'EACCES') return new CliError(`${command}: permission denied (not executable)`, EXIT_NOT_EXECUTABLE);
  return new CliError(`${command}: cannot start it: ${errorMessage(error)}`, EXIT_NOT_EXECUTABLE);
}

/** Copies the program's bytes through unchanged and hands each complete line to `onLine`. */
function echoLines(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream, onLine: (line: string, tMs: number) => void): void {
  if (!from) return;
  const decoder = new StringDecoder('utf8');
  let partial = '';
  from.on('data', (chunk: Buffer) => {
    to.write(chunk);
    const now = Date.now();
    // A progress bar ends its lines with \r alone: each redraw is a line too.
    const parts = (partial + decoder.write(chunk)).split(/\r\n|\r|\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) onLine(line, now);
    if (partial.length > 64 * 1024) partial = ''; // no line end in sight: not a counter's line
  });
  from.on('end', () => {
    if (partial) onLine(partial, Date.now());
  });
}
