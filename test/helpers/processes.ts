// Real processes for tests: the fixture programs in test/fixtures/programs, started in their own
// process group and killed (the whole group) when the test ends.
import { ChildProcess, execFileSync, spawn, SpawnOptions } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fromRoot } from './paths';

/** Debian's own Python 3.11 (`python3` on PATH is a pyenv shim, a bash script). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const PYENV_SHIM = '/root/.pyenv/shims/python3';

export function fixtureProgram(name: string): string {
  return fromRoot('test', 'fixtures', 'programs', name);
}

/** Anything with `after`, like node:test's TestContext or a suite context. */
export interface Teardown {
  after(fn: () => unknown): void;
}

export interface TestProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Resolves with the first line at index `fromLine` or later (old or new) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number, fromLine?: number): Promise<string>;
  /** Sends a command to a controlled.* program and waits for its "ok" answer. */
  command(line: string, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const started = new Set<TestProcess>();

/**
 * Starts `command` and waits until it prints a line matching `ready` (default /^ready/).
 * Registered with `t.after` to kill its process group.
 */
export async function startProcess(
  t: Teardown | undefined,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { ready?: RegExp | null } = {},
): Promise<TestProcess> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true, ...options });
  const proc = wrap(child);
  started.add(proc);
  t?.after(() => proc.kill());
  const ready = options.ready === undefined ? /^ready/ : options.ready;
  if (ready) {
    try {
      await proc.waitForLine(ready);
    } catch (error) {
      await proc.kill();
      throw error;
    }
  }
  return proc;
}

export function startPython(t: Teardown | undefined, program: string, args: readonly string[] = [], python = SYSTEM_PYTHON): Promise<TestProcess> {
  return startProcess(t, python, [fixtureProgram(program), ...args]);
}

export function startNode(t: Teardown | undefined, program: string, args: readonly string[] = []): Promise<TestProcess> {
  return startProcess(t, process.execPath, [fixtureProgram(program), ...args]);
}

/** Kills every process the helpers started that is still running (for bench and `after` hooks). */
export async function killAllStarted(): Promise<void> {
  await Promise.all([...started].map((p) => p.kill()));
}

function wrap(child: ChildProcess): TestProcess {
  if (child.pid === undefined) throw new Error('spawn failed');
  const pid = child.pid;
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let ended = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const proc: TestProcess = {
    pid,
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 15_000, fromLine = 0) {
      const seen = lines.slice(fromLine).find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pid ${pid}: no line matching ${pattern} in ${timeoutMs} ms; got ${JSON.stringify(lines.slice(-5))}`)), timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then((code) => {
          if (!waiters.includes(waiter)) return;
          waiters.splice(waiters.indexOf(waiter), 1);
          clearTimeout(timer);
          reject(new Error(`pid ${pid} exited (${code}) before printing a line matching ${pattern}`));
        });
      });
    },
    command(line, timeoutMs) {
      const before = lines.length;
      child.stdin?.write(line + '\n');
      return this.waitForLine(/^ok\b/, timeoutMs, before);
    },
    async kill(signal = 'SIGKILL') {
      started.delete(proc);
      if (!ended) {
        try {
          process.kill(-pid, signal); // the whole group: shells' and workers' children too
        } catch {
          // already gone
        }
        await exited;
      }
      child.stdin?.destroy();
      child.stdout?.destroy();
    },
  };
  return proc;
}

/** RSS in bytes as `ps` reports it (KiB). */
export function psRssBytes(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** Our own open file descriptors. */
export function ownFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
