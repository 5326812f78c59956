// The shared lookups the rules read instead of walking the tree again: the index's node lists
// (declared types from the one pass, others walked once on demand), the binary-search cut of a
// list to a scope, and the pick of a container's first growth, which tests only until it finds one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, as the engine loads it
import TreeSitter = require('web-tree-sitter');
import { nodesWithin, pickUse, SyntaxIndex } from '../../../src/core/rules/syntax';
import { GRAMMARS, sharedEngine } from './support';

const SOURCE = [
  'const seen = new Map();',
  'function track(items) {',
  '  for (const item of items) seen.set(item.id, item);',
  '  for (const key in seen) console.log(key);',
  '}',
  'function other() { seen.set(1, 2); }',
  '',
].join('\n');

async function withTree(check: (tree: TreeSitter.Tree) => void): Promise<void> {
  await sharedEngine(); // initialises the wasm runtime
  const parser = new TreeSitter.Parser();
  parser.setLanguage(await TreeSitter.Language.load(join(GRAMMARS, 'tree-sitter-javascript.wasm')));
  const tree = parser.parse(SOURCE);
  try {
    check(tree!);
  } finally {
    tree?.delete();
    parser.delete();
  }
}

const spans = (nodes: readonly (TreeSitter.Node | null)[]) => nodes.map((node) => `${node!.type}@${node!.startIndex}`);

test('the index answers a type it was not asked to collect as a walk of the tree would', () =>
  withTree((tree) => {
    const index = new SyntaxIndex(tree, SOURCE, { collect: new Set(['call_expression', 'new_expression']), blank: new Set(['comment']) });
    assert.deepEqual(spans(index.nodes('call_expression')), spans(tree.rootNode.descendantsOfType('call_expression')));
    assert.deepEqual(spans(index.nodes('for_in_statement')), spans(tree.rootNode.descendantsOfType('for_in_statement')));
    assert.equal(index.nodes('for_in_statement').length, 2);
    assert.equal(index.nodes('for_in_statement'), index.nodes('for_in_statement'), 'walked once, then kept');
    assert.deepEqual(index.nodes('class_declaration'), []);
  }));

test('a declared type with no nodes is an empty list, not a second walk', () =>
  withTree((tree) => {
    const index = new SyntaxIndex(tree, SOURCE, { collect: new Set(['class_declaration']), blank: new Set() });
    assert.deepEqual(index.nodes('class_declaration'), []);
  }));

test('nodesWithin cuts a document-ordered list to the nodes that start inside a scope', () =>
  withTree((tree) => {
    const calls = tree.rootNode.descendantsOfType('call_expression').filter((node): node is TreeSitter.Node => node !== null);
    const [track, other] = tree.rootNode.descendantsOfType('function_declaration');
    assert.deepEqual(spans(nodesWithin(calls, track!)), spans(calls.filter((call) => call.startIndex >= track!.startIndex && call.endIndex <= track!.endIndex)));
    assert.deepEqual(nodesWithin(calls, other!).map((call) => call.text), ['seen.set(1, 2)']);
  }));

test('pickUse takes the first accepted use in source order, or an accepted one on an observed line', () =>
  withTree((tree) => {
    const sets = tree.rootNode.descendantsOfType('call_expression').filter((node): node is TreeSitter.Node => node !== null && node.text.startsWith('seen.set'));
    const reversed = [...sets].reverse();
    let tested = 0;
    const inFunctionOther = (use: TreeSitter.Node) => {
      tested++;
      return use.startPosition.row === 5;
    };
    assert.equal(pickUse(reversed, new Set(), inFunctionOther)?.startPosition.row, 5);
    assert.equal(tested, 2, 'stops at the first accepted use');
    assert.equal(pickUse(reversed, new Set())?.startPosition.row, 2, 'without a test, the first use');
    assert.equal(pickUse(reversed, new Set([5]))?.startPosition.row, 5, 'the observed line first');
    assert.equal(pickUse(reversed, new Set([2]), inFunctionOther)?.startPosition.row, 5, 'an observed use that is not accepted is not picked');
    assert.equal(pickUse(reversed, new Set(), () => false), undefined);
  }));
