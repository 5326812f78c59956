// Notifications a watched process earns: a leak became likely (once per session), a limit
// is near or reached. Signals are only ever sent after a modal confirmation.
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { readProcessInfo } from '../core/discovery';
import { DisposableBase } from '../core/events';
import { GrowthVerdict } from '../core/model';
import { isTentative } from '../core/shared/confidence';
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
    // A leak first alerted below even odds is told as possible (an information message: most
    // first-minute rises level off); once it is stated more likely than not, as a warning.
    return [
      session.onLeakSuspected((v) => {
        if (isTentative(v.confidence)) void this.leakSuspected(session, v);
      }),
      session.onLeakLikely((v) => void this.leakSuspected(session, v)),
      session.onLimit((e) => void this.limit(session, e)),
      session.monitor.onExit((summary) => {
        const openPanel = vscode.l10n.t('Open panel');
        const nextRun = vscode.l10n.t('Watch next run');
        void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: {0}', summary.message), openPanel, nextRun).then((choice) => {
          if (choice === openPanel) this.showPanel(session);
          if (choice === nextRun) void vscode.commands.executeCommand(Commands.watchNextRun, session.id);
        });
      }),
    ];
  }

  private async leakSuspected(session: WatchSession, verdict: GrowthVerdict): Promise<void> {
    if (!readConfig().notifyLeakSuspected) return;
    const openPanel = vscode.l10n.t('Open panel');
    const probe = vscode.l10n.t('Find what is growing');
    const scan = vscode.l10n.t('Scan workspace');
    const choice = isTentative(verdict.confidence)
      ? await vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: pid {0} may be leaking; too early to be sure. {1}', session.target.pid, verdict.explanation), openPanel, probe, scan)
      : await vscode.window.showWarningMessage(vscode.l10n.t('Leakscope: pid {0} looks like a leak. {1}', session.target.pid, verdict.explanation), openPanel, probe, scan);
    if (choice === openPanel) this.showPanel(session);
    if (choice === probe) await vscode.commands.executeCommand(Commands.findGrowing, session.id);
    if (choice === scan) await vscode.commands.executeCommand(Commands.scanWorkspace);
  }

  private async limit(session: WatchSession, event: SessionLimitNotice): Promise<void> {
    const pid = session.target.pid;
    const openPanel = vscode.l10n.t('Open panel');
    if (event.level === 'warning') {
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Leakscope: pid {0}: {1}', pid, event.message), openPanel);
      if (choice) this.showPanel(session);
      return;
    }
    const sigint = vscode.l10n.t('Send {0}…', 'SIGINT');
    const sigterm = vscode.l10n.t('Send {0}…', 'SIGTERM');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: pid {0}: {1}', pid, event.message), openPanel, sigint, sigterm, vscode.l10n.t('Ignore'));
    if (choice === openPanel) this.showPanel(session);
    if (choice === sigint) await confirmAndSignal(session, 'SIGINT');
    if (choice === sigterm) await confirmAndSignal(session, 'SIGTERM');
  }
}

/** Sends a signal after a modal confirmation, and only to the very process that was watched. */
export async function confirmAndSignal(session: WatchSession, signal: 'SIGINT' | 'SIGTERM'): Promise<boolean> {
  const t = session.target;
  const confirm = vscode.l10n.t('Send {0}', signal);
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send {0} to pid {1}?', signal, t.pid),
    { modal: true, detail: `${t.argv.join(' ').slice(0, 400)}\n\n${signal === 'SIGINT' ? vscode.l10n.t('Like Ctrl+C: most programs stop after cleaning up.') : vscode.l10n.t('Asks the program to terminate.')}` },
    confirm,
  );
  if (answer !== confirm) return false;
  try {
    const now = await readProcessInfo(t.pid);
    if (now.startTicks !== t.startTicks) throw new Error(vscode.l10n.t('the pid now belongs to another process'));
    process.kill(t.pid, signal);
    session.monitor.addEvent('note', `${signal} sent`);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: did not send {0} to pid {1}: {2}', signal, t.pid, errorMessage(error)));
    return false;
  }
}
