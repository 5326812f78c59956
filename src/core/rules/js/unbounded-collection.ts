// unbounded-collection (JS/TS): a long-lived array named like a record (history, samples…)
// pushed to on every call and never trimmed.
import type { Node } from 'web-tree-sitter';
import { isRecordName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { ownOccurrences, reachesUse } from '../containerOwners';
import { Detection, Rule, RuleContext } from '../rule';
import { field, groupBy, methodReceiver, pickUse, usesOf } from '../syntax';
import { CodeFix } from '../types';
import { NameOccurrences } from '../references';
import { keyedMapDetections } from './unbounded-cache';
import { jsKeyedRemovalDetections } from './keyed-removals';
import { isArray, isCollection, isNewSet, isRepeatedJsUse, JsContainer, jsAssignmentCount, jsCalledWith, jsContainers, jsDeclarationCount, growsPerEventOfKeptInstance, growsPerInstanceJs, unwrapValue } from './containers';
import { calleeName, callsByName, functionChain, functionNameOf, insertAfterStatement, runsRepeatedly, standsAlone, statementOf } from './syntax';

const CAP = 10_000;
// An array's and a set's ways of adding items.
const GROWING = new Set(['push', 'unshift', 'add']);

export const jsUnboundedCollection: Rule = {
  id: 'unbounded-collection',
  family: 'js',
  collect: ['variable_declarator', 'field_definition', 'public_field_definition', 'assignment_expression', 'call_expression', 'subscript_expression'],
  detect(context) {
    const containers = jsContainers(context, isCollection);
    const arrays = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedPush(context, container),
      isNamedForIt: isRecordName,
      growsUnboundedAt: (container) => !isNewSet(unwrapValue(container.value)) || outlivesTheProcessCalls(container),
      isKeyedByCallData: (container, push) => growsPerEventOfKeptInstance(context, container, push) || growsPerInstanceJs(context, container, push),
      isBounded: (container) => isTrimmed(context.index.names, container, jsDeclarationCount(context.index.names, containers, container)),
      message: (ref) => `\`${ref}\` gains an item on every call and is never trimmed, so it grows for as long as the process runs.`,
      fixes: (container, push) => fixesFor(context, container, push),
    });
    return [...arrays, ...serverHeldArrays(context), ...keyedMapDetections(context), ...jsKeyedRemovalDetections(context)];
  },
};

/** What makes a server: `createServer(…)`, `http.createServer(…)`, `new WebSocketServer(…)`, `new ws.Server(…)`. */
const SERVER_FACTORY = /^create\w*Server$/;
const SERVER_CLASS = /(^|\.)\w*Server$/;

/**
 * An array the file hangs on a server it makes (`const server = createServer(…, onConnection);
 * server.__connections = []`), pushed to on a path the server runs per connection or request
 * (its callback, or a function that callback calls): the server lives as long as it listens, so
 * every push stays unless the file takes items out again.
 */
function serverHeldArrays(context: RuleContext): Detection[] {
  const containers = serverArrayContainers(context);
  if (containers.length === 0) return [];
  return detectGrowingContainers({ ...context, evidenceLines: new Set() }, containers, {
    firstGrowth: (container) => firstRepeatedPush(context, container, (push) => runsPerConnection(context, push)),
    isNamedForIt: () => false,
    isKeyedByCallData: () => true,
    isBounded: (container) => isTrimmed(context.index.names, container, 1),
    message: (ref) => `\`${ref}\` is pushed to for every connection or request the server takes and never trimmed, so it grows for as long as the server runs.`,
    fixes: (container, push) => fixesFor(context, container, push),
  });
}

function serverArrayContainers(context: RuleContext): JsContainer[] {
  const servers = new Set(context.index.nodes('variable_declarator').flatMap((declarator) => {
    const name = field(declarator, 'name');
    const value = field(declarator, 'value');
    return name?.type === 'identifier' && value && makesServer(unwrapValue(value)) ? [name.text] : [];
  }));
  if (servers.size === 0) return [];
  return context.index.nodes('assignment_expression').flatMap((assignment) => {
    const left = field(assignment, 'left');
    const value = field(assignment, 'right');
    const holder = left?.type === 'member_expression' ? field(left, 'object') : undefined;
    if (holder?.type !== 'identifier' || !servers.has(holder.text) || !value || !isArray(unwrapValue(value))) return [];
    const name = field(left!, 'property')?.text ?? '';
    return [{ name, access: [`${holder.text}.${name}`], value, owner: functionChain(assignment)[0], scope: undefined }];
  });
}

function makesServer(value: Node): boolean {
  if (value.type === 'call_expression') return SERVER_FACTORY.test(calleeName(value));
  return value.type === 'new_expression' && SERVER_CLASS.test(field(value, 'constructor')?.text ?? '');
}

/** Runs per connection or request: in such a callback, or in a named function one calls (`trackConn(server, conn)`). */
function runsPerConnection(context: RuleContext, node: Node): boolean {
  if (runsRepeatedly(node)) return true;
  const fn = functionChain(node)[0];
  const name = fn ? functionNameOf(fn) : '';
  if (!name) return false;
  return (callsByName(context).get(name) ?? []).some((call) => functionChain(call)[0]?.id !== fn!.id && runsRepeatedly(call));
}

/**
 * A set holds each value once: it grows only with the distinct values its owner ever sees, so its
 * name alone (`seen`, `visited`) says it is unbounded only when the owner lives as long as the
 * process: the module, or a closure kept by a function. An instance's set (a walker's `seen`)
 * goes with the instance, whose life the file rarely shows.
 */
function outlivesTheProcessCalls(container: JsContainer): boolean {
  return container.heldByClosure === true || (!container.scope && !container.owner);
}

function firstRepeatedPush(context: RuleContext, container: JsContainer, repeats = (call: Node) => isRepeatedJsUse(container, call)): Node | undefined {
  const table = context.memo('js.arrayPushes', () => groupBy(context.index.nodes('call_expression'), (call) => methodReceiver(call, GROWING)));
  return pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, (call) => repeats(call) && reachesUse(context.index.names, container, call));
}

function isTrimmed(names: NameOccurrences, container: JsContainer, declarations: number): boolean {
  return (
    jsCalledWith(names, container, 'shift|splice|pop|delete|clear') ||
    names.anyFollowedBy(container.name, container.scope, /\s*\.\s*(?:length\s*(?:=(?!=)|>|>=)|size\s*(?:>|>=))/, ownOccurrences(container)) ||
    jsAssignmentCount(names, container) > declarations
  );
}

export function fixesFor(context: RuleContext, container: JsContainer, push: Node): CodeFix[] {
  const statement = statementOf(push);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const ref = container.access[0] ?? container.name;
  // A set iterates in insertion order: its first value is the oldest.
  const trim = isNewSet(unwrapValue(container.value)) ? `if (${ref}.size > ${CAP}) ${ref}.delete(${ref}.values().next().value);` : `if (${ref}.length > ${CAP}) ${ref}.splice(0, ${ref}.length - ${CAP});`;
  return [{ title: `Keep only the last ${CAP} items of ${ref}`, isPreferred: true, edits: [insertAfterStatement(context, statement, [trim])] }];
}
