// Ties the growth verdict to static findings: while a watched process leaks, the files it
// runs get their Leakscope diagnostics raised in priority.
import * as vscode from 'vscode';
import { isLeakClass } from '../core/model';
import { scriptFiles } from '../core/scriptFiles';
import { formatRate } from '../core/units';
import { LeakDiagnostics, LeakingFileNote } from '../diagnostics/leakDiagnostics';
import { MonitorManager } from './monitorManager';

export class LeakingFiles implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly perSession = new Map<string, vscode.Disposable>();
  private published = '';

  constructor(private readonly manager: MonitorManager, private readonly diagnostics: LeakDiagnostics) {
    this.disposables.push(
      manager.onDidAdd((s) => this.perSession.set(s.id, s.onVerdict(() => this.update()))),
      manager.onWillRemove((s) => {
        this.perSession.get(s.id)?.dispose();
        this.perSession.delete(s.id);
        queueMicrotask(() => this.update());
      }),
    );
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
