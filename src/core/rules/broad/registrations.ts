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
import { classOfMethod, functionName, parameterNames as pythonParameterNames, statementOf as pythonStatementOf, TEARDOWN_METHODS } from '../python/syntax';
import { methodsOf } from '../python/containers';
import { isTeardownName, teardownBeside } from '../js/lifecycle';
import { isParameterOfEnclosing } from '../js/syntax';
import { escapeRegExp } from '../text';
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
    if (!fn || keepsResult(call) || madeIn(context, fn, call, target) || cannotGrowPerUse(context, fn, call, target)) continue;
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

/** The object itself: what it registers on itself is held by it and goes when it goes. */
const OWN_OBJECT = new Set(['this', 'self']);
/** Constructors and initialisers: run once per instance, so what they wire is that instance's one wiring. */
const INITIALISERS = /^(constructor|__init__|__post_init__|__new__)$/;
/** Argument values that are never a callable, whatever is inside them: text, numbers, flags, tuples (an address), and arithmetic on them. */
const NEVER_CALLABLE = new Set(['string', 'template_string', 'concatenated_string', 'number', 'integer', 'float', 'true', 'false', 'none', 'null', 'undefined', 'tuple', 'binary_operator', 'binary_expression']);
/** Literal containers: they carry a callable only when one is written inside (`{ handler: () => … }`, `[cb]`). */
const LITERAL_CONTAINERS = new Set(['list', 'array', 'dictionary', 'object']);
const CALLABLES = ['lambda', 'shorthand_property_identifier', 'function_expression', 'function', 'arrow_function', 'identifier', 'attribute', 'member_expression', 'call', 'call_expression'];

/**
 * General reasons a registration cannot add one more per use, whatever the target:
 * - it is on the object itself (`this.on(…)`, `self.connect(…)`): the object holds what it
 *   registers on itself, so the registration cannot outlive it;
 * - it is made in a constructor or initialiser on the object or on something handed in: it runs
 *   once per instance, and leaks only when instances end while the target lives on. A class
 *   that declares a teardown (`destroy`, `close`, `ngOnDestroy`…) says its instances do end
 *   while the program runs, so there the registration is still hinted; without one, nothing in
 *   the file says an instance ends before what it was handed;
 * - no argument can be a callable (`sock.connect(('host', 80))`, `db.register('name')`): nothing
 *   is registered that runs later, so nothing is kept alive.
 */
function cannotGrowPerUse(context: RuleContext, fn: Node, call: Node, target: string): boolean {
  const root = target.split('.')[0] ?? target;
  if (target === root && OWN_OBJECT.has(root)) return true;
  if (INITIALISERS.test(initialiserName(fn)) && (OWN_OBJECT.has(root) || isHandedIn(context, fn, call, root)) && !instancesEnd(context, fn)) return true;
  return !mayPassCallable(call);
}

/**
 * The class of this constructor or initialiser declares a teardown: its instances end while the
 * program runs (a component destroyed, a client closed), before what they were handed.
 */
function instancesEnd(context: RuleContext, fn: Node): boolean {
  if (context.language === 'python') {
    const cls = classOfMethod(fn);
    return cls !== undefined && methodsOf(cls).some((method) => TEARDOWN_METHODS.test(functionName(method)));
  }
  if (fn.type === 'method_definition') return teardownBeside(fn) !== undefined;
  // A constructor function: a teardown assigned to its prototype (`Reporter.prototype.close = …`).
  const name = field(fn, 'name')?.text ?? '';
  const members = context.index.code.matchAll(new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*\\.\\s*prototype\\s*\\.\\s*([\\w$]+)\\s*=(?!=)`, 'g'));
  return [...members].some((member) => isTeardownName(member[1]));
}

/** The name a function is defined under when it may be a constructor or initialiser (a class's `constructor`, Python's `__init__`, a JS constructor function `function Reporter(…)`). */
function initialiserName(fn: Node): string {
  const name = field(fn, 'name')?.text ?? '';
  return fn.type === 'function_declaration' && /^[A-Z]/.test(name) ? 'constructor' : name;
}

/** `name` is a parameter of the initialiser (what the instance is handed). */
function isHandedIn(context: RuleContext, fn: Node, call: Node, name: string): boolean {
  return context.language === 'python' ? pythonParameterNames(fn).includes(name) : isParameterOfEnclosing(call, name);
}

/** Some argument is, or may hold, a function: anything but a literal, or a literal container with a name or function written inside as a value. */
function mayPassCallable(call: Node): boolean {
  const args = namedChildren(field(call, 'arguments') ?? call).filter((arg) => arg.type !== 'comment');
  return args.some((arg) => {
    const value = arg.type === 'keyword_argument' ? field(arg, 'value') : arg;
    if (!value || NEVER_CALLABLE.has(value.type)) return false;
    if (!LITERAL_CONTAINERS.has(value.type)) return true;
    return value.descendantsOfType(CALLABLES).some((inner) => inner !== null && !isKeyOf(inner));
  });
}

/** A name in a literal that is a key, not a value (`{ once: true }`'s `once`). */
function isKeyOf(node: Node): boolean {
  const parent = node.parent;
  return parent !== null && parent.type === 'pair' && field(parent, 'key')?.id === node.id;
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
  if (context.language === 'python' && enteredByWith(fn, call, root)) return true;
  const names = root === 'self' || root === 'this' ? [target] : [target, root];
  return names.some((name) => {
    const pattern = new RegExp(`(?<![\\w$.])${name.split('.').map((part) => part.replace(/\$/g, '\\$')).join('\\s*\\.\\s*')}\\s*(?::[^=\\n;]+)?=(?![=>])([^\\n;]*)`, 'g');
    return [...code.matchAll(pattern)].some((match) => MADE.test(match[1] ?? ''));
  });
}

/**
 * `with Selector() as selector:` around the call, in the function: the block enters the object
 * and exits it (closes it) at its end, so what is registered on it goes with it.
 */
function enteredByWith(fn: Node, call: Node, root: string): boolean {
  const entered = new RegExp(`\\bas\\s+${escapeRegExp(root)}\\s*(?:[,:)]|$)`);
  for (let node = call.parent; node && node.id !== fn.id; node = node.parent) {
    const clause = node.type === 'with_statement' ? namedChildren(node).find((child) => child.type === 'with_clause') : undefined;
    if (clause && entered.test(clause.text)) return true;
  }
  return false;
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
