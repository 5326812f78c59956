// The scope resolver: which binding a name refers to (shadowing, parameters named like module
// globals, closures, `global`/`nonlocal`, destructuring, imports), and which class a `this.x` /
// `self.x` belongs to, so rules compare variables rather than spellings.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, as the engine loads it
import TreeSitter = require('web-tree-sitter');
import { ScopeResolver } from '../../../src/core/rules/scopes';
import { GRAMMARS, sharedEngine } from './support';

type Grammar = 'javascript' | 'typescript' | 'python';

async function withScopes(grammar: Grammar, lines: readonly string[], check: (scopes: ScopeResolver, at: (marker: string, name: string) => TreeSitter.Node) => void): Promise<void> {
  await sharedEngine(); // initialises the wasm runtime
  const source = lines.join('\n');
  const parser = new TreeSitter.Parser();
  parser.setLanguage(await TreeSitter.Language.load(join(GRAMMARS, `tree-sitter-${grammar}.wasm`)));
  const tree = parser.parse(source)!;
  try {
    const scopes = new ScopeResolver(tree.rootNode, grammar === 'python' ? 'python' : 'js');
    // The occurrence of `name` on the line ending with the comment `marker`.
    const at = (marker: string, name: string): TreeSitter.Node => {
      const row = lines.findIndex((line) => line.endsWith(marker));
      assert.ok(row >= 0, `no line ends with ${marker}`);
      const column = lines[row]!.search(new RegExp(`(?<![\\w$])${name.replace(/[$.]/g, '\\$&')}(?![\\w$])`));
      assert.ok(column >= 0, `${name} not on line ${row}`);
      const node = tree.rootNode.descendantForPosition({ row, column }, { row, column: column + name.length });
      assert.ok(node, `no node for ${name}`);
      return node;
    };
    check(scopes, at);
  } finally {
    tree.delete();
    parser.delete();
  }
}

test('JS: a parameter named like a module global is another variable', () =>
  withScopes('javascript', [
    'const cache = new Map(); // decl',
    'function f(cache) { cache.set(1, 2); } // param',
    'function g() { cache.set(3, 4); } // global use',
    'const h = (e) => e.x; // h',
    'const k = (e) => e.y; // k',
  ], (scopes, at) => {
    assert.equal(scopes.bindingOf(at('// param', 'cache')).kind, 'parameter');
    assert.equal(scopes.bindingOf(at('// global use', 'cache')).kind, 'module');
    assert.ok(scopes.sameBinding(at('// decl', 'cache'), at('// global use', 'cache')));
    assert.ok(!scopes.sameBinding(at('// param', 'cache'), at('// global use', 'cache')));
    // Minified code reuses one-letter parameter names: each is its own function's.
    assert.ok(!scopes.sameBinding(at('// h', 'e'), at('// k', 'e')));
  }));

test('JS: closures reach the enclosing function; let is per block, var per function', () =>
  withScopes('javascript', [
    'function outer() {',
    '  let count = 0; // outer count',
    '  return function inner() { count++; }; // closure',
    '}',
    'let x = 1; // module x',
    '{ let x = 2; use(x); } // block x',
    'use(x); // after block',
    'function f(a) { if (a) { var y = 1; } return y; } // hoisted',
  ], (scopes, at) => {
    assert.ok(scopes.sameBinding(at('// outer count', 'count'), at('// closure', 'count')));
    assert.equal(scopes.bindingOf(at('// closure', 'count')).kind, 'local');
    assert.ok(!scopes.sameBinding(at('// module x', 'x'), at('// block x', 'x')));
    assert.ok(scopes.sameBinding(at('// module x', 'x'), at('// after block', 'x')));
    const hoisted = at('// hoisted', 'y');
    assert.equal(scopes.bindingOf(hoisted).kind, 'local');
  }));

test('JS: destructuring, imports and require bind what they name', () =>
  withScopes('javascript', [
    "import def, { a as b, c } from 'm'; // imports",
    "import * as ns from 'n'; // namespace",
    "const bus = require('events').shared; // require",
    'const { p, q: r, ...rest } = obj; // object pattern',
    'const [s, , t = 1] = arr; // array pattern',
    'use(def, b, c, ns, bus, p, r, rest, s, t, a, q); // uses',
    'process.on("exit", f); // proc',
  ], (scopes, at) => {
    for (const name of ['def', 'b', 'c', 'ns', 'bus']) assert.equal(scopes.bindingOf(at('// uses', name)).kind, 'import', name);
    for (const name of ['p', 'r', 'rest', 's', 't']) assert.equal(scopes.bindingOf(at('// uses', name)).kind, 'module', name);
    // `a` and `q` are the names of what was taken, not bindings of this file.
    assert.equal(scopes.bindingOf(at('// uses', 'a')).kind, 'global');
    assert.equal(scopes.bindingOf(at('// uses', 'q')).kind, 'global');
    assert.equal(scopes.bindingOf(at('// proc', 'process')).kind, 'global');
  }));

test('JS: this.x belongs to the class of the method, arrows keep it, constructor functions too', () =>
  withScopes('javascript', [
    'class A {',
    '  constructor() { this.handler = () => this.run(); } // A ctor',
    '  destroy() { bus.off("x", this.handler); } // A destroy',
    '}',
    'class B {',
    '  stop() { bus.off("x", this.handler); } // B stop',
    '}',
    'function Host() {',
    '  this.onUp = function () {}; // Host ctor',
    '  this.destroy = function () { off(this.onUp); }; // Host destroy',
    '}',
    'Host.prototype.show = function () { use(this.onUp); }; // Host proto',
  ], (scopes, at) => {
    const member = (marker: string, name: string) => at(marker, name).parent!;
    assert.ok(scopes.sameMember(member('// A ctor', 'handler'), member('// A destroy', 'handler')));
    assert.ok(!scopes.sameMember(member('// A destroy', 'handler'), member('// B stop', 'handler')));
    assert.ok(scopes.sameMember(member('// Host ctor', 'onUp'), member('// Host destroy', 'onUp')));
    assert.ok(scopes.sameMember(member('// Host ctor', 'onUp'), member('// Host proto', 'onUp')));
  }));

test('Python: a parameter named like a module global, and global / nonlocal declarations', () =>
  withScopes('python', [
    'cache = {}  # decl',
    'count = 0  # count decl',
    'def f(cache):  # param',
    '    cache.clear()  # param use',
    'def g():',
    '    cache.clear()  # global use',
    'def inc():',
    '    global count',
    '    count += 1  # global stmt',
    'def outer():',
    '    total = 0  # outer total',
    '    def inner():',
    '        nonlocal total',
    '        total += 1  # nonlocal use',
    '    def shadow():',
    '        total = 5  # own total',
  ], (scopes, at) => {
    assert.equal(scopes.bindingOf(at('# param use', 'cache')).kind, 'parameter');
    assert.ok(!scopes.sameBinding(at('# param use', 'cache'), at('# decl', 'cache')));
    assert.ok(scopes.sameBinding(at('# global use', 'cache'), at('# decl', 'cache')));
    assert.ok(scopes.sameBinding(at('# global stmt', 'count'), at('# count decl', 'count')));
    assert.equal(scopes.bindingOf(at('# global stmt', 'count')).kind, 'module');
    assert.ok(scopes.sameBinding(at('# nonlocal use', 'total'), at('# outer total', 'total')));
    assert.ok(!scopes.sameBinding(at('# own total', 'total'), at('# outer total', 'total')));
  }));

test('Python: a class body is not a scope for its methods; comprehension and lambda names stay inside', () =>
  withScopes('python', [
    'import os.path  # import',
    'from m import thing as alias  # from import',
    'class A:',
    '    items = []  # class items',
    '    def add(self, x):',
    '        items.append(x)  # bare items',
    '        self.items.append(x)  # self items',
    '        A.items.append(x)  # class ref',
    '    @classmethod',
    '    def reset(cls):',
    '        cls.items.clear()  # cls items',
    'class B:',
    '    def add(self, x):',
    '        self.items.append(x)  # B items',
    'squares = [i * i for i in range(3)]  # comprehension',
    'i = 0  # module i',
    'f = lambda alias: alias  # lambda',
    'use(os, alias)  # uses',
  ], (scopes, at) => {
    assert.equal(scopes.bindingOf(at('# bare items', 'items')).kind, 'global');
    assert.equal(scopes.bindingOf(at('# class items', 'items')).kind, 'class');
    const member = (marker: string) => at(marker, 'items').parent!;
    assert.ok(scopes.sameMember(member('# self items'), member('# class ref')));
    assert.ok(scopes.sameMember(member('# self items'), member('# cls items')));
    assert.ok(!scopes.sameMember(member('# self items'), member('# B items')));
    assert.ok(!scopes.sameBinding(at('# comprehension', 'i'), at('# module i', 'i')));
    assert.equal(scopes.bindingOf(at('# lambda', 'alias')).kind, 'parameter');
    assert.equal(scopes.bindingOf(at('# uses', 'alias')).kind, 'import');
    assert.equal(scopes.bindingOf(at('# uses', 'os')).kind, 'import');
  }));

test('TypeScript: typed and defaulted parameters bind their names', () =>
  withScopes('typescript', [
    'const emitter = make(); // module',
    'export function attach(emitter: Emitter, { once = false }: Options = {}) { emitter.on("x", f); use(once); } // typed',
  ], (scopes, at) => {
    assert.equal(scopes.bindingOf(at('// typed', 'once')).kind, 'parameter');
    const uses = at('// typed', 'emitter');
    assert.equal(scopes.bindingOf(uses).kind, 'parameter');
    assert.ok(!scopes.sameBinding(uses, at('// module', 'emitter')));
  }));
