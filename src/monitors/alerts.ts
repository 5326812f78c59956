// Notifications a watched process earns: a leak became likely (once per session), a limit
// is near or reached. Signals are only ever sent after a modal confirmation.
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { readProcessInfo } from '../core/discovery';
import { DisposableBase } from '../core/events';
import { GrowthVerdict } from '../core/model';
import { SessionLimitNotice, WatchSession } from '../core/session';
import { readConfig } from '../config';
import { MonitorManager } from './monitorManager';
import { errorMessage } from '../core/errorMessage';

export class MonitorAlerts extends DisposableBase {
  constructor(manager: MonitorManager, private readonly showPanel: (session: WatchSession) => void) {
    super();
    this.register(manager.forEachSession((s) => this.watch(s)));
  }

  private watch(session: WatchSession): vscode.Disposable[] {
    return [
      session.onLeakSuspected((v) => void this.leakSuspected(session, v)),
      session.onLimit((e) => void this.limit(session, e)),
      session.monitor.onExit((summary) => {
        const openPanel = 'Open panel';
        const nextRun = 'Watch next run';
        void vscode.window.showInformationMessage(`Leakscope: ${summary.message}`, openPanel, nextRun).then((choice) => {
          if (choice === openPanel) this.showPanel(session);
          if (choice === nextRun) void vscode.commands.executeCommand(Commands.watchNextRun, session.id);
        });
      }),
    ];
  }

  private async leakSuspected(session: WatchSession, verdict: GrowthVerdict): Promise<void> {
    if (!readConfig().notifyLeakSuspected) return;
    const openPanel = 'Open panel';
    const probe = 'Find what is growing';
    const scan = 'Scan workspace';
    const choice = await vscode.window.showWarningMessage(
      `Leakscope: pid ${session.target.pid} looks like a leak. ${verdict.explanation}`,
      openPanel, probe, scan,
    );
    if (choice === openPanel) this.showPanel(session);
    if (choice === probe) await vscode.commands.executeCommand(Commands.findGrowing, session.id);
    if (choice === scan) await vscode.commands.executeCommand(Commands.scanWorkspace);
  }

  private async limit(session: WatchSession, event: SessionLimitNotice): Promise<void> {
    const pid = session.target.pid;
    if (event.level === 'warning') {
      const choice = await vscode.window.showWarningMessage(`Leakscope: pid ${pid}: ${event.message}`, 'Open panel');
      if (choice) this.showPanel(session);
      return;
    }
    const sigint = 'Send SIGINT…';
    const sigterm = 'Send SIGTERM…';
    const choice = await vscode.window.showErrorMessage(`Leakscope: pid ${pid}: ${event.message}`, 'Open panel', sigint, sigterm, 'Ignore');
    if (choice === 'Open panel') this.showPanel(session);
    if (choice === sigint) await confirmAndSignal(session, 'SIGINT');
    if (choice === sigterm) await confirmAndSignal(session, 'SIGTERM');
  }
}

/** Sends a signal after a modal confirmation, and only to the very process that was watched. */
export async function confirmAndSignal(session: WatchSession, signal: 'SIGINT' | 'SIGTERM'): Promise<boolean> {
  const t = session.target;
  const confirm = `Send ${signal}`;
  const answer = await vscode.window.showWarningMessage(
    `Send ${signal} to pid ${t.pid}?`,
    { modal: true, detail: `${t.argv.join(' ').slice(0, 400)}\n\n${signal === 'SIGINT' ? 'Like Ctrl+C: most programs stop after cleaning up.' : 'Asks the program to terminate.'}` },
    confirm,
  );
  if (answer !== confirm) return false;
  try {
    const now = await readProcessInfo(t.pid);
    if (now.startTicks !== t.startTicks) throw new Error('the pid now belongs to another process');
    process.kill(t.pid, signal);
    session.monitor.addEvent('note', `${signal} sent`);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(`Leakscope: did not send ${signal} to pid ${t.pid}: ${errorMessage(error)}`);
    return false;
  }
}
