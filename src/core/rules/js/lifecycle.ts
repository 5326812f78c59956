// The life of the object a listener is registered from: which of its members tear it down
// (`destroy`, `componentWillUnmount`, `willDestroyElement`, a returned `{ destroy }`), which run on
// every update (`componentWillReceiveProps`, `didRender`, `update`), and what each of those reaches
// through `this.member(…)` calls. A removal counts for a listener only when it is reachable from a
// teardown (or sits in the registering function itself); a registration reachable from an update
// path is made again on every update.
//
// Owners are class bodies, object literals with function members (`Component.extend({…})`) and
// functions that return an object literal with a teardown (a ProseMirror plugin view).
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../syntax';
import { functionChain, prototypeMembersBeside, FUNCTION_VALUES } from './syntax';
import { endNamesOf } from '../use-pairs';

/** Members that end the object's life: the one list every JS rule reads teardowns from. */
const TEARDOWN_MEMBER = /^(componentWillUnmount|disconnectedCallback|dispose|destroy|destroyed|close|stop|teardown|tearDown|willDestroyElement|willDestroy|willDestroyComponent|ngOnDestroy|beforeDestroy|beforeUnmount|unmounted|detached|onRemove|onDestroy|onDetach|cleanup|unmount|shutdown|disconnect|remove)$/;
/** Members a framework (or the object itself, by name) runs again on every update or redraw. */
const UPDATE_MEMBER = /^(componentDidUpdate|componentWillReceiveProps|UNSAFE_componentWillReceiveProps|componentWillUpdate|UNSAFE_componentWillUpdate|updated|beforeUpdate|didUpdate|didRender|didReceiveAttrs|didUpdateAttrs|ngOnChanges|ngDoCheck|ngAfterViewChecked|attributeChangedCallback|update|redraw|rerender|refresh)$/;
/** The calls that take a listener back from an emitter or element: the one list every JS rule reads removals from. */
export const LISTENER_REMOVERS: readonly string[] = ['off', 'removeListener', 'removeEventListener', 'removeAllListeners', 'unbind'];
/** LISTENER_REMOVERS as a regular-expression group, to match a call by its method name. */
export const LISTENER_REMOVER = `(?:${LISTENER_REMOVERS.join('|')})`;
/**
 * Calls that end a subscription of any kind: the listener removers and a library's own
 * `unsubscribe`, `unlisten`, `unobserve`. They show a teardown is where subscriptions go; they do
 * not take back one `on(…)` listener (an MQTT client's `unsubscribe(topic)` keeps its 'message' listener).
 */
const SUBSCRIPTION_END = new RegExp(`\\.\\s*(?:${[...LISTENER_REMOVERS, 'unsubscribe', 'unlisten', 'unobserve'].join('|')})\\s*\\(`);

/** A member name that ends the object's life (`destroy`, `componentWillUnmount`, `dispose`…). */
export function isTeardownName(name: string | undefined): boolean {
  return name !== undefined && TEARDOWN_MEMBER.test(name);
}

/** The first method of a class body that tears the instance down, if it has one. */
export function teardownMethodOf(classBody: Node): Node | undefined {
  return namedChildren(classBody).find((member) => member.type === 'method_definition' && isTeardownName(field(member, 'name')?.text));
}

/**
 * The teardown of the class a method belongs to: a class body's (teardownMethodOf), or for a
 * prototype method (`Foo.prototype.init = function…`) a teardown assigned to the same prototype
 * (`Foo.prototype.destroy = function…`, or a member of `Foo.prototype = {…}`).
 */
export function teardownBeside(method: Node): Node | undefined {
  const body = method.parent;
  if (method.type === 'method_definition') return body?.type === 'class_body' ? teardownMethodOf(body) : undefined;
  return [...(prototypeMembersBeside(method) ?? [])].find(([name]) => isTeardownName(name))?.[1];
}

export interface Lifecycle {
  /** Function members by name. */
  members: ReadonlyMap<string, Node>;
  /** The members (or returned functions) that tear the object down. */
  teardowns: readonly Node[];
  /** Computed on first use: the update path, and what the teardown reaches. */
  updatePath?: Node[];
  teardownPath?: Node[];
}

/**
 * The owner's lifecycle and the member (or function) the node runs in, if the node runs in one.
 * `known` keeps each owner's lifecycle (and, under `-id - 1`, each function's handed-out teardowns)
 * for the scan: a class with many listeners is read once.
 */
export function lifecycleAround(node: Node, known: Map<number, Lifecycle>): { lifecycle: Lifecycle; member: Node } | undefined {
  for (const fn of functionChain(node)) {
    let handedOut = known.get(-fn.id - 1);
    if (!handedOut) known.set(-fn.id - 1, (handedOut = { members: new Map(), teardowns: returnedTeardowns(fn) }));
    if (handedOut.teardowns.length > 0) return { lifecycle: handedOut, member: fn };
    const owner = ownerOf(fn);
    if (!owner) continue;
    let lifecycle = known.get(owner.id);
    if (!lifecycle) {
      const members = membersOf(owner);
      lifecycle = { members, teardowns: [...members].filter(([name]) => isTeardownName(name)).map(([, member]) => member) };
      known.set(owner.id, lifecycle);
    }
    return { lifecycle, member: fn };
  }
  return undefined;
}

/** Every function reachable from `roots` through `this.member(…)` (or a returned object's local function) calls. */
export function reachableFrom(lifecycle: Lifecycle, roots: readonly Node[]): Node[] {
  const seen = new Map<number, Node>();
  const queue = [...roots];
  while (queue.length > 0) {
    const fn = queue.pop()!;
    if (seen.has(fn.id)) continue;
    seen.set(fn.id, fn);
    for (const name of calledMembers(fn)) {
      const member = lifecycle.members.get(name);
      if (member && !seen.has(member.id)) queue.push(member);
    }
  }
  return [...seen.values()];
}

/** The members run on every update, and what they reach. */
export function updatePath(lifecycle: Lifecycle): Node[] {
  return (lifecycle.updatePath ??= reachableFrom(lifecycle, [...lifecycle.members].filter(([name]) => UPDATE_MEMBER.test(name)).map(([, member]) => member)));
}

/** The teardowns and what they reach. */
export function teardownPath(lifecycle: Lifecycle): Node[] {
  return (lifecycle.teardownPath ??= reachableFrom(lifecycle, lifecycle.teardowns));
}

/** The teardown takes back at least one subscription: it is where the object's listeners are meant to go. */
export function teardownRemovesSome(code: string, functions: readonly Node[]): boolean {
  return functions.some((fn) => SUBSCRIPTION_END.test(code.slice(fn.startIndex, fn.endIndex)));
}

/** A begin member (`subscribe`) and the member beside it that ends its use (`unsubscribe`), with all the members. */
export interface PairedUse {
  begin: Node;
  beginName: string;
  end: Node;
  endName: string;
  members: ReadonlyMap<string, Node>;
}

/**
 * The paired use a function is the begin of: a member of a class, an object literal or a
 * prototype, or a function declared at the module's top, with its end beside it.
 */
export function pairedUseOf(fn: Node): PairedUse | undefined {
  const owner = ownerOf(fn);
  const members = owner ? membersOf(owner) : (prototypeMembersBeside(fn) ?? moduleFunctionsBeside(fn));
  if (!members) return undefined;
  const beginName = [...members].find(([, member]) => member.id === fn.id)?.[0];
  if (!beginName) return undefined;
  const endName = endNamesOf(beginName).find((name) => members.has(name));
  return endName ? { begin: fn, beginName, end: members.get(endName)!, endName, members } : undefined;
}

/** The functions declared at the module's top (exported or not), when `fn` is one of them. */
function moduleFunctionsBeside(fn: Node): Map<string, Node> | undefined {
  const top = fn.parent?.type === 'export_statement' ? fn.parent : fn;
  if (fn.type !== 'function_declaration' || top.parent?.type !== 'program') return undefined;
  const functions = new Map<string, Node>();
  for (const statement of namedChildren(top.parent)) {
    const declaration = statement.type === 'export_statement' ? field(statement, 'declaration') : statement;
    const name = declaration?.type === 'function_declaration' ? field(declaration, 'name')?.text : undefined;
    if (name) functions.set(name, declaration!);
  }
  return functions;
}

/** The class body or object literal a function is a member of (`m() {}`, `m: function () {}`, `m = () => {}`). */
function ownerOf(fn: Node): Node | undefined {
  const parent = fn.parent;
  if (!parent) return undefined;
  if (fn.type === 'method_definition') return parent.type === 'class_body' || parent.type === 'object' ? parent : undefined;
  if (parent.type === 'pair' && field(parent, 'value')?.id === fn.id) return parent.parent?.type === 'object' ? parent.parent : undefined;
  if ((parent.type === 'public_field_definition' || parent.type === 'field_definition') && field(parent, 'value')?.id === fn.id) return parent.parent?.type === 'class_body' ? parent.parent : undefined;
  return undefined;
}

function membersOf(owner: Node): Map<string, Node> {
  const members = new Map<string, Node>();
  for (const child of namedChildren(owner)) {
    if (child.type === 'method_definition') {
      const name = field(child, 'name')?.text;
      if (name) members.set(name, child);
      continue;
    }
    if (child.type !== 'pair' && child.type !== 'public_field_definition' && child.type !== 'field_definition') continue;
    const name = field(child, child.type === 'pair' ? 'key' : 'property')?.text ?? field(child, 'name')?.text;
    const value = field(child, 'value');
    if (name && value && FUNCTION_VALUES.has(value.type)) members.set(name.replace(/^['"]|['"]$/g, ''), value);
  }
  return members;
}

/** `return { update, destroy: () => {…} }` in `fn` itself (not a nested function): the teardown functions it hands out. */
function returnedTeardowns(fn: Node): Node[] {
  const body = field(fn, 'body');
  if (!body || body.type !== 'statement_block') return [];
  const teardowns: Node[] = [];
  for (const ret of body.descendantsOfType('return_statement')) {
    const value = ret?.namedChild(0);
    if (!ret || value?.type !== 'object' || functionChain(ret)[0]?.id !== fn.id) continue;
    for (const member of namedChildren(value)) {
      const name = member.type === 'method_definition' ? field(member, 'name')?.text : member.type === 'pair' ? field(member, 'key')?.text : undefined;
      if (!isTeardownName(name)) continue;
      const value = member.type === 'pair' ? field(member, 'value') : member;
      if (value && (FUNCTION_VALUES.has(value.type) || value.type === 'method_definition')) teardowns.push(value);
    }
  }
  return teardowns;
}

/** Names called as `this.name(…)` inside `fn`. */
function calledMembers(fn: Node): string[] {
  const names: string[] = [];
  for (const call of fn.descendantsOfType('call_expression')) {
    const callee = call ? field(call, 'function') : undefined;
    if (callee?.type === 'member_expression' && field(callee, 'object')?.type === 'this') names.push(field(callee, 'property')?.text ?? '');
  }
  return names;
}
