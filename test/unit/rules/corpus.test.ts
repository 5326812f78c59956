// The corpus manifest, asserted exactly: every expected finding and nothing else, and every
// quick fix offered on the corpus applied and checked.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageForPath } from '../../../src/core/rules';
import { CORPUS, fixProblems, readManifest, sharedEngine } from './support';

const manifest = readManifest();

test('every corpus file is in the manifest and has a language', () => {
  assert.ok(manifest.files.length >= 10);
  for (const file of manifest.files) assert.ok(languageForPath(file), file);
});

test('findings over the corpus match the manifest exactly', async () => {
  const engine = await sharedEngine();
  const actual: string[] = [];
  for (const file of manifest.files) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    for (const finding of engine.scan(text, languageForPath(file)!)) actual.push(`${file}:${finding.range.startLine + 1} ${finding.rule}`);
    assert.deepEqual(engine.lastRuleErrors, [], `rule errors in ${file}`);
  }
  const expected = manifest.expected.map((e) => `${e.file}:${e.line} ${e.rule}`);
  assert.deepEqual([...actual].sort(), [...expected].sort());
});

test('every rule id appears in the manifest', async () => {
  const { RULE_IDS } = await import('../../../src/core/rules');
  const covered = new Set(manifest.expected.map((e) => e.rule));
  assert.deepEqual(RULE_IDS.filter((id) => !covered.has(id)), []);
});

test('every quick fix on the corpus re-parses cleanly and silences its finding', async () => {
  const engine = await sharedEngine();
  const problems: string[] = [];
  let checked = 0;
  for (const file of manifest.files) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const language = languageForPath(file)!;
    for (const finding of engine.scan(text, language)) {
      if (finding.fixes.length === 0) problems.push(`${file}:${finding.range.startLine + 1} ${finding.rule}: no fix`);
      for (const fix of finding.fixes) {
        checked++;
        for (const problem of fixProblems(engine, text, language, finding, fix)) {
          problems.push(`${file}:${finding.range.startLine + 1} ${finding.rule} "${fix.title}": ${problem}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked >= manifest.expected.length, `checked ${checked} fixes`);
});

test('each finding offers at most one preferred fix', async () => {
  const engine = await sharedEngine();
  for (const file of manifest.files) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    for (const finding of engine.scan(text, languageForPath(file)!)) {
      assert.ok(finding.fixes.filter((f) => f.isPreferred).length <= 1, `${file}:${finding.range.startLine + 1}`);
    }
  }
});
