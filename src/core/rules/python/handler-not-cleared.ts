// handler-not-cleared (Python): a method that runs every round registers a fresh closure on a
// long-lived object (`self.server.set_message_handler(K, handle)`, `self.handlers[k] = fn`) and
// nothing in the file ever clears it: the closure, and the round's data it captured, stay. Also
// bound methods subscribed to a module-level bus and never unsubscribed (bound-handlers.ts), and
// handlers added to a process-wide logger per instance or call (logger-handlers.ts), and
// callbacks appended to a list every instance shares and never taken out (waiter-lists.ts).
import type { Node } from 'web-tree-sitter';
import { wrapRestInTryFinally } from '../fixes';
import { boundMethodSubscriptions } from './bound-handlers';
import { loggerHandlerAdds } from './logger-handlers';
import { sharedWaiterAppends } from './waiter-lists';
import { Detection, Rule, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp } from '../text';
import { CodeFix, TextEdit } from '../types';
import { classOfMethod, enclosingFunction, freshClosure, functionName, localNames, madeEarlierIn, moduleLevelNames, rootName, runsOnce, statementOf } from './syntax';

const SETTER = /^set_\w*(handler|callback|listener|hook)$/;
const REGISTRY = /(handler|callback|listener|hook|subscriber|waiter)s?$/i;

interface Registration {
  node: Node;
  fn: Node;
  /** The finally-block line that undoes it. */
  undo: string;
  /** Code patterns whose presence anywhere in the file means it is undone somewhere. */
  undone: RegExp[];
}

export const pythonHandlerNotCleared: Rule = {
  id: 'handler-not-cleared',
  family: 'python',
  collect: ['call', 'assignment'],
  detect(context) {
    const globals = moduleLevelNames(context.root);
    const registrations = [
      ...context.index.nodes('call').map((call) => setterRegistration(call, context.index.code)),
      ...context.index.nodes('assignment').map((assignment) => registryStore(assignment)),
    ];
    const detections: Detection[] = [];
    for (const registration of registrations) {
      if (!registration || !isRepeatedOnLongLived(registration, globals)) continue;
      if (registration.undone.some((pattern) => pattern.test(context.index.code)) || isFreshReceiver(context, registration)) continue;
      const detection = detectionFor(context, registration);
      if (detection) detections.push(detection);
    }
    return [...detections, ...boundMethodSubscriptions(context), ...loggerHandlerAdds(context), ...sharedWaiterAppends(context)];
  },
};

/**
 * `R.set_x_handler(key, closure)` where the closure is made in the calling function. `code` is the
 * file with string contents blanked, which is what the `undone` patterns are tested against.
 */
function setterRegistration(call: Node, code: string): Registration | undefined {
  const callee = field(call, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute')?.text ?? '' : '';
  if (!callee || !SETTER.test(method)) return undefined;
  const receiver = field(callee, 'object');
  const args = field(call, 'arguments');
  const fn = enclosingFunction(call);
  if (!receiver || !args || !fn) return undefined;
  const argList = namedChildren(args);
  const closure = argList.find((arg) => freshClosure(arg, fn) !== undefined);
  if (!closure) return undefined;
  const undoArgs = argList.map((arg) => (arg.id === closure.id ? 'None' : arg.text));
  // Patterns are matched in the blanked code, so a string key (an f-string too) is compared as
  // blanked: same quotes and length, its spaces kept exact rather than folded like code's.
  const undoPattern = argList
    .map((arg) => {
      if (arg.id === closure.id) return 'None';
      const text = escapeRegExp(code.slice(arg.startIndex, arg.endIndex));
      return arg.type === 'string' ? text : text.replace(/\s+/g, '\\s*');
    })
    .join('\\s*,\\s*');
  const r = escapeRegExp(receiver.text);
  return {
    node: call,
    fn,
    undo: `${receiver.text}.${method}(${undoArgs.join(', ')})`,
    undone: [
      // The same key set to None: another key's cleanup does not count.
      new RegExp(`\\.\\s*${method}\\s*\\(\\s*${undoPattern}\\s*\\)`),
      new RegExp(`${r}\\s*\\.\\s*(?:remove|unregister|clear|off|unsubscribe|discard|del|pop)\\w*\\s*\\(`),
      new RegExp(`${r}\\s*\\.\\s*\\w+\\s*\\.\\s*(?:clear|pop)\\s*\\(`),
    ],
  };
}

/** `R.handlers[key] = closure`. */
function registryStore(assignment: Node): Registration | undefined {
  const left = field(assignment, 'left');
  if (left?.type !== 'subscript') return undefined;
  const value = field(assignment, 'right');
  const registry = field(left, 'value');
  const key = field(left, 'subscript');
  const name = registry?.type === 'attribute' ? field(registry, 'attribute')?.text : registry?.text;
  if (!registry || !key || !value || !name || !REGISTRY.test(name)) return undefined;
  const fn = enclosingFunction(assignment);
  if (!fn || freshClosure(value, fn) === undefined) return undefined;
  const a = escapeRegExp(name);
  return {
    node: assignment,
    fn,
    undo: `${registry.text}.pop(${key.text}, None)`,
    undone: [
      new RegExp(`\\b${a}\\s*\\.\\s*(?:pop|clear|popitem)\\s*\\(`),
      new RegExp(`\\bdel\\s+[\\w.]*\\b${a}\\s*\\[`),
      new RegExp(`\\b${a}\\s*\\[[^\\]\\n]*\\]\\s*=\\s*None\\b`),
    ],
  };
}

/** `self.conn = Connection(...)` earlier in the same function: a new object, its handlers go with it. */
function isFreshReceiver(context: RuleContext, registration: Registration): boolean {
  const target = registration.node.type === 'call' ? field(field(registration.node, 'function') ?? registration.node, 'object') : field(field(registration.node, 'left') ?? registration.node, 'value');
  return target !== undefined && madeEarlierIn(context.index.code, registration.fn, registration.node, target);
}

/** Registered by a function that runs repeatedly, on an object that outlives the call. */
function isRepeatedOnLongLived(registration: Registration, globals: ReadonlySet<string>): boolean {
  if (runsOnce(registration.fn)) return false;
  const target = registration.node.type === 'call' ? field(field(registration.node, 'function') ?? registration.node, 'object') : field(registration.node, 'left');
  const root = target ? rootName(target) : undefined;
  if (!root) return false;
  if (root === 'self') return classOfMethod(registration.fn) !== undefined;
  return globals.has(root) && !localNames(registration.fn).has(root);
}

function detectionFor(context: RuleContext, registration: Registration): Detection | undefined {
  const statement = statementOf(registration.node);
  const wrap = statement ? wrapRestInTryFinally(context, statement, [registration.undo]) : undefined;
  // Registered as the function's last act, the handler is meant to outlive the call.
  if (!wrap) return undefined;
  const edits: TextEdit[] = [wrap];
  const fix: CodeFix = { title: `Clear the handler when ${functionName(registration.fn)} is done (${registration.undo})`, isPreferred: true, edits };
  return {
    anchor: registration.node,
    scope: context.root,
    message: `Each call of \`${functionName(registration.fn)}\` registers a new closure that nothing removes, so it and everything it captured stay alive.`,
    fixes: [fix],
  };
}
