// "Find what is growing", gc and malloc_trim on a watched process. Each opens a powerful
// channel (the Node inspector, or code injected into Python), so each asks first, in a modal
// that says what will happen, and closes the channel when done. Code in the extension host
// (tests, automation) may pass its consent instead: see ProbeCommandArgs. The commands never
// throw: they return the result, or a ProbeCommandFailure carrying the message they showed.
import * as vscode from 'vscode';
import { AllocationSite } from '../core/model';
import { isProbeError, ProbeErrorCode } from '../core/probe/errors';
import { detectProbeRuntime, programName } from '../core/probe/runtime';
import { MemoryActionResult, ProbeResult, ProbeRuntime } from '../core/probe/types';
import { loadProbeEngine } from './probeEngineLoader';
import { rssGrowthOver, withSignificantSites } from '../core/probe/significance';
import { WatchSession } from '../core/session';
import { formatBytes } from '../core/units';
import { readConfig } from '../config';
import { LeakDiagnostics } from '../diagnostics/leakDiagnostics';
import { MonitorManager } from '../monitors/monitorManager';
import { errorMessage } from '../core/errorMessage';
import { DisposableBase, EventEmitter, toDisposable } from '../core/events';

/** A probe's result for one watched session, for whoever shows it besides diagnostics (the panel). */
export interface SessionProbeResult {
  sessionId: string;
  result: ProbeResult;
}

/**
 * The programmatic argument of the probe commands, for tests and automation running in the
 * extension host: `executeCommand('leakscope.findGrowing', { id, consented: true })` probes the
 * watched session `id` without the consent modal; `consented: false` stands for a user who
 * declined (nothing is opened or injected, the refusal is returned). Every UI path still asks:
 * the command palette passes no argument, the panel passes a plain session id, and neither can
 * build this object. (A keybinding with `args` could, but that is the user's own settings file
 * saying yes; session ids are made at attach time, so such a binding cannot be written ahead.)
 */
export interface ProbeCommandArgs {
  id: string;
  consented: boolean;
  /** "Find what is growing" only: the sampling window, 1–300 s (default: the setting). */
  windowSeconds?: number;
}

/** Why a probe command produced no result. `error` is the very text shown to the user. */
export interface ProbeCommandFailure {
  error: string;
  reason: ProbeErrorCode | 'no-session' | 'failed';
}

/** What the probe commands return: never a throw, never undefined. */
export type ProbeCommandOutcome<T> = T | ProbeCommandFailure;

export function isProbeCommandFailure(value: unknown): value is ProbeCommandFailure {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'string' && 'reason' in value;
}

export function parseProbeCommandArgs(arg: unknown): ProbeCommandArgs | undefined {
  if (typeof arg !== 'object' || arg === null || !('id' in arg) || typeof arg.id !== 'string') return undefined;
  if (!('consented' in arg) || typeof arg.consented !== 'boolean') return undefined;
  const windowSeconds = 'windowSeconds' in arg && typeof arg.windowSeconds === 'number' && Number.isFinite(arg.windowSeconds)
    ? Math.min(300, Math.max(1, arg.windowSeconds))
    : undefined;
  return { id: arg.id, consented: arg.consented, ...(windowSeconds === undefined ? {} : { windowSeconds }) };
}

type ProbeAction = 'gc' | 'malloc-trim';
type Severity = 'info' | 'warning' | 'error';

export class ProbeCommands extends DisposableBase implements vscode.Disposable {
  private readonly running = new Map<string, vscode.CancellationTokenSource>();
  private readonly probed = this.register(new EventEmitter<SessionProbeResult>());
  readonly onDidProbe = this.probed.event;

  constructor(
    private readonly manager: MonitorManager,
    private readonly diagnostics: LeakDiagnostics,
  ) {
    super();
    // A probe still running when the extension goes is cancelled: its channel into the process closes.
    this.register(
      toDisposable(() => {
        for (const cts of this.running.values()) cts.cancel();
        this.running.clear();
      }),
    );
  }

  /** `arg`: nothing (pick a session), a session id (the panel), or {@link ProbeCommandArgs}. */
  async findGrowing(arg?: unknown): Promise<ProbeCommandOutcome<ProbeResult>> {
    const programmatic = parseProbeCommandArgs(arg);
    const session = await this.pickSession(programmatic?.id ?? arg, vscode.l10n.t('Find what is growing in…'));
    if (isProbeCommandFailure(session)) return session;
    const refused = await this.consent(session, 'probe', programmatic);
    if (refused) return refused;
    const windowMs = programmatic?.windowSeconds !== undefined ? programmatic.windowSeconds * 1000 : readConfig().probeWindowMs;
    const startedMs = Date.now();
    const raw = await this.withProgress(session, vscode.l10n.t('Leakscope: watching allocations in pid {0}', session.target.pid), (signal, report) =>
      loadProbeEngine().then((engine) => engine.probeProcess(session.target.pid, { windowMs, signal, onStatus: (status) => report(status.message) })),
    );
    if (isProbeCommandFailure(raw)) return raw;
    // Judged against what the chart saw over the same window: a few hundred bytes in a flat
    // process are no finding, and neither are kilobytes beside megabytes of growth.
    const result = withSignificantSites(raw, rssGrowthOver(session.monitor.history.toSamples(), startedMs, Date.now()));
    session.monitor.addEvent('probe', result.sites.length ? `Probe: ${result.sites.length} growing site${result.sites.length === 1 ? '' : 's'}` : 'Probe: nothing grew');
    this.probed.fire({ sessionId: session.id, result });
    const shown = this.diagnostics.showRuntimeEvidence(session.target.pid, windowMs, result.sites);
    const top = result.sites[0];
    void vscode.window.showInformationMessage(
      top ? `${vscode.l10n.t('Leakscope: most memory still alive was allocated at {0}.', describe(top))}${shown ? ` ${shown === 1 ? vscode.l10n.t('1 line flagged in the workspace.') : vscode.l10n.t('{0} lines flagged in the workspace.', shown)}` : ''}`
        : vscode.l10n.t('Leakscope: nothing grew during the probe window.'),
      ...(top ? [vscode.l10n.t('Open')] : []),
    ).then((choice) => choice && top && openSite(top));
    return result;
  }

  /** `arg` as for {@link findGrowing}. */
  runGc(arg?: unknown): Promise<ProbeCommandOutcome<MemoryActionResult>> {
    return this.action(arg, 'gc');
  }

  /** `arg` as for {@link findGrowing}. */
  runMallocTrim(arg?: unknown): Promise<ProbeCommandOutcome<MemoryActionResult>> {
    return this.action(arg, 'malloc-trim');
  }

  /**
   * The user says a fix is live in the focused process (a setting flipped at runtime, a worker
   * reloaded): mark it. A quick fix to a file does not come here, since the process still runs
   * the old code until it restarts (see RestartAndCompare).
   */
  markFixApplied(): void {
    this.manager.focused?.markFixApplied('Fix applied (marked by hand)');
  }

  private async action(arg: unknown, action: ProbeAction): Promise<ProbeCommandOutcome<MemoryActionResult>> {
    const programmatic = parseProbeCommandArgs(arg);
    const session = await this.pickSession(programmatic?.id ?? arg, action === 'gc' ? vscode.l10n.t('Run garbage collection in…') : vscode.l10n.t('Run malloc_trim(0) in…'));
    if (isProbeCommandFailure(session)) return session;
    const refused = await this.consent(session, action, programmatic);
    if (refused) return refused;
    const progressTitle = action === 'gc' ? vscode.l10n.t('Leakscope: collecting garbage in pid {0}', session.target.pid) : vscode.l10n.t('Leakscope: running malloc_trim in pid {0}', session.target.pid);
    const result = await this.withProgress(session, progressTitle, (signal, report) =>
      loadProbeEngine().then((engine) => (action === 'gc' ? engine.runGc : engine.runMallocTrim)(session.target.pid, { signal, onStatus: (status) => report(status.message) })),
    );
    if (isProbeCommandFailure(result)) return result;
    session.monitor.addEvent(action === 'gc' ? 'gc' : 'malloc-trim', `${action}: ${formatBytes(result.freedBytes)} freed`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: {0}', result.interpretation));
    return result;
  }

  private async pickSession(idArg: unknown, title: string): Promise<WatchSession | ProbeCommandFailure> {
    if (typeof idArg === 'string') {
      return this.manager.get(idArg) ?? fail('no-session', vscode.l10n.t('Leakscope: no process is watched under the id "{0}" (it was detached).', idArg), 'warning');
    }
    const live = this.manager.all.filter((s) => s.monitor.state === 'running' || s.monitor.state === 'paused');
    if (live.length === 0) return fail('no-session', vscode.l10n.t('Leakscope: attach a memory monitor to a running process first.'), 'info');
    if (live.length === 1) return live[0];
    const focused = this.manager.focused;
    const pick = await vscode.window.showQuickPick(
      live.map((s) => ({ label: `$(pulse) ${vscode.l10n.t('pid {0}', s.target.pid)}`, description: s.target.argv.join(' ').slice(0, 80), picked: s === focused, session: s })),
      { title },
    );
    return pick?.session ?? fail('cancelled', vscode.l10n.t('Leakscope: no process was picked; nothing was probed.'), 'status');
  }

  /**
   * Undefined when the user (or a programmatic caller) consented; otherwise the refusal, already
   * shown. The runtime is checked first, so an unsupported process is never offered the modal.
   */
  private async consent(session: WatchSession, what: 'probe' | ProbeAction, programmatic: ProbeCommandArgs | undefined): Promise<ProbeCommandFailure | undefined> {
    const pid = session.target.pid;
    let runtime: ProbeRuntime | undefined;
    try {
      runtime = detectProbeRuntime(pid);
    } catch (error) {
      return failWith(error);
    }
    if (!runtime) {
      return fail('unsupported', vscode.l10n.t('Leakscope: pid {0} ({1}) is neither a Node.js nor a Python process, so it cannot be probed.', pid, programName(pid)), 'warning');
    }
    if (what === 'malloc-trim' && runtime === 'node') {
      return fail('unsupported', vscode.l10n.t('Leakscope: malloc_trim is offered for Python processes; pid {0} is Node.js, whose heap V8 manages (run GC instead).', pid), 'warning');
    }
    const task = what === 'probe' ? vscode.l10n.t('probe') : what === 'gc' ? vscode.l10n.t('garbage collection') : 'malloc_trim';
    const declined = (): ProbeCommandFailure => fail('no-consent', vscode.l10n.t('Leakscope: the {0} was declined, so nothing was opened in or injected into pid {1}.', task, pid), 'status');
    if (programmatic) return programmatic.consented ? undefined : declined();
    const text = consentText(pid, runtime, what);
    const answer = await vscode.window.showWarningMessage(text.title, { modal: true, detail: text.detail }, text.confirm);
    return answer === text.confirm ? undefined : declined();
  }

  private async withProgress<T>(session: WatchSession, title: string, work: (signal: AbortSignal, report: (status: string) => void) => Promise<T>): Promise<T | ProbeCommandFailure> {
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
      if (abort.signal.aborted) return fail('cancelled', vscode.l10n.t('Leakscope: the probe of pid {0} was cancelled; the channel into it was closed.', session.target.pid), 'status');
      return failWith(error);
    } finally {
      onCancel.dispose();
      cts.dispose();
      if (this.running.get(session.id) === cts) this.running.delete(session.id);
    }
  }
}

/** What the modal says before a channel into the process is opened. */
function consentText(pid: number, runtime: ProbeRuntime, what: 'probe' | ProbeAction): { title: string; detail: string; confirm: string } {
  const task = what === 'probe' ? vscode.l10n.t('watch which lines allocate memory that stays alive') : what === 'gc' ? vscode.l10n.t('run a full garbage collection') : vscode.l10n.t('run malloc_trim(0), which returns freed heap memory to the system');
  if (runtime === 'node') {
    return {
      title: vscode.l10n.t('Open the Node inspector of pid {0}?', pid),
      detail: vscode.l10n.t('To {0}, Leakscope sends SIGUSR1 to the process, which opens its inspector on 127.0.0.1:9229 and prints "Debugger listening on ws://…" to its output. While the port is open, any local user can run code as that process\'s user. Leakscope checks the port belongs to pid {1}, and closes the inspector when it is done.', task, pid),
      confirm: vscode.l10n.t('Open inspector'),
    };
  }
  return {
    title: vscode.l10n.t('Run a probe inside Python pid {0}?', pid),
    detail: `${vscode.l10n.t('To {0}, Leakscope injects a small Python script into the process (sys.remote_exec on Python 3.14+, otherwise through ptrace or gdb).', task)} ${what === 'probe' ? `${vscode.l10n.t('The script starts tracemalloc in a thread for the probe window, writes the growing lines to a private file, and stops tracemalloc again.')} ` : ''}${vscode.l10n.t('The process pauses briefly; it keeps running afterwards.')}`,
    confirm: vscode.l10n.t('Run probe'),
  };
}

function describe(site: AllocationSite): string {
  return `${vscode.workspace.asRelativePath(site.file)}:${site.line} (${site.function}, ${formatBytes(site.bytes)})`;
}

/**
 * Shows `message` (a toast, or for the user's own "no" a status bar line, since the user just
 * answered) and returns it as the command's outcome.
 */
function fail(reason: ProbeCommandFailure['reason'], message: string, how: Severity | 'status'): ProbeCommandFailure {
  if (how === 'status') vscode.window.setStatusBarMessage(message, 8000);
  else if (how === 'info') void vscode.window.showInformationMessage(message);
  else if (how === 'warning') void vscode.window.showWarningMessage(message);
  else void vscode.window.showErrorMessage(message);
  return { error: message, reason };
}

/** A failed probe: the core's message (it says what happened and what to do), shown as an error. */
function failWith(error: unknown): ProbeCommandFailure {
  const reason = isProbeError(error) ? error.code : 'failed';
  return fail(reason, vscode.l10n.t('Leakscope: {0}', errorMessage(error)), reason === 'unsupported' ? 'warning' : 'error');
}

export function openSite(site: AllocationSite): Thenable<unknown> {
  const line = Math.max(0, site.line - 1);
  return vscode.window.showTextDocument(vscode.Uri.file(site.file), { selection: new vscode.Range(line, 0, line, 0) });
}
