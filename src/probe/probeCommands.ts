// "Find what is growing", gc and malloc_trim on a watched process. Each opens a powerful
// channel (the Node inspector, or code injected into Python), so each asks first, in a modal
// that says what will happen, and closes the channel when done.
import * as vscode from 'vscode';
import { AllocationSite } from '../core/model';
import { detectProbeRuntime, MemoryActionResult, probeProcess, ProbeResult, ProbeRuntime, runGc, runMallocTrim } from '../core/probe';
import { scriptFiles } from '../core/scriptFiles';
import { WatchSession } from '../core/session';
import { formatBytes } from '../core/units';
import { readConfig } from '../config';
import { LeakDiagnostics } from '../diagnostics/leakDiagnostics';
import { MonitorManager } from '../monitors/monitorManager';
import { errorMessage } from '../monitors/attachCommands';

/** Where probe results go besides diagnostics: the panel. */
export interface ProbeResultSink {
  showProbe(sessionId: string, result: ProbeResult): void;
}

export class ProbeCommands implements vscode.Disposable {
  private readonly running = new Map<string, vscode.CancellationTokenSource>();

  constructor(
    private readonly manager: MonitorManager,
    private readonly diagnostics: LeakDiagnostics,
    private readonly sink: ProbeResultSink,
  ) {}

  async findGrowing(idArg?: unknown): Promise<ProbeResult | undefined> {
    const session = await this.pickSession(idArg, 'Find what is growing in');
    if (!session || !(await this.consent(session, 'probe'))) return undefined;
    const windowMs = readConfig().probeWindowMs;
    const result = await this.withProgress(session, `Leakscope: watching allocations in pid ${session.target.pid}`, (signal, report) =>
      probeProcess(session.target.pid, { windowMs, signal, onStatus: (status) => report(status.message) }),
    );
    if (!result) return undefined;
    session.monitor.addEvent('probe', `Probe: ${result.sites.length} growing sites`);
    this.sink.showProbe(session.id, result);
    const shown = this.diagnostics.showRuntimeEvidence(session.target.pid, windowMs, result.sites);
    const top = result.sites[0];
    void vscode.window.showInformationMessage(
      top ? `Leakscope: most memory still alive was allocated at ${describe(top)}.${shown ? ` ${shown} line${shown === 1 ? '' : 's'} flagged in the workspace.` : ''}`
        : 'Leakscope: nothing grew during the probe window.',
      ...(top ? ['Open'] : []),
    ).then((choice) => choice && top && openSite(top));
    return result;
  }

  runGc(idArg?: unknown): Promise<MemoryActionResult | undefined> {
    return this.action(idArg, 'gc');
  }

  runMallocTrim(idArg?: unknown): Promise<MemoryActionResult | undefined> {
    return this.action(idArg, 'malloc-trim');
  }

  /** A fix was applied to `file` (from a quick fix) or by hand: mark the sessions that run it. */
  markFixApplied(arg?: unknown): void {
    const file = typeof arg === 'object' && arg !== null && 'file' in arg && typeof arg.file === 'string' ? arg.file : undefined;
    const sessions = file ? this.manager.all.filter((s) => scriptFiles(s.target).includes(file)) : [this.manager.focused].filter((s): s is WatchSession => !!s);
    const label = file ? `Fix applied to ${vscode.workspace.asRelativePath(file)}` : 'Fix applied / restarted';
    for (const s of sessions) s.markFixApplied(label);
  }

  private async action(idArg: unknown, action: ProbeAction): Promise<MemoryActionResult | undefined> {
    const session = await this.pickSession(idArg, action === 'gc' ? 'Run garbage collection in' : 'Run malloc_trim(0) in');
    if (!session || !(await this.consent(session, action))) return undefined;
    const result = await this.withProgress(session, `Leakscope: ${action === 'gc' ? 'collecting garbage' : 'running malloc_trim'} in pid ${session.target.pid}`, (signal, report) =>
      (action === 'gc' ? runGc : runMallocTrim)(session.target.pid, { signal, onStatus: (status) => report(status.message) }),
    );
    if (!result) return undefined;
    session.monitor.addEvent(action === 'gc' ? 'gc' : 'malloc-trim', `${action}: ${formatBytes(result.freedBytes)} freed`);
    void vscode.window.showInformationMessage(`Leakscope: ${result.interpretation}`);
    return result;
  }

  private async pickSession(idArg: unknown, title: string): Promise<WatchSession | undefined> {
    if (typeof idArg === 'string') return this.manager.get(idArg);
    const live = this.manager.all.filter((s) => s.monitor.state === 'running' || s.monitor.state === 'paused');
    if (live.length === 0) {
      void vscode.window.showInformationMessage('Leakscope: attach a memory monitor to a running process first.');
      return undefined;
    }
    if (live.length === 1) return live[0];
    const focused = this.manager.focused;
    const pick = await vscode.window.showQuickPick(
      live.map((s) => ({ label: `$(pulse) pid ${s.target.pid}`, description: s.target.argv.join(' ').slice(0, 80), picked: s === focused, session: s })),
      { title: `${title}…` },
    );
    return pick?.session;
  }

  private async consent(session: WatchSession, what: 'probe' | ProbeAction): Promise<boolean> {
    const runtime = detectProbeRuntime(session.target.pid);
    if (!runtime) {
      void vscode.window.showWarningMessage(`Leakscope: pid ${session.target.pid} is neither a Node.js nor a Python process, so it cannot be probed.`);
      return false;
    }
    const text = consentText(session.target.pid, runtime, what);
    const answer = await vscode.window.showWarningMessage(text.title, { modal: true, detail: text.detail }, text.confirm);
    return answer === text.confirm;
  }

  private async withProgress<T>(session: WatchSession, title: string, work: (signal: AbortSignal, report: (status: string) => void) => Promise<T>): Promise<T | undefined> {
    this.running.get(session.id)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running.set(session.id, cts);
    const abort = new AbortController();
    const onCancel = cts.token.onCancellationRequested(() => abort.abort());
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        return work(abort.signal, (status) => progress.report({ message: status }));
      });
    } catch (error) {
      if (!abort.signal.aborted) void vscode.window.showErrorMessage(`Leakscope: ${errorMessage(error)}`);
      return undefined;
    } finally {
      onCancel.dispose();
      cts.dispose();
      if (this.running.get(session.id) === cts) this.running.delete(session.id);
    }
  }

  dispose(): void {
    for (const cts of this.running.values()) cts.cancel();
    this.running.clear();
  }
}

type ProbeAction = 'gc' | 'malloc-trim';

/** What the modal says before a channel into the process is opened. */
function consentText(pid: number, runtime: ProbeRuntime, what: 'probe' | ProbeAction): { title: string; detail: string; confirm: string } {
  const task = what === 'probe' ? 'watch which lines allocate memory that stays alive' : what === 'gc' ? 'run a full garbage collection' : 'run malloc_trim(0), which returns freed heap memory to the system';
  if (runtime === 'node') {
    return {
      title: `Open the Node inspector of pid ${pid}?`,
      detail: `To ${task}, Leakscope sends SIGUSR1 to the process, which opens its inspector on 127.0.0.1:9229 and prints "Debugger listening on ws://…" to its output. While the port is open, any local user can run code as that process's user. Leakscope checks the port belongs to pid ${pid}, and closes the inspector when it is done.`,
      confirm: 'Open inspector',
    };
  }
  return {
    title: `Run a probe inside Python pid ${pid}?`,
    detail: `To ${task}, Leakscope injects a small Python script into the process (sys.remote_exec on Python 3.14+, otherwise through ptrace or gdb). ${what === 'probe' ? 'The script starts tracemalloc in a thread for the probe window, writes the growing lines to a private file, and stops tracemalloc again. ' : ''}The process pauses briefly; it keeps running afterwards.`,
    confirm: 'Run probe',
  };
}

function describe(site: AllocationSite): string {
  return `${vscode.workspace.asRelativePath(site.file)}:${site.line} (${site.function}, ${formatBytes(site.bytes)})`;
}

export function openSite(site: AllocationSite): Thenable<unknown> {
  const line = Math.max(0, site.line - 1);
  return vscode.window.showTextDocument(vscode.Uri.file(site.file), { selection: new vscode.Range(line, 0, line, 0) });
}
