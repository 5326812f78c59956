// handler-not-cleared with string keys: rules search code whose strings are blanked, so the
// clearing call must be recognised by its blanked key (f-strings included), and a clear of
// another key must still not count.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, preferredFix } from '../../../src/core/rules';
import { sharedEngine } from './support';

const registering = (clearKey: string) => `class Server:
    def __init__(self):
        self.bus = Bus()

    def collect(self, n):
        def handle(m):
            return m
        self.bus.set_message_handler(f"round-{n}-update", handle)
        try:
            self.bus.dispatch(n)
        finally:
            self.bus.set_message_handler(${clearKey}, None)
`;

test('an f-string key cleared with the same key is not reported', async () => {
  const engine = await sharedEngine();
  assert.deepEqual(engine.scan(registering('f"round-{n}-update"'), 'python').map((f) => f.rule), []);
});

test('clearing another key does not count', async () => {
  const engine = await sharedEngine();
  assert.deepEqual(engine.scan(registering('f"x-{n}"'), 'python').map((f) => f.rule), ['handler-not-cleared']);
});

test('the fix for an f-string key silences the rule', async () => {
  const engine = await sharedEngine();
  const text = `class Server:
    def __init__(self):
        self.bus = Bus()

    def collect(self, n):
        def handle(m):
            return m
        self.bus.set_message_handler(f"round-{n}-update", handle)
        return self.bus.dispatch(n)
`;
  const [finding] = engine.scan(text, 'python');
  assert.equal(finding?.rule, 'handler-not-cleared');
  const fix = preferredFix(finding);
  assert.ok(fix);
  const fixed = applyEdits(text, fix.edits);
  assert.ok(engine.parsesCleanly(fixed, 'python'));
  assert.deepEqual(engine.scan(fixed, 'python'), []);
});
