// Two containers with one name in one file are two containers (issue 13): a store, a removal or a
// size check on one owner's (class, constructor) container says nothing about the other's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Language } from '../../../src/core/rules';
import { sharedEngine } from './support';

const found = (lines: readonly string[], language: Language) =>
  sharedEngine().then((engine) => engine.scan(lines.join('\n'), language).map((f) => `${f.range.startLine + 1}:${f.rule}`));

/** A class whose class-level dict is filled per argument; `evict` is what it does after the store. */
function pythonCacheClass(name: string, evict: readonly string[]): string[] {
  return [`class ${name}:`, '    _netmask_cache = {}', '', '    @classmethod', '    def make(cls, arg):', '        cls._netmask_cache[arg] = compute(arg)', ...evict, '        return cls._netmask_cache[arg]', ''];
}

const PY_EVICT = ['        if len(cls._netmask_cache) > 100:', '            cls._netmask_cache.pop(next(iter(cls._netmask_cache)))'];

test('unbounded-cache (Python): a class-level cache is reported though another class bounds its own of the same name', async () => {
  const text = [...pythonCacheClass('V4', PY_EVICT), ...pythonCacheClass('V6', [])];
  const store = text.indexOf('        cls._netmask_cache[arg] = compute(arg)', 10) + 1;
  assert.deepEqual(await found(text, 'python'), [`${store}:unbounded-cache`]);
});

test('unbounded-cache (Python): the unbounded class comes first, the bounded one after: only the first is reported', async () => {
  const text = [...pythonCacheClass('V6', []), ...pythonCacheClass('V4', PY_EVICT)];
  assert.deepEqual(await found(text, 'python'), ['6:unbounded-cache']);
});

test('unbounded-cache (Python): two unbounded classes with one cache name are each reported', async () => {
  const text = [...pythonCacheClass('V4', []), ...pythonCacheClass('V6', [])];
  const second = text.indexOf('        cls._netmask_cache[arg] = compute(arg)', 10) + 1;
  assert.deepEqual(await found(text, 'python'), ['6:unbounded-cache', `${second}:unbounded-cache`]);
});

test("unbounded-cache (Python): an instance's dict filled per call is not blamed on another class's class-level dict of the same name", async () => {
  const text = [
    'class Registry:',
    '    _cache = {}',
    '',
    '    def lookup(self, key):',
    '        return self._cache.get(key)',
    '',
    'class Session:',
    '    def __init__(self):',
    '        self._cache = {}',
    '',
    '    def fetch(self, key):',
    '        self._cache[key] = compute(key)',
    '        return self._cache[key]',
  ];
  assert.deepEqual(await found(text, 'python'), []);
});

test("unbounded-cache (Python): a subclass's removal still bounds its base's class-level cache", async () => {
  const text = [...pythonCacheClass('Base', []), 'class Child(Base):', '    def forget(self, arg):', '        self._netmask_cache.pop(arg, None)', ''];
  assert.deepEqual(await found(text, 'python'), []);
});

/** A class-level list appended to per event; `trim` is what it does after. */
function pythonHistoryClass(name: string, trim: readonly string[]): string[] {
  return [`class ${name}:`, '    history = []', '', '    def on_event(self, event):', '        self.history.append(event.value)', ...trim, ''];
}

test('unbounded-collection (Python): a class-level history is reported though another class trims its own of the same name', async () => {
  const text = [...pythonHistoryClass('Trimmed', ['        del self.history[:-100]']), ...pythonHistoryClass('Growing', [])];
  const append = text.indexOf('        self.history.append(event.value)', 6) + 1;
  assert.deepEqual(await found(text, 'python'), [`${append}:unbounded-collection`]);
});

/** An old-style class (a constructor function with methods on its prototype) with a per-key cache. */
function jsPrototypeCache(name: string, evict: readonly string[]): string[] {
  return [`function ${name}() {`, '  this.cache = new Map();', '}', `${name}.prototype.get = function (key) {`, '  this.cache.set(key, compute(key));', ...evict, '  return this.cache.get(key);', '};', ''];
}

const JS_EVICT = ['  if (this.cache.size > 100) this.cache.delete(this.cache.keys().next().value);'];

test('unbounded-cache (JS): an old-style class is reported though another one bounds its own cache of the same name', async () => {
  const alone = jsPrototypeCache('Pool', []);
  const text = [...jsPrototypeCache('Ring', JS_EVICT), ...alone];
  const store = text.indexOf('  this.cache.set(key, compute(key));', 5) + 1;
  assert.deepEqual(await found(alone, 'javascript'), ['5:unbounded-cache']);
  assert.deepEqual(await found(text, 'javascript'), [`${store}:unbounded-cache`]);
});

/** A class with a per-key cache field (`static`: one per class, reached through `this` in a static method). */
function jsClassCache(name: string, evict: readonly string[], modifier: 'static ' | '' = ''): string[] {
  return [`class ${name} {`, `  ${modifier}cache = new Map();`, `  ${modifier}get(key) {`, '    this.cache.set(key, compute(key));', ...evict.map((line) => `  ${line}`), '    return this.cache.get(key);', '  }', '}', ''];
}

test('unbounded-cache (JS): a static cache is reported though another class bounds its own static cache of the same name', async () => {
  const alone = jsClassCache('Pool', [], 'static ');
  const text = [...jsClassCache('Ring', JS_EVICT, 'static '), ...alone];
  const store = text.indexOf('    this.cache.set(key, compute(key));', 4) + 1;
  assert.deepEqual(await found(alone, 'javascript'), ['4:unbounded-cache']);
  assert.deepEqual(await found(text, 'javascript'), [`${store}:unbounded-cache`]);
});

test('unbounded-cache (JS): class fields of one name in two classes stay apart', async () => {
  const alone = jsClassCache('Pool', []);
  const text = [...jsClassCache('Ring', JS_EVICT), ...alone];
  const reported = await found(alone, 'javascript');
  const store = text.indexOf('    this.cache.set(key, compute(key));', 4) + 1;
  assert.deepEqual(await found(text, 'javascript'), reported.map((finding) => finding.replace(/^4:/, `${store}:`)));
});

test("unbounded-collection (Python): a table's keyed removals are its own class's: another class's removal by key does not pair with this one's stores", async () => {
  const client = [
    'class Client:',
    '    _pending = {}',
    '',
    '    def request(self, rid, callback):',
    '        self._pending[rid] = callback',
    '',
    '    def call(self, rid):',
    '        self._pending[rid] = None',
    '        result = self.wait(rid)',
    '        del self._pending[rid]',
    '        return result',
    '',
  ];
  const server = ['class Server:', '    _pending = {}', '', '    def put(self, rid, value):', '        self._pending[rid] = value', '', '    def done(self, rid):', '        del self._pending[rid]', ''];
  // Client's only removal takes out call()'s own entry, so request()'s entries stay; Server's
  // removal in done() is Server's table's, and must not read as bounding Client's.
  assert.deepEqual(await found([...client, ...server], 'python'), ['5:unbounded-collection']);
  assert.deepEqual(await found([...server, ...client], 'python'), [`${server.length + 5}:unbounded-collection`]);
});
