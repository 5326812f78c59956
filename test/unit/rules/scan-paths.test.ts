// scanPaths: folders walked, junk skipped with a reason, nothing thrown.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { scanPaths, ScanResult } from '../../../src/core/rules';
import { sharedEngine } from './support';

const LEAKY_PY = 'history = []\n\ndef record(x):\n    history.append(x)\n';
const LEAKY_JS = 'const cache = new Map();\nexport function put(k, v) {\n  cache.set(k, v);\n}\n';

async function collect(paths: string[], options = {}): Promise<ScanResult[]> {
  const engine = await sharedEngine();
  const results: ScanResult[] = [];
  for await (const result of scanPaths(engine, paths, options)) results.push(result);
  return results;
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'leakscope-scan-'));
  const files: Record<string, string | Buffer> = {
    'app/server.py': LEAKY_PY,
    'app/store.mjs': LEAKY_JS,
    'app/view.tsx': 'export const View = () => <div />;\n',
    'app/notes.md': '# not code\n',
    'app/blob.py': Buffer.from([0x78, 0x00, 0x79]),
    'app/huge.js': '// padding\n'.repeat(20_000),
    'node_modules/dep/index.js': LEAKY_JS,
    'dist/bundle.js': LEAKY_JS,
    '.git/hooks/x.py': LEAKY_PY,
    'env/pyvenv.cfg': 'home = /usr/bin\n',
    'env/lib/site.py': LEAKY_PY,
    '.venv/lib/a.py': LEAKY_PY,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  symlinkSync(root, join(root, 'app', 'loop'));
  return root;
}

test('walks folders, skips dependency/build/venv folders, binary and huge files, and does not follow links', async () => {
  const root = tree();
  try {
    const results = await collect([root], { maxBytes: 100_000 });
    const summary = results.map((r) => `${relative(root, r.file)} ${'findings' in r ? r.findings.map((f) => f.rule).join(',') || 'clean' : `${r.skipped ? 'skipped' : 'error'}: ${r.error}`}`);
    assert.deepEqual(summary, [
      'app/blob.py skipped: skipped: binary file (contains NUL bytes)',
      'app/huge.js skipped: skipped: 215 KB is over the 97.7 KB limit',
      'app/server.py unbounded-collection',
      'app/store.mjs unbounded-cache',
      'app/view.tsx clean',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('explicit files and missing paths', async () => {
  const root = tree();
  try {
    const results = await collect([join(root, 'app/server.py'), join(root, 'nope.py'), join(root, 'app/notes.md')]);
    assert.equal(results.length, 3);
    assert.ok('findings' in results[0]! && results[0].findings.length === 1);
    assert.deepEqual(results[1], { file: join(root, 'nope.py'), error: 'no such file or folder', skipped: false });
    assert.ok('error' in results[2]! && results[2].skipped);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an aborted signal stops the walk', async () => {
  const root = tree();
  try {
    const abort = new AbortController();
    abort.abort();
    assert.deepEqual(await collect([root], { signal: abort.signal }), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the default size limit is 1 MB', async () => {
  const root = mkdtempSync(join(tmpdir(), 'leakscope-big-'));
  try {
    writeFileSync(join(root, 'big.py'), '# x\n'.repeat(300_000));
    writeFileSync(join(root, 'ok.py'), LEAKY_PY);
    const results = await collect([root]);
    assert.match('error' in results[0]! ? results[0].error : '', /1\.14 MB is over the 1 MB limit/);
    assert.ok('findings' in results[1]!);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
