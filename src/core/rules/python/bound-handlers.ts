// handler-not-cleared (Python), the subscription shape: a method subscribes one of the instance's
// own bound methods (`bus.subscribe(self.on_event)`) to an object that outlives the instance (a
// module-level bus, signal or registry). The bus then holds the bound method, the method holds
// `self`, and the instance and all it references stay for good unless something unsubscribes.
// A bus is module-level wherever its module made it: assigned at this module's top level, or
// imported by name from another module (`from app.events import bus`).
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, fieldText, namedChildren, nodeRange, textOf, typeOf } from '../syntax';
import { escapeRegExp, insertLinesAfter, insertLinesBefore } from '../text';
import { CodeFix, TextEdit } from '../types';
import { freshName, indentUnitFor } from '../fixes';
import { scopesOf } from '../scopes';
import { endNamesOf } from '../use-pairs';
import { addImports, classOfMethod, enclosingFunction, functionName, importedModules, importedObjectNames, freshClosure, localNames, madeEarlierIn, moduleLevelNames, parameterNames, rootName, runsOnce, runsOncePerKey, standsAlone, statementOf, TEARDOWN_METHODS } from './syntax';

const UNDO: Readonly<Record<string, string>> = {
  subscribe: 'unsubscribe',
  add_listener: 'remove_listener',
  add_handler: 'remove_handler',
  add_callback: 'remove_callback',
  add_observer: 'remove_observer',
  connect: 'disconnect',
  register: 'unregister',
  on: 'off',
  watch: 'unwatch',
  add_done_callback: 'remove_done_callback',
};
/**
 * The same registrations written as a function that takes the bus first (`connect(signal, slot)`,
 * mitogen's `listen(obj, 'disconnect', fn)`): an event helper registers its callback on its first
 * argument exactly as the method form does on its receiver, and takes it back with the matching
 * function given the same arguments.
 */
const FREE_UNDO: Readonly<Record<string, string>> = {
  // Not `register`: a free `register(…)` is a registry's or atexit's, with no bus first.
  ...Object.fromEntries(Object.entries(UNDO).filter(([add]) => add !== 'register' && add !== 'add_done_callback')),
  listen: 'unlisten',
};
/** Functions that take a free-form registration back, given the bus first. */
const FREE_REMOVERS = '(?:unsubscribe\\w*|remove\\w*|disconnect|unregister|off|discard|unwatch|unlisten)';
/** Methods on the bus that take registrations back. */
const REMOVERS = /\s*\.\s*(?:unsubscribe\w*|remove\w*|disconnect|unregister|off|discard|unwatch|clear)\s*\(/;
const CLOSERS = /^(close|aclose|stop|dispose|shutdown|cleanup|teardown|__exit__|__aexit__|__del__)$/;

interface Subscription {
  call: Node;
  bus: Node;
  method: string;
  /** Written as a function taking the bus first (`connect(signal, slot)`): the arguments, bus included. */
  freeArgs?: Node[];
  handler: Node;
  fn: Node;
  owner: Node;
}

/** Imported modules that are process-wide registries themselves. */
const REGISTRY_MODULES = ['atexit'];

export function boundMethodSubscriptions(context: RuleContext): Detection[] {
  const imported = importedModules(context.root);
  const globals = new Set([...moduleLevelNames(context.root), ...importedObjectNames(context.root), ...REGISTRY_MODULES.filter((module) => imported.has(module))]);
  const detections: Detection[] = [];
  for (const call of subscribeCalls(context)) {
    const subscription = readSubscription(call, globals, context.index.code);
    if (!subscription) continue;
    if (isUnsubscribed(context, subscription)) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: globals.has(rootName(subscription.bus) ?? '')
        ? `\`${subscription.handler.text}\` is registered with the process-wide \`${subscription.bus.text}\` and never removed: it keeps every instance alive through its bound method.`
        : `Each call of \`${functionName(subscription.fn)}\` registers \`${subscription.handler.text}\` with \`${subscription.bus.text}\`, which it did not create and which outlives the call, and nothing takes it back when the use ends: the registrations, and what they hold, pile up.`,
      fixes: fixesFor(context, subscription),
    });
  }
  return [...detections, ...callbackKeywordRegistrations(context), ...parameterMethodSubscriptions(context, globals)];
}

/** Calls of a subscribing method (`x.connect(…)`, `x.subscribe(…)`…), read once for the readings of this file. */
function subscribeCalls(context: RuleContext): Node[] {
  return context.memo('py.subscribeCalls', () => context.index.nodes('call').filter((call) => subscriptionParts(call) !== undefined));
}

interface SubscriptionParts {
  method: string;
  bus: Node;
  /** The arguments that may be the handler (after the bus, for the free form). */
  handlers: Node[];
  freeArgs?: Node[];
}

/** `bus.connect(handler)`, or `connect(bus, handler)` with the bus first and something after it. */
function subscriptionParts(call: Node): SubscriptionParts | undefined {
  const callee = field(call, 'function');
  const calleeType = callee ? typeOf(callee) : undefined;
  if (callee && calleeType === 'attribute') {
    const method = fieldText(callee, 'attribute') ?? '';
    const bus = field(callee, 'object');
    return method in UNDO && bus ? { method, bus, handlers: namedChildren(field(call, 'arguments') ?? call) } : undefined;
  }
  if (!callee || calleeType !== 'identifier' || !(textOf(callee) in FREE_UNDO)) return undefined;
  const args = namedChildren(field(call, 'arguments') ?? call);
  const bus = args[0];
  // A bus is an object the code names, not a value written in place (`connect("db", 5432)`).
  if (!bus || args.length < 2 || !['identifier', 'attribute'].includes(bus.type)) return undefined;
  return { method: callee.text, bus, handlers: args.slice(1), freeArgs: args };
}

/**
 * A plain function (not a method, not set-up) hands a module-level bus or signal a method of an
 * object it was given (`languageChanged.connect(obj.translateUI)`): the function runs once per
 * object, the bus holds each bound method and so each object, and nothing in the file takes it
 * back. Fixed by handing the bus a weak reference to the method.
 */
function parameterMethodSubscriptions(context: RuleContext, globals: ReadonlySet<string>): Detection[] {
  const detections: Detection[] = [];
  for (const call of subscribeCalls(context)) {
    const subscription = readParameterSubscription(call, globals);
    if (!subscription || isUnsubscribed(context, subscription)) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `\`${subscription.handler.text}\` is a method of an object handed to \`${functionName(subscription.fn)}\`, connected to the module-level \`${subscription.bus.text}\` and never disconnected: the bus keeps every object ever passed in alive.`,
      fixes: weakCallbackFix(context, subscription.handler),
    });
  }
  return detections;
}

function readParameterSubscription(call: Node, globals: ReadonlySet<string>): Subscription | undefined {
  const parts = subscriptionParts(call);
  if (!parts) return undefined;
  const { method, bus, freeArgs } = parts;
  const fn = enclosingFunction(call);
  const root = bus ? rootName(bus) : undefined;
  if (!bus || !fn || !root || classOfMethod(fn) || runsOnce(fn) || !isModuleBus(root, fn, globals)) return undefined;
  const parameters = new Set(parameterNames(fn).filter((name) => name !== 'self' && name !== 'cls'));
  const handler = parts.handlers.find((arg) => {
    const object = arg.type === 'attribute' ? field(arg, 'object') : undefined;
    return object?.type === 'identifier' && parameters.has(object.text);
  });
  return handler ? { call, bus, method, freeArgs, handler, fn, owner: fn } : undefined;
}

/** Keywords that hand a callable to be called back later. */
const CALLBACK_KEYWORD = /^(callback|cb|handler|listener|hook|on_[a-z_]+)$/;

/**
 * The general form of the subscription: an instance hands one of its bound methods as a callback
 * (`ca.create_channel(name, callback=self._on_connect)`) to a function of an imported module,
 * which keeps it (a module-level cache or registry, out of this file's sight); the class has a
 * teardown, so instances are meant to end, but neither it nor the methods it calls ever name the
 * handler again. The module's registry keeps every instance.
 */
function callbackKeywordRegistrations(context: RuleContext): Detection[] {
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call')) {
    const callee = field(call, 'function');
    const rootNode = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
    const root = rootNode?.type === 'identifier' ? rootNode.text : undefined;
    if (!rootNode || !root || !/\bcallback|\bcb\b|handler|listener|hook|on_/.test(call.text) || scopesOf(context).bindingOf(rootNode).kind !== 'import') continue;
    const keyword = namedChildren(field(call, 'arguments') ?? call).find((arg) => arg.type === 'keyword_argument' && CALLBACK_KEYWORD.test(field(arg, 'name')?.text ?? ''));
    const handler = keyword ? field(keyword, 'value') : undefined;
    const fn = handler ? enclosingFunction(call) : undefined;
    const owner = fn ? classOfMethod(fn) : undefined;
    if (!handler || !fn || !owner || localNames(fn).has(root) || !isBoundMethod(handler, methodNames(owner), undefined)) continue;
    const teardown = teardownPath(owner);
    const name = field(handler, 'attribute')?.text ?? '';
    if (teardown.length === 0 || teardown.some((method) => method.id === fn.id || context.index.names.within(name, method.startIndex, method.endIndex).length > 0)) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `\`${handler.text}\` is handed to \`${callee!.text}\`, which keeps it, and the class's teardown never takes it back: the module holds every instance through its bound method.`,
      fixes: weakCallbackFix(context, handler),
    });
  }
  return detections;
}

/**
 * Hand the module a function that calls the method through a weak reference: the module's
 * registry no longer keeps the instance, and the callback does nothing once the instance is gone.
 */
function weakCallbackFix(context: RuleContext, handler: Node, kept: 'method' | 'object' = 'method'): CodeFix[] {
  const last = namedChildren(context.root).at(-1);
  if (!last) return [];
  const helper = freshName(context.index.code, kept === 'method' ? '_weak_callback' : '_weak_object_callback');
  const unit = indentUnitFor(context);
  const lines = [
    '',
    '',
    `def ${helper}(${kept}):`,
    kept === 'method'
      ? `${unit}"""Call a bound method through a weak reference, so whoever keeps the callback does not keep its instance."""`
      : `${unit}"""Call an object through a weak reference: whoever keeps this callback does not keep the object, which its own user keeps."""`,
    `${unit}ref = weakref.${kept === 'method' ? 'WeakMethod' : 'ref'}(${kept})`,
    '',
    `${unit}def call(*args, **kwargs):`,
    `${unit}${unit}target = ref()`,
    `${unit}${unit}return None if target is None else target(*args, **kwargs)`,
    '',
    `${unit}return call`,
  ];
  const edits: TextEdit[] = [{ range: nodeRange(handler), newText: `${helper}(${handler.text})` }, insertLinesAfter(context.source, last.endPosition.row, '', lines)];
  const importEdit = addImports(context, ['weakref']);
  if (importEdit) edits.push(importEdit);
  return [{ title: `Hand over ${handler.text} through a weak reference (${helper})`, isPreferred: true, edits }];
}

/** The class's teardown methods and the methods they call on `self`. */
function teardownPath(owner: Node): Node[] {
  const methods = new Map<string, Node>();
  for (const fn of field(owner, 'body')?.descendantsOfType('function_definition') ?? []) if (fn && classOfMethod(fn)?.id === owner.id) methods.set(functionName(fn), fn);
  const queue = [...methods].filter(([name]) => TEARDOWN_METHODS.test(name)).map(([, fn]) => fn);
  const seen = new Map<number, Node>();
  while (queue.length > 0) {
    const fn = queue.pop()!;
    if (seen.has(fn.id)) continue;
    seen.set(fn.id, fn);
    for (const call of fn.descendantsOfType('call')) {
      const callee = call ? field(call, 'function') : undefined;
      const next = callee?.type === 'attribute' && field(callee, 'object')?.text === 'self' ? methods.get(field(callee, 'attribute')?.text ?? '') : undefined;
      if (next) queue.push(next);
    }
  }
  return [...seen.values()];
}

/**
 * A removal on the same bus that can take this handler back: one in the subscribing class (its
 * `close()`), one naming the handler's method (`bus.unsubscribe(watcher.on_event)` elsewhere), or
 * one with no argument (`bus.clear()`). Another class unsubscribing its own handler from the
 * same module-level bus says nothing about this one.
 */
function isUnsubscribed(context: RuleContext, subscription: Subscription): boolean {
  if (removedFromBus(context, subscription) || removedByFunction(context, subscription)) return true;
  const names = context.index.names;
  const busName = rootName(subscription.bus) ?? '';
  const handlerName = field(subscription.handler, 'attribute')?.text ?? '';
  const sticky = new RegExp(REMOVERS.source, 'y');
  return names.within(busName).some((start) => {
    sticky.lastIndex = start + busName.length;
    if (!sticky.test(names.code)) return false;
    if (start >= subscription.owner.startIndex && start < subscription.owner.endIndex) return true;
    const args = names.code.slice(sticky.lastIndex, names.code.indexOf(')', sticky.lastIndex) + 1);
    return /^\s*\)/.test(args) || names.within(handlerName, sticky.lastIndex, sticky.lastIndex + args.length).length > 0;
  });
}

/** `disconnect(signal, …)`, `unlisten(obj, …)` anywhere in the file, given the same bus first: the free form's removal. */
function removedByFunction(context: RuleContext, subscription: Subscription): boolean {
  if (!subscription.freeArgs) return false;
  const bus = escapeRegExp(subscription.bus.text).replace(/\\\./g, '\\s*\\.\\s*');
  return new RegExp(`\\b${FREE_REMOVERS}\\s*\\(\\s*${bus}\\s*[,)]`).test(context.index.code);
}

/** The call that takes the subscription back, given `handler` (the handler's text, or a name bound to it). */
function undoCall(subscription: Subscription, handler: string): string {
  const args = subscription.freeArgs;
  if (!args) return `${subscription.bus.text}.${UNDO[subscription.method]}(${handler})`;
  return `${FREE_UNDO[subscription.method]}(${args.map((arg) => (arg.id === subscription.handler.id ? handler : arg.text)).join(', ')})`;
}

/** The registration again, given `handler`. */
function addCall(subscription: Subscription, handler: string): string {
  const args = subscription.freeArgs;
  if (!args) return `${subscription.bus.text}.${subscription.method}(${handler})`;
  return `${subscription.method}(${args.map((arg) => (arg.id === subscription.handler.id ? handler : arg.text)).join(', ')})`;
}

/**
 * `self.client.updates.unsubscribe(self.redraw)` or `feed.events.disconnect(on_trade)` anywhere in
 * the file, for a bus reached through attributes: a removal naming this handler (or none).
 */
function removedFromBus(context: RuleContext, subscription: Subscription): boolean {
  if (subscription.bus.type !== 'attribute') return false;
  // The arguments may run over lines (`remove_done_callback(\n    self.close_callback,\n)`).
  const removal = new RegExp(`${escapeRegExp(subscription.bus.text)}${REMOVERS.source}([^)]*)\\)`, 'g');
  const handler = subscription.handler.type === 'lambda' ? undefined : subscription.handler.text;
  for (const match of context.index.code.matchAll(removal)) {
    const args = match[1]!.trim();
    if (args === '' || (handler !== undefined && args.includes(handler))) return true;
  }
  return false;
}

function readSubscription(call: Node, globals: ReadonlySet<string>, code: string): Subscription | undefined {
  // The method name first: walking up to the enclosing class for every call of the file was most of this rule's time.
  const parts = subscriptionParts(call);
  if (!parts) return undefined;
  const { method, bus, freeArgs } = parts;
  const fn = enclosingFunction(call);
  const owner = fn ? classOfMethod(fn) : undefined;
  if (!bus || !fn || !owner) return undefined;
  const root = rootName(bus);
  const moduleBus = root !== undefined && isModuleBus(root, fn, globals);
  if (!root || !(moduleBus || isOtherObjectsBus(bus, fn) || isHandedInOfPairedBegin(bus, fn, owner))) return undefined;
  // A bus on an object this call has just made (`self.dialog = Dialog(…)`) goes with that object;
  // one registered under `if key not in table: table[key] = …` is registered once per key.
  if (madeEarlierIn(code, fn, call, bus) || runsOncePerKey(call, fn) || setsUpAPart(fn)) return undefined;
  const methods = methodNames(owner);
  const dataAttributes = selfAssignedNames(owner);
  const inherits = (field(owner, 'superclasses')?.namedChildCount ?? 0) > 0;
  const args = parts.handlers;
  const handler = args.find((arg) => isBoundMethod(arg, methods, inherits ? dataAttributes : undefined)) ?? args.find((arg) => isPerCallClosure(arg, fn, moduleBus)) ?? args.find((arg) => isPerUseObjectHandedOn(arg, fn, call));
  if (!handler || (method === 'add_done_callback' && !isOtherObjectsFuture(bus, fn))) return undefined;
  return { call, bus, method, freeArgs, handler, fn, owner };
}

/**
 * A future's callbacks go when it completes, so a future the use was handed (`task.add_done_callback`)
 * drops them with the use. A future another object holds (`connection.closing`) completes only
 * when that object ends: each use's callback stays until then.
 */
function isOtherObjectsFuture(bus: Node, fn: Node): boolean {
  const root = rootName(bus) ?? '';
  return bus.type === 'attribute' && (parameterNames(fn).includes(root) || !localNames(fn).has(root));
}

/**
 * A callable object the method makes on every run (`close_callback = OneShotCallback(cb)`) and also
 * hands on (`return cls(close_callback=close_callback)`, `self.trackers[key] = tracker`): it lives on
 * in what that use made, and a registration on a longer-lived object keeps a second reference
 * nobody takes back.
 */
function isPerUseObjectHandedOn(node: Node, fn: Node, registration: Node): boolean {
  if (node.type !== 'identifier' || runsOnce(fn)) return false;
  const own = (types: string[]) => (field(fn, 'body')?.descendantsOfType(types) ?? []).filter((found): found is Node => found !== null && enclosingFunction(found)?.id === fn.id);
  const assignments = own(['assignment']);
  if (!assignments.some((assignment) => field(assignment, 'left')?.text === node.text && field(assignment, 'right')?.type === 'call')) return false;
  const named = (value: Node | undefined) => value?.text === node.text;
  return (
    own(['return_statement']).some((ret) => named(ret.namedChild(0) ?? undefined)) ||
    assignments.some((assignment) => field(assignment, 'left')?.type !== 'identifier' && named(field(assignment, 'right'))) ||
    own(['argument_list']).some((args) => args.parent?.id !== registration.id && namedChildren(args).some((arg) => named(arg.type === 'keyword_argument' ? field(arg, 'value') : arg)))
  );
}

/**
 * A fresh closure made on every call of a method that runs again and again. A set-up method
 * (`__init__`, `start`) runs once per instance, not once per process: a closure it hands to a
 * process-wide bus (`atexit.register(shutdown)` in `start`) that uses `self` holds the instance
 * just as `self.shutdown` would, so the bus keeps every instance made.
 */
function isPerCallClosure(node: Node, fn: Node, moduleBus: boolean): boolean {
  const closure = freshClosure(node, fn);
  if (!closure) return false;
  return !runsOnce(fn) || (moduleBus && closure.descendantsOfType('identifier').some((name) => name?.text === 'self'));
}

/**
 * `self.connection.add_listener(…)` in a method that begins a use (`subscribe`, with `unsubscribe`
 * beside it), where the class only ever sets `self.connection` from a parameter: the bus was handed
 * in and outlives each use, so what each begin adds to it must be taken back by the end.
 */
function isHandedInOfPairedBegin(bus: Node, fn: Node, owner: Node): boolean {
  if (bus.type !== 'attribute' || field(bus, 'object')?.text !== 'self' || !pairedEnd(fn, owner)) return false;
  const attribute = field(bus, 'attribute')?.text ?? '';
  const values = (field(owner, 'body')?.descendantsOfType('assignment') ?? []).flatMap((assignment) => {
    const left = assignment ? field(assignment, 'left') : undefined;
    return left?.type === 'attribute' && field(left, 'object')?.text === 'self' && field(left, 'attribute')?.text === attribute ? [assignment!] : [];
  });
  return values.length > 0 && values.every((assignment) => {
    const value = field(assignment, 'right');
    const method = enclosingFunction(assignment);
    return value?.type === 'identifier' && method !== undefined && parameterNames(method).includes(value.text);
  });
}

/** The method of the class that ends the use `fn` begins (`unsubscribe` beside `subscribe`). */
function pairedEnd(fn: Node, owner: Node): Node | undefined {
  const ends = endNamesOf(functionName(fn));
  if (ends.length === 0) return undefined;
  return (field(owner, 'body')?.descendantsOfType('function_definition') ?? []).find((method): method is Node => method !== null && classOfMethod(method)?.id === owner.id && ends.includes(functionName(method)));
}

/** A module-level bus, signal or registry (or an import), not shadowed in the method. */
function isModuleBus(root: string, fn: Node, globals: ReadonlySet<string>): boolean {
  return root !== 'self' && globals.has(root) && !localNames(fn).has(root);
}

/**
 * A method named as the set-up of one part (`initialize_downloads_page`, `setup_signals`,
 * `init_ui`): it wires that part once per instance, as `initialize` does the whole. Read here
 * only: the other rules' `runsOnce` also decides which attributes are declarations.
 */
const PART_SET_UP = /^(?:init|initiali[sz]e|setup|set_up)_\w+$/;

function setsUpAPart(fn: Node): boolean {
  return PART_SET_UP.test(functionName(fn));
}

/** `self.client.events.subscribe(…)` or a parameter's bus, from a method run again and again. */
function isOtherObjectsBus(bus: Node, fn: Node): boolean {
  if (runsOnce(fn)) return false;
  if (bus.type === 'attribute' && field(bus, 'object')?.text === 'self') return false;
  const root = rootName(bus);
  return root === 'self' || (root !== undefined && parameterNames(fn).includes(root));
}

/**
 * `self.on_event` where the class defines `on_event`: a bound method, which holds the instance.
 * In a class with bases, also `self.close` that the class never assigns as data: the method is
 * inherited (from a base in another module), and a bound method all the same.
 */
function isBoundMethod(node: Node, methods: ReadonlySet<string>, dataAttributes: ReadonlySet<string> | undefined): boolean {
  if (node.type !== 'attribute' || field(node, 'object')?.text !== 'self') return false;
  const name = field(node, 'attribute')?.text ?? '';
  return methods.has(name) || (dataAttributes !== undefined && !dataAttributes.has(name));
}

/** Attributes the class's own code assigns (`self.x = ...`): data, not methods. */
function selfAssignedNames(owner: Node): Set<string> {
  const body = field(owner, 'body');
  const names = new Set<string>();
  for (const assignment of body?.descendantsOfType(['assignment', 'augmented_assignment']) ?? []) {
    const left = assignment ? field(assignment, 'left') : undefined;
    if (left?.type === 'attribute' && field(left, 'object')?.text === 'self') names.add(field(left, 'attribute')?.text ?? '');
  }
  return names;
}

function methodNames(owner: Node): Set<string> {
  const body = field(owner, 'body');
  return new Set((body?.descendantsOfType('function_definition') ?? []).flatMap((fn) => (fn && classOfMethod(fn)?.id === owner.id ? [functionName(fn)] : [])));
}

/** Unsubscribe in the class's close-like method, or in a new `close()` when it has none. */
function fixesFor(context: RuleContext, subscription: Subscription): CodeFix[] {
  // A closure or a parameter's bus cannot be named from close(): no fix to offer there.
  const root = rootName(subscription.bus);
  // The object also lives in what this use made: the long-lived bus needs no strong reference of its own.
  if (isPerUseObjectHandedOn(subscription.handler, subscription.fn, subscription.call)) return weakCallbackFix(context, subscription.handler, 'object');
  if (subscription.handler.type !== 'attribute' || (root !== 'self' && localNames(subscription.fn).has(root ?? ''))) return undoPreviousFix(context, subscription);
  const undo = undoCall(subscription, subscription.handler.text);
  // `self.close` inherited and registered itself: a new close() must still run the base's close.
  const handlerName = field(subscription.handler, 'attribute')?.text ?? '';
  const chain = /^(close|stop|dispose|shutdown|cleanup|teardown)$/.test(handlerName) && !methodNames(subscription.owner).has(handlerName) ? handlerName : undefined;
  const end = pairedEnd(subscription.fn, subscription.owner);
  const edit = (end ? intoMethod(context, end, undo) : undefined) ?? intoCloser(context, subscription.owner, undo) ?? newClose(context, subscription.owner, undo, chain);
  return edit ? [{ title: `Unsubscribe when the instance closes (${undo})`, isPreferred: true, edits: [edit] }] : [];
}

/**
 * A closure (or another object's bus) close() cannot name: keep a way to take this subscription
 * back on the instance, and take the previous one back before subscribing again, so each
 * instance holds at most one:
 *   if getattr(self, '_undo_subscribe', None): self._undo_subscribe()
 *   handler = lambda quote: …
 *   bus.subscribe(handler)
 *   self._undo_subscribe = lambda: bus.unsubscribe(handler)
 */
function undoPreviousFix(context: RuleContext, subscription: Subscription): CodeFix[] {
  const statement = statementOf(subscription.call);
  const remove = (subscription.freeArgs ? FREE_UNDO : UNDO)[subscription.method];
  if (!statement || !remove || statement.namedChild(0)?.id !== subscription.call.id || !standsAlone(statement, context.source)) return [];
  const undo = `self.${freshName(context.index.code, `_undo_${subscription.method}`)}`;
  const named = subscription.handler.type === 'identifier';
  const handler = named ? subscription.handler.text : freshName(context.index.code, 'handler');
  const add = addCall(subscription, handler);
  const lines = [
    `if getattr(self, '${undo.slice(5)}', None): ${undo}()`,
    ...(named ? [] : [`${handler} = ${subscription.handler.text}`]),
    named ? statement.text : add,
    `${undo} = lambda: ${undoCall(subscription, handler)}`,
  ];
  const indent = context.source.indentOf(statement.startPosition.row);
  return [{ title: `Take the previous subscription back before subscribing again (${undo})`, isPreferred: true, edits: [{ range: nodeRange(statement), newText: lines.join(context.source.eol + indent) }] }];
}

function intoCloser(context: RuleContext, owner: Node, undo: string): TextEdit | undefined {
  const body = field(owner, 'body');
  const closer = (body?.descendantsOfType('function_definition') ?? []).find((fn) => fn !== null && classOfMethod(fn)?.id === owner.id && CLOSERS.test(functionName(fn)));
  return closer ? intoMethod(context, closer, undo) : undefined;
}

/** `undo` as the first line of the method (a multi-line one). */
function intoMethod(context: RuleContext, method: Node, undo: string): TextEdit | undefined {
  const first = namedChildren(field(method, 'body') ?? method)[0];
  if (!first || first.startPosition.row === method.startPosition.row) return undefined;
  return insertLinesBefore(context.source, first.startPosition.row, context.source.indentOf(first.startPosition.row), [undo]);
}

function newClose(context: RuleContext, owner: Node, undo: string, inherited: string | undefined): TextEdit | undefined {
  const body = field(owner, 'body');
  const last = body ? namedChildren(body).at(-1) : undefined;
  if (!body || !last || body.startPosition.row === owner.startPosition.row) return undefined;
  const indent = context.source.indentOf(namedChildren(body)[0]!.startPosition.row);
  const unit = indentUnitFor(context);
  const name = inherited ?? 'close';
  const lines = ['', `def ${name}(self):`, `${unit}${undo}`, ...(inherited ? [`${unit}super().${inherited}()`] : [])];
  return insertLinesAfter(context.source, last.endPosition.row, indent, lines);
}
