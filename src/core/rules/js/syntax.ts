// JavaScript/TypeScript shapes the rules share: function chains, callbacks and the calls they
// are passed to, bindings that outlive a call, statements a line can be inserted after.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { ancestors, closest, field, groupBy, linesAfterStatement, namedChildren, statementStandsAlone, statementWithin, typeOf } from '../syntax';
import { SourceText } from '../text';
import { TextEdit } from '../types';

const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);
const CLASSES = new Set(['class_declaration', 'class', 'abstract_class_declaration']);
const STATEMENT_PARENTS = new Set(['statement_block', 'program']);
const LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
const GLOBALS = new Set(['process', 'window', 'document', 'globalThis', 'self', 'navigator']);

/** Callbacks passed to these run once per event, request, tick or item. */
const REPEATED_CALLBACK = /^(on|addListener|addEventListener|prependListener|get|post|put|patch|delete|all|use|handle|route|setInterval|subscribe|createServer|handler)$/;
/** Events that fire once per emitter: their callbacks do not repeat. */
export const ONE_SHOT_EVENTS = /^(exit|close|end|finish|ready|listening|open|connect|beforeExit|spawn)$/;
/**
 * Functions that, by name, run once per object or process. Constructors count as set-up too:
 * one listener per instance leaks only if instances are made without end, which the code does
 * not show (and singletons are common).
 */
const ONCE_NAME = /^(constructor|init|initiali[sz]e|setup|setUp|start|listen|activate|register|bootstrap|main|mount|install|configure|componentDidMount|connectedCallback)([A-Z_]|$)/;
/** Named functions that, by name, handle one event or request each call. */
const HANDLER_NAME = /^(handle|on)[A-Z_]/;
/** Named functions that, by name, run on every update or redraw of what they show (`updateTable`, `checkPropertiesUpdate`). */
const UPDATE_NAME = /^(update|refresh|redraw|rerender)([A-Z_]|$)|[a-z](Update|Refresh|Redraw)$/;
/** Parameters that are a per-connection or per-request object, with a 'close' event. */
const CLOSEABLE = /^(ws|socket|sock|conn|connection|client|req|request|res|response|stream|peer|channel)$/;

export const JS_INDENT = '  ';

export function functionChain(node: Node): Node[] {
  return [...ancestors(node)].filter((a) => FUNCTIONS.has(typeOf(a)));
}

/** The innermost function around a node (functionChain's first), without walking up to the root. */
export function innermostFunction(node: Node): Node | undefined {
  return closest(node, FUNCTIONS);
}

export function enclosingClass(node: Node): Node | undefined {
  return closest(node, CLASSES);
}

/**
 * The innermost class method around a node, with its name (`constructor`, `start`…). Prototype
 * methods are left out: old-style classes set themselves up in them (`Mocha.prototype.ui`), and
 * only what they add to emitters that outlive the instance is read (see `runsRepeatedly`).
 */
export function enclosingMethod(node: Node): { method: Node; name: string } | undefined {
  const method = functionChain(node).find((fn) => fn.type === 'method_definition');
  return method ? { method, name: field(method, 'name')?.text ?? '' } : undefined;
}

/**
 * A method of a class, or of a constructor function's prototype (`Client.prototype.send =
 * function () {…}`, `Client.prototype = { send: function () {…} }`): code run per call on an instance.
 */
export function isMethodLike(fn: Node): boolean {
  return fn.type === 'method_definition' || prototypeMember(fn) !== undefined;
}

/** `send` for a method `send() {}` or `X.prototype.send = function…`; '' for other functions. */
export function methodNameOf(fn: Node): string {
  if (fn.type === 'method_definition') return field(fn, 'name')?.text ?? '';
  return prototypeMember(fn) ?? '';
}

/** Node types of a function written as a value (`function () {}`, `() => {}`): what can be handed over as a callback. */
export const FUNCTION_VALUES: ReadonlySet<string> = new Set(['function_expression', 'function', 'arrow_function']);
const PROTOTYPE_MEMBER = /^[\w$.]+\.prototype\.([\w$]+)$/;
const PROTOTYPE = /^[\w$.]+\.prototype$/;

/**
 * The prototype's members assigned at the top of the file, by name, for a prototype method:
 * `Foo.prototype.destroy = function…` and the members of `Foo.prototype = {…}`, for `Foo`'s
 * method `fn`. Undefined for other functions.
 */
export function prototypeMembersBeside(fn: Node): Map<string, Node> | undefined {
  if (prototypeMember(fn) === undefined) return undefined;
  const assignment = fn.parent?.type === 'assignment_expression' ? fn.parent : fn.parent?.parent?.parent;
  const prototype = field(assignment!, 'left')?.text.replace(/\s+/g, '').replace(/\.prototype\.[\w$]+$/, '.prototype');
  const members = new Map<string, Node>();
  for (const statement of namedChildren(fn.tree.rootNode)) {
    const top = statement.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    const left = top?.type === 'assignment_expression' ? field(top, 'left')?.text.replace(/\s+/g, '') : undefined;
    const right = top ? field(top, 'right') : undefined;
    if (!left || !right) continue;
    if (left === prototype && right.type === 'object') {
      for (const pair of namedChildren(right)) if (pair.type === 'pair' && field(pair, 'value') && FUNCTION_VALUES.has(field(pair, 'value')!.type)) members.set(field(pair, 'key')!.text, field(pair, 'value')!);
    } else if (left.startsWith(`${prototype}.`) && FUNCTION_VALUES.has(right.type)) members.set(left.slice(prototype!.length + 1), right);
  }
  return members;
}

function prototypeMember(fn: Node): string | undefined {
  if (fn.type !== 'function_expression' && fn.type !== 'function') return undefined;
  const parent = fn.parent;
  if (parent?.type === 'assignment_expression' && field(parent, 'right')?.id === fn.id) {
    return PROTOTYPE_MEMBER.exec(field(parent, 'left')?.text.replace(/\s+/g, '') ?? '')?.[1];
  }
  const assignment = parent?.type === 'pair' ? parent.parent?.parent : undefined;
  if (assignment?.type === 'assignment_expression' && PROTOTYPE.test(field(assignment, 'left')?.text.replace(/\s+/g, '') ?? '')) return field(parent!, 'key')?.text;
  return undefined;
}

/** `setInterval` for `setInterval(...)`, `on` for `emitter.on(...)`. */
export function calleeName(call: Node): string {
  const callee = field(call, 'function');
  if (!callee) return '';
  if (typeOf(callee) === 'member_expression') return field(callee, 'property')?.text ?? '';
  return callee.text;
}

/**
 * The call a function is passed to as an argument, if it is a callback: passed itself, or handed
 * back by a factory called in the argument (`on('connection', (function (_this) { return
 * function (conn) {…}; })(this))`, CoffeeScript's output for `=>`).
 */
export function callbackOf(fn: Node): Node | undefined {
  const parent = fn.parent;
  if (parent?.type === 'arguments' && parent.parent?.type === 'call_expression') return parent.parent;
  const factoryCall = factoryCallReturning(fn);
  return factoryCall ? callbackOf(factoryCall) : undefined;
}

/**
 * The function an immediately called factory hands back: `function (request) {…}` for
 * `(function (_this) { return function (request) {…}; })(this)` or `((self) => (request) => {…})(this)`.
 * Each run of the code around it makes a new one, as an inline function would be.
 */
export function factoryMade(value: Node): Node | undefined {
  if (value.type !== 'call_expression') return undefined;
  let factory = field(value, 'function');
  while (factory?.type === 'parenthesized_expression') factory = factory.namedChild(0) ?? undefined;
  const body = factory && FUNCTION_VALUES.has(factory.type) ? field(factory, 'body') : undefined;
  if (!body || FUNCTION_VALUES.has(body.type)) return body;
  if (body.type !== 'statement_block') return undefined;
  const statements = namedChildren(body).filter((s) => s.type !== 'comment');
  const returned = statements.length === 1 && statements[0]!.type === 'return_statement' ? statements[0]!.namedChild(0) : undefined;
  return returned && FUNCTION_VALUES.has(returned.type) ? returned : undefined;
}

/** The factory call that hands back `fn` (see factoryMade), if `fn` is what one returns. */
function factoryCallReturning(fn: Node): Node | undefined {
  // `return function (…) {…}` in the factory's block, or the body of an arrow factory.
  let outer = fn.parent?.type === 'return_statement' ? fn.parent.parent?.parent : fn.parent?.type === 'arrow_function' ? fn.parent : undefined;
  while (outer?.parent?.type === 'parenthesized_expression') outer = outer.parent;
  const call = outer?.parent;
  return call?.type === 'call_expression' && factoryMade(call)?.id === fn.id ? call : undefined;
}

/** React's effects (`useEffect`, `useLayoutEffect`): what the callback returns is their cleanup. */
const EFFECT_CALLEES = /^(useEffect|useLayoutEffect)$/;

/** `useEffect(…)` or `useLayoutEffect(…)`: a call whose callback runs per render and whose returned function cleans up. */
export function isEffectCall(call: Node): boolean {
  return EFFECT_CALLEES.test(calleeName(call));
}

export function functionNameOf(fn: Node): string {
  const own = field(fn, 'name')?.text;
  if (own) return own;
  const holder = fn.parent;
  if (holder?.type === 'variable_declarator') return field(holder, 'name')?.text ?? '';
  if (holder?.type === 'pair') return field(holder, 'key')?.text ?? '';
  return '';
}

/**
 * Code that runs once per event, request, tick or instance: where registering again accumulates.
 * A loop or a forEach alone does not count: it registers a fixed number of times.
 */
export function runsRepeatedly(node: Node): boolean {
  for (const fn of functionChain(node)) {
    const method = isMethodLike(fn);
    const name = method ? methodNameOf(fn) : functionNameOf(fn);
    if (ONCE_NAME.test(name)) return false;
    const call = callbackOf(fn);
    if (call && REPEATED_CALLBACK.test(calleeName(call)) && !ONE_SHOT_EVENTS.test(firstStringArgument(call) ?? '')) return true;
    if (method) return true;
    if (HANDLER_NAME.test(name) || UPDATE_NAME.test(name)) return true;
  }
  return false;
}

/** Code in a function that, by its name, runs on every update (`updateTable`, `checkPropertiesUpdate`). */
export function runsPerUpdate(node: Node): boolean {
  return functionChain(node).some((fn) => UPDATE_NAME.test(isMethodLike(fn) ? methodNameOf(fn) : functionNameOf(fn)));
}

function firstStringArgument(call: Node): string | undefined {
  return stringValue(field(call, 'arguments')?.namedChild(0) ?? undefined);
}

/** True when the identifier names a parameter of the function around the node (a forwarded value). */
export function isParameterOfEnclosing(node: Node, name: string): boolean {
  const fn = functionChain(node)[0];
  const parameters = fn ? field(fn, 'parameters') ?? field(fn, 'parameter') : undefined;
  if (!parameters) return false;
  if (parameters.type === 'identifier') return parameters.text === name;
  return parameters.descendantsOfType('identifier').some((id) => id?.text === name);
}

export function inLoop(node: Node): boolean {
  for (const ancestor of ancestors(node)) {
    if (FUNCTIONS.has(ancestor.type)) return false;
    if (LOOPS.has(ancestor.type)) return true;
  }
  return false;
}

/** The object an expression hangs off: `this`, or the first identifier of `a.b.c`. */
export function rootOf(expression: Node): string | undefined {
  let current: Node | undefined = expression;
  while (current) {
    if (current.type === 'this') return 'this';
    if (current.type === 'identifier') return current.text;
    if (current.type === 'member_expression') current = field(current, 'object');
    else if (current.type === 'subscript_expression') current = field(current, 'object');
    else if (current.type === 'call_expression') current = field(current, 'function');
    else if (current.type === 'non_null_expression' || current.type === 'parenthesized_expression') current = current.namedChild(0) ?? undefined;
    else return undefined;
  }
  return undefined;
}

/** Names bound at the top level (declarations and imports): they live as long as the module. */
export function moduleBindings(root: Node): Set<string> {
  const names = new Set<string>(GLOBALS);
  for (let statement of namedChildren(root)) {
    if (statement.type === 'export_statement') statement = field(statement, 'declaration') ?? statement;
    if (statement.type === 'import_statement') {
      for (const id of statement.descendantsOfType('identifier')) if (id) names.add(id.text);
    }
    for (const declarator of statement.type.endsWith('declaration') ? namedChildren(statement) : []) {
      const name = field(declarator, 'name');
      if (declarator.type === 'variable_declarator' && name?.type === 'identifier') names.add(name.text);
    }
    const name = field(statement, 'name');
    if (name && (statement.type.includes('function') || statement.type.includes('class'))) names.add(name.text);
  }
  return names;
}

/** Names bound inside the functions around a node (parameters, declarations). */
export function localBindings(node: Node): Set<string> {
  const names = new Set<string>();
  for (const fn of functionChain(node)) {
    const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
    if (parameters?.type === 'identifier') names.add(parameters.text);
    for (const id of parameters?.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']) ?? []) if (id) names.add(id.text);
    const body = field(fn, 'body');
    for (const declarator of body?.descendantsOfType('variable_declarator') ?? []) {
      const name = declarator ? field(declarator, 'name') : undefined;
      if (name?.type === 'identifier') names.add(name.text);
    }
  }
  return names;
}

/** The nearest enclosing callback parameter that is a connection or request (`ws`, `socket`, `req`). */
export function closeableParameter(node: Node): string | undefined {
  for (const fn of functionChain(node)) {
    const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
    const first = parameters?.type === 'identifier' ? parameters : parameters?.namedChild(0);
    const name = first?.type === 'identifier' ? first.text : first ? field(first, 'pattern')?.text : undefined;
    if (name && CLOSEABLE.test(name)) return name;
  }
  return undefined;
}

export function statementOf(node: Node): Node | undefined {
  return statementWithin(node, STATEMENT_PARENTS);
}

export function standsAlone(statement: Node, source: SourceText): boolean {
  return statementStandsAlone(statement, STATEMENT_PARENTS, source, '//');
}

export function insertAfterStatement(context: RuleContext, statement: Node, lines: readonly string[]): TextEdit {
  return linesAfterStatement(context.source, statement, lines);
}

export function isTypeScript(context: RuleContext): boolean {
  return context.language === 'typescript' || context.language === 'tsx';
}

/** A string literal's value (`'message'` → message), if the node is one. */
export function stringValue(node: Node | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

/** The file's calls by their callee's text (`playRound(r)` under `playRound`), read once per file. */
export function callsByName(context: RuleContext): ReadonlyMap<string | undefined, Node[]> {
  return context.memo('js.callsByName', () => groupBy(context.index.nodes('call_expression'), (call) => field(call, 'function')?.text));
}
