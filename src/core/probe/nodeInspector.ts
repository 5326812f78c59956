// A deep probe of a running Node.js process through its own inspector (CDP). SIGUSR1 makes
// Node open the inspector on 127.0.0.1 at the port it was configured with (9229 unless
// --inspect-port says otherwise): we cannot choose it. So the port is matched to the target
// through /proc (which process owns the listening socket) before connecting, and the pid is
// asked again over the connection; the inspector is closed afterwards unless it was open before.
import { get } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { basename } from 'node:path';
import { CdpConnection } from './cdp';
import { cancelled, fromSystemError, isProbeError, ProbeError, processExited } from './errors';
import { parseSamplingProfile, RankedSample, rankSamplingProfile, readLocalSource } from './nodeSites';
import { readCmdline, readExe } from '../discovery/procfs';
import { isSameProcess, listeningPortsOf, portHolder, probeRead, readEnviron, readIdentity, readMapsPaths } from './procfs';
import { MemoryActionResult, NodeHeapUsage, StatusCallback } from './types';
import { delay, throwIfAborted, withTimeout } from './util';

export const DEFAULT_INSPECTOR_PORT = 9229;
/** How often a sampling window checks that the target still exists (one /proc read). */
const LIVENESS_POLL_MS = 250;

export interface NodeOpenOptions {
  /** Bound on the whole opening (signal, port, connection, pid check). Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How long the port may take to appear after SIGUSR1 (measured: ~25 ms). Default 3 s. */
  inspectorWaitMs?: number;
  onStatus?: StatusCallback;
}

export interface SampleOptions {
  /** Bytes between samples; smaller is more precise and costlier. Default 8 KiB. */
  samplingInterval?: number;
  maxSites?: number;
  /** Run a full GC before stopping, so only objects still reachable count. Default true. */
  collectGarbageFirst?: boolean;
  /** Reads source files for the statement guess; default reads local files up to 2 MB. */
  readSource?: (path: string) => string | undefined;
}

export interface CloseReport {
  /** We opened the inspector, so we closed it (false: it was open before, left as found). */
  openedByUs: boolean;
  /** A connection to the port is refused afterwards (true when we did not open it). */
  portClosed: boolean;
  targetAlive: boolean;
}

/** `--inspect-port=N`, `--inspect=[host:]N` (also -brk, -wait) in argv or NODE_OPTIONS. */
export function configuredInspectorPort(args: string[]): number {
  let port = DEFAULT_INSPECTOR_PORT;
  for (const arg of args) {
    const match = /^--inspect(?:-brk|-wait|-port)?=(?:.*:)?(\d+)$/.exec(arg);
    if (match) port = Number(match[1]);
  }
  return port;
}

export function isNodeExecutable(exePath: string, mapsPaths: string[]): boolean {
  return /^(node|nodejs)(\d+)?$/.test(basename(exePath)) || mapsPaths.some((p) => /\/libnode\.so/.test(p));
}

export function nodeOptionArgs(pid: number): string[] {
  const nodeOptions = readEnviron(pid).get('NODE_OPTIONS') ?? '';
  return [...probeRead(pid, 'read the command line of', readCmdline), ...nodeOptions.split(/\s+/).filter(Boolean)];
}

function loopbackPorts(pid: number): number[] | undefined {
  return listeningPortsOf(pid)?.filter((s) => /^(127\.|::1$|::$|0\.0\.0\.0$)/.test(s.address)).map((s) => s.port);
}

/** Whether a TCP connection to 127.0.0.1:port is accepted (false on refusal or timeout). */
export function isPortOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The inspector's target list (GET /json/list); rejects, never hangs, when the connection is cut. */
export function fetchJsonList(port: number, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/json/list', timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new ProbeError('inspector-unavailable', `Port ${port} answered, but not like a Node inspector.`));
        }
      });
      // A connection cut mid-body (the target died) destroys the response without 'end', and
      // without an 'error' listener Node says nothing: the promise would wait with no handle left.
      response.on('error', () => undefined);
      response.on('close', () => {
        if (!response.complete) reject(new ProbeError('inspector-unavailable', `The inspector on port ${port} closed the connection before its target list was complete.`));
      });
    });
    request.on('timeout', () => request.destroy(new ProbeError('timeout', `The inspector on port ${port} did not answer /json/list.`)));
    request.on('error', reject);
  });
}

/** The websocket path of the first debuggable target; the host is forced to 127.0.0.1. */
function websocketUrl(list: unknown, port: number): string {
  const targets = Array.isArray(list) ? list : [];
  for (const target of targets) {
    if (typeof target !== 'object' || target === null) continue;
    const url = (target as Record<string, unknown>).webSocketDebuggerUrl;
    if (typeof url === 'string') return `ws://127.0.0.1:${port}${new URL(url).pathname}`;
  }
  throw new ProbeError('inspector-unavailable', `The inspector on port ${port} lists no debuggable target.`);
}

// Scheduled, not immediate: inspector.close() with a client still connected waits for it in a
// nested message loop, and closing that way crashed Node 20 (SIGSEGV, ~1 run in 8). We
// disconnect first, so the close finds no client. unref: it must not keep an exiting app alive.
const CLOSE_INSPECTOR =
  '(function (ins) { const t = setTimeout(() => ins.close(), 300); t.unref(); return "scheduled"; })(require("inspector"))';

export class NodeInspectorSession {
  readonly notes: string[] = [];
  private closing: Promise<CloseReport> | undefined;

  private constructor(
    readonly pid: number,
    readonly port: number,
    readonly openedByUs: boolean,
    private readonly startTicks: number,
    private readonly cdp: CdpConnection,
  ) {}

  /** Opens (or reuses) the inspector of `pid`, connects, and checks it is the right process. */
  static async open(pid: number, options: NodeOpenOptions = {}): Promise<NodeInspectorSession> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    if (!Number.isInteger(pid) || pid <= 0) throw new ProbeError('unsupported', `${pid} is not a process id.`);
    if (pid === process.pid) throw new ProbeError('unsupported', 'Leakscope cannot probe itself.');
    const identity = readIdentity(pid);
    const exe = probeRead(pid, 'read the executable of', readExe);
    if (!isNodeExecutable(exe.path, readMapsPaths(pid))) {
      throw new ProbeError(
        'unsupported',
        `Process ${pid} is not a Node.js process (its executable is ${exe.path}); SIGUSR1 could stop it, so it was not sent.`,
      );
    }
    const args = nodeOptionArgs(pid);
    const port = configuredInspectorPort(args);
    const alreadyOpen = loopbackPorts(pid)?.includes(port) ?? false;
    if (!alreadyOpen) {
      if (args.includes('--disable-sigusr1')) {
        throw new ProbeError('inspector-unavailable', `Process ${pid} runs with --disable-sigusr1, so its inspector cannot be opened from outside. Restart it with --inspect=127.0.0.1:${port} to probe it.`);
      }
      options.onStatus?.({ state: 'connecting', message: `Opening the inspector of process ${pid} (SIGUSR1)…` });
      sendSigusr1(pid);
      await waitForInspectorPort(pid, port, identity.startTicks, Math.min(options.inspectorWaitMs ?? 3000, deadline - Date.now()), options.signal);
    }
    throwIfAborted(options.signal);
    const remaining = () => Math.max(500, deadline - Date.now());
    let cdp: CdpConnection;
    try {
      const url = websocketUrl(await fetchJsonList(port, remaining()), port);
      cdp = await withTimeout(CdpConnection.connect(url, remaining()), remaining(), () => new ProbeError('timeout', `Could not connect to the inspector of process ${pid} in time.`));
    } catch (error) {
      if (await hasExited(pid, identity.startTicks)) throw processExited(pid);
      if (alreadyOpen || !(error instanceof Error)) throw error;
      // We opened a port we cannot use, and without a connection we cannot close it: say so.
      throw Object.assign(error, { message: `${error.message} The inspector of process ${pid} may still be open on 127.0.0.1:${port}; restart the process to close it.` });
    }
    const session = new NodeInspectorSession(pid, port, !alreadyOpen, identity.startTicks, cdp);
    try {
      await session.checkPid();
    } catch (error) {
      if (!isProbeError(error, 'pid-mismatch')) await session.close().catch(() => undefined);
      if (await hasExited(pid, identity.startTicks)) throw processExited(pid);
      throw error;
    }
    session.notes.push(
      alreadyOpen
        ? `The inspector of process ${pid} was already open on port ${port} (started with --inspect); Leakscope left it open.`
        : `Process ${pid} printed "Debugger listening on ws://127.0.0.1:${port}/…" to its own output; Leakscope closed the inspector afterwards.`,
    );
    return session;
  }

  private async checkPid(): Promise<void> {
    const reported = await this.evaluate('process.pid', false, 3000);
    if (reported !== this.pid) {
      await this.cdp.close();
      throw new ProbeError('pid-mismatch', `The inspector on port ${this.port} belongs to process ${String(reported)}, not ${this.pid}; the connection was dropped without doing anything.`);
    }
  }

  private async evaluate(expression: string, includeCommandLineAPI = false, timeoutMs = 5000): Promise<unknown> {
    const answer = await this.cdp.send('Runtime.evaluate', { expression, returnByValue: true, includeCommandLineAPI, silent: true }, timeoutMs);
    const { result, exceptionDetails } = (answer ?? {}) as { result?: { value?: unknown }; exceptionDetails?: { text?: string } };
    if (exceptionDetails) throw new ProbeError('injection-failed', `Evaluation failed in process ${this.pid}: ${exceptionDetails.text ?? 'exception'}`);
    return result?.value;
  }

  /** Runs `work`, turning a lost connection into 'process-exited' when the target is gone. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isSameProcess(this.pid, this.startTicks)) throw processExited(this.pid);
      throw error;
    }
  }

  /** A JSON-able value computed in the target, with `require` in scope: for readings that live
   *  in their own modules (src/core/memory) on this session's open, checks and close. */
  evaluateValue(expression: string): Promise<unknown> {
    return this.guard(() => this.evaluate(expression, true));
  }

  memoryUsage(): Promise<NodeHeapUsage> {
    return this.guard(async () => {
      const value = (await this.evaluate('process.memoryUsage()')) as Record<string, unknown> | undefined;
      const read = (name: string) => (typeof value?.[name] === 'number' ? (value[name] as number) : 0);
      return { rss: read('rss'), heapUsed: read('heapUsed'), heapTotal: read('heapTotal'), external: read('external'), arrayBuffers: read('arrayBuffers') };
    });
  }

  /** A full garbage collection in the target, with memory use before and after. */
  collectGarbage(): Promise<MemoryActionResult> {
    return this.guard(async () => {
      const started = Date.now();
      const before = await this.memoryUsage();
      await this.cdp.send('HeapProfiler.collectGarbage', {}, 30_000);
      const after = await this.memoryUsage();
      const freedHeap = before.heapUsed - after.heapUsed;
      return {
        action: 'gc',
        beforeRssBytes: before.rss,
        afterRssBytes: after.rss,
        freedBytes: before.rss - after.rss,
        beforeHeapUsedBytes: before.heapUsed,
        afterHeapUsedBytes: after.heapUsed,
        interpretation:
          freedHeap > before.heapUsed * 0.2
            ? 'A full GC freed much of the heap: the growth was garbage not yet collected, not a leak.'
            : 'A full GC freed little of the heap: the memory is still reachable (a leak, or a cache that keeps growing).',
        durationMs: Date.now() - started,
      };
    });
  }

  /**
   * Samples allocations for `windowMs` and ranks the sites whose objects are still alive at
   * the end. Sites carry the declaring function's line (lineIsFunctionStart) and, when the
   * source is readable, a guess at the statement.
   */
  sampleAllocations(windowMs: number, signal?: AbortSignal, options: SampleOptions = {}): Promise<RankedSample> {
    return this.guard(async () => {
      await this.cdp.send('HeapProfiler.startSampling', { samplingInterval: options.samplingInterval ?? 8192 });
      let failure: { error: unknown } | undefined;
      try {
        const completed = await this.waitWindow(windowMs, signal);
        if (completed && (options.collectGarbageFirst ?? true)) await this.cdp.send('HeapProfiler.collectGarbage', {}, 30_000);
      } catch (error) {
        failure = { error };
      }
      // Gone (or no longer reachable): there is no sampler left to stop, and asking would only wait.
      if (!this.cdp.isOpen || !isSameProcess(this.pid, this.startTicks)) throw await this.lostTarget();
      // Otherwise always stop, even after a failure: a sampler left running costs the target
      // memory for as long as it lives.
      const profile = await this.cdp.send('HeapProfiler.stopSampling', {}, 30_000);
      if (failure) throw failure.error;
      return rankSamplingProfile(parseSamplingProfile(profile), {
        maxSites: options.maxSites ?? 20,
        readSource: options.readSource ?? readLocalSource,
      });
    });
  }

  /**
   * Waits out a sampling window. Resolves true when it has passed, false as soon as the
   * connection closes or the target is gone (checked through /proc every LIVENESS_POLL_MS, in
   * case the close is slow to arrive); rejects 'cancelled' on abort. Leaves no timer or listener.
   */
  private waitWindow(windowMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled());
      let settled = false;
      const cleanups: (() => void)[] = [];
      const finish = (outcome: boolean | Error) => {
        if (settled) return;
        settled = true;
        for (const cleanup of cleanups) cleanup();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const window = setTimeout(() => finish(true), windowMs);
      cleanups.push(() => clearTimeout(window));
      const poll = setInterval(() => {
        if (!isSameProcess(this.pid, this.startTicks)) finish(false);
      }, LIVENESS_POLL_MS);
      cleanups.push(() => clearInterval(poll));
      cleanups.push(this.cdp.onClose(() => finish(false)));
      if (signal) {
        const onAbort = () => finish(cancelled());
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    });
  }

  /** Why the connection was lost: the target exited, or (still running) its inspector closed. */
  private async lostTarget(): Promise<ProbeError> {
    if (await hasExited(this.pid, this.startTicks)) return processExited(this.pid);
    return new ProbeError(
      'inspector-unavailable',
      `The inspector connection to process ${this.pid} closed during the probe while the process kept running (its inspector was closed from elsewhere); nothing was measured.`,
    );
  }

  /** Closes what we opened and checks the result; safe to call more than once. */
  close(): Promise<CloseReport> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<CloseReport> {
    if (this.openedByUs && this.cdp.isOpen) {
      // inspector.close() waits for clients to leave, so it is scheduled, then we disconnect.
      await this.evaluate(CLOSE_INSPECTOR, true, 3000).catch(() => undefined);
    }
    await this.cdp.close();
    let portClosed = !this.openedByUs;
    for (let waited = 0; this.openedByUs && waited <= 3000; waited += 50) {
      const owned = loopbackPorts(this.pid)?.includes(this.port);
      if (!owned && !(await isPortOpen(this.port, 500))) {
        portClosed = true;
        break;
      }
      if (!isSameProcess(this.pid, this.startTicks)) break;
      await delay(50);
    }
    return { openedByUs: this.openedByUs, portClosed, targetAlive: isSameProcess(this.pid, this.startTicks) };
  }
}

/**
 * Whether the process is gone (or going): asked after a failure, which a dying target explains.
 * An exiting process closes its sockets a moment before it leaves /proc, so look again briefly.
 */
async function hasExited(pid: number, startTicks: number): Promise<boolean> {
  for (let waited = 0; waited <= 500; waited += 50) {
    if (!isSameProcess(pid, startTicks)) return true;
    await delay(50);
  }
  return false;
}

function sendSigusr1(pid: number): void {
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    throw fromSystemError(error, pid, 'signal');
  }
}

async function waitForInspectorPort(pid: number, port: number, startTicks: number, waitMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (signal?.aborted) throw cancelled();
    if (!isSameProcess(pid, startTicks)) throw processExited(pid);
    const ports = loopbackPorts(pid);
    // When its sockets cannot be read, fall back to the port answering; the pid check follows.
    if (ports ? ports.includes(port) : await isPortOpen(port, 200)) return;
    if (Date.now() >= deadline) break;
    await delay(25);
  }
  const holder = portHolder(port);
  if (holder && holder.pid !== pid) {
    const who = holder.pid ? `${holder.name ?? 'a process'} (pid ${holder.pid})` : 'another process';
    throw new ProbeError(
      'port-taken',
      `Port ${port} is taken by ${who}, so process ${pid} could not open its inspector there (it printed "address already in use" to its own output). ` +
        `Leakscope did not connect to the other process. Free the port, or restart the target with --inspect=127.0.0.1:<free port>.`,
    );
  }
  throw new ProbeError(
    'inspector-unavailable',
    `Process ${pid} did not open its inspector within ${(waitMs / 1000).toFixed(1)} s of SIGUSR1. ` +
      `It most likely handles SIGUSR1 itself (process.on('SIGUSR1')), which stops Node from opening the inspector. ` +
      `Restart it with --inspect=127.0.0.1:${port} to probe it.`,
  );
}
