// The engine's contract: options, suppression comments, positions, memory, broken input.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, as the engine loads it
import TreeSitter = require('web-tree-sitter');
import { applyEdits, Finding, languageForPath, languageForVscodeId, RULE_IDS, RuleEngine, RULES } from '../../../src/core/rules';
import { CORPUS, GRAMMARS, readManifest, sharedEngine } from './support';

const CACHE_PY = [
  'class Store:',
  '    def __init__(self):',
  '        self._cache = {}',
  '',
  '    def get(self, key):',
  '        self._cache[key] = load(key)',
  '        return self._cache[key]',
  '',
].join('\n');

const lines = (findings: readonly Finding[]) => findings.map((f) => `${f.range.startLine}:${f.rule}`);

test('languages by path and by VS Code language id', () => {
  assert.equal(languageForPath('a/b/server.py'), 'python');
  assert.equal(languageForPath('C:\\x\\app.MJS'), 'javascript');
  assert.equal(languageForPath('x.cjs'), 'javascript');
  assert.equal(languageForPath('view.jsx'), 'javascript');
  assert.equal(languageForPath('x.ts'), 'typescript');
  assert.equal(languageForPath('x.tsx'), 'tsx');
  assert.equal(languageForPath('types.d.ts'), undefined);
  assert.equal(languageForPath('README.md'), undefined);
  assert.equal(languageForPath('Makefile'), undefined);
  assert.equal(languageForVscodeId('javascriptreact'), 'javascript');
  assert.equal(languageForVscodeId('typescriptreact'), 'tsx');
  assert.equal(languageForVscodeId('python'), 'python');
  assert.equal(languageForVscodeId('rust'), undefined);
});

test('every rule has documentation: a one-sentence risk, a severity, languages and a few lines of docs', () => {
  assert.deepEqual(RULES.map((r) => r.id), [...RULE_IDS]);
  for (const rule of RULES) {
    assert.match(rule.description, /^[^.]+(\.[^ ][^.]*)*\.$/, rule.id);
    assert.ok(rule.docs.split('\n').length >= 3, rule.id);
    assert.ok(rule.title.length > 5 && rule.languages.length > 0, rule.id);
  }
  assert.match(RULES.find((r) => r.id === 'malloc-trim')?.docs ?? '', /512 bytes/);
});

test('options: disabled rules, severity overrides, size limit', async () => {
  const engine = await sharedEngine();
  assert.deepEqual(lines(engine.scan(CACHE_PY, 'python')), ['5:unbounded-cache']);
  assert.equal(engine.scan(CACHE_PY, 'python')[0]?.severity, 'warning');
  assert.deepEqual(engine.scan(CACHE_PY, 'python', { disabledRules: ['unbounded-cache'] }), []);
  assert.equal(engine.scan(CACHE_PY, 'python', { severityOverrides: { 'unbounded-cache': 'error' } })[0]?.severity, 'error');
  assert.deepEqual(engine.scan(CACHE_PY, 'python', { maxBytes: 10 }), []);
});

test('ignore comments silence one rule or all, on the line or alone on the line above', async () => {
  const engine = await sharedEngine();
  const variant = (line: string, above = '') =>
    CACHE_PY.replace('        self._cache[key] = load(key)', (above ? `        ${above}\n` : '') + line);
  const store = '        self._cache[key] = load(key)';
  assert.deepEqual(engine.scan(variant(`${store}  # leakscope: ignore[unbounded-cache]`), 'python'), []);
  assert.deepEqual(engine.scan(variant(`${store}  # leakscope: ignore`), 'python'), []);
  assert.deepEqual(engine.scan(variant(store, '# leakscope: ignore[unbounded-cache, timer-not-cleared]'), 'python'), []);
  assert.equal(engine.scan(variant(`${store}  # leakscope: ignore[unbounded-collection]`), 'python').length, 1);
  // A trailing comment on the line above belongs to that line's statement.
  assert.equal(engine.scan(variant(store, 'key = str(key)  # leakscope: ignore'), 'python').length, 1);
  const js = 'const cache = new Map();\nfunction get(k) {\n  // leakscope: ignore[unbounded-cache]\n  cache.set(k, 1);\n}\n';
  assert.deepEqual(engine.scan(js, 'javascript'), []);
});

test('columns count UTF-16 code units, as VS Code does', async () => {
  const engine = await sharedEngine();
  const line = '        label = "é😀"; self._cache[key] = load(key)';
  const [finding] = engine.scan(CACHE_PY.replace('        self._cache[key] = load(key)', line), 'python');
  assert.equal(finding?.range.startColumn, line.indexOf('self._cache'));
  assert.equal(finding?.range.endColumn, line.indexOf('load(key)') + 'load(key)'.length);
});

test('CRLF files: findings on the right lines, fixes keep CRLF and still parse', async () => {
  const engine = await sharedEngine();
  const crlf = CACHE_PY.replace(/\n/g, '\r\n');
  const [finding] = engine.scan(crlf, 'python');
  assert.equal(finding?.range.startLine, 5);
  for (const fix of finding?.fixes ?? []) {
    const edited = applyEdits(crlf, fix.edits);
    assert.ok(!/[^\r]\n/.test(edited), `bare LF after "${fix.title}"`);
    assert.ok(engine.parsesCleanly(edited, 'python'));
    assert.deepEqual(engine.scan(edited, 'python'), []);
  }
});

test('multi-line anchors are shown on their first line only', async () => {
  const engine = await sharedEngine();
  const text = 'class Poller {\n  constructor() {\n    setInterval(() => {\n      this.tick();\n    }, 1000);\n  }\n}\n';
  const [finding] = engine.scan(text, 'javascript');
  assert.deepEqual(finding?.range, { startLine: 2, startColumn: 4, endLine: 2, endColumn: '    setInterval(() => {'.length });
});

test('the wasm heap does not grow across scans (trees are freed), though leaked trees would grow it', async () => {
  const engine = await sharedEngine();
  const text = readFileSync(join(CORPUS, 'python/fl_server.py'), 'utf8').repeat(20);
  const js = readFileSync(join(CORPUS, 'js/metrics_store.ts'), 'utf8').repeat(20);
  for (let i = 0; i < 3; i++) {
    engine.scan(text, 'python');
    engine.scan(js, 'typescript');
  }
  const before = engine.wasmHeapBytes();
  assert.ok(before > 0);
  // About 15 leaked trees of this size outgrow the heap's headroom: 40 rounds would show a leak.
  for (let i = 0; i < 40; i++) {
    engine.scan(text, 'python');
    engine.scan(js, 'typescript');
    engine.parsesCleanly(text, 'python');
  }
  assert.equal(engine.wasmHeapBytes(), before);

  // The measure is sensitive: the same parses without delete() grow the heap.
  const parser = new TreeSitter.Parser();
  parser.setLanguage(await TreeSitter.Language.load(join(GRAMMARS, 'tree-sitter-python.wasm')));
  const leaked: TreeSitter.Tree[] = [];
  for (let i = 0; i < 40; i++) {
    const tree = parser.parse(text);
    if (tree) leaked.push(tree);
  }
  assert.ok(engine.wasmHeapBytes() > before, 'leaked trees should grow the heap');
  for (const tree of leaked) tree.delete();
  parser.delete();
});

test('a disposed engine refuses to scan', async () => {
  const engine = await RuleEngine.create(GRAMMARS);
  engine.dispose();
  engine.dispose();
  assert.throws(() => engine.scan('x = 1', 'python'), /dispose/);
});

test('a missing grammar folder is a clear error, not a hang', async () => {
  await assert.rejects(RuleEngine.create('/nonexistent/grammars'));
});

test('files that do not parse: no crash, no rule errors, no finding from the broken parts', async () => {
  const engine = await sharedEngine();
  for (const [file, language] of [['python/broken_syntax.py', 'python'], ['js/broken.jsx', 'javascript']] as const) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    assert.ok(!engine.parsesCleanly(text, language));
    assert.deepEqual(engine.scan(text, language), [], file);
    assert.deepEqual(engine.lastRuleErrors, []);
  }
  // TypeScript mid-edit (kept inline: a broken .ts file in the repo would break the typecheck).
  const brokenTs = 'const pageCache = new Map<string, string>();\nexport class W {\n  private history: string[] = [];\n  render(id: string) {\n    pageCache.set(id, `<b>${id}</b>`\n    this.history.push(id);\n    setInterval(() => this.render(id), 1000\n  }\n';
  assert.ok(!engine.parsesCleanly(brokenTs, 'typescript'));
  assert.deepEqual(engine.scan(brokenTs, 'typescript'), []);
  assert.deepEqual(engine.scan('\u0000\u0001\u0002 def (( {{ ]]', 'python'), []);
  assert.deepEqual(engine.scan('', 'tsx'), []);
});

test('a syntax error drops only the findings whose evidence it could hold', async () => {
  const engine = await sharedEngine();
  // tree-sitter-javascript reads a line starting `in_x` after a `{}` as the `in` operator (no ASI):
  // one harmless error, far from the leak and naming nothing the leak's line names.
  const serve = ['class Connection {', '  constructor(socket) {', "    process.on('exit', () => socket.end());", '  }', '}', ''];
  const oddLine = ['function configure(x) {', '  var in_opts = x ? x : {}', '  in_opts.port = 1', '}', ''];
  const js = [...oddLine, ...serve].join('\n');
  assert.ok(!engine.parsesCleanly(js, 'javascript'));
  assert.deepEqual(lines(engine.scan(js, 'javascript')), ['7:handler-not-cleared']);
  // The same error inside the function that holds the finding: its local evidence is in doubt.
  const inHome = ['class Connection {', '  constructor(socket, x) {', '    var in_opts = x ? x : {}', '    in_opts.port = 1', "    process.on('exit', () => socket.end());", '  }', '}', ''].join('\n');
  assert.ok(!engine.parsesCleanly(inHome, 'javascript'));
  assert.deepEqual(engine.scan(inHome, 'javascript'), []);
  // A broken span that names the listener's receiver could be its removal.
  const namesIt = [...serve, 'function stop(x) {', '  var in_opts = x ? x : {}', "  in_opts.off = process.removeAllListeners('exit')", '}', ''].join('\n');
  assert.ok(!engine.parsesCleanly(namesIt, 'javascript'));
  assert.deepEqual(engine.scan(namesIt, 'javascript'), []);

  const python = [...CACHE_PY.split('\n'), 'def unrelated(x):', '    return x +* 2', ''].join('\n');
  assert.ok(!engine.parsesCleanly(python, 'python'));
  assert.deepEqual(lines(engine.scan(python, 'python')), ['5:unbounded-cache']);
  const evicts = [...CACHE_PY.split('\n'), 'def trim(store):', '    store._cache.clear( +* 2', ''].join('\n');
  assert.ok(!engine.parsesCleanly(evicts, 'python'));
  assert.deepEqual(engine.scan(evicts, 'python'), []);
});

test('property: a cut-off corpus file never crashes a rule, and what breaks it only loses findings', async () => {
  const engine = await sharedEngine();
  const files = readManifest().files.filter((f) => !f.includes('broken'));
  const texts = files.map((file) => ({ file, text: readFileSync(join(CORPUS, file), 'utf8'), language: languageForPath(file)! }));
  const full = texts.map(({ text, language }) => new Set(lines(engine.scan(text, language))));
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 3 }), (which, at, junk) => {
      const { text, language } = texts[which]!;
      const cut = text.slice(0, Math.floor(text.length * at)) + junk;
      const findings = engine.scan(cut, language);
      assert.deepEqual(engine.lastRuleErrors, []);
      if (engine.parsesCleanly(cut, language)) return;
      for (const line of lines(findings)) assert.ok(full[which]!.has(line), `${texts[which]!.file} cut at ${Math.floor(text.length * at)}: new finding ${line}`);
    }),
    { numRuns: 150, seed: 6 },
  );
});

test('probe evidence: findingsAtLines reports constructs a probe saw growing, even without naming hints or with dead eviction code', async () => {
  const engine = await sharedEngine();
  const demo = [
    'class FederatedServer:',
    '    def __init__(self, fixed):',
    '        self.fixed = fixed',
    '        self._index = {}',
    '        self._handlers = []',
    '',
    '    def client_index(self, key):',
    '        if self.fixed:',
    '            self._index.clear()',
    '        self._index[key] = build(key)',
    '        return self._index[key]',
    '',
    '    def on_message(self, handler):',
    '        self._handlers.append(handler)',
    '',
  ].join('\n');
  assert.deepEqual(engine.scan(demo, 'python'), []);
  assert.deepEqual(lines(engine.findingsAtLines(demo, 'python', [9])), ['9:unbounded-cache']);
  assert.deepEqual(lines(engine.findingsAtLines(demo, 'python', [13])), ['13:unbounded-collection']);
  assert.ok(engine.findingsAtLines(demo, 'python', [13]).every((f) => f.fixes.length > 0));
  assert.deepEqual(lines(engine.findingsAtLines(demo, 'python', [2, 9, 13])), ['9:unbounded-cache', '13:unbounded-collection'], 'several lines at once, only theirs');
  assert.deepEqual(engine.findingsAtLines(demo, 'python', [2]), []);
  const js = 'const sessions = new Map();\nfunction handle(id) {\n  sessions.set(id, {});\n  if (flag) sessions.delete(id);\n}\n';
  assert.deepEqual(lines(engine.findingsAtLines(js, 'javascript', [2])), ['2:unbounded-cache']);
});
