// Control and data flow around one timer of timer-not-cleared, for the timers whose handle IS
// cleared somewhere and still leak:
// - a re-arm cycle (the callback runs the function that sets the timer again) that crosses an
//   asynchronous step (`await`, `.then`) with no condition anywhere on it: a teardown that clears
//   the pending handle while a tick is in flight clears a handle that already fired, and the tick
//   then arms a new one that nothing clears;
// - a handle stored under a holder (`m[k].timer`) that the same function replaced (`m[k] = {}`)
//   before its only clear: the clear reads the fresh holder, and the old handle is lost;
// - a handle that instance code (a class's methods) stores in one module-level variable: each
//   instance overwrites the previous instance's live handle, which nothing can clear any more;
// - an interval of an instance that only its own callback clears, once a condition holds, while
//   the class's teardown leaves it running;
// - an interval stored again, by code that runs repeatedly (an effect re-run when its dependencies
//   change counts), into a slot that may hold a live one (a field, or a component's ref).
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { scopesOf } from '../scopes';
import { ancestors, field, groupBy, namedChildren, nodesWithin } from '../syntax';
import { isTeardownName, Lifecycle, lifecycleAround, reachableFrom, teardownBeside } from './lifecycle';
import { callbackOf, enclosingClass, isEffectCall, functionChain, functionNameOf, runsRepeatedly } from './syntax';

const FUNCTION_TYPES = new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);
const BRANCHES = new Set(['if_statement', 'ternary_expression', 'switch_statement']);
const CONDITIONS = new Set(['if_statement', 'ternary_expression', 'binary_expression', 'switch_statement', 'while_statement', 'for_statement', 'do_statement']);
const FIELDS = new Set(['field_definition', 'public_field_definition']);
const PROMISE_STEPS = /^(then|catch|finally)$/;
const CLEARS = /^(?:(?:window|globalThis|global)\.)?clear(?:Interval|Timeout)$/;

/** The function a node runs in, with the name other code calls it by (`run`, `this.run`). */
interface Named {
  fn: Node;
  name: string;
}

/**
 * A re-arm cycle: the timer's callback reaches the function that set the timer (or is it), and
 * nothing on the way can stop it. True when the cycle also waits on an asynchronous step.
 */
export function rearmsAfterAsyncStep(context: RuleContext, call: Node): boolean {
  // The nearest named function: `.then((r) => { …setTimeout… })` re-arms for the method around it.
  const owner = functionChain(call).map(namedFunctionOf).find((named) => named !== undefined);
  const callback = callbackFunction(context, call);
  if (!owner || !callback) return false;
  if (callback.id === owner.fn.id) return !guarded(call, owner.fn) && waitsBefore(call, owner.fn);
  const site = referenceTo(callback, owner.name);
  if (!site || guarded(site, callback) || guarded(call, owner.fn)) return false;
  return waitsBefore(site, callback) || waitsBefore(call, owner.fn);
}

/** The function around a node and its name: a declaration, a method, a class field or a variable holding it. */
function namedFunctionOf(fn: Node | undefined): Named | undefined {
  if (!fn) return undefined;
  const holder = fn.parent;
  const name =
    fn.type === 'method_definition' ? field(fn, 'name')?.text : holder && FIELDS.has(holder.type) ? field(holder, 'property')?.text ?? field(holder, 'name')?.text : functionNameOf(fn);
  return name ? { fn, name } : undefined;
}

/** What the timer runs: an inline function, a function of the file by name, or `this.x` of the class (`.bind(this)` read through). */
function callbackFunction(context: RuleContext, call: Node): Node | undefined {
  let argument = field(call, 'arguments')?.namedChild(0) ?? undefined;
  const callee = argument?.type === 'call_expression' ? field(argument, 'function') : undefined;
  if (callee?.type === 'member_expression' && field(callee, 'property')?.text === 'bind') argument = field(callee, 'object');
  if (!argument) return undefined;
  if (FUNCTION_TYPES.has(argument.type)) return argument;
  if (argument.type === 'identifier') return functionsByName(context).get(argument.text);
  const object = argument.type === 'member_expression' ? field(argument, 'object') : undefined;
  const cls = object?.type === 'this' ? enclosingClass(call) : undefined;
  const body = cls ? field(cls, 'body') : undefined;
  return body ? memberFunction(body, field(argument, 'property')?.text ?? '') : undefined;
}

/** The file's functions declared by name (`function f`, `const f = () =>`), the first of each name. */
function functionsByName(context: RuleContext): Map<string, Node> {
  return context.memo('timer-flow:functions', () => {
    const byName = new Map<string, Node>();
    for (const node of context.root.descendantsOfType(['function_declaration', 'variable_declarator'])) {
      const fn = node?.type === 'variable_declarator' ? field(node, 'value') : node;
      const named = fn && FUNCTION_TYPES.has(fn.type) ? namedFunctionOf(fn) : undefined;
      if (named && !byName.has(named.name)) byName.set(named.name, named.fn);
    }
    return byName;
  });
}

/** A method or a function-valued field of a class body. */
function memberFunction(body: Node, name: string): Node | undefined {
  for (const member of namedChildren(body)) {
    if (member.type === 'method_definition' && field(member, 'name')?.text === name) return member;
    const value = FIELDS.has(member.type) ? field(member, 'value') : undefined;
    if (value && FUNCTION_TYPES.has(value.type) && namedFunctionOf(value)?.name === name) return value;
  }
  return undefined;
}

/** The first place a function calls or hands on `name` / `this.name` (`this.poll()`, `.then(this.poll)`). */
function referenceTo(fn: Node, name: string): Node | undefined {
  for (const node of fn.descendantsOfType(['identifier', 'property_identifier'])) {
    if (!node || node.text !== name) continue;
    const parent = node.parent;
    if (node.type === 'property_identifier' && (parent?.type !== 'member_expression' || field(parent, 'object')?.type !== 'this')) continue;
    const reference = node.type === 'property_identifier' ? parent! : node;
    const use = reference.parent;
    if (use?.type === 'arguments' || (use?.type === 'call_expression' && field(use, 'function')?.id === reference.id)) return reference;
  }
  return undefined;
}

/**
 * Some condition decides whether the node runs: one around it within `fn`, or an early exit
 * before it from `fn` or a function between them (a `.then` callback that returns first).
 */
function guarded(node: Node, fn: Node): boolean {
  for (const ancestor of ancestors(node)) {
    if (ancestor.id === fn.id) break;
    if (CONDITIONS.has(ancestor.type)) return true;
  }
  const chain = new Set(functionChain(node).map((f) => f.id));
  return fn.descendantsOfType(['if_statement']).some((s) => s !== null && s.endIndex <= node.startIndex && exitsFrom(s, chain));
}

/** An `if` that returns or throws out of one of the functions. */
function exitsFrom(statement: Node, functions: ReadonlySet<number>): boolean {
  return statement.descendantsOfType(['return_statement', 'throw_statement']).some((exit) => exit !== null && functions.has(functionChain(exit)[0]?.id ?? -1));
}

/** The node runs after an asynchronous step of its function: an earlier `await`, or inside (or as) a `.then`/`.catch`/`.finally` callback. */
function waitsBefore(node: Node, fn: Node): boolean {
  for (const ancestor of ancestors(node)) {
    if (ancestor.id === fn.id) break;
    if (ancestor.type === 'arguments' && ancestor.parent?.type === 'call_expression' && isPromiseStep(ancestor.parent)) return true;
  }
  const inside = new Set(functionChain(node).map((f) => f.id));
  return fn.descendantsOfType(['await_expression']).some((wait) => wait !== null && wait.endIndex <= node.startIndex && inside.has(functionChain(wait)[0]?.id ?? -1));
}

function isPromiseStep(call: Node): boolean {
  const callee = field(call, 'function');
  return callee?.type === 'member_expression' && PROMISE_STEPS.test(field(callee, 'property')?.text ?? '');
}

/**
 * The assignment that replaced the holder of a `holder.slot` handle, when the function clears the
 * handle only after that replacement (before the store): the clear shows the slot can hold a
 * live handle, but it reads the new holder's empty slot, and the old holder's handle is lost.
 */
export function holderReplacedBeforeClear(handle: Node, store: Node): Node | undefined {
  const holder = handle.type === 'member_expression' || handle.type === 'subscript_expression' ? field(handle, 'object') : undefined;
  const fn = functionChain(store)[0];
  if (!holder || !fn) return undefined;
  const text = compact(handle.text);
  const holderText = compact(holder.text);
  const before = (node: Node) => node.endIndex <= store.startIndex && functionChain(node)[0]?.id === fn.id;
  const replacement = fn.descendantsOfType(['assignment_expression']).filter((a): a is Node => a !== null && before(a) && compact(field(a, 'left')?.text ?? '') === holderText).at(-1);
  if (!replacement) return undefined;
  const clears = fn.descendantsOfType(['call_expression']).filter((c): c is Node => c !== null && before(c) && isClearOf(c, text));
  const clearedAfter = clears.some((c) => c.startIndex >= replacement.endIndex);
  const clearedBefore = clears.some((c) => c.endIndex <= replacement.startIndex);
  return clearedAfter && !clearedBefore ? replacement : undefined;
}

/**
 * Every clear of the handle within `scope` sits inside the timer's own callback: the timer ends
 * only once the callback's condition holds (a poll until ready). An owner torn down before that
 * leaves it polling, holding what it captures, for as long as the condition takes.
 */
export function clearedOnlyByItself(context: RuleContext, call: Node, handle: Node, scope: Node): boolean {
  const callback = field(call, 'arguments')?.namedChild(0);
  if (!callback || !FUNCTION_TYPES.has(callback.type)) return false;
  const text = compact(handle.text);
  const clears = nodesWithin(timerClears(context).get(text) ?? [], scope);
  return clears.length > 0 && clears.every((c) => c.startIndex >= callback.startIndex && c.endIndex <= callback.endIndex);
}

/**
 * A handle stored into a slot that outlives the function (`this.x`, a closure's or the module's
 * variable) by code that runs again and again (a method other than set-up, an event callback),
 * with no clear of that slot and no condition on it before the store: a second run overwrites a
 * live handle, and that timer can no longer be cleared.
 */
export function storedAgainWithoutClear(context: RuleContext, handle: Node, store: Node): boolean {
  const fn = functionChain(store)[0];
  if (!fn || !(runsRepeatedly(store) || rerunsWithoutCleanup(fn)) || calledOnlyUnderConditions(fn)) return false;
  if (handle.type === 'member_expression' ? !isInstanceSlot(context, handle) : handle.type !== 'identifier' || declaredWithin(context, handle, fn)) return false;
  const text = compact(handle.text);
  const mentions = (node: Node | undefined) => node !== undefined && compact(node.text).includes(text);
  for (const ancestor of ancestors(store)) {
    if (ancestor.id === fn.id) break;
    if (CONDITIONS.has(ancestor.type) && mentions(field(ancestor, 'condition') ?? field(ancestor, 'left'))) return false;
  }
  const earlier = fn.descendantsOfType(['call_expression', 'if_statement']).filter((n): n is Node => n !== null && n.endIndex <= store.startIndex);
  return !earlier.some((n) => (n.type === 'call_expression' ? isClearOf(n, text) || callsAClearOf(context, n, text) : mentions(field(n, 'condition'))));
}

/**
 * `clear()` where the file's `clear` clears the slot itself (`const clear = useCallback(() => {
 * clearInterval(timer.current) }, [])`, `function stop() { clearInterval(poll) }`): a helper that
 * clears, called before the store, clears as a direct `clearInterval` would.
 */
function callsAClearOf(context: RuleContext, call: Node, text: string): boolean {
  const callee = field(call, 'function');
  if (callee?.type !== 'identifier') return false;
  let value = scopesOf(context).bindingOf(callee).value;
  // A function wrapped to keep its identity across renders (`useCallback(fn, deps)`) is that function.
  if (value?.type === 'call_expression') value = namedChildren(field(value, 'arguments') ?? value)[0];
  if (!value || !FUNCTION_TYPES.has(value.type)) return false;
  return (timerClears(context).get(text) ?? []).some((clear) => clear.startIndex >= value.startIndex && clear.endIndex <= value.endIndex);
}

/**
 * An effect with dependencies (`useEffect(() => {…}, [ms])`) runs again whenever one changes, and
 * one that returns no cleanup leaves what the previous run started where it was.
 */
function rerunsWithoutCleanup(fn: Node): boolean {
  const call = callbackOf(fn);
  const dependencies = call && isEffectCall(call) ? namedChildren(field(call, 'arguments') ?? call)[1] : undefined;
  const body = field(fn, 'body');
  if (dependencies?.type !== 'array' || dependencies.namedChildCount === 0 || body?.type !== 'statement_block') return false;
  return !body.descendantsOfType('return_statement').some((statement) => statement !== null && functionChain(statement)[0]?.id === fn.id);
}

/**
 * A slot that outlives one run of the code storing into it: the instance's (`this.timer`), or a
 * component's ref (`timer.current` of `const timer = useRef()`), which React keeps across renders
 * as an instance keeps its fields.
 */
function isInstanceSlot(context: RuleContext, handle: Node): boolean {
  const object = field(handle, 'object');
  if (object?.type === 'this') return true;
  if (object?.type !== 'identifier' || field(handle, 'property')?.text !== 'current') return false;
  const value = scopesOf(context).bindingOf(object).value;
  return value?.type === 'call_expression' && /^(?:React\.)?useRef$/.test(field(value, 'function')?.text ?? '');
}

/**
 * A method its class calls only from inside a branch (`if (this.listeners.length === 1)
 * this._startPolling()`): the caller's test, not the method, decides whether a run can find the
 * slot taken, and that test is beyond what this reading can judge.
 */
function calledOnlyUnderConditions(fn: Node): boolean {
  const name = fn.type === 'method_definition' ? field(fn, 'name')?.text : undefined;
  const body = fn.parent;
  if (!name || body?.type !== 'class_body') return false;
  const calls = body.descendantsOfType('call_expression').filter((call): call is Node => {
    const callee = call ? field(call, 'function') : undefined;
    return callee?.type === 'member_expression' && field(callee, 'object')?.type === 'this' && field(callee, 'property')?.text === name;
  });
  return calls.length > 0 && calls.every((call) => underBranch(call));
}

/** Some `if`/`switch`/`?:` of the call's own function holds it. */
function underBranch(call: Node): boolean {
  const own = functionChain(call)[0];
  for (const ancestor of ancestors(call)) {
    if (ancestor.id === own?.id) return false;
    if (BRANCHES.has(ancestor.type)) return true;
  }
  return false;
}

/** The variable is the function's own (a parameter or a local), made afresh on each run. */
function declaredWithin(context: RuleContext, identifier: Node, fn: Node): boolean {
  const scope = scopesOf(context).bindingOf(identifier).scope;
  return scope !== undefined && scope.startIndex >= fn.startIndex && scope.endIndex <= fn.endIndex;
}

/** Every `clearInterval(…)` / `clearTimeout(…)` of the file by the handle it clears (as compact text), read once: a class-wide search per timer is quadratic in a long file. */
function timerClears(context: RuleContext): Map<string, Node[]> {
  return context.memo('js.timerClears', () =>
    groupBy(context.index.nodes('call_expression'), (call) => {
      const argument = CLEARS.test(field(call, 'function')?.text ?? '') ? field(call, 'arguments')?.namedChild(0) : undefined;
      return argument ? compact(argument.text) : undefined;
    }),
  );
}

/** `clearInterval(text)` / `clearTimeout(text)`. */
export function isClearOf(call: Node, text: string): boolean {
  const argument = field(call, 'arguments')?.namedChild(0);
  return CLEARS.test(field(call, 'function')?.text ?? '') && argument !== null && argument !== undefined && compact(argument.text) === text;
}

/** An access as text, spaces and optional chaining dropped: `m[k]?.timer` is `m[k].timer`. */
function compact(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\.(?=\[)/g, '').replace(/\?\./g, '.');
}

/**
 * A handle that a class's own code stores in a module-level variable, with no clear of it and no
 * condition on it before the store: one variable for every instance, so each new instance loses
 * the previous one's live timer.
 */
export function sharedByInstances(context: RuleContext, handle: Node, store: Node): boolean {
  const method = functionChain(store).find((fn) => fn.type === 'method_definition');
  if (handle.type !== 'identifier' || !enclosingClass(store) || method?.children.some((child) => child?.type === 'static')) return false;
  if (scopesOf(context).bindingOf(handle).kind !== 'module') return false;
  const fn = functionChain(store)[0];
  if (!fn) return false;
  const name = new RegExp(`(?<![\\w$.])${handle.text}(?![\\w$])`);
  for (const ancestor of ancestors(store)) {
    if (ancestor.id === fn.id) break;
    if (CONDITIONS.has(ancestor.type) && name.test(field(ancestor, 'condition')?.text ?? field(ancestor, 'left')?.text ?? '')) return false;
  }
  const earlier = fn.descendantsOfType(['call_expression', 'if_statement']).filter((n): n is Node => n !== null && n.endIndex <= store.startIndex);
  return !earlier.some((n) => (n.type === 'call_expression' ? isClearOf(n, handle.text) : name.test(field(n, 'condition')?.text ?? '')));
}

/**
 * The references to a module variable, when every one is in the class's own code where `this` is
 * the instance (methods, fields, arrow functions inside them), apart from its declaration: the
 * handle can move to the instance by rewriting them.
 */
export function instanceReferences(context: RuleContext, handle: Node, cls: Node): Node[] | undefined {
  const scopes = scopesOf(context);
  const declaration = scopes.bindingOf(handle).declaration;
  const references: Node[] = [];
  for (const node of context.root.descendantsOfType(['identifier', 'shorthand_property_identifier'])) {
    if (!node || node.text !== handle.text || node.id === declaration?.id) continue;
    if (node.type === 'shorthand_property_identifier') return undefined;
    if (!scopes.sameBinding(node, handle)) continue;
    if (!thisIsInstance(node, cls)) return undefined;
    references.push(node);
  }
  return references;
}

/** Between the node and the class, only arrow functions and one instance method (or field) of the class: `this` is the instance. */
function thisIsInstance(node: Node, cls: Node): boolean {
  for (const fn of functionChain(node)) {
    if (fn.type === 'arrow_function') continue;
    return fn.type === 'method_definition' && fn.parent?.parent?.id === cls.id && !fn.children.some((child) => child?.type === 'static');
  }
  return [...ancestors(node)].some((a) => FIELDS.has(a.type) && a.parent?.parent?.id === cls.id);
}

/**
 * The teardowns of the object, factory or effect that owns a timer, when it has some and none of
 * them (nor what they call on the object) clears the timer's slot: for an interval that only its
 * own callback clears, nothing stops it when the owner ends early. Owners are those of lifecycle.ts
 * (class and object-literal members, a factory's returned `{ destroy }`) or a prototype's teardown, with
 * members named `<thing>Destroy`/`<thing>Dispose` too, and a React effect's returned cleanup. A
 * clear in a teardown counts by the slot's last name (`clearInterval(p.poll)` for `player.poll`):
 * the teardown often reaches the holder through another variable.
 */
export function teardownsLeaving(context: RuleContext, call: Node, handle: Node): Node[] | undefined {
  const teardowns = ownerTeardowns(context, call);
  if (teardowns.length === 0) return undefined;
  const slot = lastName(handle);
  const clearsSlot = (fn: Node) => fn.descendantsOfType('call_expression').some((c) => c !== null && CLEARS.test(field(c, 'function')?.text ?? '') && lastName(field(c, 'arguments')?.namedChild(0) ?? c) === slot);
  return teardowns.some(clearsSlot) ? undefined : teardowns;
}

function ownerTeardowns(context: RuleContext, call: Node): Node[] {
  const effectCleanup = functionChain(call).map(returnedCleanupOfEffect).find((cleanup) => cleanup !== undefined);
  if (effectCleanup) return [effectCleanup];
  const known = context.memo('timer-flow:lifecycles', () => new Map<number, Lifecycle>());
  // An owner with no teardown (a callbacks object: `events: { onReady() {…} }`) passes the question to the owner around it.
  for (let around = lifecycleAround(call, known); around; around = around.member.parent ? lifecycleAround(around.member.parent, known) : undefined) {
    const { lifecycle } = around;
    const named = [...lifecycle.members].filter(([name]) => !isTeardownName(name) && isTeardownName(/[A-Z][a-z]+$/.exec(name)?.[0].toLowerCase())).map(([, member]) => member);
    if (lifecycle.teardowns.length + named.length > 0) return reachableFrom(lifecycle, [...lifecycle.teardowns, ...named]);
  }
  // A prototype method (`Widget.prototype.start = function…`) and the teardown assigned beside it.
  const beside = functionChain(call).map(teardownBeside).find((teardown) => teardown !== undefined);
  return beside ? [beside] : [];
}

/** `useEffect(() => { …; return () => {…}; })`: the cleanup function the effect returns. */
function returnedCleanupOfEffect(fn: Node): Node | undefined {
  const effect = callbackOf(fn);
  const body = field(fn, 'body');
  if (!effect || !isEffectCall(effect) || body?.type !== 'statement_block') return undefined;
  const value = namedChildren(body).find((s) => s.type === 'return_statement')?.namedChild(0);
  return value && FUNCTION_TYPES.has(value.type) ? value : undefined;
}

/** The last name of an access: `poll` for `this.player.poll`, `id` for `id`. */
function lastName(node: Node): string {
  return node.type === 'member_expression' ? (field(node, 'property')?.text ?? '') : compact(node.text);
}

/**
 * A setTimeout that re-arms itself only under a condition (`if (!job.done) this.poll()`): a poll
 * that stops once its own work says so. Returns the owner's teardowns when it has some, none of
 * them clears the handle, and none writes a name the re-arming code reads (a `stopped` flag the
 * condition could test): ending the owner early leaves the poll going until its work finishes,
 * or forever when it never does.
 */
export function conditionalRearmOutlivingTeardown(context: RuleContext, call: Node, handle: Node): Node[] | undefined {
  const owner = functionChain(call).map(namedFunctionOf).find((named) => named !== undefined);
  const callback = callbackFunction(context, call);
  if (!owner || !callback) return undefined;
  const site = callback.id === owner.fn.id ? call : referenceTo(callback, owner.name);
  if (!site || !(guarded(site, callback.id === owner.fn.id ? owner.fn : callback) || guarded(call, owner.fn))) return undefined;
  const teardowns = teardownsLeaving(context, call, handle);
  if (!teardowns) return undefined;
  const written = namesWrittenBy(teardowns);
  const reads = (fn: Node) => fn.descendantsOfType(['identifier', 'property_identifier']).some((id) => id !== null && written.has(id.text) && !isAssignedAt(id));
  return reads(owner.fn) || reads(callback) ? undefined : teardowns;
}

/** Names the functions assign (`this.stopped = true`, `stopped = true`): the flags a teardown leaves for other code to read. */
function namesWrittenBy(functions: readonly Node[]): Set<string> {
  const names = new Set<string>();
  for (const fn of functions) {
    for (const assignment of fn.descendantsOfType(['assignment_expression', 'augmented_assignment_expression'])) {
      const left = assignment ? field(assignment, 'left') : undefined;
      const name = left?.type === 'member_expression' ? field(left, 'property')?.text : left?.type === 'identifier' ? left.text : undefined;
      if (name) names.add(name);
    }
  }
  return names;
}

/** The name is what an assignment writes (`this.t = setTimeout(…)`), not a read of it. */
function isAssignedAt(id: Node): boolean {
  const access = id.parent?.type === 'member_expression' ? id.parent : id;
  const parent = access.parent;
  return parent?.type === 'assignment_expression' && field(parent, 'left')?.id === access.id;
}
