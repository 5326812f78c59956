// Ties watched processes to static findings: the files a process runs are scanned when it is
// attached (open in an editor or not), and while it leaks their diagnostics are raised and their
// hints shown (LeakDiagnostics decides which files leak; this only reports the processes).
import * as vscode from 'vscode';
import { DisposableBase } from '../core/events';
import { isLeakClass, ProcessInfo } from '../core/model';
import { scriptFiles } from '../core/scriptFiles';
import { formatRate } from '../core/units';
import { LeakDiagnostics, LeakingProcess } from '../diagnostics/leakDiagnostics';
import { MonitorManager } from './monitorManager';

export class LeakingFiles extends DisposableBase {
  private published = '';

  constructor(private readonly manager: MonitorManager, private readonly diagnostics: LeakDiagnostics) {
    super();
    this.register(
      manager.forEachSession(
        (s) => {
          void this.scanScripts(s.target);
          // A shim or shell that execs the interpreter runs its script only after the exec.
          const rescan = s.monitor.onExec((target) => {
            void this.scanScripts(target);
            this.update();
          });
          return [s.onVerdict(() => this.update()), rescan];
        },
        // After the removal: the session is still listed while it is being removed.
        () => queueMicrotask(() => this.update()),
      ),
    );
  }


  /** The Problems view lists the watched program's leak patterns while its chart fills. */
  private async scanScripts(target: ProcessInfo): Promise<void> {
    for (const file of scriptFiles(target)) {
      await this.diagnostics.scanUri(vscode.Uri.file(file)).catch(() => undefined); // gone or unreadable: nothing to flag
    }
  }

  private update(): void {
    const processes: LeakingProcess[] = [];
    for (const session of this.manager.all) {
      const v = session.verdict;
      if (!isLeakClass(v.class)) continue;
      processes.push({ pid: session.target.pid, summary: vscode.l10n.t('leaks {0}', formatRate(v.slopeBytesPerS)), scripts: scriptFiles(session.target) });
    }
    const key = JSON.stringify(processes);
    if (key === this.published) return;
    this.published = key;
    this.diagnostics.setLeakingProcesses(processes);
  }
}
