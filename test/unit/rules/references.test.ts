// The per-scan name index the container rules read their evidence from: whole words only, cut to
// a scope, and a scan whose cost grows with the file, not with files times containers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { NameOccurrences } from '../../../src/core/rules/references';
import { sharedEngine } from './support';

test('name occurrences: whole words, in order, cut to a range', () => {
  const code = 'cache = {}\nmy_cache = {}\ncache[k] = v\nself.cache.clear()\n';
  const names = new NameOccurrences(code);
  assert.deepEqual(names.within('cache'), [0, 25, 43]);
  assert.deepEqual(names.within('cache', 20, 40), [25]);
  assert.ok(names.anyFollowedBy('cache', undefined, /\s*\.\s*clear\s*\(/));
  assert.ok(!names.anyFollowedBy('my_cache', undefined, /\s*\.\s*clear\s*\(/));
  assert.ok(names.anyAround('cache', undefined, /\bself\.$/, /\.clear/));
  assert.equal(names.count('cache', undefined, /\s*=(?!=)/), 1);
});

test('a field trimmed in one class does not bound the same-named field of another', async () => {
  const engine = await sharedEngine();
  const text = [
    'export class A {',
    '  private history: number[] = [];',
    '  add(v: number) { this.history.push(v); if (this.history.length > 10) this.history.shift(); }',
    '}',
    'export class B {',
    '  private history: number[] = [];',
    '  add(v: number) { this.history.push(v); }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(engine.scan(text, 'typescript').map((f) => `${f.range.startLine + 1}:${f.rule}`), ['7:unbounded-collection']);
});

test('scan time grows with the file, not with files times containers', async () => {
  const engine = await sharedEngine();
  const unit = (i: number) => `class S${i} {\n  private samples: number[] = [];\n  add(v: number) { this.samples.push(v); if (this.samples.length > 9) this.samples.shift(); }\n}\nconst memo${i} = new Map<string, number>();\nexport function f${i}(k: string) { memo${i}.set(k, 1); if (memo${i}.size > 9) memo${i}.clear(); }\n`;
  const build = (n: number) => Array.from({ length: n }, (_, i) => unit(i)).join('');
  const time = (text: string) => {
    const started = performance.now();
    engine.scan(text, 'typescript', { maxBytes: text.length + 1 });
    return performance.now() - started;
  };
  time(build(200));
  const small = Math.min(time(build(1000)), time(build(1000)));
  const large = Math.min(time(build(4000)), time(build(4000)));
  // Four times the text: linear is ~4x; the per-container regular expressions took ~16x.
  assert.ok(large < small * 8, `1000 units ${small.toFixed(0)} ms, 4000 units ${large.toFixed(0)} ms`);
});
