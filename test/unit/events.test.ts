// The disposable base the adapters extend: what is registered is released once, newest first,
// and what is registered after dispose is released at once (nothing outlives its owner).
import test from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, DisposableBase, EventEmitter } from '../../src/core/events';

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
