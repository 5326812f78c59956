// An entry table whose removals all belong to other stores (Python): a long-lived dict gets an
// entry per call under a key made from that call, and the file does remove entries by key, but
// every removal sits in a function that first stored under that same key itself (a wait that
// puts a slot in and takes it out before returning). Such a removal ends its own function's
// entry only; the other storing function's entries have no removal anywhere, so the table keeps
// one per call (xmpppy's SendAndCallForResponse beside SendAndWaitForResponse). And a function
// that does take its own entry out, but has a `return` or `raise` between the store and the
// removal that nothing on its way removes the entry for (a timeout, a disconnect): every call
// that ends there leaves its entry behind.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren, normalizeRef } from '../syntax';
import { escapeRegExp, insertLinesBefore } from '../text';
import { CodeFix } from '../types';
import { assignmentCount, calledWith, Container, declarationCount, escapes, isKeyFromOutside, isPythonDict, isRepeatedUse, lengthChecked, longLivedContainers, outlivesCalls } from './containers';
import { fixesFor } from './unbounded-cache';
import { enclosingFunction, functionName, standsAlone, statementOf } from './syntax';

/** One store into the table or one removal from it, with the key it names. */
interface KeyedUse {
  node: Node;
  /** The key's text without whitespace, to compare uses by. */
  key: string;
  keyNode: Node;
  fn: Node | undefined;
}

interface TableUses {
  stores: KeyedUse[];
  removals: KeyedUse[];
}

export function unpairedStores(context: RuleContext): Detection[] {
  const containers = longLivedContainers(context, isPythonDict);
  const detections: Detection[] = [];
  for (const container of containers) {
    // Cheap text tests first: only a table with a keyed removal and no wipe is read as a tree.
    if (!removesByKey(context, container) || isWipedOrShared(context, container, declarationCount(containers, container))) continue;
    if (!outlivesCalls(context, container)) continue;
    detections.push(...exitsPastRemoval(context, container));
    const store = firstUnpairedStore(context, container);
    if (!store) continue;
    const owners = [...new Set(usesOf(context, container).removals.map((removal) => (removal.fn ? functionName(removal.fn) : 'module code')))].join(', ');
    detections.push({
      anchor: store.node,
      scope: context.root,
      message: `\`${container.access[0] ?? container.name}\` gets an entry per call here, but it is only removed by key in ${owners}, which removes the entry it stored itself; nothing removes this one, so the table keeps one per call.`,
      fixes: fixesFor(context, container, store.node),
    });
  }
  return detections;
}

function removesByKey(context: RuleContext, container: Container): boolean {
  const names = context.index.names;
  return calledWith(names, container, 'pop') || names.anyAround(container.name, container.scope, /\bdel\s+(?:\w+\s*\.\s*)*$/, /\s*\[/);
}

/** Emptied, replaced, trimmed by size or handed to other code: entries may leave another way. */
function isWipedOrShared(context: RuleContext, container: Container, declarations: number): boolean {
  const names = context.index.names;
  return calledWith(names, container, 'clear|popitem|__delitem__') || lengthChecked(names, container) || assignmentCount(names, container) > declarations || escapes(names, container);
}

/**
 * A store outside the initialiser, under a key from the call, in a function that removes no
 * entry under that key itself, when every removal of the file is paired with its own store.
 */
function firstUnpairedStore(context: RuleContext, container: Container): KeyedUse | undefined {
  const { stores, removals } = usesOf(context, container);
  if (removals.length === 0 || !removals.every((removal) => isPaired(removal, stores))) return undefined;
  return stores.find(
    (store) =>
      isRepeatedUse(container, store.node) &&
      !removals.some((removal) => sameFunction(removal.fn, store.fn) && removal.key === store.key) &&
      !updatesPresentKey(container, store) &&
      isKeyFromOutside(context, container, store.node),
  );
}

/** Under `if key in table:` the store replaces an entry some other store made: nothing new. */
function updatesPresentKey(container: Container, store: KeyedUse): boolean {
  const present = new RegExp(`(?:^|[^\\w.])${escapeRegExp(store.key)}\\s+in\\s+(?:\\w+\\s*\\.\\s*)*${escapeRegExp(container.name)}\\b`);
  for (let node = store.node.parent; node && node.id !== store.fn?.id; node = node.parent) {
    const condition = node.type === 'if_statement' ? field(node, 'condition') : undefined;
    if (condition && present.test(condition.text)) return true;
  }
  return false;
}

/**
 * The removing function stored under the same key earlier on the same path (the removal follows
 * the store in the block that holds it): it takes out its own entry. A removal in an `except` or
 * `else` beside the store ends an entry someone else made.
 */
function isPaired(removal: KeyedUse, stores: readonly KeyedUse[]): boolean {
  return removal.fn !== undefined && stores.some((store) => sameFunction(store.fn, removal.fn) && store.key === removal.key && precedesOnPath(store.node, removal.node));
}

/** `later` comes after `first` in the block that holds `first`'s statement: what runs `first` goes on to it unless it leaves. */
function precedesOnPath(first: Node, later: Node): boolean {
  const block = statementOf(first)?.parent;
  return block !== null && block !== undefined && first.startIndex < later.startIndex && later.endIndex <= block.endIndex;
}

function sameFunction(a: Node | undefined, b: Node | undefined): boolean {
  return a !== undefined && b !== undefined && a.id === b.id;
}

/** Every `table[k] = v`, `del table[k]` and `table.pop(k)` in the container's scope, through any receiver. */
function usesOf(context: RuleContext, container: Container): TableUses {
  const known = context.memo('python.unpairedStoreUses', () => new Map<number, TableUses>());
  let uses = known.get(container.declaration.id);
  if (!uses) known.set(container.declaration.id, (uses = readUses(context, container)));
  return uses;
}

function readUses(context: RuleContext, container: Container): TableUses {
  const uses: TableUses = { stores: [], removals: [] };
  const scope = container.scope;
  for (const start of context.index.names.within(container.name, scope?.startIndex, scope?.endIndex)) {
    const name = context.root.descendantForIndex(start, start + container.name.length);
    if (!name) continue;
    const reference = name.parent?.type === 'attribute' && field(name.parent, 'attribute')?.id === name.id ? name.parent : name;
    const use = keyedUse(reference);
    if (use) (use.removal ? uses.removals : uses.stores).push({ node: use.node, key: normalizeRef(use.key.text), keyNode: use.key, fn: enclosingFunction(use.node) });
  }
  return uses;
}

function keyedUse(reference: Node): { node: Node; key: Node; removal: boolean } | undefined {
  const parent = reference.parent;
  if (!parent) return undefined;
  if (parent.type === 'subscript' && field(parent, 'value')?.id === reference.id) {
    const key = field(parent, 'subscript');
    const holder = parent.parent;
    if (!key || !holder) return undefined;
    if (holder.type === 'assignment' && field(holder, 'left')?.id === parent.id) return { node: holder, key, removal: false };
    if (holder.type === 'delete_statement') return { node: holder, key, removal: true };
    return undefined;
  }
  const call = parent.parent;
  if (parent.type !== 'attribute' || field(parent, 'object')?.id !== reference.id || field(parent, 'attribute')?.text !== 'pop' || call?.type !== 'call') return undefined;
  const key = namedChildren(field(call, 'arguments') ?? call)[0];
  return key ? { node: call, key, removal: true } : undefined;
}

const EXITS = ['return_statement', 'raise_statement'];

/**
 * Stores whose own function removes the entry further down, but leaves before that on some path
 * (`return None` on a timeout) with no removal of that key on the way or in a `finally` around it.
 */
function exitsPastRemoval(context: RuleContext, container: Container): Detection[] {
  const { stores, removals } = usesOf(context, container);
  const detections: Detection[] = [];
  for (const store of stores) {
    const removal = removals.find((candidate) => sameFunction(candidate.fn, store.fn) && candidate.key === store.key && precedesOnPath(store.node, candidate.node));
    if (!removal || !store.fn || !isRepeatedUse(container, store.node)) continue;
    const exits = exitsBetween(store.fn, store.node, removal.node).filter((exit) => !removedBefore(exit, store, removals));
    if (exits.length === 0 || !isKeyFromOutside(context, container, store.node)) continue;
    const ref = container.access[0] ?? container.name;
    const lines = exits.map((exit) => exit.startPosition.row + 1).join(', ');
    const fix = popBeforeExits(context, ref, store.keyNode.text, exits);
    detections.push({
      anchor: store.node,
      scope: context.root,
      message: `\`${ref}\` gets an entry here that this function removes at line ${removal.node.startPosition.row + 1}, but it can leave first (line ${lines}) without removing it, so every call that ends there keeps its entry.`,
      fixes: fix ? [fix] : fixesFor(context, container, store.node),
    });
  }
  return detections;
}

/** `return` and `raise` of the function itself (not of a nested one) after the store and before the removal. */
function exitsBetween(fn: Node, store: Node, removal: Node): Node[] {
  return (field(fn, 'body')?.descendantsOfType(EXITS) ?? []).filter(
    (exit): exit is Node => exit !== null && exit.startIndex > store.endIndex && exit.startIndex < removal.startIndex && enclosingFunction(exit)?.id === fn.id,
  );
}

/** A removal of the same key runs on the exit's way out: before it on its path, or in a `finally` around it. */
function removedBefore(exit: Node, store: KeyedUse, removals: readonly KeyedUse[]): boolean {
  const own = removals.filter((removal) => sameFunction(removal.fn, store.fn) && removal.key === store.key);
  if (own.some((removal) => removal.node.startIndex > store.node.endIndex && precedesOnPath(removal.node, exit))) return true;
  for (let node = exit.parent; node && node.id !== store.fn?.id; node = node.parent) {
    const cleanup = node.type === 'try_statement' ? namedChildren(node).find((child) => child.type === 'finally_clause') : undefined;
    if (cleanup && own.some((removal) => removal.node.startIndex >= cleanup.startIndex && removal.node.endIndex <= cleanup.endIndex)) return true;
  }
  return false;
}

/** `table.pop(key, None)` before each early exit, when each stands on its own lines. */
function popBeforeExits(context: RuleContext, ref: string, key: string, exits: readonly Node[]): CodeFix | undefined {
  const statements = exits.map(statementOf);
  if (statements.some((statement) => !statement || !standsAlone(statement, context.source))) return undefined;
  return {
    title: `Remove the entry from ${ref} before leaving early`,
    isPreferred: true,
    edits: (statements as Node[]).map((statement) => insertLinesBefore(context.source, statement.startPosition.row, context.source.indentOf(statement.startPosition.row), [`${ref}.pop(${key}, None)`])),
  };
}
