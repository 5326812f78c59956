// unbounded-collection, the logger shape: `logging.getLogger(f"job.{job_id}")` in code that runs
// per job, request or session. The logging module keeps every logger it has made, by name, for
// the life of the process (`Logger.manager.loggerDict`), so a name per id adds one logger (with
// its handlers and filters) for good.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren, nodeRange } from '../syntax';
import { CodeFix } from '../types';
import { addImports, enclosingFunction } from './syntax';

const GET_LOGGER = /^(?:logging\s*\.\s*)?getLogger$/;
/** Parts of a name that differ per request, job, session or connection. */
const PER_KEY = /(^|_)(id|ids|uuid|guid|key|session|sid|request|req|conn|connection|client|job|task|user|addr|address|peer|host|url|pid|port|run)($|_)/i;
/** Parts that name code, not data: `__name__`, `type(self).__name__`, `self.__class__`. */
const CODE_NAMES = /^__\w+__$/;

export function perKeyLoggers(context: RuleContext): Detection[] {
  if (!/getLogger/.test(context.index.code)) return [];
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call')) {
    if (!GET_LOGGER.test(field(call, 'function')?.text ?? '')) continue;
    const name = namedChildren(field(call, 'arguments') ?? call)[0];
    if (!name || !enclosingFunction(call) || !isBuiltPerKey(name)) continue;
    detections.push({
      anchor: call,
      scope: enclosingFunction(call)!,
      message: 'logging keeps every logger it has made for the life of the process: a logger name per id adds one logger for good each time a new id comes.',
      fixes: fixesFor(context, call, name),
    });
  }
  return detections;
}

/** An f-string, `%`, `+` or `.format` whose variable parts name something per request (`job_id`, `self.session`). */
function isBuiltPerKey(name: Node): boolean {
  const parts = variableParts(name);
  return parts.length > 0 && parts.some((part) => PER_KEY.test(part));
}

function variableParts(name: Node): string[] {
  let expressions: Node[] = [];
  if (name.type === 'string') expressions = name.descendantsOfType('interpolation').flatMap((i) => (i?.namedChild(0) ? [i.namedChild(0)!] : []));
  else if (name.type === 'binary_operator') expressions = [field(name, 'left'), field(name, 'right')].filter((n): n is Node => n !== undefined && n.type !== 'string');
  else if (name.type === 'call' && /\.format$/.test(field(name, 'function')?.text ?? '')) expressions = namedChildren(field(name, 'arguments') ?? name);
  return expressions.flatMap((expression) => {
    const words = expression.type === 'identifier' ? [expression.text] : expression.descendantsOfType(['identifier']).flatMap((id) => (id ? [id.text] : []));
    return words.some((word) => CODE_NAMES.test(word)) ? [] : words.filter((word) => word !== 'self' && word !== 'cls');
  });
}

/** One logger for the code, the id carried by an adapter into each record. */
function fixesFor(context: RuleContext, call: Node, name: Node): CodeFix[] {
  const importEdit = addImports(context, ['logging']);
  const edit = { range: nodeRange(call), newText: `logging.LoggerAdapter(logging.getLogger(__name__), {"logger_name": ${name.text}})` };
  return [{ title: 'Use one logger for the module and carry the id in a LoggerAdapter', isPreferred: true, edits: importEdit ? [edit, importEdit] : [edit] }];
}
