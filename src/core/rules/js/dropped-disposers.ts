// handler-not-cleared (JS/TS), the wrapped shape: a class's subscribe method adds the listener it
// is given and hands back the function that removes it (`onReady(fn) { this.on('ready', fn);
// return () => this.off('ready', fn) }`). A member that runs more than once (a method called
// again, or a set-up method the class hands to a timer or an event to run again, as a reconnect
// hands `this.connect` to `setTimeout`) calls it and drops what it hands back: nothing can remove
// those listeners any more, and each run leaves one more, holding what its closure holds.
import type { Node } from 'web-tree-sitter';
import { freshName } from '../fixes';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren, nodeRange } from '../syntax';
import { CodeFix } from '../types';
import { LISTENER_REMOVERS } from './lifecycle';
import { calleeName, FUNCTION_VALUES, functionChain } from './syntax';

const ADDERS = new Set(['on', 'addListener', 'prependListener', 'addEventListener']);
/** Members that run once per instance unless the class runs them again. */
const SET_UP = /^(constructor|init|initiali[sz]e|setup|start|connect|open|listen|activate|bootstrap|mount|attach)$/;

interface Member {
  name: string;
  /** The function that runs: a method, or the function a field holds (`connect = async () => {…}`). */
  fn: Node;
}

export function droppedDisposerRegistrations(context: RuleContext): Detection[] {
  const detections: Detection[] = [];
  const withRemovers = classBodiesCallingRemovers(context);
  for (const body of context.index.nodes('class_body')) {
    if (!withRemovers.has(body.id)) continue; // no remover call: no member can hand one back
    const members = membersOf(body);
    const subscribers = new Set(members.filter((member) => returnsItsRemover(member.fn)).map((member) => member.name));
    if (subscribers.size === 0) continue;
    for (const call of body.descendantsOfType('call_expression')) {
      const subscriber = call ? thisMethodCalled(call) : undefined;
      if (!call || !subscriber || !subscribers.has(subscriber) || !dropsResult(call)) continue;
      const member = members.find((candidate) => functionChain(call).some((fn) => fn.id === candidate.fn.id));
      if (!member || member.name === subscriber || !runsAgain(member, body)) continue;
      detections.push({
        anchor: call,
        scope: context.root,
        message: `\`${member.name}\` runs more than once, and each run registers a listener through \`${subscriber}\`, which hands back the function that removes it; the call drops it, so the listeners pile up, each holding what it closes over.`,
        fixes: keepRemoverFix(context, call, subscriber),
      });
    }
  }
  return detections;
}

/** The class bodies around a call of a listener remover (`off`, `removeListener`…), read once from the index. */
function classBodiesCallingRemovers(context: RuleContext): Set<number> {
  const bodies = new Set<number>();
  for (const call of context.index.nodes('call_expression')) {
    if (!LISTENER_REMOVERS.includes(calleeName(call))) continue;
    for (let node = call.parent; node; node = node.parent) if (node.type === 'class_body') bodies.add(node.id);
  }
  return bodies;
}

/** Methods, and fields holding a function, by name. */
function membersOf(body: Node): Member[] {
  return namedChildren(body).flatMap((node): Member[] => {
    if (node.type === 'method_definition') return [{ name: field(node, 'name')?.text ?? '', fn: node }];
    const value = field(node, 'value');
    return (node.type === 'public_field_definition' || node.type === 'field_definition') && value && FUNCTION_VALUES.has(value.type) ? [{ name: field(node, 'name')?.text ?? field(node, 'property')?.text ?? '', fn: value }] : [];
  });
}

/** The method adds a parameter as a listener and returns a function that removes it. */
function returnsItsRemover(fn: Node): boolean {
  const parameters = new Set((field(fn, 'parameters')?.descendantsOfType('identifier') ?? []).map((id) => id?.text));
  const body = field(fn, 'body');
  if (!body) return false;
  const adds = body.descendantsOfType('call_expression').some((call) => call !== null && ADDERS.has(calleeName(call)) && namedChildren(field(call, 'arguments') ?? call).some((argument) => parameters.has(argument.text)));
  if (!adds) return false;
  return body.descendantsOfType('return_statement').some((statement) => {
    const value = statement?.namedChild(0);
    return value !== null && value !== undefined && FUNCTION_VALUES.has(value.type) && value.descendantsOfType('call_expression').some((call) => call !== null && LISTENER_REMOVERS.includes(calleeName(call)));
  });
}

/** `name` for `this.name(…)`. */
function thisMethodCalled(call: Node): string | undefined {
  const callee = field(call, 'function');
  return callee?.type === 'member_expression' && field(callee, 'object')?.type === 'this' ? field(callee, 'property')?.text : undefined;
}

/**
 * Nothing keeps the call's value: a statement of its own, or the body of an arrow handed to
 * `new Promise(…)`, whose executor's return value the promise ignores.
 */
function dropsResult(call: Node): boolean {
  const parent = call.parent;
  if (parent?.type === 'expression_statement') return true;
  if (parent?.type !== 'arrow_function' || field(parent, 'body')?.id !== call.id) return false;
  const creation = parent.parent?.parent;
  return creation?.type === 'new_expression' && field(creation, 'constructor')?.text === 'Promise';
}

/**
 * A member other than set-up runs as often as it is called; a set-up member runs again when the
 * class calls it (`this.connect()`) or hands it on to be called (`setTimeout(this.connect, t)`)
 * from any member but the constructor.
 */
function runsAgain(member: Member, body: Node): boolean {
  if (!SET_UP.test(member.name)) return member.name !== '';
  return body.descendantsOfType('member_expression').some((use) => {
    if (!use || field(use, 'object')?.type !== 'this' || field(use, 'property')?.text !== member.name) return false;
    if (functionChain(use).some((fn) => fn.id === member.fn.id)) return false;
    const constructor = functionChain(use).find((fn) => fn.type === 'method_definition' && field(fn, 'name')?.text === 'constructor');
    return constructor === undefined && (use.parent?.type === 'call_expression' || use.parent?.type === 'arguments');
  });
}

/** Keep the remover on the instance and call the previous one first: `(this.offReady?.(), this.offReady = this.onReady(res))`. */
function keepRemoverFix(context: RuleContext, call: Node, subscriber: string): CodeFix[] {
  const name = freshName(context.index.code, `off${subscriber.charAt(0).toUpperCase()}${subscriber.slice(1)}`);
  const text = `(this.${name}?.(), this.${name} = ${call.text})`;
  return [{ title: `Keep what ${subscriber} hands back and remove the previous listener first (this.${name})`, isPreferred: true, edits: [{ range: nodeRange(call), newText: text }] }];
}
