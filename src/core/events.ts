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

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    if (this.listeners.size === 0) return; // no copy for an emitter nobody listens to
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
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
