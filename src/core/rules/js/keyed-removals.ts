// Keyed removals that cannot end a store (JS/TS): a Map or object filled per call under a key
// from the call, when every removal of the file takes out its own function's earlier entry, or
// when the storing function removes its entry but can `return`/`throw` first (keyedRemovals.ts
// says which stores those are; here: what a JS table, store and removal look like).
import type { Node } from 'web-tree-sitter';
import { callOf, FlowShapes, keyedRemovalFindings, removeBeforeEach } from '../keyedRemovals';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp } from '../text';
import { isEmptyObject, isJsKeyFromOutside, isNewMap, isRepeatedJsUse, JsContainer, jsAssignmentCount, jsCalledWith, jsContainers, jsDeletedFrom, jsDeclarationCount, jsEscapes, unwrapValue } from './containers';
import { fixesFor } from './unbounded-cache';
import { functionChain, functionNameOf, JS_INDENT, standsAlone, statementOf } from './syntax';

const JS_FLOW: FlowShapes = {
  language: 'js',
  statementOf,
  functionOf: (node) => functionChain(node)[0],
  functionName: functionNameOf,
  exits: ['return_statement', 'throw_statement'],
  finallyOf: (node) => (node.type === 'try_statement' ? field(node, 'finalizer') : undefined),
  conditionOf: (node) => (node.type === 'if_statement' ? field(node, 'condition') : undefined),
  referenceOf: (name) => (name.parent?.type === 'member_expression' && field(name.parent, 'property')?.id === name.id ? name.parent : name),
  keyedUse,
  callOf: (statement) => callOf(statement, 'expression_statement', 'await_expression', 'call_expression'),
  boundName,
  storedValue: (store) => (store.type === 'assignment_expression' ? field(store, 'right') : namedChildren(field(store, 'arguments') ?? store)[1]),
  memberLocals,
  awaitType: 'await_expression',
  tryLines: { open: 'try {', finally: '} finally {', close: '}' },
  comment: '//',
  indent: JS_INDENT,
  successOnly,
  callType: 'call_expression',
  loops: ['for_statement', 'for_in_statement', 'while_statement', 'do_statement'],
};

/** Wrappers an expression's value passes through unchanged on its way to a name. */
const JS_WRAPPERS = new Set(['await_expression', 'non_null_expression', 'parenthesized_expression', 'as_expression']);

/** `const e = <expr>` / `e = <expr>`: `e`. */
function boundName(expression: Node): string | undefined {
  let value = expression;
  while (value.parent && JS_WRAPPERS.has(value.parent.type)) value = value.parent;
  const holder = value.parent;
  const [target, source] = holder?.type === 'variable_declarator' ? [field(holder, 'name'), field(holder, 'value')] : holder?.type === 'assignment_expression' ? [field(holder, 'left'), field(holder, 'right')] : [];
  return target?.type === 'identifier' && source?.id === value.id ? target.text : undefined;
}

/** The function is the sole argument of `.then(…)`: it runs when the promise resolves only. */
function successOnly(fn: Node): Node | undefined {
  const args = fn.parent;
  const call = args?.parent;
  const callee = call?.type === 'call_expression' ? field(call, 'function') : undefined;
  return args?.type === 'arguments' && namedChildren(args).length === 1 && callee?.type === 'member_expression' && field(callee, 'property')?.text === 'then' ? fn : undefined;
}

/** `{ resolve, reject: fail }`: resolve→resolve, fail→reject. */
function memberLocals(value: Node): Map<string, string> {
  const locals = new Map<string, string>();
  if (value.type !== 'object') return locals;
  for (const member of namedChildren(value)) {
    if (member.type === 'shorthand_property_identifier') locals.set(member.text, member.text);
    const local = member.type === 'pair' ? field(member, 'value') : undefined;
    const key = member.type === 'pair' ? field(member, 'key') : undefined;
    if (local?.type === 'identifier' && key) locals.set(local.text, key.text);
  }
  return locals;
}

export function jsKeyedRemovalDetections(context: RuleContext): Detection[] {
  const containers = jsContainers(context, (value) => isNewMap(value) || isEmptyObject(value));
  return containers.flatMap((container) => {
    // Cheap text tests first: only a table with a keyed removal and no wipe is read as a tree.
    if (!removesByKey(context, container) || isWipedOrShared(context, container, jsDeclarationCount(context.index.names, containers, container))) return [];
    const ref = container.access[0] ?? container.name;
    const isMap = isNewMap(unwrapValue(container.value));
    return keyedRemovalFindings(context, { name: container.name, ref, scope: container.scope, made: container.value, reaches: container.reaches }, JS_FLOW, {
      perCall: (store) => isRepeatedJsUse(container, store) && isJsKeyFromOutside(context, store),
      checksPresence: (condition, key) => checksPresence(container.name, condition, key),
      removeBeforeExits: (store, exits) =>
        removeBeforeEach(context, ref, isMap ? `${ref}.delete(${store.keyNode.text});` : `delete ${ref}[${store.keyNode.text}];`, exits.map((exit) => standingExit(context, exit))),
      evict: (store) => fixesFor(context, container, store),
    });
  });
}

function removesByKey(context: RuleContext, container: JsContainer): boolean {
  const names = context.index.names;
  return jsCalledWith(names, container, 'delete') || jsDeletedFrom(names, container);
}

/** Emptied, replaced, trimmed by size or handed to other code: entries may leave another way. */
function isWipedOrShared(context: RuleContext, container: JsContainer, declarations: number): boolean {
  const names = context.index.names;
  return (
    jsCalledWith(names, container, 'clear') ||
    names.anyFollowedBy(container.name, container.scope, /\s*\.\s*size\b/) ||
    names.anyAround(container.name, container.scope, /Object\s*\.\s*(?:keys|values|entries)\s*\(\s*(?:[\w$]+\s*\.\s*)*$/, /\s*\)\s*\.\s*length/) ||
    jsAssignmentCount(names, container) > declarations ||
    jsEscapes(names, container)
  );
}

/** `table.has(key)` or `key in table`. */
function checksPresence(table: string, condition: string, key: string): boolean {
  const name = escapeRegExp(table);
  const written = escapeRegExp(key);
  return new RegExp(`\\b${name}\\s*\\.\\s*has\\s*\\(\\s*${written}\\s*\\)|(?:^|[^\\w$.])${written}\\s+in\\s+(?:[\\w$]+\\s*\\.\\s*)*${name}\\b`).test(condition);
}

/** `m.set(k, v)`, `o[k] = v`, `m.delete(k)`, `delete o[k]`; lookups `m.get(k)`, `o[k]`. */
function keyedUse(reference: Node): { node: Node; key: Node; removal: boolean; lookup?: boolean } | undefined {
  const parent = reference.parent;
  if (!parent) return undefined;
  if (parent.type === 'subscript_expression' && field(parent, 'object')?.id === reference.id) {
    const key = field(parent, 'index');
    const holder = parent.parent;
    if (!key || !holder) return undefined;
    if (holder.type === 'assignment_expression' && field(holder, 'left')?.id === parent.id) return { node: holder, key, removal: false };
    if (holder.type === 'unary_expression' && holder.child(0)?.type === 'delete') return { node: holder, key, removal: true };
    return holder.type === 'assignment_expression' || holder.type === 'augmented_assignment_expression' ? undefined : { node: parent, key, removal: false, lookup: true };
  }
  const call = parent.parent;
  const method = field(parent, 'property')?.text;
  if (parent.type !== 'member_expression' || field(parent, 'object')?.id !== reference.id || (method !== 'set' && method !== 'delete' && method !== 'get') || call?.type !== 'call_expression') return undefined;
  const key = namedChildren(field(call, 'arguments') ?? call)[0];
  return key ? { node: call, key, removal: method === 'delete', lookup: method === 'get' } : undefined;
}

/** An exit's own statement, when it is one of its block on its own lines: where the removal goes. */
function standingExit(context: RuleContext, exit: Node): Node | undefined {
  return statementOf(exit)?.id === exit.id && standsAlone(exit, context.source) ? exit : undefined;
}
