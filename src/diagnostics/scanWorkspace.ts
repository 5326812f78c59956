// "Scan workspace for leak patterns": every Python/JS/TS file, with progress and cancel.
import * as vscode from 'vscode';
import { SCANNED_EXTENSIONS } from '../core/rules/languages';
import { LeakDiagnostics } from './leakDiagnostics';

/** The extensions the engine (and `leakscope scan`) reads: .pyw, .mts and .cts too. */
const INCLUDE = `**/*.{${SCANNED_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
const EXCLUDE = '**/{node_modules,.git,.venv,venv,env,__pycache__,dist,out,build,site-packages}/**';
const MAX_FILES = 20_000;
const MAX_BYTES = 1024 * 1024;

export interface ScanSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

export async function scanWorkspace(diagnostics: LeakDiagnostics): Promise<ScanSummary> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Leakscope: scanning for leak patterns'), cancellable: true },
    async (progress, token) => {
      const files = await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token);
      const result: ScanSummary = { files: 0, findings: 0, skipped: 0, cancelled: false };
      for (const [index, uri] of files.entries()) {
        if (token.isCancellationRequested) {
          result.cancelled = true;
          break;
        }
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        try {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > MAX_BYTES) {
            result.skipped++;
            continue;
          }
          result.findings += (await diagnostics.scanUri(uri)).length;
          result.files++;
        } catch {
          result.skipped++;
        }
        if (index % 50 === 0) await new Promise((r) => setImmediate(r));
      }
      return result;
    },
  );
  const scanned = summary.cancelled ? vscode.l10n.t('Leakscope stopped after {0} files:', summary.files) : vscode.l10n.t('Leakscope scanned {0} files:', summary.files);
  const found = summary.findings === 1 ? vscode.l10n.t('1 leak pattern found') : vscode.l10n.t('{0} leak patterns found', summary.findings);
  const skipped = summary.skipped ? ` ${vscode.l10n.t('({0} skipped: too large or unreadable)', summary.skipped)}` : '';
  const text = `${scanned} ${found}${skipped}.`;
  if (summary.findings > 0) {
    void vscode.window.showInformationMessage(text, vscode.l10n.t('Show Problems')).then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
  } else {
    void vscode.window.showInformationMessage(text);
  }
  return summary;
}
