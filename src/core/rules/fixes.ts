// Edit builders shared by both languages' fixes.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from './rule';
import { endOf, namedChildren, startOf } from './syntax';
import { insertAt, replaceRange } from './text';
import { CodeFix, Finding, TextEdit } from './types';

const PYTHON_STRINGS = ['string'];
const JS_STRINGS = ['template_string'];

/** `, a, b` after the last argument of a call (works with a trailing comma too). */
export function appendArguments(argumentList: Node, texts: readonly string[]): TextEdit {
  const last = namedChildren(argumentList).filter((child) => child.type !== 'comment').at(-1);
  if (!last) return insertAt({ line: argumentList.startPosition.row, column: argumentList.startPosition.column + 1 }, texts.join(', '));
  return insertAt(endOf(last), ', ' + texts.join(', '));
}

/** Removes one argument and the comma that separates it from its neighbour. */
export function removeArgument(argumentList: Node, argument: Node): TextEdit {
  const args = namedChildren(argumentList).filter((child) => child.type !== 'comment');
  const at = args.findIndex((a) => a.startIndex === argument.startIndex);
  const next = args[at + 1];
  const previous = args[at - 1];
  if (next) return replaceRange(startOf(argument), startOf(next), '');
  if (previous) return replaceRange(endOf(previous), endOf(argument), '');
  return replaceRange(startOf(argument), endOf(argument), '');
}

/** Lines whose start lies inside a multi-line string: re-indenting them would change the string. */
function linesInsideStrings(block: Node, types: readonly string[]): Set<number> {
  const lines = new Set<number>();
  for (const node of block.descendantsOfType([...types])) {
    if (!node) continue;
    for (let line = node.startPosition.row + 1; line <= node.endPosition.row; line++) lines.add(line);
  }
  return lines;
}

/**
 * Wraps the statements after `statement` (to the end of its block) in `try` / `finally` with
 * `cleanup` in the `finally`, so the cleanup runs however the function leaves. Undefined when
 * nothing follows the statement or the block's layout does not allow a clean rewrite.
 */
export function wrapRestInTryFinally(context: RuleContext, statement: Node, cleanup: readonly string[]): TextEdit | undefined {
  const python = context.language === 'python';
  const source = context.source;
  const block = statement.parent;
  if (!block) return undefined;
  // A trailing comment on the statement's own line stays where it is.
  const following = namedChildren(block).filter((n) => n.startIndex >= statement.endIndex && n.startPosition.row > statement.endPosition.row);
  const lastCode = following.filter((n) => n.type !== 'comment').at(-1);
  const first = following[0];
  if (!first || !lastCode) return undefined;
  const last = following.filter((n) => n.endIndex <= lastCode.endIndex).at(-1) ?? lastCode;
  if (!source.endsLine(last.endPosition.row, last.endPosition.column, python ? '#' : '//')) return undefined;
  const indent = source.indentOf(statement.startPosition.row);
  const unit = source.indentUnit(python ? '    ' : '  ');
  const firstLine = statement.endPosition.row + 1;
  const lastLine = last.endPosition.row;
  const frozen = linesInsideStrings(block, python ? PYTHON_STRINGS : JS_STRINGS);
  const body: string[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    const text = source.lineText(line);
    body.push(text.trim() === '' || frozen.has(line) ? text : unit + text);
  }
  const eol = source.eol;
  const inner = cleanup.map((l) => indent + unit + l).join(eol);
  const newText = python
    ? [indent + 'try:', ...body, indent + 'finally:', inner].join(eol)
    : [indent + 'try {', ...body, indent + '} finally {', inner, indent + '}'].join(eol);
  return replaceRange({ line: firstLine, column: 0 }, source.lineEnd(lastLine), newText);
}

/** A name not yet used anywhere in the code: `base`, `base2`, `base3`… */
export function freshName(code: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    if (!new RegExp(`\\b${name}\\b`).test(code)) return name;
  }
}

export function indentUnitFor(context: RuleContext): string {
  return context.source.indentUnit(context.language === 'python' ? '    ' : '  ');
}

/** The fix to apply when only one is wanted: the preferred one, else the first. */
export function preferredFix(finding: Finding): CodeFix | undefined {
  return finding.fixes.find((fix) => fix.isPreferred) ?? finding.fixes[0];
}
