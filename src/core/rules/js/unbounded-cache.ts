// unbounded-cache (JS/TS): a long-lived Map or object named like a cache, stored into on every
// call, that nothing in the file ever deletes from; and a module-level library memoizer with no
// size limit (memoizers.ts: lodash/underscore memoize, memoizee, mem).
import type { Node } from 'web-tree-sitter';
import { isCacheName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { Detection, Rule, RuleContext } from '../rule';
import { field, groupBy, methodReceiver, normalizeRef, pickUse, usesOf } from '../syntax';
import { insertLinesBefore } from '../text';
import { CodeFix } from '../types';
import { removalRunsOnCompletion, registersRepeatingJob, consumedWhereKept, KeyedRead, isEmptyObject, isJsKeyedByArguments, isKeyedByFreshId, isFreshKey, isJsKeyFromOutside, isNewMap, perKeyArrayReceiver, isRepeatedJsUse, JsContainer, jsAssignmentCount, jsCalledWith, jsContainers, jsDeletedFrom, jsDeclarationCount, jsEscapes, storesPendingSettlers, unwrapValue, wipeRunsAsOften, growsPerEventOfKeptInstance, memoizesForChainedSetUp } from './containers';
import { memoizedWrapperDetections } from './memoizers';
import { insertAfterStatement, standsAlone, statementOf } from './syntax';

const CAP = 1000;
const SET = new Set(['set']);

export const jsUnboundedCache: Rule = {
  id: 'unbounded-cache',
  family: 'js',
  collect: ['variable_declarator', 'field_definition', 'public_field_definition', 'assignment_expression', 'call_expression', 'for_in_statement', 'function_declaration'],
  detect(context) {
    const containers = jsContainers(context, (value) => isNewMap(value) || isEmptyObject(value));
    const maps = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedStore(context, container),
      isNamedForIt: isCacheName,
      // Instances are not asked to be long-lived here: a JS object's life is rarely visible in its file.
      growsUnboundedAt: (container, store) => isJsKeyFromOutside(context, store) && !memoizesForChainedSetUp(context, container, store),
      isBounded: (container) => isEvicted(context, container, jsDeclarationCount(context.index.names, containers, container)),
      message: (ref) => `\`${ref}\` is stored into on every call and nothing deletes from it, so it keeps every key it has ever seen.`,
      fixes: (container, store) => fixesFor(context, container, store),
    });
    return [...maps, ...memoizedWrapperDetections(context)];
  },
};

/** Maps and objects not named as caches that gain an entry per distinct argument of code that runs per call: reported by unbounded-collection. */
export function keyedMapDetections(context: RuleContext): Detection[] {
  const containers = jsContainers(context, (value) => isNewMap(value) || isEmptyObject(value)).filter((container) => !isCacheName(container.name));
  // A line a probe saw growing is reported once, by unbounded-cache: no evidence here.
  return detectGrowingContainers({ ...context, evidenceLines: new Set() }, containers, {
    firstGrowth: (container) => firstRepeatedStore(context, container, (store) => !registersRepeatingJob(store)),
    isNamedForIt: () => false,
    isKeyedByCallData: (container, growth) => isJsKeyedByArguments(context, container, growth) || storesPendingSettlers(growth) || isKeyedByFreshId(context, container, growth) || growsPerEventOfKeptInstance(context, container, growth) || pendingWorkConsumedWhereKept(context, container) !== undefined,
    isBounded: (container) => isEvicted(context, container, jsDeclarationCount(context.index.names, containers, container), !pendingWorkConsumedWhereKept(context, container)),
    message: (ref) => `\`${ref}\` gains an entry for every new key (one its callers pass, or an id made per call) and nothing deletes them when their work is done, so it grows for as long as the process runs.`,
    fixes: (container, store) => deleteWhereConsumedFix(context, container) ?? fixesFor(context, container, store),
  });
}

/** `m.set(k, v)` or `o[k] = v`, or an array under a key pushed to (`m.get(k).push(v)`, `o[k].push(v)`). */
function firstRepeatedStore(context: RuleContext, container: JsContainer, accepts: (store: Node) => boolean = () => true): Node | undefined {
  const uses = isNewMap(unwrapValue(container.value))
    ? usesOf(context.memo('js.mapSets', () => groupBy(context.index.nodes('call_expression'), (call) => methodReceiver(call, SET) ?? perKeyArrayReceiver(call))), container.access, container.scope)
    : [
        ...usesOf(context.memo('js.subscriptStores', () => groupBy(context.index.nodes('assignment_expression'), subscriptTarget)), container.access, container.scope),
        ...usesOf(context.memo('js.objectArrayPushes', () => groupBy(context.index.nodes('call_expression'), perKeyArrayReceiver)), container.access, container.scope),
      ];
  return pickUse(uses, context.evidenceLines, (store) => isRepeatedJsUse(container, store) && reachesUse(context.index.names, container, store) && accepts(store));
}

function subscriptTarget(assignment: Node): string | undefined {
  const left = field(assignment, 'left');
  const target = left?.type === 'subscript_expression' ? field(left, 'object') : undefined;
  return target ? normalizeRef(target.text) : undefined;
}

/**
 * A registry of pending work (entries under an id fresh per store, or a promise's settle
 * functions) whose entries are consumed where they are kept (consumedWhereKept): deletes by key
 * elsewhere run only when work is taken back, so they do not bound it. That holds for an
 * instance's table too: the instance grows by one entry per completed call while it lives.
 */
function pendingWorkConsumedWhereKept(context: RuleContext, container: JsContainer): KeyedRead | undefined {
  const growth = firstRepeatedStore(context, container, (store) => !registersRepeatingJob(store));
  if (!growth || !(isFreshKey(context, growth) || storesPendingSettlers(growth))) return undefined;
  return consumedWhereKept(context, container, growth);
}

/** Delete the entry right after the statement that takes it out to use it (`pending.delete(reply.id)`). */
function deleteWhereConsumedFix(context: RuleContext, container: JsContainer): CodeFix[] | undefined {
  const read = pendingWorkConsumedWhereKept(context, container);
  const statement = read ? statementOf(read.node) : undefined;
  if (!read || !statement || !standsAlone(statement, context.source)) return undefined;
  const ref = container.access[0] ?? container.name;
  const line = isNewMap(unwrapValue(container.value)) ? `${ref}.delete(${read.key.text});` : `delete ${ref}[${read.key.text}];`;
  return [{ title: `Delete the entry of ${ref} where it is consumed`, isPreferred: true, edits: [insertAfterStatement(context, statement, [line])] }];
}

/** Deleted, cleared, size-checked or replaced as often as it grows; `deletesBound` false when deletes by key do not count. */
function isEvicted(context: RuleContext, container: JsContainer, declarations: number, deletesBound = true): boolean {
  const names = context.index.names;
  const counts = removalRunsOnCompletion(context);
  const growth = firstRepeatedStore(context, container);
  const wipes = growth ? wipeRunsAsOften(context, growth) : () => true;
  const evicted =
    (deletesBound && jsCalledWith(names, container, 'delete', counts)) ||
    jsCalledWith(names, container, 'clear', (offset) => counts(offset) && wipes(offset)) ||
    (deletesBound && jsDeletedFrom(names, container, counts)) ||
    names.anyFollowedBy(container.name, container.scope, /\s*\.\s*size\s*(?:>|>=|<|<=|===|==|!==)/, ownOccurrences(container)) ||
    names.anyAround(container.name, container.scope, /Object\s*\.\s*keys\s*\(\s*(?:[\w$]+\s*\.\s*)*$/, /\s*\)\s*\.\s*length/, ownOccurrences(container));
  return evicted || jsAssignmentCount(names, container, wipes) > declarations || jsEscapes(names, container);
}

/** Evict the oldest entries past the cap after the store (before it when the store is a `return`). */
export function fixesFor(context: RuleContext, container: JsContainer, store: Node): CodeFix[] {
  const statement = statementOf(store);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const ref = container.access[0] ?? container.name;
  const unit = context.source.indentUnit('  ');
  const lines = isNewMap(unwrapValue(container.value))
    ? [
        `// Maps iterate in insertion order: the first keys are the oldest.`,
        `for (const key of ${ref}.keys()) {`,
        `${unit}if (${ref}.size <= ${CAP}) break;`,
        `${unit}${ref}.delete(key);`,
        `}`,
      ]
    : [`for (const key of Object.keys(${ref}).slice(0, -${CAP})) delete ${ref}[key];`];
  // After `return (cache[k] = v)` nothing runs: trim before it (one entry over the cap at most).
  const edit = statement.type === 'return_statement'
    ? insertLinesBefore(context.source, statement.startPosition.row, context.source.indentOf(statement.startPosition.row), lines)
    : insertAfterStatement(context, statement, lines);
  return [{ title: `Evict the oldest entries of ${ref} past ${CAP}`, isPreferred: true, edits: [edit] }];
}
