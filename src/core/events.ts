// VS Code–free events and disposables (the shape of vscode.Event, so adapters can pass
// them straight through), as vscode-js-debug keeps them in src/common.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

/** Subscribe with a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: Listener<T>) => Disposable;

export class EventEmitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();
  /**
   * The listeners a fire calls: those subscribed when it began, as a copy made once per change
   * of the set rather than once per fire (a monitor fires a sample a second to each listener).
   */
  private snapshot: readonly Listener<T>[] | undefined;

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    this.snapshot = undefined;
    return {
      dispose: () => {
        if (this.listeners.delete(listener)) this.snapshot = undefined;
      },
    };
  };

  fire(value: T): void {
    if (this.listeners.size === 0) return;
    this.snapshot ??= [...this.listeners];
    for (const listener of this.snapshot) {
      listener(value);
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
    this.snapshot = undefined;
  }
}

/**
 * What owns listeners and resources: register each once, as it is made, and dispose() releases
 * them all, last registered first (as vscode-hexeditor's Disposable with _register).
 */
export abstract class DisposableBase implements Disposable {
  private readonly owned = new DisposableStore();

  protected register<T extends Disposable>(item: T): T {
    return this.owned.add(item);
  }

  dispose(): void {
    this.owned.dispose();
  }
}

/** Collects disposables and disposes them together, last registered first. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      item.dispose();
    }
  }
}

/** An owner of per-session state, counting what it holds now (read by the cycles test). */
export interface HoldsPerSession {
  heldCounts(): Record<string, number>;
}

/**
 * Holds one disposable at a time: setting the next disposes the one before (listeners on
 * whichever session is focused now), and dispose() releases the current one.
 */
export class SerialDisposable implements Disposable {
  private current: Disposable | undefined;
  private disposed = false;

  set(item: Disposable | undefined): void {
    const previous = this.current;
    this.current = this.disposed ? undefined : item;
    previous?.dispose();
    if (this.disposed) item?.dispose();
  }

  dispose(): void {
    this.set(undefined);
    this.disposed = true;
  }
}

/**
 * Disposables by key (per-session arming, say): setting a key disposes what it held, delete()
 * disposes the key's, dispose() all of them; what is set after dispose() is disposed at once.
 */
export class DisposableMap<K> implements Disposable {
  private readonly items = new Map<K, Disposable>();
  private disposed = false;

  has(key: K): boolean {
    return this.items.has(key);
  }

  set(key: K, item: Disposable): void {
    const previous = this.items.get(key);
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.set(key, item);
    }
    if (previous !== item) previous?.dispose();
  }

  delete(key: K): void {
    const item = this.items.get(key);
    this.items.delete(key);
    item?.dispose();
  }

  get size(): number {
    return this.items.size;
  }

  dispose(): void {
    this.disposed = true;
    const items = [...this.items.values()];
    this.items.clear();
    for (const item of items) item.dispose();
  }
}

/** Several disposables as one, released once, in the order given. */
export function combinedDisposable(...items: readonly Disposable[]): Disposable {
  let pending = [...items];
  return {
    dispose: () => {
      const now = pending;
      pending = [];
      for (const item of now) item.dispose();
    },
  };
}

/** A disposable that runs `release` once (what stops timers, aborts waits). */
export function toDisposable(release: () => void): Disposable {
  let released = false;
  return {
    dispose: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}
