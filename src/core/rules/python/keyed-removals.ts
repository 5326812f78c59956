// Keyed removals that cannot end a store (Python): a long-lived dict filled per call under a key
// from the call, when every removal of the file takes out its own function's earlier entry, or
// when the storing function removes its entry but can `return`/`raise` first (keyedRemovals.ts
// says which stores those are; here: what a Python dict, store and removal look like).
import type { Node } from 'web-tree-sitter';
import { callOf, FlowShapes, keyedRemovalFindings, removeBeforeEach } from '../keyedRemovals';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp } from '../text';
import { assignmentCount, calledWith, Container, declarationCount, deletedFrom, escapes, isKeyFromOutside, isPythonDict, isRepeatedUse, lengthChecked, longLivedContainers, outlivesCalls } from './containers';
import { fixesFor } from './unbounded-cache';
import { enclosingFunction, functionName, PYTHON_INDENT, standsAlone, statementOf } from './syntax';

const PYTHON_FLOW: FlowShapes = {
  language: 'python',
  statementOf,
  functionOf: enclosingFunction,
  functionName,
  exits: ['return_statement', 'raise_statement'],
  finallyOf: (node) => (node.type === 'try_statement' ? namedChildren(node).find((child) => child.type === 'finally_clause') : undefined),
  conditionOf: (node) => (node.type === 'if_statement' ? field(node, 'condition') : undefined),
  referenceOf: (name) => (name.parent?.type === 'attribute' && field(name.parent, 'attribute')?.id === name.id ? name.parent : name),
  keyedUse,
  callOf: (statement) => callOf(statement, 'expression_statement', 'await', 'call'),
  boundName,
  storedValue: (store) => (store.type === 'assignment' ? field(store, 'right') : undefined),
  memberLocals: () => new Map(),
  awaitType: 'await',
  tryLines: { open: 'try:', finally: 'finally:', close: undefined },
  comment: '#',
  indent: PYTHON_INDENT,
  successOnly: () => undefined,
  callType: 'call',
  loops: ['for_statement', 'while_statement'],
};

/** `e = <expr>` (awaited or not): `e`. */
function boundName(expression: Node): string | undefined {
  const value = expression.parent?.type === 'await' ? expression.parent : expression;
  const holder = value.parent;
  const target = holder?.type === 'assignment' && field(holder, 'right')?.id === value.id ? field(holder, 'left') : undefined;
  return target?.type === 'identifier' ? target.text : undefined;
}

export function keyedRemovalDetections(context: RuleContext): Detection[] {
  const containers = longLivedContainers(context, isPythonDict);
  return containers.flatMap((container) => {
    // Cheap text tests first: only a table with a keyed removal and no wipe is read as a tree.
    if (!removesByKey(context, container) || isWipedOrShared(context, container, declarationCount(containers, container)) || !outlivesCalls(context, container)) return [];
    const ref = container.access[0] ?? container.name;
    return keyedRemovalFindings(context, { name: container.name, ref, scope: container.scope, made: container.declaration, reaches: container.reaches }, PYTHON_FLOW, {
      perCall: (store) => isRepeatedUse(container, store) && isKeyFromOutside(context, container, store),
      checksPresence: (condition, key) => new RegExp(`(?:^|[^\\w.])${escapeRegExp(key)}\\s+in\\s+(?:\\w+\\s*\\.\\s*)*${escapeRegExp(container.name)}\\b`).test(condition),
      removeBeforeExits: (store, exits) => removeBeforeEach(context, ref, `${ref}.pop(${store.keyNode.text}, None)`, exits.map((exit) => standingStatement(context, exit))),
      evict: (store) => fixesFor(context, container, store),
    });
  });
}

function removesByKey(context: RuleContext, container: Container): boolean {
  const names = context.index.names;
  return calledWith(names, container, 'pop') || deletedFrom(names, container);
}

/** Emptied, replaced, trimmed by size or handed to other code: entries may leave another way. */
function isWipedOrShared(context: RuleContext, container: Container, declarations: number): boolean {
  const names = context.index.names;
  return calledWith(names, container, 'clear|popitem|__delitem__') || lengthChecked(names, container) || assignmentCount(names, container) > declarations || escapes(names, container);
}

/** `table[k] = v`, `del table[k]`, `table.pop(k)`; lookups `table[k]`, `table.get(k)`. */
function keyedUse(reference: Node): { node: Node; key: Node; removal: boolean; lookup?: boolean } | undefined {
  const parent = reference.parent;
  if (!parent) return undefined;
  if (parent.type === 'subscript' && field(parent, 'value')?.id === reference.id) {
    const key = field(parent, 'subscript');
    const holder = parent.parent;
    if (!key || !holder) return undefined;
    if (holder.type === 'assignment' && field(holder, 'left')?.id === parent.id) return { node: holder, key, removal: false };
    if (holder.type === 'delete_statement') return { node: holder, key, removal: true };
    return holder.type === 'augmented_assignment' || holder.type === 'pattern_list' ? undefined : { node: parent, key, removal: false, lookup: true };
  }
  const call = parent.parent;
  const method = field(parent, 'attribute')?.text;
  if (parent.type !== 'attribute' || field(parent, 'object')?.id !== reference.id || (method !== 'pop' && method !== 'get') || call?.type !== 'call') return undefined;
  const key = namedChildren(field(call, 'arguments') ?? call)[0];
  return key ? { node: call, key, removal: method === 'pop', lookup: method === 'get' } : undefined;
}

/** The statement an exit is, when it stands on its own lines: where the removal goes. */
function standingStatement(context: RuleContext, exit: Node): Node | undefined {
  const statement = statementOf(exit);
  return statement && standsAlone(statement, context.source) ? statement : undefined;
}
