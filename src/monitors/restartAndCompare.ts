// A fix takes effect when the program restarts, not when its file is saved: the process that
// is watched keeps running the old code. So a quick fix on a file a watched process runs does not
// mark that process "fixed" (its before/after would compare two halves of the same old code);
// it offers to restart the program and compare the next run against this one, or to watch the
// next run whenever the user restarts it.
import * as vscode from 'vscode';
import { DisposableBase, DisposableMap } from '../core/events';
import { readProcessInfo, shortCommand } from '../core/discovery';
import { scriptFiles } from '../core/scriptFiles';
import { WatchSession } from '../core/session';
import { MonitorManager } from './monitorManager';
import { errorMessage } from '../core/errorMessage';

/** How long a stopped program may take to exit before Leakscope gives up on restarting it. */
const EXIT_TIMEOUT_MS = 10_000;

/** What the quick fix passes: the file it edited. */
export interface FixedFileArg {
  file: string;
}

function fixedFile(arg: unknown): string | undefined {
  return typeof arg === 'object' && arg !== null && 'file' in arg && typeof arg.file === 'string' ? arg.file : undefined;
}

export class RestartAndCompare extends DisposableBase implements vscode.Disposable {
  /** Sessions whose next run is to be watched once they exit, by id: their onExit listeners. */
  private readonly armed = this.register(new DisposableMap<string>());

  constructor(
    private readonly manager: MonitorManager,
    private readonly watchNextRun: (sessionId: string) => Promise<string | undefined>,
  ) {
    super();
  }

  /**
   * `arg`: {@link FixedFileArg} after a quick fix (asks, in a notification, for each live session
   * that runs the file), a session id, or nothing (the focused session, asked in a modal).
   * Resolves with the new run's session id when a restart was made and followed.
   */
  async run(arg?: unknown): Promise<string | undefined> {
    const file = fixedFile(arg);
    if (file !== undefined) {
      const sessions = this.live().filter((s) => scriptFiles(s.target).includes(file));
      const ids = await Promise.all(sessions.map((s) => this.offer(s, file)));
      return ids.find((id) => id !== undefined);
    }
    const session = typeof arg === 'string' ? this.manager.get(arg) : this.manager.focused ?? this.live()[0];
    if (!session || !this.live().includes(session)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no watched process is running; "Restart and compare" restarts one.'));
      return undefined;
    }
    return this.restart(session);
  }

  private live(): WatchSession[] {
    return this.manager.all.filter((s) => s.monitor.state === 'running' || s.monitor.state === 'paused');
  }

  private async offer(session: WatchSession, file: string): Promise<string | undefined> {
    const restart = vscode.l10n.t('Restart and compare');
    const later = vscode.l10n.t('Watch next run');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Leakscope: pid {0} still runs the old {1}. The fix takes effect when the program restarts; its next run can be compared with this one.', session.target.pid, vscode.workspace.asRelativePath(file)),
      restart, later,
    );
    if (choice === restart) return this.restart(session);
    if (choice === later) this.watchAfterExit(session);
    return undefined;
  }

  /** When the user stops the program themselves, its next run is followed without another question. */
  private watchAfterExit(session: WatchSession): void {
    if (this.armed.has(session.id)) return;
    const exit = session.monitor.onExit(() => {
      this.armed.delete(session.id);
      void this.watchNextRun(session.id);
    });
    this.armed.set(session.id, exit);
    void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: when pid {0} exits, its next run will be watched and compared with this one.', session.target.pid));
  }

  private async restart(session: WatchSession): Promise<string | undefined> {
    const t = session.target;
    const command = commandLine(t.argv);
    const cwd = session.cwd;
    const confirm = vscode.l10n.t('Restart');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Restart pid {0} and compare the next run?', t.pid),
      { modal: true, detail: cwd
        ? vscode.l10n.t('Leakscope sends SIGTERM to it, runs the same command again in a terminal in {0}:\n\n{1}\n\nand watches the new process with this run drawn over it.', cwd, command)
        : vscode.l10n.t('Leakscope sends SIGTERM to it, runs the same command again in a terminal:\n\n{0}\n\nand watches the new process with this run drawn over it.', command) },
      confirm,
    );
    if (answer !== confirm) return undefined;
    try {
      const now = await readProcessInfo(t.pid);
      if (now.startTicks !== t.startTicks) throw new Error(vscode.l10n.t('the pid now belongs to another process'));
      const exited = exitOf(session);
      const sentMs = session.monitor.now();
      process.kill(t.pid, 'SIGTERM');
      session.monitor.addEvent('note', 'SIGTERM sent (restart and compare)', sentMs);
      if (!(await exited)) throw new Error(vscode.l10n.t('it did not exit within {0} s of SIGTERM', EXIT_TIMEOUT_MS / 1000));
      session.endedOnRequest(sentMs);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: did not restart pid {0}: {1}', t.pid, errorMessage(error)));
      return undefined;
    }
    this.armed.delete(session.id);
    // Waiting first, so the new process is found however fast the terminal starts it.
    const next = this.watchNextRun(session.id);
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('{0} (restarted)', shortCommand(t)), ...(cwd ? { cwd } : {}) });
    terminal.show(true);
    terminal.sendText(command);
    return next;
  }
}

/** True once the monitor sees the process gone, false after the timeout. */
function exitOf(session: WatchSession): Promise<boolean> {
  if (session.monitor.state === 'exited') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      exit.dispose();
      resolve(false);
    }, EXIT_TIMEOUT_MS);
    const exit = session.monitor.onExit(() => {
      clearTimeout(timer);
      exit.dispose();
      resolve(true);
    });
  });
}

/** argv as a POSIX shell line: plain words as they are, anything else single-quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
