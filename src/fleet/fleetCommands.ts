// "Open fleet from Prometheus…", its refresh and close, a click on a series, and "Set Prometheus
// credentials…". A thin adapter: the core reads and classifies (readFleetOffThread, in a worker
// thread, so the extension host's thread only waits), this asks, shows progress and says what failed.
import * as vscode from 'vscode';
import { FleetRow, PrometheusAuth, PrometheusError, queryUrl, RangeQuery, readFleetOffThread, readSeriesOffThread, seriesKey, seriesTrace } from '../core/fleet';
import { DisposableBase, toDisposable } from '../core/events';
import { isLeakClass, Trace } from '../core/model';
import { formatDuration, parseDuration } from '../core/units';
import { errorMessage } from '../core/errorMessage';
import { FleetSettings, readFleetSettings } from '../config';
import { askCredentials, authOfArgument, CredentialsArgument, originOf, PrometheusCredentials } from './credentials';
import { FleetTree } from './fleetTree';
import { OpenFleetArgument } from './arguments';

/** The fleet shown: what was asked and the time range read, so a click reads the same series again. */
interface FleetSource {
  url: string;
  query: string;
  rangeMs: number;
  stepMs: number;
  startMs: number;
  endMs: number;
}

/** What the fleet view shows, for the extension's API (tests). */
export interface FleetState {
  source?: { url: string; query: string; rangeMs: number; stepMs: number };
  rows: readonly FleetRow[];
  /** The last failure's message, as shown to the user; cleared by a successful read. */
  lastError?: string;
}

export class FleetCommands extends DisposableBase implements vscode.Disposable {
  private source: FleetSource | undefined;
  private lastError: string | undefined;
  /** The fleet read in flight: a newer read or close stops it. */
  private reading: AbortController | undefined;
  /** Every read in flight (the fleet's and clicked series'): dispose stops them all. */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly tree: FleetTree,
    private readonly credentials: PrometheusCredentials,
    private readonly showRecording: (trace: Trace, label: string) => void,
  ) {
    super();
    this.register(toDisposable(() => [...this.inFlight].forEach((c) => c.abort(new Error('Leakscope is shutting down')))));
  }

  state(): FleetState {
    const s = this.source;
    return { ...(s ? { source: { url: s.url, query: s.query, rangeMs: s.rangeMs, stepMs: s.stepMs } } : {}), rows: this.tree.rows, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /** Asks the URL (unless given), reads and classifies the fleet, shows it; the rows, or undefined when cancelled or failed. */
  async openFleet(arg?: OpenFleetArgument): Promise<FleetRow[] | undefined> {
    const settings = readFleetSettings();
    const url = arg?.url ?? (await askUrl(settings.prometheusUrl));
    if (url === undefined) return undefined;
    let source: FleetSource;
    try {
      source = sourceOf(url.trim(), arg, settings);
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    return this.read(source);
  }

  /** Reads the shown fleet again, ending now. */
  async refresh(): Promise<FleetRow[] | undefined> {
    const s = this.source;
    if (!s) return this.openFleet();
    const endMs = Date.now();
    return this.read({ ...s, startMs: endMs - s.rangeMs, endMs });
  }

  async close(): Promise<void> {
    this.reading?.abort(new Error('closed'));
    this.source = undefined;
    this.lastError = undefined;
    await this.tree.close();
  }

  /** A click on a row: that series, read again over the same range, in a memory panel. Returns its point count. */
  async openSeries(row: FleetRow | undefined): Promise<number | undefined> {
    const s = this.source;
    if (!s || !row) return undefined;
    const reading = this.begin();
    try {
      const auth = await this.credentials.get(s.url);
      const series = await withProgress(`Reading ${row.name} from Prometheus…`, reading, (signal) => readSeriesOffThread(rangeQuery(s, auth), seriesKey(row.labels), { signal }));
      if (!series) return this.fail(`${row.name} is no longer in ${s.query} at ${s.url} over that range: refresh the fleet.`);
      this.showRecording(seriesTrace(series, row.name), row.name);
      return series.tMs.length;
    } catch (error) {
      return reading.signal.aborted ? undefined : this.fail(this.explain(error, s.url));
    } finally {
      this.inFlight.delete(reading);
    }
  }

  /** "Set Prometheus credentials…": asks the server, the kind and the secret (unless given) and stores them. */
  async setCredentials(arg?: CredentialsArgument): Promise<boolean> {
    const url = arg?.url ?? (await askUrl(this.source?.url ?? readFleetSettings().prometheusUrl));
    if (url === undefined) return false;
    let origin: string;
    try {
      origin = originOf(url.trim());
    } catch {
      return this.fail(`not a URL: '${url}' (e.g. http://localhost:9090)`) ?? false;
    }
    const auth = arg ? authOfArgument(arg) : await askCredentials(origin, (await this.credentials.get(origin)) !== undefined);
    if (auth === undefined) return false;
    if (auth === 'forget') await this.credentials.forget(origin);
    else await this.credentials.store(origin, auth);
    void vscode.window.showInformationMessage(auth === 'forget' ? `Leakscope: no credentials are sent to ${origin} any more.` : `Leakscope: credentials for ${origin} are kept in VS Code's secret storage.`);
    return true;
  }

  private async read(source: FleetSource): Promise<FleetRow[] | undefined> {
    this.reading?.abort(new Error('replaced by a newer read'));
    const reading = (this.reading = this.begin());
    try {
      const auth = await this.credentials.get(source.url);
      const title = `Reading ${source.query} from ${source.url} (${formatDuration(source.rangeMs)})…`;
      const result = await withProgress(title, reading, (signal) => readFleetOffThread(rangeQuery(source, auth), { signal }));
      this.source = source;
      this.lastError = undefined;
      await this.tree.show(result.rows, summary(source, result.rows), `${source.query} · ${originOf(source.url)}`);
      await vscode.commands.executeCommand('leakscope.fleet.focus');
      for (const warning of result.warnings) void vscode.window.showWarningMessage(`Leakscope: Prometheus warns: ${warning}`);
      if (result.rows.length === 0) void vscode.window.showInformationMessage(`Leakscope: ${source.query} matched no series at ${source.url} in the last ${formatDuration(source.rangeMs)}.`);
      return result.rows;
    } catch (error) {
      if (reading.signal.aborted) return undefined; // replaced, closed or cancelled: nothing to say
      return this.fail(this.explain(error, source.url));
    } finally {
      if (this.reading === reading) this.reading = undefined;
      this.inFlight.delete(reading);
    }
  }

  private begin(): AbortController {
    const controller = new AbortController();
    this.inFlight.add(controller);
    return controller;
  }

  /** The core's sentence; a refusal also says where credentials are set. */
  private explain(error: unknown, url: string): string {
    if (error instanceof PrometheusError && error.kind === 'auth') return `${error.message}: set credentials with "Leakscope: Set Prometheus credentials…" for ${originOf(url)}.`;
    return errorMessage(error);
  }

  private fail(message: string): undefined {
    this.lastError = message;
    void vscode.window.showErrorMessage(`Leakscope: ${message}`);
    return undefined;
  }
}

async function askUrl(prefill: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Open fleet from Prometheus',
    prompt: 'The Prometheus server to read (its HTTP API; Leakscope only reads)',
    value: prefill,
    placeHolder: 'http://localhost:9090',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Required'),
  });
}

/** The argument over the settings; durations and the URL checked here, so a mistake is said before any thread starts. */
function sourceOf(url: string, arg: OpenFleetArgument | undefined, settings: FleetSettings): FleetSource {
  const query = (arg?.query ?? settings.query).trim();
  if (!query) throw new Error('the query is empty (setting leakscope.fleet.query)');
  const rangeMs = duration('range', arg?.range ?? settings.range);
  const stepMs = duration('step', arg?.step ?? settings.step);
  if (stepMs > rangeMs) throw new Error(`the step (${formatDuration(stepMs)}) is longer than the range (${formatDuration(rangeMs)})`);
  queryUrl(url, query, 0, 0, stepMs); // throws, saying why, on a URL the core would refuse
  const endMs = Date.now();
  return { url, query, rangeMs, stepMs, startMs: endMs - rangeMs, endMs };
}

function duration(what: 'range' | 'step', text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new Error(`the ${what} '${text}' is not a duration like 6h or 15s (setting leakscope.fleet.${what}): ${errorMessage(error)}`, { cause: error });
  }
  if (!(ms > 0)) throw new Error(`the ${what} must be more than 0, got '${text}'`);
  return ms;
}

function rangeQuery(s: FleetSource, auth: PrometheusAuth | undefined): Omit<RangeQuery, 'signal'> {
  return { url: s.url, query: s.query, startMs: s.startMs, endMs: s.endMs, stepMs: s.stepMs, ...(auth ? { auth } : {}) };
}

/** The view's message, short enough for a narrow side bar: how many leak, and the range read. */
function summary(s: FleetSource, rows: readonly FleetRow[]): string {
  const leaking = rows.filter((r) => isLeakClass(r.class)).length;
  return `${leaking} of ${rows.length} leaking · last ${formatDuration(s.rangeMs)} at ${formatDuration(s.stepMs)}`;
}

/** A cancellable progress notification around `work`; cancelling it aborts `controller`, whose signal `work` gets. */
function withProgress<T>(title: string, controller: AbortController, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Leakscope: ${title}`, cancellable: true }, (_progress, token) => {
      const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
      return work(controller.signal).finally(() => cancel.dispose());
    }),
  );
}
