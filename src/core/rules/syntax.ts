// One pass over a parse tree: the nodes the rules ask for, bucketed by type, and a copy of the
// text with comments and string contents blanked, so rules can search for evidence in code
// (a `del cache[...]`, a `clearInterval(timer)`) without being fooled by prose.
import type { Node, Tree } from 'web-tree-sitter';
import { NameOccurrences } from './references';
import { insertLinesAfter, SourceText } from './text';
import { TextEdit } from './types';

export interface IndexSpec {
  /** Node types collected into buckets. */
  collect: ReadonlySet<string>;
  /** Node types whose text is blanked in `code` (comments, strings). */
  blank: ReadonlySet<string>;
}

export class SyntaxIndex {
  private readonly buckets = new Map<string, Node[]>();
  /** The text with comments and string contents replaced by spaces; offsets match the text. */
  readonly code: string;
  private readonly root: Node;

  constructor(tree: Tree, text: string, spec: IndexSpec) {
    // One query in the wasm side (descendantsOfType) costs far less than walking every node
    // with a cursor from JavaScript.
    this.root = tree.rootNode;
    for (const type of spec.collect) this.bucket(type);
    const blanks: Array<[number, number]> = [];
    for (const node of this.root.descendantsOfType([...new Set([...spec.collect, ...spec.blank])])) {
      if (!node) continue;
      // Through typeOf: the rules read these nodes' types again.
      const type = typeOf(node);
      if (spec.collect.has(type)) this.bucket(type).push(node);
      if (spec.blank.has(type)) blanks.push([node.startIndex, node.endIndex]);
    }
    this.code = blankRanges(text, blanks.sort((a, b) => a[0] - b[0]));
  }

  private occurrences: NameOccurrences | undefined;

  /** Where each name occurs in `code`, built on first use. */
  get names(): NameOccurrences {
    this.occurrences ??= new NameOccurrences(this.code);
    return this.occurrences;
  }

  /**
   * The nodes of a type, in document order. Types the rules declared come from the shared pass;
   * another costs a walk of its own, once per scan (declare it in the rule's `collect` instead).
   */
  nodes(type: string): readonly Node[] {
    let nodes = this.buckets.get(type);
    if (!nodes) this.buckets.set(type, (nodes = this.root.descendantsOfType(type).filter((node): node is Node => node !== null)));
    return nodes;
  }

  /** The blanked code of a node's span. */
  codeOf(node: Node): string {
    return this.code.slice(node.startIndex, node.endIndex);
  }

  private bucket(type: string): Node[] {
    let list = this.buckets.get(type);
    if (!list) this.buckets.set(type, (list = []));
    return list;
  }
}

/** Blanks each range but its first and last character (quotes stay), keeping line breaks. */
function blankRanges(text: string, ranges: ReadonlyArray<[number, number]>): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end - start < 2) continue;
    parts.push(text.slice(at, start + 1), text.slice(start + 1, end - 1).replace(/[^\r\n]/g, ' '));
    at = end - 1;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

export function* ancestors(node: Node): Generator<Node> {
  for (let current = parentOf(node); current; current = parentOf(current)) yield current;
}

export function closest(node: Node, types: ReadonlySet<string>): Node | undefined {
  for (const ancestor of ancestors(node)) if (types.has(typeOf(ancestor))) return ancestor;
  return undefined;
}

/** True when a node lies inside (or is) an ERROR node, or was inserted to recover (MISSING). */
export function isInsideError(node: Node): boolean {
  if (node.isError || node.isMissing) return true;
  for (const ancestor of ancestors(node)) if (ancestor.isError) return true;
  return false;
}

/**
 * What the rules read of a node, kept on the Node object: each read crosses into wasm (and a
 * field or parent read builds a new Node), and the rules read the same things of the same nodes
 * over and over (on a 4 MB TS file, 2.1 million field reads, 1.2 million of them again on the
 * same Node object; 2.9 million type reads, 2.2 million again). A child or parent kept is the
 * same object on every read, so reads through it are kept too. One object per node, of one
 * shape, so Node objects take one more shape, not one per mix of reads.
 */
class NodeReads {
  /**
   * Field names and what they read, in turns (`['function', node, 'arguments', node]`): a node has
   * a few fields, and a short list costs less memory (so less garbage collection) than a Map.
   */
  fields: Array<string | Node | null> | undefined = undefined;
  type: string | undefined = undefined;
  text: string | undefined = undefined;
  parent: Node | null | undefined = undefined;
}

const READS = Symbol('nodeReads');

interface WithReads {
  [READS]?: NodeReads;
}

function readsOf(node: Node): NodeReads {
  return ((node as WithReads)[READS] ??= new NodeReads());
}

export function field(node: Node, name: string): Node | undefined {
  const reads = readsOf(node);
  const fields = (reads.fields ??= []);
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return (fields[i + 1] as Node | null) ?? undefined;
  const child = node.childForFieldName(name);
  fields.push(name, child);
  return child ?? undefined;
}

/** The node's type, read once per Node object (`node.type` asks wasm each time): for hot readers. */
export function typeOf(node: Node): string {
  const reads = readsOf(node);
  return (reads.type ??= node.type);
}

/** The node's text, read once per Node object (`node.text` asks wasm for its end each time): for hot readers. */
export function textOf(node: Node): string {
  const reads = readsOf(node);
  return (reads.text ??= node.text);
}

/** The text of a node's field (`fieldText(call, 'function')`), read once per Node object. */
export function fieldText(node: Node, name: string): string | undefined {
  const child = field(node, name);
  return child ? textOf(child) : undefined;
}

/** The node's parent, read once per Node object: ancestor walks from the same node share their Nodes. */
export function parentOf(node: Node): Node | null {
  const reads = readsOf(node);
  if (reads.parent === undefined) reads.parent = node.parent;
  return reads.parent;
}

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

export function startOf(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row, column: node.startPosition.column };
}

export function endOf(node: Node): { line: number; column: number } {
  return { line: node.endPosition.row, column: node.endPosition.column };
}

export function sameNode(a: Node, b: Node): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

export function nodeRange(node: Node): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: node.startPosition.row, startColumn: node.startPosition.column, endLine: node.endPosition.row, endColumn: node.endPosition.column };
}

/**
 * The first use in source order that `accepts`, or the one on a line a live probe named. Uses
 * are tested in that order and only until one is picked: a container's first growth is asked
 * for, not all of them.
 */
export function pickUse(uses: readonly Node[], evidenceLines: ReadonlySet<number>, accepts: (use: Node) => boolean = () => true): Node | undefined {
  const sorted = [...uses].sort((a, b) => a.startIndex - b.startIndex);
  const observed = evidenceLines.size > 0 ? sorted.find((use) => evidenceLines.has(use.startPosition.row) && accepts(use)) : undefined;
  return observed ?? sorted.find(accepts);
}

/** Nodes grouped by a key (e.g. the text of the object a method is called on); undefined keys are dropped. */
export function groupBy(nodes: readonly Node[], keyOf: (node: Node) => string | undefined): Map<string, Node[]> {
  const groups = new Map<string, Node[]>();
  for (const node of nodes) {
    const key = keyOf(node);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(node);
    else groups.set(key, [node]);
  }
  return groups;
}

/** Code text without whitespace, `!` non-null marks or optional chaining: `this.cache` however written. */
export function normalizeRef(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!(?=\.|$)/g, '');
}

/** A call's receiver and method: `a.b.m(…)` gives `a.b` and `m`; a plain `m(…)` gives '' and `m`. */
export function methodCallOf(call: Node): { receiver: string; method: string } | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') return { receiver: '', method: callee.text };
  if (!callee || (callee.type !== 'attribute' && callee.type !== 'member_expression')) return undefined;
  const text = normalizeRef(callee.text);
  const dot = text.lastIndexOf('.');
  return dot < 0 ? undefined : { receiver: text.slice(0, dot), method: text.slice(dot + 1) };
}

/** For `a.b.method(...)` with `method` in the set: `a.b`. */
export function methodReceiver(call: Node, methods: ReadonlySet<string>): string | undefined {
  const callee = field(call, 'function');
  const type = callee ? typeOf(callee) : undefined;
  if (!callee || (type !== 'attribute' && type !== 'member_expression')) return undefined;
  const text = callee.text;
  const dot = text.lastIndexOf('.');
  if (dot < 0 || !methods.has(text.slice(dot + 1).trim())) return undefined;
  return normalizeRef(text.slice(0, dot));
}

/**
 * Uses grouped by the container they touch, from the table of all of them (each group in
 * document order), cut to `scope` by binary search: `this.items` of one class is not another's.
 */
export function usesOf(table: ReadonlyMap<string, Node[]>, access: readonly string[], scope?: Node): Node[] {
  return access.flatMap((key) => {
    const uses = table.get(key) ?? [];
    return scope ? nodesWithin(uses, scope) : uses;
  });
}

/** The nodes of a document-ordered list that start inside `scope`, by binary search. */
export function nodesWithin(nodes: readonly Node[], scope: Node): Node[] {
  const result: Node[] = [];
  for (let i = firstAtOrAfter(nodes, scope.startIndex); i < nodes.length && nodes[i]!.startIndex < scope.endIndex; i++) result.push(nodes[i]!);
  return result;
}

function firstAtOrAfter(nodes: readonly Node[], offset: number): number {
  let low = 0;
  let high = nodes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (nodes[mid]!.startIndex < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The statement (a direct child of a node of one of `parents`' types) that holds a node. */
export function statementWithin(node: Node, parents: ReadonlySet<string>): Node | undefined {
  let current: Node | null = node;
  while (current && current.parent && !parents.has(current.parent.type)) current = current.parent;
  return current?.parent ? current : undefined;
}

/** A statement alone on its lines (a trailing `comment` allowed): new lines can go right after it. */
export function statementStandsAlone(statement: Node, parents: ReadonlySet<string>, source: SourceText, comment: string): boolean {
  if (!statement.parent || !parents.has(statement.parent.type)) return false;
  return (
    source.startsLine(statement.startPosition.row, statement.startPosition.column) &&
    source.endsLine(statement.endPosition.row, statement.endPosition.column, comment)
  );
}

/** New lines right after a statement, at its indentation. */
export function linesAfterStatement(source: SourceText, statement: Node, lines: readonly string[]): TextEdit {
  return insertLinesAfter(source, statement.endPosition.row, source.indentOf(statement.startPosition.row), lines);
}
