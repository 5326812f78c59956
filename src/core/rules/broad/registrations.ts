// Registration hints (handler-not-cleared), both languages: a function registers something on a
// target it did not make itself (`bus.on(…)`, `signal.connect(…)`, `future.add_done_callback(…)`),
// drops what the call returns (a disposer), and nothing in the file ever calls a removal on that
// target. Each call of the function may add one more registration that the target keeps alive.
import type { Node } from 'web-tree-sitter';
import { wrapRestInTryFinally } from '../fixes';
import { RuleContext } from '../rule';
import { field, groupBy, namedChildren } from '../syntax';
import { CodeFix } from '../types';
import { listenerFixes } from '../js/handler-not-cleared';
import { statementOf as pythonStatementOf } from '../python/syntax';
import { calledMethod, enclosingFunctionOf, methodCalls, receiverOf } from './containers';
import { HintDetection } from './hint-rule';

/** Registration verbs and the removal that undoes each. */
const REMOVAL_OF: Readonly<Record<string, string>> = {
  on: 'off',
  addListener: 'removeListener',
  addEventListener: 'removeEventListener',
  prependListener: 'removeListener',
  subscribe: 'unsubscribe',
  connect: 'disconnect',
  add_done_callback: 'remove_done_callback',
  add_listener: 'remove_listener',
  add_handler: 'remove_handler',
  addHandler: 'removeHandler',
  register: 'unregister',
  watch: 'unwatch',
};
const REGISTERS = new Set(Object.keys(REMOVAL_OF));
const REMOVES = new Set([...Object.values(REMOVAL_OF), 'removeAllListeners']);
/** Where the call's result goes when it is kept: a disposer assigned, returned, yielded, or handed on (`subs.push(x.on(…))`). */
const KEEPS_RESULT = new Set(['assignment', 'variable_declarator', 'assignment_expression', 'return_statement', 'yield', 'yield_expression', 'argument_list', 'arguments', 'array', 'list', 'pair', 'keyword_argument']);
/** Wrappers the result passes through on the way to where it is kept. */
const PASS_THROUGH = new Set(['await', 'await_expression', 'parenthesized_expression', 'as_expression', 'non_null_expression']);
/** `{ once: true }`, `once=True`: a registration that takes itself back when it fires. */
const ONCE_OPTION = /\bonce\s*[:=]\s*(?:true|True)\b/;

export function registrationHints(context: RuleContext): HintDetection[] {
  const python = context.language === 'python';
  const calls = methodCalls(context, new Set([...REGISTERS, ...REMOVES]));
  const removed = new Set(groupBy(calls, (call) => receiverOf(call, REMOVES)).keys());
  const found: HintDetection[] = [];
  for (const call of calls) {
    const target = receiverOf(call, REGISTERS);
    if (target === undefined || removed.has(target)) continue;
    const args = field(call, 'arguments');
    // A call without arguments registers nothing (`db.connect()`, `watcher.watch()`).
    if (!args || namedChildren(args).filter((arg) => arg.type !== 'comment').length === 0 || ONCE_OPTION.test(args.text)) continue;
    const fn = enclosingFunctionOf(context, call);
    if (!fn || keepsResult(call) || madeIn(context, fn, call, target)) continue;
    const method = calledMethod(call) ?? '';
    found.push({
      rule: 'handler-not-cleared',
      detection: {
        anchor: call,
        scope: context.root,
        message: `Each call of this function may add another \`${method}\` registration on \`${target}\`, which keeps it alive: nothing in this file calls \`${REMOVAL_OF[method] ?? 'a removal'}\` on \`${target}\`. (A weaker suspicion than a warning: check how often this runs.)`,
        fixes: python ? pythonFixes(context, call, target, method) : listenerFixes(context, call),
      },
    });
  }
  return found;
}

function keepsResult(call: Node): boolean {
  let parent = call.parent;
  while (parent && PASS_THROUGH.has(parent.type)) parent = parent.parent;
  return parent !== null && KEEPS_RESULT.has(parent.type);
}

/** Python literals and JS `new`/literals; a call of a capitalised name is a constructor in both. */
const MADE = /^\s*(?:new\b|[[{(]|(?:[\w$]+\s*\.\s*)*[A-Z][\w$]*\s*\()/;

/**
 * The target, or the name it hangs off, is bound in this function, before the call, to something
 * made there (a constructor call, `new`, a literal): its registrations go with it.
 */
function madeIn(context: RuleContext, fn: Node, call: Node, target: string): boolean {
  const code = context.index.code.slice(fn.startIndex, call.startIndex);
  const root = target.split('.')[0] ?? target;
  const names = root === 'self' || root === 'this' ? [target] : [target, root];
  return names.some((name) => {
    const pattern = new RegExp(`(?<![\\w$.])${name.split('.').map((part) => part.replace(/\$/g, '\\$')).join('\\s*\\.\\s*')}\\s*(?::[^=\\n;]+)?=(?![=>])([^\\n;]*)`, 'g');
    return [...code.matchAll(pattern)].some((match) => MADE.test(match[1] ?? ''));
  });
}

/** Undo the registration when the function is done, as the strict rule's fix does (the rest of the function in try/finally). */
function pythonFixes(context: RuleContext, call: Node, target: string, method: string): CodeFix[] {
  const statement = pythonStatementOf(call);
  const removal = REMOVAL_OF[method];
  const args = namedChildren(field(call, 'arguments') ?? call).filter((arg) => arg.type !== 'comment').map((arg) => arg.text);
  if (!statement || !removal || args.some((arg) => arg.includes('\n'))) return [];
  const undo = `${target}.${removal}(${args.join(', ')})`;
  const wrap = wrapRestInTryFinally(context, statement, [undo]);
  return wrap ? [{ title: `Undo the registration when the function is done (${undo})`, isPreferred: true, edits: [wrap] }] : [];
}
