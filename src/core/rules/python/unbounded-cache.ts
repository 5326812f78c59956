// unbounded-cache (Python): a long-lived dict named like a cache, stored into on every call,
// that nothing in the file ever evicts from; and a library memoizer with no size limit on a
// function whose arguments are open-ended (memoizers.ts).
import type { Node } from 'web-tree-sitter';
import { isCacheName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { reachesUse } from '../containerOwners';
import { Detection, Rule, RuleContext } from '../rule';
import { field, groupBy, methodReceiver, namedChildren, nodeRange, normalizeRef, pickUse, usesOf } from '../syntax';
import { indentUnitFor } from '../fixes';
import { CodeFix } from '../types';
import { escapeRegExp } from '../text';
import { assignmentCount, boundsRunAsOften, calledWith, Container, declarationCount, isDefaultDict, deletedFrom, escapes, evictedPerEntry, isKeyedByArguments, isKeyFromOutside, outlivesCalls, isPythonDict, registersInstance, isRepeatedUse, lengthChecked, longLivedContainers, methodsOf } from './containers';
import { memoizedFunctionDetections } from './memoizers';
import { consumedWhereKept, isKeyedByFreshValue } from './pending-work';
import { addImports, classOfMethod, enclosingFunction, functionName, insertAfterStatement, parameterNames, standsAlone, statementOf } from './syntax';

const SETDEFAULT = new Set(['setdefault']);
const LIST_GROWTH = new Set(['append', 'extend', 'add', 'update']);

const CAP = 1000;

export const pythonUnboundedCache: Rule = {
  id: 'unbounded-cache',
  family: 'python',
  collect: ['assignment', 'call', 'class_definition', 'decorator', 'subscript'],
  detect(context) {
    const containers = longLivedContainers(context, isPythonDict);
    const dicts = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedStore(context, container),
      isNamedForIt: isCacheName,
      growsUnboundedAt: (container, store) => outlivesCalls(context, container) && isKeyFromOutside(context, container, store),
      isBounded: (container) => isEvicted(context, container, declarationCount(containers, container)),
      message: (ref) => `\`${ref}\` is stored into on every call and nothing evicts from it, so it keeps every key it has ever seen.`,
      fixes: (container, store) => fixesFor(context, container, store),
    });
    return [...dicts, ...memoizedFunctionDetections(context)];
  },
};

/**
 * Dicts not named as caches that gain an entry per distinct argument of a request handler, per
 * instance made (`_registry[id(self)] = self` in `__init__`), or per value of a counter the code
 * increments: reported by unbounded-collection.
 */
export function keyedDictDetections(context: RuleContext): Detection[] {
  const containers = longLivedContainers(context, isPythonDict).filter((container) => !isCacheName(container.name));
  // A line a probe saw growing is reported once, by unbounded-cache: no evidence here.
  return detectGrowingContainers({ ...context, evidenceLines: new Set() }, containers, {
    firstGrowth: (container) => firstRepeatedStore(context, container),
    isNamedForIt: () => false,
    isKeyedByCallData: (container, growth) => isKeyedByArguments(context, container, growth) || registersInstance(container, growth) || isKeyedByFreshValue(context, container, growth),
    isBounded: (container) => {
      const growth = firstRepeatedStore(context, container);
      const names = context.index.names;
      // Handed to other code (a worker thread's `pending=self._items`), its entries may be taken out there.
      if (growth && isKeyedByFreshValue(context, container, growth)) {
        // Used up where it is kept: a pop elsewhere (a cancel) does not bound the work that completes.
        const perEntry = consumedWhereKept(context, container, growth) ? lengthChecked(names, container) : evictedPerEntry(names, container);
        return perEntry || escapes(names, container);
      }
      return isEvicted(context, container, declarationCount(containers, container)) && !onlyFinalizerEvicts(context, container);
    },
    message: (ref) => `\`${ref}\` gains an entry for every new key (each request, counter value or instance) and nothing removes them one by one, so it grows for as long as the process runs.`,
    fixes: (container, store) => popWhereConsumedFix(context, container, store) ?? fixesFor(context, container, store),
  });
}

/** Take the entry out right after the statement that reads it to use it (`self._pending.pop(message["id"], None)`). */
function popWhereConsumedFix(context: RuleContext, container: Container, store: Node): CodeFix[] | undefined {
  const read = isKeyedByFreshValue(context, container, store) ? consumedWhereKept(context, container, store) : undefined;
  const statement = read ? statementOf(read.node) : undefined;
  if (!read || !statement || !standsAlone(statement, context.source)) return undefined;
  const ref = container.access[0] ?? container.name;
  return [{ title: `Remove the entry of ${ref} where it is consumed`, isPreferred: true, edits: [insertAfterStatement(context.source, statement, [`${ref}.pop(${read.key.text}, None)`])] }];
}

/** `cache[k] = v`, `cache.setdefault(k, v)`, or a list under a key grown (`d[k].append(v)`) outside the initialiser. */
function firstRepeatedStore(context: RuleContext, container: Container): Node | undefined {
  const table = context.memo('python.dictStores', () => {
    const subscripts = groupBy(context.index.nodes('assignment'), (assignment) => {
      const left = field(assignment, 'left');
      const target = left?.type === 'subscript' ? field(left, 'value') : undefined;
      return target ? normalizeRef(target.text) : undefined;
    });
    const setdefaults = groupBy(context.index.nodes('call'), (call) => methodReceiver(call, SETDEFAULT) ?? perKeyReceiver(call));
    // Merged groups are sorted again: usesOf cuts them to a scope by position.
    for (const [key, calls] of setdefaults) subscripts.set(key, [...(subscripts.get(key) ?? []), ...calls].sort((a, b) => a.startIndex - b.startIndex));
    return subscripts;
  });
  const repeated = (store: Node) => isRepeatedUse(container, store) && reachesUse(context.index.names, container, store);
  const store = pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, repeated);
  // A defaultdict's reads store too; a written store says more about the key, so it comes first.
  if (store) return store;
  const read = isDefaultDict(container.value) ? pickUse(usesOf(defaultDictReads(context), container.access, container.scope), context.evidenceLines, (use) => repeated(use) && !checkedFirst(use)) : undefined;
  return read ?? pickUse(handedStores(context, container).map((handed) => handed.store), context.evidenceLines, (handed) => isRepeatedUse(container, handed));
}

/** A store a helper makes into the container it was handed, and the helper's name for it. */
interface HandedStore {
  store: Node;
  parameter: string;
  helper: Node;
  /** The argument that hands the container over. */
  argument: Node;
}

/**
 * Stores into the container made by a helper it is handed (`self._lookup(self._memo, key)` with
 * `def _lookup(self, table, key): table[key] = …`): the helper's parameter is the container, so
 * its stores are the container's. One call level; the helper is a method of the caller's class
 * called on `self`, or a function of the module.
 */
function handedStores(context: RuleContext, container: Container): HandedStore[] {
  // Asked several times per container (its growth, its bounds, its fix): follow the helpers once.
  const known = context.memo('python.handedStores', () => new WeakMap<Container, HandedStore[]>());
  let stores = known.get(container);
  if (!stores) known.set(container, (stores = followHandedStores(context, container)));
  return stores;
}

function followHandedStores(context: RuleContext, container: Container): HandedStore[] {
  return usesOf(handedArguments(context), container.access, container.scope).flatMap((argument) => {
    const call = argument.parent?.parent;
    const helper = call ? helperCalled(context, call) : undefined;
    if (!call || !helper) return [];
    const offset = classOfMethod(helper) ? 1 : 0;
    const position = namedChildren(argument.parent!).findIndex((arg) => arg.id === argument.id);
    const parameter = parameterNames(helper)[position + offset];
    if (!parameter) return [];
    return storesInto(helper, parameter).map((store) => ({ store, parameter, helper, argument }));
  });
}

/** Positional arguments of calls to `self.m(…)` or `f(…)`, by their text. */
function handedArguments(context: RuleContext): Map<string, Node[]> {
  return context.memo('python.handedArguments', () => {
    const calls = context.index.nodes('call').filter((call) => /^(?:self\s*\.\s*)?\w+$/.test(field(call, 'function')?.text ?? ''));
    const args = calls.flatMap((call) => namedChildren(field(call, 'arguments') ?? call).filter((arg) => arg.type === 'identifier' || arg.type === 'attribute'));
    return groupBy(args, (arg) => normalizeRef(arg.text));
  });
}

/** The method (`self.m(…)`, in the caller's class) or module-level function (`f(…)`) a call runs. */
function helperCalled(context: RuleContext, call: Node): Node | undefined {
  const callee = field(call, 'function');
  if (callee?.type === 'attribute') {
    const caller = enclosingFunction(call);
    const cls = caller ? classOfMethod(caller) : undefined;
    const name = field(callee, 'attribute')?.text;
    return cls ? methodsOf(cls).find((method) => functionName(method) === name) : undefined;
  }
  return callee ? moduleFunctions(context).get(callee.text) : undefined;
}

function moduleFunctions(context: RuleContext): Map<string, Node> {
  return context.memo('python.moduleFunctions', () => {
    const functions = new Map<string, Node>();
    for (const statement of namedChildren(context.root)) {
      const definition = statement.type === 'decorated_definition' ? field(statement, 'definition') : statement;
      if (definition?.type === 'function_definition') functions.set(functionName(definition), definition);
    }
    return functions;
  });
}

/** `parameter[k] = …` in the function's own body. */
function storesInto(fn: Node, parameter: string): Node[] {
  return (field(fn, 'body')?.descendantsOfType('assignment') ?? []).filter((assignment): assignment is Node => {
    const left = assignment ? field(assignment, 'left') : undefined;
    return left?.type === 'subscript' && field(left, 'value')?.text === parameter && enclosingFunction(assignment!)?.id === fn.id;
  });
}

/** The helper's own name for a container it was handed, scoped to the helper: what bounds it there bounds the container. */
function handedAlias(context: RuleContext, container: Container, store: Node | undefined): Container | undefined {
  const handed = store ? handedStores(context, container).find((h) => h.store.id === store.id) : undefined;
  return handed ? { ...container, name: handed.parameter, access: [handed.parameter], scope: handed.helper, owner: undefined, reaches: undefined } : undefined;
}

/**
 * Subscript reads (`bucket = self._hits[ip]`, `self._hits[ip] += 1`) by the text of what they
 * read: on a defaultdict each one stores the key it reads. Not `del d[k]` (nor, see checkedFirst,
 * a read inside `if k in d:`, which only reaches keys already there).
 */
function defaultDictReads(context: RuleContext): Map<string, Node[]> {
  return context.memo('python.subscriptReads', () =>
    groupBy(context.index.nodes('subscript'), (read) => {
      const target = field(read, 'value');
      if (!target || read.parent?.type === 'delete_statement') return undefined;
      return normalizeRef(target.text);
    }),
  );
}

/** `d[k]` inside `if k in d:` (or `if d and k in d:`): the key is there before it is read. */
function checkedFirst(read: Node): boolean {
  const key = field(read, 'subscript')?.text;
  const dict = field(read, 'value')?.text;
  for (let current = read.parent; current && current.type !== 'function_definition'; current = current.parent) {
    if (current.type !== 'if_statement') continue;
    const test = field(current, 'condition')?.text ?? '';
    const consequence = field(current, 'consequence');
    if (!consequence || read.startIndex < consequence.startIndex || read.endIndex > consequence.endIndex) continue;
    if (key && dict && new RegExp(`${escapeRegExp(key)}\\s+in\\s+${escapeRegExp(dict)}\\b`).test(test) && !/\bnot\s+in\b/.test(test)) return true;
  }
  return false;
}

/** `d[k].append(v)` and `d.setdefault(k, []).append(v)`: the dict `d` grows per key. */
export function perKeyReceiver(call: Node): string | undefined {
  const callee = field(call, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute')?.text : undefined;
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  if (!method || !LIST_GROWTH.has(method) || !receiver) return undefined;
  if (receiver.type === 'subscript') {
    const target = field(receiver, 'value');
    return target ? normalizeRef(target.text) : undefined;
  }
  return receiver.type === 'call' ? methodReceiver(receiver, SETDEFAULT) : undefined;
}

/**
 * An instance that registers itself (`Register[id(self)] = self` in `__init__`) and leaves the
 * registry only through `__del__` (directly or by a method `__del__` calls) never leaves: the
 * registry's reference keeps it alive, so `__del__` never runs.
 */
function onlyFinalizerEvicts(context: RuleContext, container: Container): boolean {
  const growth = firstRepeatedStore(context, container);
  if (!growth || !registersInstance(container, growth)) return false;
  const cls = classOfMethod(enclosingFunction(growth)!);
  const methods = cls ? (field(cls, 'body')?.descendantsOfType('function_definition') ?? []).filter((fn): fn is Node => fn !== null && classOfMethod(fn)?.id === cls.id) : [];
  const finalizer = methods.find((fn) => functionName(fn) === '__del__');
  if (!cls || !finalizer) return false;
  const name = escapeRegExp(container.name);
  const eviction = new RegExp(`\\bdel\\s+(?:\\w+\\s*\\.\\s*)*${name}\\s*\\[|\\b${name}\\s*\\.\\s*(?:pop|popitem|clear)\\s*\\(`);
  const evictors = methods.filter((fn) => eviction.test(context.index.codeOf(fn)));
  const calledByFinalizer = (fn: Node) => fn.id === finalizer.id || new RegExp(`\\bself\\s*\\.\\s*${functionName(fn)}\\s*\\(`).test(finalizer.text);
  return evictors.length > 0 && evictors.every(calledByFinalizer);
}

/**
 * Evicted one by one, size-checked, or wiped (`clear()`, `self._cache = {}`) on a path that runs
 * as often as the growth (boundsRunAsOften); handing it to other code means we cannot tell.
 */
function isEvicted(context: RuleContext, container: Container, declarations: number): boolean {
  const names = context.index.names;
  if (calledWith(names, container, 'pop|popitem|move_to_end|__delitem__') || deletedFrom(names, container) || lengthChecked(names, container)) return true;
  const store = firstRepeatedStore(context, container);
  const alias = handedAlias(context, container, store);
  if (alias && (calledWith(names, alias, 'pop|popitem|move_to_end|__delitem__|clear') || deletedFrom(names, alias) || lengthChecked(names, alias))) return true;
  const wipes = boundsRunAsOften(context, container, store);
  return calledWith(names, container, 'clear', wipes) || assignmentCount(names, container, wipes) > declarations || escapes(names, alias ? withoutHandOuts(context, container) : container);
}

/** The container with the arguments that hand it to a helper we follow left out: those are no escape. */
function withoutHandOuts(context: RuleContext, container: Container): Container {
  const names = context.index.names;
  const handed = new Set(handedStores(context, container).flatMap((h) => names.within(container.name, h.argument.startIndex, h.argument.endIndex)));
  const reaches = container.reaches;
  return { ...container, reaches: (start) => !handed.has(start) && (reaches?.(start) ?? true) };
}

/** Evict the oldest entries past the cap after the store (and, for a plain dict, an OrderedDict trimmed from the front). */
export function fixesFor(context: RuleContext, container: Container, store: Node): CodeFix[] {
  const statement = statementOf(store);
  if (!statement || !standsAlone(statement, context.source)) return [];
  // What the store wrote into: the container, or a helper's name for it.
  const ref = handedAlias(context, container, store)?.name ?? container.access[0] ?? container.name;
  const unit = indentUnitFor(context);
  const fixes: CodeFix[] = [
    {
      title: `Evict the oldest entries of ${ref} past ${CAP}`,
      isPreferred: true,
      edits: [insertAfterStatement(context.source, statement, [`while len(${ref}) > ${CAP}:`, `${unit}${ref}.pop(next(iter(${ref})))`])],
    },
  ];
  const plainDict = container.value.type === 'dictionary' ? container.value.namedChildCount === 0 : field(container.value, 'function')?.text === 'dict';
  if (plainDict && !(container.value.type === 'call' && container.value.text !== 'dict()')) {
    const importEdit = addImports(context, ['collections']);
    fixes.push({
      title: `Make ${ref} an OrderedDict trimmed with popitem(last=False)`,
      isPreferred: false,
      edits: [
        { range: nodeRange(container.value), newText: 'collections.OrderedDict()' },
        insertAfterStatement(context.source, statement, [`while len(${ref}) > ${CAP}:`, `${unit}${ref}.popitem(last=False)`]),
        ...(importEdit ? [importEdit] : []),
      ],
    });
  }
  return fixes;
}

