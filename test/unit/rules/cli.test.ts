// `leakscope scan`, run as users run it: the built dist/cli.js in a child process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../helpers/paths';
import { readManifest } from './support';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [fromRoot('dist/cli.js'), 'scan', ...args], { cwd: fromRoot(), encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('prints file:line:col rule message, a summary, and exits 1 when there are findings', () => {
  const { code, out } = cli('test/corpus/rules/python/fl_server.py');
  assert.equal(code, 1);
  const lines = out.trim().split('\n');
  assert.match(lines[0] ?? '', /^test\/corpus\/rules\/python\/fl_server\.py:15:1 log-no-rotation \S.*\.$/);
  assert.deepEqual(lines.slice(0, -1).map((l) => l.split(' ').slice(0, 2).join(' ')), [
    'test/corpus/rules/python/fl_server.py:15:1 log-no-rotation',
    'test/corpus/rules/python/fl_server.py:40:9 handler-not-cleared',
    'test/corpus/rules/python/fl_server.py:68:9 unbounded-collection',
    'test/corpus/rules/python/fl_server.py:70:9 missing-gc-after-free',
  ]);
  assert.equal(lines.at(-1), '4 findings in 1 file (1 file scanned).');
});

test('--json prints one array matching the corpus manifest', () => {
  const { code, out } = cli('--json', 'test/corpus/rules');
  assert.equal(code, 1);
  const findings = JSON.parse(out) as Array<{ file: string; line: number; column: number; rule: string; message: string; severity: string }>;
  const expected = readManifest().expected.map((e) => `test/corpus/rules/${e.file}:${e.line} ${e.rule}`).sort();
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort(), expected);
  for (const f of findings) {
    assert.ok(f.column >= 1 && f.message.length > 20 && ['error', 'warning', 'information', 'hint'].includes(f.severity));
  }
});

test('--disable turns rules off; no findings exits 0', () => {
  const { code, out } = cli('--disable', 'log-no-rotation,handler-not-cleared,unbounded-collection,missing-gc-after-free', 'test/corpus/rules/python/fl_server.py');
  assert.equal(code, 0);
  assert.equal(out.trim(), 'No findings (1 file scanned).');
  assert.equal(cli('--json', '--disable=log-no-rotation,handler-not-cleared,unbounded-collection,missing-gc-after-free', 'test/corpus/rules/python/fl_server.py').out.trim(), '[]');
});

test('usage errors exit 2', () => {
  for (const args of [[], ['--bogus', 'x'], ['--disable', 'no-such-rule', 'src'], ['does/not/exist'], ['--max-bytes', '-3', 'src']]) {
    const { code, err } = cli(...args);
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /leakscope scan: /);
  }
});

test('--help documents the exit status and --list-rules lists every rule', () => {
  const help = spawnSync(process.execPath, [fromRoot('dist/cli.js'), 'scan', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit status: 0 no findings, 1 findings, 2 usage error/);
  const list = cli('--list-rules');
  assert.equal(list.code, 0);
  assert.equal(list.out.trim().split('\n').length, 11);
});
