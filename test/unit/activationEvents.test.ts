// Leakscope does nothing until it is needed: a command (VS Code adds those events itself), a
// Python/JavaScript/TypeScript file, a debug session of those runtimes (the debuggee tracker must
// see its first messages), or a memory panel VS Code restores. Not at startup, not for any debug
// session (`onDebug` fired for every debugger, Go's or Java's too).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../helpers/paths';

const ALLOWED = [/^onLanguage:(python|javascript|typescript)$/, /^onDebugAdapterProtocolTracker:(debugpy|python|node|pwa-node|node-terminal)$/, /^onWebviewPanel:leakscope\./, /^onCommand:leakscope\./];

test('the extension activates only for a command, a Python/JS/TS file, such a debug session or a restored panel', () => {
  const manifest = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(manifest.activationEvents.length > 0);
  for (const event of manifest.activationEvents) {
    assert.ok(ALLOWED.some((pattern) => pattern.test(event)), `activation event ${event} fires for more than Leakscope needs`);
  }
});
