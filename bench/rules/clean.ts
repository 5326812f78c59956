// Precision on clean real code nobody here wrote: the machine's Python standard library and the
// JS of a few popular npm packages. Every finding there should be judged by hand in
// test/corpus/rules-clean/judgments.json ("path:line:rule" -> verdict and reason), so the share
// judged wrong is reproducible; findings without a judgment are listed to be judged.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';

const JUDGMENTS = fromRoot('test/corpus/rules-clean/judgments.json');
const PYTHON_ROOT = '/usr/lib';
const PYTHON_LIB = '/usr/lib/python3.11';
const NPM_PACKAGES = ['ws', 'mocha', 'chokidar', 'commander', 'debug', 'ajv', 'semver', 'glob', 'minimatch'];
const SKIPPED = /(^|\/)(node_modules|__pycache__|site-packages|dist-packages)$|\.min\.js$|\.d\.ts$/;

interface Judgment {
  verdict: 'right' | 'wrong';
  reason: string;
}

interface Source {
  name: string;
  files: Array<{ path: string; key: string }>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (SKIPPED.test(path)) return [];
    const stats = statSync(path);
    if (stats.isDirectory()) return walk(path);
    return languageForPath(path) ? [path] : [];
  });
}

function sources(): Source[] {
  const found: Source[] = [];
  if (existsSync(PYTHON_LIB)) found.push({ name: 'python3.11 stdlib', files: walk(PYTHON_LIB).map((path) => ({ path, key: relative(PYTHON_ROOT, path) })) });
  const modules = fromRoot('node_modules');
  const npm = NPM_PACKAGES.filter((p) => existsSync(join(modules, p))).flatMap((p) => walk(join(modules, p)));
  found.push({ name: `npm: ${NPM_PACKAGES.join(', ')}`, files: npm.map((path) => ({ path, key: relative(fromRoot(), path) })) });
  return found;
}

function readJudgments(): Record<string, Judgment> {
  if (!existsSync(JUDGMENTS)) return {};
  return (JSON.parse(readFileSync(JUDGMENTS, 'utf8')) as { findings: Record<string, Judgment> }).findings;
}

interface CleanTally {
  lines: number;
  findings: string[];
}

function scanSource(engine: RuleEngine, source: Source): CleanTally {
  const tally: CleanTally = { lines: 0, findings: [] };
  for (const file of source.files) {
    const text = readFileSync(file.path, 'utf8');
    tally.lines += text.split('\n').length;
    for (const f of engine.scan(text, languageForPath(file.path)!, { maxBytes: 8 * 1024 * 1024 })) tally.findings.push(`${file.key}:${f.range.startLine + 1}:${f.rule}`);
  }
  return tally;
}

/** Prints the figures; true when both targets hold (<= 1 finding per 1,000 lines, >= 80% judged right). */
export function cleanCode(engine: RuleEngine): boolean {
  const judgments = readJudgments();
  let lines = 0;
  const all: string[] = [];
  console.log('\nclean real code (every finding judged in test/corpus/rules-clean/judgments.json)');
  for (const source of sources()) {
    const tally = scanSource(engine, source);
    lines += tally.lines;
    all.push(...tally.findings);
    console.log(`  ${source.name}: ${source.files.length} files, ${tally.lines} lines, ${tally.findings.length} findings (${((1000 * tally.findings.length) / Math.max(1, tally.lines)).toFixed(3)} per 1,000 lines)`);
  }
  const judged = all.filter((key) => judgments[key]);
  const wrong = judged.filter((key) => judgments[key]!.verdict === 'wrong');
  const unjudged = all.filter((key) => !judgments[key]);
  const perKLines = (1000 * all.length) / Math.max(1, lines);
  const wrongShare = judged.length ? wrong.length / judged.length : 0;
  console.log(`  total: ${all.length} findings in ${lines} lines = ${perKLines.toFixed(3)} per 1,000 lines; judged ${judged.length}, wrong ${wrong.length} (${(100 * wrongShare).toFixed(1)}% judged wrong)`);
  for (const key of wrong) console.log(`  judged wrong: ${key} (${judgments[key]!.reason})`);
  for (const key of unjudged) console.log(`  not judged yet: ${key}`);
  return perKLines <= 1 && wrongShare <= 0.2 && unjudged.length === 0;
}
