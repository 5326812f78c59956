// Trace files in and out of the panel, through VS Code's file dialogs and file system (so it
// works the same over Remote-SSH and WSL). A file that cannot be read changes nothing: the
// caller gets an Error whose message says why, and shows it.
import * as vscode from 'vscode';
import { Trace } from '../core/model';
import { TraceFormat } from '../core/protocol';
import { traceToCsv, traceToJson } from '../core/trace/format';
import { checkTraceSize } from '../core/trace/parse';
import { OpenedTrace, openTraceBytes, openTraceFile } from './traceView';
import { errorMessage } from '../core/errorMessage';

export interface LoadedTrace {
  trace: OpenedTrace;
  /** File name, for titles and labels. */
  label: string;
  uri: vscode.Uri;
}

const TRACE_FILTERS = { 'Memory traces (Leakscope CSV/JSON, mprof .dat)': ['csv', 'json', 'jsonl', 'dat'], 'All files': ['*'] };

/** Asks for a trace file and reads it; undefined when the user cancels. Throws with a reason. */
export async function pickTrace(title: string): Promise<LoadedTrace | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, canSelectFolders: false, filters: TRACE_FILTERS, openLabel: 'Open trace' });
  const uri = picked?.[0];
  return uri ? readTrace(uri) : undefined;
}

/**
 * A local file is streamed from disk by path (a FIFO or device refused, a 170 MB CSV costs its
 * columns, not its text); any other scheme (Remote-SSH, WSL, a virtual file system) only gives
 * the whole file's bytes, which are parsed chunk by chunk into the same columns.
 */
export async function readTrace(uri: vscode.Uri): Promise<LoadedTrace> {
  const label = basename(uri);
  try {
    const trace = uri.scheme === 'file' ? openTraceFile(uri.fsPath) : await readRemoteTrace(uri, label);
    return { trace, label, uri };
  } catch (error) {
    throw new Error(`Could not open ${label}: ${errorMessage(error)}`, { cause: error });
  }
}

async function readRemoteTrace(uri: vscode.Uri, label: string): Promise<OpenedTrace> {
  // Refused before fetching: a mistaken pick (a core dump, a video) must not fill memory.
  checkTraceSize((await vscode.workspace.fs.stat(uri)).size);
  return openTraceBytes(await vscode.workspace.fs.readFile(uri), label);
}

/** Asks where to save and writes the trace; the saved file's URI, or undefined on cancel. */
export async function saveTrace(trace: Trace, format: TraceFormat, suggestedName: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${suggestedName}.${format}`;
  const uri = await vscode.window.showSaveDialog({
    title: `Export memory trace as ${format.toUpperCase()}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: format === 'csv' ? { 'CSV trace': ['csv'] } : { 'JSON trace': ['json'] },
    saveLabel: 'Export',
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
