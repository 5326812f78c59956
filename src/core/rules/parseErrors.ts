// Where a parse went wrong, and whether a detection's evidence could have come from there.
// tree-sitter recovers from a syntax error by wrapping the tokens it could not place in an ERROR
// node (or putting in a zero-width MISSING token) and parsing the rest as usual, so one line the
// grammar misreads need not silence every rule that reads the whole file. A detection is dropped
// only when a broken span could hold its evidence: the span is in the function (or top-level
// statement) the finding sits in, or it names something the finding's line names (a removal of
// that listener, an eviction from that map would have to).
import type { Node } from 'web-tree-sitter';
import { ancestors, isInsideError } from './syntax';

/** The outermost ERROR nodes and the MISSING tokens of a tree, in document order. */
export function parseErrorSpans(root: Node): Node[] {
  const spans: Node[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      spans.push(node);
      return;
    }
    for (const child of node.children) if (child && (child.hasError || child.isMissing)) visit(child);
  };
  if (root.hasError) visit(root);
  return spans;
}

export interface EvidenceSpan {
  /** Where the finding sits. */
  anchor: Node;
  /** The span its evidence was read from. */
  scope: Node;
}

/**
 * True when no broken span could hold evidence for or against the detection. `code` is the text
 * with comments and strings blanked (offsets match), so a name in prose does not count.
 */
export function clearOfParseErrors(detection: EvidenceSpan, spans: readonly Node[], code: string): boolean {
  if (isInsideError(detection.anchor)) return false;
  if (!detection.scope.hasError) return true;
  const home = homeOf(detection.anchor);
  const names = namesOnFirstLine(detection.anchor, code);
  return !spans.some((span) => within(span, detection.scope) && (overlaps(span, home) || mentionsAny(code.slice(span.startIndex, span.endIndex), names)));
}

const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'generator_function_declaration',
  'generator_function',
  'arrow_function',
  'method_definition',
  'function_definition',
  'lambda',
]);

/** The innermost function holding the node, else its top-level statement: local evidence comes from there. */
function homeOf(node: Node): Node {
  let topLevel = node;
  for (const ancestor of ancestors(node)) {
    if (FUNCTION_TYPES.has(ancestor.type)) return ancestor;
    if (ancestor.parent) topLevel = ancestor;
  }
  return topLevel;
}

const NOT_NAMES: ReadonlySet<string> = new Set([
  'this', 'self', 'cls', 'function', 'const', 'let', 'var', 'new', 'return', 'def', 'lambda', 'async', 'await',
  'true', 'false', 'null', 'undefined', 'None', 'True', 'False', 'if', 'else', 'for', 'while', 'in', 'of', 'and', 'or', 'not',
]);

function namesOnFirstLine(anchor: Node, code: string): Set<string> {
  const lineEnd = code.indexOf('\n', anchor.startIndex);
  const end = lineEnd < 0 ? anchor.endIndex : Math.min(anchor.endIndex, lineEnd);
  return new Set(identifiers(code.slice(anchor.startIndex, end)).filter((name) => !NOT_NAMES.has(name)));
}

function identifiers(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$]*/g) ?? [];
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  return identifiers(text).some((name) => names.has(name));
}

function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Overlap of byte ranges; a zero-width MISSING token overlaps the span it sits in. */
function overlaps(span: Node, home: Node): boolean {
  if (span.startIndex === span.endIndex) return span.startIndex >= home.startIndex && span.startIndex <= home.endIndex;
  return span.startIndex < home.endIndex && span.endIndex > home.startIndex;
}
