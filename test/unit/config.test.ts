// readConfig (src/config.ts) against settings as stored: `leakscope.rules.hints` was a boolean
// before it was an enum, and a settings.json written then must still mean what it meant.
import './webview-host/fixtures/fakeVscode';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fake } from './webview-host/fixtures/fakeVscode';
import { readConfig } from '../../src/config';

test.afterEach(() => fake.reset());

test('config: leakscope.rules.hints unset reads as "off"', () => {
  assert.equal(readConfig().ruleHints, 'off');
});

test('config: a legacy leakscope.rules.hints true reads as "always", false as "off"', () => {
  fake.settings.set('leakscope.rules.hints', true);
  assert.equal(readConfig().ruleHints, 'always');
  fake.settings.set('leakscope.rules.hints', false);
  assert.equal(readConfig().ruleHints, 'off');
});

test('config: each leakscope.rules.hints value reads as itself, one it does not know (a hand-edited settings.json) as "off"', () => {
  for (const value of ['off', 'whenLeaking', 'always']) {
    fake.settings.set('leakscope.rules.hints', value);
    assert.equal(readConfig().ruleHints, value);
  }
  fake.settings.set('leakscope.rules.hints', 'sometimes');
  assert.equal(readConfig().ruleHints, 'off');
});
