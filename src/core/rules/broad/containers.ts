// The broad tier's container hints (issue 13), the part both languages share. A container bound
// once where it lives as long as its holder (a module name, a class attribute, an instance
// attribute bound in its initialiser) that a function other than its binder adds to, and that
// nothing in the file ever takes anything out of, may grow without bound. Unlike the strict rules
// (growingContainers.ts) there is no gate on the name, the key or how often the function runs:
// the lack of any removal is the whole suspicion, so these are reported as hints.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { groupBy, methodReceiver, usesOf } from '../syntax';
import { escapeRegExp } from '../text';
import { CodeFix, RuleId } from '../types';
import { HintDetection } from './hint-rule';

export interface BroadContainer {
  name: string;
  /** How code refers to it: `self._seen`, `Store._seen`, `SEEN`. */
  access: readonly string[];
  /** A mapping (dict, Map, object): stores by key grow it, and a lookup by key before one is the memo shape. */
  keyed: boolean;
}

export interface ContainerLanguage<C extends BroadContainer> {
  holders(context: RuleContext): C[];
  /** The first place (in source order) the container grows in a function other than its binder. */
  firstGrowth(context: RuleContext, container: C): Node | undefined;
  /** Anything in the file takes entries out, empties, replaces or hands the container whole to code that may. */
  isEverRemovedFrom(context: RuleContext, container: C): boolean;
  fixes(context: RuleContext, container: C, growth: Node, rule: RuleId): CodeFix[];
}

/** A language's shapes of growth, read into tables by container once per scan. */
export interface GrowthShapes {
  /** The adding methods (`append`, `push`, `add`…). */
  growing: ReadonlySet<string>;
  /** The container whose per-key list a call grows (`X[k].append(v)`, `X.get(k).push(v)`). */
  perKeyReceiver(call: Node): string | undefined;
  /** Assignment node types (plain and augmented). */
  assignments: readonly string[];
  /** The container a subscript assignment stores into under a key that is not a literal. */
  storeTarget(assignment: Node): string | undefined;
}

interface GrowthTables {
  /** Adding calls and per-key lists grown, by container. */
  calls: Map<string, Node[]>;
  /** Stores under a key that is not a literal, by container. */
  stores: Map<string, Node[]>;
}

function growthTables(context: RuleContext, shapes: GrowthShapes): GrowthTables {
  return context.memo(`hints.${context.language}.growths`, () => {
    const adding = methodCalls(context, shapes.growing);
    const calls = groupBy(adding, (call) => receiverOf(call, shapes.growing));
    for (const [key, nodes] of groupBy(adding, shapes.perKeyReceiver)) calls.set(key, [...(calls.get(key) ?? []), ...nodes].sort((a, b) => a.startIndex - b.startIndex));
    return { calls, stores: groupBy(subscriptStores(context, shapes.assignments), shapes.storeTarget) };
  });
}

/** Assignment operators after a subscript: `] =`, `] +=`, `] //=`… (not `==`). */
const STORE_AFTER_SUBSCRIPT = /\]\s*(?:\*\*|\/\/|<<|>>|\?\?|\|\||&&|[-+*/%|&^@])?=(?![=>])/g;

/**
 * Assignments to a subscript (`X[k] = v`, `X[k] += n`), in source order, found from the `] =` in
 * the code rather than by reading the target of every assignment of the file.
 */
function subscriptStores(context: RuleContext, assignmentTypes: readonly string[]): Node[] {
  const types = new Set(assignmentTypes);
  const stores: Node[] = [];
  for (const match of context.index.code.matchAll(STORE_AFTER_SUBSCRIPT)) {
    const assignment = context.root.descendantForIndex(match.index)?.parent?.parent;
    if (assignment && types.has(assignment.type) && assignment.childForFieldName('left')?.endIndex === match.index + 1) stores.push(assignment);
  }
  return stores;
}

/** The first growth of the container in source order that `accepts` (stores by key count for mappings only). */
export function firstGrowthOf(context: RuleContext, shapes: GrowthShapes, container: { access: readonly string[]; scope: Node | undefined; keyed: boolean }, accepts: (use: Node) => boolean): Node | undefined {
  const tables = growthTables(context, shapes);
  const { access, scope } = container;
  const uses = [...usesOf(tables.calls, access, scope), ...(container.keyed ? usesOf(tables.stores, access, scope) : [])];
  return uses.sort((a, b) => a.startIndex - b.startIndex).find(accepts);
}

export function broadContainerHints<C extends BroadContainer>(context: RuleContext, language: ContainerLanguage<C>): HintDetection[] {
  const found: HintDetection[] = [];
  for (const container of language.holders(context)) {
    const growth = language.firstGrowth(context, container);
    if (!growth || language.isEverRemovedFrom(context, container)) continue;
    const ref = container.access[0] ?? container.name;
    const memo = container.keyed && readsByKeyBefore(context, container, growth);
    const rule: RuleId = memo ? 'unbounded-cache' : 'unbounded-collection';
    const message = memo
      ? `\`${ref}\` is looked up by key and then stored into, like a cache, and may grow without bound: nothing in this file removes from \`${ref}\`. (A weaker suspicion than a warning: check how many keys it can see.)`
      : `\`${ref}\` is added to here and may grow without bound: nothing in this file removes from \`${ref}\`. (A weaker suspicion than a warning: check how often this runs.)`;
    found.push({ rule, detection: { anchor: growth, scope: context.root, message, fixes: language.fixes(context, container, growth, rule) } });
  }
  return found;
}

/**
 * The function that stores first checks or reads the container by key (`k in X`, `X.get(k)`,
 * `X.has(k)`, a read of `X[k]`): the memo shape. Read in the blanked code of that function,
 * before the store.
 */
function readsByKeyBefore(context: RuleContext, container: BroadContainer, growth: Node): boolean {
  const fn = enclosingFunctionOf(context, growth);
  if (!fn) return false;
  const before = context.index.code.slice(fn.startIndex, growth.startIndex);
  const refs = container.access.map((access) => access.split('.').map(escapeRegExp).join('\\s*\\.\\s*')).join('|');
  const lookup = new RegExp(`\\bin\\s+(?:${refs})(?![\\w$.])|(?<![\\w$.])(?:${refs})\\s*(?:\\.\\s*(?:get|has)\\s*\\(|\\[[^\\]\\n]*\\](?!\\s*(?:[-+*/%|&^]|\\*\\*|\\?\\?|<<|>>)?=(?!=)))`);
  return lookup.test(before);
}

/** The method's name when `call` is `x.method(…)`, read without the receiver's text (a long chain costs). */
export function calledMethod(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'member_expression' ? callee.childForFieldName('property') : callee?.type === 'attribute' ? callee.childForFieldName('attribute') : null;
  return name?.text;
}

/** `x.a` for `x.a.method(…)` or `x.a?.method(…)` (methodReceiver keeps optional chaining's `?`). */
export function receiverOf(call: Node, methods: ReadonlySet<string>): string | undefined {
  return methodReceiver(call, methods)?.replace(/\?$/, '');
}

const CALL_TYPES = new Set(['call', 'call_expression']);

/**
 * The calls `x.method(…)` of the given methods, in source order, found from where the names occur
 * in the code (`.push(`) rather than by reading every call of the file: most calls are of other
 * methods, and each call read costs a few trips into the parser's memory.
 */
export function methodCalls(context: RuleContext, methods: ReadonlySet<string>): Node[] {
  const code = context.index.code;
  const calls: Node[] = [];
  const opens = /\s*\(/y;
  for (const method of methods) {
    for (const start of context.index.names.within(method)) {
      opens.lastIndex = start + method.length;
      if (!opens.test(code) || !/\.\s*$/.test(code.slice(Math.max(0, start - 8), start))) continue;
      const call = context.root.descendantForIndex(start)?.parent?.parent;
      if (call && CALL_TYPES.has(call.type) && calledMethod(call) === method) calls.push(call);
    }
  }
  return calls.sort((a, b) => a.startIndex - b.startIndex);
}

const FUNCTION_TYPES = new Set(['function_definition', 'lambda', 'function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);

/** The innermost function around a node, in either language. */
export function enclosingFunctionOf(_context: RuleContext, node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (FUNCTION_TYPES.has(current.type)) return current;
  return undefined;
}

/**
 * Offsets of the container's name in its scope followed by `after` (sticky) whose innermost
 * function is not `binder`: what a function other than the binder does to it.
 */
export function occurrencesInFunctions(context: RuleContext, name: string, scope: Node | undefined, after: RegExp, binder: Node | undefined, counts: (start: number) => boolean = () => true): number[] {
  const sticky = new RegExp(after.source, 'y');
  const code = context.index.code;
  const starts = scope ? context.index.names.within(name, scope.startIndex, scope.endIndex) : context.index.names.within(name);
  return starts.filter((start) => {
    sticky.lastIndex = start + name.length;
    if (!sticky.test(code) || !counts(start)) return false;
    const node = context.root.descendantForIndex(start);
    const fn = node ? enclosingFunctionOf(context, node) : undefined;
    return fn !== undefined && fn.id !== binder?.id;
  });
}

/**
 * The container's name handed whole to a call (`prune(cache)`, `f(self._items)`): the callee may
 * take entries out, unless it only reads (`len`, `sorted`, `JSON.stringify`…).
 */
export function passedToNonReadingCall(context: RuleContext, name: string, scope: Node | undefined, reads: ReadonlySet<string>, counts: (start: number) => boolean = () => true): boolean {
  const code = context.index.code;
  const before = /[(,]\s*(?:[\w$]+\s*=\s*)?(?:[\w$]+\s*\.\s*)*$/;
  const after = /\s*[,)]/y;
  const starts = scope ? context.index.names.within(name, scope.startIndex, scope.endIndex) : context.index.names.within(name);
  return starts.some((start) => {
    after.lastIndex = start + name.length;
    if (!after.test(code) || !before.test(code.slice(Math.max(0, start - 120), start)) || !counts(start)) return false;
    const callee = calleeAround(context, start);
    return callee !== undefined && !reads.has(callee);
  });
}

const ARGUMENT_LISTS = new Set(['argument_list', 'arguments']);
const CALLS = new Set(['call', 'call_expression', 'new_expression']);

/** The last name of the callee of the call whose argument (whole) starts at `start`. */
function calleeAround(context: RuleContext, start: number): string | undefined {
  let node: Node | null = context.root.descendantForIndex(start);
  // Up through the reference (`self._items`, a keyword argument) to the argument list.
  for (let depth = 0; node && depth < 4 && !ARGUMENT_LISTS.has(node.type); depth++) node = node.parent;
  const call = node?.parent;
  if (!node || !call || !CALLS.has(call.type)) return undefined;
  const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
  return callee?.text.split('.').at(-1)?.trim() ?? '';
}
