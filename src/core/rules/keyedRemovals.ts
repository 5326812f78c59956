// Which stores into a keyed table a removal of the file can end (Python dicts, JS Maps and
// objects). A removal by key that sits in the function that stored under that same key earlier
// on the same path ends that function's own entry (a blocking call puts its slot in and takes it
// out before returning); it says nothing about entries other functions store. So when every
// removal of a table is of that kind, another function's store under a key made per call has no
// removal anywhere. And a function that does take its own entry out, but can `return` or throw
// between the store and the removal with no removal of that key on the way or in a `finally`
// around it (a timeout, a disconnect), leaves its entry behind on that path.
//
// Settled without removal (issue 13, session 31): where a function removes the entry by key beside
// settling it (`request.done(…)`, `p.resolve(…)`, `fut.set_result(…)` on the entry it looked up or
// popped by that key), settling is where the entry's life ends. A path that settles the same entry
// (the same method, or its other outcome: `reject` for `resolve`, `set_exception` for
// `set_result`) and then leaves with no removal of the key after it or in a `finally` around it
// keeps the entry: an error reply that returns early, a branch of an `if` the removal is not in, a
// timeout callback the storing call armed on the stored value. Not when the settle method is itself
// a function that removes (a shared `done()`), when a removal of the table runs in the storing
// function or in any callback it registers (`finally`, both outcomes), when the settling function
// is called by name from a function that removes, or in a loop (another turn may remove).
//
// Two more one-path removals of the same kind: a store whose own function removes it after an
// `await` outside any `try` (a rejected or cancelled wait leaves before the removal; a caller that
// removes, or a plain delay, keeps it silent), and a store whose every removal sits in a callback
// the storing function hands to `.then(…)` alone (it runs when the promise resolves; a rejected one
// keeps its entry; a `.catch`, `.finally` or second `.then` argument that removes keeps it silent).
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from './rule';
import { contains, field, methodCallOf, namedChildren, normalizeRef } from './syntax';
import { escapeRegExp, insertAt, insertLinesBefore, replaceRange } from './text';
import { CodeFix } from './types';

/** One store into the table or one removal from it, with the key it names. */
export interface KeyedUse {
  node: Node;
  /** The key's text without whitespace, to compare uses by. */
  key: string;
  keyNode: Node;
  /** The innermost function around the use (undefined at module level). */
  fn: Node | undefined;
}

export interface TableUses {
  stores: KeyedUse[];
  removals: KeyedUse[];
  /** Reads of an entry by key (`table.get(k)`, `table[k]`): where code takes hold of one. */
  lookups: KeyedUse[];
}

/** What the language's syntax tree calls the shapes the reading needs. */
export interface FlowShapes {
  /** Names the memo of each table's uses. */
  language: string;
  /** The expression a name occurrence refers to the table by: the attribute or member around a property name, else the name. */
  referenceOf(name: Node): Node;
  /** The store, removal or lookup (`lookup` set) a reference to the table is part of, and its key. */
  keyedUse(reference: Node): { node: Node; key: Node; removal: boolean; lookup?: boolean } | undefined;
  /** The name an expression's value is bound to (`const e = <expr>`, `e = <expr>`). */
  boundName(expression: Node): string | undefined;
  /** The value a store puts in (`v` of `table.set(k, v)` / `table[k] = v`). */
  storedValue(store: Node): Node | undefined;
  /** For a stored object literal, its members held in locals, by local name (`{ resolve, reject: fail }` gives resolve→resolve, fail→reject). */
  memberLocals(value: Node): Map<string, string>;
  /**
   * The callback a function is when it runs on one outcome only, and where a handler for the other
   * outcome goes: the sole argument of `.then(…)` (JS); undefined elsewhere (Python's done-callbacks run on both).
   */
  successOnly(fn: Node): Node | undefined;
  /** The node types of a call, and of loops (another turn of a loop may reach a removal). */
  callType: string;
  /** The node type of `await`: a rejected or cancelled wait leaves the function there. */
  awaitType: string;
  /** How the language writes `try … finally` around lines, its comment prefix and indent step, for the fix that moves a removal to a `finally`. */
  tryLines: { open: string; finally: string; close: string | undefined };
  comment: string;
  indent: string;
  loops: readonly string[];
  /** The condition of an `if` statement, if the node is one. */
  conditionOf(node: Node): Node | undefined;
  /** A function's name, to say where the removals are. */
  functionName(fn: Node): string;
  /** The statement (a direct child of a block) that holds a node. */
  statementOf(node: Node): Node | undefined;
  /** The innermost function around a node. */
  functionOf(node: Node): Node | undefined;
  /** `return`, `raise`/`throw` node types. */
  exits: readonly string[];
  /** The `finally` block of a try statement, if the node is one and has it. */
  finallyOf(node: Node): Node | undefined;
  /** The call a statement is (`recv.m(a, b)`, awaited or not): its callee's text without whitespace and its arguments. */
  callOf(statement: Node): { callee: string; args: Node[] } | undefined;
}

/** A store with an exit path that skips its own removal. */
export interface EarlyExit {
  store: KeyedUse;
  removal: KeyedUse;
  exits: Node[];
}

/**
 * The stores no removal of the file can end: every removal takes out its own function's earlier
 * store, and the store is in another function (or under another key). Empty when any removal
 * could serve other stores, or there is none.
 */
function unpairedStores(uses: TableUses, shapes: FlowShapes): KeyedUse[] {
  const { stores, removals } = uses;
  if (removals.length === 0 || !removals.every((removal) => ownStoreOf(removal, stores, shapes))) return [];
  return stores.filter((store) => !removals.some((removal) => sameFunction(removal.fn, store.fn) && removal.key === store.key));
}

/** The store the removal ends: its function stored under the same key earlier on the same path. */
function ownStoreOf(removal: KeyedUse, stores: readonly KeyedUse[], shapes: FlowShapes): KeyedUse | undefined {
  if (!removal.fn) return undefined;
  return stores.find((store) => sameFunction(store.fn, removal.fn) && store.key === removal.key && precedesOnPath(store.node, removal.node, shapes));
}

/** Stores whose own function removes the entry further down but can leave before, with nothing removing it on the way. */
function earlyExits(uses: TableUses, shapes: FlowShapes): EarlyExit[] {
  const found: EarlyExit[] = [];
  for (const store of uses.stores) {
    const removal = uses.removals.find((candidate) => sameFunction(candidate.fn, store.fn) && candidate.key === store.key && precedesOnPath(store.node, candidate.node, shapes));
    if (!removal || !store.fn) continue;
    const waits = rejectedAwaits(store.fn, store.node, removal.node, shapes);
    const awaits = waits.length > 0 && !calledByRemover(store.node, removersOf(uses), shapes) ? waits : [];
    const exits = [...exitsBetween(store.fn, store.node, removal.node, shapes), ...awaits].filter((exit) => !removedOnTheWay(exit, store, uses.removals, shapes));
    if (exits.length > 0) found.push({ store, removal, exits });
  }
  return found;
}

/**
 * `later` comes after `first` in the block that holds `first`'s statement: what runs `first`
 * goes on to it unless it leaves. A removal in an `except`/`catch` or `else` beside the store ends
 * an entry someone else made.
 */
function precedesOnPath(first: Node, later: Node, shapes: FlowShapes): boolean {
  const block = shapes.statementOf(first)?.parent;
  return block !== null && block !== undefined && first.startIndex < later.startIndex && later.endIndex <= block.endIndex;
}

/** The function's own exits (not a nested function's) after the store and before the removal. */
function exitsBetween(fn: Node, store: Node, removal: Node, shapes: FlowShapes): Node[] {
  return fn.descendantsOfType([...shapes.exits]).filter(
    (exit): exit is Node => exit !== null && exit.startIndex > store.endIndex && exit.startIndex < removal.startIndex && shapes.functionOf(exit)?.id === fn.id,
  );
}

/**
 * Waits after the store and before the removal outside any `try` of the function: a rejected
 * promise (JS) or a raised or cancelled wait (Python) leaves there, past the removal. A `try`
 * around the wait may catch it, so that one is not counted; nor a plain delay, which does not fail.
 */
function rejectedAwaits(fn: Node, store: Node, removal: Node, shapes: FlowShapes): Node[] {
  return fn.descendantsOfType(shapes.awaitType).filter(
    (wait): wait is Node =>
      wait !== null &&
      wait.startIndex > store.endIndex &&
      wait.startIndex < removal.startIndex &&
      shapes.functionOf(wait)?.id === fn.id &&
      !PLAIN_DELAY.test(wait.text) &&
      !insideTry(wait, fn),
  );
}

/** A wait that only lets time pass (JS's promisified timers; Python's sleep can be cancelled, but a cancelled task is ending anyway). */
const PLAIN_DELAY = /^await\s+(?:[\w$.]+\.)?(?:sleep|delay|setTimeout|setImmediate|nextTick)\s*\(/;

function insideTry(node: Node, fn: Node): boolean {
  for (let at = node.parent; at && at.id !== fn.id; at = at.parent) if (at.type === 'try_statement') return true;
  return false;
}

function removersOf(uses: TableUses): Node[] {
  return uses.removals.map((removal) => removal.fn).filter((fn): fn is Node => fn !== undefined);
}

/** A removal of the same key runs on the exit's way out: before it on its path, or in a `finally` around it. */
function removedOnTheWay(exit: Node, store: KeyedUse, removals: readonly KeyedUse[], shapes: FlowShapes): boolean {
  const own = removals.filter((removal) => sameFunction(removal.fn, store.fn) && removal.key === store.key);
  if (own.some((removal) => removal.node.startIndex > store.node.endIndex && precedesOnPath(removal.node, exit, shapes))) return true;
  for (let node = exit.parent; node && node.id !== store.fn?.id; node = node.parent) {
    const cleanup = shapes.finallyOf(node);
    if (cleanup && own.some((removal) => removal.node.startIndex >= cleanup.startIndex && removal.node.endIndex <= cleanup.endIndex)) return true;
  }
  return false;
}

function sameFunction(a: Node | undefined, b: Node | undefined): boolean {
  return a !== undefined && b !== undefined && a.id === b.id;
}

/** A long-lived table as the language's rules found it. */
export interface KeyedTable {
  name: string;
  /** How code refers to it, for messages and fixes. */
  ref: string;
  /** Where code reaches it by name; undefined for the whole file. */
  scope: Node | undefined;
  /** The node that makes it, to remember its uses by. */
  made: Node;
  /** Whether a name occurrence (by offset) may be this table, when another class binds the same name (containerOwners.ts). */
  reaches?: (start: number) => boolean;
}

/** What the language's rules judge and offer. */
export interface TablePolicy {
  /** A store that runs per call (not set-up) under a key from the call. */
  perCall(store: Node): boolean;
  /** The condition says the key is in the table already (`key in table`, `table.has(key)`). */
  checksPresence(condition: string, key: string): boolean;
  /** The removal put before each early exit, if the exits allow it. */
  removeBeforeExits(store: KeyedUse, exits: readonly Node[]): CodeFix[] | undefined;
  /** Eviction past a cap after the store. */
  evict(store: Node): CodeFix[];
}

export function keyedRemovalFindings(context: RuleContext, table: KeyedTable, shapes: FlowShapes, policy: TablePolicy): Detection[] {
  const uses = tableUses(context, table, shapes);
  const detections: Detection[] = [];
  for (const { store, removal, exits } of earlyExits(uses, shapes)) {
    if (!policy.perCall(store.node)) continue;
    const lines = exits.map((exit) => exit.startPosition.row + 1).join(', ');
    const waits = exits.some((exit) => exit.type === shapes.awaitType);
    detections.push({
      anchor: store.node,
      scope: context.root,
      message: `\`${table.ref}\` gets an entry here that this function removes at line ${removal.node.startPosition.row + 1}, but it can leave first (line ${lines}${waits ? ', where a failed wait leaves' : ''}) without removing it, so every call that ends there keeps its entry.`,
      fixes: (waits ? removeInFinally(context, store, removal, shapes) : policy.removeBeforeExits(store, exits)) ?? policy.evict(store.node),
    });
  }
  const settled = detections.length === 0 ? settledWithoutRemoval(uses, shapes, policy) : undefined;
  if (settled) detections.push(settledDetection(context, table, settled, shapes, policy));
  const resolvedOnly = detections.length === 0 ? removedOnSuccessOnly(uses, shapes, policy) : undefined;
  if (resolvedOnly) detections.push(resolvedOnlyDetection(context, table, resolvedOnly));
  const teardown = detections.length === 0 ? bareTeardown(context, table, uses, shapes) : undefined;
  const torn = teardown && uses.stores.find((candidate) => candidate.key === teardown.removal.key && !updatesPresentKey(candidate, shapes, policy) && policy.perCall(candidate.node));
  if (teardown && torn && !detections.some((detection) => detection.anchor.id === torn.node.id)) {
    const callee = shapes.callOf(teardown.companion)?.callee ?? '';
    const remover = teardown.removal.fn ? shapes.functionName(teardown.removal.fn) || 'an unnamed function' : 'module code';
    const others = teardown.bare.map((call) => {
      const fn = shapes.functionOf(call);
      return `${fn ? shapes.functionName(fn) || 'an unnamed function' : 'module code'} (line ${call.startPosition.row + 1})`;
    });
    detections.push({
      anchor: torn.node,
      scope: context.root,
      message: `\`${table.ref}\` gets an entry per call here; ${remover} removes it beside \`${callee}(…)\` (line ${teardown.companion.startPosition.row + 1}), but ${others.join(', ')} ${others.length > 1 ? 'make' : 'makes'} that same call without removing the entry, so every key that ends there keeps it.`,
      fixes: policy.removeBeforeExits(torn, teardown.bare) ?? policy.evict(torn.node),
    });
  }
  if (settled) return detections;
  const store = unpairedStores(uses, shapes).find((candidate) => !updatesPresentKey(candidate, shapes, policy) && policy.perCall(candidate.node));
  if (!store) return detections;
  const owners = [...new Set(uses.removals.map((removal) => (removal.fn ? shapes.functionName(removal.fn) || 'an unnamed function' : 'module code')))].join(', ');
  detections.push({
    anchor: store.node,
    scope: context.root,
    message: `\`${table.ref}\` gets an entry per call here, but it is only removed by key in ${owners}, which removes the entry it stored itself; nothing removes this one, so the table keeps one per call.`,
    fixes: policy.evict(store.node),
  });
  return detections;
}

/**
 * The fix for an entry a failed wait leaves behind: the statements after the store, to the end of
 * its block, go into a `try` and the removal into its `finally`, so every way out removes it.
 * Undefined unless the store and the removal are statements of the same block on lines of their own.
 */
function removeInFinally(context: RuleContext, store: KeyedUse, removal: KeyedUse, shapes: FlowShapes): CodeFix[] | undefined {
  const { source } = context;
  const stored = shapes.statementOf(store.node);
  const removing = shapes.statementOf(removal.node);
  const first = stored?.nextNamedSibling;
  const block = stored?.parent;
  const last = block ? namedChildren(block).at(-1) : undefined;
  if (!stored || !removing || !first || !last || removing.parent?.id !== block?.id || removing.startPosition.row !== removing.endPosition.row) return undefined;
  const alone = (node: Node) => source.startsLine(node.startPosition.row, node.startPosition.column) && source.endsLine(node.endPosition.row, node.endPosition.column, shapes.comment);
  if (![stored, first, removing, last].every(alone)) return undefined;
  const indent = source.indentOf(first.startPosition.row);
  const step = source.indentUnit(shapes.indent);
  const body: string[] = [];
  for (let row = first.startPosition.row; row <= last.endPosition.row; row++) {
    if (row === removing.startPosition.row) continue;
    const line = source.lineText(row);
    body.push(line.trim() === '' ? '' : step + line);
  }
  const { open, finally: cleanup, close } = shapes.tryLines;
  const lines = [indent + open, ...body, indent + cleanup, indent + step + removing.text, ...(close ? [indent + close] : [])];
  const end = last.endPosition.row + 1 < source.lineCount ? { line: last.endPosition.row + 1, column: 0 } : source.lineEnd(last.endPosition.row);
  const tail = end.column === 0 ? source.eol : '';
  return [{ title: 'Remove the entry in a finally, so a failed wait removes it too', isPreferred: true, edits: [replaceRange({ line: first.startPosition.row, column: 0 }, end, lines.join(source.eol) + tail)] }];
}

/**
 * The preferred fix for an entry left behind by early exits: `removal` on a line of its own before
 * each exit's statement. Undefined when an exit has none that stands on its own lines (the language
 * part passes undefined for it), so the rule offers eviction instead.
 */
export function removeBeforeEach(context: RuleContext, ref: string, removal: string, statements: readonly (Node | undefined)[]): CodeFix[] | undefined {
  const placed = statements.filter((statement): statement is Node => statement !== undefined);
  if (placed.length < statements.length) return undefined;
  const { source } = context;
  return [
    {
      title: `Remove the entry from ${ref} before leaving early`,
      isPreferred: true,
      edits: placed.map((statement) => insertLinesBefore(source, statement.startPosition.row, source.indentOf(statement.startPosition.row), [removal])),
    },
  ];
}

/** Each entry is settled beside its removal in one place and settled elsewhere with no removal after. */
interface SettledWithoutRemoval {
  store: KeyedUse;
  /** A settle call made beside a removal of the entry, and that removal. */
  companion: Node;
  removal: KeyedUse;
  /** Settle calls of the same entry after which the code leaves without removing it, with the key the entry has there. */
  bare: { call: Node; key: Node }[];
}

/** A settle call on an entry and the key the entry was taken by. */
interface Settle {
  call: Node;
  method: string;
  key: KeyedUse;
}

/** The outcomes of one settling: a promise's `resolve`/`reject`, a future's `set_result`/`set_exception`/`cancel`, a deferred's `callback`/`errback`. */
const SETTLE_OUTCOMES: readonly (readonly string[])[] = [
  ['resolve', 'reject'],
  ['set_result', 'set_exception', 'cancel'],
  ['callback', 'errback'],
];

function outcomesOf(method: string): readonly string[] {
  return SETTLE_OUTCOMES.find((outcomes) => outcomes.includes(method)) ?? [method];
}

function settledWithoutRemoval(uses: TableUses, shapes: FlowShapes, policy: TablePolicy): SettledWithoutRemoval | undefined {
  // A removal in a loop may be a sweep that prunes whatever entries are done, settled or not.
  if (uses.removals.length === 0 || uses.stores.length === 0 || uses.removals.some((removal) => inLoop(removal, shapes))) return undefined;
  // A settle method that is itself a function removing the entry (a shared `done()`) removes it wherever it is called.
  const removing = new Set(uses.removals.flatMap((removal) => namesAround(removal.node, shapes)));
  // Companions first, from the functions that remove (most tables stop here); then every settle of an entry taken by key.
  const removerIds = new Set(uses.removals.map((removal) => removal.fn?.id));
  const calls = new Map<number, Node[]>();
  const companions = entrySettles([...uses.lookups, ...uses.removals].filter((taken) => removerIds.has(taken.fn?.id)), shapes, calls).filter(
    (settle) => !removing.has(settle.method) && removalBeside(settle, uses.removals, shapes),
  );
  const companion = companions[0];
  const removal = companion && removalBeside(companion, uses.removals, shapes);
  if (!companion || !removal) return undefined;
  const settles = entrySettles([...uses.lookups, ...uses.removals], shapes, calls);
  const methods = new Set(companions.flatMap((settle) => outcomesOf(settle.method)));
  const removers = removersOf(uses);
  const bare = [
    ...settles.filter((settle) => methods.has(settle.method) && leavesUnremoved(settle, uses, shapes) && !calledByRemover(settle.call, removers, shapes)),
    ...storedValueSettles(uses, shapes, methods),
  ];
  const store = uses.stores.find((candidate) => !updatesPresentKey(candidate, shapes, policy) && policy.perCall(candidate.node));
  if (!store || bare.length === 0) return undefined;
  bare.sort((a, b) => a.call.startIndex - b.call.startIndex);
  return { store, companion: companion.call, removal, bare: bare.map((settle) => ({ call: settle.call, key: settle.key.keyNode })) };
}

function inLoop(use: KeyedUse, shapes: FlowShapes): boolean {
  for (let node = use.node.parent; node && node.id !== use.fn?.id; node = node.parent) if (shapes.loops.includes(node.type)) return true;
  return false;
}

/** The call is a statement of its own (awaited or not), not a test in a condition (`fut.done()`) or a value used. */
function isCallStatement(call: Node): boolean {
  const holder = call.parent?.type === 'await' || call.parent?.type === 'await_expression' ? call.parent.parent : call.parent;
  return holder?.type === 'expression_statement';
}

/** The names of the functions around a node, innermost first. */
function namesAround(node: Node, shapes: FlowShapes): string[] {
  const names: string[] = [];
  for (let fn = shapes.functionOf(node); fn; fn = fn.parent ? shapes.functionOf(fn.parent) : undefined) names.push(shapes.functionName(fn));
  return names.filter((name) => name !== '');
}

/**
 * Method calls on an entry a function took by key (`e = table.get(k)`, `e = table.pop(k)`, `e = table[k]`),
 * made in that function itself after taking it.
 */
function entrySettles(taken: readonly KeyedUse[], shapes: FlowShapes, calls: Map<number, Node[]>): Settle[] {
  const found: Settle[] = [];
  for (const use of taken) {
    const entry = use.fn ? shapes.boundName(use.node) : undefined;
    if (!use.fn || !entry) continue;
    let inFunction = calls.get(use.fn.id);
    if (!inFunction) calls.set(use.fn.id, (inFunction = use.fn.descendantsOfType(shapes.callType).filter((call): call is Node => call !== null)));
    for (const call of inFunction) {
      const target = methodCallOf(call);
      if (target?.receiver === entry && isCallStatement(call) && call.startIndex > use.node.endIndex && shapes.functionOf(call)?.id === use.fn.id) found.push({ call, method: target.method, key: use });
    }
  }
  return found;
}

/** A removal of the settled entry's key in the same function on the settle call's path: just before it, or after it in its block. */
function removalBeside(settle: Settle, removals: readonly KeyedUse[], shapes: FlowShapes): KeyedUse | undefined {
  return removals.find(
    (removal) =>
      sameFunction(removal.fn, settle.key.fn) &&
      removal.key === settle.key.key &&
      (precedesOnPath(removal.node, settle.call, shapes) || precedesOnPath(settle.call, removal.node, shapes)),
  );
}

/**
 * No removal of the key ran before the settle call on its path, and none can run after it: each
 * statement after it (up to the function's end or an exit) holds none, nor a `finally` around it.
 * Inside a loop another turn may remove it, so that is not leaving.
 */
function leavesUnremoved(settle: Settle, uses: TableUses, shapes: FlowShapes): boolean {
  const fn = settle.key.fn!;
  const own = uses.removals.filter((removal) => sameFunction(removal.fn, fn));
  if (own.some((removal) => removal.key === settle.key.key && removal.node.startIndex < settle.call.startIndex && precedesOnPath(removal.node, settle.call, shapes))) return false;
  for (let node: Node | null = settle.call; node && node.id !== fn.id; node = node.parent) {
    if (shapes.loops.includes(node.type)) return false;
    const cleanup = shapes.finallyOf(node);
    if (cleanup && own.some((removal) => contains(cleanup, removal.node))) return false;
    if (shapes.statementOf(node)?.id !== node.id) continue;
    for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) {
      if (own.some((removal) => contains(next!, removal.node))) return false;
      if (shapes.exits.includes(next.type)) return true;
    }
  }
  return true;
}

/** The settling function is called by name from a function that removes entries: that caller may remove this one after it. */
function calledByRemover(call: Node, removers: readonly Node[], shapes: FlowShapes): boolean {
  const fn = shapes.functionOf(call);
  const name = fn ? shapes.functionName(fn) : '';
  return name !== '' && removers.some((remover) => remover.id !== fn?.id && callsAny(remover, [name]));
}

/**
 * Settle calls on the stored value in callbacks the storing function arms (a timeout that rejects
 * the pending request), when nothing in the storing function, callbacks included, removes an entry.
 */
function storedValueSettles(uses: TableUses, shapes: FlowShapes, methods: ReadonlySet<string>): Settle[] {
  const found: Settle[] = [];
  for (const store of uses.stores) {
    const value = shapes.storedValue(store.node);
    const fn = store.fn;
    // A removal anywhere in the outermost function around the store (a `.finally` on the promise the executor made) may end the entry.
    const outermost = fn && outermostFunction(fn, shapes);
    if (!fn || !value || !outermost || uses.removals.some((removal) => contains(outermost, removal.node))) continue;
    // The value by name (`request.done(err)`), or a member of a stored literal through its local (`reject(err)` for `{ resolve, reject }`).
    const locals = value.type === 'identifier' ? new Map<string, string>() : shapes.memberLocals(value);
    for (const call of fn.descendantsOfType(shapes.callType)) {
      const target = call ? methodCallOf(call) : undefined;
      const method = target?.receiver === '' ? locals.get(target.method) : target?.receiver === value.text ? target.method : undefined;
      if (call && method && methods.has(method) && isCallStatement(call) && shapes.functionOf(call)?.id !== fn.id) found.push({ call, method, key: store });
    }
  }
  return found;
}

function outermostFunction(fn: Node, shapes: FlowShapes): Node {
  let outer = fn;
  for (let next = fn.parent ? shapes.functionOf(fn.parent) : undefined; next; next = next.parent ? shapes.functionOf(next.parent) : undefined) outer = next;
  return outer;
}

function settledDetection(context: RuleContext, table: KeyedTable, settled: SettledWithoutRemoval, shapes: FlowShapes, policy: TablePolicy): Detection {
  const remover = settled.removal.fn ? shapes.functionName(settled.removal.fn) || 'an unnamed function' : 'module code';
  const lines = settled.bare.map(({ call }) => call.startPosition.row + 1).join(', ');
  return {
    anchor: settled.store.node,
    scope: context.root,
    message: `\`${table.ref}\` gets an entry per call here; ${remover} removes it where it settles it (line ${settled.removal.node.startPosition.row + 1}), but it is also settled at line ${lines} and the code leaves there without removing it, so every call that ends that way keeps its entry.`,
    fixes: removeBeforeSettles(settled, shapes, policy) ?? policy.evict(settled.store.node),
  };
}

/** The removal, under the key the entry has at each bare settle, on a line before it: one fix with every edit. */
function removeBeforeSettles(settled: SettledWithoutRemoval, shapes: FlowShapes, policy: TablePolicy): CodeFix[] | undefined {
  const fixes = settled.bare.map(({ call, key }) => policy.removeBeforeExits({ ...settled.store, keyNode: key }, [shapes.statementOf(call) ?? call])?.[0]);
  const first = fixes[0];
  if (!first || fixes.some((fix) => fix === undefined)) return undefined;
  return [{ ...first, title: first.title.replace('before leaving early', 'where it is settled without removal'), edits: fixes.flatMap((fix) => fix!.edits) }];
}

/** A store whose every removal is in a callback of the storing call that runs when a promise resolves, never when it rejects. */
interface ResolvedOnly {
  store: KeyedUse;
  removal: KeyedUse;
  /** The `.then` callbacks the removals are in. */
  callbacks: Node[];
}

/**
 * Removed only when a promise resolves: every removal of the table is of the store's key, inside a
 * callback the storing function hands to `.then(…)` alone; a rejected promise runs none of them, so
 * its entry stays. A removal anywhere else (a `.catch`, a `.finally`, another function) may be the
 * other path, so then there is no finding.
 */
function removedOnSuccessOnly(uses: TableUses, shapes: FlowShapes, policy: TablePolicy): ResolvedOnly | undefined {
  const store = uses.stores.find((candidate) => candidate.fn && !updatesPresentKey(candidate, shapes, policy) && policy.perCall(candidate.node));
  if (!store?.fn || uses.removals.length === 0) return undefined;
  const callbacks: Node[] = [];
  for (const removal of uses.removals) {
    const callback = removal.fn && removal.key === store.key && contains(store.fn, removal.fn) ? shapes.successOnly(removal.fn) : undefined;
    if (!callback) return undefined;
    if (!callbacks.some((known) => known.id === callback.id)) callbacks.push(callback);
  }
  return { store, removal: uses.removals[0]!, callbacks };
}

function resolvedOnlyDetection(context: RuleContext, table: KeyedTable, found: ResolvedOnly): Detection {
  const removal = found.removal.node.text;
  return {
    anchor: found.store.node,
    scope: context.root,
    message: `\`${table.ref}\` gets an entry per call here, removed only in the \`.then\` callback at line ${found.removal.node.startPosition.row + 1}, which runs when the promise resolves; when it rejects the entry stays, one per failed call.`,
    fixes: [
      {
        title: `Remove the entry from ${table.ref} when the promise rejects too`,
        isPreferred: true,
        edits: found.callbacks.map((callback) => {
          const indent = context.source.indentOf(callback.startPosition.row);
          const lines = [', (error) => {', `${indent}  ${removal};`, `${indent}  throw error;`, `${indent}}`];
          return insertAt({ line: callback.endPosition.row, column: callback.endPosition.column }, lines.join(context.source.eol));
        }),
      },
    ],
  };
}

/** A call that ends a key's life beside each of the table's removals, made in other functions without one. */
interface BareTeardown {
  removal: KeyedUse;
  /** The call statement next to the removal (or next to a statement holding it). */
  companion: Node;
  /** The same call on the same key, one per function that neither removes the entry nor stores it again after the call. */
  bare: Node[];
}

/**
 * Where every function that removes the entry does so right before or after the same call on the
 * key (`manager.disconnect(sid)` then `del environ[sid]`), that call ends the key's life; another
 * function that makes the call on the key and does not remove it (a connection rejected) leaves
 * the entry. A function that stores under the key again after the call (a re-arm) or calls a remover is not one.
 */
function bareTeardown(context: RuleContext, table: KeyedTable, uses: TableUses, shapes: FlowShapes): BareTeardown | undefined {
  const removers = new Map<number, Node[]>();
  for (const removal of uses.removals) {
    if (!removal.fn) return undefined;
    removers.set(removal.fn.id, [...(removers.get(removal.fn.id) ?? []), ...companionsOf(removal, removal.fn, shapes)]);
  }
  const calleesOf = (companions: readonly Node[]) => new Set(companions.map((companion) => shapes.callOf(companion)?.callee));
  const everywhere = [...removers.values()].map(calleesOf);
  const removerNames = uses.removals.map((removal) => (removal.fn ? shapes.functionName(removal.fn) : '')).filter((name) => name !== '');
  for (const removal of uses.removals) {
    for (const companion of companionsOf(removal, removal.fn!, shapes)) {
      if (!everywhere.every((callees) => callees.has(shapes.callOf(companion)?.callee))) continue;
      const bare = sameCallsElsewhere(context, table, companion, removal.key, uses, shapes).filter((statement) => !callsAny(shapes.functionOf(statement), removerNames));
      if (bare.length > 0) return { removal, companion, bare };
    }
  }
  return undefined;
}

/** Call statements on the removal's key right beside the removal's statement or a statement of its function that holds it. */
function companionsOf(removal: KeyedUse, fn: Node, shapes: FlowShapes): Node[] {
  const found: Node[] = [];
  for (let statement = shapes.statementOf(removal.node); statement && statement.id !== fn.id && contains(fn, statement); statement = statement.parent ? shapes.statementOf(statement.parent) : undefined) {
    for (const beside of [neighbour(statement, (node) => node.previousNamedSibling), neighbour(statement, (node) => node.nextNamedSibling)]) {
      if (beside && callsOnKey(shapes.callOf(beside), removal.key)) found.push(beside);
    }
  }
  return found;
}

function neighbour(statement: Node, step: (node: Node) => Node | null): Node | undefined {
  let node = step(statement);
  while (node?.type === 'comment') node = step(node);
  return node ?? undefined;
}

function callsOnKey(call: { callee: string; args: Node[] } | undefined, key: string): boolean {
  return call !== undefined && call.args.some((arg) => normalizeRef(arg.text) === key);
}

/** The companion's call on the key in functions that neither remove it nor store under it again after the call: the first such statement of each. */
function sameCallsElsewhere(context: RuleContext, table: KeyedTable, companion: Node, key: string, uses: TableUses, shapes: FlowShapes): Node[] {
  const callee = shapes.callOf(companion)?.callee ?? '';
  const method = callee.split('.').at(-1) ?? '';
  const found = new Map<number, Node>();
  for (const start of context.index.names.within(method, table.scope?.startIndex, table.scope?.endIndex)) {
    const name = context.root.descendantForIndex(start, start + method.length);
    const statement = name ? shapes.statementOf(name) : undefined;
    const call = statement ? shapes.callOf(statement) : undefined;
    const fn = statement ? shapes.functionOf(statement) : undefined;
    if (!statement || !fn || found.has(fn.id) || call?.callee !== callee || !callsOnKey(call, key)) continue;
    const removes = uses.removals.some((use) => sameFunction(use.fn, fn) && use.key === key);
    const restores = uses.stores.some((use) => sameFunction(use.fn, fn) && use.key === key && use.node.startIndex > statement.startIndex);
    if (!removes && !restores) found.set(fn.id, statement);
  }
  return [...found.values()];
}

/** The function calls one of `names` on itself or bare (`self.close(`, `close(`), not on another object. */
function callsAny(fn: Node | undefined, names: readonly string[]): boolean {
  if (!fn || names.length === 0) return false;
  return new RegExp(`(?:^|[^\\w.$]|\\b(?:self|this|cls)\\s*\\.\\s*)(?:${names.map(escapeRegExp).join('|')})\\s*\\(`).test(fn.text);
}

/** The call an expression statement is, awaited or not, in the language's node types (FlowShapes.callOf). */
export function callOf(statement: Node, statementType: string, awaitType: string, callType: string): { callee: string; args: Node[] } | undefined {
  if (statement.type !== statementType) return undefined;
  let call = statement.namedChild(0);
  if (call?.type === awaitType) call = call.namedChild(0);
  const callee = call?.type === callType ? field(call, 'function') : undefined;
  return call && callee ? { callee: normalizeRef(callee.text), args: namedChildren(field(call, 'arguments') ?? call) } : undefined;
}

/** Under `if key in table:` / `if (table.has(key))` the store replaces an entry some other store made: nothing new. */
function updatesPresentKey(store: KeyedUse, shapes: FlowShapes, policy: TablePolicy): boolean {
  for (let node = store.node.parent; node && node.id !== store.fn?.id; node = node.parent) {
    const condition = shapes.conditionOf(node);
    if (condition && policy.checksPresence(condition.text, store.key)) return true;
  }
  return false;
}

/** Every store and keyed removal of the table in its scope, through any receiver; read once per table. */
function tableUses(context: RuleContext, table: KeyedTable, shapes: FlowShapes): TableUses {
  const known = context.memo(`${shapes.language}.keyedTableUses`, () => new Map<number, TableUses>());
  let uses = known.get(table.made.id);
  if (!uses) known.set(table.made.id, (uses = readUses(context, table, shapes)));
  return uses;
}

function readUses(context: RuleContext, table: KeyedTable, shapes: FlowShapes): TableUses {
  const uses: TableUses = { stores: [], removals: [], lookups: [] };
  for (const start of context.index.names.within(table.name, table.scope?.startIndex, table.scope?.endIndex)) {
    if (table.reaches && !table.reaches(start)) continue;
    const name = context.root.descendantForIndex(start, start + table.name.length);
    const use = name ? shapes.keyedUse(shapes.referenceOf(name)) : undefined;
    // A lookup only matters bound to a name (`e = table.get(k)`): the entry settled later.
    if (use?.lookup && !shapes.boundName(use.node)) continue;
    if (use) (use.lookup ? uses.lookups : use.removal ? uses.removals : uses.stores).push({ node: use.node, key: normalizeRef(use.key.text), keyNode: use.key, fn: shapes.functionOf(use.node) });
  }
  return uses;
}
