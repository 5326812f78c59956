// Timer hints (timer-not-cleared), both languages: a repeating timer a function starts that
// nothing in the file can stop. JS: a `setInterval` in a function with no `clearInterval` in the
// file, or a `setTimeout` whose callback calls an enclosing function again (it re-arms) with no
// `clearTimeout` in the file. Python: a `threading.Timer` or an event loop's `call_later` /
// `call_at` whose callback is an enclosing function (it re-arms), with no `.cancel()` in the file.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp } from '../text';
import { neverClearedFixes } from '../js/timer-not-cleared';
import { functionNameOf, methodNameOf } from '../js/syntax';
import { rearmingTimerFixes } from '../python/timer-not-cleared';
import { functionName, importedFrom } from '../python/syntax';
import { calledMethod, enclosingFunctionOf } from './containers';
import { HintDetection } from './hint-rule';

const JS_TIMER = /^(?:(?:window|globalThis|global)\.)?set(Interval|Timeout)$/;
const LOOP_TIMERS = new Set(['call_later', 'call_at']);
/** The longest callee that can name a JS timer (`globalThis.setInterval`). */
const TIMER_CALLEE_MAX_LENGTH = 'globalThis.setInterval'.length;

export function jsTimerHints(context: RuleContext): HintDetection[] {
  const names = context.index.names;
  const intervalsCleared = names.within('clearInterval').length > 0;
  const timeoutsCleared = names.within('clearTimeout').length > 0;
  // Most files set no timer: the names' occurrences say so without reading every call.
  if ((intervalsCleared || names.within('setInterval').length === 0) && (timeoutsCleared || names.within('setTimeout').length === 0)) return [];
  const found: HintDetection[] = [];
  for (const call of context.index.nodes('call_expression')) {
    const callee = field(call, 'function');
    // The callee's length first: a long chain's text is not read for every call.
    const kind = callee && callee.endIndex - callee.startIndex <= TIMER_CALLEE_MAX_LENGTH ? JS_TIMER.exec(callee.text)?.[1] : undefined;
    if (!kind || (kind === 'Interval' ? intervalsCleared : timeoutsCleared)) continue;
    const functions = enclosingFunctions(context, call);
    if (functions.length === 0) continue;
    const callback = namedChildren(field(call, 'arguments') ?? call)[0];
    if (kind === 'Timeout' && !(callback && callsAnyOf(callback, functions.map(jsFunctionName), 'this'))) continue;
    const message = kind === 'Interval'
      ? 'This setInterval may run for as long as the process, holding its callback and what it captures: nothing in this file calls clearInterval. (A weaker suspicion than a warning: check whether it is started more than once.)'
      : 'This setTimeout re-arms its own function and may run for as long as the process: nothing in this file calls clearTimeout. (A weaker suspicion than a warning: check whether a condition stops it.)';
    found.push({ rule: 'timer-not-cleared', detection: { anchor: call, scope: context.root, message, fixes: neverClearedFixes(context, call) } });
  }
  return found;
}

export function pythonTimerHints(context: RuleContext): HintDetection[] {
  const names = context.index.names;
  if (!['Timer', 'call_later', 'call_at'].some((name) => names.within(name).length > 0) || names.anyAround('cancel', undefined, /\.\s*$/, /\s*\(/)) return [];
  const threadTimer = new Set(['threading.Timer', ...(importedFrom(context.root, 'threading').has('Timer') ? ['Timer'] : [])]);
  const found: HintDetection[] = [];
  for (const call of context.index.nodes('call')) {
    const callee = field(call, 'function');
    const loop = LOOP_TIMERS.has(calledMethod(call) ?? '');
    if (!callee || !(loop || (callee.endIndex - callee.startIndex <= 'threading.Timer'.length && threadTimer.has(callee.text)))) continue;
    const callback = pythonCallback(call);
    const functions = enclosingFunctions(context, call);
    if (!callback || !callsAnyOf(callback, functions.map(functionName), 'self')) continue;
    found.push({
      rule: 'timer-not-cleared',
      detection: {
        anchor: call,
        scope: context.root,
        message: 'This timer re-arms its own function and may run for as long as the process: nothing in this file calls .cancel(). (A weaker suspicion than a warning: check whether a condition stops it.)',
        fixes: rearmingTimerFixes(context, call),
      },
    });
  }
  return found;
}

/** Timer's `function` (second argument or keyword), call_later's and call_at's callback (second argument). */
function pythonCallback(call: Node): Node | undefined {
  const args = namedChildren(field(call, 'arguments') ?? call);
  const keyword = args.find((arg) => arg.type === 'keyword_argument' && field(arg, 'name')?.text === 'function');
  return keyword ? field(keyword, 'value') : args.filter((arg) => arg.type !== 'keyword_argument' && arg.type !== 'comment')[1];
}

function enclosingFunctions(context: RuleContext, node: Node): Node[] {
  const chain: Node[] = [];
  for (let fn = enclosingFunctionOf(context, node); fn; fn = enclosingFunctionOf(context, fn)) chain.push(fn);
  return chain;
}

function jsFunctionName(fn: Node): string {
  return fn.type === 'method_definition' ? methodNameOf(fn) : functionNameOf(fn);
}

/** The callback names one of the functions (`tick`, `this.tick`, `self.tick`, a lambda calling it): it runs that function again. */
function callsAnyOf(callback: Node, functionNames: readonly string[], receiver: string): boolean {
  const named = functionNames.filter((name) => name !== '');
  if (named.length === 0) return false;
  const pattern = new RegExp(`(?<![\\w$.])(?:${receiver}\\s*\\.\\s*)?(?:${named.map(escapeRegExp).join('|')})(?![\\w$])`);
  return pattern.test(callback.text);
}
