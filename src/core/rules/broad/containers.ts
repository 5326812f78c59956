// The broad tier's container hints (issue 13), the part both languages share. A container bound
// once where it lives as long as its holder (a module name, a class attribute, an instance
// attribute bound in its initialiser) that a function other than its binder adds to, and that
// nothing in the file ever takes anything out of, may grow without bound. Unlike the strict rules
// (growingContainers.ts) there is no gate on the name, the key or how often the function runs:
// the lack of any removal is the whole suspicion, so these are reported as hints.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
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
  /** Where the container grows in a function other than its binder, in source order. */
  growths(context: RuleContext, container: C): Node[];
  /** Anything in the file takes entries out, empties, replaces or hands the container whole to code that may. */
  isEverRemovedFrom(context: RuleContext, container: C): boolean;
  fixes(context: RuleContext, container: C, growth: Node, rule: RuleId): CodeFix[];
}

export function broadContainerHints<C extends BroadContainer>(context: RuleContext, language: ContainerLanguage<C>): HintDetection[] {
  const found: HintDetection[] = [];
  for (const container of language.holders(context)) {
    const growth = language.growths(context, container)[0];
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
