// unbounded-cache (Python): a long-lived dict named like a cache, stored into on every call,
// that nothing in the file ever evicts from; and a library memoizer with no size limit on a
// function whose arguments are open-ended (memoizers.ts).
import type { Node } from 'web-tree-sitter';
import { isCacheName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { reachesUse } from '../containerOwners';
import { Detection, Rule, RuleContext } from '../rule';
import { field, groupBy, methodReceiver, nodeRange, normalizeRef, pickUse, usesOf } from '../syntax';
import { indentUnitFor } from '../fixes';
import { CodeFix } from '../types';
import { escapeRegExp } from '../text';
import { assignmentCount, boundsRunAsOften, calledWith, Container, declarationCount, deletedFrom, escapes, evictedPerEntry, isKeyedByArguments, isKeyFromOutside, outlivesCalls, isPythonDict, registersInstance, isRepeatedUse, lengthChecked, longLivedContainers } from './containers';
import { memoizedFunctionDetections } from './memoizers';
import { consumedWhereKept, isKeyedByFreshValue } from './pending-work';
import { addImports, classOfMethod, enclosingFunction, functionName, insertAfterStatement, standsAlone, statementOf } from './syntax';

const SETDEFAULT = new Set(['setdefault']);
const LIST_GROWTH = new Set(['append', 'extend', 'add', 'update']);

const CAP = 1000;

export const pythonUnboundedCache: Rule = {
  id: 'unbounded-cache',
  family: 'python',
  collect: ['assignment', 'call', 'class_definition', 'decorator'],
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
  return pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, (store) => isRepeatedUse(container, store) && reachesUse(context.index.names, container, store));
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
  const wipes = boundsRunAsOften(context, container, firstRepeatedStore(context, container));
  return calledWith(names, container, 'clear', wipes) || assignmentCount(names, container, wipes) > declarations || escapes(names, container);
}

/** Evict the oldest entries past the cap after the store (and, for a plain dict, an OrderedDict trimmed from the front). */
export function fixesFor(context: RuleContext, container: Container, store: Node): CodeFix[] {
  const statement = statementOf(store);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const ref = container.access[0] ?? container.name;
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

