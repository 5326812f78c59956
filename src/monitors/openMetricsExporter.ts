// The setting `leakscope.openMetrics.listen`: serves /metrics of every process the extension
// watches in the OpenMetrics text format (the core's exposition and server, as `leakscope watch
// --openmetrics` serves it), for a Prometheus to scrape. Off by default; loopback only unless
// `leakscope.openMetrics.allowPublic`, since the metrics carry command lines. Follows the settings
// as they change; the server closes with the extension.
import * as vscode from 'vscode';
import { DisposableBase, HoldsPerSession, toDisposable } from '../core/events';
import { errorMessage } from '../core/errorMessage';
import { isLoopbackHost, ListenAddress, OpenMetricsServer, parseListenAddress, startOpenMetricsServer, WatchedSessionMetrics } from '../core/openmetrics';
import { onDidChangeConfig, OpenMetricsSettings, readOpenMetricsSettings } from '../config';
import { MonitorManager } from './monitorManager';

export interface OpenMetricsState {
  /** http://HOST:PORT/metrics while serving. */
  url?: string;
  /** Why the setting could not be served (a bad address, a public one not allowed, a port taken). */
  error?: string;
}

export class OpenMetricsExporter extends DisposableBase implements vscode.Disposable, HoldsPerSession {
  private readonly metrics = this.register(new WatchedSessionMetrics());
  private server: OpenMetricsServer | undefined;
  private error: string | undefined;
  /** The settings the server runs with (or failed with), so an unrelated setting change restarts nothing. */
  private applied: string | undefined;
  /** Settings changes are applied one after another: a port is closed before it is listened on again. */
  private applying: Promise<void> = Promise.resolve();
  /** Set when the extension is disposed: a settings change still queued then starts no server. */
  private disposed = false;

  constructor(manager: MonitorManager, private readonly log: vscode.LogOutputChannel) {
    super();
    this.register(manager.forEachSession((session) => [this.metrics.add(session)]));
    this.register(toDisposable(() => {
      this.disposed = true;
      void this.stop();
    }));
    this.register(onDidChangeConfig(() => void this.apply()));
    void this.apply();
  }

  state(): OpenMetricsState {
    return { ...(this.server ? { url: this.server.url } : {}), ...(this.error ? { error: this.error } : {}) };
  }

  /** Resolves once the current settings are applied (tests wait on it after changing them). */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.reconfigure(readOpenMetricsSettings()));
    return this.applying;
  }

  heldCounts(): Record<string, number> {
    return { sessions: this.metrics.size };
  }

  private async reconfigure(settings: OpenMetricsSettings): Promise<void> {
    const key = JSON.stringify(settings);
    if (key === this.applied || this.disposed) return;
    this.applied = key;
    await this.stop();
    this.error = undefined;
    if (!settings.listen) return;
    try {
      this.server = await startOpenMetricsServer(address(settings), () => this.metrics.families());
      if (this.disposed) {
        await this.stop();
        return;
      }
      const scope = isLoopbackHost(this.server.address.host) ? 'this machine only' : 'reachable from other machines (leakscope.openMetrics.allowPublic)';
      this.log.info(`OpenMetrics: serving the watched processes on ${this.server.url} (${scope})`);
    } catch (error) {
      this.error = `leakscope.openMetrics.listen: ${errorMessage(error)}`;
      void vscode.window.showErrorMessage(`Leakscope: ${this.error}`);
    }
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}

/** The setting as an address to listen on; throws, saying why, on one that is malformed or public without consent. */
function address(settings: OpenMetricsSettings): ListenAddress {
  const parsed = parseListenAddress(settings.listen);
  if (!isLoopbackHost(parsed.host) && !settings.allowPublic) {
    throw new Error(`${parsed.host} is not a loopback address; the metrics name your processes' commands, so serving them beyond this machine takes leakscope.openMetrics.allowPublic`);
  }
  return parsed;
}
