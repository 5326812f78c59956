// Composition root: builds the adapters and registers what they offer. No logic of its own.
// First, so its clock starts before the rest of the bundle is evaluated.
import { ActivationTimes, cpuNowMs, sinceModuleStart } from './activationClock';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { Commands, registerCommand } from './commands';
import { onDidChangeConfig } from './config';
import { LeakCodeActionProvider } from './diagnostics/leakCodeActions';
import { LeakDiagnostics } from './diagnostics/leakDiagnostics';
import { scanWorkspace } from './diagnostics/scanWorkspace';
import { MonitorAlerts } from './monitors/alerts';
import { AttachCommands } from './monitors/attachCommands';
import { DebuggeeTracker } from './monitors/debuggeeTracker';
import { FamilyManager } from './monitors/familyManager';
import { MonitorManager } from './monitors/monitorManager';
import { OpenMetricsExporter } from './monitors/openMetricsExporter';
import { RestartAndCompare } from './monitors/restartAndCompare';
import { WatchOnLaunch } from './monitors/watchOnLaunch';
import { RunWithMonitor } from './monitors/runWithMonitor';
import { LeakingFiles } from './monitors/leakingFiles';
import { MemoryPanels } from './panel';
import { FleetCommands } from './fleet/fleetCommands';
import { PrometheusCredentials } from './fleet/credentials';
import { FleetTree } from './fleet/fleetTree';
import { credentialsArgument, fleetRowArgument, openFleetArgument } from './fleet/arguments';
import { SessionPanelController } from './panelController';
import { ProbeCommands } from './probe/probeCommands';
import { MemoryStatusBar } from './statusBar';
import { LeakscopeApi, createApi } from './api';

const CODE_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'javascript' },
  { language: 'javascriptreact' },
  { language: 'typescript' },
  { language: 'typescriptreact' },
];

/** Every import above is evaluated by now: the bundle's own loading time. */
const moduleLap = sinceModuleStart();

export function activate(context: vscode.ExtensionContext): LeakscopeApi {
  const activateStartedMs = performance.now();
  const activateStartedCpuMs = cpuNowMs();
  const manager = new MonitorManager();
  const debuggees = new DebuggeeTracker();
  const statusBar = new MemoryStatusBar(manager);
  const diagnostics = new LeakDiagnostics(vscode.Uri.joinPath(context.extensionUri, 'dist', 'grammars').fsPath);
  const log = vscode.window.createOutputChannel('Leakscope', { log: true });
  const probes = new ProbeCommands(manager, diagnostics);
  const families = new FamilyManager(manager);
  const panelController = new SessionPanelController(manager, probes, families);
  const panels = new MemoryPanels(context.extensionUri, panelController, log);
  const showPanel = (id: string | undefined): void => {
    if (id) panels.show(id);
    else void vscode.window.showInformationMessage(vscode.l10n.t('Leakscope: no process is being watched. Run "Attach memory monitor" first.'));
  };
  const alerts = new MonitorAlerts(manager, (s) => showPanel(s.id));
  const leakingFiles = new LeakingFiles(manager, diagnostics);
  const attach = new AttachCommands(manager, debuggees, (s) => showPanel(s.id), families);
  const watchOnLaunch = new WatchOnLaunch(debuggees, (pid) => attach.attachPid(pid));
  const restart = new RestartAndCompare(manager, (id) => attach.watchNextRun(id));
  const runWithMonitor = new RunWithMonitor(manager, (s) => showPanel(s.id));
  const openMetrics = new OpenMetricsExporter(manager, log);
  const fleetTree = new FleetTree();
  const fleet = new FleetCommands(fleetTree, new PrometheusCredentials(context.secrets), (trace, label) => panels.showRecording(trace, label));

  context.subscriptions.push(
    log, manager, families, debuggees, statusBar, diagnostics, panelController, panels, probes, alerts, leakingFiles, attach, watchOnLaunch, restart, runWithMonitor, openMetrics, fleetTree, fleet,
    vscode.languages.registerCodeActionsProvider(CODE_SELECTOR, new LeakCodeActionProvider(diagnostics), {
      providedCodeActionKinds: LeakCodeActionProvider.providedCodeActionKinds,
    }),
    onDidChangeConfig(() => void diagnostics.refresh()),
    registerCommand(Commands.attach, (pid) => attach.attach(pid)),
    registerCommand(Commands.attachPid, (pid) => attach.attachPid(pid)),
    registerCommand(Commands.attachDebuggee, () => attach.attachDebuggee()),
    registerCommand(Commands.attachTerminal, (terminal) => attach.attachTerminal(terminal)),
    registerCommand(Commands.runWithMonitor, (uri) => runWithMonitor.run(uri)),
    registerCommand(Commands.watchNextRun, (arg) => attach.watchNextRun(arg)),
    registerCommand(Commands.restartAndCompare, (arg) => restart.run(arg)),
    registerCommand(Commands.detach, (id) => attach.detach(id)),
    registerCommand(Commands.detachAll, () => manager.detachAll()),
    registerCommand(Commands.showPanel, (id) => showPanel(typeof id === 'string' ? id : manager.focused?.id)),
    registerCommand(Commands.openTrace, (uri) => panels.openTrace(uri instanceof vscode.Uri ? uri : undefined)),
    registerCommand(Commands.markFixApplied, () => probes.markFixApplied()),
    registerCommand(Commands.scanWorkspace, () => scanWorkspace(diagnostics)),
    registerCommand(Commands.findGrowing, (id) => probes.findGrowing(id)),
    registerCommand(Commands.runGc, (id) => probes.runGc(id)),
    registerCommand(Commands.runMallocTrim, (id) => probes.runMallocTrim(id)),
    registerCommand(Commands.openFleet, (arg) => fleet.openFleet(openFleetArgument(arg))),
    registerCommand(Commands.setPrometheusCredentials, (arg) => fleet.setCredentials(credentialsArgument(arg))),
    registerCommand(Commands.refreshFleet, () => fleet.refresh()),
    registerCommand(Commands.closeFleet, () => fleet.close()),
    registerCommand(Commands.openFleetSeries, (row) => fleet.openSeries(fleetRowArgument(row))),
  );
  const times: ActivationTimes = {
    moduleMs: moduleLap.wallMs,
    activateMs: performance.now() - activateStartedMs,
    moduleCpuMs: moduleLap.cpuMs,
    activateCpuMs: cpuNowMs() - activateStartedCpuMs,
  };
  return createApi(manager, statusBar, diagnostics, { panelController, panels, families, openMetrics }, times, panelController, families, { state: () => fleet.state(), tree: fleetTree }, openMetrics, () => panels.recordingsShown());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
