// Where a round of work frees its big objects: the last `del` of large-looking names in a loop
// or in a round/epoch/trial function. missing-gc-after-free, malloc-trim and cuda-cache all
// anchor there and differ in what the cleanup is missing.
import type { Node } from 'web-tree-sitter';
import { isTensorName, ROUND_FUNCTION } from '../hints';
import { RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { enclosingFunction, enclosingLoop, functionName, insertAfterStatement, standsAlone } from './syntax';
import { TextEdit } from '../types';

export interface FreeSite {
  del: Node;
  /** The function (or, at module level, the loop) whose cleanup this is. */
  scope: Node;
  names: string[];
}

/**
 * With `clears`, emptying a container in place (`updates.clear()` as a statement) frees a round's
 * data too; it needs the `call` nodes collected.
 */
export function freeSites(context: RuleContext, isBig: (name: string) => boolean, options: { clears?: boolean } = {}): FreeSite[] {
  const lastByScope = new Map<number, FreeSite>();
  const clears = options.clears ? context.index.nodes('call').flatMap(clearStatement) : [];
  for (const del of [...context.index.nodes('delete_statement'), ...clears]) {
    const freed = del.type === 'delete_statement' ? deletedNames(del) : clearedNames(del);
    const observed = context.evidenceLines.has(del.startPosition.row);
    if (freed.length === 0 || (!observed && !freed.some(isBig))) continue;
    const fn = enclosingFunction(del);
    const loop = enclosingLoop(del);
    const roundy = loop !== undefined || (fn !== undefined && ROUND_FUNCTION.test(functionName(fn)));
    const scope = fn ?? loop;
    if (!roundy || !scope) continue;
    // The last free of the round is where its cleanup belongs, unless a probe named another.
    const previous = lastByScope.get(scope.id);
    const previousObserved = previous !== undefined && context.evidenceLines.has(previous.del.startPosition.row);
    if (!previous || (!previousObserved && (observed || previous.del.startIndex < del.startIndex))) lastByScope.set(scope.id, { del, scope, names: freed });
  }
  return [...lastByScope.values()];
}

/** `x.clear()` / `self.x.clear()` standing as a statement: the statement. */
function clearStatement(call: Node): Node[] {
  const callee = field(call, 'function');
  const statement = call.parent;
  if (callee?.type !== 'attribute' || field(callee, 'attribute')?.text !== 'clear' || statement?.type !== 'expression_statement') return [];
  if (namedChildren(field(call, 'arguments') ?? call).length > 0) return [];
  return [statement];
}

/** The container a `x.clear()` statement empties (the last segment of `self.updates`). */
function clearedNames(statement: Node): string[] {
  const callee = field(statement.namedChild(0) ?? statement, 'function');
  const target = callee ? field(callee, 'object') : undefined;
  if (target?.type === 'identifier') return [target.text];
  if (target?.type === 'attribute') return [field(target, 'attribute')?.text ?? ''].filter(Boolean);
  return [];
}

/** Names a `del` drops (the last segment of `self.model`); subscripts (`del d[k]`) free entries, not objects. */
function deletedNames(del: Node): string[] {
  const target = del.namedChild(0);
  if (!target) return [];
  const targets = target.type === 'expression_list' ? namedChildren(target) : [target];
  return targets.flatMap((t) => {
    if (t.type === 'identifier') return [t.text];
    if (t.type === 'attribute') return [field(t, 'attribute')?.text ?? ''];
    return [];
  }).filter(Boolean);
}

/**
 * True when the scope's code matches, or calls a function of this file whose code matches
 * (a `cleanup_gpu_memory()` helper counts as the cleanup it contains).
 */
export function runsInScope(context: RuleContext, scope: Node, pattern: RegExp): boolean {
  const code = context.index.codeOf(scope);
  if (pattern.test(code)) return true;
  for (const fn of context.index.nodes('function_definition')) {
    const name = functionName(fn);
    if (name && new RegExp(`\\b${name}\\s*\\(`).test(code) && pattern.test(context.index.codeOf(fn))) return true;
  }
  return false;
}

export const GC_COLLECT = /\bgc\s*\.\s*collect\s*\(/;

/** Lines inserted right after the `del` (or after the statement given), at its indentation. */
export function insertAfter(context: RuleContext, statement: Node, lines: readonly string[]): TextEdit | undefined {
  if (!standsAlone(statement, context.source)) return undefined;
  return insertAfterStatement(context.source, statement, lines);
}

/** The first `gc.collect()` statement after the `del` in the same block, where a trim belongs. */
export function collectAfter(del: Node): Node | undefined {
  for (let next = del.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'expression_statement' && GC_COLLECT.test(next.text)) return next;
  }
  return undefined;
}

/** The file imports torch and mentions CUDA (`.cuda()`, `torch.cuda`, `device="cuda"`). */
export function usesCuda(context: RuleContext): boolean {
  const importsTorch = namedChildren(context.root).some((statement) => {
    if (statement.type === 'import_statement') return statement.childrenForFieldName('name').some((n) => /^torch\b/.test(n?.text ?? ''));
    if (statement.type === 'import_from_statement') return /^torch\b/.test(field(statement, 'module_name')?.text ?? '');
    return false;
  });
  return importsTorch && /cuda/.test(context.source.text);
}

/**
 * A training step dropping its tensors: refcounting frees them at once (no cycles), the memory
 * is the CUDA allocator's, and a gc.collect() per step would only slow training. cuda-cache
 * covers it; the host-memory rules stay quiet.
 */
export function isTensorCleanup(context: RuleContext, site: FreeSite): boolean {
  return usesCuda(context) && site.names.every((name) => isTensorName(name));
}
