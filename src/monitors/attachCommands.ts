// "Attach memory monitor" and its variants: pick a process, type a PID, the debuggee, or a
// terminal's process. Every path ends in MonitorManager.attach with a verified ProcessInfo.
import * as vscode from 'vscode';
import { descendants, isWrapper, listProcesses, readProcessInfo, resolveInterpreter, shortCommand, waitForRerun } from '../core/discovery';
import { ProcessInfo } from '../core/model';
import { WatchSession } from '../core/session';
import { formatBytes } from '../core/units';
import { DebuggeeTracker } from './debuggeeTracker';
import { FamilyManager } from './familyManager';
import { workerCounts } from '../core/family';
import { MonitorManager } from './monitorManager';
import { errorMessage } from '../core/errorMessage';
import { DisposableBase, DisposableStore, toDisposable } from '../core/events';

/** How long "Watch next run" waits for the program to start again. */
const NEXT_RUN_TIMEOUT_MS = 10 * 60_000;

type ProcessPick = vscode.QuickPickItem & { process?: ProcessInfo; action?: () => Promise<WatchSession | undefined> };

export class AttachCommands extends DisposableBase implements vscode.Disposable {
  /** "Watch next run" waits in progress, by the exited session's id: asked twice, it waits once. */
  private readonly nextRunWaits = new Map<string, { stop: AbortController; done: Promise<string | undefined> }>();

  constructor(
    private readonly manager: MonitorManager,
    private readonly debuggees: DebuggeeTracker,
    private readonly onAttached: (session: WatchSession) => void,
    private readonly families: FamilyManager,
  ) {
    super();
    // Stops any wait for a next run: nothing polls the process list after the extension is gone.
    this.register(
      toDisposable(() => {
        for (const wait of this.nextRunWaits.values()) wait.stop.abort();
        this.nextRunWaits.clear();
      }),
    );
  }

  /**
   * The quick pick of running Python and Node processes. A numeric argument attaches directly;
   * `{ pid, family: true }` attaches to that process and its workers (as the pick's family row).
   */
  async attach(pidArg?: unknown): Promise<string | undefined> {
    if (typeof pidArg === 'number') return this.attachPid(pidArg);
    const familyPid = familyArg(pidArg);
    if (familyPid !== undefined) return (await this.attachFamilyPid(familyPid))?.id;
    const picked = await this.pickProcess();
    if (!picked) return undefined;
    const session = picked.action ? await picked.action() : picked.process && (await this.start(picked.process));
    return session?.id;
  }

  async attachPid(pidArg?: unknown): Promise<string | undefined> {
    const pid = typeof pidArg === 'number' ? pidArg : await askPid();
    if (pid === undefined) return undefined;
    return (await this.attachToPid(pid))?.id;
  }

  async attachDebuggee(): Promise<string | undefined> {
    const active = vscode.debug.activeDebugSession;
    const pid = this.debuggees.pidOf(active);
    if (!active) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no debug session is running. Start one, or attach to a process instead.'));
      return undefined;
    }
    if (pid === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Leakscope: the debug session "{0}" has not reported its process id. Attach by picking the process instead.', active.name));
      return undefined;
    }
    return (await this.attachToPid(pid))?.id;
  }

  async attachTerminal(terminalArg?: unknown): Promise<string | undefined> {
    const terminal = terminalArg instanceof Object && 'processId' in terminalArg ? (terminalArg as vscode.Terminal) : await pickTerminal();
    if (!terminal) return undefined;
    const shellPid = await terminal.processId;
    if (shellPid === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Leakscope: terminal "{0}" has no process.', terminal.name));
      return undefined;
    }
    const candidates = await interpretersBelow(shellPid);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no Python or Node process is running in terminal "{0}".', terminal.name));
      return undefined;
    }
    const target = candidates.length === 1 ? candidates[0] : (await vscode.window.showQuickPick(candidates.map((p) => toPick(p)), { title: vscode.l10n.t('Processes in terminal "{0}"', terminal.name) }))?.process;
    return target ? (await this.start(target))?.id : undefined;
  }

  async detach(idArg?: unknown): Promise<void> {
    const sessions = this.manager.all;
    if (typeof idArg === 'string') return this.manager.detach(idArg);
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no process is being watched.'));
      return;
    }
    const pick = sessions.length === 1 ? { id: sessions[0].id } : await vscode.window.showQuickPick(
      sessions.map((s) => ({ label: `$(pulse) ${s.target.pid}`, description: shortCommand(s.target), id: s.id })),
      { title: vscode.l10n.t('Detach memory monitor') },
    );
    if (pick) this.manager.detach(pick.id);
  }

  /**
   * "Watch next run": once a watched program has exited (say, to restart it with a fix), waits
   * for it to start again, watches the new process and sets its curve and slope against the
   * last run's. Returns the new session's id; undefined when cancelled or timed out.
   */
  async watchNextRun(arg?: unknown): Promise<string | undefined> {
    const previous = await this.exitedSession(arg);
    if (!previous) return undefined;
    const pending = this.nextRunWaits.get(previous.id);
    if (pending) return pending.done;
    const stop = new AbortController();
    const done = this.waitAndWatch(previous, stop).finally(() => this.nextRunWaits.delete(previous.id));
    this.nextRunWaits.set(previous.id, { stop, done });
    return done;
  }

  private async waitAndWatch(previous: WatchSession, stop: AbortController): Promise<string | undefined> {
    const command = shortCommand(previous.target);
    const aliveAtMs = previous.monitor.history.latest()?.tMs ?? Date.now();
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Leakscope: waiting for {0} to start again…', command), cancellable: true },
      async (_progress, token) => {
        const cancelling = token.onCancellationRequested(() => stop.abort());
        try {
          return await waitForRerun(previous.target, { aliveAtMs, cwd: previous.cwd, signal: stop.signal, timeoutMs: NEXT_RUN_TIMEOUT_MS });
        } finally {
          cancelling.dispose();
        }
      },
    );
    if (!info) {
      if (!stop.signal.aborted) void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: {0} did not start again within {1} minutes.', command, NEXT_RUN_TIMEOUT_MS / 60_000));
      return undefined;
    }
    const run = { pid: previous.target.pid, samples: previous.monitor.history.toSamples(), events: previous.monitor.events, stopRequestedMs: previous.stopRequestedAtMs };
    const session = await this.start(info, (s) => s.followsRun(run));
    // The old run lives on in the new panel's overlay and in its own panel, which keeps what it showed.
    if (session) this.manager.detach(previous.id);
    return session?.id;
  }

  /** The session named by `arg`, or the one exited session, or the one the user picks. */
  private async exitedSession(arg: unknown): Promise<WatchSession | undefined> {
    const id = typeof arg === 'string' ? arg : arg instanceof Object && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
    const exited = this.manager.all.filter((s) => s.monitor.state === 'exited' && (id === undefined || s.id === id));
    if (id !== undefined && exited.length === 0) {
      const running = this.manager.get(id);
      void vscode.window.showInformationMessage(running ? vscode.l10n.t('Leakscope: pid {0} is still running; its next run can be watched once it exits.', running.target.pid) : vscode.l10n.t('Leakscope: that monitor is no longer there.'));
      return undefined;
    }
    if (exited.length <= 1) {
      if (exited.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no watched process has exited; "Watch next run" follows a program that is restarted.'));
      return exited[0];
    }
    const pick = await vscode.window.showQuickPick(
      exited.map((s) => ({ label: `$(debug-stop) ${s.target.pid}`, description: shortCommand(s.target), id: s.id })),
      { title: vscode.l10n.t('Watch the next run of') },
    );
    return pick && this.manager.get(pick.id);
  }

  private async attachToPid(pid: number): Promise<WatchSession | undefined> {
    try {
      // A wrapper (shell, pyenv shim, npm) resolves to its interpreter; any other process is watched as it is.
      const info = (await resolveInterpreter(pid)) ?? (await readProcessInfo(pid));
      return this.start(info);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: cannot watch pid {0}: {1}', pid, errorMessage(error)));
      return undefined;
    }
  }

  /** `prepare` runs before anything shows the session (the panel reads what it sets). */
  private async start(info: ProcessInfo, prepare?: (session: WatchSession) => void): Promise<WatchSession | undefined> {
    try {
      const session = await this.manager.attach(info);
      prepare?.(session);
      this.onAttached(session);
      return session;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: cannot watch pid {0}: {1}', info.pid, errorMessage(error)));
      return undefined;
    }
  }

  private async pickProcess(): Promise<ProcessPick | undefined> {
    const quickPick = vscode.window.createQuickPick<ProcessPick>();
    quickPick.title = vscode.l10n.t('Attach memory monitor');
    quickPick.placeholder = vscode.l10n.t('Pick a Python or Node process (type to filter by name, command or pid)');
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    quickPick.busy = true;
    quickPick.show();
    const disposables = new DisposableStore();
    disposables.add(quickPick);
    try {
      quickPick.items = [...this.extraPicks()];
      quickPick.items = [...this.extraPicks(), ...(await this.processPicks())];
      quickPick.busy = false;
      return await new Promise<ProcessPick | undefined>((resolve) => {
        disposables.add(quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0])));
        disposables.add(quickPick.onDidHide(() => resolve(undefined)));
      });
    } finally {
      disposables.dispose();
    }
  }

  private extraPicks(): ProcessPick[] {
    const picks: ProcessPick[] = [];
    for (const { session, pid } of this.debuggees.known) {
      picks.push({ label: `$(debug) ${vscode.l10n.t('Debuggee of "{0}"', session.name)}`, description: vscode.l10n.t('pid {0}', pid), action: () => this.attachToPid(pid) });
    }
    if (vscode.window.terminals.length > 0) {
      picks.push({ label: `$(terminal) ${vscode.l10n.t('Process running in a terminal…')}`, action: async () => {
        const id = await this.attachTerminal();
        return id ? this.manager.get(id) : undefined;
      } });
    }
    picks.push({ label: `$(edit) ${vscode.l10n.t('Enter a PID…')}`, action: async () => {
      const pid = await askPid();
      return pid === undefined ? undefined : this.attachToPid(pid);
    } });
    return picks;
  }

  /** "this process and its 4 workers": the process with its Python and Node descendants, each classified. */
  private familyPick(p: ProcessInfo, workers: number): ProcessPick {
    return {
      label: `$(type-hierarchy-sub) ${workers === 1 ? vscode.l10n.t('this process and its 1 worker') : vscode.l10n.t('this process and its {0} workers', workers)}`,
      description: vscode.l10n.t('pid {0} · each worker watched and classified on its own', p.pid),
      action: () => this.startFamily(p),
    };
  }

  private async attachFamilyPid(pid: number): Promise<WatchSession | undefined> {
    try {
      return await this.startFamily(await readProcessInfo(pid));
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: cannot watch pid {0} and its workers: {1}', pid, errorMessage(error)));
      return undefined;
    }
  }

  private async startFamily(root: ProcessInfo): Promise<WatchSession | undefined> {
    try {
      const session = await this.families.attach(root);
      this.onAttached(session);
      return session;
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Leakscope: cannot watch pid {0} and its workers: {1}', root.pid, errorMessage(error)));
      return undefined;
    }
  }

  private async processPicks(): Promise<ProcessPick[]> {
    const own = await ownProcessIds();
    const appRoot = vscode.env.appRoot;
    const processes = (await listProcesses()).filter((p) => !own.has(p.pid));
    const user = processes.filter((p) => !p.argv.some((a) => a.startsWith(appRoot)));
    const hidden = processes.length - user.length;
    const picks: ProcessPick[] = [{ label: vscode.l10n.t('Python and Node processes'), kind: vscode.QuickPickItemKind.Separator }];
    const workers = workerCounts(user);
    for (const p of user.sort((a, b) => b.rssBytes - a.rssBytes)) {
      picks.push(toPick(p, this.manager.findByPid(p.pid) !== undefined));
      const count = workers.get(p.pid) ?? 0;
      if (count > 0) picks.push(this.familyPick(p, count));
    }
    if (user.length === 0) picks.push({ label: `$(info) ${vscode.l10n.t('No Python or Node process is running')}`, description: hidden ? vscode.l10n.t('{0} of VS Code\'s own are hidden', hidden) : '' });
    return picks;
  }
}

/** The pid of a `{ pid, family: true }` argument, else undefined. */
function familyArg(arg: unknown): number | undefined {
  if (!(arg instanceof Object) || !('pid' in arg) || !('family' in arg) || arg.family !== true) return undefined;
  return typeof arg.pid === 'number' ? arg.pid : undefined;
}

function toPick(p: ProcessInfo, watched = false): ProcessPick {
  return {
    label: `$(server-process) ${shortCommand(p)}`,
    description: `${vscode.l10n.t('pid {0}', p.pid)} · ${p.interpreter || p.runtime} · ${formatBytes(p.rssBytes)} · ${p.user}${watched ? ` · ${vscode.l10n.t('watching')}` : ''}`,
    detail: p.argv.join(' '),
    process: p,
  };
}

async function askPid(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Attach memory monitor to PID'),
    prompt: vscode.l10n.t('Process id of a running process'),
    validateInput: (value) => (/^\s*\d+\s*$/.test(value) && Number(value) > 0 ? undefined : vscode.l10n.t('A process id is a positive whole number')),
  });
  return text === undefined ? undefined : Number(text.trim());
}

async function pickTerminal(): Promise<vscode.Terminal | undefined> {
  const terminals = vscode.window.terminals;
  if (terminals.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no terminal is open.'));
    return undefined;
  }
  if (terminals.length === 1) return terminals[0];
  const active = vscode.window.activeTerminal;
  const pick = await vscode.window.showQuickPick(
    terminals.map((t) => ({ label: `$(terminal) ${t.name}`, description: t === active ? vscode.l10n.t('active') : '', terminal: t })),
    { title: vscode.l10n.t('Attach memory monitor to the process in terminal') },
  );
  return pick?.terminal;
}

/** Python and Node interpreters running below a terminal's shell (wrappers such as pyenv shims left out). */
async function interpretersBelow(shellPid: number): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const pid of await descendants(shellPid)) {
    try {
      const info = await readProcessInfo(pid);
      if (info.runtime !== 'other' && !isWrapper(info.runtime, info.argv)) found.push(info);
    } catch {
      // Gone between listing and reading: nothing to watch.
    }
  }
  return found;
}

/** The extension host and its ancestors: never offered for watching. */
async function ownProcessIds(): Promise<Set<number>> {
  const ids = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !ids.has(pid)) {
    ids.add(pid);
    try {
      pid = (await readProcessInfo(pid)).ppid;
    } catch {
      break;
    }
  }
  return ids;
}
