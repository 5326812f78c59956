// "Run with memory monitor": runs the active Python or JavaScript/TypeScript file in a terminal of
// Leakscope's own (a pseudoterminal over a child process, so the pid is known the moment it starts)
// and opens the panel on it from its first sample, with the warm-up of a launched program.
import { ChildProcess, spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { readProcessInfo } from '../core/discovery';
import { LAUNCHED_WARM_UP_MS, WatchSession } from '../core/session';
import { MonitorManager } from './monitorManager';
import { errorMessage } from '../core/errorMessage';
import { bundledGcPacer, withGcPacer } from '../core/gcPacing';
import { readConfig } from '../config';

const PYTHON_EXTENSION = 'ms-python.python';
const NODE_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);

export class RunWithMonitor implements vscode.Disposable {
  private readonly terminals = new Set<vscode.Terminal>();
  private readonly closing = vscode.window.onDidCloseTerminal((t) => this.terminals.delete(t));

  constructor(private readonly manager: MonitorManager, private readonly onAttached: (session: WatchSession) => void) {}

  /** Runs `uriArg` (a file) or the active editor's file; resolves with the new session's id. */
  async run(uriArg?: unknown): Promise<string | undefined> {
    const document = uriArg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uriArg) : vscode.window.activeTextEditor?.document;
    const runtime = document && document.uri.scheme === 'file' ? runtimeOf(document.languageId) : undefined;
    if (!document || !runtime) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: open a Python or JavaScript/TypeScript file to run it with the memory monitor.'));
      return undefined;
    }
    if (document.isDirty) await document.save();
    const file = document.uri.fsPath;
    const argv = runtime === 'python' ? [await pythonInterpreter(document.uri), file] : ['node', file];
    const cwd = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? dirname(file);
    const program = new ProgramTerminal(argv, cwd, programEnv(runtime));
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Leakscope: {0}', basename(file)), pty: program });
    this.terminals.add(terminal);
    terminal.show(true);
    try {
      const pid = await program.started;
      const session = await this.manager.attach(await readProcessInfo(pid), { warmUpMs: LAUNCHED_WARM_UP_MS });
      this.onAttached(session);
      return session.id;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: cannot run {0} with the memory monitor: {1}', basename(file), errorMessage(error)));
      return undefined;
    }
  }

  dispose(): void {
    this.closing.dispose();
    for (const terminal of this.terminals) terminal.dispose();
    this.terminals.clear();
  }
}

/** Python flushes each line (the terminal shows it as printed); Node gets the GC pacer when enabled. */
function programEnv(runtime: 'python' | 'node'): NodeJS.ProcessEnv {
  const env = { ...process.env, PYTHONUNBUFFERED: '1' };
  const pacer = runtime === 'node' && readConfig().gcPacing ? bundledGcPacer(__dirname) : undefined; // beside dist/extension.js
  return pacer ? withGcPacer(env, pacer) : env;
}

export function runtimeOf(languageId: string): 'python' | 'node' | undefined {
  if (languageId === 'python') return 'python';
  return NODE_LANGUAGES.has(languageId) ? 'node' : undefined;
}

/** The interpreter the Python extension selected for `resource`, when it is installed; else python3. */
async function pythonInterpreter(resource: vscode.Uri): Promise<string> {
  const extension = vscode.extensions.getExtension<unknown>(PYTHON_EXTENSION);
  if (!extension) return 'python3';
  try {
    const api: unknown = extension.isActive ? extension.exports : await extension.activate();
    return (await activeEnvironmentPath(api, resource)) ?? 'python3';
  } catch {
    return 'python3'; // an extension that fails to activate leaves the plain interpreter
  }
}

/** `environments.getActiveEnvironmentPath(resource).path` of the Python extension's API, read defensively. */
async function activeEnvironmentPath(api: unknown, resource: vscode.Uri): Promise<string | undefined> {
  const environments = api instanceof Object && 'environments' in api ? api.environments : undefined;
  if (!(environments instanceof Object) || !('getActiveEnvironmentPath' in environments) || typeof environments.getActiveEnvironmentPath !== 'function') return undefined;
  const env: unknown = await Promise.resolve(environments.getActiveEnvironmentPath.call(environments, resource));
  return env instanceof Object && 'path' in env && typeof env.path === 'string' && env.path !== '' ? env.path : undefined;
}

/**
 * A terminal over a child process with pipes: no tty (Python is told to flush its lines), input
 * echoed and passed on a line at a time, Ctrl+C sent as SIGINT. It stays open after the program
 * ends, with its exit code, so the output can still be read.
 */
class ProgramTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly started: Promise<number>;
  private resolveStart: (pid: number) => void = () => undefined;
  private rejectStart: (error: Error) => void = () => undefined;
  private child: ChildProcess | undefined;

  constructor(private readonly argv: readonly string[], private readonly cwd: string, private readonly env: NodeJS.ProcessEnv) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStart = resolve;
      this.rejectStart = reject;
    });
  }

  open(): void {
    this.writeEmitter.fire(`\x1b[2m${this.argv.join(' ')}\x1b[0m\r\n`);
    const child = spawn(this.argv[0], this.argv.slice(1), { cwd: this.cwd, env: this.env, stdio: 'pipe' });
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.print(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => this.print(text));
    child.on('error', (error) => {
      this.print(`${error.message}\n`);
      this.rejectStart(error);
    });
    child.on('exit', (code, signal) => this.print(`\n\x1b[2m[${signal ? vscode.l10n.t('ended by {0}', signal) : vscode.l10n.t('exited with code {0}', code ?? '?')}]\x1b[0m\n`));
    if (child.pid !== undefined) this.resolveStart(child.pid);
  }

  close(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  handleInput(data: string): void {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    if (data === '\x03') {
      child.kill('SIGINT');
      return;
    }
    const text = data.replace(/\r/g, '\n');
    this.print(text);
    child.stdin?.write(text);
  }

  /** A terminal wants \r\n where a program writes \n. */
  private print(text: string): void {
    this.writeEmitter.fire(text.replace(/\r?\n/g, '\r\n'));
  }
}
