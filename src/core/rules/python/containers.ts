// Long-lived containers in Python: dicts and lists bound at module level, in a class body, or
// on `self` in an initialiser. They live as long as the process (or the instance), so what is
// stored into them stays unless something takes it out.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { field, fieldText, namedChildren, normalizeRef, textOf, typeOf } from '../syntax';
import { NameOccurrences } from '../references';
import { hasFiniteDomain, isFlag } from './finite-domain';
import { ownOccurrences } from '../containerOwners';
import { separateOwners } from './owners';
import { callsByName, classOfMethod, decoratorsOf, enclosingFunction, functionName, isAsync, isInLoop, parameterNames, runsOnce } from './syntax';

export interface Container {
  /** The variable or attribute name, e.g. `_index_cache`. */
  name: string;
  /** How code refers to it, e.g. `self._index_cache`, `Store._index_cache`, `CACHE`. */
  access: readonly string[];
  declaration: Node;
  value: Node;
  /** The function the declaration sits in (an initialiser), if any. */
  owner: Node | undefined;
  /** Where code can reach it by name: its class for attributes, the whole file (undefined) for module names. */
  scope: Node | undefined;
  /** A local of a function that returns a nested function using it (a memoizing decorator): it lives as long as that closure. */
  heldByClosure?: boolean;
  /** A dataclass field made per instance (`items: list = field(default_factory=list)`): each instance of this class holds one. */
  instanceOf?: Node;
  /** The class whose attribute it is (class body, dataclass field, `self.x` in an initialiser); undefined for a module's or a closure's name. */
  home: Node | undefined;
  /** Set when another class of the file binds the same name: whether an occurrence (by offset) may be this container. */
  reaches?: (start: number) => boolean;
}

/** Methods of a class whose instances serve for the life of the process (a server, a plugin, a worker). */
const SERVICE_METHODS = /^(start|run|serve|serve_forever|startService|main_loop|run_forever)$/;

export function longLivedContainers(context: RuleContext, isContainer: (value: Node) => boolean): Container[] {
  const found: Container[] = [];
  for (const assignment of context.index.nodes('assignment')) {
    const left = field(assignment, 'left');
    const value = field(assignment, 'right');
    if (!left || !value) continue;
    const made = factoryOf(value) ?? value;
    // The parent last: asking a node for its parent searches the tree from the root.
    if (!isContainer(made) || assignment.parent?.type !== 'expression_statement') continue;
    const container = describe(assignment, left, made);
    if (container) found.push(container);
  }
  // An instance's attributes are reached in their class only (their scope): the file-wide ones need telling apart.
  separateOwners(context, found.filter((container) => container.scope === undefined));
  return found;
}

function describe(assignment: Node, left: Node, value: Node): Container | undefined {
  const statement = assignment.parent;
  const holder = statement?.parent;
  if (left.type === 'identifier' && holder?.type === 'module') {
    return { name: left.text, access: [left.text], declaration: assignment, value, owner: undefined, scope: undefined, home: undefined };
  }
  if (left.type === 'identifier' && holder?.type === 'block' && holder.parent?.type === 'class_definition' && isFactoryArgument(value)) {
    return { name: left.text, access: [`self.${left.text}`], declaration: assignment, value, owner: undefined, scope: holder.parent, instanceOf: holder.parent, home: holder.parent };
  }
  if (left.type === 'identifier' && holder?.type === 'block' && holder.parent?.type === 'class_definition') {
    const className = field(holder.parent, 'name')?.text ?? '';
    // `Store._cache` may be used by other classes of the file: the file is its scope.
    return { name: left.text, access: [`self.${left.text}`, `cls.${left.text}`, `${className}.${left.text}`], declaration: assignment, value, owner: undefined, scope: undefined, home: holder.parent };
  }
  const fn = enclosingFunction(assignment);
  if (left.type === 'attribute' && field(left, 'object')?.text === 'self' && fn && classOfMethod(fn) && runsOnce(fn)) {
    const name = field(left, 'attribute')?.text ?? '';
    return { name, access: [`self.${name}`], declaration: assignment, value, owner: fn, scope: classOfMethod(fn), home: classOfMethod(fn) };
  }
  if (left.type === 'identifier' && holder?.type === 'block' && fn && holder.parent?.id === fn.id && returnsNestedFunction(fn)) {
    return { name: left.text, access: [left.text], declaration: assignment, value, owner: fn, scope: fn, home: undefined, heldByClosure: true };
  }
  return undefined;
}

/** dataclasses' `field(default_factory=…)`, attrs' `attr.ib(factory=…)` / `attrs.field(factory=…)`. */
const FIELD_CALLS = /^(?:(?:dataclasses|attr|attrs)\.)?(?:field|ib|attrib)$/;
const FACTORY_KEYWORDS = new Set(['default_factory', 'factory']);

/**
 * A dataclass or attrs field declares a container per instance, in the class body, by naming
 * the type that makes it: the factory (`list`, `dict`) is the container's value.
 */
function factoryOf(value: Node): Node | undefined {
  if (typeOf(value) !== 'call' || !FIELD_CALLS.test(fieldText(value, 'function') ?? '')) return undefined;
  const keyword = namedChildren(field(value, 'arguments') ?? value).find((arg) => arg.type === 'keyword_argument' && FACTORY_KEYWORDS.has(field(arg, 'name')?.text ?? ''));
  return keyword ? field(keyword, 'value') : undefined;
}

/** `list` in `field(default_factory=list)`. Asks for the parent: callers check the cheap signs first. */
export function isFactoryArgument(value: Node): boolean {
  const keyword = value.parent;
  return keyword?.type === 'keyword_argument' && FACTORY_KEYWORDS.has(field(keyword, 'name')?.text ?? '') && field(keyword, 'value')?.id === value.id;
}

/**
 * `def memoize(fn): cache = {}; def wrapper(*args): ...; return wrapper`: the outer function
 * returns one of its nested functions, which keeps the outer's locals alive as long as it lives.
 */
function returnsNestedFunction(fn: Node): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  const nested = new Set(
    namedChildren(body).flatMap((statement) => {
      const definition = statement.type === 'decorated_definition' ? field(statement, 'definition') : statement;
      return definition?.type === 'function_definition' ? [functionName(definition)] : [];
    }),
  );
  return body.descendantsOfType('return_statement').some((ret) => {
    const value = ret?.namedChild(0);
    return ret !== null && enclosingFunction(ret)?.id === fn.id && value !== null && value !== undefined && (value.type === 'lambda' || (value.type === 'identifier' && nested.has(value.text)));
  });
}

/** A use of the container that runs repeatedly: inside a function other than its initialiser, or in a loop. */
export function isRepeatedUse(container: Container, use: Node): boolean {
  const fn = enclosingFunction(use);
  if (fn) return !container.owner || fn.id !== container.owner.id;
  return isInLoop(use);
}

export function refersTo(container: Container, node: Node | undefined): boolean {
  return node !== undefined && container.access.includes(node.text.replace(/\s+/g, ''));
}

/** How many times the container's name is assigned to in its scope (declarations included). */
export function assignmentCount(names: NameOccurrences, container: Container, counts?: (start: number) => boolean): number {
  return names.count(container.name, container.scope, /\s*(?::[^=\n]+)?=(?!=)/, ownOccurrences(container, counts));
}

/** True when the code stores a reference to the container somewhere else, or hands it to a call. */
export function escapes(names: NameOccurrences, container: Container): boolean {
  const own = ownOccurrences(container);
  // An attribute is only ever written with its receiver: a bare name (a parameter `environ` beside `self.environ`) is another variable.
  const receivers = container.access.every((access) => access.includes('.')) ? '+' : '*';
  return (
    names.anyAround(container.name, container.scope, new RegExp(`(?<![=!<>])=\\s*(?:\\w+\\.)${receivers}$`), /\s*(?:$|[#;)\n])/m, own) ||
    names.anyAround(container.name, container.scope, new RegExp(`[(,]\\s*(?:\\w+\\s*=\\s*)?(?:\\w+\\.)${receivers}$`), /\s*[,)]/, own)
  );
}

/** A method called on the container in its scope: `cache.pop(`, `self._cache.clear(`. */
export function calledWith(names: NameOccurrences, container: Container, methods: string, counts?: (start: number) => boolean): boolean {
  return names.anyFollowedBy(container.name, container.scope, new RegExp(`\\s*\\.\\s*(?:${methods})\\s*\\(`), ownOccurrences(container, counts));
}

/** `del cache[`, `del self._cache[`. */
export function deletedFrom(names: NameOccurrences, container: Container, counts?: (start: number) => boolean): boolean {
  return names.anyAround(container.name, container.scope, /\bdel\s+(?:\w+\s*\.\s*)*$/, /\s*\[/, ownOccurrences(container, counts));
}

/** `len(cache)` followed by `after` (a comparison, or anything). */
export function lengthChecked(names: NameOccurrences, container: Container, after = /\s*\)/, counts?: (start: number) => boolean): boolean {
  return names.anyAround(container.name, container.scope, /\blen\s*\(\s*(?:\w+\s*\.\s*)*$/, after, ownOccurrences(container, counts));
}

const DICT_TYPES = ['dict', 'OrderedDict', 'collections.OrderedDict', 'defaultdict', 'collections.defaultdict'];

export function isPythonDict(value: Node): boolean {
  const type = typeOf(value);
  if (type === 'dictionary') return true;
  const factory = DICT_TYPES.includes(textOf(value));
  const made = type === 'call' && DICT_TYPES.includes(fieldText(value, 'function') ?? '');
  return (factory || made) && (isFactoryArgument(value) ? factory : made);
}

/**
 * `defaultdict(list)`, `collections.defaultdict(deque)`: reading a missing key (`d[k]`) stores
 * a new value under it, so every read is a store.
 */
export function isDefaultDict(value: Node): boolean {
  return typeOf(value) === 'call' && /^(?:collections\.)?defaultdict$/.test(fieldText(value, 'function') ?? '');
}

export function isPythonList(value: Node): boolean {
  const type = typeOf(value);
  if (type === 'list') return true;
  const factory = textOf(value) === 'list';
  const made = type === 'call' && fieldText(value, 'function') === 'list' && namedChildren(field(value, 'arguments') ?? value).length === 0;
  return (factory || made) && (isFactoryArgument(value) ? factory : made);
}

const SET_TYPES = ['set'];
const DEQUE_TYPES = ['deque', 'collections.deque'];

/**
 * What the collection rules read as a list: a list, and the other built-in collections that keep
 * every item added until something takes it out: a set (`add`, `update`) and a deque made without
 * `maxlen` (a deque with one drops its oldest item itself). They differ from a list only in their
 * method names, not in how long what they hold stays.
 */
export function isPythonCollection(value: Node): boolean {
  if (isPythonList(value) || isPythonSet(value)) return true;
  return DEQUE_TYPES.includes(textOf(value)) ? isFactoryArgument(value) : isUnboundedDeque(value);
}

/** `{a, b}`, `set()`, `set(items)`, or `set` as a dataclass field's factory. */
export function isPythonSet(value: Node): boolean {
  const type = typeOf(value);
  if (type === 'set') return true;
  if (textOf(value) === 'set') return isFactoryArgument(value);
  return type === 'call' && SET_TYPES.includes(fieldText(value, 'function') ?? '') && namedChildren(field(value, 'arguments') ?? value).length <= 1;
}

/** `deque()`, `collections.deque(items)`: no `maxlen`, positional or by keyword. */
export function isUnboundedDeque(value: Node): boolean {
  if (typeOf(value) !== 'call' || !DEQUE_TYPES.includes(fieldText(value, 'function') ?? '')) return false;
  const args = namedChildren(field(value, 'arguments') ?? value);
  return args.length <= 1 && args.every((arg) => arg.type !== 'keyword_argument');
}

/** Containers' declarations per name and owner, so a file-wide reassignment count can discount them. */
export function declarationCount(containers: readonly Container[], container: Container): number {
  return containers.filter((c) => c.name === container.name && (!container.reaches || container.reaches(nameStart(c)))).length;
}

/** Where a container's name sits in its declaration: `_cache` of `self._cache = {}`. */
function nameStart(container: Container): number {
  const left = field(container.declaration, 'left');
  return (left?.type === 'attribute' ? field(left, 'attribute') : left)?.startIndex ?? container.declaration.startIndex;
}

const RECEIVERS = new Set(['self', 'cls']);
/** Parameters that carry one request's or message's data. */
// Not `path`, `data` or `item`: library code takes those everywhere, once per set-up as often as per request.
const REQUEST_PARAMETER = /^(request|req|message|msg|event|payload|ctx|websocket|ws|conn|connection|client|sid|session_id|user_id|user|job|job_id|task_id)$/;
/** Functions that run once per request, message or event. */
const HANDLER_NAME = /^_*(handle|on_|process|dispatch|serve|receive|ingest|track|record|observe)/;
/** Decorators of web and socket handlers: `@app.get(...)`, `@router.post`, `@sio.event`, `@app.websocket`. */
const HANDLER_DECORATOR = /^@\s*[\w.]*\.(route|get|post|put|patch|delete|websocket|event|on|message_handler|handler|middleware|api_route|subscribe|task)\b/;

/** The key a growth stores under: `d[k] = v`, `d.setdefault(k, v)`, `d[k].append(v)`, `d.setdefault(k, []).append(v)`. */
export function growthKey(growth: Node): Node | undefined {
  if (growth.type === 'subscript') return field(growth, 'subscript');
  if (growth.type === 'assignment') {
    const left = field(growth, 'left');
    return left?.type === 'subscript' ? field(left, 'subscript') : undefined;
  }
  const callee = field(growth, 'function');
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  if (receiver?.type === 'subscript') return field(receiver, 'subscript');
  const inner = receiver?.type === 'call' ? receiver : growth;
  return namedChildren(field(inner, 'arguments') ?? inner)[0];
}

/**
 * The key holds one of the enclosing function's parameters, directly or through one local
 * (`key = (request.path, user)`): each distinct argument adds an entry.
 */
export function isKeyedByArguments(context: RuleContext, container: Container, growth: Node): boolean {
  const fn = enclosingFunction(growth);
  // An instance's dict goes with the instance; a module's or class's stays for the process, a
  // decorator's for as long as the function it wrapped (usually the process too).
  if (!fn || !growsPerCall(context, container, fn)) return false;
  return keyHoldsArguments(context, fn, growth) || keyHoldsRequestData(context, fn, growth);
}

/**
 * The key of `growth` holds one of its function's parameters, directly or through one local or
 * loop variable: each distinct argument adds an entry. Parameters with a finite domain (a flag,
 * a value every call in the file takes from the code) do not, and a private function the file
 * only ever calls with no arguments stores under its defaults.
 */
function keyHoldsArguments(context: RuleContext, fn: Node, growth: Node): boolean {
  const key = growthKey(growth);
  if (!key) return false;
  const parameters = new Set(parameterNames(fn).filter((name) => !RECEIVERS.has(name) && !hasFiniteDomain(context, fn, name)));
  if (parameters.size === 0 || onlyCalledWithDefaults(context, fn)) return false;
  const names = identifiersIn(key);
  if (names.some((name) => parameters.has(name))) return true;
  return localsFromParameters(fn, parameters, growth).some((name) => names.includes(name));
}

/** Values new on every call: an object's identity, the clock, a fresh UUID. */
const PER_CALL_VALUE = /\bid\s*\(|\btime\s*\.\s*(?:time|monotonic|perf_counter)(?:_ns)?\s*\(|\buuid[1345]?\s*\(|\bnow\s*\(/;

/**
 * Positive evidence that a container named as a cache grows without bound at `growth`: the key
 * comes from outside per call (an argument, an object's id, the clock, a counter), not from a
 * fixed set the code itself names.
 */
export function isKeyFromOutside(context: RuleContext, container: Container, growth: Node): boolean {
  const key = growthKey(growth);
  const fn = enclosingFunction(growth);
  if (!key || !fn) return false;
  // Cheapest first: the counter test looks at every occurrence of the key's name in the file.
  return keyHoldsArguments(context, fn, growth) || PER_CALL_VALUE.test(key.text) || isKeyedByInstanceState(container, fn, key) || isKeyedByCounter(context.index.names, container, growth, context);
}

/** The key's text and, for the names in it, what the function assigned them (`key = (self.a, b)`). */
function keySources(fn: Node, key: Node): string {
  const names = new Set(identifiersIn(key));
  const assigned = (field(fn, 'body')?.descendantsOfType('assignment') ?? []).flatMap((assignment) => {
    const left = assignment ? field(assignment, 'left') : undefined;
    const right = assignment ? field(assignment, 'right') : undefined;
    return left?.type === 'identifier' && right && names.has(left.text) ? [right.text] : [];
  });
  return [key.text, ...assigned].join('\n');
}

/**
 * A dict shared by every instance (the module's or the class's) keyed by what one instance was
 * made with (`_cache[self._settings.key]` where `__init__` did `self._settings = settings`): each
 * instance made with new arguments adds entries, and they stay after the instance is gone.
 */
function isKeyedByInstanceState(container: Container, fn: Node, key: Node): boolean {
  if (container.owner || container.instanceOf || container.heldByClosure) return false;
  const cls = classOfMethod(fn);
  const attributes = [...keySources(fn, key).matchAll(/\bself\s*\.\s*(\w+)/g)].map((m) => m[1]!);
  if (!cls || attributes.length === 0) return false;
  const init = methodsOf(cls).find((method) => functionName(method) === '__init__');
  if (!init) return false;
  const parameters = new Set(parameterNames(init).filter((name) => !RECEIVERS.has(name)));
  return attributes.some((attribute) => {
    const stored = new RegExp(`\\bself\\s*\\.\\s*${attribute}\\s*=\\s*([^\\n]+)`).exec(field(init, 'body')?.text ?? '');
    return stored !== null && (stored[1]!.match(/\b[A-Za-z_]\w*\b/g) ?? []).some((name) => parameters.has(name));
  });
}

/** Class names of objects made to serve for the life of the process. */
const LONG_LIVED_ROLE = /(Server|Service|Manager|Registry|Store|App|Application|Daemon|Worker|Pool|Plugin|Broker|Bus|Hub|Dispatcher|Scheduler|Monitor|Tracker|Router|Controller|Gateway|Collector|Singleton)$/;

/**
 * The container outlives the calls that fill it: a module's or class's, a decorator's closure's,
 * or an attribute of an instance made to live long (a service, a registry, a module-level
 * singleton). An attribute of an ordinary object (a parser, a document, a reporter, one run's
 * tracer) goes with that object.
 */
export function outlivesCalls(context: RuleContext, container: Container): boolean {
  if (container.instanceOf) return instancesLiveLong(context, container.instanceOf);
  if (!container.owner || container.heldByClosure) return true;
  const cls = classOfMethod(container.owner);
  return cls !== undefined && instancesLiveLong(context, cls);
}

function instancesLiveLong(context: RuleContext, cls: Node): boolean {
  const name = field(cls, 'name')?.text ?? '';
  return runsOwnLoop(cls) || LONG_LIVED_ROLE.test(name) || madeAtModuleLevel(context, name) || handsOwnMethodOut(context, cls) || wrapsFunction(cls);
}

/**
 * A decorator class (`def __init__(self, func)` and a `__call__` or `__get__`): each instance
 * wraps one function and lives as long as it, usually the process (a module's or class's def).
 */
function wrapsFunction(cls: Node): boolean {
  const methods = methodsOf(cls);
  const init = methods.find((fn) => functionName(fn) === '__init__');
  return init !== undefined && requiredArguments(init) === 1 && methods.some((fn) => /^__(call|get)__$/.test(functionName(fn)));
}

/** Calls that keep a callable to call it later, or run it on a thread or timer of their own. */
const KEEPS_CALLABLE = /^(subscribe|connect|add_listener|add_handler|add_callback|register_callback|callInThread|callLater|call_later|call_soon|call_soon_threadsafe|call_at|Thread|Timer|start_new_thread|LoopingCall|add_reader|add_timeout)$/;

/**
 * Set-up hands one of the instance's own methods to something that keeps it (`hub.subscribe(topic,
 * self._consume)`, `reactor.callInThread(self._work_loop)`, `Thread(target=self._run)`): the hub,
 * thread or timer then holds the instance and calls it per event, so it lives as long as they do.
 */
function handsOwnMethodOut(context: RuleContext, cls: Node): boolean {
  // Asked for every container of the class: read each class once.
  const known = context.memo('python.handsOwnMethodOut', () => new Map<number, boolean>());
  let hands = known.get(cls.id);
  if (hands === undefined) known.set(cls.id, (hands = readsOwnMethodHandOut(cls)));
  return hands;
}

function readsOwnMethodHandOut(cls: Node): boolean {
  const methods = new Set(methodsOf(cls).map(functionName));
  return methodsOf(cls).some((fn) => runsOnce(fn) && (field(fn, 'body')?.descendantsOfType('call') ?? []).some((call) => call !== null && keepsOwnMethod(fn, call, methods)));
}

function keepsOwnMethod(fn: Node, call: Node, methods: ReadonlySet<string>): boolean {
  const callee = field(call, 'function');
  const name = callee?.type === 'attribute' ? field(callee, 'attribute')?.text : callee?.text;
  if (!name || !KEEPS_CALLABLE.test(name)) return false;
  const aliases = ownMethodAliases(fn, methods);
  return namedChildren(field(call, 'arguments') ?? call).some((arg) => {
    const value = arg.type === 'keyword_argument' ? field(arg, 'value') : arg;
    return value !== undefined && (isOwnMethod(value, methods) || (value.type === 'identifier' && aliases.has(value.text)));
  });
}

/** `self.m` where the class defines `m`. */
function isOwnMethod(node: Node, methods: ReadonlySet<string>): boolean {
  return node.type === 'attribute' && field(node, 'object')?.text === 'self' && methods.has(field(node, 'attribute')?.text ?? '');
}

/** Locals the function binds to one of the instance's methods (`callback = self._consume`). */
function ownMethodAliases(fn: Node, methods: ReadonlySet<string>): Set<string> {
  const aliases = new Set<string>();
  for (const assignment of field(fn, 'body')?.descendantsOfType('assignment') ?? []) {
    const left = assignment ? field(assignment, 'left') : undefined;
    const right = assignment ? field(assignment, 'right') : undefined;
    if (left?.type === 'identifier' && right && isOwnMethod(right, methods)) aliases.add(left.text);
  }
  return aliases;
}

/**
 * A service's own loop: `run(self)`, `serve_forever(self, poll_interval=0.5)`, `start(self)`.
 * A `run(self, cmd)` that runs what it is given (a debugger's, a tracer's) is one job, not a life.
 */
function runsOwnLoop(cls: Node): boolean {
  return methodsOf(cls).some((fn) => SERVICE_METHODS.test(functionName(fn)) && requiredArguments(fn) === 0);
}

const OPTIONAL_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator']);

function requiredArguments(fn: Node): number {
  return namedChildren(field(fn, 'parameters') ?? fn).filter((p) => !OPTIONAL_PARAMETERS.has(p.type) && !RECEIVERS.has((field(p, 'name') ?? p).text)).length;
}

/** `registry = Registry()` at module level: one instance that lives with the module. */
function madeAtModuleLevel(context: RuleContext, className: string): boolean {
  return moduleLevelInstances(context).has(className);
}

/** Class (or factory) name to the module-level names bound to what calling it made. */
function moduleLevelInstances(context: RuleContext): ReadonlyMap<string, readonly string[]> {
  return context.memo('python.moduleLevelInstances', () => {
    const made = new Map<string, string[]>();
    for (const statement of namedChildren(context.root)) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : undefined;
      const value = assignment?.type === 'assignment' ? field(assignment, 'right') : undefined;
      if (value?.type !== 'call') continue;
      const maker = field(value, 'function')?.text ?? '';
      const left = field(assignment!, 'left');
      made.set(maker, [...(made.get(maker) ?? []), ...(left?.type === 'identifier' ? [left.text] : [])]);
    }
    return made;
  });
}

/**
 * `limiter.allow(ip)` in a declared handler, where `limiter = Limiter()` at module level: the
 * method runs per request on an instance that lives as long as the module, so what it stores in
 * the instance's containers stays for the process.
 */
function calledOnModuleInstanceFromHandler(context: RuleContext, cls: Node, method: string): boolean {
  const instances = moduleLevelInstances(context).get(field(cls, 'name')?.text ?? '') ?? [];
  if (instances.length === 0) return false;
  const calls = callsByName(context);
  return instances.some((instance) =>
    (calls.get(`${instance}.${method}`) ?? []).some((call) => {
      const caller = enclosingFunction(call);
      return caller !== undefined && isDeclaredHandler(caller);
    }),
  );
}

/**
 * A module-private function (`_sys_version`) the file calls, and only ever with no arguments:
 * its parameters keep their defaults, so its key does not change per call.
 */
function onlyCalledWithDefaults(context: RuleContext, fn: Node): boolean {
  const name = functionName(fn);
  if (!/^_[^_]/.test(name) || classOfMethod(fn)) return false;
  const calls = callsByName(context);
  const found = calls.get(name) ?? [];
  return found.length > 0 && found.every((call) => namedChildren(field(call, 'arguments') ?? call).length === 0);
}

function growsPerCall(context: RuleContext, container: Container, fn: Node): boolean {
  if (container.heldByClosure) return fn.id !== container.owner?.id;
  if (!container.owner && !container.instanceOf) return runsPerRequest(fn) || calledFromHandler(context, fn);
  // An instance's dict goes with the instance, unless the instance is a service that lives as
  // long as the process (it runs its own loop, or hands its methods to a hub, thread or timer
  // that keeps it) and the dict is filled per request (directly or in a helper it calls).
  const cls = container.instanceOf ?? (container.owner ? classOfMethod(container.owner) : undefined);
  if (!cls || classOfMethod(fn)?.id !== cls.id) return false;
  if (calledOnModuleInstanceFromHandler(context, cls, functionName(fn))) return true;
  if (!(isService(cls) || handsOwnMethodOut(context, cls))) return false;
  return runsPerRequest(fn) || calledFromPerRequest(cls, functionName(fn));
}

/** The methods defined directly in the class body (not those of nested classes). */
export function methodsOf(cls: Node): Node[] {
  const body = field(cls, 'body');
  return (body?.descendantsOfType('function_definition') ?? []).filter((fn): fn is Node => fn !== null && classOfMethod(fn)?.id === cls.id);
}

function isService(cls: Node): boolean {
  return methodsOf(cls).some((fn) => SERVICE_METHODS.test(functionName(fn)));
}

/**
 * A module-level function some handler of this file calls (`def remember(path): _visits[path] = …`
 * called from a route): it runs per request too. One call level, read from a table of calls by
 * name built once per file.
 */
function calledFromHandler(context: RuleContext, fn: Node): boolean {
  const name = functionName(fn);
  if (!name || classOfMethod(fn)) return false;
  const calls = callsByName(context);
  return (calls.get(name) ?? []).some((call) => {
    const caller = enclosingFunction(call);
    return caller !== undefined && caller.id !== fn.id && isDeclaredHandler(caller);
  });
}

/**
 * A handler by declaration (a route or event decorator, a `handle_`/`on_` name), not merely by a
 * parameter called `message` or `event`: a helper called from `dgettext(domain, message)` is a
 * library's lookup, not a request's bookkeeping.
 */
function isDeclaredHandler(fn: Node): boolean {
  return /^_*(handle|on_|dispatch)/.test(functionName(fn)) || decoratorsOf(fn).some((decorator) => HANDLER_DECORATOR.test(decorator.text));
}

/** The web frameworks' per-request global (`from flask import request`). */
const REQUEST_GLOBALS = /^(flask|quart|bottle|sanic|werkzeug\.\w+)$/;

/**
 * In a handler without parameters (a Flask view), the key holds the framework's `request`
 * (directly or through one local: `user = request.args["user"]`): each request's data adds an entry.
 */
function keyHoldsRequestData(context: RuleContext, fn: Node, growth: Node): boolean {
  const key = growthKey(growth);
  if (!key || !runsPerRequest(fn) || !importsRequestGlobal(context)) return false;
  const sources = new Set(['request']);
  const names = identifiersIn(key);
  return names.includes('request') || localsFromParameters(fn, sources, growth).some((name) => names.includes(name));
}

function importsRequestGlobal(context: RuleContext): boolean {
  return context.memo('python.importsRequestGlobal', () =>
    namedChildren(context.root).some(
      (statement) => statement.type === 'import_from_statement' && REQUEST_GLOBALS.test(field(statement, 'module_name')?.text ?? '') && statement.childrenForFieldName('name').some((n) => n?.text === 'request'),
    ),
  );
}

/** `self.helper(...)` is called from one of the class's per-request methods. */
function calledFromPerRequest(cls: Node, helper: string): boolean {
  const call = new RegExp(`\\bself\\s*\\.\\s*${helper}\\s*\\(`);
  return methodsOf(cls).some((fn) => functionName(fn) !== helper && runsPerRequest(fn) && call.test(fn.text));
}

/** A handler: async, decorated as a route or event handler, named like one, or taking a request. */
export function runsPerRequest(fn: Node): boolean {
  if (isAsync(fn) || HANDLER_NAME.test(functionName(fn))) return true;
  if (decoratorsOf(fn).some((decorator) => HANDLER_DECORATOR.test(decorator.text))) return true;
  return parameterNames(fn).some((name) => REQUEST_PARAMETER.test(name));
}

/**
 * A list that outlives the calls appended, in code that runs per request or event (a handler, or
 * a helper one calls), a value made in the call from its arguments (`self.degraded.append(
 * Degradation(error=str(error)))` in `_record_degradation`) or new on every call (a timing, a
 * fresh id): one more item per event, whatever the list is called.
 */
export function appendsCallData(context: RuleContext, container: Container, growth: Node): boolean {
  const fn = enclosingFunction(growth);
  if (!fn || !outlivesCalls(context, container) || !runsPerEvent(context, fn)) return false;
  const value = grownValue(growth);
  const parameters = new Set(parameterNames(fn).filter((name) => name !== '' && !RECEIVERS.has(name) && !isFlag(fn, name)));
  if (!value || parameters.size === 0) return false;
  // The argument itself (`on_message(self, handler): self._handlers.append(handler)`) is a
  // registration of what the caller hands over, bounded by the callers' code; a record is made here.
  if (value.type === 'identifier' && parameters.has(value.text)) return false;
  const names = identifiersIn(value);
  // A set keeps one copy of each value: what callers pass is often drawn from a few (hosts, node
  // ids), so only a value new on every call makes it grow per event.
  const distinct = isPythonSet(container.value);
  if (!distinct && (names.some((name) => parameters.has(name)) || localsFromParameters(fn, parameters, growth).some((name) => names.includes(name)))) return true;
  // A value made new on every call (`time.time() - start`, a fresh id): one more item per event.
  return PER_CALL_VALUE.test(keySources(fn, value));
}

/**
 * Which occurrences of a container's name can bound growth at `growth` when that runs per event:
 * not one in a method of the same class that is no handler itself and that nothing in the file
 * calls or hands out (a stats read for an outside monitor, an explicit reset). That runs when
 * someone asks, not once per message, so it does not keep up with the growth.
 */
export function boundsRunAsOften(context: RuleContext, container: Container, growth: Node | undefined): (start: number) => boolean {
  // An instance's container only: the tree walks below cost, and a module's container rarely has a class's reset.
  if (!growth || (!container.owner && !container.instanceOf) || container.heldByClosure) return () => true;
  const fn = enclosingFunction(growth);
  const cls = fn ? classOfMethod(fn) : undefined;
  if (!fn || !cls || !runsPerEvent(context, fn)) return () => true;
  return (start) => {
    const node = context.root.descendantForIndex(start);
    const other = node ? enclosingFunction(node) : undefined;
    if (!other || other.id === fn.id || classOfMethod(other)?.id !== cls.id || runsOnce(other)) return true;
    // The method's own `def` is one occurrence of its name; any other is a call or a hand-out.
    return runsPerEvent(context, other) || context.index.names.within(functionName(other)).length > 1;
  };
}

function runsPerEvent(context: RuleContext, fn: Node): boolean {
  if (runsPerRequest(fn)) return true;
  const cls = classOfMethod(fn);
  if (!cls) return calledFromHandler(context, fn);
  return calledFromPerRequest(cls, functionName(fn)) || calledOnModuleInstanceFromHandler(context, cls, functionName(fn));
}

function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType('identifier').flatMap((id) => (id && id.parent?.type !== 'keyword_argument' ? [id.text] : []));
}

/** Locals assigned, before `until`, from an expression that uses a parameter. */
function localsFromParameters(fn: Node, parameters: ReadonlySet<string>, until: Node): string[] {
  const body = field(fn, 'body');
  if (!body) return [];
  const locals: string[] = [];
  for (const loop of body.descendantsOfType('for_statement')) {
    const target = loop ? field(loop, 'left') : undefined;
    const iterable = loop ? field(loop, 'right') : undefined;
    if (!target || !iterable || loop!.startIndex >= until.startIndex || !identifiersIn(iterable).some((name) => parameters.has(name))) continue;
    locals.push(...identifiersIn(target));
  }
  for (const assignment of body.descendantsOfType('assignment')) {
    if (!assignment || assignment.startIndex >= until.startIndex) continue;
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    if (left?.type === 'identifier' && right && identifiersIn(right).some((name) => parameters.has(name))) locals.push(left.text);
  }
  return locals;
}

/**
 * The key is a counter the code increments (`self._request_id += 1; d[self._request_id] = f`):
 * every store adds a key never seen before, so only removing entries one by one bounds the dict
 * (a `clear()` on close does not, while the object lives).
 */
export function isKeyedByCounter(names: NameOccurrences, container: Container, growth: Node, context?: RuleContext): boolean {
  const key = growthKey(growth);
  const counter = key?.type === 'identifier' ? key.text : key?.type === 'attribute' && field(key, 'object')?.text === 'self' ? field(key, 'attribute')?.text : undefined;
  if (!counter || counter === container.name) return false;
  const stepped = () => names.anyFollowedBy(counter, container.scope, /\s*\+=\s*1\b/);
  if (!context) return stepped();
  // Many containers share a key name (`key`, `name`): ask once per name and scope, so the file is read once.
  const known = context.memo('python.steppedCounters', () => new Map<string, boolean>());
  const memoKey = `${counter}@${container.scope?.id ?? 'file'}`;
  if (!known.has(memoKey)) known.set(memoKey, stepped());
  return known.get(memoKey)!;
}

/** Entries taken out one by one (`pop`, `del d[k]`, `popitem`), or the size checked. */
export function evictedPerEntry(names: NameOccurrences, container: Container): boolean {
  return calledWith(names, container, 'pop|popitem|__delitem__') || deletedFrom(names, container) || lengthChecked(names, container);
}

/** An initialiser storing the instance into a container that outlives it: every instance stays. */
export function registersInstance(container: Container, growth: Node): boolean {
  const fn = enclosingFunction(growth);
  if (!fn || container.owner || container.instanceOf || !runsOnce(fn) || !classOfMethod(fn)) return false;
  const value = growth.type === 'assignment' ? field(growth, 'right') : namedChildren(field(growth, 'arguments') ?? growth).at(-1);
  return value !== undefined && identifiersIn(value).includes('self');
}

/** What a growth adds: `items.append(v)`'s first argument, or `items += v`'s right side. */
function grownValue(growth: Node): Node | undefined {
  return growth.type === 'augmented_assignment' ? field(growth, 'right') ?? undefined : namedChildren(field(growth, 'arguments') ?? growth)[0];
}

/** Methods that run once for every instance made. */
const PER_INSTANCE = /^(__init__|__post_init__)$/;

/**
 * A collection every instance shares (the module's, or the class's: `self.configs += [...]` on a
 * class-level list extends the class's list, it does not make the instance one) grown in an
 * initialiser: the initialiser runs once per instance made, so each instance adds its items, and
 * they stay after the instance is gone. Not a class the file makes once at module level (a
 * singleton's initialiser runs once).
 */
export function growsPerInstance(context: RuleContext, container: Container, growth: Node): boolean {
  if (container.owner || container.instanceOf || container.heldByClosure) return false;
  const fn = enclosingFunction(growth);
  const cls = fn && PER_INSTANCE.test(functionName(fn)) ? classOfMethod(fn) : undefined;
  if (!cls || madeAtModuleLevel(context, field(cls, 'name')?.text ?? '')) return false;
  // A set, or an append under `if x not in items:`, keeps one copy of each value (turtle's
  // `RawTurtle.screens` holds each canvas once): only the instance itself is new per instance.
  if (!isPythonSet(container.value) && !addedOnlyIfAbsent(container, growth)) return true;
  const value = grownValue(growth);
  return value !== undefined && identifiersIn(value).includes('self');
}

/** `growth` sits under `if x not in <container>:`. */
function addedOnlyIfAbsent(container: Container, growth: Node): boolean {
  for (let current = growth.parent; current && current.type !== 'function_definition'; current = current.parent) {
    if (current.type !== 'if_statement') continue;
    const test = normalizeRef(field(current, 'condition')?.text ?? '');
    if (container.access.some((access) => test.endsWith(`notin${access}`) || test.includes(`notin${access})`))) return true;
  }
  return false;
}
