// The DOM matches a removal to a listener by event, function and capture flag (the DOM
// standard's "remove an event listener"): a listener added with `{ capture: true }` (or `true`)
// and removed without it, or the other way round, stays on its target, and the removal takes
// nothing back. Other emitters (`on`/`off`) have no capture flag.
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../syntax';
import { CodeFix } from '../types';
import { calleeName } from './syntax';

function argumentsOf(call: Node): Node[] {
  return namedChildren(field(call, 'arguments') ?? call).filter((argument) => argument.type !== 'comment');
}

/** The capture flag a DOM add or remove passes: false without options; undefined when the code does not spell it out (a variable, a spread). */
export function captureFlag(call: Node): boolean | undefined {
  const options = argumentsOf(call)[2];
  return options ? flagOf(options) : false;
}

function flagOf(value: Node): boolean | undefined {
  const text = value.text.replace(/\s+/g, '');
  if (value.type === 'true' || text === '!0') return true;
  if (value.type === 'false' || value.type === 'null' || value.type === 'undefined' || text === '!1' || text === 'void0') return false;
  if (value.type !== 'object') return undefined;
  const members = namedChildren(value).filter((member) => member.type !== 'comment');
  // `{ ...options }` or a shorthand `{ capture }`: the flag is not written here.
  if (members.some((member) => member.type !== 'pair')) return undefined;
  const capture = members.find((member) => field(member, 'key')?.text.replace(/^['"]|['"]$/g, '') === 'capture');
  const flag = capture ? field(capture, 'value') : undefined;
  return capture ? (flag ? flagOf(flag) : undefined) : false;
}

/** `removeEventListener` given another capture flag than its `addEventListener`: it removes nothing. */
export function captureDiffers(add: Node, removal: Node): boolean {
  if (calleeName(add) !== 'addEventListener' || calleeName(removal) !== 'removeEventListener') return false;
  const added = captureFlag(add);
  const removed = captureFlag(removal);
  return added !== undefined && removed !== undefined && added !== removed;
}

/** Give the removal the options the listener was added with (or none), so it matches. */
export function sameCaptureFix(add: Node, removal: Node): CodeFix | undefined {
  const options = argumentsOf(add)[2];
  const [, handler, removedOptions, ...more] = argumentsOf(removal);
  if (!handler || more.length > 0) return undefined;
  const end = (removedOptions ?? handler).endPosition;
  const range = { startLine: handler.endPosition.row, startColumn: handler.endPosition.column, endLine: end.row, endColumn: end.column };
  const title = options ? `Remove the listener with the options it was added with (${options.text})` : 'Remove the listener without a capture flag, as it was added';
  return { title, isPreferred: true, edits: [{ range, newText: options ? `, ${options.text}` : '' }] };
}
