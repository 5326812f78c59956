// Where the broad tier's hints are shown (issue 13): strict findings always; hints never when the
// setting is "off" (the default), in every file when "always", and with "whenLeaking" only in a
// file known to leak. The setting's values and default in package.json are the core's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { computesHints, DEFAULT_HINT_SETTING, HINT_SETTINGS, HintSetting, hintSettingOf, isFindingShown } from '../../../src/core/rules/hintVisibility';
import { fromRoot } from '../../helpers/paths';

const STRICT = {};
const HINT = { broad: true } as const;

/** What each setting shows, as [strict in a clean file, strict in a leaking file, hint in a clean file, hint in a leaking file]. */
const EXPECTED: Record<HintSetting, [boolean, boolean, boolean, boolean]> = {
  off: [true, true, false, false],
  whenLeaking: [true, true, false, true],
  always: [true, true, true, true],
};

for (const setting of HINT_SETTINGS) {
  test(`hint visibility, "${setting}": strict findings everywhere; hints ${EXPECTED[setting][2] ? 'everywhere' : EXPECTED[setting][3] ? 'only in a leaking file' : 'nowhere'}`, () => {
    const shown = [
      isFindingShown(STRICT, setting, false),
      isFindingShown(STRICT, setting, true),
      isFindingShown(HINT, setting, false),
      isFindingShown(HINT, setting, true),
    ];
    assert.deepEqual(shown, EXPECTED[setting]);
  });
}

test('hint visibility: the scan computes hints unless the setting is "off" (a change of leak state needs no rescan)', () => {
  assert.deepEqual(HINT_SETTINGS.map((s) => [s, computesHints(s)]), [['off', false], ['whenLeaking', true], ['always', true]]);
});

test('hint setting: the former booleans keep their meaning (true → "always", false → "off"); a value it does not know reads as the default', () => {
  assert.equal(hintSettingOf(true), 'always');
  assert.equal(hintSettingOf(false), 'off');
  for (const s of HINT_SETTINGS) assert.equal(hintSettingOf(s), s);
  for (const unknown of [undefined, null, 'sometimes', 1, {}]) assert.equal(hintSettingOf(unknown), DEFAULT_HINT_SETTING);
  assert.equal(DEFAULT_HINT_SETTING, 'off');
});

interface SettingSchema {
  type: string;
  enum: string[];
  enumDescriptions: string[];
  default: unknown;
}

test('package.json declares leakscope.rules.hints with the core\'s values, default and a description for each', () => {
  const manifest = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SettingSchema> } | { properties: Record<string, SettingSchema> }[] } };
  const sections = [manifest.contributes.configuration].flat();
  const schema = sections.map((c) => c.properties['leakscope.rules.hints']).find((p) => p !== undefined);
  assert.ok(schema, 'leakscope.rules.hints is declared');
  assert.equal(schema.type, 'string');
  assert.deepEqual(schema.enum, [...HINT_SETTINGS]);
  assert.equal(schema.default, DEFAULT_HINT_SETTING);
  assert.equal(schema.enumDescriptions.length, HINT_SETTINGS.length);
});
