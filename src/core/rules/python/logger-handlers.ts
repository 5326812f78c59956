// handler-not-cleared (Python), the logging shape: a function that runs per instance or per
// call fetches a named logger (`logging.getLogger(name)`, which the logging module keeps for
// the life of the process) and adds a handler it has just made. Each call adds one more
// handler: they pile up on the logger, each with its stream or open file, and every record is
// written once per handler; loguru's `logger.add(sink)` likewise. Only methods, request
// handlers and module helpers the file calls from those or from a loop count: set-up functions,
// functions that check the logger's handlers first, guard the add with a module-level flag
// (`global _configured`) or return the handler, and files that remove handlers are left alone.
// The logger may be reached through an alias: a local or `self.logger` assigned from getLogger
// in the function, a module-level `log = logging.getLogger(...)`, or a `self.<attr>` another
// method of the class assigned from it; the handler through a local or a `self.<attr>`.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { endOf, field, namedChildren, startOf } from '../syntax';
import { CodeFix } from '../types';
import { indentUnitFor } from '../fixes';
import { insertLinesBefore, replaceRange } from '../text';
import { methodsOf, runsPerRequest } from './containers';
import { classOfMethod, enclosingFunction, enclosingLoop, functionName, importedFrom, importedModules, insertAfterStatement, parameterNames, standsAlone, statementOf } from './syntax';

/** Functions that run once per process by name; `__init__` is not one: it runs per instance. */
const ONCE = /^(setup|setUp|set_up|start|startup|init|initiali[sz]e|main|configure\w*|bootstrap|install|create_app|build|on_startup|_?setup_\w+|_?config\w*|log_to_\w+)$/;
const GET_LOGGER = /^(?:logging\s*\.\s*)?getLogger$/;
/** The function looks at what the logger already has before adding. */
const CHECKS_HANDLERS = /\.\s*handlers\b|\bhasHandlers\s*\(/;

export function loggerHandlerAdds(context: RuleContext): Detection[] {
  if (/\bremoveHandler\s*\(/.test(context.index.code)) return loguruSinkAdds(context);
  const detections: Detection[] = [...loguruSinkAdds(context)];
  for (const call of context.index.nodes('call')) {
    const callee = field(call, 'function');
    if (callee?.type !== 'attribute' || field(callee, 'attribute')?.text !== 'addHandler') continue;
    const fn = enclosingFunction(call);
    const loggerRef = field(callee, 'object');
    const handler = namedChildren(field(call, 'arguments') ?? call)[0];
    // A module function is as likely one-time set-up (or a helper whose purpose is to add one):
    // only methods (per instance) and request handlers count.
    if (!fn || !loggerRef || !handler || !(runsRepeatedly(fn) || calledRepeatedly(context, fn))) continue;
    // Handing the handler back lets the caller remove it.
    if (handler.type === 'identifier' && new RegExp(`\\breturn\\s+${handler.text}\\b`).test(context.index.codeOf(fn))) continue;
    if (CHECKS_HANDLERS.test(context.index.codeOf(fn)) || setsModuleFlag(fn)) continue;
    if (!isNamedLogger(context, fn, loggerRef, call) || !isFreshHandler(fn, handler, call)) continue;
    detections.push({
      anchor: call,
      scope: fn,
      message: `Each call of \`${functionName(fn)}\` adds another handler to the process-wide logger \`${loggerRef.text}\` and nothing removes it: handlers (and their open files) pile up, and each record is written once per handler.`,
      fixes: fixesFor(context, call, loggerRef.text, handler),
    });
  }
  return detections;
}

/** A method (per instance) or a request handler, not named as one-time set-up. */
function runsRepeatedly(fn: Node): boolean {
  return !ONCE.test(functionName(fn)) && (classOfMethod(fn) !== undefined || runsPerRequest(fn));
}

/**
 * A module helper (`def get_logger(name)`) the file itself calls from a method, a request
 * handler or a loop: each of those runs calls it again, so each adds one more handler.
 */
function calledRepeatedly(context: RuleContext, fn: Node): boolean {
  const name = functionName(fn);
  if (fn.parent?.type !== 'module' || ONCE.test(name)) return false;
  return context.index.nodes('call').some((call) => {
    if (field(call, 'function')?.text !== name) return false;
    const caller = enclosingFunction(call);
    return enclosingLoop(call) !== undefined || (caller !== undefined && caller.id !== fn.id && runsRepeatedly(caller));
  });
}

/**
 * loguru's `logger` is one object for the process: `logger.add(sink)` in a method or request
 * handler, its id dropped and nothing in the file calling `logger.remove`, adds one more sink
 * (its file or stream open, each record written once more) per call.
 */
function loguruSinkAdds(context: RuleContext): Detection[] {
  const names = new Set(importedFrom(context.root, 'loguru').has('logger') ? ['logger'] : []);
  if (importedModules(context.root).has('loguru')) names.add('loguru.logger');
  if (names.size === 0 || /\blogger\s*\.\s*remove\s*\(/.test(context.index.code)) return [];
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call')) {
    const callee = field(call, 'function');
    const logger = callee?.type === 'attribute' ? field(callee, 'object')?.text : undefined;
    if (!logger || !names.has(logger) || field(callee!, 'attribute')?.text !== 'add' || call.parent?.type !== 'expression_statement') continue;
    const fn = enclosingFunction(call);
    if (!fn || !runsRepeatedly(fn) || setsModuleFlag(fn)) continue;
    detections.push({
      anchor: call,
      scope: fn,
      message: `Each call of \`${functionName(fn)}\` adds another sink to loguru's process-wide \`${logger}\` and nothing removes it: sinks (and their open files) pile up, and each record is written once per sink.`,
      fixes: loguruFixes(context, call, logger),
    });
  }
  return detections;
}

/** Keep the ids of the sinks added here in a module list, and remove the earlier ones before adding. */
function loguruFixes(context: RuleContext, call: Node, logger: string): CodeFix[] {
  const statement = statementOf(call);
  const imports = lastImport(context);
  if (!statement || !imports || !standsAlone(statement, context.source) || /\b_loguru_sinks\b/.test(context.index.code)) return [];
  const unit = indentUnitFor(context);
  const indent = context.source.indentOf(statement.startPosition.row);
  return [
    {
      title: 'Remove the sink an earlier call added before adding another',
      isPreferred: true,
      edits: [
        insertAfterStatement(context.source, imports, ['_loguru_sinks = []']),
        insertLinesBefore(context.source, statement.startPosition.row, indent, ['while _loguru_sinks:', `${unit}${logger}.remove(_loguru_sinks.pop())`]),
        replaceRange(startOf(call), endOf(call), `_loguru_sinks.append(${call.text})`),
      ],
    },
  ];
}

function lastImport(context: RuleContext): Node | undefined {
  return namedChildren(context.root).filter((node) => node.type === 'import_from_statement' || node.type === 'import_statement').at(-1);
}

/**
 * `logging.getLogger(...)` itself, a name or attribute assigned from it earlier in the function,
 * a module-level name assigned from it, or `self.<attr>` assigned from it in a method of the class.
 */
function isNamedLogger(context: RuleContext, fn: Node, ref: Node, before: Node): boolean {
  if (ref.type === 'call') return isGetLogger(ref);
  if (assignedBefore(fn, ref.text, before, isGetLogger)) return true;
  if (ref.type === 'identifier') return moduleAssignments(context, ref.text).some(isGetLogger) && !assignsLocally(fn, ref.text);
  const cls = classOfMethod(fn);
  const attribute = /^self\s*\.\s*(\w+)$/.exec(ref.text)?.[1];
  return cls !== undefined && attribute !== undefined && methodsOf(cls).some((method) => assignedAnywhere(method, ref.text, isGetLogger));
}

function isGetLogger(value: Node): boolean {
  return value.type === 'call' && GET_LOGGER.test(field(value, 'function')?.text ?? '');
}

/** Values assigned to `name` by top-level statements of the file. */
function moduleAssignments(context: RuleContext, name: string): Node[] {
  return namedChildren(context.root).flatMap((statement) => {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type !== 'assignment' || field(assignment, 'left')?.text !== name) return [];
    const value = field(assignment, 'right');
    return value ? [value] : [];
  });
}

/** A function-local name of the same spelling hides the module's. */
function assignsLocally(fn: Node, name: string): boolean {
  return assignedAnywhere(fn, name, () => true) || parameterNames(fn).includes(name);
}

/** `global flag` and an assignment to it: the function guards a once-per-process step with a module flag. */
function setsModuleFlag(fn: Node): boolean {
  const body = field(fn, 'body');
  const globals = (body?.descendantsOfType('global_statement') ?? []).flatMap((statement) => (statement ? namedChildren(statement).map((name) => name.text) : []));
  return globals.some((name) => assignedAnywhere(fn, name, () => true));
}

/** A handler made here: `logging.FileHandler(...)` inline, or a local or `self.<attr>` assigned from a `...Handler(...)` call. */
function isFreshHandler(fn: Node, handler: Node, before: Node): boolean {
  const isConstruction = (value: Node) => value.type === 'call' && /Handler$/.test(field(value, 'function')?.text ?? '');
  if (handler.type === 'call') return isConstruction(handler);
  return (handler.type === 'identifier' || handler.type === 'attribute') && assignedBefore(fn, handler.text, before, isConstruction);
}

function assignedAnywhere(fn: Node, target: string, isValue: (value: Node) => boolean): boolean {
  return assignedBefore(fn, target, undefined, isValue);
}

function assignedBefore(fn: Node, target: string, before: Node | undefined, isValue: (value: Node) => boolean): boolean {
  const body = field(fn, 'body');
  return (body?.descendantsOfType('assignment') ?? []).some((assignment) => {
    if (!assignment || (before && assignment.startIndex >= before.startIndex) || enclosingFunction(assignment)?.id !== fn.id) return false;
    const left = field(assignment, 'left');
    const value = field(assignment, 'right');
    return left?.text === target && value !== undefined && isValue(value);
  });
}

/** Before adding, take off (and close) the handlers of the same type an earlier call added. */
function fixesFor(context: RuleContext, call: Node, logger: string, handler: Node): CodeFix[] {
  const statement = statementOf(call);
  if (!statement || !standsAlone(statement, context.source) || !/^[\w.]+$/.test(handler.text) || !/^[\w.]+$/.test(logger)) return [];
  const unit = indentUnitFor(context);
  const indent = context.source.indentOf(statement.startPosition.row);
  const lines = [
    `for previous in [h for h in ${logger}.handlers if type(h) is type(${handler.text})]:`,
    `${unit}${logger}.removeHandler(previous)`,
    `${unit}previous.close()`,
  ];
  const insert = insertLinesBefore(context.source, statement.startPosition.row, indent, lines);
  return [{ title: `Replace the ${logger} handler an earlier call added instead of adding another`, isPreferred: true, edits: [insert] }];
}
