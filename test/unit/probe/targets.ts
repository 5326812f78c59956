// Spawns the target programs of the probe tests and makes sure none outlives its test.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fromRoot } from '../../helpers/paths';

export interface Target {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  kill(): Promise<void>;
}

const running = new Set<Target>();

export function fixture(name: string): string {
  return fromRoot('test', 'fixtures', 'probe', name);
}

/** 1-based line of the fixture line that contains `marker`. */
export function markerLine(name: string, marker: string): number {
  const index = readFileSync(fixture(name), 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`no ${marker} in ${name}`);
  return index + 1;
}

/** Starts a program and resolves once it printed a line starting with "ready". */
export function startTarget(command: string, args: string[], options: SpawnOptions = {}, readyTimeoutMs = 15_000): Promise<Target> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  let err = '';
  const target: Target = {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    kill: () => killChild(child).then(() => void running.delete(target)),
  };
  running.add(target);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} not ready: ${err}`)), readyTimeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/^ready/m.test(out)) {
        clearTimeout(timer);
        resolve(target);
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited early (${code ?? signal}): ${err}`));
    });
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function killAllTargets(): Promise<void> {
  await Promise.all([...running].map((t) => t.kill()));
}

export function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

export function threadCount(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

/** The newest pyenv interpreter of a minor version, if installed. */
export function pyenvPython(minor: string): string | undefined {
  const root = '/root/.pyenv/versions';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).filter((v) => v.startsWith(`${minor}.`)).sort().pop();
  const exe = version && `${root}/${version}/bin/python${minor}`;
  return exe && existsSync(exe) ? exe : undefined;
}
