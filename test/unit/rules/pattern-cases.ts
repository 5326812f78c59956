// Shared by the rule tests written as snippets of leak and look-alike shapes: each leak fires on
// its lines, and every fix offered there re-parses and silences it (the preferred one contains
// `fixed` when given); each look-alike finds what it expects (usually nothing).
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, Language } from '../../../src/core/rules';
import { fixProblems, sharedEngine } from './support';

export interface PatternCase {
  name: string;
  language: Language;
  text: string[];
  /** `line:rule` (1-based); empty for a look-alike. */
  expect: string[];
  /** Text the preferred fix's result must contain. */
  fixed?: string;
}

const found = (lines: readonly string[], language: Language) =>
  sharedEngine().then((engine) => engine.scan(lines.join('\n'), language).map((f) => `${f.range.startLine + 1}:${f.rule}`));

export function testPatternCases(leaks: readonly PatternCase[], lookalikes: readonly PatternCase[]): void {
  for (const leak of leaks) {
    test(`leak: ${leak.name}`, async () => {
      const engine = await sharedEngine();
      const text = leak.text.join('\n');
      assert.deepEqual(await found(leak.text, leak.language), leak.expect);
      for (const finding of engine.scan(text, leak.language)) {
        for (const fix of finding.fixes) assert.deepEqual(fixProblems(engine, text, leak.language, finding, fix), [], fix.title);
        const preferred = finding.fixes.find((fix) => fix.isPreferred);
        if (leak.fixed) assert.ok(preferred && applyEdits(text, preferred.edits).includes(leak.fixed), `fix should contain ${leak.fixed}`);
      }
    });
  }

  for (const lookalike of lookalikes) {
    test(`look-alike: ${lookalike.name}`, async () => {
      assert.deepEqual(await found(lookalike.text, lookalike.language), lookalike.expect);
    });
  }
}
