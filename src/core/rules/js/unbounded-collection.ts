// unbounded-collection (JS/TS): a long-lived array named like a record (history, samples…)
// pushed to on every call and never trimmed.
import type { Node } from 'web-tree-sitter';
import { isRecordName } from '../hints';
import { detectGrowingContainers } from '../growingContainers';
import { Rule, RuleContext } from '../rule';
import { groupBy, methodReceiver, pickUse, usesOf } from '../syntax';
import { CodeFix } from '../types';
import { NameOccurrences } from '../references';
import { keyedMapDetections } from './unbounded-cache';
import { isArray, isRepeatedJsUse, JsContainer, jsAssignmentCount, jsCalledWith, jsContainers, jsDeclarationCount } from './containers';
import { insertAfterStatement, standsAlone, statementOf } from './syntax';

const CAP = 10_000;
const GROWING = new Set(['push', 'unshift']);

export const jsUnboundedCollection: Rule = {
  id: 'unbounded-collection',
  family: 'js',
  collect: ['variable_declarator', 'field_definition', 'public_field_definition', 'assignment_expression', 'call_expression'],
  detect(context) {
    const containers = jsContainers(context, isArray);
    const arrays = detectGrowingContainers(context, containers, {
      firstGrowth: (container) => firstRepeatedPush(context, container),
      isNamedForIt: isRecordName,
      isBounded: (container) => isTrimmed(context.index.names, container, jsDeclarationCount(containers, container)),
      message: (ref) => `\`${ref}\` is pushed to on every call and never trimmed, so it grows for as long as the process runs.`,
      fixes: (container, push) => fixesFor(context, container, push),
    });
    return [...arrays, ...keyedMapDetections(context)];
  },
};

function firstRepeatedPush(context: RuleContext, container: JsContainer): Node | undefined {
  const table = context.memo('js.arrayPushes', () => groupBy(context.index.nodes('call_expression'), (call) => methodReceiver(call, GROWING)));
  return pickUse(usesOf(table, container.access, container.scope), context.evidenceLines, (call) => isRepeatedJsUse(container, call));
}

function isTrimmed(names: NameOccurrences, container: JsContainer, declarations: number): boolean {
  return (
    jsCalledWith(names, container, 'shift|splice|pop') ||
    names.anyFollowedBy(container.name, container.scope, /\s*\.\s*length\s*(?:=(?!=)|>|>=)/) ||
    jsAssignmentCount(names, container) > declarations
  );
}

function fixesFor(context: RuleContext, container: JsContainer, push: Node): CodeFix[] {
  const statement = statementOf(push);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const ref = container.access[0] ?? container.name;
  return [
    {
      title: `Keep only the last ${CAP} items of ${ref}`,
      isPreferred: true,
      edits: [insertAfterStatement(context, statement, [`if (${ref}.length > ${CAP}) ${ref}.splice(0, ${ref}.length - ${CAP});`])],
    },
  ];
}
