// log-no-rotation: a log file sink that grows without limit (loguru `logger.add(file)` without
// rotation, `logging.FileHandler`, `logging.basicConfig(filename=...)`).
import type { Node } from 'web-tree-sitter';
import { appendArguments, removeArgument } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { field, namedChildren, nodeRange } from '../syntax';
import { CodeFix, TextEdit } from '../types';
import { addImports, importedFrom, statementOf } from './syntax';

const ROTATING = 'logging.handlers.RotatingFileHandler';
const LIMITS = 'maxBytes=100 * 1024 * 1024, backupCount=3';
const FILE_LIKE_NAME = /file|path|log/i;
const STD_STREAMS = /^sys\.(stderr|stdout)$/;

export const logNoRotation: Rule = {
  id: 'log-no-rotation',
  family: 'python',
  collect: ['call'],
  detect(context) {
    const loguruNames = importedFrom(context.root, 'loguru');
    const loggingNames = importedFrom(context.root, 'logging');
    const detections: Detection[] = [];
    for (const call of context.index.nodes('call')) {
      const callee = field(call, 'function')?.text ?? '';
      const args = field(call, 'arguments');
      if (!args || args.type !== 'argument_list') continue;
      const detection =
        loguruDetection(call, callee, args, loguruNames) ??
        fileHandlerDetection(context, call, callee, args, loggingNames) ??
        basicConfigDetection(context, call, callee, args);
      if (detection) detections.push(detection);
    }
    return detections;
  },
};

function keywords(args: Node): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const arg of namedChildren(args)) {
    if (arg.type === 'keyword_argument') found.set(field(arg, 'name')?.text ?? '', arg);
  }
  return found;
}

function positional(args: Node): Node[] {
  return namedChildren(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
}

function hasSplat(args: Node): boolean {
  return namedChildren(args).some((a) => a.type === 'dictionary_splat' || a.type === 'list_splat');
}

function detectionAt(call: Node, message: string, fixes: CodeFix[]): Detection {
  return { anchor: call, scope: statementOf(call) ?? call, message, fixes };
}

/** loguru's `logger.add(sink)` where the sink is a path (a string, a Path, a name like `log_file`). */
function loguruDetection(call: Node, callee: string, args: Node, loguruNames: ReadonlySet<string>): Detection | undefined {
  if (callee !== 'logger.add' || !loguruNames.has('logger') || hasSplat(args)) return undefined;
  const sink = positional(args)[0] ?? keywords(args).get('sink');
  const given = keywords(args);
  if (!sink || given.has('rotation') || !isFileSink(sink)) return undefined;
  const extra = ['rotation="100 MB"', ...(given.has('retention') ? [] : ['retention="3 days"'])];
  const fix: CodeFix = { title: 'Rotate the log: rotation="100 MB", retention="3 days"', isPreferred: true, edits: [appendArguments(args, extra)] };
  return detectionAt(call, 'This loguru file sink has no rotation, so the log file (and what loguru buffers for it) grows without limit.', [fix]);
}

function isFileSink(sink: Node): boolean {
  const value = sink.type === 'keyword_argument' ? field(sink, 'value') : sink;
  if (!value) return false;
  if (value.type === 'string' || value.type === 'concatenated_string') return true;
  if (value.type === 'binary_operator') return true;
  if (value.type === 'call') return /(^|\.)(Path|join|str|format)$/.test(field(value, 'function')?.text ?? '');
  if (value.type === 'identifier' || value.type === 'attribute') return FILE_LIKE_NAME.test(value.text) && !STD_STREAMS.test(value.text);
  return false;
}

/** `logging.FileHandler(path)`: swapped for a RotatingFileHandler when its arguments line up. */
function fileHandlerDetection(context: RuleContext, call: Node, callee: string, args: Node, loggingNames: ReadonlySet<string>): Detection | undefined {
  const isFileHandler = callee === 'logging.FileHandler' || (callee === 'FileHandler' && loggingNames.has('FileHandler'));
  if (!isFileHandler) return undefined;
  const fixes: CodeFix[] = [];
  // FileHandler(filename, mode, encoding…) and RotatingFileHandler(filename, mode, maxBytes…) agree on two positions only.
  if (positional(args).length <= 2 && !hasSplat(args)) {
    const calleeNode = field(call, 'function') ?? call;
    const edits: TextEdit[] = [{ range: nodeRange(calleeNode), newText: ROTATING }, appendArguments(args, [LIMITS])];
    const importEdit = addImports(context, ['logging.handlers']);
    if (importEdit) edits.push(importEdit);
    fixes.push({ title: 'Use a RotatingFileHandler (100 MB, 3 backups)', isPreferred: true, edits });
  }
  return detectionAt(call, 'A FileHandler never rotates, so the log file grows without limit.', fixes);
}

/** `logging.basicConfig(filename=...)` builds a plain FileHandler. */
function basicConfigDetection(context: RuleContext, call: Node, callee: string, args: Node): Detection | undefined {
  if (callee !== 'logging.basicConfig' || hasSplat(args)) return undefined;
  const given = keywords(args);
  const filename = given.get('filename');
  const value = filename ? field(filename, 'value') : undefined;
  if (!filename || !value || given.has('handlers') || given.has('stream')) return undefined;
  const passed = [value.text];
  const edits: TextEdit[] = [];
  for (const [keyword, parameter] of [['filemode', 'mode'], ['encoding', 'encoding'], ['errors', 'errors']] as const) {
    const arg = given.get(keyword);
    const argValue = arg ? field(arg, 'value') : undefined;
    if (!arg || !argValue) continue;
    passed.push(`${parameter}=${argValue.text}`);
    edits.push(removeArgument(args, arg));
  }
  edits.push({ range: nodeRange(filename), newText: `handlers=[${ROTATING}(${[...passed, LIMITS].join(', ')})]` });
  const importEdit = addImports(context, ['logging.handlers']);
  if (importEdit) edits.push(importEdit);
  const fix: CodeFix = { title: 'Log through a RotatingFileHandler (100 MB, 3 backups)', isPreferred: true, edits };
  return detectionAt(call, 'basicConfig(filename=...) logs to a FileHandler that never rotates, so the file grows without limit.', [fix]);
}
