// handler-not-cleared (JS/TS): a listener added on every request, connection or call to an
// emitter that outlives it (`process.on`, a module-level bus, `this.socket` from a method), and
// never removed: listeners pile up, each holding its closure.
//
// The general fact (issue 13): a registration on an object that outlives the registering scope
// (the process or page, a module-level emitter, `$rootScope` or another injected service, a bus a
// registry hands out) made from code that runs more than once (a constructor or method, a
// per-connection or per-request callback, a lifecycle hook, an AngularJS controller or directive
// link function, or a plain function called from any of those), whose handler is a closure or a
// bound method holding the instance or the call's data, with no matching removal the file could
// run (an `off`/`removeListener`, a kept and called disposer, a teardown, `once`). A registration
// made through the class's own subscribe method, whose remover the caller drops, counts
// (dropped-disposers.ts).
import type { Node } from 'web-tree-sitter';
import { freshName } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { ScopeResolver, scopesOf } from '../scopes';
import { field, groupBy, namedChildren, nodeRange, normalizeRef, textOf, typeOf } from '../syntax';
import { escapeRegExp, insertLinesAfter, insertLinesBefore } from '../text';
import { CodeFix, TextEdit } from '../types';
import { isFreshPerCall } from './containers';
import { isTeardownName, Lifecycle, lifecycleAround, pairedUseOf, PairedUse, teardownBeside, LISTENER_REMOVER, LISTENER_REMOVERS, reachableFrom, teardownMethodOf, teardownPath, teardownRemovesSome, updatePath } from './lifecycle';
import { callbackOf, calleeName, callsByName, factoryMade, isEffectCall, closeableParameter, ONE_SHOT_EVENTS, enclosingMethod, functionChain, functionNameOf, insertAfterStatement, isMethodLike, isParameterOfEnclosing, methodNameOf, localBindings, moduleBindings, rootOf, runsPerUpdate, runsRepeatedly, standsAlone, statementOf, stringValue, FUNCTION_VALUES } from './syntax';
import { loggerTransportAdds } from './logger-transports';
import { captureDiffers, sameCaptureFix } from './listener-capture';
import { droppedDisposerRegistrations } from './dropped-disposers';

const ADDERS: Readonly<Record<string, { remove: string; once: string | undefined }>> = {
  on: { remove: 'off', once: 'once' },
  addListener: { remove: 'removeListener', once: 'once' },
  prependListener: { remove: 'removeListener', once: 'prependOnceListener' },
  addEventListener: { remove: 'removeEventListener', once: undefined },
};
/**
 * The same adders written as a function that takes the target first (`on(el, 'click', fn)` of
 * component-event and dom-helpers, `listen(target, type, fn)` of Closure and its kin): an event
 * helper registers its listener on its first argument exactly as `el.on('click', fn)` does, and
 * the matching function given the same target takes it back (`off(el, 'click', fn)`).
 */
const FREE_ADDERS: Readonly<Record<string, { remove: string; once: string | undefined }>> = {
  on: { remove: 'off', once: undefined },
  addListener: { remove: 'removeListener', once: undefined },
  addEventListener: { remove: 'removeEventListener', once: undefined },
  listen: { remove: 'unlisten', once: undefined },
};
const FREE_REMOVERS = [...new Set(Object.values(FREE_ADDERS).map((adder) => adder.remove))];
/**
 * `once` takes itself back only when its event fires. For the process's or the page's signals,
 * exit and unload, which fire at most once in their life, a `once` added per instance stays until
 * the end like an `on` (`process.once('SIGINT', this.stop.bind(this))` in a progress bar's
 * constructor). Asked of classes with a teardown, whose instances are declared to end before the process.
 */
const PROCESS_END_EVENTS = /^(SIG[A-Z0-9]+|exit|beforeExit|beforeunload|unload|pagehide)$/;
const ONCE_ADDERS: Readonly<Record<string, { remove: string; once: undefined }>> = {
  once: { remove: 'removeListener', once: undefined },
  prependOnceListener: { remove: 'removeListener', once: undefined },
};
/** Methods that run once per instance: adding listeners on `this`'s emitters there is set-up. */
const ONCE_METHODS = /^(constructor|init|initiali[sz]e|setup|start|connect|open|listen|activate|register\w*|bootstrap|main|mount|attach|install|run|componentDidMount|connectedCallback)$/;

/** Emitters that live as long as the process or the page. */
const PROCESS_WIDE = new Set(['process', 'window', 'document', 'globalThis']);
/** Functions that run once per process: set-up, where a process-wide listener belongs. */
const PROCESS_SETUP = /^(main|bootstrap|setup|init|initiali[sz]e|install|activate|configure|register|cli)([A-Z_]|$)/;

/**
 * In code that runs per instance or per request (a method, a function using `this`, an effect,
 * a handler) and is not process set-up: a component mounting, a tester's run, `save()` per
 * run each add one more listener to an emitter that never goes away. A plain module function
 * is as likely a CLI's one-time set-up, so it is left alone.
 */
function addedPerCall(call: Node): boolean {
  const chain = functionChain(call);
  if (chain.length === 0) return false;
  if (chain.some((fn) => isProcessSetup(fn) || isOneShotCallback(fn))) return false;
  return runsRepeatedly(call) || chain.some(isPerInstance);
}

/**
 * A set-up name (`init`, `registerEventListeners`) runs once per process only if what runs it lives
 * as long: a method of a class that has a teardown (`destroy`, `dispose`, `componentWillUnmount`…)
 * runs once per instance, and instances end, so what it adds to the process or page must be taken back.
 */
function isProcessSetup(fn: Node): boolean {
  if (!isMethodLike(fn)) return PROCESS_SETUP.test(functionNameOf(fn));
  return PROCESS_SETUP.test(methodNameOf(fn)) && !hasTeardown(fn);
}

function outlivesItsInstance(call: Node, receiver: Node | undefined, event: string | undefined): boolean {
  const method = enclosingMethod(call);
  return isProcessWide(receiver) && PROCESS_END_EVENTS.test(event ?? '') && method !== undefined && hasTeardown(method.method);
}

function hasTeardown(method: Node): boolean {
  return teardownBeside(method) !== undefined;
}

/** Starting a child process: the function runs once per child. */
const SPAWNS = /^(spawn|fork|execFile)$/;

/**
 * A plain function that spawns a child process runs once per child, not once per process
 * (`startProcess` spawning a tunnel per connect): what it adds to the process for that child
 * (`process.on('exit', () => kill(child))`) piles up. A factory's name alone (`createWatcher`)
 * says nothing of how often it runs: CLIs make their one watcher that way.
 */
function spawnsAChild(fn: Node): boolean {
  return (field(fn, 'body')?.descendantsOfType('call_expression') ?? []).some((call) => call !== null && SPAWNS.test(calleeName(call)) && functionChain(call)[0]?.id === fn.id);
}

function isPerInstance(fn: Node): boolean {
  if (isMethodLike(fn)) return true;
  if (spawnsAChild(fn)) return true;
  const call = callbackOf(fn);
  if (call && isEffectCall(call)) return true;
  return fn.type !== 'arrow_function' && (field(fn, 'body')?.descendantsOfType('this').length ?? 0) > 0;
}

function isOneShotCallback(fn: Node): boolean {
  const call = callbackOf(fn);
  if (!call) return false;
  const method = calleeName(call);
  return method === 'once' || ONE_SHOT_EVENTS.test(stringValue(field(call, 'arguments')?.namedChild(0) ?? undefined) ?? '');
}

interface Listener {
  call: Node;
  receiver: Node;
  method: string;
  event: Node;
  /** The event as code can write it: `'resize'` (for jQuery's `.resize(fn)`, the method's name quoted). */
  eventText: string;
  listener: Node;
  /** jQuery's event method (`$(window).resize(fn)`): the event is the method's name. */
  shorthand?: boolean;
  /** A method of the instance given to an emitter it keeps (`this.bus.on('x', this.onX)`): reported only if that emitter is shared. */
  instanceHandlerOnMember?: boolean;
  /** The event's name is made per call (`this.on(actionId, cb)`): every call adds a listener under a new name. */
  perCallEvent?: boolean;
  /** Added by a function taking the target first (`on(el, 'click', fn)`): removed and re-added the same way. */
  free?: boolean;
}

/** The call that takes the listener back, given the handler's text: `el.off('x', h)`, or `off(el, 'x', h)` for a free adder. */
function removalText(listener: Listener, remove: string, handler: string, receiver = listener.receiver.text): string {
  return listener.free ? `${remove}(${receiver}, ${listener.eventText}, ${handler})` : `${receiver}.${remove}(${listener.eventText}, ${handler})`;
}

/** The add again, given the handler's text (a name the fix binds it to). */
function additionText(listener: Listener, handler: string, receiver = listener.receiver.text): string {
  return listener.free ? `${listener.method}(${receiver}, ${listener.eventText}, ${handler})` : `${receiver}.${listener.method}(${listener.eventText}, ${handler})`;
}

export const jsHandlerNotCleared: Rule = {
  id: 'handler-not-cleared',
  family: 'js',
  collect: ['call_expression', 'class_body'],
  detect(context) {
    const globals = moduleBindings(context.root);
    // An effect's cleanup that misses a listener is reported with the fix that completes the cleanup.
    const detections: Detection[] = [...effectCleanupMisses(context), ...rootScopeListeners(context), ...loggerTransportAdds(context), ...droppedDisposerRegistrations(context)];
    const reported = new Set(detections.map((d) => d.anchor.id));
    for (const call of context.index.nodes('call_expression')) {
      const listener = reported.has(call.id) ? undefined : readListener(context, call, globals);
      if (!listener) continue;
      const sharedMember = onSharedMember(context, listener);
      if (listener.instanceHandlerOnMember && !sharedMember) continue;
      const captured = !sharedMember && capturedFromOuterFunction(context, listener);
      if (!(sharedMember || captured || outlivesTheCall(context, listener, globals)) || removedBeforeNextRun(context, listener) || (!sharedMember && !captured && isFreshEmitter(context, listener))) continue;
      const otherCapture = sharedMember || captured ? undefined : removalWithOtherCapture(context, listener);
      const message = sharedMember
        ? `\`${listener.receiver.text}\` is a shared emitter (the module's, or one a registry hands out), and each instance adds it a listener that holds the instance and never removes it, so every instance made stays reachable.`
        : captured
          ? `\`${listener.receiver.text}\` belongs to the function around this per-instance one, so it outlives each instance; every instance adds it a listener that is never removed (a removal of another function or variable does not count), so they pile up with what they hold.`
          : otherCapture
            ? `\`${listener.receiver.text}\` is told to remove this listener (line ${otherCapture.startPosition.row + 1}) with another capture flag than it was added with, which removes nothing: the listener stays on it with what it holds.`
            : messageFor(listener, globals);
      const captureFix = otherCapture ? sameCaptureFix(listener.call, otherCapture) : undefined;
      detections.push({ anchor: call, scope: context.root, message, fixes: captureFix ? [captureFix] : fixesFor(context, listener) });
    }
    const found = new Set(detections.map((d) => d.anchor.id));
    const lifecycle = lifecycleMisses(context, found);
    for (const detection of lifecycle) found.add(detection.anchor.id);
    const react = reactUnmountMisses(context, found);
    for (const detection of react) found.add(detection.anchor.id);
    const partial = partialCleanupMisses(context, found);
    for (const detection of partial) found.add(detection.anchor.id);
    const unmatched = unmatchedRemovalMisses(context, found);
    for (const detection of unmatched) found.add(detection.anchor.id);
    return [...detections, ...lifecycle, ...react, ...partial, ...unmatched, ...pairedUseMisses(context, found)].filter((detection) => !takenBackWhenFired(context, detection.anchor));
  },
};

/**
 * Listeners added together that take each other back when they fire: a drag's `mouseup` handler
 * removes itself and the `mousemove` one, a one-shot handler removes itself. Each stays on its
 * target only until its event next fires, not for the target's life, and a DOM target given the
 * same function again holds it once.
 */
function takenBackWhenFired(context: RuleContext, call: Node): boolean {
  const listener = readAnyListener(call);
  const adding = functionChain(call)[0];
  if (!listener || !adding || !NAMED_HANDLER.has(listener.listener.type)) return false;
  const receiver = normalizeRef(listener.receiver.text);
  const together = anyListeners(context).filter((other) => functionChain(other.call)[0]?.id === adding.id && normalizeRef(other.receiver.text) === receiver);
  return together.some((other) => handlerFunctions(context, other.listener).some((fn) => removedInSpans(listener, [spanOf(context, fn)])));
}

/** The functions a listener names: `this.onUp` set in the class (`this.onUp = () => …`, a method or field), or a local function. */
function handlerFunctions(context: RuleContext, reference: Node): Node[] {
  const scopes = scopesOf(context);
  if (reference.type === 'identifier') {
    const value = scopes.bindingOf(reference).value;
    return value && (FUNCTION_VALUES.has(value.type) || value.type === 'function_declaration') ? [value] : [];
  }
  const member = reference.type === 'member_expression' && field(reference, 'object')?.type === 'this' ? scopes.memberOf(reference) : undefined;
  if (!member) return [];
  const assigned = context.memo(`js.memberValues:${member.owner.id}`, () => memberValues(scopes, member.owner)).get(member.name) ?? [];
  const declared = namedChildren(field(member.owner, 'body') ?? member.owner).filter((child) => (child.type === 'method_definition' ? field(child, 'name') : field(child, 'property'))?.text === member.name);
  return [...assigned.filter((value) => FUNCTION_VALUES.has(value.type)), ...declared];
}

function messageFor(listener: Listener, globals: ReadonlySet<string>): string {
  const receiver = listener.receiver.text;
  if (holdsInstanceOnModuleEmitter(listener.call, listener.receiver, listener.listener, globals)) {
    return `Each instance adds a listener that holds it to the module's \`${receiver}\` and never removes it, so the emitter keeps every instance alive.`;
  }
  if (isInjectedService(listener)) {
    return `Each view (a controller or link function) adds a listener to the app-wide \`${receiver}\` and never removes it on \`$destroy\`, so every view made stays reachable from it.`;
  }
  if (isReusedFromTable(listener)) {
    return `\`${receiver}\` comes back from \`${tableLookedUp(listener)}\` on later calls, and each call adds it another listener that is never removed, so its listeners pile up.`;
  }
  return `A listener is added to \`${receiver}\` on every call and never removed, so listeners pile up and each keeps its closure alive.`;
}

/**
 * A React effect whose cleanup takes back some of its listeners but not this one (`return () => {
 * el.removeEventListener('a', f); el.addEventListener('b', g) }`): the cleanup is where React
 * expects every subscription of the effect to be undone, so one it misses stays after unmount
 * (and another is added each time the effect runs again).
 */
function effectCleanupMisses(context: RuleContext): Detection[] {
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call_expression')) {
    const listener = readEffectListener(call);
    const effect = listener ? functionChain(call)[0] : undefined;
    const effectCall = effect ? callbackOf(effect) : undefined;
    if (!listener || !effect || !effectCall || !isEffectCall(effectCall)) continue;
    const cleanups = cleanupsOf(effect);
    const takesBackSome = cleanups.some((cleanup) => REMOVAL_CALL.test(context.index.codeOf(cleanup)));
    if (!takesBackSome || cleanups.some((cleanup) => takesBack(spanOf(context, cleanup), normalizeRef(listener.receiver.text), listener))) continue;
    detections.push({
      anchor: call,
      scope: effect,
      message: removesAnotherFunction(context, cleanups, listener)
        ? `The effect's cleanup removes a different function from \`${listener.receiver.text}\` than the one it added, so the added listener stays after unmount and another is added each time the effect runs.`
        : `The effect's cleanup removes other listeners but not this one on \`${listener.receiver.text}\`, so it stays after unmount and another is added each time the effect runs.`,
      fixes: removeTheAddedFunctionFix(listener, cleanups) ?? cleanupFix(context, listener, cleanups),
    });
  }
  return detections;
}

/** Any add of a listener with an event and a function (named or inline). */
function readEffectListener(call: Node): Listener | undefined {
  const callee = field(call, 'function');
  if (!callee || typeOf(callee) !== 'member_expression') return undefined;
  const property = field(callee, 'property');
  const method = property ? textOf(property) : '';
  if (!(method in ADDERS)) return undefined;
  const receiver = field(callee, 'object');
  const [event, listener, options] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  if (!receiver || !event || !listener || (options && /\b(once|signal)\b/.test(options.text))) return undefined;
  return { call, receiver, method, event, eventText: event.text, listener };
}

/** The functions an effect returns as its cleanup. */
function cleanupsOf(effect: Node): Node[] {
  const body = field(effect, 'body');
  if (!body || body.type !== 'statement_block') return [];
  return body.descendantsOfType('return_statement').flatMap((ret) => {
    const value = ret?.namedChild(0);
    return ret && value && functionChain(ret)[0]?.id === effect.id && FUNCTION_VALUES.has(value.type) ? [value] : [];
  });
}

/** Removals that name the function they take back (`removeAllListeners` names none). */
const REMOVERS = new Set(LISTENER_REMOVERS.filter((method) => method !== 'removeAllListeners'));

/**
 * The cleanup removes, for this event, a function that was never added (`removeEventListener('resize',
 * handleResize)` after adding `debouncedHandleResize`): name the added one there instead.
 */
function removeTheAddedFunctionFix(listener: Listener, cleanups: readonly Node[]): CodeFix[] | undefined {
  if (!NAMED_HANDLER.has(listener.listener.type)) return undefined;
  const receiver = normalizeRef(listener.receiver.text);
  const event = eventName(listener);
  for (const call of cleanups.flatMap((cleanup) => cleanup.descendantsOfType('call_expression'))) {
    const callee = call ? field(call, 'function') : undefined;
    if (!call || callee?.type !== 'member_expression' || !REMOVERS.has(field(callee, 'property')?.text ?? '') || normalizeRef(field(callee, 'object')?.text ?? '') !== receiver) continue;
    const [removedEvent, removed] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
    if (!removed || stringValue(removedEvent) !== event || !NAMED_HANDLER.has(removed.type) || lastName(removed.text) === lastName(listener.listener.text)) continue;
    return [{ title: `Remove the function that was added (${listener.listener.text}) in the cleanup`, isPreferred: true, edits: [{ range: nodeRange(removed), newText: listener.listener.text }] }];
  }
  return undefined;
}

/** The matching remove, first in the (single) cleanup's block; a named listener only (an inline one cannot be named back). */
function cleanupFix(context: RuleContext, listener: Listener, cleanups: readonly Node[]): CodeFix[] {
  const adder = adderOf(listener.method);
  const block = cleanups.length === 1 ? field(cleanups[0]!, 'body') : undefined;
  if (!adder || listener.listener.type !== 'identifier' || block?.type !== 'statement_block' || block.startPosition.row === block.endPosition.row) return [];
  const first = namedChildren(block)[0];
  const indent = first ? context.source.indentOf(first.startPosition.row) : context.source.indentOf(block.startPosition.row) + context.source.indentUnit('  ');
  const line = `${removalText(listener, adder.remove, listener.listener.text)};`;
  const edit: TextEdit = { range: { startLine: block.startPosition.row, startColumn: block.startPosition.column + 1, endLine: block.startPosition.row, endColumn: block.startPosition.column + 1 }, newText: context.source.eol + indent + line };
  return [{ title: `Remove the listener in the effect's cleanup (${line})`, isPreferred: true, edits: [edit] }];
}

function readListener(context: RuleContext, call: Node, globals: ReadonlySet<string>): Listener | undefined {
  const callee = field(call, 'function');
  const calleeType = callee ? typeOf(callee) : undefined;
  if (callee && calleeType === 'identifier') return textOf(callee) in FREE_ADDERS ? readFreeListener(context, call, textOf(callee), globals) : undefined;
  if (!callee || calleeType !== 'member_expression') return undefined;
  const property = field(callee, 'property');
  const method = property ? textOf(property) : '';
  // The name first: reading every call's arguments was most of this rule's time on big files.
  if (!(method in ADDERS) && !(method in ONCE_ADDERS) && !(method in JQUERY_ADDERS) && !JQUERY_EVENTS.test(method)) return undefined;
  const receiver = field(callee, 'object');
  const args = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  const shorthand = readJqueryShorthand(call, receiver, args);
  if (shorthand) return shorthand;
  return readAdd(context, call, method, receiver, args, globals);
}

/** `on(el, 'resize', fn)`: the target first, then what the method form takes. */
function readFreeListener(context: RuleContext, call: Node, method: string, globals: ReadonlySet<string>): Listener | undefined {
  const [receiver, ...args] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  // A target is an object the code names (`window`, `this.el`, `el`), not a value written in place.
  if (!receiver || !['identifier', 'member_expression', 'this'].includes(receiver.type)) return undefined;
  return readAdd(context, call, method, receiver, args, globals, true);
}

function readAdd(context: RuleContext, call: Node, method: string, receiver: Node | undefined, args: readonly Node[], globals: ReadonlySet<string>, free = false): Listener | undefined {
  const [event, listener, options] = args;
  const adds = method in ADDERS || (method in ONCE_ADDERS && outlivesItsInstance(call, receiver, stringValue(event))) || (method in JQUERY_ADDERS && isProcessWide(receiver)) || (free && method in FREE_ADDERS);
  if (!adds || !receiver || !event || !listener) return undefined;
  const inline = FUNCTION_VALUES.has(listener.type) || factoryMade(listener) !== undefined;
  // The DOM ignores a second add of the same function; Node's emitters do not. A method of the
  // instance (`this.onResize`, `this.onResize.bind(this)`) on the window or the process is a new
  // function per instance, though: each mounted component adds one more, and it holds the instance.
  const instanceHandlerOnMember = !inline && receiver.type === 'member_expression' && field(receiver, 'object')?.type === 'this' && holdsInstance(listener);
  if (!inline && !instanceHandlerOnMember && !isInstanceMethodOnGlobal(receiver, listener) && !holdsInstanceOnModuleEmitter(call, receiver, listener, globals) && !isMadePerCall(call, listener) && (method === 'addEventListener' || listener.type !== 'identifier')) return undefined;
  if (options && /\b(once|signal)\b/.test(options.text)) return undefined;
  const perCallEvent = method in ADDERS && isFreshPerCall(context, event, call);
  // A wrapper forwarding its caller's listener (`on(event, fn) { this.events.on(event, fn) }`) is
  // not where it piles up; one that makes the event's name per call (an action id) is.
  if (listener.type === 'identifier' && isParameterOfEnclosing(call, listener.text) && !perCallEvent) return undefined;
  return { call, receiver, method, event, eventText: event.text, listener, instanceHandlerOnMember, perCallEvent, free };
}

/** jQuery's event methods, which take the handler alone (`$(window).resize(fn)`); without one they trigger the event. */
const JQUERY_EVENTS = /^(click|dblclick|mousedown|mouseup|mousemove|mouseover|mouseout|mouseenter|mouseleave|keydown|keyup|keypress|resize|scroll|focus|blur|touchstart|touchmove|touchend|contextmenu)$/;
/** jQuery's own adders besides `on`, on the page-wide objects only. */
const JQUERY_ADDERS: Readonly<Record<string, { remove: string; once: string | undefined }>> = { bind: { remove: 'unbind', once: 'one' } };

/** `$(window).resize(this.onResize)`, `jvm.$('body').mouseup(function () {…})`: an `on` for the method's event. */
function readJqueryShorthand(call: Node, receiver: Node | undefined, args: readonly Node[]): Listener | undefined {
  const property = field(field(call, 'function') ?? call, 'property');
  const [listener, ...rest] = args;
  if (!property || !receiver || !listener || rest.length > 0 || !JQUERY_EVENTS.test(property.text) || !isPageWideJquery(receiver)) return undefined;
  if (!FUNCTION_VALUES.has(listener.type) && !isInstanceMethodOnGlobal(receiver, listener)) return undefined;
  return { call, receiver, method: 'on', event: property, eventText: `'${property.text}'`, listener, shorthand: true };
}

/** The page as jQuery wraps it: `$(window)`, `$(document)`, `jQuery('body')`, `jvm.$('html')`. */
const JQUERY_FUNCTION = /(?:^|\.)(?:\$|jQuery)$/;
const PAGE_WIDE_SELECTORS = new Set(['window', 'document', "'body'", '"body"', "'html'", '"html"', "'document'", '"document"', "'window'", '"window"']);

function isPageWideJquery(receiver: Node): boolean {
  if (receiver.type !== 'call_expression' || !JQUERY_FUNCTION.test(field(receiver, 'function')?.text ?? '')) return false;
  const args = namedChildren(field(receiver, 'arguments') ?? receiver);
  return args.length === 1 && PAGE_WIDE_SELECTORS.has(args[0]!.text);
}

/** The event's name, when the code names it: `'resize'` in `on('resize', …)`, `resize` in jQuery's `.resize(…)`. */
function eventName(listener: Listener): string | undefined {
  return listener.shorthand ? listener.event.text : stringValue(listener.event);
}

/**
 * `window.addEventListener('resize', this.onResize)` in a class method, or any `fn.bind(…)` (a new
 * function per call: `process.on('exit', self.stop.bind(this))` in a constructor) given to the
 * window or the process. Whether the code around runs per instance is asked by `addedPerCall`.
 */
function isProcessWide(receiver: Node | undefined): boolean {
  if (!receiver) return false;
  return (receiver.type === 'identifier' && PROCESS_WIDE.has(receiver.text)) || isPageWideJquery(receiver);
}

function isInstanceMethodOnGlobal(receiver: Node, listener: Node): boolean {
  if (!isProcessWide(receiver)) return false;
  const callee = listener.type === 'call_expression' ? field(listener, 'function') : undefined;
  if (callee?.type === 'member_expression' && field(callee, 'property')?.text === 'bind') return true;
  // In a class's or a prototype's method, `this.onResize` is the instance's method.
  return listener.type === 'member_expression' && field(listener, 'object')?.type === 'this' && functionChain(receiver).some(isMethodLike);
}

/**
 * A named listener made by the code around the call (`const onScroll = () => …` or
 * `const onResize = debounce(…)` in the same function): a new function each time that code
 * runs, so the DOM's "same function added twice counts once" does not hold.
 */
function isMadePerCall(call: Node, listener: Node): boolean {
  if (listener.type !== 'identifier') return false;
  const fn = functionChain(call)[0];
  const body = fn ? field(fn, 'body') : undefined;
  if (!body) return false;
  const declared = body.descendantsOfType(['variable_declarator', 'function_declaration']).find((d) => d !== null && field(d, 'name')?.text === listener.text);
  if (!declared) return false;
  if (declared.type === 'function_declaration') return true;
  const value = field(declared, 'value');
  return value !== undefined && (FUNCTION_VALUES.has(value.type) || value.type === 'call_expression');
}

/** The emitter lives longer than the code that keeps adding to it. */
function outlivesTheCall(context: RuleContext, listener: Listener, globals: ReadonlySet<string>): boolean {
  if (isInjectedService(listener) || isReusedFromTable(listener) || isRequestSocket(listener.receiver)) return true;
  const root = rootOf(listener.receiver);
  if (!root) return false;
  // An emitter the function did not make, gaining a listener under a new name on every call.
  if (listener.perCallEvent && !localBindings(listener.call).has(root)) return true;
  // Listeners on the object itself (`this.on(...)`) go when it goes, unless each request or
  // connection the object serves adds one (`init(req, res) { this.on('data', … res …) }`).
  if (listener.receiver.type === 'this') return closeableParameter(listener.call) !== undefined && enclosingMethod(listener.call) !== undefined;
  if (isPageWideJquery(listener.receiver)) return addedPerCall(listener.call);
  // Elements the page already has, selected again on each run: jQuery keeps every handler added.
  if (isSelectedFromPage(listener.receiver)) return runsRepeatedly(listener.call);
  if (PROCESS_WIDE.has(root) && !localBindings(listener.call).has(root)) return addedPerCall(listener.call) || holdsMadeInstanceThatEnds(context, listener) || calledFromRepeatedCode(context, listener.call);
  if (root === 'this') {
    const method = enclosingMethod(listener.call);
    return method !== undefined && (!ONCE_METHODS.test(method.name) || setUpAgain(context, listener) !== undefined);
  }
  if (holdsInstanceOnModuleEmitter(listener.call, listener.receiver, listener.listener, globals)) return true;
  return globals.has(root) && !localBindings(listener.call).has(root) && (runsRepeatedly(listener.call) || calledFromRepeatedCode(context, listener.call));
}

/**
 * A plain function runs as often as the code that calls it. Its name says nothing (`playRound`,
 * `watchJob`), but a call of it from a per-event callback, a method or a handler in the same file
 * does: each event, instance or request runs it again, and what it adds to an emitter that
 * outlives it (the process, a module-level server) piles up. Set-up functions are not asked.
 */
function calledFromRepeatedCode(context: RuleContext, node: Node): boolean {
  const fn = functionChain(node)[0];
  if (!fn || isMethodLike(fn) || isProcessSetup(fn)) return false;
  const name = functionNameOf(fn);
  if (name === '') return false;
  return (callsByName(context).get(name) ?? []).some((call) => !functionChain(call).some((around) => around.id === fn.id) && addedPerCall(call));
}

/**
 * A set-up method (`start`, `connect`, `listen`…) adding to one of the object's emitters, which
 * the class calls again (`this.start()` from its error handler, a retry, `restart()`), not only
 * from the constructor: each run after the first adds the listeners again to the same emitter,
 * unless the run makes a new one first. Returns the method.
 */
function setUpAgain(context: RuleContext, listener: Listener): Node | undefined {
  const around = enclosingMethod(listener.call);
  if (!around || around.name === 'constructor' || !ONCE_METHODS.test(around.name) || functionChain(listener.call)[0]?.id !== around.method.id) return undefined;
  const body = around.method.parent;
  if (body?.type !== 'class_body') return undefined;
  const again = context.memo(`js.calledAgain:${body.id}:${around.name}`, () =>
    body.descendantsOfType('call_expression').some((call) => {
      const callee = call ? field(call, 'function') : undefined;
      if (callee?.type !== 'member_expression' || field(callee, 'object')?.type !== 'this' || field(callee, 'property')?.text !== around.name) return false;
      return enclosingMethod(call!)?.name !== 'constructor';
    }),
  );
  return again ? around.method : undefined;
}

/**
 * `this.server = http.createServer(…)` in a block the add is in: every run makes the emitter anew
 * before adding (not only the first, behind `if (!this.server)`). Or the add itself sits behind a
 * test of the emitter (`if (!this.server) { this.server = …; this.server.on(…) }`): it runs with
 * the run that makes it.
 */
function assignedOnEveryRun(listener: Listener, fn: Node): boolean {
  const target = normalizeRef(listener.receiver.text);
  for (let node = listener.call.parent; node && node.id !== fn.id; node = node.parent) {
    const condition = node.type === 'if_statement' ? field(node, 'condition') : undefined;
    if (condition && normalizeRef(condition.text).includes(target)) return true;
  }
  return (field(fn, 'body')?.descendantsOfType('assignment_expression') ?? []).some((assignment) => {
    const left = assignment ? field(assignment, 'left') : undefined;
    if (!assignment || !left || normalizeRef(left.text) !== target || assignment.startIndex >= listener.call.startIndex) return false;
    const block = statementOf(assignment)?.parent;
    return block !== null && block !== undefined && block.startIndex <= listener.call.startIndex && listener.call.endIndex <= block.endIndex;
  });
}

/**
 * A factory's process listener: the function makes an object (`var root = new Seneca()`), gives it
 * an end (`root.close = api_close`), returns it, and hands the process a listener that uses it.
 * Each object made adds one more listener that keeps it, and objects declared to end before the
 * process must take theirs back, as a class with a teardown must (outlivesItsInstance).
 */
function holdsMadeInstanceThatEnds(context: RuleContext, listener: Listener): boolean {
  return madeInstanceThatEnds(context, listener) !== undefined;
}

interface EndingInstance {
  maker: Node;
  /** The function assigned as the object's end (`client.close = function () {…}`, or what the name given refers to). */
  teardown: Node | undefined;
}

function madeInstanceThatEnds(context: RuleContext, listener: Listener): EndingInstance | undefined {
  if (!FUNCTION_VALUES.has(listener.listener.type)) return undefined;
  const scopes = scopesOf(context);
  const chain = functionChain(listener.call);
  const seen = new Set<string>();
  for (const name of listener.listener.descendantsOfType('identifier')) {
    if (!name || seen.has(name.text)) continue;
    seen.add(name.text);
    const binding = scopes.bindingOf(name);
    // A function's locals are scoped to its body block.
    const maker = binding.kind === 'local' && binding.value?.type === 'new_expression' ? chain.find((fn) => fn.id === binding.scope?.id || field(fn, 'body')?.id === binding.scope?.id) : undefined;
    const end = maker ? returnedEnd(maker, name.text) : undefined;
    if (maker && end) return { maker, teardown: FUNCTION_VALUES.has(end.type) ? end : undefined };
  }
  return undefined;
}

/** `fn` returns `name` and gives it a teardown member (`name.close = …`): the value assigned. */
function returnedEnd(fn: Node, name: string): Node | undefined {
  const body = field(fn, 'body');
  if (!body) return undefined;
  const returned = body.descendantsOfType('return_statement').some((statement) => statement?.namedChild(0)?.text === name && functionChain(statement)[0]?.id === fn.id);
  if (!returned) return undefined;
  for (const assignment of body.descendantsOfType('assignment_expression')) {
    const left = assignment ? field(assignment, 'left') : undefined;
    if (left?.type === 'member_expression' && field(left, 'object')?.text === name && isTeardownName(field(left, 'property')?.text)) return field(assignment!, 'right');
  }
  return undefined;
}

/**
 * Name the listener and take it back when the object it holds ends:
 *   const onSIGTERM = function () { client.close(); };
 *   process.on('SIGTERM', onSIGTERM);
 *   client.close = function (done) { process.removeListener('SIGTERM', onSIGTERM); … };
 */
function removeWhenInstanceEndsFix(context: RuleContext, listener: Listener): CodeFix | undefined {
  const ending = madeInstanceThatEnds(context, listener);
  const block = ending?.teardown ? field(ending.teardown, 'body') : undefined;
  const first = block?.type === 'statement_block' ? namedChildren(block)[0] : undefined;
  const statement = statementOf(listener.call);
  const adder = ADDERS[listener.method];
  if (!ending || !block || !first || first.startPosition.row === block.startPosition.row || !adder || !statement || functionChain(listener.call)[0]?.id !== ending.maker.id) return undefined;
  if (statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return undefined;
  const handler = freshName(context.index.code, listenerName(listener));
  const indent = context.source.indentOf(statement.startPosition.row);
  const line = `${removalText(listener, adder.remove, handler)};`;
  const named = [`const ${handler} = ${listener.listener.text};`, `${additionText(listener, handler)};`].join(context.source.eol + indent);
  return {
    title: `Take the listener back when the object ends (${line})`,
    isPreferred: true,
    edits: [insertLinesBefore(context.source, first.startPosition.row, context.source.indentOf(first.startPosition.row), [line]), { range: nodeRange(statement), newText: named }],
  };
}

/** A request's or response's socket: `req.socket`, `this.res.connection`. */
const REQUEST_SOCKET = /^(?:this\.)?(?:req|request|res|response)\.(?:socket|connection)$/;

/**
 * With keep-alive, one socket carries request after request, so what a request adds to its
 * socket stays after the request is done, and the next request adds another.
 */
function isRequestSocket(receiver: Node): boolean {
  return REQUEST_SOCKET.test(normalizeRef(receiver.text));
}

/**
 * A class's method (its constructor included) hands an emitter of the module (declared or
 * imported there, so it outlives every instance) a listener that holds the instance: one of its
 * methods (`this.onMessage`, `this.onMessage.bind(this)`) or an arrow using `this`. The emitter
 * then keeps each instance made, and all it references, until the listener is removed: the
 * subscription shape of Python's `bus.subscribe(self.on_event)`.
 */
function holdsInstanceOnModuleEmitter(call: Node, receiver: Node | undefined, listener: Node, globals: ReadonlySet<string>): boolean {
  const root = receiver ? rootOf(receiver) : undefined;
  // Cheapest first: the local bindings walk every function around the call.
  if (!root || root === 'this' || PROCESS_WIDE.has(root) || !globals.has(root) || !holdsInstance(listener) || !enclosingMethod(call)) return false;
  return !localBindings(call).has(root);
}

function holdsInstance(listener: Node): boolean {
  if (listener.type === 'member_expression') return field(listener, 'object')?.type === 'this';
  if (listener.type === 'arrow_function') return (field(listener, 'body')?.descendantsOfType('this').length ?? 0) > 0;
  const callee = listener.type === 'call_expression' ? field(listener, 'function') : undefined;
  if (callee?.type !== 'member_expression' || field(callee, 'property')?.text !== 'bind') return false;
  return (field(callee, 'object')?.descendantsOfType('this').length ?? 0) > 0 || (field(listener, 'arguments')?.descendantsOfType('this').length ?? 0) > 0;
}

/** `this._inflate = zlib.createInflateRaw(); this._inflate.on(...)`: the emitter is new, its listeners go with it. */
function isFreshEmitter(context: RuleContext, listener: Listener): boolean {
  const fn = functionChain(listener.call)[0];
  if (!fn) return false;
  // A set-up run again keeps its emitter unless every run makes a new one before adding.
  if (setUpAgain(context, listener)) return assignedOnEveryRun(listener, fn);
  const before = context.index.code.slice(fn.startIndex, listener.call.startIndex);
  return new RegExp(`${escapeRegExp(listener.receiver.text)}\\s*=(?![=>])`).test(before) && tableLookedUp(listener) === undefined;
}

/** AngularJS's per-view objects: listeners on them go with the view. */
const ANGULAR_VIEW_OBJECTS = new Set(['$scope', 'scope', '$element', 'element', 'elem', '$attrs', 'attrs']);

/**
 * An AngularJS controller or directive link function (it takes `$scope`) runs once per view made,
 * and the services injected into it (`Socket`, `$rootScope`, an event bus) are singletons of the
 * app: a listener added to one there, and not removed on `$scope.$on('$destroy')`, stays after the
 * view goes, and each visit adds another.
 */
function isInjectedService(listener: Listener): boolean {
  const root = rootOf(listener.receiver);
  if (!root || root === 'this' || ANGULAR_VIEW_OBJECTS.has(root)) return false;
  const view = angularView(listener.call);
  if (!view) return false;
  // A link function's own parameters are the element's (scope, element, attrs, controllers): the
  // services are the directive factory's, injected once into the function around it.
  const injector = view.link ? functionChain(view.fn).slice(1).find((fn) => parameterNames(fn).includes(root)) : view.fn;
  return injector !== undefined && parameterNames(injector).includes(root) && !rebindsBetween(listener.call, injector, root);
}

/**
 * `$rootScope.$on('evt', fn)` in a controller or link function with its deregistration function
 * dropped: the root scope outlives every view, so each view made leaves one more listener (and the
 * view it holds). The returned function is the only way to remove it.
 */
function rootScopeListeners(context: RuleContext): Detection[] {
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call_expression')) {
    const callee = field(call, 'function');
    if (callee?.type !== 'member_expression' || field(callee, 'property')?.text !== '$on' || field(callee, 'object')?.text !== '$rootScope') continue;
    const statement = statementOf(call);
    const view = angularView(call);
    if (!statement || statement.type !== 'expression_statement' || statement.namedChild(0)?.id !== call.id || !view) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: 'Each view adds a listener to `$rootScope`, which outlives every view, and drops the function that removes it, so every view made stays reachable.',
      fixes: deregisterOnDestroyFix(context, statement, call, view.scope),
    });
  }
  return detections;
}

/** `var off = $rootScope.$on(…); $scope.$on('$destroy', off);` (the view's scope under its own name: `scope` in a link function). */
function deregisterOnDestroyFix(context: RuleContext, statement: Node, call: Node, scope: string): CodeFix[] {
  if (!standsAlone(statement, context.source)) return [];
  const name = freshName(context.index.code, 'deregister');
  const indent = context.source.indentOf(statement.startPosition.row);
  const lines = [`var ${name} = ${call.text};`, `${scope}.$on('$destroy', ${name});`];
  return [{ title: `Deregister the listener when the view is destroyed (${scope}.$on('$destroy', …))`, isPreferred: true, edits: [{ range: nodeRange(statement), newText: lines.join(context.source.eol + indent) }] }];
}

/** An AngularJS function that runs once per view made, and the name it gives that view's scope. */
interface AngularView {
  fn: Node;
  scope: string;
  /** A directive's link function: the scope is its first parameter, whatever its name. */
  link: boolean;
}

/**
 * The innermost function around `node` that runs once per view: a controller (it takes `$scope`)
 * or a directive's link function (`link: function (scope, element) {…}`, `link: { post: … }`, or
 * what `compile` returns), which AngularJS calls once for every element it links, handing it that
 * element's scope first.
 */
function angularView(node: Node): AngularView | undefined {
  for (const fn of functionChain(node)) {
    if (parameterNames(fn).includes('$scope')) return { fn, scope: '$scope', link: false };
    const scope = parameterNames(fn)[0];
    if (scope && isLinkFunction(fn)) return { fn, scope, link: true };
  }
  return undefined;
}

function angularViewFunction(node: Node): Node | undefined {
  return angularView(node)?.fn;
}

/** `link: function (scope…)`, `link: { pre: …, post: … }`, or a function returned by a directive's `compile`. */
function isLinkFunction(fn: Node): boolean {
  const key = (pair: Node | null) => (pair?.type === 'pair' ? stringValue(field(pair, 'key') ?? undefined) ?? field(pair, 'key')?.text : undefined);
  const own = key(fn.parent);
  if (own === 'link') return true;
  if (own !== 'pre' && own !== 'post') return fn.parent?.type === 'return_statement' && key(functionChain(fn.parent)[0]?.parent ?? null) === 'compile';
  const object = fn.parent?.parent;
  return key(object?.parent ?? null) === 'link' || (object?.parent?.type === 'return_statement' && key(functionChain(object.parent)[0]?.parent ?? null) === 'compile');
}

function parameterNames(fn: Node): string[] {
  const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
  if (!parameters) return [];
  if (parameters.type === 'identifier') return [parameters.text];
  return namedChildren(parameters).map((p) => (field(p, 'pattern') ?? p).text);
}

/** A function between `node` and `owner` binds `name` again (a parameter or a declaration of its own). */
function rebindsBetween(node: Node, owner: Node, name: string): boolean {
  for (const fn of functionChain(node)) {
    if (fn.id === owner.id) return false;
    if (parameterNames(fn).includes(name)) return true;
  }
  return false;
}

/**
 * `client = connections[key]` (or `table.get(key)`) in code that runs per event, then
 * `client.on('message', …)`: the object is looked up from a table that outlives the call, so the
 * same object comes back on later events and gains one more listener each time.
 */
function isReusedFromTable(listener: Listener): boolean {
  return tableLookedUp(listener) !== undefined && runsRepeatedly(listener.call);
}

/** The long-lived table the receiver was taken from in the function around the call, if it was. */
function tableLookedUp(listener: Listener): string | undefined {
  const fn = functionChain(listener.call)[0];
  const receiver = listener.receiver;
  if (!fn) return undefined;
  const direct = receiver.type === 'subscript_expression' ? field(receiver, 'object') : receiver.type === 'call_expression' && calleeName(receiver) === 'get' ? field(field(receiver, 'function') ?? receiver, 'object') : undefined;
  if (direct) return outlivesFunction(fn, direct.text) ? direct.text : undefined;
  if (receiver.type !== 'identifier') return undefined;
  const before = fn.text.slice(0, listener.call.startIndex - fn.startIndex);
  const lookup = new RegExp(`\\b${escapeRegExp(receiver.text)}\\s*=\\s*((?:this\\s*\\.\\s*)?[\\w$]+(?:\\s*\\.\\s*[\\w$]+)*)\\s*(?:\\[|\\.\\s*get\\s*\\()`, 'g');
  for (const match of before.matchAll(lookup)) if (outlivesFunction(fn, match[1]!)) return match[1]!;
  return undefined;
}

/** A table reached through `this` or bound outside `fn` (an enclosing function's or the module's): it is there on the next call. */
function outlivesFunction(fn: Node, table: string): boolean {
  const root = table.replace(/\s+/g, '').split('.')[0]!;
  if (root === 'this') return true;
  if (parameterNames(fn).includes(root)) return false;
  const body = field(fn, 'body');
  return !(body?.descendantsOfType('variable_declarator') ?? []).some((d) => d !== null && field(d, 'name')?.text === root);
}

/** The calls that take a listener back, up to their opening parenthesis. */
const REMOVAL = `${LISTENER_REMOVER}\\s*\\(`;
const REMOVAL_CALL = new RegExp(`\\.\\s*${REMOVAL}`);

/**
 * A name made per call is never a literal, so a removal of a named event cannot take it back;
 * one given the same variable (`emitter.removeListener(id, cb)`, through any alias of the
 * emitter, as a timer's callback gets it) can, and so can a removal of an unnamed event.
 */
function removesPerCallEvent(code: string, receiver: string, listener: Listener): boolean {
  const sameName = new RegExp(`\\.\\s*${REMOVAL}\\s*${escapeRegExp(listener.event.text)}\\s*[,)]`);
  return sameName.test(code) || new RegExp(`${receiver}\\s*\\.\\s*${REMOVAL}(?!\\s*['"\`])`).test(code);
}

/**
 * Page elements selected again on every update keep the handlers each update adds: only a removal
 * on that path (`off` before `on` in the updating function) runs between two updates. One in
 * another function (`hideProperties`) runs when it is called, and updates come in between.
 */
function removedBeforeNextRun(context: RuleContext, listener: Listener): boolean {
  if (reselectedPerUpdate(listener)) return removedIn(context, listener, functionChain(listener.call));
  return isRemoved(context, listener);
}

/**
 * A removal from the same emitter that can take this listener back: one for the same event (or
 * an event the code computes), or `removeAllListeners`. Another class removing its own 'exit'
 * listener from `process` does not remove this one's 'SIGTERM' listener. Raw text: the code with
 * strings blanked would compare only the event names' lengths.
 */
function isRemoved(context: RuleContext, listener: Listener): boolean {
  // Searched in the blanked code, a receiver spelled with a string (`$('.field')`) is blanked too.
  const blankedReceiver = context.index.codeOf(listener.receiver);
  const receiver = escapeRegExp(blankedReceiver);
  if (listener.perCallEvent) return removesPerCallEvent(context.index.code, receiver, listener);
  if (eventName(listener) === undefined) return new RegExp(listener.free ? `\\b(?:${FREE_REMOVERS.join('|')})\\s*\\(\\s*${receiver}\\s*[,)]` : `${receiver}\\s*\\.\\s*${REMOVAL}`).test(context.index.code);
  const scopes = scopesOf(context);
  const matches = (removal: Removal) => reachesSameBinding(context, scopes, listener, removal) && !captureDiffersAt(context, listener, removal);
  return takesBack({ code: context.index.code, raw: context.source.text }, blankedReceiver, listener, matches);
}

/** The removal call found at `removal`: the call around its receiver. */
function removalCall(context: RuleContext, listener: Listener, removal: Removal): Node | undefined {
  const receiver = nodeSpanning(context.root, removal.at, removal.at + listener.receiver.text.length);
  const call = receiver?.parent?.parent;
  return call?.type === 'call_expression' ? call : undefined;
}

function captureDiffersAt(context: RuleContext, listener: Listener, removal: Removal): boolean {
  // A helper's capture flag sits at another place: only the DOM's own methods are compared.
  if (listener.free) return false;
  const call = removalCall(context, listener, removal);
  return call !== undefined && captureDiffers(listener.call, call);
}

/** A removal of this listener that would take it back but for its capture flag. */
function removalWithOtherCapture(context: RuleContext, listener: Listener): Node | undefined {
  if (listener.method !== 'addEventListener' || listener.free || eventName(listener) === undefined || listener.perCallEvent) return undefined;
  const scopes = scopesOf(context);
  let found: Node | undefined;
  takesBack({ code: context.index.code, raw: context.source.text }, context.index.codeOf(listener.receiver), listener, (removal) => {
    const call = reachesSameBinding(context, scopes, listener, removal) ? removalCall(context, listener, removal) : undefined;
    if (call && captureDiffers(listener.call, call)) found = call;
    return found !== undefined;
  });
  return found;
}

/**
 * A removal spelled like the registration counts only when it reaches the same variables: the
 * receiver (`this.bus` of this class, not another class's; a module's `emitter`, not a local
 * shadowing it) and the named handler. A parameter is compared by name, as before: another
 * function's `el` is often the same element handed to it.
 */
function reachesSameBinding(context: RuleContext, scopes: ScopeResolver, listener: Listener, removal: Removal): boolean {
  // Blanked, `$('.a')` and `$('.b')` look alike: the selector as written must be the same.
  if (context.source.text.slice(removal.at, removal.at + listener.receiver.text.length) !== listener.receiver.text) return false;
  const removedReceiver = nodeSpanning(context.root, removal.at, removal.at + listener.receiver.text.length);
  if (removedReceiver && !sameReference(scopes, listener.receiver, removedReceiver)) return false;
  const handler = removal.handlerAt === undefined ? undefined : nodeSpanning(context.root, removal.handlerAt.start, removal.handlerAt.end);
  return !handler || !NAMED_HANDLER.has(listener.listener.type) || sameReference(scopes, listener.listener, handler);
}

/** The node that spans exactly [start, end), if one does. */
function nodeSpanning(root: Node, start: number, end: number): Node | undefined {
  let node: Node | null = root.descendantForIndex(start, Math.max(start, end - 1));
  while (node && node.endIndex < end) node = node.parent;
  return node && node.startIndex === start && node.endIndex === end ? node : undefined;
}

function sameReference(scopes: ScopeResolver, added: Node, removed: Node): boolean {
  if (added.text.replace(/\s+/g, '') !== removed.text.replace(/\s+/g, '')) return true; // compared by name elsewhere
  if (byParameter(scopes, added) || byParameter(scopes, removed)) return true;
  const first = scopes.referenceKey(added);
  const second = scopes.referenceKey(removed);
  return first === undefined || second === undefined || first === second;
}

/** The expression starts from a parameter (`el.off(…)`): its binding says little about the object. */
function byParameter(scopes: ScopeResolver, expression: Node): boolean {
  let current: Node | undefined = expression;
  while (current?.type === 'member_expression') current = field(current, 'object');
  return current?.type === 'identifier' && scopes.bindingOf(current).kind === 'parameter';
}

/**
 * `this.emitter = MyEventEmitter.getEmitter('inbound')` (or `= bus`, an import or a module binding)
 * somewhere in the class, and `this.emitter.on(…, () => this.…)` in any of its methods, constructor
 * and `init` included: the emitter is shared and outlives the instance, so each instance made
 * leaves a listener that holds it.
 */
function onSharedMember(context: RuleContext, listener: Listener): boolean {
  const receiver = listener.receiver;
  if (receiver.type !== 'member_expression' || field(receiver, 'object')?.type !== 'this' || !holdsInstance(listener.listener)) return false;
  const scopes = scopesOf(context);
  const member = scopes.memberOf(receiver);
  if (!member) return false;
  const assigned = context.memo(`js.memberValues:${member.owner.id}`, () => memberValues(scopes, member.owner));
  const values = assigned.get(member.name) ?? [];
  return values.length > 0 && values.every((value) => isSharedObject(scopes, value));
}

/** What each `this.x = …` in a class (or constructor function) assigns, by attribute. */
function memberValues(scopes: ScopeResolver, owner: Node): Map<string, Node[]> {
  const values = new Map<string, Node[]>();
  for (const assignment of owner.descendantsOfType('assignment_expression')) {
    const left = assignment ? field(assignment, 'left') : undefined;
    const value = assignment ? field(assignment, 'right') : undefined;
    const member = left?.type === 'member_expression' && field(left, 'object')?.type === 'this' ? scopes.memberOf(left) : undefined;
    if (!member || !value || member.owner.id !== owner.id) continue;
    values.set(member.name, [...(values.get(member.name) ?? []), value]);
  }
  return values;
}

/** Getters of a registry or a singleton: `getEmitter('inbound')`, `getInstance()`, `shared()`. */
const SHARED_GETTER = /^(get[A-Z]\w*|instance|shared|getDefault|default)$/;
const LITERALS = new Set(['string', 'number', 'true', 'false', 'null']);

/** An import or module binding (or a member of one), or what a registry getter on one returns for a constant key. */
function isSharedObject(scopes: ScopeResolver, value: Node): boolean {
  if (value.type === 'identifier') return isModuleLevel(scopes, value);
  if (value.type === 'member_expression') {
    const object = field(value, 'object');
    return object?.type === 'identifier' && isModuleLevel(scopes, object);
  }
  if (value.type !== 'call_expression') return false;
  const callee = field(value, 'function');
  const object = callee?.type === 'member_expression' ? field(callee, 'object') : undefined;
  const method = callee?.type === 'member_expression' ? field(callee, 'property')?.text ?? '' : '';
  const args = namedChildren(field(value, 'arguments') ?? value);
  return object?.type === 'identifier' && isModuleLevel(scopes, object) && SHARED_GETTER.test(method) && args.every((arg) => LITERALS.has(arg.type));
}

function isModuleLevel(scopes: ScopeResolver, identifier: Node): boolean {
  const binding = scopes.bindingOf(identifier);
  if (binding.kind === 'import') return true;
  // A module-level class or function is code, not a shared object.
  return binding.kind === 'module' && !CODE_VALUES.has(binding.value?.type ?? '');
}

const CODE_VALUES = new Set(['class_declaration', 'class', 'function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function']);

/** The function itself (not one nested in it) uses `this`: it runs per instance. */
function usesOwnThis(fn: Node): boolean {
  return (field(fn, 'body')?.descendantsOfType('this') ?? []).some((node) => node !== null && ownerOfThis(node)?.id === fn.id);
}

function ownerOfThis(node: Node): Node | undefined {
  return functionChain(node).find((fn) => fn.type !== 'arrow_function');
}

/**
 * `function (…, $document) { var CropHost = function () { …; $document.on('mouseup', onMouseUp) } }`:
 * the emitter is a parameter or local of a function around the per-instance one (a factory, a
 * module wrapper), so it outlives each instance; a listener made per instance stays on it.
 */
function capturedFromOuterFunction(context: RuleContext, listener: Listener): boolean {
  let root: Node | undefined = listener.receiver;
  while (root?.type === 'member_expression') root = field(root, 'object');
  if (root?.type !== 'identifier') return false;
  const binding = scopesOf(context).bindingOf(root);
  if ((binding.kind !== 'parameter' && binding.kind !== 'local') || !binding.scope || usesOwnThis(binding.scope) || isMethodLike(binding.scope)) return false;
  if (binding.value && (binding.value.type === 'new_expression' || FUNCTION_VALUES.has(binding.value.type))) return false;
  const chain = functionChain(listener.call);
  const outer = chain.findIndex((fn) => fn.id === binding.scope!.id);
  if (outer <= 0) return false;
  const between = chain.slice(0, outer);
  if (!between.some((fn) => isPerInstance(fn) && !isMethodLike(fn)) || between.some(isOneShotCallback)) return false;
  return FUNCTION_VALUES.has(listener.listener.type) || isMadePerCall(listener.call, listener.listener) || holdsInstance(listener.listener);
}

/** A span of the file twice: with comments and strings blanked (where to look), and as written (what the strings say). */
interface Span {
  code: string;
  raw: string;
}

interface Removal {
  method: string;
  event: string;
  rest: string;
  /** Offset of the receiver in the span. */
  at: number;
  /** Where the named handler is in the span (`, onUp)`), when it is named. */
  handlerAt?: { start: number; end: number };
}

/** Removals from `receiver` in the span, outside comments: the method, the event as written, and the rest of the line. */
function* removalsFrom(span: Span, receiver: string, free = false): Generator<Removal> {
  // The rest of the line is looked at, not consumed: a second removal on the line is read too.
  const target = `(${escapeRegExp(receiver)})`;
  const removal = free
    ? new RegExp(`\\b(${FREE_REMOVERS.join('|')})\\s*\\(\\s*${target}\\s*,\\s*([^,)]*)(?=(,\\s*[^\\n]*)|)`, 'dg')
    : new RegExp(`${target}\\s*\\.\\s*(${LISTENER_REMOVERS.join('|')})\\s*\\(\\s*([^,)]*)(?=(,\\s*[^\\n]*)|)`, 'dg');
  const [methodGroup, receiverGroup] = free ? [1, 2] : [2, 1];
  for (const match of span.code.matchAll(removal)) {
    const [eventStart, eventEnd] = match.indices![3]!;
    const rest = match.indices![4];
    const restText = rest ? span.raw.slice(rest[0], rest[1]) : '';
    const named = /^,\s*([\w$]+(?:\s*\.\s*[\w$]+)*)\s*[,)]/d.exec(restText);
    const handlerAt = rest && named ? { start: rest[0] + named.indices![1]![0], end: rest[0] + named.indices![1]![1] } : undefined;
    yield { method: match[methodGroup]!, event: span.raw.slice(eventStart, eventEnd).trim(), rest: restText, at: match.indices![receiverGroup]![0], handlerAt };
  }
}

/**
 * The span removes this listener from `receiver`: `removeAllListeners()` (or for its event), or a
 * removal for its event (or an event the code computes) that names the function that was added.
 * Commented-out removals (`// Socket.off('stats')`) remove nothing.
 */
function takesBack(span: Span, receiver: string, listener: Listener, reachesIt: (removal: Removal) => boolean = () => true): boolean {
  const event = eventName(listener);
  const forThisEvent = (removed: string) => !/^['"`]/.test(removed) || event === undefined || removed.slice(1, -1) === event;
  for (const removal of removalsFrom(span, receiver, listener.free)) {
    if (!reachesIt(removal)) continue;
    if (removal.method === 'removeAllListeners') {
      if (removal.event === '' || forThisEvent(removal.event)) return true;
      continue;
    }
    if (FRESH_FUNCTION.test(removal.rest) || !removesHandler(removal.rest, listener)) continue;
    if (forThisEvent(removal.event)) return true;
  }
  return false;
}

/** A cleanup removing, for this listener's event, a function other than the one added (`remove('resize', handleResize)` after `add('resize', debounced)`). */
function removesAnotherFunction(context: RuleContext, cleanups: readonly Node[], listener: Listener): boolean {
  const event = eventName(listener);
  return cleanups.some((cleanup) => [...removalsFrom(spanOf(context, cleanup), normalizeRef(listener.receiver.text), listener.free)].some((removal) => removal.event.slice(1, -1) === event));
}

function spanOf(context: RuleContext, node: Node): Span {
  return { code: context.index.codeOf(node), raw: node.text };
}

/**
 * A removal naming a handler takes back only that handler: `window` is shared by every class in
 * the file, and one component removing its `this.onScroll` leaves another's `this.onResize` (or an
 * arrow, which no name reaches) in place. Names are compared by their last part (`this.onResize`,
 * `self.onResize`, `onResize`); a removal without a handler (`off('x')`) takes back them all.
 */
function removesHandler(rest: string | undefined, listener: Listener): boolean {
  const named = /^,\s*([\w$]+(?:\s*\.\s*[\w$]+)*)\s*[,)]/.exec(rest ?? '');
  if (!named) return true;
  if (!NAMED_HANDLER.has(listener.listener.type)) return false;
  return lastName(named[1]!) === lastName(listener.listener.text);
}

const NAMED_HANDLER: ReadonlySet<string> = new Set(['identifier', 'member_expression']);

function lastName(reference: string): string {
  return reference.split('.').at(-1)!.trim();
}

/**
 * A remove given a function made on the spot (`removeEventListener('resize', () => this.onResize())`,
 * `off('x', this.f.bind(this))`) removes nothing: that function was never added.
 */
const FRESH_FUNCTION = /^,\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[\w$]+\s*=>|[\w$.]+\.bind\s*\()/;

function fixesFor(context: RuleContext, listener: Listener): CodeFix[] {
  if (reselectedPerUpdate(listener)) return removeBeforeAddFix(context, listener);
  if (setUpAgain(context, listener)) return removePreviousFix(context, listener);
  const fixes: CodeFix[] = [];
  const removal = removeOnCloseFix(context, listener) ?? removeOnTeardownFix(context, listener) ?? effectCleanupFix(context, listener) ?? removeWhenInstanceEndsFix(context, listener);
  if (removal) fixes.push(removal);
  const once = onceFix(listener);
  if (once) fixes.push(once);
  return fixes;
}

/**
 * Names the listener and removes it when the connection or request it serves closes:
 *   const onMessage = (m) => …; process.on('message', onMessage);
 *   ws.on('close', () => process.off('message', onMessage));
 */
function removeOnCloseFix(context: RuleContext, listener: Listener): CodeFix | undefined {
  const view = isInjectedService(listener) ? angularView(listener.call)?.scope : undefined;
  const owner = view ?? closeableParameter(listener.call);
  const statement = statementOf(listener.call);
  if (!owner || owner === rootOf(listener.receiver) || !statement || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return undefined;
  const adder = adderOf(listener.method);
  if (!adder) return undefined;
  const source = context.source;
  const indent = source.indentOf(statement.startPosition.row);
  const inline = listener.listener.type !== 'identifier';
  const name = inline ? freshName(context.index.code, listenerName(listener)) : listener.listener.text;
  const receiver = listener.receiver.text;
  const lines = [
    ...(inline ? [`const ${name} = ${listener.listener.text};`] : []),
    `${additionText(listener, name, receiver)};`,
    view ? `${owner}.$on('$destroy', function () { ${removalText(listener, adder.remove, name, receiver)}; });` : `${owner}.on('close', () => ${removalText(listener, adder.remove, name, receiver)});`,
  ];
  const edit: TextEdit = { range: nodeRange(statement), newText: lines.join(source.eol + indent) };
  return { title: view ? 'Remove the listener when the view is destroyed ($destroy)' : `Remove the listener when ${owner} closes`, isPreferred: true, edits: [edit] };
}

/**
 * An effect that adds a listener and returns no cleanup: name the listener (an inline one) and
 * return a cleanup that removes it, which React runs on unmount and before the effect runs again.
 */
function effectCleanupFix(context: RuleContext, listener: Listener): CodeFix | undefined {
  const effect = functionChain(listener.call)[0];
  const effectCall = effect ? callbackOf(effect) : undefined;
  const block = effect ? field(effect, 'body') : undefined;
  const statement = statementOf(listener.call);
  const adder = adderOf(listener.method);
  if (!effect || !effectCall || !isEffectCall(effectCall) || block?.type !== 'statement_block' || !adder || listener.shorthand) return undefined;
  if (block.startPosition.row === block.endPosition.row || cleanupsOf(effect).length > 0 || block.descendantsOfType('return_statement').some((r) => r !== null && functionChain(r)[0]?.id === effect.id)) return undefined;
  if (!statement || statement.parent?.id !== block.id || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return undefined;
  const source = context.source;
  const indent = source.indentOf(statement.startPosition.row);
  const inline = listener.listener.type !== 'identifier';
  const name = inline ? freshName(context.index.code, listenerName(listener)) : listener.listener.text;
  const added = inline ? [`const ${name} = ${listener.listener.text};`, `${additionText(listener, name)};`] : [statement.text];
  const last = namedChildren(block).filter((n) => n.type !== 'comment').at(-1)!;
  const cleanup = `return () => ${removalText(listener, adder.remove, name)};`;
  // The listener's statement last in the effect: one edit, so the two do not meet at one point.
  if (last.id === statement.id) return { title: `Remove the listener in the effect's cleanup (${cleanup})`, isPreferred: true, edits: [{ range: nodeRange(statement), newText: [...added, cleanup].join(source.eol + indent) }] };
  const edits: TextEdit[] = [];
  if (inline) edits.push({ range: nodeRange(statement), newText: added.join(source.eol + indent) });
  edits.push(insertLinesAfter(source, last.endPosition.row, source.indentOf(last.startPosition.row), [cleanup]));
  return { title: `Remove the listener in the effect's cleanup (${cleanup})`, isPreferred: true, edits };
}

const TEARDOWN_FOR: ReadonlyMap<string, string> = new Map([['componentDidMount', 'componentWillUnmount'], ['connectedCallback', 'disconnectedCallback']]);

/**
 * `window.addEventListener('resize', this.onResize)` in a class method: remove the same method in
 * the class's teardown (`componentWillUnmount`, `disconnectedCallback`, `dispose`…), added after
 * the registering method when the class has none. A `.bind(this)` copy cannot be named back.
 */
function removeOnTeardownFix(context: RuleContext, listener: Listener): CodeFix | undefined {
  const adder = adderOf(listener.method);
  const method = enclosingMethod(listener.call);
  const body = method ? method.method.parent : undefined;
  const inline = FUNCTION_VALUES.has(listener.listener.type) || isBoundCopy(listener.listener);
  const statement = statementOf(listener.call);
  if (!adder || !method || body?.type !== 'class_body' || !(inline || listener.listener.type === 'member_expression')) return undefined;
  if (inline && (!statement || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source))) return undefined;
  // An inline listener is kept on the instance first, so the teardown can name it.
  const handler = inline ? `this.${freshName(context.index.code, listenerName(listener))}` : listener.listener.text;
  const line = `${removalText(listener, adder.remove, handler)};`;
  const unit = context.source.indentUnit('  ');
  const named: TextEdit[] = inline && statement
    ? [{ range: nodeRange(statement), newText: [`${handler} = ${listener.listener.text};`, `${additionText(listener, handler)};`].join(context.source.eol + context.source.indentOf(statement.startPosition.row)) }]
    : [];
  const teardown = teardownMethodOf(body);
  const block = teardown ? field(teardown, 'body') : undefined;
  let edit: TextEdit;
  if (teardown && block) {
    if (block.startPosition.row === block.endPosition.row) return undefined;
    const first = namedChildren(block)[0];
    const indent = first ? context.source.indentOf(first.startPosition.row) : context.source.indentOf(teardown.startPosition.row) + unit;
    edit = { range: { startLine: block.startPosition.row, startColumn: block.startPosition.column + 1, endLine: block.startPosition.row, endColumn: block.startPosition.column + 1 }, newText: context.source.eol + indent + line };
  } else if (body.endPosition.row === method.method.endPosition.row) {
    // A class closed on the method's last line (a minified bundle): the new method goes on that line.
    const at = { startLine: method.method.endPosition.row, startColumn: method.method.endPosition.column, endLine: method.method.endPosition.row, endColumn: method.method.endPosition.column };
    edit = { range: at, newText: `${TEARDOWN_FOR.get(method.name) ?? 'dispose'}(){${line}}` };
  } else {
    const name = TEARDOWN_FOR.get(method.name) ?? 'dispose';
    edit = insertLinesAfter(context.source, method.method.endPosition.row, context.source.indentOf(method.method.startPosition.row), ['', `${name}() {`, `${unit}${line}`, '}']);
  }
  return { title: `Remove the listener when the instance goes (${line})`, isPreferred: true, edits: [...named, edit] };
}

function adderOf(method: string): { remove: string; once: string | undefined } | undefined {
  return ADDERS[method] ?? ONCE_ADDERS[method] ?? JQUERY_ADDERS[method] ?? FREE_ADDERS[method];
}

/** `this.stop.bind(this)`: a new function each time, so it must be named before it can be removed. */
function isBoundCopy(listener: Node): boolean {
  const callee = listener.type === 'call_expression' ? field(listener, 'function') : undefined;
  return callee?.type === 'member_expression' && field(callee, 'property')?.text === 'bind';
}

/** jQuery's `one`: `$(window).one('resize', fn)`; the event method's name becomes the event. */
function jqueryOnceFix(listener: Listener, property: Node): CodeFix {
  const start = listener.listener.startPosition;
  const edits: TextEdit[] = [{ range: nodeRange(property), newText: 'one' }];
  if (listener.shorthand) edits.push({ range: { startLine: start.row, startColumn: start.column, endLine: start.row, endColumn: start.column }, newText: `${listener.eventText}, ` });
  return { title: 'Listen once: one()', isPreferred: false, edits };
}

function listenerName(listener: Listener): string {
  const value = eventName(listener) ?? '';
  const words = value.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return 'listener';
  return 'on' + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

function onceFix(listener: Listener): CodeFix | undefined {
  const property = field(field(listener.call, 'function') ?? listener.call, 'property');
  if (property && isPageWideJquery(listener.receiver)) return jqueryOnceFix(listener, property);
  const adder = ADDERS[listener.method];
  if (!adder || !property) return undefined;
  // A once-listener for the process's or page's last event would outlive the instance as well.
  if (outlivesItsInstance(listener.call, listener.receiver, eventName(listener))) return undefined;
  if (adder.once) {
    return { title: `Listen once: ${adder.once}()`, isPreferred: false, edits: [{ range: nodeRange(property), newText: adder.once }] };
  }
  const args = field(listener.call, 'arguments');
  const last = args ? namedChildren(args).filter((a) => a.type !== 'comment').at(-1) : undefined;
  if (!last || last.id !== listener.listener.id) return undefined;
  return {
    title: 'Listen once: { once: true }',
    isPreferred: false,
    edits: [{ range: { ...nodeRange(last), startLine: last.endPosition.row, startColumn: last.endPosition.column }, newText: ', { once: true }' }],
  };
}

// --- the registering object's lifecycle ---------------------------------------------------------

/**
 * Two general statements about a listener added from a member of an object with a lifecycle (a
 * class, a component's object literal, a function that returns `{ destroy }`):
 * - it is added on a path run on every update (`componentWillReceiveProps` → `draw` →
 *   `attachListeners`) to a target that stays, and nothing on that path (or the adding function)
 *   removes it first: one more listener per update;
 * - the object's teardown takes back some of its subscriptions but, on no path it reaches, this
 *   one, whose target outlives the object (a parameter, a module binding, the page): the target
 *   keeps the listener and what it holds after the object is gone;
 * - with no such teardown, a member other than set-up adds a piling listener to a target that
 *   outlives the object, and nothing anywhere in the file removes that event from that target.
 */
function lifecycleMisses(context: RuleContext, reported: ReadonlySet<number>): Detection[] {
  const detections: Detection[] = [];
  // The scopes are built on first need: a file whose listeners have no lifecycle never pays for them.
  const known = new Map<number, Lifecycle>();
  for (const listener of anyListeners(context)) {
    const call = listener.call;
    if (reported.has(call.id)) continue;
    const around = lifecycleAround(call, known);
    if (!around || isFreshEmitter(context, listener)) continue;
    const adding = functionChain(call)[0]!;
    const perUpdate = updatePath(around.lifecycle);
    if (perUpdate.some((fn) => fn.id === around.member.id) && pilesUp(listener) && !removedIn(context, listener, [adding, around.member, ...perUpdate])) {
      detections.push({ anchor: call, scope: context.root, message: `This runs on every update and adds another listener to \`${listener.receiver.text}\` each time; nothing on that path removes the earlier one, so they pile up.`, fixes: removeBeforeAddFix(context, listener) });
      continue;
    }
    const teardown = teardownPath(around.lifecycle);
    if (teardown.some((fn) => fn.id === around.member.id) || !outlivesOwner(context, scopesOf(context), listener)) continue;
    const teardownTakesSome = teardown.length > 0 && teardownRemovesSome(context.index.code, teardown);
    if (teardownTakesSome ? removedIn(context, listener, [adding, around.member, ...teardown]) : !addedAgainLater(listener, around.member, adding) || !pilesUp(listener) || removesFirst(listener) || removedIn(context, listener, [context.root])) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: teardownTakesSome
        ? `The teardown removes other listeners but, on no path it reaches, this one on \`${listener.receiver.text}\`, which outlives the object: the listener and what it holds stay after the object is gone.`
        : `Each object adds this listener to \`${listener.receiver.text}\`, which outlives it, and nothing in the file removes it: the listener and what it holds stay after the object is gone.`,
      fixes: teardownTakesSome ? removeInTeardownFix(context, scopesOf(context), listener, around.lifecycle) : removePreviousFix(context, listener),
    });
  }
  return detections;
}

/** `class X extends Component`, `extends React.PureComponent`: a React class component. */
const REACT_COMPONENT = /^(?:React\.)?(?:Pure)?Component$/;
/** Events inside one gesture (a drag's moves and its end): added when it starts, they go when the same input ends it. */
const GESTURE_EVENT = /^(?:mouse|touch|pointer)(?:move|up|end|cancel)$|^drag\w*$/;
/** The page, as a component reaches it: `window`, `document.body`, `global.window`. */
const PAGE_TARGET = /^(?:(?:global|globalThis)\.)?(?:window|document)(?:\.body|\.documentElement)?$/;

/**
 * React may unmount a class component at any moment, and `componentWillUnmount` (with what it
 * calls) is the one path sure to run then. A listener the component adds to the page, holding
 * the component (`this.onClick`), that the file takes back only elsewhere (on blur, when the
 * click comes) stays on the page, with the component, when it unmounts in between. A drag's
 * move and end listeners are left out: the same input that started the gesture ends it.
 */
function reactUnmountMisses(context: RuleContext, reported: ReadonlySet<number>): Detection[] {
  const detections: Detection[] = [];
  const known = new Map<number, Lifecycle>();
  for (const listener of anyListeners(context)) {
    const call = listener.call;
    if (reported.has(call.id) || !PAGE_TARGET.test(normalizeRef(listener.receiver.text)) || GESTURE_EVENT.test(eventName(listener) ?? '') || listener.listener.type !== 'member_expression' || !holdsInstance(listener.listener)) continue;
    const around = lifecycleAround(call, known);
    const component = around ? reactComponentOf(around.member) : undefined;
    if (!around || !component) continue;
    const unmount = around.lifecycle.members.get('componentWillUnmount');
    const onUnmount = unmount ? reachableFrom(around.lifecycle, [unmount]) : [];
    // A removal later in the adding function (`this.off = () => window.removeEventListener(…)`) is kept for the unmount; one before the add is not.
    const adding = functionChain(call)[0]!;
    const afterAdd = { code: context.index.code.slice(call.endIndex, adding.endIndex), raw: context.source.text.slice(call.endIndex, adding.endIndex) };
    if (removedIn(context, listener, onUnmount) || removedInSpans(listener, [afterAdd]) || !removedIn(context, listener, [context.root])) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `The component takes this listener back from \`${listener.receiver.text}\` only on some paths, not in \`componentWillUnmount\`: if it unmounts in between, the page keeps the listener and the component.`,
      fixes: removeOnUnmountFix(context, listener, component, unmount),
    });
  }
  return detections;
}

/**
 * A function adds several DOM listeners to one target that outlives it, and the file takes some
 * of them back from that target but never this one (a run's cleanup removing 'mousemove' and
 * 'click' but not the 'touchstart' added with them): the cleanup was written and misses it, so
 * every run leaves this listener, and what it holds, on the target.
 */
function partialCleanupMisses(context: RuleContext, reported: ReadonlySet<number>): Detection[] {
  const groups = new Map<string, Listener[]>();
  for (const listener of anyListeners(context)) {
    const adding = listener.method === 'addEventListener' ? functionChain(listener.call)[0] : undefined;
    if (!adding) continue;
    const key = `${adding.id}:${normalizeRef(listener.receiver.text)}`;
    groups.set(key, [...(groups.get(key) ?? []), listener]);
  }
  const detections: Detection[] = [];
  for (const listeners of groups.values()) {
    if (listeners.length < 2) continue;
    const scopes = scopesOf(context);
    const removals = listeners.map((listener) => removalOf(context, listener));
    if (removals.every((removal) => removal === undefined)) continue;
    listeners.forEach((listener, i) => {
      if (removals[i] || reported.has(listener.call.id) || listener.listener.type !== 'identifier' || removedIn(context, listener, [context.root]) || !targetOutlivesFunction(scopes, listener)) return;
      const sibling = removals.find((removal): removal is Node => removal !== undefined && visibleFrom(scopes, listener.listener, removal));
      const statement = sibling ? statementOf(sibling) : undefined;
      if (!statement || !standsAlone(statement, context.source)) return;
      const line = `${listener.receiver.text}.removeEventListener(${listener.eventText}, ${listener.listener.text});`;
      detections.push({
        anchor: listener.call,
        scope: context.root,
        message: `The code takes other listeners added here back from \`${listener.receiver.text}\` but never this one, so every run leaves it, and what it holds, on a target that outlives the run.`,
        fixes: [{ title: `Remove it with the others (${line})`, isPreferred: true, edits: [insertAfterStatement(context, statement, [line])] }],
      });
    });
  }
  return detections;
}

/**
 * A listener added as a value made on the spot (`f.bind(socket)`, `() => this.f()`), which the
 * file then tries to take back by naming `f` (or by a fresh `f.bind(…)`): the removal is given
 * another function, so it removes nothing. The removal says the author meant the listener to go;
 * since it never does, every run of the adding code leaves one more on the target. Facts only:
 * the value added is not the value removed, for the same event on the same-named target.
 */
function unmatchedRemovalMisses(context: RuleContext, reported: ReadonlySet<number>): Detection[] {
  const detections: Detection[] = [];
  // A file that never removes a listener by naming a function has no removal that can fail.
  if (namedRemovals(context).size === 0) return detections;
  for (const call of context.index.nodes('call_expression')) {
    if (reported.has(call.id)) continue;
    const added = readFreshAdd(call);
    // Cheapest first: most adds have no removal of their event from a same-named target at all.
    const removals = added ? failedRemovals(context, added) : [];
    if (!added || removals.length === 0 || functionChain(call).length === 0 || isRemoved(context, added.listener) || addsTheFunctionItself(context, added)) continue;
    const removal = removals[0]!;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `\`${removal.text}\` cannot take this listener back: what was added is a new function made here, not \`${added.wrapped}\`, so the removal removes nothing and every run leaves one more listener, and what it holds, on \`${added.listener.receiver.text}\`.`,
      fixes: keepAddedFunctionFix(context, added, removals),
    });
  }
  return detections;
}

/** An add whose listener is made on the spot around one named function: `f.bind(x)`, or an inline function whose body only calls `f`. */
interface FreshAdd {
  listener: Listener;
  /** The function wrapped, as written: `on_socket_end`, `this.flush`. */
  wrapped: string;
}

function readFreshAdd(call: Node): FreshAdd | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'member_expression') return undefined;
  const method = field(callee, 'property')?.text ?? '';
  if (!(method in ADDERS) && !(method in ONCE_ADDERS)) return undefined;
  const receiver = field(callee, 'object');
  const [event, handler, ...rest] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  if (!receiver || !REFERENCE.has(receiver.type) || !event || !handler || rest.length > 0 || stringValue(event) === undefined) return undefined;
  const wrapped = wrappedFunction(handler);
  if (!wrapped) return undefined;
  return { listener: { call, receiver, method, event, eventText: event.text, listener: handler }, wrapped };
}

/** The named function a fresh value stands for: `f` in `f.bind(x)`, `this.f` in `() => this.f()` or `function (e) { self.f(e); }`. */
function wrappedFunction(value: Node): string | undefined {
  if (isBoundCopy(value)) {
    const bound = field(field(value, 'function')!, 'object');
    return bound && NAMED_HANDLER.has(bound.type) ? bound.text : undefined;
  }
  if (!FUNCTION_VALUES.has(value.type)) return undefined;
  let body = field(value, 'body');
  if (body?.type === 'statement_block') {
    const statements = namedChildren(body).filter((s) => s.type !== 'comment');
    body = statements.length === 1 && statements[0]!.type === 'expression_statement' ? statements[0]!.namedChild(0) ?? undefined : undefined;
  }
  const called = body?.type === 'call_expression' ? field(body, 'function') : undefined;
  return called && NAMED_HANDLER.has(called.type) ? called.text : undefined;
}

/** Removals of the add's event from a target of the same name, given the wrapped function by name or a fresh bind of it. */
function failedRemovals(context: RuleContext, added: FreshAdd): Node[] {
  const wanted = lastName(added.wrapped);
  const key = removalKey(added.listener.receiver, added.listener.event);
  return (key === undefined ? undefined : namedRemovals(context).get(key))?.filter((removal) => {
    const handler = namedChildren(field(removal, 'arguments') ?? removal)[1]!;
    const named = NAMED_HANDLER.has(handler.type) ? handler.text : wrappedFunction(handler);
    return named !== undefined && lastName(named) === wanted;
  }) ?? [];
}

/** Target's last name and event: `socket|end` for `request.socket.removeListener('end', …)`. */
function removalKey(target: Node, event: Node): string | undefined {
  const name = stringValue(event);
  return name === undefined ? undefined : `${lastName(normalizeRef(target.text))}|${name}`;
}

/** The file's removals that name a function (`off`, `removeListener`, `removeEventListener`), by removalKey. */
function namedRemovals(context: RuleContext): Map<string, Node[]> {
  return context.memo('js.namedRemovals', () =>
    groupBy(removerCalls(context), (call) => {
      const target = field(field(call, 'function')!, 'object');
      const [event, handler] = namedChildren(field(call, 'arguments') ?? call);
      return target && event && handler ? removalKey(target, event) : undefined;
    }),
  );
}

/** Calls `x.off(…)`, `x.removeListener(…)`, `x.removeEventListener(…)`…: found from the names' occurrences, since most files have few. */
function removerCalls(context: RuleContext): Node[] {
  return memberCallsNamed(context, REMOVERS);
}

/** Calls `x.<method>(…)` for the given method names, found from the names' occurrences rather than by reading every call. */
function memberCallsNamed(context: RuleContext, methods: Iterable<string>): Node[] {
  const calls: Node[] = [];
  for (const method of methods) {
    for (const start of context.index.names.within(method)) {
      const property = context.root.descendantForIndex(start, start + method.length);
      const member = property?.parent;
      const call = member?.parent;
      if (member?.type === 'member_expression' && field(member, 'property')?.id === property!.id && call?.type === 'call_expression' && field(call, 'function')?.id === member.id) calls.push(call);
    }
  }
  return calls;
}

/** The file also adds the wrapped function itself for this event: the removal is that add's. */
function addsTheFunctionItself(context: RuleContext, added: FreshAdd): boolean {
  const event = stringValue(added.listener.event);
  return anyListeners(context).some((other) => NAMED_HANDLER.has(other.listener.type) && lastName(other.listener.text) === lastName(added.wrapped) && stringValue(other.event) === event);
}

/**
 * Keep the function added on its target, and remove that one:
 *   socket.once('end', (socket.boundOnEnd = onEnd.bind(socket)));
 *   request.socket.removeListener('end', request.socket.boundOnEnd);
 * Offered when the removals reach the target by a plain reference (a name or a member chain).
 */
function keepAddedFunctionFix(context: RuleContext, added: FreshAdd, removals: readonly Node[]): CodeFix[] {
  const base = lastName(added.wrapped).replace(/^_+/, '') || 'listener';
  const property = freshName(context.index.code, `bound${base[0]!.toUpperCase()}${base.slice(1)}`);
  const edits: TextEdit[] = [{ range: nodeRange(added.listener.listener), newText: `(${added.listener.receiver.text}.${property} = ${added.listener.listener.text})` }];
  for (const removal of removals) {
    const target = field(field(removal, 'function')!, 'object')!;
    const handler = namedChildren(field(removal, 'arguments') ?? removal)[1]!;
    if (!REFERENCE.has(target.type)) return [];
    edits.push({ range: nodeRange(handler), newText: `${target.text}.${property}` });
  }
  return [{ title: `Keep the function added (${added.listener.receiver.text}.${property}) and remove that one`, isPreferred: true, edits }];
}

/** The `removeEventListener` call that takes this listener back (same target, event and function), if the file has one. */
function removalOf(context: RuleContext, listener: Listener): Node | undefined {
  const removals = context.memo('js.domRemovals', () => {
    const byKey = new Map<string, Node>();
    for (const call of context.index.nodes('call_expression')) {
      const callee = field(call, 'function');
      if (callee?.type !== 'member_expression' || field(callee, 'property')?.text !== 'removeEventListener') continue;
      const [event, handler] = namedChildren(field(call, 'arguments') ?? call);
      if (event && handler) byKey.set(`${normalizeRef(field(callee, 'object')?.text ?? '')}|${event.text}|${handler.text}`, call);
    }
    return byKey;
  });
  return removals.get(`${normalizeRef(listener.receiver.text)}|${listener.event.text}|${listener.listener.text}`);
}

/** Values that only reach what exists: `elements[0]`, `options.canvas`, not `document.createElement('canvas')`. */
const REFERENCE = new Set(['identifier', 'member_expression', 'subscript_expression']);

/** The target is a parameter or module binding, or a local that refers to part of one (`var canvas = elements[0]`). */
function targetOutlivesFunction(scopes: ScopeResolver, listener: Listener): boolean {
  const root = targetRoot(listener.receiver);
  if (root?.type !== 'identifier') return false;
  const binding = scopes.bindingOf(root);
  if (binding.kind !== 'local') return comesFromOutside(scopes, root);
  return binding.value !== undefined && REFERENCE.has(binding.value.type) && comesFromOutside(scopes, binding.value);
}

/** The class body of the React class component a member belongs to. */
function reactComponentOf(member: Node): Node | undefined {
  const body = member.type === 'method_definition' ? member.parent : member.parent?.parent;
  const heritage = body?.type === 'class_body' ? body.parent?.namedChildren.find((child) => child?.type === 'class_heritage') : undefined;
  const base = heritage?.namedChildren.find((child) => child?.type !== 'comment');
  return body && base && REACT_COMPONENT.test(base.text.replace(/\s+/g, '')) ? body : undefined;
}

/** Remove the listener first thing in `componentWillUnmount`, or add one that does. */
function removeOnUnmountFix(context: RuleContext, listener: Listener, component: Node, unmount: Node | undefined): CodeFix[] {
  const adder = adderOf(listener.method);
  if (!adder) return [];
  const line = `${removalText(listener, adder.remove, listener.listener.text)};`;
  const title = `Remove the listener in componentWillUnmount (${line})`;
  const block = unmount ? field(unmount, 'body') : undefined;
  const first = block ? namedChildren(block)[0] : undefined;
  if (block && first && first.startPosition.row !== block.startPosition.row) {
    return [{ title, isPreferred: true, edits: [insertLinesBefore(context.source, first.startPosition.row, context.source.indentOf(first.startPosition.row), [line])] }];
  }
  const last = namedChildren(component).at(-1);
  if (unmount || !last || last.endPosition.row === component.startPosition.row) return [];
  const indent = context.source.indentOf(namedChildren(component)[0]!.startPosition.row);
  const unit = context.source.indentUnit('  ');
  return [{ title, isPreferred: true, edits: [insertLinesAfter(context.source, last.endPosition.row, indent, ['', 'componentWillUnmount() {', `${unit}${line}`, '}'])] }];
}

/**
 * Without a teardown that takes listeners back, a listener added by set-up (the constructor,
 * `init`, `componentDidMount`…) is the object's own wiring; one added by any other member (or a
 * callback inside it) is added again each time that member runs.
 */
function addedAgainLater(listener: Listener, member: Node, adding: Node): boolean {
  const root = rootOf(listener.receiver);
  // The view's own scope or element, the request or connection the call serves, and an event
  // that ends its target's life (`close`, `end`) all go with the target: no pile-up.
  if (root && ANGULAR_VIEW_OBJECTS.has(root) && angularViewFunction(listener.call)) return false;
  if ((root && closeableParameter(listener.call) === root) || ONE_SHOT_EVENTS.test(eventName(listener) ?? '')) return false;
  const name = methodNameOf(member) || functionNameOf(member);
  return (name !== '' && !ONCE_METHODS.test(name) && !PROCESS_SETUP.test(name)) || (adding.id !== member.id && runsRepeatedly(adding));
}

/** `$(document).off(evt).on(evt, fn)`: the earlier listener for the event is taken off right before the add. */
function removesFirst(listener: Listener): boolean {
  const receiver = listener.receiver;
  const callee = receiver.type === 'call_expression' ? field(receiver, 'function') : undefined;
  if (callee?.type !== 'member_expression' || !/^(off|unbind|removeAllListeners)$/.test(field(callee, 'property')?.text ?? '')) return false;
  const removed = namedChildren(field(receiver, 'arguments') ?? receiver)[0];
  return removed === undefined || removed.text === listener.event.text;
}

/** Every add of a listener in the file (readAnyListener), read once for the rule's three passes over them. */
function anyListeners(context: RuleContext): readonly Listener[] {
  return context.memo('js.anyListeners', () => context.index.nodes('call_expression').flatMap((call) => readAnyListener(call) ?? []));
}

/** Any add of a listener with an event and a function: emitters, the DOM, jQuery's `on`/`bind` and event methods on a `$(…)` selection. */
function readAnyListener(call: Node): Listener | undefined {
  const callee = field(call, 'function');
  if (!callee || typeOf(callee) !== 'member_expression') return undefined;
  const property = field(callee, 'property');
  const method = property ? textOf(property) : '';
  // The name first: most calls add nothing, and their arguments need not be read.
  if (!(method in ADDERS) && !(method in JQUERY_ADDERS) && !JQUERY_EVENTS.test(method)) return undefined;
  const receiver = field(callee, 'object');
  if (!receiver || receiver.type === 'this') return undefined;
  const args = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  if (JQUERY_EVENTS.test(method) && isJquerySelection(receiver) && args.length === 1 && FUNCTION_VALUES.has(args[0]!.type)) {
    return { call, receiver, method: 'on', event: field(callee, 'property')!, eventText: `'${method}'`, listener: args[0]!, shorthand: true };
  }
  if (!(method in ADDERS) && !(method in JQUERY_ADDERS)) return undefined;
  const [event, ...rest] = args;
  const listener = rest.find((arg) => FUNCTION_VALUES.has(arg.type) || NAMED_HANDLER.has(arg.type) || isBoundCopy(arg) || factoryMade(arg) !== undefined);
  if (!event || !listener || rest.some((arg) => arg.type === 'object' && /\b(once|signal)\b/.test(arg.text))) return undefined;
  if (listener.type === 'identifier' && isParameterOfEnclosing(call, listener.text)) return undefined;
  return { call, receiver, method, event, eventText: event.text, listener };
}

/** Page elements selected again by a function that runs on every update: the removal must be on that path. */
function reselectedPerUpdate(listener: Listener): boolean {
  return isSelectedFromPage(listener.receiver) && runsPerUpdate(listener.call);
}

/** `$('.field')`, `$('#menu').find('a')`: elements of the page, selected by a selector string. */
function isSelectedFromPage(receiver: Node): boolean {
  const selection = jquerySelectionOf(receiver);
  const args = selection ? namedChildren(field(selection, 'arguments') ?? selection) : [];
  return args.length === 1 && args[0]!.type === 'string' && /^['"][.#]/.test(args[0]!.text);
}

/** `$(li)`, `jQuery(el)`, `$(el).find('x')`: a jQuery selection. */
function isJquerySelection(receiver: Node): boolean {
  return jquerySelectionOf(receiver) !== undefined;
}

/** The `$(…)` call a chain of jQuery calls starts from, if it starts from one. */
function jquerySelectionOf(receiver: Node): Node | undefined {
  let current: Node | undefined = receiver;
  while (current?.type === 'call_expression' && field(current, 'function')?.type === 'member_expression') current = field(field(current, 'function')!, 'object');
  return current?.type === 'call_expression' && JQUERY_FUNCTION.test(field(current, 'function')?.text ?? '') ? current : undefined;
}

/** A second add is a second listener: emitters and jQuery keep both; the DOM drops a repeat of the same function. */
function pilesUp(listener: Listener): boolean {
  if (listener.method !== 'addEventListener') return true;
  return FUNCTION_VALUES.has(listener.listener.type) || isBoundCopy(listener.listener) || isMadePerCall(listener.call, listener.listener);
}

/** One of `functions` (or the listener itself) takes this listener back, or removes its event from anything. */
function removedIn(context: RuleContext, listener: Listener, functions: readonly Node[]): boolean {
  return removedInSpans(listener, [...functions, listener.listener].map((fn) => spanOf(context, fn)));
}

function removedInSpans(listener: Listener, spans: readonly Span[]): boolean {
  const event = eventName(listener);
  const receiver = normalizeRef(listener.receiver.text);
  return spans.some((span) => takesBack(span, listener.receiver.text, listener) || takesBack(span, receiver, listener) || (event !== undefined && removesEvent(span.raw, event)));
}

/**
 * A removal of the event from any target (`$(el).off('click')`), unless the function it names is
 * made on the spot (`removeEventListener('keydown', this.onKey.bind(this))`): that one was never
 * added, so the removal takes nothing back.
 */
function removesEvent(raw: string, event: string): boolean {
  const removal = new RegExp(`\\.\\s*${REMOVAL}\\s*['"\`]${escapeRegExp(event)}(?:\\.[\\w.$-]*)?['"\`](?=([^\\n]*))`, 'g');
  return [...raw.matchAll(removal)].some((match) => !FRESH_FUNCTION.test(match[1]!));
}

/**
 * The target stays when the object goes: it comes from outside (a parameter of the adding code or
 * of a function around it, a module binding or import, the page), or is an attribute set only from
 * such. A target the object made itself goes with it.
 */
function outlivesOwner(context: RuleContext, scopes: ScopeResolver, listener: Listener): boolean {
  const root = targetRoot(listener.receiver);
  if (!root) return false;
  if (root.type === 'this') {
    const access = thisMemberOf(listener.receiver);
    const member = access ? scopes.memberOf(access) : undefined;
    if (!member) return false;
    const values = context.memo(`js.memberValues:${member.owner.id}`, () => memberValues(scopes, member.owner)).get(member.name) ?? [];
    return values.length > 0 && values.every((value) => comesFromOutside(scopes, value));
  }
  return root.type === 'identifier' && comesFromOutside(scopes, root);
}

function comesFromOutside(scopes: ScopeResolver, value: Node): boolean {
  const root = targetRoot(value);
  if (root?.type !== 'identifier') return false;
  const binding = scopes.bindingOf(root);
  if (binding.kind === 'global') return PROCESS_WIDE.has(root.text);
  return binding.kind === 'parameter' || (isModuleLevel(scopes, root) && !FRESH_VALUE.has(binding.value?.type ?? ''));
}

const FRESH_VALUE = new Set(['new_expression', 'object', 'array']);

/** The `this.x` an expression starts from (`$(this.list).find('li')` gives `this.list`). */
function thisMemberOf(expression: Node): Node | undefined {
  let current: Node | undefined = expression;
  let member: Node | undefined;
  for (let steps = 0; current && steps < 12; steps++) {
    if (current.type === 'this') return member;
    if (current.type === 'member_expression') member = current;
    current = innerOf(current);
  }
  return undefined;
}

/** One step in from an expression towards where it starts: a member's object, a `$(x)` wrapper's argument, a call's receiver. */
function innerOf(current: Node): Node | undefined {
  if (current.type === 'member_expression' || current.type === 'subscript_expression') return field(current, 'object');
  if (current.type === 'non_null_expression' || current.type === 'parenthesized_expression') return current.namedChild(0) ?? undefined;
  if (current.type !== 'call_expression') return undefined;
  const callee = field(current, 'function');
  return callee && JQUERY_FUNCTION.test(callee.text) ? namedChildren(field(current, 'arguments') ?? current)[0] : callee?.type === 'member_expression' ? field(callee, 'object') : undefined;
}

/** The identifier (or `this`) an expression starts from, through members, `$(x)` wrappers and `!`. */
function targetRoot(expression: Node): Node | undefined {
  let current: Node | undefined = expression;
  for (let steps = 0; current && steps < 12; steps++) {
    if (current.type === 'identifier' || current.type === 'this') return current;
    current = innerOf(current);
  }
  return undefined;
}

/**
 * Take the listener back first in the (multi-line) teardown: a named handler by name, a jQuery
 * selection's by event. Offered only when every name the line uses is in scope there (the module's,
 * `this`, or the function that hands out the teardown).
 */
function removeInTeardownFix(context: RuleContext, scopes: ScopeResolver, listener: Listener, lifecycle: Lifecycle): CodeFix[] {
  const adder = adderOf(listener.method);
  const teardown = lifecycle.teardowns.find((fn) => { const body = field(fn, 'body'); return body?.type === 'statement_block' && body.startPosition.row !== body.endPosition.row; });
  const block = teardown ? field(teardown, 'body') : undefined;
  if (!adder || !teardown || !block) return [];
  const jquery = listener.shorthand || isJquerySelection(listener.receiver);
  const named = NAMED_HANDLER.has(listener.listener.type);
  const kept = !jquery && !named ? keptBoundCopy(context, listener, teardown) : undefined;
  if (!jquery && !named && !kept) return [];
  const names = [targetRoot(listener.receiver), ...(jquery || kept ? [] : [targetRoot(listener.listener)])];
  if (!names.every((name) => name !== undefined && (name.type === 'this' || visibleFrom(scopes, name, teardown)))) return [];
  const handler = kept?.name ?? listener.listener.text;
  const line = jquery ? `${listener.receiver.text}.off(${listener.eventText});` : `${removalText(listener, adder.remove, handler)};`;
  const first = namedChildren(block)[0];
  const indent = first ? context.source.indentOf(first.startPosition.row) : context.source.indentOf(block.startPosition.row) + context.source.indentUnit('  ');
  const edit: TextEdit = { range: { startLine: block.startPosition.row, startColumn: block.startPosition.column + 1, endLine: block.startPosition.row, endColumn: block.startPosition.column + 1 }, newText: context.source.eol + indent + line };
  return [{ title: `Remove the listener in the teardown (${line})`, isPreferred: true, edits: kept ? [kept.edit, edit] : [edit] }];
}

/**
 * `this.onKey.bind(this)` added by a member and removed nowhere (a removal given another
 * `bind` takes nothing back): keep the bound copy on the object where it is added, so the
 * teardown can name it. Only where both functions have the object as `this` (not arrows).
 */
function keptBoundCopy(context: RuleContext, listener: Listener, teardown: Node): { name: string; edit: TextEdit } | undefined {
  const adding = functionChain(listener.call)[0];
  if (!isBoundCopy(listener.listener) || !adding || adding.type === 'arrow_function' || teardown.type === 'arrow_function') return undefined;
  const method = field(field(listener.listener, 'function') ?? listener.listener, 'object');
  if (method?.type !== 'member_expression' || field(method, 'object')?.type !== 'this') return undefined;
  const base = field(method, 'property')?.text ?? 'listener';
  const name = `this.${freshName(context.index.code, `bound${base[0]!.toUpperCase()}${base.slice(1)}`)}`;
  return { name, edit: { range: nodeRange(listener.listener), newText: `(${name} = ${listener.listener.text})` } };
}

/** The identifier's variable can be named from inside `place`: the module's, or declared in a function around it. */
function visibleFrom(scopes: ScopeResolver, identifier: Node, place: Node): boolean {
  const binding = scopes.bindingOf(identifier);
  if (binding.kind === 'module' || binding.kind === 'import' || binding.kind === 'global') return true;
  return binding.scope !== undefined && binding.scope.startIndex <= place.startIndex && place.endIndex <= binding.scope.endIndex;
}

/**
 * Keep a way to take this listener back on the object, and take the previous one back before
 * adding again (from whatever target it was added to), so the object holds at most one:
 *   this.offMouseleave?.();
 *   const onMouseleave = () => this.close();
 *   target.addEventListener('mouseleave', onMouseleave);
 *   this.offMouseleave = () => target.removeEventListener('mouseleave', onMouseleave);
 */
function removePreviousFix(context: RuleContext, listener: Listener): CodeFix[] {
  const adder = adderOf(listener.method);
  const statement = statementOf(listener.call);
  if (!adder || listener.shorthand || !statement || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return [];
  const handlerName = listenerName(listener);
  const undo = `this.${freshName(context.index.code, handlerName.replace(/^on/, 'off'))}`;
  const named = listener.listener.type === 'identifier';
  const handler = named ? listener.listener.text : freshName(context.index.code, handlerName);
  const lines = [
    `${undo}?.();`,
    ...(named ? [statement.text] : [`const ${handler} = ${listener.listener.text};`, `${additionText(listener, handler)};`]),
    `${undo} = () => ${removalText(listener, adder.remove, handler)};`,
  ];
  const indent = context.source.indentOf(statement.startPosition.row);
  return [{ title: `Take the previous listener back before adding again (${undo})`, isPreferred: true, edits: [{ range: nodeRange(statement), newText: lines.join(context.source.eol + indent) }] }];
}

/** Take the event's earlier listener back right before adding it again. */
function removeBeforeAddFix(context: RuleContext, listener: Listener): CodeFix[] {
  const statement = statementOf(listener.call);
  if (!statement || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return [];
  const dom = listener.method === 'addEventListener';
  if (dom && !NAMED_HANDLER.has(listener.listener.type)) return [];
  const receiver = listener.receiver.text;
  const line = dom ? `${receiver}.removeEventListener(${listener.eventText}, ${listener.listener.text});` : isJquerySelection(listener.receiver) || listener.method === 'bind' ? `${receiver}.off(${listener.eventText});` : `${receiver}.removeAllListeners(${listener.eventText});`;
  const indent = context.source.indentOf(statement.startPosition.row);
  return [{ title: `Remove the earlier listener before adding it again (${line})`, isPreferred: true, edits: [{ range: nodeRange(statement), newText: `${line}${context.source.eol}${indent}${statement.text}` }] }];
}

/** Events a target fires once, at the end of its life: a `once` for them stays as long as the target. */
const END_OF_LIFE_EVENTS = /^(close|end|finish|exit|disconnect|destroy|destroyed)$/;

/**
 * A member that begins a use (`subscribe`, `show`, `attach`: it has an ending pair beside it,
 * pairedUseOf) adds a listener to a target it did not create (a parameter, or an attribute set
 * from outside: outlivesOwner), and neither the begin, nor the end member with what it calls,
 * nor the listener itself takes it back. Each begin/end cycle leaves one more listener on the
 * target. A `once` for the target's closing event counts: it fires only when the target ends.
 */
function pairedUseMisses(context: RuleContext, reported: ReadonlySet<number>): Detection[] {
  const detections: Detection[] = [];
  // The listeners the other readings found, and the closing-event `once`s only this one reads.
  const listeners = [...anyListeners(context), ...memberCallsNamed(context, Object.keys(ONCE_ADDERS)).flatMap((call) => readEndOfLifeOnce(call) ?? [])];
  const pairedUse = (fn: Node) => context.memo(`js.pairedUse:${fn.id}`, () => pairedUseOf(fn));
  for (const listener of listeners) {
    if (reported.has(listener.call.id) || !pilesUp(listener)) continue;
    const use = functionChain(listener.call).map(pairedUse).find((found) => found !== undefined);
    if (!use || isFreshEmitter(context, listener) || !outlivesOwner(context, scopesOf(context), listener)) continue;
    const ending = reachableFrom({ members: use.members, teardowns: [use.end] }, [use.end]);
    if (removedIn(context, listener, [use.begin, ...ending])) continue;
    detections.push({
      anchor: listener.call,
      scope: context.root,
      message: `\`${use.beginName}\` begins a use that \`${use.endName}\` ends, and adds a listener to \`${listener.receiver.text}\`, which it did not create; \`${use.endName}\` never removes it, so every use leaves one more listener, and what it holds, on \`${listener.receiver.text}\`.`,
      fixes: removeAtEndOfUseFix(context, listener, use),
    });
  }
  return detections;
}

/** `socket.once('close', this.drop.bind(this))`: an add that lasts until the target closes, holding the object or the use. */
function readEndOfLifeOnce(call: Node): Listener | undefined {
  const callee = field(call, 'function');
  const method = callee?.type === 'member_expression' ? (field(callee, 'property')?.text ?? '') : '';
  const receiver = callee ? field(callee, 'object') : undefined;
  if (!(method in ONCE_ADDERS) || !receiver || receiver.type === 'this') return undefined;
  const [event, listener] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  if (!event || !listener || !END_OF_LIFE_EVENTS.test(stringValue(event) ?? '')) return undefined;
  // What it keeps must be more than the target itself (`onEnd.bind(socket)` holds only the socket).
  if (!holdsInstance(listener) && !FUNCTION_VALUES.has(listener.type)) return undefined;
  return { call, receiver, method, event, eventText: event.text, listener };
}

/**
 * Keep, per target, how to take this use's listener back, and run it when the use ends:
 *   const onClose = this.unsubscribeAll.bind(this, socketWrapper);
 *   socketWrapper.socket.once('close', onClose);
 *   (this.listenerRemovers ??= new Map()).set(socketWrapper.socket, () => socketWrapper.socket.removeListener('close', onClose));
 * and first in the end member: `this.listenerRemovers?.get(target)?.(); this.listenerRemovers?.delete(target);`.
 * Offered when the begin adds directly (its `this` is the object's) and the end names the target the same way.
 */
function removeAtEndOfUseFix(context: RuleContext, listener: Listener, use: PairedUse): CodeFix[] {
  const adder = adderOf(listener.method);
  const statement = statementOf(listener.call);
  const root = targetRoot(listener.receiver);
  const block = field(use.end, 'body');
  const first = block ? namedChildren(block)[0] : undefined;
  if (!adder || !statement || !root || !block || block.type !== 'statement_block' || !first || first.startPosition.row === block.startPosition.row) return [];
  if (functionChain(listener.call)[0]?.id !== use.begin.id || statement.namedChild(0)?.id !== listener.call.id || !standsAlone(statement, context.source)) return [];
  if (root.type !== 'this' && !parameterNames(use.end).includes(root.text)) return [];
  const code = context.index.code;
  // A function declared at the module's top has no object of its own: the removers live beside it.
  const moduleLevel = use.begin.type === 'function_declaration';
  const removersName = freshName(code, 'listenerRemovers');
  const removers = moduleLevel ? removersName : `this.${removersName}`;
  const handler = freshName(code, `on${(eventName(listener) ?? 'event').replace(/^\w/, (c) => c.toUpperCase()).replace(/[^\w$]/g, '')}`);
  const target = listener.receiver.text;
  const callee = field(listener.call, 'function')!;
  const eol = context.source.eol;
  const indent = context.source.indentOf(statement.startPosition.row);
  const added = [
    `const ${handler} = ${listener.listener.text};`,
    `${callee.text}(${listener.eventText}, ${handler});`,
    `${moduleLevel ? removers : `(${removers} ??= new Map())`}.set(${target}, () => ${removalText(listener, adder.remove, handler, target)});`,
  ].join(eol + indent);
  const endIndent = context.source.indentOf(first.startPosition.row);
  const ending = (moduleLevel ? [`${removers}.get(${target})?.();`, `${removers}.delete(${target});`] : [`${removers}?.get(${target})?.();`, `${removers}?.delete(${target});`]).map((line) => eol + endIndent + line).join('');
  const at = { startLine: block.startPosition.row, startColumn: block.startPosition.column + 1, endLine: block.startPosition.row, endColumn: block.startPosition.column + 1 };
  const edits: TextEdit[] = [{ range: nodeRange(statement), newText: added }, { range: at, newText: ending }];
  const declared = use.begin.parent?.type === 'export_statement' ? use.begin.parent : use.begin;
  if (moduleLevel) edits.unshift(insertLinesBefore(context.source, declared.startPosition.row, '', [`const ${removers} = new Map();`, '']));
  return [{ title: `Remove the listener when ${use.endName} ends the use`, isPreferred: true, edits }];
}


/**
 * This rule's fixes for a listener added by `call`, for the broad tier's hints (broad/registrations.ts):
 * none when the call is not a listener this rule reads.
 */
export function listenerFixes(context: RuleContext, call: Node): CodeFix[] {
  const listener = readListener(context, call, moduleBindings(context.root));
  return listener ? fixesFor(context, listener) : [];
}
