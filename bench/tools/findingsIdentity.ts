// Same findings, before and after a speed change: scans every file of the own corpus
// (test/corpus/rules), the real corpus's tuning half, the clean tuning bodies and the generated
// speed files with a baseline build's engine and with this build's, each file with the hint tier
// off and on, and prints how many files' findings differ (rule, range, message, severity, fix
// edits), with the first few differences. The baseline is another checkout built with
// `node scripts/build.mjs` (its dist/rules-engine.js and dist/grammars are loaded).
//   node out/bench/tools/findingsIdentity.js --base /tmp/baseline-checkout [--only SUBSTRING-OF-LABEL] [--eval]
// --eval adds the real corpus's evaluation half: for the lead's one run after the work, never while tuning.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Finding, Language, languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { fileOf, generatedPython, generatedTs } from '../rules/generated';
import { readRealCases } from '../rules/real';
import { option } from './harness';

interface Target {
  label: string;
  language: Language;
  text: () => string;
}

interface Engine {
  scan(text: string, language: Language, options: { maxBytes: number; hints: boolean }): Finding[];
  lastRuleErrors: Error[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function fileTarget(path: string, label = path): Target[] {
  const language = languageForPath(path);
  return language ? [{ label, language, text: () => readFileSync(path, 'utf8') }] : [];
}

function ownCorpus(): Target[] {
  return walk(fromRoot('test/corpus/rules')).flatMap((path) => fileTarget(path));
}

/** The real corpus's files of one half; a file some case of the other half also names is left out. */
function realCorpus(half: 'tune' | 'eval'): Target[] {
  const cases = readRealCases() ?? [];
  const other = new Set(cases.filter((c) => c.half !== half).map((c) => c.stored_as));
  const root = process.env.LEAKSCOPE_REAL_CORPUS ?? fromRoot('test/corpus/rules-real');
  const files = [...new Set(cases.filter((c) => c.half === half && !other.has(c.stored_as)).map((c) => c.stored_as))];
  return files.flatMap((file) => (existsSync(join(root, file)) ? fileTarget(join(root, file), `real:${file}`) : []));
}

async function cleanTuning(): Promise<Target[]> {
  // Only the tuning half is listed: the held-out half's folders are not even walked.
  process.env.LEAKSCOPE_CLEAN_TUNE_ONLY = '1';
  const { sources } = await import('../rules/clean');
  return sources().filter((source) => source.half === 'tuning').flatMap((source) => source.files.flatMap((file) => fileTarget(file.path, `clean:${file.key}`)));
}

function generated(): Target[] {
  const sizes: ReadonlyArray<[string, number]> = [['100KB', 100 * 1024], ['1MB', 1024 * 1024], ['4MB', 4 * 1024 * 1024]];
  return sizes.flatMap(([label, bytes]) => [
    { label: `generated:ts:${label}`, language: 'typescript' as const, text: () => fileOf(bytes, generatedTs) },
    { label: `generated:python:${label}`, language: 'python' as const, text: () => fileOf(bytes, generatedPython) },
  ]);
}

/** The findings as text, and the errors rules threw (a rule that throws loses its findings). */
const canonical = (findings: readonly Finding[], engine: Engine): string[] => [...findings.map((f) => JSON.stringify(f)), ...engine.lastRuleErrors.map((error) => `rule error: ${error.message}`)];

function firstDifference(base: string[], ours: string[]): string {
  for (let i = 0; i < Math.max(base.length, ours.length); i++) {
    if (base[i] !== ours[i]) return `#${i}: base ${base[i] ?? '(none)'}\n      ours ${ours[i] ?? '(none)'}`;
  }
  return '';
}

async function main(): Promise<void> {
  const baseDir = option('--base', '');
  if (!baseDir) throw new Error('--base DIR: a baseline checkout, built');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- another build's bundle, loaded at run time
  const baseModule = require(join(baseDir, 'dist/rules-engine.js')) as { RuleEngine: { create(dir: string): Promise<Engine> } };
  const base = await baseModule.RuleEngine.create(join(baseDir, 'dist/grammars'));
  const ours: Engine = await RuleEngine.create(fromRoot('dist/grammars'));
  const only = option('--only', '');
  const targets = [...ownCorpus(), ...realCorpus('tune'), ...(process.argv.includes('--eval') ? realCorpus('eval') : []), ...(await cleanTuning()), ...generated()].filter((target) => target.label.includes(only));
  let differing = 0;
  let findings = 0;
  const shown: string[] = [];
  for (const target of targets) {
    const text = target.text();
    let same = true;
    for (const hints of [false, true]) {
      const options = { maxBytes: 8 * 1024 * 1024, hints };
      const before = canonical(base.scan(text, target.language, options), base);
      const after = canonical(ours.scan(text, target.language, options), ours);
      findings += after.length;
      if (before.join('\n') === after.join('\n')) continue;
      same = false;
      if (shown.length < 8) shown.push(`  ${target.label} (hints ${hints ? 'on' : 'off'}; ${before.length} -> ${after.length} findings)\n      ${firstDifference(before, after)}`);
    }
    if (!same) differing++;
  }
  console.log(`${targets.length} files scanned with both builds (hints off and on; ${findings} findings from this build): ${differing} differ`);
  for (const line of shown) console.log(line);
  process.exitCode = differing === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
