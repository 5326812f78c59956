// The disposable base the adapters extend: what is registered is released once, newest first,
// and what is registered after dispose is released at once (nothing outlives its owner).
import test from 'node:test';
import assert from 'node:assert/strict';
import { combinedDisposable, Disposable, DisposableBase, DisposableMap, EventEmitter, SerialDisposable, toDisposable } from '../../src/core/events';

class Owner extends DisposableBase {
  readonly emitter = this.register(new EventEmitter<number>());

  own(item: Disposable): void {
    this.register(item);
  }
}

test('DisposableBase releases what it registered, newest first, and anything registered after', () => {
  const released: string[] = [];
  const owner = new Owner();
  owner.emitter.event(() => undefined);
  owner.own({ dispose: () => released.push('first') });
  owner.own({ dispose: () => released.push('second') });
  owner.dispose();
  assert.deepEqual(released, ['second', 'first']);
  assert.equal(owner.emitter.listenerCount, 0, 'its emitter too');
  owner.own({ dispose: () => released.push('late') });
  assert.deepEqual(released, ['second', 'first', 'late']);
  owner.dispose();
  assert.equal(released.length, 3, 'nothing twice');
});

/** A disposable that records its release under `name`. */
function recorded(released: string[], name: string): Disposable {
  return { dispose: () => released.push(name) };
}

test('SerialDisposable releases the one it held when the next is set, and the last on dispose', () => {
  const released: string[] = [];
  const serial = new SerialDisposable();
  serial.set(recorded(released, 'a'));
  serial.set(recorded(released, 'b'));
  assert.deepEqual(released, ['a']);
  serial.set(undefined);
  assert.deepEqual(released, ['a', 'b']);
  serial.set(recorded(released, 'c'));
  serial.dispose();
  assert.deepEqual(released, ['a', 'b', 'c']);
  serial.set(recorded(released, 'late'));
  assert.deepEqual(released, ['a', 'b', 'c', 'late'], 'set after dispose is released at once');
});

test('DisposableMap releases a key\'s disposable when replaced or deleted, and all on dispose', () => {
  const released: string[] = [];
  const map = new DisposableMap<string>();
  map.set('x', recorded(released, 'x1'));
  map.set('x', recorded(released, 'x2'));
  map.set('y', recorded(released, 'y'));
  assert.deepEqual(released, ['x1']);
  assert.ok(map.has('x'));
  map.delete('x');
  assert.deepEqual(released, ['x1', 'x2']);
  assert.equal(map.has('x'), false);
  map.dispose();
  assert.deepEqual(released, ['x1', 'x2', 'y']);
  assert.equal(map.size, 0);
  map.set('z', recorded(released, 'late'));
  assert.deepEqual(released, ['x1', 'x2', 'y', 'late'], 'set after dispose is released at once');
});

test('combinedDisposable and toDisposable release once', () => {
  const released: string[] = [];
  const both = combinedDisposable(recorded(released, 'a'), recorded(released, 'b'));
  both.dispose();
  both.dispose();
  const once = toDisposable(() => released.push('c'));
  once.dispose();
  once.dispose();
  assert.deepEqual(released, ['a', 'b', 'c']);
});

test('EventEmitter: a fire calls the listeners subscribed when it began; changes made during it count from the next', () => {
  const emitter = new EventEmitter<number>();
  const calls: string[] = [];
  let late: Disposable | undefined;
  const second = (n: number) => calls.push(`second ${n}`);
  emitter.event((n) => {
    calls.push(`first ${n}`);
    if (n === 1) {
      secondSubscription.dispose();
      late = emitter.event((m) => calls.push(`late ${m}`));
    }
  });
  const secondSubscription = emitter.event(second);
  emitter.fire(1);
  assert.deepEqual(calls, ['first 1', 'second 1'], 'removed during the fire: still called in it; added: not yet');
  emitter.fire(2);
  assert.deepEqual(calls.slice(2), ['first 2', 'late 2']);
  late?.dispose();
  late?.dispose();
  emitter.event(second);
  emitter.fire(3);
  assert.deepEqual(calls.slice(4), ['first 3', 'second 3'], 'unsubscribed and subscribed again between fires');
  emitter.dispose();
  emitter.fire(4);
  assert.equal(calls.length, 6, 'none after dispose');
});
