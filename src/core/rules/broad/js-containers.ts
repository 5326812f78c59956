// Container hints in JavaScript/TypeScript: Maps, Sets, arrays and plain objects bound at module
// level (exported too), as class fields (static ones included) or on `this` in a constructor
// (the shared reader jsContainers), grown in another function, never removed from.
import type { Node } from 'web-tree-sitter';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { RuleContext } from '../rule';
import { field, namedChildren, normalizeRef } from '../syntax';
import { CodeFix } from '../types';
import { isArray, isEmptyObject, isNewMap, isRepeatedJsUse, JsContainer, jsCalledWith, jsContainers, jsDeletedFrom, perKeyArrayReceiver, unwrapValue } from '../js/containers';
import { fixesFor as evictionFixes } from '../js/unbounded-cache';
import { fixesFor as trimFixes } from '../js/unbounded-collection';
import { innermostFunction } from '../js/syntax';
import { BroadContainer, broadContainerHints, ContainerLanguage, firstGrowthOf, GrowthShapes, occurrencesInFunctions, passedToNonReadingCall } from './containers';
import { HintDetection } from './hint-rule';

const GROWING = new Set(['push', 'unshift', 'set', 'add']);
const LITERAL_KEYS = new Set(['string', 'number', 'true', 'false', 'null', 'undefined']);
/** Calls that only read what they are given: handing the container to them cannot shrink it. */
const READS = new Set([
  'keys', 'values', 'entries', 'from', 'isArray', 'stringify', 'log', 'debug', 'info', 'warn', 'error', 'trace', 'String', 'Number', 'Boolean',
  'structuredClone', 'includes', 'indexOf', 'concat', 'freeze', 'inspect', 'format', 'expect', 'equal', 'deepEqual', 'strictEqual', 'ok',
]);

interface JsHolder extends BroadContainer {
  container: JsContainer;
  kind: 'mapping' | 'array' | 'other';
}

export function jsContainerHints(context: RuleContext): HintDetection[] {
  return broadContainerHints(context, JS_CONTAINERS);
}

const JS_CONTAINERS: ContainerLanguage<JsHolder> = {
  holders: (context) =>
    // A closure's local is not one of the design's holders (module, class, instance).
    jsContainers(context, isBroadContainer, { closures: false })
      .map((container) => {
        const kind = kindOf(unwrapValue(container.value));
        return { name: container.name, access: container.access, keyed: kind === 'mapping', container, kind };
      }),
  firstGrowth: (context, holder) => firstGrowth(context, holder),
  isEverRemovedFrom: (context, holder) => isEverRemovedFrom(context, holder.container),
  fixes: (context, holder, growth): CodeFix[] => {
    // The strict rules' own: a mapping evicts its oldest entries; a list, array, set or deque is trimmed or capped.
    return holder.kind === 'mapping' ? evictionFixes(context, holder.container, growth) : trimFixes(context, holder.container, growth);
  },
};

/** `{}` or an object literal of data, `Object.create(null)`, `new Map()`, `new Set()`, an array literal, `new Array()`. */
function isBroadContainer(value: Node): boolean {
  const made = unwrapValue(value);
  if (isNewMap(made) || isArray(made) || isEmptyObject(made)) return true;
  if (made.type === 'new_expression') return field(made, 'constructor')?.text === 'Set';
  // An object with methods is an object, not a table of data.
  return made.type === 'object' && namedChildren(made).every((member) => member.type === 'pair' && !/function|arrow_function/.test(field(member, 'value')?.type ?? ''));
}

function kindOf(value: Node): JsHolder['kind'] {
  if (isNewMap(value) || value.type === 'object' || isEmptyObject(value)) return 'mapping';
  return isArray(value) ? 'array' : 'other';
}

const SHAPES: GrowthShapes = { growing: GROWING, perKeyReceiver: perKeyArrayReceiver, assignments: ['assignment_expression', 'augmented_assignment_expression'], storeTarget };

function storeTarget(assignment: Node): string | undefined {
  const left = field(assignment, 'left');
  const target = left?.type === 'subscript_expression' ? field(left, 'object') : undefined;
  const key = left?.type === 'subscript_expression' ? field(left, 'index') : undefined;
  const literal = key !== undefined && (LITERAL_KEYS.has(key.type) || (key.type === 'template_string' && !key.text.includes('${')));
  return target && key && !literal ? normalizeRef(target.text) : undefined;
}

function firstGrowth(context: RuleContext, holder: JsHolder): Node | undefined {
  const container = { ...holder.container, keyed: holder.keyed };
  // In a function (not module top level, not a loop there) other than the binder.
  return firstGrowthOf(context, SHAPES, container, (use) => innermostFunction(use) !== undefined && isRepeatedJsUse(holder.container, use) && reachesUse(context.index.names, holder.container, use));
}

/** Any removal anywhere: a take-out method, `delete X[…]`, `.length = n`, a size cap, a rebinding in a function, or the whole handed to a call. */
function isEverRemovedFrom(context: RuleContext, container: JsContainer): boolean {
  const names = context.index.names;
  const own = ownOccurrences(container);
  if (jsCalledWith(names, container, 'delete|clear|splice|shift|pop') || jsDeletedFrom(names, container)) return true;
  // `.length = 0`, or the size compared (`if (X.size < 100) X.add(…)`): the code empties or caps it.
  if (names.anyFollowedBy(container.name, container.scope, /\s*\.\s*(?:length\s*=(?!=)|(?:length|size)\s*(?:[<>]=?|===?))/, own)) return true;
  const rebound = occurrencesInFunctions(context, container.name, container.scope, /\s*!?\s*(?::[^=\n;]+)?=(?![=>])/, container.owner, own);
  return rebound.length > 0 || passedToNonReadingCall(context, container.name, container.scope, READS, own);
}
