// The runtime strings' bundle (l10n/bundle.l10n.json, made by `npm run l10n`) in step with the
// sources: every vscode.l10n.t() string in src/ is in it, and nothing else is. It is extracted
// here with @vscode/l10n-dev itself, the tool the npm script runs, so the two cannot disagree.
// Also: t() takes a string literal (a template literal or a variable would not be exported), and
// the adapters' notifications, pickers and input boxes do not take a bare English literal.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { repoRoot } from '../helpers/paths';

interface SourceFile {
  path: string;
  contents: string;
}

function sources(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|jsx)$/.test(name) ? [{ path: relative(repoRoot(), path), contents: readFileSync(path, 'utf8') }] : [];
  });
}

const files = sources(join(repoRoot(), 'src'));
/** The VS Code adapters: src/ less the VS Code–free core and CLI. */
const adapters = files.filter((f) => !f.path.startsWith(join('src', 'core')) && !f.path.startsWith(join('src', 'cli')));

/** Each match with its file and line, for a failure message that says where to look. */
function offences(pattern: RegExp, within: readonly SourceFile[]): string[] {
  return within.flatMap((f) =>
    [...f.contents.matchAll(pattern)].map((m) => `${f.path}:${f.contents.slice(0, m.index).split('\n').length}: ${m[0]}`),
  );
}

test('l10n/bundle.l10n.json holds every vscode.l10n.t() string of src/ and no other (run `npm run l10n` after changing one)', async () => {
  const extracted = await getL10nJson(files.map((f) => ({ contents: f.contents, extension: extname(f.path) })));
  const bundle = JSON.parse(readFileSync(join(repoRoot(), 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
  const missing = Object.keys(extracted).filter((key) => !(key in bundle));
  const stale = Object.keys(bundle).filter((key) => !(key in extracted));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
  assert.deepEqual(bundle, extracted);
  assert.ok(Object.keys(bundle).length > 100, `only ${Object.keys(bundle).length} strings: the extraction found too few`);
});

test('package.json points VS Code at l10n/', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(manifest.l10n, './l10n');
});

test('vscode.l10n.t() is given a string literal, with {0}-style placeholders for values', () => {
  assert.deepEqual(offences(/\bl10n\.t\(\s*(?!['"])[^)]{0,40}/g, files), []);
  assert.deepEqual(offences(/\bl10n\.t\(\s*(['"])(?:(?!\1)[^\\]|\\.)*\$\{/g, files), []);
});

test('the adapters show no bare English literal in notifications, pickers, input boxes or progress titles', () => {
  const shown = /\bshow(?:Information|Warning|Error)Message\(\s*['"`][^\n]{0,40}/g;
  // A field given a literal with words in it (a URL placeholder or `${…}` alone is no sentence).
  const fields = /\b(?:title|prompt|placeHolder|placeholder|openLabel|saveLabel|name)\s*(?::|\s=)\s*(['"`])(?!\$\{)[^'"`\n]*[A-Za-z]+ [A-Za-z]+[^\n]{0,30}/g;
  assert.deepEqual([...offences(shown, adapters), ...offences(fields, adapters)], []);
});
