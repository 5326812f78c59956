// Precision on clean real code nobody here wrote. Every finding there should be judged by hand in
// test/corpus/rules-clean/judgments.json ("path:line:rule" -> verdict and reason), so the share
// judged wrong is reproducible; findings without a judgment are listed to be judged.
//
// Two halves, so the figure stays honest: the tuning half (the Python 3.11 standard library and
// nine npm packages) is the body the rules were tuned on, its findings read while tuning; the
// held-out half (Python packages installed for the `python3` on PATH and other npm packages in
// node_modules, chosen before they were ever scanned) is read only to judge what the rules
// report. LEAKSCOPE_CLEAN_TUNE_ONLY=1 leaves the held-out half unscanned.
//
// A second tuning sample (Debian's Python packages in /usr/lib/python3/dist-packages and more npm
// packages), chosen before it was scanned, gives the tuning half enough wrong findings to show
// what kinds of wrong findings the rules make on code they were not written against.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';

const JUDGMENTS = fromRoot('test/corpus/rules-clean/judgments.json');
const PYTHON_LIB = '/usr/lib/python3.11';
const TUNE_NPM = ['ws', 'mocha', 'chokidar', 'commander', 'debug', 'ajv', 'semver', 'glob', 'minimatch'];
// Servers, clients and frameworks (where leaks live) and small libraries, by their line counts, not by their findings.
const HELD_OUT_PYTHON = ['werkzeug', 'flask', 'jinja2', 'requests', 'urllib3', 'click', 'pluggy', 'packaging', 'trio', 'blinker', 'itsdangerous', 'docker'];
const HELD_OUT_NPM = ['eslint', 'workerpool', 'keyv', 'cacheable', 'graceful-fs', 'proper-lockfile', 'typed-rest-client', 'xml2js', 'sax', 'js-yaml', 'qs', 'yauzl', 'yazl', 'lit-html', 'diff', 'path-scurry', 'minipass'];
// The second tuning sample, picked by kind before any scan: clients, servers, sessions, event buses,
// signal handlers, caches and watchers, where leak-shaped code lives. Vendored copies are left out
// (pip's, setuptools' and wheel's bundle requests, urllib3 and packaging, which are held-out), as is
// setuptools' copy of the stdlib distutils (already in the tuning half).
const DEBIAN_PYTHON = '/usr/lib/python3/dist-packages';
const SECOND_TUNE_PYTHON = [
  'httplib2', 'oauthlib', 'lazr', 'wadllib', 'jwt', 'dbus', 'gi', 'pygtkcompat', 'apt', 'aptsources', 'softwareproperties',
  'OpenSSL', 'cryptography', 'distro', 'argcomplete', 'yaml', 'toml', 'pyparsing', 'wheel', 'pip', 'setuptools', 'pkg_resources', 'crcmod', 'yq',
];
const SECOND_TUNE_NPM = [
  '@azure/msal-node', '@azure/identity', '@azure/core-rest-pipeline', '@azure/core-client', '@azure/core-util', '@azure/abort-controller',
  '@azure/logger', '@azure/core-auth', '@azure/core-tracing', '@typespec/ts-http-runtime', 'cockatiel', 'hookified', 'agent-base',
  'http-proxy-agent', 'https-proxy-agent', 'tunnel', 'readdirp', 'fdir', 'p-limit', 'yocto-queue', 'lru-cache', 'flat-cache',
  'file-entry-cache', 'signal-exit', 'pidusage', 'mute-stream', 'read', 'retry', '@humanwhocodes/retry', 'jsonwebtoken', 'jws', 'jwa',
  'chart.js', '@vscode-elements/elements', '@vscode/vsce', 'open',
];
const VENDORED = /(^|\/)(_vendor|vendored|_distutils)$/;
const SKIPPED = /(^|\/)(node_modules|__pycache__|site-packages|dist-packages)$|\.min\.js$|\.d\.ts$/;

interface Judgment {
  verdict: 'right' | 'wrong';
  reason: string;
}

type Half = 'tuning' | 'held-out';

interface Source {
  name: string;
  half: Half;
  files: Array<{ path: string; key: string }>;
}

function walk(dir: string, alsoSkipped?: RegExp): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (SKIPPED.test(path) || alsoSkipped?.test(path)) return [];
    const stats = statSync(path);
    if (stats.isDirectory()) return walk(path, alsoSkipped);
    return languageForPath(path) ? [path] : [];
  });
}

function npmSource(half: Half, packages: readonly string[]): Source {
  const modules = fromRoot('node_modules');
  const files = packages.filter((p) => existsSync(join(modules, p))).flatMap((p) => walk(join(modules, p)));
  return { name: `npm: ${packages.join(', ')}`, half, files: files.map((path) => ({ path, key: relative(fromRoot(), path) })) };
}

/** The site-packages directory of the `python3` on PATH, if there is one. */
function sitePackages(): string | undefined {
  const result = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' });
  const path = result.status === 0 ? result.stdout.trim() : '';
  return path && existsSync(path) ? path : undefined;
}

/** The second tuning sample; each part is skipped, with a line saying so, when absent on this machine. */
function secondTuningSample(): Source[] {
  const found: Source[] = [];
  const python = SECOND_TUNE_PYTHON.filter((p) => existsSync(join(DEBIAN_PYTHON, p)));
  if (python.length) {
    const files = python.flatMap((p) => walk(join(DEBIAN_PYTHON, p), VENDORED));
    found.push({ name: `dist-packages: ${python.join(', ')}`, half: 'tuning', files: files.map((path) => ({ path, key: `dist-packages/${relative(DEBIAN_PYTHON, path)}` })) });
  }
  const npm = npmSource('tuning', SECOND_TUNE_NPM);
  if (npm.files.length) found.push(npm);
  const absent = [
    ...SECOND_TUNE_PYTHON.filter((p) => !python.includes(p)),
    ...SECOND_TUNE_NPM.filter((p) => !existsSync(join(fromRoot('node_modules'), p))),
  ];
  if (absent.length) console.log(`  (second tuning sample: not on this machine, skipped: ${absent.join(', ')})`);
  return found;
}

export function sources(): Source[] {
  const found: Source[] = [];
  if (existsSync(PYTHON_LIB)) found.push({ name: 'python3.11 stdlib', half: 'tuning', files: walk(PYTHON_LIB).map((path) => ({ path, key: relative(dirname(PYTHON_LIB), path) })) });
  found.push(npmSource('tuning', TUNE_NPM));
  found.push(...secondTuningSample());
  if (process.env.LEAKSCOPE_CLEAN_TUNE_ONLY) return found;
  const site = sitePackages();
  if (site) {
    const present = HELD_OUT_PYTHON.filter((p) => existsSync(join(site, p)));
    const files = present.flatMap((p) => walk(join(site, p)));
    found.push({ name: `python3 site-packages: ${present.join(', ')}`, half: 'held-out', files: files.map((path) => ({ path, key: `site-packages/${relative(site, path)}` })) });
  }
  found.push(npmSource('held-out', HELD_OUT_NPM));
  return found;
}

function readJudgments(): Record<string, Judgment> {
  if (!existsSync(JUDGMENTS)) return {};
  return (JSON.parse(readFileSync(JUDGMENTS, 'utf8')) as { findings: Record<string, Judgment> }).findings;
}

interface CleanTally {
  lines: number;
  findings: string[];
  /** The broad tier's hints (issue 13), kept apart from the strict findings. */
  hints: string[];
}

/** One scan per file with the hint tier on; strict findings and hints are counted apart. */
function scanSource(engine: RuleEngine, source: Source): CleanTally {
  const tally: CleanTally = { lines: 0, findings: [], hints: [] };
  for (const file of source.files) {
    const text = readFileSync(file.path, 'utf8');
    tally.lines += text.split('\n').length;
    for (const f of engine.scan(text, languageForPath(file.path)!, { maxBytes: 8 * 1024 * 1024, hints: true })) {
      (f.broad ? tally.hints : tally.findings).push(`${file.key}:${f.range.startLine + 1}:${f.rule}`);
    }
  }
  return tally;
}

interface HalfFigures {
  perKLines: number;
  wrongShare: number;
  unjudged: number;
}

function summarise(label: string, tally: CleanTally, judgments: Record<string, Judgment>, listKeys: boolean): HalfFigures {
  const judged = tally.findings.filter((key) => judgments[key]);
  const wrong = judged.filter((key) => judgments[key]!.verdict === 'wrong');
  const unjudged = tally.findings.filter((key) => !judgments[key]);
  const perKLines = (1000 * tally.findings.length) / Math.max(1, tally.lines);
  const wrongShare = judged.length ? wrong.length / judged.length : 0;
  const right = judged.length - wrong.length;
  const share = judged.length ? `${(100 * (1 - wrongShare)).toFixed(1)}% judged right` : 'none judged';
  console.log(`  ${label}: ${tally.findings.length} findings in ${tally.lines} lines = ${perKLines.toFixed(3)} per 1,000 lines; judged ${judged.length}: right ${right}, wrong ${wrong.length} (${share})`);
  if (listKeys) for (const key of wrong) console.log(`    judged wrong: ${key} (${judgments[key]!.reason})`);
  if (listKeys) for (const key of unjudged) console.log(`    not judged yet: ${key}`);
  return { perKLines, wrongShare, unjudged: unjudged.length };
}

/** Prints the figures per half and in total; true when the targets hold (<= 1 finding per 1,000 lines, >= 80% judged right). */
export function cleanCode(engine: RuleEngine): boolean {
  const judgments = readJudgments();
  const halves = new Map<Half, CleanTally>();
  console.log('\nclean real code (every finding judged in test/corpus/rules-clean/judgments.json)');
  for (const source of sources()) {
    const tally = scanSource(engine, source);
    const half = halves.get(source.half) ?? { lines: 0, findings: [], hints: [] };
    halves.set(source.half, { lines: half.lines + tally.lines, findings: [...half.findings, ...tally.findings], hints: [...half.hints, ...tally.hints] });
    console.log(`  [${source.half}] ${source.name}: ${source.files.length} files, ${tally.lines} lines, ${tally.findings.length} findings (${((1000 * tally.findings.length) / Math.max(1, tally.lines)).toFixed(3)} per 1,000 lines), ${tally.hints.length} hints (${((1000 * tally.hints.length) / Math.max(1, tally.lines)).toFixed(3)} per 1,000 lines)`);
  }
  for (const [half, tally] of halves) summarise(`${half} half`, tally, judgments, true);
  for (const [half, tally] of halves) summariseHints(half, tally, judgments);
  const all = [...halves.values()].reduce((sum, t) => ({ lines: sum.lines + t.lines, findings: [...sum.findings, ...t.findings], hints: [] }), { lines: 0, findings: [] as string[], hints: [] as string[] });
  if (!halves.has('held-out')) console.log('  (held-out half not scanned: LEAKSCOPE_CLEAN_TUNE_ONLY)');
  const total = summarise('total', all, judgments, false);
  return total.perKLines <= 1 && total.wrongShare <= 0.2 && total.unjudged === 0;
}

/** At most this many hints per half are judged: a fixed sample, not all of them. */
const HINT_SAMPLE = 40;

/** FNV-1a, 32 bits: the sample's order depends on each key alone, not on the order of the scan. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The hints judged: the HINT_SAMPLE keys with the smallest hashes. */
export function hintSample(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort((a, b) => hashOf(a) - hashOf(b) || (a < b ? -1 : 1)).slice(0, HINT_SAMPLE);
}

/** Wilson score interval for a share (95%): honest at small samples and at shares near 0 or 1. */
export function wilson(right: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = right / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** "33.3% (Wilson 95% 15.2-58.3%)": a share with its interval ("n/a" of nothing). */
export function shareWithWilson(n: number, d: number): string {
  if (d === 0) return 'n/a';
  const [low, high] = wilson(n, d);
  return `${((100 * n) / d).toFixed(1)}% (Wilson 95% ${(100 * low).toFixed(1)}-${(100 * high).toFixed(1)}%)`;
}

/**
 * The hint tier on clean code: hints per 1,000 lines, apart from the strict findings, and a judged
 * sample (right = the container or registration really can grow without bound while the program
 * runs, per use). The held-out sample is listed for the lead to judge.
 */
function summariseHints(half: Half, tally: CleanTally, judgments: Record<string, Judgment>): void {
  const sample = hintSample(tally.hints);
  const judged = sample.filter((key) => judgments[key]);
  const right = judged.filter((key) => judgments[key]!.verdict === 'right').length;
  const [low, high] = wilson(right, judged.length);
  const share = judged.length ? `${((100 * right) / judged.length).toFixed(1)}% judged right (Wilson 95%: ${(100 * low).toFixed(1)}%-${(100 * high).toFixed(1)}%)` : 'none judged';
  const perKLines = (1000 * tally.hints.length) / Math.max(1, tally.lines);
  console.log(`  ${half} half, hints: ${tally.hints.length} in ${tally.lines} lines = ${perKLines.toFixed(3)} per 1,000 lines; sample of ${sample.length}, judged ${judged.length}: right ${right}, wrong ${judged.length - right} (${share})`);
  for (const key of sample) {
    const judgment = judgments[key];
    console.log(`    hint sample: ${key} ${judgment ? `${judgment.verdict} (${judgment.reason})` : 'not judged yet'}`);
  }
}
