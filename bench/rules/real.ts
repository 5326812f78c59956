// The real corpus: files of public repositories at the commit before a known leak fix, plus
// look-alike lines that must stay quiet (test/corpus/rules-real/manifest.json, collected apart
// from the rules). Tune and eval halves are reported apart, per rule and in total; eval cases are
// never listed by name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Finding, Language, languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { shareWithWilson } from './clean';

// LEAKSCOPE_REAL_CORPUS points at another checkout's copy (the corpus is collected on its own branch).
const REAL = process.env.LEAKSCOPE_REAL_CORPUS ?? fromRoot('test/corpus/rules-real');

export interface RealCase {
  id: string;
  language: string;
  stored_as: string;
  line: number;
  lines_ok?: number[];
  rule: string | null;
  kind: 'leak' | 'lookalike';
  half: 'tune' | 'eval';
}

interface Tally {
  leaks: number;
  found: number;
  lookalikes: number;
  alarms: number;
}

const LANGUAGES: Readonly<Record<string, Language>> = { python: 'python', javascript: 'javascript', js: 'javascript', typescript: 'typescript', ts: 'typescript', tsx: 'tsx' };

export function readRealCases(): RealCase[] | undefined {
  const path = join(REAL, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { cases?: RealCase[] } | RealCase[];
  return Array.isArray(manifest) ? manifest : (manifest.cases ?? []);
}

/**
 * The corpus was labelled without reading the rules, and names two rules by what they do rather
 * than by their id: freeing a round's data then collecting it is `missing-gc-after-free`, and
 * writing to a transport without draining is `stream-no-drain`.
 */
const RULE_ALIASES: Readonly<Record<string, string>> = { 'gc-cleanup': 'missing-gc-after-free', 'socket-no-drain': 'stream-no-drain' };

/** A case is hit when its rule fires on its line or on one of the lines it allows (1-based). */
export function hits(findings: readonly Finding[], realCase: RealCase): boolean {
  const lines = new Set([realCase.line, ...(realCase.lines_ok ?? [])]);
  const rule = realCase.rule === null ? null : (RULE_ALIASES[realCase.rule] ?? realCase.rule);
  return findings.some((f) => f.rule === rule && lines.has(f.range.startLine + 1));
}

const missingFiles = new Set<string>();

/** One scan per file with the hint tier on: strict alone is its findings without the broad ones. */
export function scanCase(engine: RuleEngine, realCase: RealCase, cache: Map<string, Finding[]>, tier: Tier = 'strict+hints'): Finding[] {
  const findings = scanCaseWithHints(engine, realCase, cache);
  return tier === 'strict' ? findings.filter((f) => !f.broad) : findings;
}

export type Tier = 'strict' | 'strict+hints';

function scanCaseWithHints(engine: RuleEngine, realCase: RealCase, cache: Map<string, Finding[]>): Finding[] {
  const cached = cache.get(realCase.stored_as);
  if (cached) return cached;
  const language = languageForPath(realCase.stored_as) ?? LANGUAGES[realCase.language.toLowerCase()] ?? 'python';
  const path = join(REAL, realCase.stored_as);
  // A case whose file is not stored (yet) counts as not found, and is counted in the note.
  if (!existsSync(path)) {
    missingFiles.add(realCase.stored_as);
    return [];
  }
  const text = readFileSync(path, 'utf8');
  const findings = engine.scan(text, language, { maxBytes: 8 * 1024 * 1024, hints: true });
  cache.set(realCase.stored_as, findings);
  return findings;
}

function tally(engine: RuleEngine, cases: readonly RealCase[], perRule: Map<string, Tally>, tier: Tier, cache: Map<string, Finding[]>): Tally {
  const total: Tally = { leaks: 0, found: 0, lookalikes: 0, alarms: 0 };
  for (const realCase of cases) {
    const hit = hits(scanCase(engine, realCase, cache, tier), realCase);
    const rule = realCase.rule ?? '(no rule)';
    const row = perRule.get(rule) ?? { leaks: 0, found: 0, lookalikes: 0, alarms: 0 };
    perRule.set(rule, row);
    for (const t of [row, total]) {
      if (realCase.kind === 'leak') { t.leaks++; if (hit) t.found++; }
      else { t.lookalikes++; if (hit) t.alarms++; }
    }
  }
  return total;
}

const pct = (n: number, d: number) => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function row(name: string, t: Tally): string {
  return `${name.padEnd(22)} ${String(t.leaks).padStart(5)} ${String(t.found).padStart(5)} ${String(t.lookalikes).padStart(10)} ${String(t.alarms).padStart(6)}    ${pct(t.found, t.found + t.alarms)}  ${pct(t.found, t.leaks)}`;
}

/** Strict rules alone, then strict rules and the broad hint tier (issue 13), from one scan per file. */
function report(engine: RuleEngine, half: 'tune' | 'eval', cases: readonly RealCase[]): void {
  const cache = new Map<string, Finding[]>();
  for (const tier of ['strict', 'strict+hints'] as const) {
    const perRule = new Map<string, Tally>();
    const total = tally(engine, cases.filter((c) => c.half === half), perRule, tier, cache);
    console.log(`\nreal corpus, ${half} half, ${tier === 'strict' ? 'strict rules alone' : 'strict rules + hints'}: ${total.leaks} leaks, ${total.lookalikes} look-alike lines`);
    console.log('rule                   leaks found lookalikes alarms  precision  recall');
    // Per rule for both halves, as issue 13 asks. A rule with one or two eval cases tells their
    // outcome, so tuning runs set LEAKSCOPE_REAL_TUNE_ONLY and never see these rows.
    for (const [rule, t] of [...perRule].sort()) console.log(row(rule, t));
    console.log(row('all', total));
    console.log(againstTargets(total));
  }
}

/** Issue 13's acceptance on this half, with the uncertainty its size leaves. */
function againstTargets(t: Tally): string {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const recall = t.leaks ? t.found / t.leaks : 0;
  const precision = t.found + t.alarms ? t.found / (t.found + t.alarms) : 1;
  return [
    `  recall ${shareWithWilson(t.found, t.leaks)}: target >= 80% ${met(recall >= 0.8)}`,
    `  precision ${shareWithWilson(t.found, t.found + t.alarms)}: target >= 90% ${met(precision >= 0.9)}`,
    `  look-alikes flagged ${t.alarms}/${t.lookalikes}: target <= 1 ${met(t.alarms <= 1)}`,
  ].join('\n');
}

export function realCorpus(engine: RuleEngine): void {
  const cases = readRealCases();
  if (!cases) {
    console.log('\nreal corpus: test/corpus/rules-real/manifest.json is not there yet; section skipped');
    return;
  }
  if (process.env.LEAKSCOPE_REAL_TUNE_CASES) listTuneCases(engine, cases);
  report(engine, 'tune', cases);
  // LEAKSCOPE_REAL_TUNE_ONLY=1 leaves the eval half unscanned, so tuning runs never see its figures.
  if (!process.env.LEAKSCOPE_REAL_TUNE_ONLY) report(engine, 'eval', cases);
  if (missingFiles.size) console.log(`(${missingFiles.size} case files listed in the manifest are missing: their cases count as not found.)`);
  console.log('(Precision here is leaks found / (leaks found + look-alike lines flagged); other findings in those files are not judged.)');
}

/** Each tune case's outcome, to tune on (LEAKSCOPE_REAL_TUNE_CASES=1). Eval cases are never listed. */
function listTuneCases(engine: RuleEngine, cases: readonly RealCase[]): void {
  const cache = new Map<string, Finding[]>();
  for (const realCase of cases.filter((c) => c.half === 'tune')) {
    const strict = hits(scanCase(engine, realCase, cache, 'strict'), realCase);
    const hit = hits(scanCase(engine, realCase, cache), realCase);
    const verdict = realCase.kind === 'leak' ? (hit ? 'found' : 'MISSED') : hit ? 'FALSE ALARM' : 'quiet';
    const byHint = hit && !strict ? ' (by a hint)' : '';
    console.log(`  tune ${verdict.padEnd(11)} ${realCase.rule ?? '-'} ${realCase.id}${byHint}`);
  }
}
