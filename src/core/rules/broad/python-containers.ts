// Container hints in Python: dicts, lists, sets, defaultdicts, OrderedDicts, Counters and deques
// without `maxlen`, bound at module level, in a class body or on `self` in an initialiser
// (the shared reader longLivedContainers), grown in another function, never removed from.
import type { Node } from 'web-tree-sitter';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { RuleContext } from '../rule';
import { field, namedChildren, normalizeRef } from '../syntax';
import { CodeFix } from '../types';
import { calledWith, Container, deletedFrom, lengthChecked, longLivedContainers } from '../python/containers';
import { fixesFor as evictionFixes, perKeyReceiver } from '../python/unbounded-cache';
import { fixesFor as trimFixes } from '../python/unbounded-collection';
import { classOfMethod, enclosingFunction, functionName } from '../python/syntax';
import { isFiniteKey } from '../python/finite-domain';
import { BroadContainer, broadContainerHints, ContainerLanguage, firstGrowthOf, GrowthShapes, occurrencesInFunctions, passedToNonReadingCall } from './containers';
import { HintDetection } from './hint-rule';

const MAPPINGS = /^(?:collections\.)?(?:dict|defaultdict|OrderedDict|Counter)$/;
const SEQUENCES = /^(?:collections\.)?(?:list|deque|set)$/;
const GROWING = new Set(['append', 'appendleft', 'add', 'extend', 'insert', 'setdefault', 'update']);
const LITERAL_KEYS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);
/** Calls that only read what they are given: handing the container to them cannot shrink it. */
const READS = new Set([
  'len', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'reversed', 'iter', 'next', 'enumerate', 'zip', 'sum', 'min', 'max', 'any', 'all',
  'print', 'repr', 'str', 'bool', 'isinstance', 'id', 'hash', 'format', 'join', 'dumps', 'dump', 'copy', 'deepcopy', 'pformat', 'pprint', 'map', 'filter',
  'debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log',
]);

interface PythonHolder extends BroadContainer {
  container: Container;
  kind: 'mapping' | 'list' | 'other';
}

export function pythonContainerHints(context: RuleContext): HintDetection[] {
  return broadContainerHints(context, PYTHON_CONTAINERS);
}

const PYTHON_CONTAINERS: ContainerLanguage<PythonHolder> = {
  holders: (context) =>
    longLivedContainers(context, isBroadContainer)
      // A closure's local is not one of the design's holders (module, class, instance).
      .filter((container) => !container.heldByClosure)
      .map((container) => {
        const kind = kindOf(container.value);
        return { name: container.name, access: container.access, keyed: kind === 'mapping', container, kind };
      }),
  firstGrowth: (context, holder) => firstGrowth(context, holder),
  isEverRemovedFrom: (context, holder) => isEverRemovedFrom(context, holder.container),
  fixes: (context, holder, growth): CodeFix[] => {
    // The strict rules' own: a mapping evicts its oldest entries; a list, array, set or deque is trimmed or capped.
    return holder.kind === 'mapping' ? evictionFixes(context, holder.container, growth) : trimFixes(context, holder.container, growth);
  },
};

/** A literal container or an empty one made by its type; a deque only without a bound. */
function isBroadContainer(value: Node): boolean {
  if (value.type === 'dictionary' || value.type === 'list' || value.type === 'set') return true;
  // A dataclass field's factory: `field(default_factory=list)`.
  if (value.type === 'identifier' || value.type === 'attribute') return MAPPINGS.test(value.text) || SEQUENCES.test(value.text);
  if (value.type !== 'call') return false;
  const callee = field(value, 'function')?.text ?? '';
  if (!MAPPINGS.test(callee) && !SEQUENCES.test(callee)) return false;
  return !/deque$/.test(callee) || !isBoundedDeque(value);
}

/** `deque(maxlen=n)` or `deque(items, n)`. */
function isBoundedDeque(call: Node): boolean {
  const args = namedChildren(field(call, 'arguments') ?? call);
  return args.length > 1 || args.some((arg) => arg.type === 'keyword_argument' && field(arg, 'name')?.text === 'maxlen');
}

function kindOf(value: Node): PythonHolder['kind'] {
  const type = value.type === 'call' ? field(value, 'function')?.text ?? '' : value.text;
  if (value.type === 'dictionary' || MAPPINGS.test(type)) return 'mapping';
  return value.type === 'list' || /^list$/.test(type) ? 'list' : 'other';
}

const SHAPES: GrowthShapes = { growing: GROWING, perKeyReceiver, assignments: ['assignment', 'augmented_assignment'], storeTarget };

function storeTarget(assignment: Node): string | undefined {
  const left = field(assignment, 'left');
  const target = left?.type === 'subscript' ? field(left, 'value') : undefined;
  const key = left?.type === 'subscript' ? field(left, 'subscript') : undefined;
  return target && key && !LITERAL_KEYS.has(key.type) && key.type !== 'slice' ? normalizeRef(target.text) : undefined;
}

function firstGrowth(context: RuleContext, holder: PythonHolder): Node | undefined {
  const container = { ...holder.container, keyed: holder.keyed };
  return firstGrowthOf(context, SHAPES, container, (use) => {
    const fn = enclosingFunction(use);
    if (fn === undefined || fn.id === holder.container.owner?.id || !reachesUse(context.index.names, holder.container, use)) return false;
    if (runsOnlyFromInitialiser(context, fn, holder.container.owner)) return false;
    const key = holder.keyed ? keyOfGrowth(use) : undefined;
    return key === undefined || !isFiniteKey(context, fn, key);
  });
}

/**
 * A private method (`_parse`) that only the initialiser binding the container calls: it runs once
 * per instance, while the instance is made, so what it adds is bounded by that one call's input.
 */
function runsOnlyFromInitialiser(context: RuleContext, fn: Node, initialiser: Node | undefined): boolean {
  const name = functionName(fn);
  if (!initialiser || !classOfMethod(fn) || !/^_[^_]/.test(name)) return false;
  const uses = context.index.names.within(name).filter((start) => start !== field(fn, 'name')?.startIndex);
  return uses.length > 0 && uses.every((start) => start > initialiser.startIndex && start < initialiser.endIndex);
}

/**
 * The key a growth of a mapping stores under: `X[k] = v`, `X[k].append(v)`, `X.setdefault(k, …)`.
 * A mapping grows by one entry per key, so keys from a finite domain bound it.
 */
function keyOfGrowth(use: Node): Node | undefined {
  if (use.type === 'call') {
    const callee = field(use, 'function');
    const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
    if (receiver?.type === 'subscript') return field(receiver, 'subscript');
    return field(callee ?? use, 'attribute')?.text === 'setdefault' ? namedChildren(field(use, 'arguments') ?? use)[0] : undefined;
  }
  const left = field(use, 'left');
  return left?.type === 'subscript' ? field(left, 'subscript') : undefined;
}

/** Any removal anywhere: a take-out method, `del X[…]`, a size cap, a slice store, a rebinding in a function, or the whole handed to a call. */
function isEverRemovedFrom(context: RuleContext, container: Container): boolean {
  const names = context.index.names;
  const own = ownOccurrences(container);
  if (calledWith(names, container, 'pop|popitem|popleft|remove|discard|clear') || deletedFrom(names, container)) return true;
  // Its size compared (`if len(X) < 100: X.add(…)`): the code caps it.
  if (lengthChecked(names, container, /\s*\)\s*(?:[<>]=?|==)/)) return true;
  if (names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:[^\]\n]*\]\s*=(?!=)/, own)) return true;
  const rebound = occurrencesInFunctions(context, container.name, container.scope, /\s*(?::[^=\n]+)?=(?!=)/, container.owner, own);
  return rebound.length > 0 || passedToNonReadingCall(context, container.name, container.scope, READS, own);
}
