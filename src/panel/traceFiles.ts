// Trace files in and out of the panel, through VS Code's file dialogs and file system (so it
// works the same over Remote-SSH and WSL). A file that cannot be read changes nothing: the
// caller gets an Error whose message says why, and shows it.
import * as vscode from 'vscode';
import { Trace } from '../core/model';
import { TraceFormat } from '../core/protocol';
import { traceToCsv, traceToJson } from '../core/trace/format';
import { checkTraceSize } from '../core/trace/parse';
import { OpenedTrace } from './traceView';
import { OffThreadOptions, TRACE_WORKER_BUNDLE, openTraceBytesOffThread, openTraceFileOffThread } from './traceOffThread';
import { errorMessage } from '../core/errorMessage';

export interface LoadedTrace {
  trace: OpenedTrace;
  /** File name, for titles and labels. */
  label: string;
  uri: vscode.Uri;
}

function traceFilters(): Record<string, string[]> {
  return { [vscode.l10n.t('Memory traces (Leakscope CSV/JSON, mprof .dat)')]: ['csv', 'json', 'jsonl', 'dat'], [vscode.l10n.t('All files')]: ['*'] };
}

/** The trace reader's worker bundle in the extension's dist/ folder. */
export function traceWorkerOf(extensionUri: vscode.Uri): string {
  return vscode.Uri.joinPath(extensionUri, 'dist', TRACE_WORKER_BUNDLE).fsPath;
}

/** Asks for a trace file and reads it; undefined when the user cancels (the dialog or the reading). Throws with a reason. */
export async function pickTrace(title: string, extensionUri: vscode.Uri): Promise<LoadedTrace | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, canSelectFolders: false, filters: traceFilters(), openLabel: vscode.l10n.t('Open trace') });
  const uri = picked?.[0];
  return uri ? readTrace(uri, extensionUri) : undefined;
}

/**
 * A local file is streamed from disk by path (a FIFO or device refused, a 170 MB CSV costs its
 * columns, not its text); any other scheme (Remote-SSH, WSL, a virtual file system) only gives
 * the whole file's bytes, which are parsed chunk by chunk into the same columns. Either is read
 * in a worker thread, with a cancellable progress notification: the extension host stays free.
 * Undefined when the user cancels.
 */
export async function readTrace(uri: vscode.Uri, extensionUri: vscode.Uri): Promise<LoadedTrace | undefined> {
  const label = basename(uri);
  const progress = { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Leakscope: opening {0}', label), cancellable: true };
  return vscode.window.withProgress(progress, async (report, token) => {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
    try {
      const options: OffThreadOptions = { signal: abort.signal, onProgress: percentReporter(report), workerScript: traceWorkerOf(extensionUri) };
      const trace = uri.scheme === 'file' ? await openTraceFileOffThread(uri.fsPath, options) : await readRemoteTrace(uri, label, options);
      return { trace, label, uri };
    } catch (error) {
      if (abort.signal.aborted) return undefined;
      throw new Error(vscode.l10n.t('Could not open {0}: {1}', label, errorMessage(error)), { cause: error });
    } finally {
      cancelled.dispose();
    }
  });
}

/** Bytes read → the notification's bar, which takes increments in percent. */
function percentReporter(report: vscode.Progress<{ message?: string; increment?: number }>): (bytesRead: number, totalBytes: number) => void {
  let shown = 0;
  return (bytesRead, totalBytes) => {
    const percent = totalBytes > 0 ? Math.min(100, (bytesRead / totalBytes) * 100) : 100;
    report.report({ increment: percent - shown, message: `${Math.floor(percent)} %` });
    shown = percent;
  };
}

async function readRemoteTrace(uri: vscode.Uri, label: string, options: OffThreadOptions): Promise<OpenedTrace> {
  // Refused before fetching: a mistaken pick (a core dump, a video) must not fill memory.
  checkTraceSize((await vscode.workspace.fs.stat(uri)).size);
  return openTraceBytesOffThread(await vscode.workspace.fs.readFile(uri), label, options);
}

/** Asks where to save and writes the trace; the saved file's URI, or undefined on cancel. */
export async function saveTrace(trace: Trace, format: TraceFormat, suggestedName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${suggestedName}.${format}`;
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export memory trace as {0}', format.toUpperCase()),
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: format === 'csv' ? { [vscode.l10n.t('CSV trace')]: ['csv'] } : { [vscode.l10n.t('JSON trace')]: ['json'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!uri) return undefined;
  const text = format === 'csv' ? traceToCsv(trace) : traceToJson(trace);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** "leakscope-48213-20260105-1402": pid and local time, safe on every file system. */
export function suggestedTraceName(pid: number | undefined, now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
  return pid === undefined ? `leakscope-${stamp}` : `leakscope-${pid}-${stamp}`;
}

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.path;
}
