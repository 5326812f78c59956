// Long-lived containers in JavaScript/TypeScript: Maps, plain objects and arrays bound at module
// level, as class fields, or on `this` in a constructor.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { scopesOf } from '../scopes';
import { field, groupBy, methodReceiver, namedChildren, nodesWithin, normalizeRef, typeOf } from '../syntax';
import { NameOccurrences } from '../references';
import { ownOccurrences } from '../containerOwners';
import { separateJsOwners } from './owners';
import { calleeName, enclosingClass, enclosingMethod, functionChain, inLoop, innermostFunction, isMethodLike, methodNameOf, rootOf, runsRepeatedly, FUNCTION_VALUES } from './syntax';

export interface JsContainer {
  name: string;
  access: readonly string[];
  value: Node;
  /** The constructor that declares it, if any: uses there are set-up, not growth. */
  owner: Node | undefined;
  /** Where code reaches it by name: its class for `this.x` fields, the whole file (undefined) otherwise. */
  scope: Node | undefined;
  /** A local of a function that returns a closure over it (a memoizing wrapper): it lives as long as the closure. */
  heldByClosure?: boolean;
  /** Held by an API of closures its function hands out (handsOutApi): grows only per fresh id, like a module's table. */
  heldByApi?: boolean;
  /** The class or constructor function whose member it is; absent for a module's or a closure's name. */
  home?: string;
  /** Set when another class of the file binds the same name: whether an occurrence (by offset) may be this container. */
  reaches?: (start: number) => boolean;
}

const FIELD_TYPES = new Set(['field_definition', 'public_field_definition']);

/** `closures: false` leaves out closure-held locals (closureHeldContainers), for readers that do not count them. */
export function jsContainers(context: RuleContext, isContainer: (value: Node) => boolean, options: { closures?: boolean } = {}): JsContainer[] {
  const found: JsContainer[] = [];
  for (const declarator of context.index.nodes('variable_declarator')) {
    const name = field(declarator, 'name');
    const value = field(declarator, 'value');
    // Parents last, for containers only: asking a node for its parent searches the tree from the root.
    if (!name || typeOf(name) !== 'identifier' || !value || !isContainer(unwrapValue(value))) continue;
    const declaration = declarator.parent;
    const top = declaration?.parent?.type === 'export_statement' ? declaration.parent : declaration;
    if (top?.parent?.type === 'program') {
      found.push({ name: name.text, access: [name.text], value, owner: undefined, scope: undefined });
    }
  }
  for (const type of FIELD_TYPES) {
    for (const definition of context.index.nodes(type)) {
      const name = field(definition, 'property') ?? field(definition, 'name');
      const value = field(definition, 'value');
      if (!name || !value || !isContainer(unwrapValue(value))) continue;
      const className = field(enclosingClass(definition) ?? definition, 'name')?.text;
      const isStatic = definition.children.some((child) => child?.type === 'static');
      const access = isStatic && className ? [`${className}.${name.text}`, `this.${name.text}`] : [`this.${name.text}`];
      // A private field (`#queue`) is found in the name index under `queue`: the `#` is not part of a word.
      found.push({ name: name.text.replace(/^#/, ''), access, value, owner: undefined, scope: isStatic ? undefined : enclosingClass(definition), home: className });
    }
  }
  if (options.closures !== false) found.push(...closureHeldContainers(context, isContainer));
  for (const assignment of context.index.nodes('assignment_expression')) {
    const left = field(assignment, 'left');
    const value = field(assignment, 'right');
    const object = left && typeOf(left) === 'member_expression' ? field(left, 'object') : undefined;
    if (!left || !object || typeOf(object) !== 'this' || !value || !isContainer(unwrapValue(value))) continue;
    const name = field(left, 'property')?.text ?? '';
    const constructorFunction = prototypeConstructor(context, assignment);
    // An old-style class's methods sit anywhere in the file (`Ring.prototype.get = function…`): the file is its scope.
    if (constructorFunction) found.push({ name, access: [`this.${name}`], value, owner: constructorFunction, scope: undefined, home: constructorName(constructorFunction) });
    const method = enclosingMethod(assignment);
    if (method?.name !== 'constructor' || functionChain(assignment)[0]?.id !== method.method.id) continue;
    const cls = enclosingClass(assignment);
    found.push({ name, access: [`this.${name}`], value, owner: method.method, scope: cls, home: cls ? field(cls, 'name')?.text : undefined });
  }
  // A class's own fields are reached in its body only (their scope): the file-wide ones need telling apart.
  separateJsOwners(context, found.filter((container) => container.scope === undefined));
  return found;
}

/**
 * The constructor function of an old-style class around a node, if the node sits directly in it:
 * `function Ring(servers) { this.cache = {}; }` with methods on `Ring.prototype` in the file. Its
 * `this.x` fields live as long as the instance, like a class's constructor fields.
 */
function prototypeConstructor(context: RuleContext, node: Node): Node | undefined {
  const fn = functionChain(node)[0];
  if (!fn || (fn.type !== 'function_declaration' && fn.type !== 'function_expression')) return undefined;
  const name = constructorName(fn);
  if (!name || !/^[A-Z]/.test(name)) return undefined;
  const names = context.index.names;
  return names.anyFollowedBy(name, undefined, /\s*\.\s*prototype\b/) ? fn : undefined;
}

/** `function Ring() {…}` or `var Ring = function () {…}`. */
function constructorName(fn: Node): string | undefined {
  return field(fn, 'name')?.text ?? (fn.parent?.type === 'variable_declarator' ? field(fn.parent, 'name')?.text : undefined);
}

/**
 * `function memo(fn) { const cache = new Map(); return (x) => { ... cache.set(k, v) ... } }`: the
 * container is a local of the outer function, but the closure it returns keeps it, and each call
 * of the closure can add to it. Uses in the outer function are set-up (its `owner`).
 */
function closureHeldContainers(context: RuleContext, isContainer: (value: Node) => boolean): JsContainer[] {
  const found: JsContainer[] = [];
  for (const declarator of context.index.nodes('variable_declarator')) {
    const name = field(declarator, 'name');
    const value = field(declarator, 'value');
    if (!name || typeOf(name) !== 'identifier' || !value || !isContainer(unwrapValue(value))) continue;
    const block = declarator.parent?.parent;
    const outer = block?.type === 'statement_block' ? block.parent : undefined;
    if (!outer || !functionChain(declarator)[0] || functionChain(declarator)[0]!.id !== outer.id) continue;
    if (returnsClosure(outer, block!)) found.push({ name: name.text, access: [name.text], value, owner: outer, scope: outer, heldByClosure: true });
    else if (handsOutApi(outer, block!)) found.push({ name: name.text, access: [name.text], value, owner: outer, scope: outer, heldByClosure: true, heldByApi: true });
  }
  return found;
}

/**
 * The function hands out a function: its own `return` gives an inline one or one declared in its
 * body, or it stores one on an object from outside (`descriptor.value = function (...args) {…}`,
 * a TypeScript method decorator): either way the closure outlives the call.
 */
function returnsClosure(outer: Node, block: Node): boolean {
  if (storesClosure(outer, block)) return true;
  const inner = innerFunctionNames(block);
  return ownReturns(outer, block).some((value) => isFunctionValue(value, inner));
}

/**
 * The function hands out an API of closures that outlive its call: it returns an object holding
 * a function (`return { call, cancel }`, a factory's or a module wrapper's API), or stores a
 * function on something it did not declare, a parameter or a global (`target.setTimeout =
 * function…`, `window.clearTimeout = …`). Whoever holds that function calls it after the outer
 * call has ended, and each call reaches the locals it closes over: they live as long as the API.
 */
function handsOutApi(outer: Node, block: Node): boolean {
  const inner = innerFunctionNames(block);
  const returnsApi = ownReturns(outer, block).some((value) => value.type === 'object' && namedChildren(value).some((member) =>
    member.type === 'method_definition' ||
    (member.type === 'shorthand_property_identifier' && inner.has(member.text)) ||
    (member.type === 'pair' && isFunctionValue(field(member, 'value'), inner))));
  return returnsApi || storesFunctionOutside(outer, block);
}

function innerFunctionNames(block: Node): Set<string> {
  return new Set(namedChildren(block).flatMap((statement) => {
    if (statement.type === 'function_declaration') return [field(statement, 'name')?.text ?? ''];
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return [];
    return namedChildren(statement).flatMap((d) => (d.type === 'variable_declarator' && FUNCTION_VALUES.has(field(d, 'value')?.type ?? '') ? [field(d, 'name')?.text ?? ''] : []));
  }));
}

function isFunctionValue(value: Node | undefined, inner: ReadonlySet<string>): boolean {
  return value !== undefined && (FUNCTION_VALUES.has(value.type) || (value.type === 'identifier' && inner.has(value.text)));
}

/** What the outer function's own `return`s give (not those of functions inside it). */
function ownReturns(outer: Node, block: Node): Node[] {
  return block.descendantsOfType('return_statement').flatMap((ret) => {
    const value = ret && functionChain(ret)[0]?.id === outer.id ? ret.namedChild(0) : null;
    return value ? [unwrapValue(value)] : [];
  });
}

/** Functions assigned in the outer function's own body to a member, by what the member hangs on. */
function functionsStoredOn(outer: Node, block: Node): Node[] {
  return block.descendantsOfType('assignment_expression').flatMap((assignment) => {
    const left = assignment ? field(assignment, 'left') : undefined;
    const right = assignment ? field(assignment, 'right') : undefined;
    return left?.type === 'member_expression' && right && FUNCTION_VALUES.has(right.type) && functionChain(assignment!)[0]?.id === outer.id ? [left] : [];
  });
}

/**
 * A method decorator replacing the method: `descriptor.value = function…` (or `.get`) on one of its
 * parameters. Narrow on purpose: a module wrapper of a bundle stores functions on `exports` and
 * friends too, and its locals are mostly tables of a fixed size; handsOutApi reads those, for
 * tables that grow per fresh id only.
 */
function storesClosure(outer: Node, block: Node): boolean {
  const parameters = new Set(identifiersOf(field(outer, 'parameters') ?? field(outer, 'parameter')));
  return functionsStoredOn(outer, block).some((left) => {
    const object = field(left, 'object');
    return object?.type === 'identifier' && parameters.has(object.text) && /^(value|get)$/.test(field(left, 'property')?.text ?? '');
  });
}

/** `target.setTimeout = function…`, `window.onmessage = …`: on a parameter or a global, not a local or `this`. */
function storesFunctionOutside(outer: Node, block: Node): boolean {
  const locals = new Set(namedChildren(block).flatMap((statement) =>
    statement.type === 'lexical_declaration' || statement.type === 'variable_declaration' ? namedChildren(statement).map((d) => field(d, 'name')?.text ?? '') : []));
  return functionsStoredOn(outer, block).some((left) => {
    const holder = rootOf(left);
    return holder !== undefined && holder !== 'this' && !locals.has(holder);
  });
}

export function isRepeatedJsUse(container: JsContainer, use: Node): boolean {
  const innermost = innermostFunction(use);
  if (!innermost) return inLoop(use);
  // A field filled in the constructor is being set up, not growing; a static one is every instance's.
  if (innermost?.type === 'method_definition' && field(innermost, 'name')?.text === 'constructor' && container.access.some((a) => a.startsWith('this.')) && !isSharedByInstances(container)) return false;
  return !container.owner || innermost?.id !== container.owner.id;
}

export function refersToJs(container: JsContainer, node: Node | undefined): boolean {
  return node !== undefined && container.access.includes(node.text.replace(/\s+/g, '').replace(/!$/, ''));
}

/** Assignments to the name in its scope, declarations included (`cache = new Map()` in a reset counts). */
export function jsAssignmentCount(names: NameOccurrences, container: JsContainer, counts?: (start: number) => boolean): number {
  return names.count(container.name, container.scope, /\s*!?\s*(?::[^=\n;]+)?=(?![=>])/, ownOccurrences(container, counts));
}

/**
 * The container stored elsewhere or handed to a call: what happens to it then is out of sight.
 * Not `Object.keys(cache)` and its kin: they read the keys and keep nothing.
 */
export function jsEscapes(names: NameOccurrences, container: JsContainer): boolean {
  const own = ownOccurrences(container);
  return (
    names.anyAround(container.name, container.scope, /(?<![=!<>])=\s*(?:[\w$]+\.)*$/, /\s*(?:;|$)/m, own) ||
    names.anyAround(container.name, container.scope, /(?<!\bObject\s*\.\s*(?:keys|values|entries)\s*)[(,]\s*(?:[\w$]+\.)*$/, /\s*[,)]/, own)
  );
}

/** A method called on the container in its scope: `cache.delete(`, `this.items.splice(`. */
export function jsCalledWith(names: NameOccurrences, container: JsContainer, methods: string, counts?: (start: number) => boolean): boolean {
  return names.anyFollowedBy(container.name, container.scope, new RegExp(`\\s*!?\\s*\\??\\.\\s*(?:${methods})\\s*\\(`), ownOccurrences(container, counts));
}

/** `delete cache[`, `delete this.cache[`. */
export function jsDeletedFrom(names: NameOccurrences, container: JsContainer, counts?: (start: number) => boolean): boolean {
  return names.anyAround(container.name, container.scope, /\bdelete\s+(?:[\w$]+\s*\.\s*)*$/, /\s*\[/, ownOccurrences(container, counts));
}

/** Containers' declarations per name and owner, so a reassignment count can discount them. */
export function jsDeclarationCount(names: NameOccurrences, containers: readonly JsContainer[], container: JsContainer): number {
  const reaches = container.reaches;
  // The declaration's name is its last occurrence before the value (`this.cache = new Map()`).
  return containers.filter((c) => c.name === container.name && (!reaches || reaches(names.within(c.name, 0, c.value.startIndex).at(-1) ?? c.value.startIndex))).length;
}

export function isNewMap(value: Node): boolean {
  return typeOf(value) === 'new_expression' && field(value, 'constructor')?.text === 'Map';
}

export function isEmptyObject(value: Node): boolean {
  const type = typeOf(value);
  if (type === 'object') return namedChildren(value).length === 0;
  return type === 'call_expression' && value.text.replace(/\s+/g, '') === 'Object.create(null)';
}

export function isArray(value: Node): boolean {
  const type = typeOf(value);
  if (type === 'array') return true;
  return type === 'new_expression' && field(value, 'constructor')?.text === 'Array' && namedChildren(field(value, 'arguments') ?? value).length === 0;
}

/**
 * `new Set()` (with or without first items): like an array, it keeps every item added until
 * something takes it out; it only spells adding `add` and its size `size`.
 */
export function isNewSet(value: Node): boolean {
  return typeOf(value) === 'new_expression' && field(value, 'constructor')?.text === 'Set';
}

/** What the collection rules read as a list: an array or a set. */
export function isCollection(value: Node): boolean {
  return isArray(value) || isNewSet(value);
}

const VALUE_WRAPPERS = new Set(['as_expression', 'satisfies_expression', 'parenthesized_expression']);

/** `as` casts and `satisfies` wrap the value in TypeScript: look through them. */
export function unwrapValue(value: Node): Node {
  let current = value;
  while (VALUE_WRAPPERS.has(typeOf(current)) && current.namedChild(0)) {
    current = current.namedChild(0) ?? current;
  }
  return current;
}

/** The key a growth stores under: `m.set(k, v)`, `o[k] = v`, `m.get(k).push(v)`, `o[k].push(v)`. */
export function jsGrowthKey(growth: Node): Node | undefined {
  if (growth.type === 'assignment_expression') {
    const left = field(growth, 'left');
    return left?.type === 'subscript_expression' ? field(left, 'index') : undefined;
  }
  const callee = field(growth, 'function');
  let receiver = callee?.type === 'member_expression' ? field(callee, 'object') : undefined;
  if (receiver?.type === 'non_null_expression') receiver = receiver.namedChild(0) ?? undefined;
  if (receiver?.type === 'subscript_expression') return field(receiver, 'index');
  const inner = receiver?.type === 'call_expression' ? receiver : growth;
  return namedChildren(field(inner, 'arguments') ?? inner)[0];
}

/**
 * A module-level container whose key holds a parameter of the function that grows it (directly
 * or through one local), in code that runs per call or request: each distinct argument adds an
 * entry. Fields of an instance go with the instance and are left to the naming hints.
 */
export function isJsKeyedByArguments(context: RuleContext, container: JsContainer, growth: Node): boolean {
  const key = jsGrowthKey(growth);
  const fn = functionChain(growth)[0];
  const moduleLevel = !container.scope && !container.owner;
  // A factory's API is called with what its users pass, often a small set (levels, names): only fresh ids count there.
  if (container.heldByApi) return false;
  const perCall = container.heldByClosure ? fn?.id !== container.owner?.id : moduleLevel && (runsRepeatedly(growth) || (fn !== undefined && isLookedUpFirst(context, container, fn, growth)));
  if (!key || !fn || !perCall) return false;
  const parameters = new Set(identifiersOf(field(fn, 'parameters') ?? field(fn, 'parameter')));
  if (parameters.size === 0) return false;
  const names = identifiersOf(key);
  if (names.some((name) => parameters.has(name)) || flowsFromOuterParameter(context, key, functionChain(growth))) return true;
  const locals = (field(fn, 'body')?.descendantsOfType('variable_declarator') ?? []).flatMap((declarator) => {
    const value = declarator ? field(declarator, 'value') : undefined;
    const name = declarator ? field(declarator, 'name') : undefined;
    return name?.type === 'identifier' && value && declarator!.startIndex < growth.startIndex && identifiersOf(value).some((id) => parameters.has(id)) ? [name.text] : [];
  });
  return names.some((name) => locals.includes(name));
}

/**
 * A module-level table (or one a returned closure keeps) stored into under an id the storing
 * function makes fresh on that call (`const key = 'rm-' + uuid()`, `id = ++lastId`): a handle
 * table. No later call can store under the same key, so every call adds an entry, and only a
 * delete when the handle's work completes bounds it (isEvicted). A set-up function that runs
 * once makes no fresh ids to key by.
 */
export function isKeyedByFreshId(context: RuleContext, container: JsContainer, growth: Node): boolean {
  const fn = functionChain(growth)[0];
  const longLived = container.heldByClosure ? fn?.id !== container.owner?.id : !container.scope && !container.owner;
  return longLived && isFreshKey(context, growth);
}

/** The growth stores under a key new on this call (isFreshPerCall), wherever the table lives. */
export function isFreshKey(context: RuleContext, growth: Node): boolean {
  const key = jsGrowthKey(growth);
  return key !== undefined && functionChain(growth).length > 0 && isFreshPerCall(context, key, growth);
}

/**
 * The growth stores the settle functions of a promise it is inside (`new Promise((resolve,
 * reject) => { pending.set(id, { resolve, reject }) })`): a table of calls awaiting a reply,
 * one entry per call. Its entries must go when the reply (or a timeout) comes; when nothing in
 * the file deletes them, every call's continuation (and what it closes over) stays.
 */
export function storesPendingSettlers(growth: Node): boolean {
  const value = jsGrowthValue(growth);
  if (!value) return false;
  // `{ resolve, reject }` names them as shorthand properties.
  const stored = new Set([...identifiersOf(value), ...value.descendantsOfType('shorthand_property_identifier').flatMap((id) => (id ? [id.text] : []))]);
  return functionChain(growth).some((fn) => {
    const call = fn.parent?.type === 'arguments' ? fn.parent.parent : undefined;
    if (call?.type !== 'new_expression' || field(call, 'constructor')?.text !== 'Promise') return false;
    return identifiersOf(field(fn, 'parameters') ?? field(fn, 'parameter')).some((name) => stored.has(name));
  });
}

/** The value a growth stores: `m.set(k, v)` or `o[k] = v`. */
function jsGrowthValue(growth: Node): Node | undefined {
  if (growth.type === 'assignment_expression') return field(growth, 'right');
  return namedChildren(field(growth, 'arguments') ?? growth)[1];
}

/**
 * The key reaches a parameter of a function further out than the one that stores (by binding,
 * through scopes.ts): `function send(request) { stream.on('response', (res) => { table[request.id] = res }) }`
 * stores per request from a callback whose own parameter is the response.
 */
function flowsFromOuterParameter(context: RuleContext, key: Node, chain: readonly Node[]): boolean {
  const outer = new Set(chain.slice(1).map((fn) => fn.id));
  const scopes = scopesOf(context);
  const identifiers = key.type === 'identifier' ? [key] : key.descendantsOfType('identifier').filter((id): id is Node => id !== null && !(id.parent?.type === 'member_expression' && field(id.parent, 'property')?.id === id.id));
  return identifiers.some((id) => {
    const binding = scopes.bindingOf(id);
    return binding.kind === 'parameter' && binding.scope !== undefined && outer.has(binding.scope.id);
  });
}

/**
 * An instance's memo filled by a chainable method (every return is `return this`) that looks the
 * key up before it stores: `glob(...patterns) { let m = this.cache[k]; if (!m) this.cache[k] = m = compile(patterns); this.filters.push(m); return this }`.
 * A method that hands back its own object is a set-up step of a chain (`new Finder().glob('*.js').crawl(dir)`):
 * its keys are what that set-up passes, and the memo goes with the object being configured.
 * The lookup is required: a `set(k, v) { this.store.set(k, v); return this }` is a container's own API.
 */
export function memoizesForChainedSetUp(context: RuleContext, container: JsContainer, growth: Node): boolean {
  const fn = functionChain(growth)[0];
  if (!fn || !isMethodLike(fn) || !container.access.every((access) => access.startsWith('this.'))) return false;
  const returns = (field(fn, 'body')?.descendantsOfType('return_statement') ?? []).filter((ret): ret is Node => ret !== null && functionChain(ret)[0]?.id === fn.id);
  return returns.length > 0 && returns.every((ret) => ret.namedChild(0)?.type === 'this') && isLookedUpFirst(context, container, fn, growth);
}

/** Tables of callbacks or plugins: filled at registration, a bounded set; the handler rules read them. */
const REGISTRY_NAME = /(handlers?|listeners?|callbacks?|hooks?|plugins?|subscribers?|registry|routes?|commands?|types?|schemas?)$/i;

/**
 * The function looks the key up in the container before it stores: a get-or-compute memo
 * (`if (m.has(k)) return m.get(k); … m.set(k, v)`) or a get-or-create table of lists
 * (`if (!o[k]) o[k] = []; o[k].push(v)`). Either way it is called for every value it is handed,
 * which is what makes a module-level table keyed by its arguments grow, even from a function the
 * file never shows running per request.
 */
function isLookedUpFirst(context: RuleContext, container: JsContainer, fn: Node, growth: Node): boolean {
  if (REGISTRY_NAME.test(container.name)) return false;
  const names = context.index.names;
  const lookup = isNewMap(unwrapValue(container.value)) ? /\s*\.\s*(?:has|get)\s*\(/y : /\s*\[/y;
  return names.within(container.name, fn.startIndex, growth.startIndex).some((start) => {
    lookup.lastIndex = start + container.name.length;
    return lookup.test(names.code);
  });
}

/**
 * Values new on every call: the clock, a fresh id, a counter stepped in place, the handle of a
 * timeout just set (its work ends when it fires; an interval's does not, so not its handle).
 */
const JS_PER_CALL_VALUE = /\b\w*[sS]etTimeout\s*(?:\.\s*(?:call|apply)\s*)?\(|\bDate\s*\.\s*now\s*\(|\bnew\s+Date\s*\(|\bperformance\s*\.\s*now\s*\(|\b(?:randomUUID|uuid\w*|nanoid)\s*\(|\+\+/;

/**
 * Positive evidence that a container named as a cache grows without bound at `growth`: its key
 * comes from outside per call, from a parameter of the functions around the store (directly,
 * through a local or a loop variable) or a value new on every call; not a fixed key the code names.
 */
export function isJsKeyFromOutside(context: RuleContext, growth: Node): boolean {
  const key = jsGrowthKey(growth);
  const chain = functionChain(growth);
  if (!key || chain.length === 0) return false;
  if (JS_PER_CALL_VALUE.test(key.text)) return true;
  const derived = new Set(chain.flatMap((fn) => identifiersOf(field(fn, 'parameters') ?? field(fn, 'parameter'))));
  const sources = chain.flatMap((fn) => localSourcesOf(context, fn)).filter((source) => source.startIndex < growth.startIndex).sort((a, b) => a.startIndex - b.startIndex);
  for (const source of sources) {
    const target = source.type === 'variable_declarator' ? field(source, 'name') : field(source, 'left');
    const value = source.type === 'variable_declarator' ? field(source, 'value') : field(source, 'right');
    if (!target || !value) continue;
    if (JS_PER_CALL_VALUE.test(value.text) || identifiersOf(value).some((id) => derived.has(id))) for (const id of identifiersOf(target)) derived.add(id);
  }
  return identifiersOf(key).some((id) => derived.has(id));
}

/**
 * A value new on every call: `Date.now()`, `uuid()`, `++lastId`, or a local the function made
 * from one before `node` (`var id = String(new Date().getTime())`). Not a value from a parameter:
 * a wrapper forwards what its caller names.
 */
export function isFreshPerCall(context: RuleContext, value: Node, node: Node): boolean {
  if (isPerCallValue(context, value)) return true;
  const names = new Set(identifiersOf(value));
  const fresh = new Set<string>();
  const sources = functionChain(node).flatMap((fn) => localSourcesOf(context, fn)).filter((source) => source.startIndex < node.startIndex && source.type === 'variable_declarator');
  for (const source of sources.sort((a, b) => a.startIndex - b.startIndex)) {
    const initial = field(source, 'value');
    const target = field(source, 'name');
    if (target && initial && (isPerCallValue(context, initial) || identifiersOf(initial).some((id) => fresh.has(id)))) for (const id of identifiersOf(target)) fresh.add(id);
  }
  return [...names].some((name) => fresh.has(name) || steppedBefore(name, node)) || (value.type === 'member_expression' && steppedBefore(value.text, node));
}

/** `counter += 1; jobs[counter] = job` (or `this.seq`): a counter the function around `node` steps before it. */
function steppedBefore(name: string, node: Node): boolean {
  const body = functionChain(node)[0];
  const steps = body?.descendantsOfType(['update_expression', 'augmented_assignment_expression']) ?? [];
  return steps.some((step) => {
    if (!step || step.startIndex >= node.startIndex || functionChain(step)[0]?.id !== body!.id) return false;
    const target = field(step, 'argument') ?? field(step, 'left');
    return (target?.type === 'identifier' || target?.type === 'member_expression') && target.text === name && (step.type === 'update_expression' ? step.text.includes('++') : /^\+=\s*1$/.test(step.text.slice(target.endIndex - step.startIndex).trim()));
  });
}

function isPerCallValue(context: RuleContext, value: Node): boolean {
  return JS_PER_CALL_VALUE.test(value.text) || callsIdMaker(context, value);
}

/**
 * `getFakeId()`: a call, without arguments, of a function the file declares that steps a counter
 * (`lastId++`, `return ++n`, `n += 1`): each call hands out a new id.
 */
function callsIdMaker(context: RuleContext, value: Node): boolean {
  const callee = value.type === 'call_expression' ? field(value, 'function') : undefined;
  if (callee?.type !== 'identifier' || namedChildren(field(value, 'arguments') ?? value).length > 0) return false;
  const declared = scopesOf(context).bindingOf(callee).declaration?.parent;
  const body = declared?.type === 'function_declaration' ? field(declared, 'body') : undefined;
  return body !== undefined && /\+\+|\+=\s*1\b/.test(context.index.codeOf(body));
}

/**
 * Declarations and `for…of`/`for…in` loops whose innermost function is `fn`, read once per
 * function and only for the functions around a growth: grouping every declaration of the file
 * by its function walked up from each of them.
 */
function localSourcesOf(context: RuleContext, fn: Node): Node[] {
  const byFunction = context.memo('js.localSourcesByFunction', () => new Map<number, Node[]>());
  let sources = byFunction.get(fn.id);
  if (!sources) {
    const inside = [...nodesWithin(context.index.nodes('variable_declarator'), fn), ...nodesWithin(context.index.nodes('for_in_statement'), fn)];
    byFunction.set(fn.id, (sources = inside.filter((node) => functionChain(node)[0]?.id === fn.id)));
  }
  return sources;
}

function identifiersOf(node: Node | undefined): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']).flatMap((id) => (id ? [id.text] : []));
}

/** `m.get(k).push(v)` (or `m.get(k)!.push`, `o[k].push`): the receiver whose per-key arrays grow. */
export function perKeyArrayReceiver(call: Node): string | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'member_expression' || !/^(push|unshift|add)$/.test(field(callee, 'property')?.text ?? '')) return undefined;
  let receiver = field(callee, 'object');
  if (receiver?.type === 'non_null_expression') receiver = receiver.namedChild(0) ?? undefined;
  if (receiver?.type === 'subscript_expression') {
    const target = field(receiver, 'object');
    return target ? normalizeRef(target.text) : undefined;
  }
  return receiver?.type === 'call_expression' ? methodReceiver(receiver, GET) : undefined;
}

const GET = new Set(['get']);

/**
 * Functions that take back what a caller started before it ends (`abort(request)`,
 * `cancelJob`, `clearTimeout`): a delete there runs only when the caller cancels, not when an
 * entry's work completes, so it does not bound what completed work leaves behind.
 */
const CANCELLATION = /^(abort|cancel|clearTimeout|clearInterval|clearImmediate)([A-Z_$]|$)|(Abort|Cancel)$/;

/** A removal at `offset` counts as bounding the container unless it runs only on cancellation. */
export function removalRunsOnCompletion(context: RuleContext): (offset: number) => boolean {
  return (offset) => {
    const node = context.root.descendantForIndex(offset);
    const fn = node ? functionChain(node).find((f) => nameOfFunction(f) !== '') : undefined;
    return !fn || !CANCELLATION.test(nameOfFunction(fn));
  };
}

/**
 * The table's entries are taken out and used where the table keeps them: a function other than
 * the one that stores looks an entry up by key (`pending.get(reply.id)`, `jobs[event.data.id]`)
 * and calls what it holds (`resolve(…)`, `job.fn.apply(…)`, `entry.reject(…)`), with no removal
 * from the table and no other call handed the same key there (a helper that may remove it). That
 * is where the entry's work completes; a delete elsewhere (a cancel, an unschedule) runs only when
 * a caller takes work back, so entries of work that simply completes stay.
 */
export function consumedWhereKept(context: RuleContext, container: JsContainer, growth: Node): KeyedRead | undefined {
  const grower = functionChain(growth)[0];
  // A store whose own call takes the entry out again (`try { … } finally { m.delete(id) }`) ends with its call.
  if (!grower || removesFrom(container, grower)) return undefined;
  // A callback written at the store (`this.handlers[id] = (m) => settle(m)`) is handler-not-cleared's (handler-registry.ts).
  const value = jsGrowthValue(growth);
  if (value && FUNCTION_VALUES.has(unwrapValue(value).type)) return undefined;
  return keyedReads(context, container).find((read) => {
    const consumer = functionChain(read.node)[0];
    return consumer !== undefined && consumer.id !== grower.id && callsWhatItRead(consumer, read.node) && !removesFrom(container, consumer) && !handsOnKey(container, consumer, read);
  });
}

/** A lookup of one entry: the read and the key it reads by. */
export interface KeyedRead { node: Node; key: Node }

/** `c.get(k)` for a Map, `c[k]` read (not stored into, not deleted) for an object. */
function keyedReads(context: RuleContext, container: JsContainer): KeyedRead[] {
  if (isNewMap(unwrapValue(container.value))) {
    const gets = context.memo('js.mapGets', () => groupBy(context.index.nodes('call_expression'), (call) => methodReceiver(call, GET)));
    return container.access.flatMap((access) => gets.get(access) ?? []).flatMap((call) => {
      const key = namedChildren(field(call, 'arguments') ?? call)[0];
      return key ? [{ node: call, key }] : [];
    });
  }
  const subscripts = context.memo('js.subscriptsByObject', () => groupBy(context.index.nodes('subscript_expression'), (node) => normalizeRef(field(node, 'object')?.text ?? '')));
  return container.access.flatMap((access) => subscripts.get(access) ?? []).flatMap((node) => {
    const key = field(node, 'index');
    const parent = node.parent;
    const stored = parent?.type === 'assignment_expression' && field(parent, 'left')?.id === node.id;
    const deleted = parent?.type === 'unary_expression' && parent.text.startsWith('delete');
    return key && !stored && !deleted ? [{ node, key }] : [];
  });
}

/** The read's value is called in the function: directly (`c.get(k)(v)`, `c[k].fn()`) or through the names it is bound to. */
function callsWhatItRead(consumer: Node, read: Node): boolean {
  let holder: Node = read;
  while (holder.parent && ['member_expression', 'binary_expression', 'parenthesized_expression', 'non_null_expression'].includes(holder.parent.type)) holder = holder.parent;
  if (holder.parent?.type === 'call_expression' && field(holder.parent, 'function')?.id === holder.id) return true;
  const parent = holder.parent;
  const target = parent?.type === 'variable_declarator' ? field(parent, 'name') : parent?.type === 'assignment_expression' ? field(parent, 'left') : undefined;
  const bound = new Set(identifiersOf(target));
  if (bound.size === 0) return false;
  return consumer.descendantsOfType('call_expression').some((call) => {
    const callee = call ? field(call, 'function') : undefined;
    return call !== null && call.startIndex > read.startIndex && callee !== undefined && bound.has(rootOf(callee) ?? '');
  });
}

/** `delete c[…]`, `c.delete(…)`, `c.clear()` in the function. */
function removesFrom(container: JsContainer, fn: Node): boolean {
  return fn.descendantsOfType(['call_expression', 'unary_expression']).some((node) => {
    if (!node) return false;
    if (node.type === 'unary_expression') return node.text.startsWith('delete') && container.access.some((access) => node.text.replace(/\s+/g, '').startsWith(`delete${access}[`));
    const callee = field(node, 'function');
    return callee?.type === 'member_expression' && refersToJs(container, field(callee, 'object') ?? undefined) && /^(delete|clear)$/.test(field(callee, 'property')?.text ?? '');
  });
}

/** Another call in the function is handed the key read by (a helper that may remove the entry); lookups and the table's own methods are not. */
function handsOnKey(container: JsContainer, fn: Node, read: KeyedRead): boolean {
  const key = read.key.text.replace(/\s+/g, '');
  return fn.descendantsOfType('call_expression').some((call) => {
    if (!call || call.id === read.node.id) return false;
    const callee = field(call, 'function');
    const receiver = callee?.type === 'member_expression' ? field(callee, 'object') : undefined;
    if (refersToJs(container, receiver ?? undefined) || (callee?.type === 'member_expression' && /^(get|has)$/.test(field(callee, 'property')?.text ?? ''))) return false;
    return namedChildren(field(call, 'arguments') ?? call).some((arg) => arg.text.replace(/\s+/g, '') === key);
  });
}

/**
 * A store made by a function that registers a repeating job (`window.setInterval = function
 * (cb, ms) { jobs[id] = cb }`): that entry's work never completes on its own, so it stays until
 * cancelled by design; only entries of work that ends (a timeout, a request) must go when it does.
 */
export function registersRepeatingJob(store: Node): boolean {
  return functionChain(store).some((fn) => /^set\w*Interval$/.test(nameOfFunction(fn)));
}

/**
 * Whether a wipe at an offset (`this.cache = {}`, `cache.clear()`) can keep up with growth at
 * `growth`: not when it sits in a method other than the growth's that nothing in the file calls
 * or hands out (`addServer`, `reset`, a stats read): that runs when a caller changes or inspects
 * the object, not once per stored key, so the container grows between two such calls without
 * bound. The method's own definition (`X.prototype.reset = function reset`, `reset() {}`) is no
 * call; `this.reset()`, `ring.reset`, `self.reset` are.
 */
export function wipeRunsAsOften(context: RuleContext, growth: Node): (offset: number) => boolean {
  const grower = functionChain(growth).find(isMethodLike);
  return (offset) => {
    const node = context.root.descendantForIndex(offset);
    const method = node ? functionChain(node).find(isMethodLike) : undefined;
    if (!method || method.id === grower?.id) return true;
    const name = methodNameOf(method);
    if (name === '' || name === 'constructor') return true;
    return context.index.names.anyPrecededBy(name, undefined, /(?<!\bprototype\s*)\.\s*$/);
  };
}

/** `function abort()`, `abort() {}`, `const abort = () => …`, `x.abort = function…`, `{ abort: … }`. */
function nameOfFunction(fn: Node): string {
  const own = field(fn, 'name');
  if (own) return own.text;
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator') return field(parent, 'name')?.text ?? '';
  if (parent?.type === 'pair') return field(parent, 'key')?.text ?? '';
  if (parent?.type === 'assignment_expression') {
    const left = field(parent, 'left');
    return (left?.type === 'member_expression' ? field(left, 'property')?.text : left?.text) ?? '';
  }
  return '';
}

/** Calls that keep a callback and call it per event: an emitter's, a bus's, an interval timer's. */
const KEEPS_CALLBACK = /^(on|addListener|addEventListener|prependListener|subscribe|setInterval)$/;

/**
 * The container is an instance's, the instance's set-up hands its own methods to something
 * outside it that keeps them and calls them per event (`bus.on('order', this.onOrder)`,
 * `process.on('message', (m) => this.route(m))`, `setInterval(() => this.poll(), 1000)`), and
 * `growth` runs in one of those methods (or one they call) and stores what the event brings or
 * a value new per call. The emitter, bus or timer holds the instance for as long as it lives, so
 * the container gains an entry per event for that long. Registering on itself (`this.on`) or on
 * what it owns (`this.socket.on`) is left out: that goes with the instance.
 */
export function growsPerEventOfKeptInstance(context: RuleContext, container: JsContainer, growth: Node): boolean {
  const setUp = container.owner ?? constructorOf(container.scope);
  const method = functionChain(growth).find(isMethodLike);
  if (!setUp || !method || method.id === setUp.id || container.heldByClosure || (!container.scope && !container.owner)) return false;
  // Asked for every container of the instance: read each set-up once.
  const known = context.memo('js.handedOutMethods', () => new Map<number, Set<string>>());
  const handed = known.get(setUp.id) ?? handedOutMethods(setUp);
  known.set(setUp.id, handed);
  const name = methodNameOf(method);
  if (handed.size === 0 || !(handed.has(name) || calledFromHandedOut(context, name, handed, setUp))) return false;
  return storesCallData(context, growth);
}

/** The module's container, or a class's static one: not one instance's, nor a closure's. */
function isSharedByInstances(container: JsContainer): boolean {
  return !container.scope && !container.owner && !container.heldByClosure && !container.heldByApi;
}

/**
 * A collection every instance shares (the module's, or a static field) grown in a class's
 * constructor (`Widget.all.push(this)`, `created.push(this.id)`): the constructor runs once per
 * instance made, so each instance adds its item, and it stays after the instance is gone. Not a
 * class the file makes at its top level (a singleton, made once).
 */
export function growsPerInstanceJs(context: RuleContext, container: JsContainer, growth: Node): boolean {
  const method = enclosingMethod(growth);
  if (!isSharedByInstances(container) || method?.name !== 'constructor' || innermostFunction(growth)?.id !== method.method.id) return false;
  const className = field(enclosingClass(growth) ?? growth, 'name')?.text;
  return className !== undefined && !madeAtTopLevel(context, className);
}

/** `const settings = new Settings()` (or a bare `new Settings()`) outside any function. */
function madeAtTopLevel(context: RuleContext, className: string): boolean {
  const made = context.memo('js.topLevelNews', () => {
    const classes = new Set<string>();
    // Read only when a shared collection grows in a constructor (rare): no index of every `new`.
    for (const node of context.root.descendantsOfType('new_expression')) if (node && !innermostFunction(node)) classes.add(field(node, 'constructor')?.text ?? '');
    return classes;
  });
  return made.has(className);
}

function constructorOf(cls: Node | undefined): Node | undefined {
  const body = cls ? field(cls, 'body') : undefined;
  return body ? namedChildren(body).find((member) => member.type === 'method_definition' && field(member, 'name')?.text === 'constructor') : undefined;
}

function handedOutMethods(setUp: Node): Set<string> {
  const handed = new Set<string>();
  for (const call of setUp.descendantsOfType('call_expression')) {
    if (!call || !KEEPS_CALLBACK.test(calleeName(call))) continue;
    const callee = field(call, 'function');
    const receiver = callee?.type === 'member_expression' ? field(callee, 'object') : undefined;
    if (receiver && rootOf(receiver) === 'this') continue;
    for (const arg of namedChildren(field(call, 'arguments') ?? call)) for (const name of ownMembersIn(arg)) handed.add(name);
  }
  return handed;
}

/** `this.x` members named in a node: `this.onOrder`, `this.onOrder.bind(this)`, `(m) => this.route(m)`. */
function ownMembersIn(node: Node): string[] {
  const members = node.type === 'member_expression' ? [node] : node.descendantsOfType('member_expression').filter((m): m is Node => m !== null);
  return members.flatMap((member) => (field(member, 'object')?.type === 'this' ? [field(member, 'property')?.text ?? ''] : []));
}

/** `this.track(…)` inside a handed-out method, or inside the callback set-up hands out. */
function calledFromHandedOut(context: RuleContext, name: string, handed: ReadonlySet<string>, setUp: Node): boolean {
  const calls = context.memo('js.callsByCallee', () => groupBy(context.index.nodes('call_expression'), (call) => normalizeRef(field(call, 'function')?.text ?? '')));
  return (calls.get(`this.${name}`) ?? []).some((call) => {
    const caller = functionChain(call).find(isMethodLike);
    if (caller && caller.id !== setUp.id) return handed.has(methodNameOf(caller));
    return caller?.id === setUp.id && functionChain(call)[0]?.id !== setUp.id;
  });
}

/** The key (or, for an array, the item) holds a parameter of the functions around the growth, or a value new per call. */
function storesCallData(context: RuleContext, growth: Node): boolean {
  const pushed = growth.type === 'call_expression' && /^(push|unshift)$/.test(calleeName(growth)) ? namedChildren(field(growth, 'arguments') ?? growth)[0] : undefined;
  // A set keeps one copy of each value: only a value new per call makes it grow per event.
  if (growth.type === 'call_expression' && calleeName(growth) === 'add') return isFreshPerCall(context, namedChildren(field(growth, 'arguments') ?? growth)[0] ?? growth, growth);
  if (!pushed) return isJsKeyFromOutside(context, growth);
  const parameters = new Set(functionChain(growth).flatMap((fn) => identifiersOf(field(fn, 'parameters') ?? field(fn, 'parameter'))));
  return identifiersOf(pushed).some((id) => parameters.has(id)) || isFreshPerCall(context, pushed, growth);
}
