// Ties watched processes to static findings: the files a process runs are scanned when it is
// attached (open in an editor or not), and while it leaks their diagnostics are raised.
import * as vscode from 'vscode';
import type { HoldsPerSession } from '../api';
import { isLeakClass, ProcessInfo } from '../core/model';
import { scriptFiles } from '../core/scriptFiles';
import { formatRate } from '../core/units';
import { LeakDiagnostics, LeakingFileNote } from '../diagnostics/leakDiagnostics';
import { MonitorManager } from './monitorManager';

export class LeakingFiles implements vscode.Disposable, HoldsPerSession {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly perSession = new Map<string, vscode.Disposable>();
  private published = '';

  constructor(private readonly manager: MonitorManager, private readonly diagnostics: LeakDiagnostics) {
    this.disposables.push(
      manager.onDidAdd((s) => {
        this.perSession.set(s.id, s.onVerdict(() => this.update()));
        void this.scanScripts(s.target);
      }),
      manager.onWillRemove((s) => {
        this.perSession.get(s.id)?.dispose();
        this.perSession.delete(s.id);
        queueMicrotask(() => this.update());
      }),
    );
  }

  heldCounts(): Record<string, number> {
    return { perSession: this.perSession.size };
  }

  /** The Problems view lists the watched program's leak patterns while its chart fills. */
  private async scanScripts(target: ProcessInfo): Promise<void> {
    for (const file of scriptFiles(target)) {
      await this.diagnostics.scanUri(vscode.Uri.file(file)).catch(() => undefined); // gone or unreadable: nothing to flag
    }
  }

  private update(): void {
    const files = new Map<string, LeakingFileNote>();
    for (const session of this.manager.all) {
      const v = session.verdict;
      if (!isLeakClass(v.class)) continue;
      for (const file of scriptFiles(session.target)) {
        files.set(file, { pid: session.target.pid, summary: `leaks ${formatRate(v.slopeBytesPerS)}` });
      }
    }
    const key = JSON.stringify([...files]);
    if (key === this.published) return;
    this.published = key;
    this.diagnostics.setLeakingFiles(files);
  }

  dispose(): void {
    for (const d of this.perSession.values()) d.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
