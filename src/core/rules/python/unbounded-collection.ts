// unbounded-collection (Python): a long-lived list named like a record (history, samples…)
// appended to on every call and never trimmed; also keyed dicts (unbounded-cache.ts) and loggers
// named per id (logger-per-key.ts), and lists of weak references that keep their dead refs
// (weakref-lists.ts).
import type { Node } from 'web-tree-sitter';
import { isRecordName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { Rule, RuleContext } from '../rule';
import { field, groupBy, methodReceiver, nodeRange, normalizeRef, pickUse, usesOf } from '../syntax';
import { CodeFix, TextEdit } from '../types';
import { keyedDictDetections } from './unbounded-cache';
import { perKeyLoggers } from './logger-per-key';
import { sharedListsExtended } from './shared-list-growth';
import { keyedRemovalDetections } from './keyed-removals';
import { weakrefListsGrowing } from './weakref-lists';
import { appendsCallData, assignmentCount, growsPerInstance, boundsRunAsOften, calledWith, Container, declarationCount, deletedFrom, isFactoryArgument, isPythonCollection, isPythonList, isPythonSet, isRepeatedUse, isUnboundedDeque, lengthChecked, longLivedContainers, outlivesCalls } from './containers';
import { addImports, insertAfterStatement, standsAlone, statementOf } from './syntax';

const CAP = 10_000;
// A list's, a deque's and a set's ways of adding items.
const GROWING_METHODS = new Set(['append', 'extend', 'insert', 'appendleft', 'extendleft', 'add', 'update']);
const GROWING_OPERATORS = new Set(['+=', '|=']);

export const pythonUnboundedCollection: Rule = {
  id: 'unbounded-collection',
  family: 'python',
  collect: ['assignment', 'augmented_assignment', 'call', 'class_definition', 'subscript'],
  detect(context) {
    const containers = longLivedContainers(context, isPythonCollection);
    const lists = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedAppend(context, container),
      isNamedForIt: isRecordName,
      // A list has no key; what it needs is to outlive the calls that append to it.
      growsUnboundedAt: (container) => outlivesCalls(context, container),
      isKeyedByCallData: (container, append) => appendsCallData(context, container, append) || growsPerInstance(context, container, append),
      isBounded: (container) => isTrimmed(context, container, declarationCount(containers, container)),
      message: (ref) => `\`${ref}\` gains an item on every call and is never trimmed, so it grows for as long as the process runs.`,
      fixes: (container, append) => fixesFor(context, container, append),
    });
    return [...lists, ...keyedDictDetections(context), ...perKeyLoggers(context), ...sharedListsExtended(context), ...keyedRemovalDetections(context), ...weakrefListsGrowing(context)];
  },
};

function firstRepeatedAppend(context: RuleContext, container: Container): Node | undefined {
  const table = context.memo('python.listAppends', () => {
    const appends = groupBy(context.index.nodes('call'), (call) => methodReceiver(call, GROWING_METHODS));
    // `items += more` extends a list (or deque) in place and `seen |= more` updates a set: the
    // same growth as `extend` and `update`, written as an operator.
    const extended = groupBy(context.index.nodes('augmented_assignment'), (growth) => (GROWING_OPERATORS.has(field(growth, 'operator')?.text ?? '') ? normalizeRef(field(growth, 'left')?.text ?? '') : undefined));
    // Merged groups are sorted again: usesOf cuts them to a scope by position.
    for (const [key, growths] of extended) appends.set(key, [...(appends.get(key) ?? []), ...growths].sort((a, b) => a.startIndex - b.startIndex));
    return appends;
  });
  return pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, (call) => isRepeatedUse(container, call) && reachesUse(context.index.names, container, call));
}

/** Trimmed, emptied or replaced on a path that runs as often as the growth (boundsRunAsOften). */
function isTrimmed(context: RuleContext, container: Container, declarations: number): boolean {
  const names = context.index.names;
  const counts = boundsRunAsOften(context, container, firstRepeatedAppend(context, container));
  return (
    calledWith(names, container, 'pop|popleft|clear|remove|discard|difference_update|intersection_update', counts) ||
    names.anyFollowedBy(container.name, container.scope, /\s*(?:-|&)=/, ownOccurrences(container, counts)) ||
    deletedFrom(names, container, counts) ||
    names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:[^\]\n]*\]\s*=(?!=)/, ownOccurrences(container, counts)) ||
    lengthChecked(names, container, /\s*\)\s*(?:>|>=|==)/, counts) ||
    assignmentCount(names, container, counts) > declarations
  );
}

export function fixesFor(context: RuleContext, container: Container, append: Node): CodeFix[] {
  const ref = container.access[0] ?? container.name;
  const value = container.value;
  // Only a list can be sliced; a set is emptied and a deque is given a maxlen.
  if (!isPythonList(value)) return isPythonSet(value) ? clearSetFix(context, ref, append) : dequeFix(context, container, ref);
  const fixes: CodeFix[] = [];
  const sliced = context.index.names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:/, ownOccurrences(container));
  const deque = dequeFix(context, container, ref)[0];
  if (deque && !sliced) fixes.push(deque);
  const statement = statementOf(append);
  if (statement && standsAlone(statement, context.source)) {
    fixes.push({
      title: `Keep only the last ${CAP} items of ${ref}`,
      isPreferred: fixes.length === 0,
      edits: [insertAfterStatement(context.source, statement, [`del ${ref}[:-${CAP}]`])],
    });
  }
  return fixes;
}

/** A set has no order to keep the newest by: empty it once it passes the cap. */
function clearSetFix(context: RuleContext, ref: string, append: Node): CodeFix[] {
  const statement = statementOf(append);
  if (!statement || !standsAlone(statement, context.source)) return [];
  return [{ title: `Empty ${ref} once it holds ${CAP} items`, isPreferred: true, edits: [insertAfterStatement(context.source, statement, [`if len(${ref}) > ${CAP}: ${ref}.clear()`])] }];
}

/** `collections.deque(maxlen=N)` in place of the list (or of a deque made without one): a deque drops its oldest item itself. */
function dequeFix(context: RuleContext, container: Container, ref: string): CodeFix[] {
  const value = container.value;
  const items = dequeItems(value);
  if (items === undefined) return [];
  // A dataclass field's factory must stay a callable: each instance gets its own deque.
  const made = `collections.deque(${items}maxlen=${CAP})`;
  const edits: TextEdit[] = [{ range: nodeRange(value), newText: isFactoryArgument(value) ? `lambda: ${made}` : made }];
  const importEdit = addImports(context, ['collections']);
  if (importEdit) edits.push(importEdit);
  return [{ title: `Make ${ref} a collections.deque(maxlen=${CAP})`, isPreferred: true, edits }];
}

/** The items the new deque starts with (`a, b, ` of `[a, b]`, `items, ` of `deque(items)`); undefined for a list written over lines. */
function dequeItems(value: Node): string | undefined {
  if (value.type === 'list') return value.text.includes('\n') ? undefined : value.namedChildCount > 0 ? `${value.text}, ` : '';
  if (isUnboundedDeque(value)) {
    const first = field(value, 'arguments')?.namedChild(0);
    return first ? `${first.text}, ` : '';
  }
  // `list()`, or a factory (`default_factory=list`) the fix makes a lambda of.
  return '';
}
