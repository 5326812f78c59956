// The tuning half's missed leaks, with what the scan reported in each file, so a miss can be traced
// to the first rule gate that rejects it (issue 13):
//   node scripts/build.mjs --tests && node out/bench/tools/tuneMisses.js
// Only `half === 'tune'` cases are kept, before any file is read: the eval half stays sealed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Finding, Language, languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { hits, readRealCases, RealCase, scanCase } from '../rules/real';

const GATED_RULES = new Set(['handler-not-cleared', 'unbounded-collection', 'unbounded-cache', 'timer-not-cleared']);

const REAL = process.env.LEAKSCOPE_REAL_CORPUS ?? fromRoot('test/corpus/rules-real');

/**
 * A syntax error drops the findings whose function it is in, or whose line's names it mentions
 * (src/core/rules/parseErrors.ts): said per miss, as it can shut a gate far from the leak.
 */
function parseNote(engine: RuleEngine, realCase: RealCase): string {
  const language: Language = languageForPath(realCase.stored_as) ?? 'python';
  try {
    return engine.parsesCleanly(readFileSync(join(REAL, realCase.stored_as), 'utf8'), language) ? '' : ' [parse errors]';
  } catch {
    return ' [file not stored]';
  }
}

function describeMiss(realCase: RealCase, findings: readonly Finding[]): string {
  const rules = [...new Set(findings.map((f) => `${f.rule}@${f.range.startLine + 1}`))];
  const gated = realCase.rule !== null && GATED_RULES.has(realCase.rule) ? '*' : ' ';
  const reported = rules.length === 0 ? 'nothing reported' : rules.join(' ');
  return `${gated} ${realCase.id.padEnd(48)} ${String(realCase.rule).padEnd(22)} line ${String(realCase.line).padStart(5)}  ${realCase.stored_as}  | ${reported}`;
}

async function main(): Promise<void> {
  const tuneLeaks = (readRealCases() ?? []).filter((c) => c.half === 'tune').filter((c) => c.kind === 'leak');
  const engine = await RuleEngine.create(fromRoot('dist/grammars'));
  const cache = new Map<string, Finding[]>();
  const misses = tuneLeaks.filter((c) => !hits(scanCase(engine, c, cache), c));
  for (const miss of misses) console.log(describeMiss(miss, scanCase(engine, miss, cache)) + parseNote(engine, miss));
  console.log(`\n${misses.length} of ${tuneLeaks.length} tuning leaks missed (* = a rule this tally traces).`);
  // The look-alike lines flagged, so a widening's new alarms are seen by name.
  const lookalikes = (readRealCases() ?? []).filter((c) => c.half === 'tune').filter((c) => c.kind === 'lookalike');
  for (const alarm of lookalikes.filter((c) => hits(scanCase(engine, c, cache), c))) console.log(`alarm: ${alarm.id} ${String(alarm.rule)} line ${alarm.line} ${alarm.stored_as}`);
}

void main();
