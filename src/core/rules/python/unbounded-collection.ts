// unbounded-collection (Python): a long-lived list named like a record (history, samples…)
// appended to on every call and never trimmed; also keyed dicts (unbounded-cache.ts) and loggers
// named per id (logger-per-key.ts), and lists of weak references that keep their dead refs
// (weakref-lists.ts).
import type { Node } from 'web-tree-sitter';
import { isRecordName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { Rule, RuleContext } from '../rule';
import { groupBy, methodReceiver, nodeRange, pickUse, usesOf } from '../syntax';
import { CodeFix, TextEdit } from '../types';
import { keyedDictDetections } from './unbounded-cache';
import { perKeyLoggers } from './logger-per-key';
import { sharedListsExtended } from './shared-list-growth';
import { keyedRemovalDetections } from './keyed-removals';
import { weakrefListsGrowing } from './weakref-lists';
import { appendsCallData, assignmentCount, boundsRunAsOften, calledWith, Container, declarationCount, deletedFrom, isFactoryArgument, isPythonList, isRepeatedUse, lengthChecked, longLivedContainers, outlivesCalls } from './containers';
import { addImports, insertAfterStatement, standsAlone, statementOf } from './syntax';

const CAP = 10_000;
const GROWING_METHODS = new Set(['append', 'extend', 'insert']);

export const pythonUnboundedCollection: Rule = {
  id: 'unbounded-collection',
  family: 'python',
  collect: ['assignment', 'augmented_assignment', 'call', 'class_definition', 'subscript'],
  detect(context) {
    const containers = longLivedContainers(context, isPythonList);
    const lists = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedAppend(context, container),
      isNamedForIt: isRecordName,
      // A list has no key; what it needs is to outlive the calls that append to it.
      growsUnboundedAt: (container) => outlivesCalls(context, container),
      isKeyedByCallData: (container, append) => appendsCallData(context, container, append),
      isBounded: (container) => isTrimmed(context, container, declarationCount(containers, container)),
      message: (ref) => `\`${ref}\` is appended to on every call and never trimmed, so it grows for as long as the process runs.`,
      fixes: (container, append) => fixesFor(context, container, append),
    });
    return [...lists, ...keyedDictDetections(context), ...perKeyLoggers(context), ...sharedListsExtended(context), ...keyedRemovalDetections(context), ...weakrefListsGrowing(context)];
  },
};

function firstRepeatedAppend(context: RuleContext, container: Container): Node | undefined {
  const table = context.memo('python.listAppends', () => groupBy(context.index.nodes('call'), (call) => methodReceiver(call, GROWING_METHODS)));
  return pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, (call) => isRepeatedUse(container, call) && reachesUse(context.index.names, container, call));
}

/** Trimmed, emptied or replaced on a path that runs as often as the growth (boundsRunAsOften). */
function isTrimmed(context: RuleContext, container: Container, declarations: number): boolean {
  const names = context.index.names;
  const counts = boundsRunAsOften(context, container, firstRepeatedAppend(context, container));
  return (
    calledWith(names, container, 'pop|popleft|clear|remove', counts) ||
    deletedFrom(names, container, counts) ||
    names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:[^\]\n]*\]\s*=(?!=)/, ownOccurrences(container, counts)) ||
    lengthChecked(names, container, /\s*\)\s*(?:>|>=|==)/, counts) ||
    assignmentCount(names, container, counts) > declarations
  );
}

export function fixesFor(context: RuleContext, container: Container, append: Node): CodeFix[] {
  const ref = container.access[0] ?? container.name;
  const fixes: CodeFix[] = [];
  const sliced = context.index.names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:/, ownOccurrences(container));
  const deque = dequeFix(context, container, ref);
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

/** `collections.deque(maxlen=N)` in place of the list: a deque drops its oldest item itself. */
function dequeFix(context: RuleContext, container: Container, ref: string): CodeFix | undefined {
  const value = container.value;
  const items = value.type === 'list' && value.namedChildCount > 0 ? `${value.text}, ` : '';
  if (value.type === 'list' && value.text.includes('\n')) return undefined;
  // A dataclass field's factory must stay a callable: each instance gets its own deque.
  const made = `collections.deque(${items}maxlen=${CAP})`;
  const edits: TextEdit[] = [{ range: nodeRange(value), newText: isFactoryArgument(value) ? `lambda: ${made}` : made }];
  const importEdit = addImports(context, ['collections']);
  if (importEdit) edits.push(importEdit);
  return { title: `Make ${ref} a collections.deque(maxlen=${CAP})`, isPreferred: true, edits };
}
