// timer-not-cleared (Python): a timer an instance starts (`threading.Timer`, an event loop's
// `call_later`/`call_at`) that nothing can stop. Three flow facts, each read within one class:
// - a `threading.Timer` made by a method that runs again and again (not set-up), whose handle is
//   dropped or kept in a local that the method neither cancels, joins nor hands on: each call adds
//   a pending thread holding the callback (and `self`) that no close() can reach;
// - a timer stored in `self.x` by such a method, in a class that never cancels `self.x` (nor
//   tests it before the store): a second call overwrites a live handle, and that timer can no
//   longer be cancelled;
// - a timer whose callback is the method that starts it (it re-arms itself) with no condition on
//   the way, whose handle the class never cancels: it runs, holding the instance, forever.
// A timer made at module level, in a plain function or in set-up (`__init__`, `start`) is the
// program's or the object's one timer and is not reported; a one-shot `call_later` is not either.
import type { Node } from 'web-tree-sitter';
import { freshName, indentUnitFor } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { ancestors, endOf, field, namedChildren, startOf } from '../syntax';
import { escapeRegExp, insertLinesAfter, insertLinesBefore, replaceRange } from '../text';
import { CodeFix, TextEdit } from '../types';
import { methodsOf } from './containers';
import { classOfMethod, enclosingFunction, functionName, importedFrom, isDocstring, runsOnce, standsAlone, statementOf, TEARDOWN_METHODS } from './syntax';

const LOOP_TIMERS = /^(call_later|call_at)$/;
const CONDITIONS = new Set(['if_statement', 'conditional_expression', 'while_statement', 'for_statement', 'boolean_operator']);

interface Timer {
  call: Node;
  kind: 'thread' | 'loop';
  /** The method of the class the timer is made in (the nearest function around it that is one). */
  method: Node;
  cls: Node;
  /** The function the call sits in (the method, or a function nested in it). */
  fn: Node;
  handle: { kind: 'dropped' } | { kind: 'local'; name: string; target: Node } | { kind: 'attribute'; text: string; target: Node };
  /** The callback is the function that makes the timer: it re-arms itself. */
  rearms: boolean;
}

/** The names a timer is made by (threading's `Timer`, an event loop's `call_later`/`call_at`). */
const TIMER_NAMES = ['Timer', 'call_later', 'call_at'];

export const pythonTimerNotCleared: Rule = {
  id: 'timer-not-cleared',
  family: 'python',
  collect: ['call'],
  detect(context) {
    // Most files make no timer: the names' occurrences say so without reading every call.
    if (!TIMER_NAMES.some((name) => context.index.names.within(name).length > 0)) return [];
    const threadTimer = threadTimerNames(context);
    const detections: Detection[] = [];
    for (const call of context.index.nodes('call')) {
      const timer = readTimer(call, threadTimer);
      const detection = timer ? judge(context, timer) : undefined;
      if (detection) detections.push(detection);
    }
    return detections;
  },
};

/** How the file names `threading.Timer`: `threading.Timer`, and `Timer` when imported from threading. */
function threadTimerNames(context: RuleContext): Set<string> {
  const names = new Set(['threading.Timer']);
  if (importedFrom(context.root, 'threading').has('Timer')) names.add('Timer');
  return names;
}

function readTimer(call: Node, threadTimer: ReadonlySet<string>): Timer | undefined {
  const callee = field(call, 'function');
  const kind = threadTimer.has(callee?.text ?? '') ? 'thread' : callee?.type === 'attribute' && LOOP_TIMERS.test(field(callee, 'attribute')?.text ?? '') ? 'loop' : undefined;
  const fn = kind ? enclosingFunction(call) : undefined;
  const method = fn ? nearestMethod(fn) : undefined;
  const cls = method ? classOfMethod(method) : undefined;
  const handle = kind ? handleOf(call, kind) : undefined;
  if (!kind || !fn || !method || !cls || !handle) return undefined;
  return { call, kind, method, cls, fn, handle, rearms: callsItself(call, fn) };
}

/** The first function, from the inside out, that is a method of a class. */
function nearestMethod(fn: Node): Node | undefined {
  for (let current: Node | undefined = fn; current; current = current.parent ? enclosingFunction(current.parent) : undefined) {
    if (classOfMethod(current)) return current;
  }
  return undefined;
}

/** Where the timer's handle goes: `Timer(...).start()` drops it, `t = …` keeps it in a local, `self.t = …` on the instance. */
function handleOf(call: Node, kind: Timer['kind']): Timer['handle'] | undefined {
  const parent = call.parent;
  if (!parent) return undefined;
  if (parent.type === 'expression_statement') return kind === 'loop' ? { kind: 'dropped' } : undefined;
  if (kind === 'thread' && parent.type === 'attribute' && field(parent, 'attribute')?.text === 'start' && parent.parent?.type === 'call' && parent.parent.parent?.type === 'expression_statement') return { kind: 'dropped' };
  if (parent.type !== 'assignment' || field(parent, 'right')?.id !== call.id) return undefined;
  const target = field(parent, 'left');
  if (target?.type === 'identifier') return { kind: 'local', name: target.text, target };
  if (target?.type === 'attribute' && field(target, 'object')?.text === 'self') return { kind: 'attribute', text: target.text, target };
  return undefined;
}

/** The timer's callback (Timer's `function`, call_later's callback) is the function it is made in: `self.tick` in `tick`, `tick` in `def tick`. */
function callsItself(call: Node, fn: Node): boolean {
  const args = namedChildren(field(call, 'arguments') ?? call);
  const keyword = args.find((arg) => arg.type === 'keyword_argument' && field(arg, 'name')?.text === 'function');
  const callback = keyword ? field(keyword, 'value') : args.filter((arg) => arg.type !== 'keyword_argument')[1];
  const name = functionName(fn);
  if (!callback || !name) return false;
  return callback.text === name || callback.text === `self.${name}`;
}

function judge(context: RuleContext, timer: Timer): Detection | undefined {
  const found = (message: string, fixes: CodeFix[]): Detection => ({ anchor: timer.call, scope: timer.method, message, fixes });
  if (timer.rearms) {
    if (!unconditional(timer.call, timer.fn) || cancelledInClass(context, timer)) return undefined;
    return found(
      'This timer re-arms itself every time it fires, with no condition that stops it, and the class never cancels it: it runs forever and keeps the instance alive.',
      keepAndCancelFixes(context, timer, { always: true }),
    );
  }
  if (runsOnce(timer.method) || runsOnce(timer.fn)) return undefined;
  if (timer.handle.kind === 'attribute') {
    // A slot the class cancels elsewhere (on a state change, in connection_lost) has a life the class manages: the call may run once per state.
    if (cancelledInClass(context, timer) || conditionedOnHandle(timer.call, timer.fn, timer.handle.text) || testedBefore(timer.call, timer.fn, timer.handle.text)) return undefined;
    return found(
      `Each call stores a new timer in ${timer.handle.text} without cancelling the one it may hold, so that earlier timer can no longer be cancelled and keeps its callback (and the instance) alive until it fires.`,
      cancelPreviousFix(context, timer, timer.handle.text),
    );
  }
  if (timer.kind !== 'thread' || (timer.handle.kind === 'local' && localStopped(timer.fn, timer.handle.name, timer.handle.target))) return undefined;
  return found(
    `Each call of ${functionName(timer.method)}() starts a new threading.Timer whose handle is ${timer.handle.kind === 'local' ? `only in the local ${timer.handle.name}` : 'dropped'}: nothing can cancel it, so the timers (a thread each, holding the callback and the instance) pile up.`,
    keepAndCancelFixes(context, timer, { always: false }),
  );
}

/** No `if`/loop/conditional between the call and its function, and no early `return` before it. */
function unconditional(call: Node, fn: Node): boolean {
  for (const ancestor of ancestors(call)) {
    if (ancestor.id === fn.id) break;
    if (CONDITIONS.has(ancestor.type) || ancestor.type === 'try_statement') return false;
  }
  return !(field(fn, 'body')?.descendantsOfType('return_statement') ?? []).some((ret) => ret !== null && ret.endIndex <= call.startIndex && enclosingFunction(ret)?.id === fn.id);
}

/** Some code of the class cancels the handle: `self.x.cancel()`, or for a local or dropped handle nothing can. */
function cancelledInClass(context: RuleContext, timer: Timer): boolean {
  if (timer.handle.kind !== 'attribute') return false;
  const code = context.index.code.slice(timer.cls.startIndex, timer.cls.endIndex);
  return new RegExp(`${escapeRegExp(timer.handle.text)}\\s*\\.\\s*cancel\\s*\\(`).test(code);
}

/** A test of the slot decides whether the store runs (`if self.t is None:`). */
function conditionedOnHandle(call: Node, fn: Node, text: string): boolean {
  for (const ancestor of ancestors(call)) {
    if (ancestor.id === fn.id) break;
    if (CONDITIONS.has(ancestor.type) && (field(ancestor, 'condition')?.text ?? ancestor.text).includes(text)) return true;
  }
  return false;
}

/** The function tests the slot (`if self.t:`) before the store: it decides what a live handle there means. */
function testedBefore(call: Node, fn: Node, text: string): boolean {
  const earlier = (field(fn, 'body')?.descendantsOfType('if_statement') ?? []).filter((n): n is Node => n !== null && n.endIndex <= call.startIndex);
  return earlier.some((n) => (field(n, 'condition')?.text ?? '').includes(text));
}

/** The local is cancelled or joined, or handed on (returned, stored, passed) where something else can stop it. */
function localStopped(fn: Node, name: string, target: Node): boolean {
  for (const id of field(fn, 'body')?.descendantsOfType('identifier') ?? []) {
    if (!id || id.text !== name || id.id === target.id) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && field(parent, 'object')?.id === id.id) {
      if (field(parent, 'attribute')?.text !== 'start' && field(parent, 'attribute')?.text !== 'daemon' && field(parent, 'attribute')?.text !== 'name') return true;
      continue;
    }
    return true;
  }
  return false;
}

/**
 * Keep the handle on the instance, cancel the previous one before a new one goes there, and
 * cancel it in the class's teardown (a new close() when the class has none and the timer re-arms).
 */
function keepAndCancelFixes(context: RuleContext, timer: Timer, options: { always: boolean }): CodeFix[] {
  const statement = statementOf(timer.call);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const classCode = context.index.code.slice(timer.cls.startIndex, timer.cls.endIndex);
  const slot = timer.handle.kind === 'attribute' ? timer.handle.text : `self.${freshName(classCode, timer.handle.kind === 'local' ? `_${timer.handle.name}_timer` : '_timer')}`;
  const row = statement.startPosition.row;
  const indent = context.source.indentOf(row);
  // A dropped Timer is made on a line of its own (`self._timer = Timer(…)`) so that `.start()` runs on the kept handle.
  const made = timer.handle.kind === 'dropped' && timer.kind === 'thread' ? [`${slot} = ${timer.call.text}`] : [];
  const edits: TextEdit[] = [insertLinesBefore(context.source, row, indent, [...cancelLines(context, slot), ...made])];
  if (timer.handle.kind === 'local') edits.push(replaceRange(startOf(timer.handle.target), endOf(timer.handle.target), `${timer.handle.name} = ${slot}`));
  if (made.length > 0) edits.push(replaceRange(startOf(timer.call), endOf(timer.call), slot));
  if (timer.handle.kind === 'dropped' && timer.kind === 'loop') edits.push(replaceRange(startOf(timer.call), startOf(timer.call), `${slot} = `));
  const teardown = teardownEdit(context, timer, slot, options.always);
  if (teardown) edits.push(teardown.edit);
  return [{ title: `Keep the timer in ${slot}, cancel the previous one first${teardown ? ` and in ${teardown.name}()` : ''}`, isPreferred: true, edits }];
}

function cancelPreviousFix(context: RuleContext, timer: Timer, slot: string): CodeFix[] {
  const statement = statementOf(timer.call);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const row = statement.startPosition.row;
  return [{ title: `Cancel the timer in ${slot} before storing a new one`, isPreferred: true, edits: [insertLinesBefore(context.source, row, context.source.indentOf(row), cancelLines(context, slot))] }];
}

/** `if getattr(self, 'x', None) is not None: self.x.cancel()`: the slot may not exist before the first timer. */
function cancelLines(context: RuleContext, slot: string): string[] {
  const attribute = slot.slice('self.'.length);
  return [`if getattr(self, '${attribute}', None) is not None:`, `${indentUnitFor(context)}${slot}.cancel()`];
}

/** The cancel at the start of the class's teardown, or a new close() at its end when `addClose`. */
function teardownEdit(context: RuleContext, timer: Timer, slot: string, addClose: boolean): { edit: TextEdit; name: string } | undefined {
  const body = field(timer.cls, 'body');
  const teardown = methodsOf(timer.cls).find((method) => TEARDOWN_METHODS.test(functionName(method)));
  const teardownBody = teardown ? field(teardown, 'body') : undefined;
  const first = teardownBody ? namedChildren(teardownBody).find((s) => !isDocstring(s)) ?? undefined : undefined;
  if (teardown && first && first.startPosition.row > teardown.startPosition.row) {
    const row = first.startPosition.row;
    return { edit: insertLinesBefore(context.source, row, context.source.indentOf(row), cancelLines(context, slot)), name: functionName(teardown) };
  }
  if (teardown || !addClose || !body) return undefined;
  const indent = context.source.indentOf(timer.method.startPosition.row);
  const unit = indentUnitFor(context);
  return { edit: insertLinesAfter(context.source, body.endPosition.row, indent, ['', 'def close(self):', ...cancelLines(context, slot).map((line) => unit + line)]), name: 'a new close' };
}

/** This rule's fixes for a timer in a class that re-arms itself, for the broad tier's hints (broad/timers.ts). */
export function rearmingTimerFixes(context: RuleContext, call: Node): CodeFix[] {
  const timer = readTimer(call, threadTimerNames(context));
  return timer ? keepAndCancelFixes(context, timer, { always: true }) : [];
}
