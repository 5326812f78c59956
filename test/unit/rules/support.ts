// Shared by the rule tests: one engine per test file, the corpus manifest, and the check every
// quick fix must pass (applied, the file re-parses cleanly, the rule no longer fires there).
import { readFileSync } from 'node:fs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fromRoot } from '../../helpers/paths';
import { applyEdits, CodeFix, Finding, Language, RuleEngine, TextEdit } from '../../../src/core/rules';

export const GRAMMARS = fromRoot('dist/grammars');
export const CORPUS = fromRoot('test/corpus/rules');

export interface Expected {
  file: string;
  line: number;
  rule: string;
}

export interface Manifest {
  files: string[];
  expected: Expected[];
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(fromRoot('test/corpus/rules/manifest.json'), 'utf8')) as Manifest;
}

let shared: Promise<RuleEngine> | undefined;

export function sharedEngine(): Promise<RuleEngine> {
  shared ??= RuleEngine.create(GRAMMARS);
  return shared;
}

/** Where the finding's line moves once the edits are applied (edits before it add or remove lines). */
export function mapLine(edits: readonly TextEdit[], line: number, column: number): number {
  let shift = 0;
  for (const edit of edits) {
    const { endLine, endColumn, startLine } = edit.range;
    const before = endLine < line || (endLine === line && endColumn <= column);
    if (!before) continue;
    shift += (edit.newText.match(/\n/g)?.length ?? 0) - (endLine - startLine);
  }
  return line + shift;
}

/** Edits VS Code would refuse: outside the document, or overlapping another edit of the fix. */
export function editProblems(text: string, edits: readonly TextEdit[]): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const problems: string[] = [];
  const offset = (line: number, column: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + column;
  const spans = edits.map((e) => {
    const { startLine, startColumn, endLine, endColumn } = e.range;
    for (const [line, column] of [[startLine, startColumn], [endLine, endColumn]] as const) {
      if (line >= lines.length || column > (lines[line]?.length ?? 0)) problems.push(`edit outside the document at ${line}:${column}`);
    }
    return [offset(startLine, startColumn), offset(endLine, endColumn)] as const;
  });
  spans.forEach(([s1, e1], i) => {
    if (e1 < s1) problems.push(`edit ${i} ends before it starts`);
    spans.forEach(([s2, e2], j) => {
      if (j > i && s1 < e2 && s2 < e1) problems.push(`edits ${i} and ${j} overlap`);
      if (j !== i && s2 === e2 && s1 < s2 && s2 < e1) problems.push(`edit ${j} inserts inside edit ${i}`);
    });
  });
  return problems;
}

/** Problems with one fix, as readable strings (empty when it is sound). */
export function fixProblems(engine: RuleEngine, text: string, language: Language, finding: Finding, fix: CodeFix): string[] {
  const problems: string[] = [...editProblems(text, fix.edits)];
  if (fix.edits.length === 0) problems.push('no edits');
  const edited = applyEdits(text, fix.edits);
  if (edited === text) problems.push('edits change nothing');
  if (!engine.parsesCleanly(edited, language)) problems.push('edited text has ERROR or MISSING nodes');
  const before = engine.scan(text, language).filter((f) => f.rule === finding.rule).length;
  const after = engine.scan(edited, language).filter((f) => f.rule === finding.rule);
  const line = mapLine(fix.edits, finding.range.startLine, finding.range.startColumn);
  if (after.some((f) => f.range.startLine === line)) problems.push(`rule still fires at the line (now ${line + 1})`);
  if (after.length >= before) problems.push(`rule count did not drop (${before} -> ${after.length})`);
  return problems;
}

/** A snippet of a leak or a look-alike, and what the rules must say about it. */
export interface RuleCase {
  name: string;
  language: Language;
  text: string[];
  /** `line:rule` (1-based); empty for a look-alike. */
  expect: string[];
  /** Text the preferred fix's result must contain. */
  fixed?: string;
}

/** `line:rule` of each finding of a snippet. */
async function foundIn(lines: readonly string[], language: Language): Promise<string[]> {
  const engine = await sharedEngine();
  return engine.scan(lines.join('\n'), language).map((f) => `${f.range.startLine + 1}:${f.rule}`);
}

/** One test per case: every leak fires where expected and its fixes are sound; every look-alike says what it expects (usually nothing). */
export function testRuleCases(leaks: readonly RuleCase[], lookalikes: readonly RuleCase[]): void {
  for (const leak of leaks) {
    test(`leak: ${leak.name}`, async () => {
      const engine = await sharedEngine();
      const text = leak.text.join('\n');
      assert.deepEqual(await foundIn(leak.text, leak.language), leak.expect);
      for (const finding of engine.scan(text, leak.language)) {
        for (const fix of finding.fixes) assert.deepEqual(fixProblems(engine, text, leak.language, finding, fix), [], fix.title);
        const preferred = finding.fixes.find((fix) => fix.isPreferred);
        if (leak.fixed) assert.ok(preferred && applyEdits(text, preferred.edits).includes(leak.fixed), `fix should contain ${leak.fixed}`);
      }
    });
  }
  for (const lookalike of lookalikes) {
    test(`look-alike: ${lookalike.name}`, async () => {
      assert.deepEqual(await foundIn(lookalike.text, lookalike.language), lookalike.expect);
    });
  }
}
