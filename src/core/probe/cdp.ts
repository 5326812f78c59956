// A minimal Chrome DevTools Protocol client over one websocket: numbered requests with a
// timeout each; events are ignored (the probes only ask questions), except that callers may
// watch for the connection closing (the target exiting ends a sampling window early).
// ws (and the http, https, tls and zlib it loads) is required at the first probe, not when the
// extension loads: it was half of the bundle's evaluation time at activation.
import type WebSocket from 'ws';
import { ProbeError } from './errors';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedError: Error | undefined;
  private closed = false;
  private readonly closeListeners = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => {
      this.closed = true;
      this.failAll(new ProbeError('inspector-unavailable', 'The inspector connection closed.'));
      const listeners = [...this.closeListeners];
      this.closeListeners.clear();
      for (const listener of listeners) listener();
    });
    socket.on('error', (error) => this.failAll(error));
  }

  static async connect(url: string, timeoutMs: number): Promise<CdpConnection> {
    const { default: WebSocket } = await import('ws');
    return new Promise((resolve, reject) => {
      // perMessageDeflate off: Node's inspector does not negotiate it, and it costs memory.
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 512 * 1024 * 1024 });
      const onError = (error: Error) => reject(error);
      socket.once('error', onError);
      socket.once('open', () => {
        socket.off('error', onError);
        resolve(new CdpConnection(socket));
      });
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN && !this.closedError;
  }

  /**
   * Calls `listener` once when the connection closes (soon, asynchronously, if it already
   * has). Returns a function that removes the listener; calling it after the close is harmless.
   */
  onClose(listener: () => void): () => void {
    // A wrapper per call, so the same function registered twice is removed one at a time.
    const entry = () => listener();
    this.closeListeners.add(entry);
    if (this.closed) {
      queueMicrotask(() => {
        if (this.closeListeners.delete(entry)) entry();
      });
    }
    return () => void this.closeListeners.delete(entry);
  }

  send(method: string, params: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<unknown> {
    if (this.closedError || !this.isOpen) {
      return Promise.reject(this.closedError ?? new ProbeError('inspector-unavailable', 'The inspector connection is closed.'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProbeError('timeout', `The target did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Closes the socket and waits (bounded) for the close handshake. */
  close(timeoutMs = 2000): Promise<void> {
    if (this.socket.readyState === this.socket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close();
    });
  }

  private onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('id' in message)) return;
    const { id, result, error } = message as { id: unknown; result?: unknown; error?: { message?: unknown } };
    const waiter = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!waiter) return;
    this.pending.delete(id as number);
    clearTimeout(waiter.timer);
    if (error) waiter.reject(new Error(`CDP error: ${String(error.message ?? 'unknown')}`));
    else waiter.resolve(result);
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.pending.clear();
  }
}
