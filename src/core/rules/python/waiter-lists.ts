// handler-not-cleared (Python), the waiter-list shape: a method that runs per request appends a
// callback to a list every instance shares (a class attribute, `waiters = []` in the class body,
// or a module-level list), and nothing in the file ever takes one out. A reset after notifying
// everyone (`cls.waiters = []`) empties the list only when an event comes: a caller that leaves
// before it (a closed connection, a cancelled wait) stays there, with all its callback holds.
import type { Node } from 'web-tree-sitter';
import { freshName, indentUnitFor } from '../fixes';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp, insertLinesAfter } from '../text';
import { CodeFix } from '../types';
import { classOfMethod, enclosingFunction, functionName, localNames, moduleLevelNames, runsOnce } from './syntax';

/** A list of callables, by its name: `waiters`, `_callbacks`, `listeners`. */
const CALLBACK_LIST = /(handler|callback|listener|hook|subscriber|waiter|observer)s$/i;
interface WaiterAppend {
  call: Node;
  fn: Node;
  /** The list's name: `waiters`. */
  name: string;
  /** How a new function reaches the list: `MessageMixin.waiters`, `_waiters`. */
  reach: string;
  callback: Node;
}

export function sharedWaiterAppends(context: RuleContext): Detection[] {
  const globals = moduleLevelNames(context.root);
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call')) {
    const append = readAppend(call, globals);
    if (!append || isTakenOut(context.index.code, append.name)) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `Each call of \`${functionName(append.fn)}\` adds a callback to \`${append.reach}\`, shared by every instance, and nothing takes one out: a caller that leaves before the list is emptied stays reachable.`,
      fixes: fixesFor(context, append),
    });
  }
  return detections;
}

function readAppend(call: Node, globals: ReadonlySet<string>): WaiterAppend | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'attribute' || field(callee, 'attribute')?.text !== 'append') return undefined;
  const list = field(callee, 'object');
  const args = namedChildren(field(call, 'arguments') ?? call);
  const callback = args[0];
  const name = list?.type === 'attribute' ? field(list, 'attribute')?.text : list?.text;
  if (!list || !name || args.length !== 1 || !callback || !CALLBACK_LIST.test(name) || !isCallableValue(callback)) return undefined;
  const fn = enclosingFunction(call);
  if (!fn || runsOnce(fn)) return undefined;
  const reach = sharedReach(list, name, fn, globals);
  return reach ? { call, fn, name, reach, callback } : undefined;
}

/** A name, a bound method or a lambda: what a caller hands in to be called back. */
function isCallableValue(node: Node): boolean {
  return node.type === 'identifier' || node.type === 'lambda' || (node.type === 'attribute' && field(node, 'object')?.text === 'self');
}

/**
 * How code outside the method reaches the list, when every instance shares it: a module-level
 * list (`_waiters`), or a list declared in the class body reached through `self`, `cls`, the
 * class's name or a local bound to it (`cls = MessageMixin`).
 */
function sharedReach(list: Node, name: string, fn: Node, globals: ReadonlySet<string>): string | undefined {
  if (list.type === 'identifier') return globals.has(name) && !localNames(fn).has(name) ? name : undefined;
  const owner = field(list, 'object');
  const cls = classOfMethod(fn);
  const className = cls ? field(cls, 'name')?.text : undefined;
  if (owner?.type !== 'identifier' || !cls || !className || !declaresList(cls, name)) return undefined;
  const bound = new RegExp(`^\\s*${escapeRegExp(owner.text)}\\s*=\\s*${escapeRegExp(className)}\\s*$`, 'm');
  const reachesClass = ['self', 'cls', className].includes(owner.text) || bound.test(field(fn, 'body')?.text ?? '');
  return reachesClass ? `${className}.${name}` : undefined;
}

/** `waiters = []` directly in the class body. */
function declaresList(cls: Node, name: string): boolean {
  return namedChildren(field(cls, 'body') ?? cls).some((statement) => {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    return assignment?.type === 'assignment' && field(assignment, 'left')?.text === name && field(assignment, 'right')?.type === 'list';
  });
}

/** A removal of one entry anywhere in the file: `.remove(`, `.discard(`, `.pop(`, `del …waiters[`. */
function isTakenOut(code: string, name: string): boolean {
  const n = escapeRegExp(name);
  return new RegExp(`\\b${n}\\s*\\.\\s*(?:remove|discard|pop)\\s*\\(|\\bdel\\s+[\\w.]*\\b${n}\\s*\\[`).test(code);
}

/**
 * A function next to the one that appends, taking the callback back: the caller's disconnect or
 * cancel path calls it (the fix of the chat demo this shape was seen in).
 */
function fixesFor(context: RuleContext, append: WaiterAppend): CodeFix[] {
  const holder = append.fn.parent?.type === 'decorated_definition' ? append.fn.parent : append.fn;
  const indent = context.source.indentOf(holder.startPosition.row);
  const unit = indentUnitFor(context);
  const method = classOfMethod(append.fn) !== undefined;
  const name = freshName(context.index.code, `cancel_${functionName(append.fn)}`);
  const parameter = append.callback.type === 'identifier' ? append.callback.text : 'callback';
  const lines = [
    '',
    `def ${name}(${method ? 'self, ' : ''}${parameter}):`,
    `${unit}"""Takes back what ${functionName(append.fn)} added: call it when its caller goes away."""`,
    `${unit}if ${parameter} in ${append.reach}:`,
    `${unit}${unit}${append.reach}.remove(${parameter})`,
  ];
  return [{ title: `Add ${name}() to take the callback back when its caller leaves`, isPreferred: true, edits: [insertLinesAfter(context.source, holder.endPosition.row, indent, lines)] }];
}
