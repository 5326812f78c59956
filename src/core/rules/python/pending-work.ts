// A registry of pending work in Python: a dict that gets an entry per call under a key made for
// that call (`next(self._ids)`, `uuid.uuid4().hex`, a counter stepped just before), whose entry
// another function looks up and uses (`future.set_result(…)`, `callback(*args)`, `event.set()`)
// without removing it. That use is where the entry's work completes; a `pop`/`del` elsewhere
// (a cancel, an unschedule) runs only when a caller takes work back.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { field, groupBy, methodReceiver, namedChildren, normalizeRef } from '../syntax';
import { calledWith, Container, deletedFrom, growthKey, isKeyedByCounter } from './containers';
import { enclosingFunction, rootName } from './syntax';

/** Calls that hand out a value no earlier call gave: a counter's next value, a UUID, a random token. */
const FRESH_VALUE = /\bnext\s*\(|\buuid[1345]?\s*\(|\btoken_(?:hex|urlsafe|bytes)\s*\(/;

const READS = new Set(['get']);

/** A lookup of one entry: the read and the key it reads by. */
export interface KeyedRead {
  node: Node;
  key: Node;
}

/**
 * The key is new on every store: a stepped counter (isKeyedByCounter), a fresh value, or a local
 * the storing function assigned from one of those before the store (`ticket = _next` after `_next += 1`).
 */
export function isKeyedByFreshValue(context: RuleContext, container: Container, growth: Node): boolean {
  const key = growthKey(growth);
  const fn = enclosingFunction(growth);
  if (!key || !fn) return false;
  if (FRESH_VALUE.test(key.text) || isKeyedByCounter(context.index.names, container, growth, context)) return true;
  if (key.type !== 'identifier') return false;
  const steps = new Set((field(fn, 'body')?.descendantsOfType('augmented_assignment') ?? []).flatMap((step) =>
    step && step.startIndex < growth.startIndex && /^\+=\s*1$/.test(step.text.slice((field(step, 'left')?.endIndex ?? step.endIndex) - step.startIndex).trim()) ? [field(step, 'left')?.text ?? ''] : []));
  return (field(fn, 'body')?.descendantsOfType('assignment') ?? []).some((assignment) => {
    const left = assignment ? field(assignment, 'left') : undefined;
    const right = assignment ? field(assignment, 'right') : undefined;
    if (!assignment || !right || left?.text !== key.text || assignment.startIndex >= growth.startIndex || enclosingFunction(assignment)?.id !== fn.id) return false;
    return FRESH_VALUE.test(right.text) || steps.has(right.text);
  });
}

/**
 * A function other than the storing one reads an entry by key (`d[k]`, `d.get(k)`) and uses
 * what it read (calls it or a method of it), with no removal from the dict there and no other
 * call handed the same key (a helper that may remove it).
 */
export function consumedWhereKept(context: RuleContext, container: Container, growth: Node): KeyedRead | undefined {
  const grower = enclosingFunction(growth);
  // A store whose own call takes the entry out again (`try: … finally: del d[k]`) ends with its call.
  if (!grower || removesFrom(context, container, grower)) return undefined;
  return keyedReads(context, container).find((read) => {
    const consumer = enclosingFunction(read.node);
    return consumer !== undefined && consumer.id !== grower.id && usesWhatItRead(consumer, read.node) && !removesFrom(context, container, consumer) && !handsOnKey(consumer, read);
  });
}

function keyedReads(context: RuleContext, container: Container): KeyedRead[] {
  const gets = context.memo('python.dictGets', () => groupBy(context.index.nodes('call'), (call) => methodReceiver(call, READS)));
  const subscripts = context.memo('python.subscriptsByValue', () => groupBy(context.index.nodes('subscript'), (node) => normalizeRef(field(node, 'value')?.text ?? '')));
  const calls = container.access.flatMap((access) => gets.get(access) ?? []).flatMap((call) => {
    const key = namedChildren(field(call, 'arguments') ?? call)[0];
    return key ? [{ node: call, key }] : [];
  });
  const reads = container.access.flatMap((access) => subscripts.get(access) ?? []).flatMap((node) => {
    const key = field(node, 'subscript');
    const parent = node.parent;
    const stored = (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && field(parent, 'left')?.id === node.id;
    return key && !stored && parent?.type !== 'delete_statement' ? [{ node, key }] : [];
  });
  return [...calls, ...reads];
}

/** What the read gives is called, or a method of it is: directly (`d[k].set()`) or through the names it is bound to. */
function usesWhatItRead(consumer: Node, read: Node): boolean {
  let holder: Node = read;
  while (holder.parent && (holder.parent.type === 'attribute' || holder.parent.type === 'parenthesized_expression')) holder = holder.parent;
  if (holder.parent?.type === 'call' && field(holder.parent, 'function')?.id === holder.id) return true;
  const target = holder.parent?.type === 'assignment' ? field(holder.parent, 'left') : undefined;
  const bound = new Set(target ? (target.type === 'identifier' ? [target.text] : target.descendantsOfType('identifier').flatMap((id) => (id ? [id.text] : []))) : []);
  if (bound.size === 0) return false;
  return consumer.descendantsOfType('call').some((call) => call !== null && call.startIndex > read.startIndex && bound.has(rootName(field(call, 'function') ?? call) ?? ''));
}

/** `del d[…]`, `d.pop(…)`, `d.clear()` in the function. */
function removesFrom(context: RuleContext, container: Container, fn: Node): boolean {
  const inFunction = (start: number) => start >= fn.startIndex && start < fn.endIndex;
  const names = context.index.names;
  return calledWith(names, container, 'pop|popitem|clear|__delitem__', inFunction) || deletedFrom(names, container, inFunction);
}

/** Another call in the function is handed the key read by (a helper that may remove the entry); lookups are not. */
function handsOnKey(fn: Node, read: KeyedRead): boolean {
  const key = read.key.text.replace(/\s+/g, '');
  return fn.descendantsOfType('call').some((call) => {
    if (!call || call.id === read.node.id) return false;
    const callee = field(call, 'function');
    if (callee?.type === 'attribute' && /^(get|__contains__)$/.test(field(callee, 'attribute')?.text ?? '')) return false;
    return namedChildren(field(call, 'arguments') ?? call).some((argument) => argument.text.replace(/\s+/g, '') === key);
  });
}
