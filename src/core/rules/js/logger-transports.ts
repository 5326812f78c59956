// handler-not-cleared (JS/TS), the winston shape: a logger made once for the module
// (`winston.createLogger(...)`) gets a transport it was just handed (`logger.add(new
// winston.transports.File(...))`) in code that runs per request, event or instance. winston keeps
// every transport added until `remove`/`clear`: they pile up, each with its stream or open file,
// and every record is written once per transport. The twin of Python's logging-handler shape
// (python/logger-handlers.ts). Files that remove, clear or look at the logger's transports are
// left alone.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp, insertLinesBefore } from '../text';
import { CodeFix } from '../types';
import { functionChain, isMethodLike, methodNameOf, runsRepeatedly, standsAlone, statementOf } from './syntax';

const TRANSPORT = /(?:^|\.)transports\.\w+$|Transport$|^DailyRotateFile$/;

export function loggerTransportAdds(context: RuleContext): Detection[] {
  if (!/\bwinston\b/.test(context.source.text)) return [];
  const loggers = moduleLevelWinstonLoggers(context);
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call_expression')) {
    const callee = field(call, 'function');
    const logger = callee?.type === 'member_expression' ? field(callee, 'object')?.text : undefined;
    if (!logger || !loggers.has(logger) || field(callee!, 'property')?.text !== 'add') continue;
    const transport = transportConstructor(call);
    if (!transport || !(runsRepeatedly(call) || inConstructor(call)) || touchesTransports(context, logger)) continue;
    detections.push({
      anchor: call,
      scope: context.root,
      message: `Each run of this code adds another transport to the module's winston logger \`${logger}\` and nothing removes it: transports (and their open files or streams) pile up, and each record is written once per transport.`,
      fixes: fixesFor(context, call, logger, transport),
    });
  }
  return detections;
}

/** Top-level `const logger = winston.createLogger(...)` (or `createLogger(...)` imported from winston). */
function moduleLevelWinstonLoggers(context: RuleContext): Set<string> {
  const loggers = new Set<string>();
  for (let statement of namedChildren(context.root)) {
    if (statement.type === 'export_statement') statement = field(statement, 'declaration') ?? statement;
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
    for (const declarator of namedChildren(statement)) {
      const value = field(declarator, 'value');
      const name = field(declarator, 'name');
      const callee = value?.type === 'call_expression' ? field(value, 'function')?.text.replace(/\s+/g, '') : undefined;
      if (name?.type === 'identifier' && callee && /^(?:winston\.)?createLogger$/.test(callee)) loggers.add(name.text);
    }
  }
  return loggers;
}

/** The transport class of `add(new X(...))`, or of a local assigned `new X(...)` in the same function. */
function transportConstructor(call: Node): string | undefined {
  const argument = namedChildren(field(call, 'arguments') ?? call)[0];
  const constructorOf = (value: Node | undefined) => (value?.type === 'new_expression' ? field(value, 'constructor')?.text.replace(/\s+/g, '') : undefined);
  let name = constructorOf(argument);
  if (!name && argument?.type === 'identifier') {
    const fn = functionChain(call)[0];
    const declarator = (fn ? field(fn, 'body')?.descendantsOfType('variable_declarator') ?? [] : []).find((d) => d !== null && field(d, 'name')?.text === argument.text && d.startIndex < call.startIndex);
    name = constructorOf(declarator ? field(declarator, 'value') : undefined);
  }
  return name && TRANSPORT.test(name) ? name : undefined;
}

/** A class constructor runs once per instance: a transport added there is added per instance. */
function inConstructor(call: Node): boolean {
  const fn = functionChain(call)[0];
  return fn !== undefined && isMethodLike(fn) && methodNameOf(fn) === 'constructor';
}

function touchesTransports(context: RuleContext, logger: string): boolean {
  return new RegExp(`\\b${escapeRegExp(logger)}\\s*\\.\\s*(?:remove|clear|close|transports)\\b`).test(context.source.text);
}

/** Before adding, take off the transports of the same class an earlier run added. */
function fixesFor(context: RuleContext, call: Node, logger: string, transport: string): CodeFix[] {
  const statement = statementOf(call);
  if (!statement || !standsAlone(statement, context.source)) return [];
  const indent = context.source.indentOf(statement.startPosition.row);
  const line = `for (const previous of ${logger}.transports.filter((t) => t instanceof ${transport})) ${logger}.remove(previous);`;
  return [{ title: `Replace the ${logger} transport an earlier run added instead of adding another`, isPreferred: true, edits: [insertLinesBefore(context.source, statement.startPosition.row, indent, [line])] }];
}
