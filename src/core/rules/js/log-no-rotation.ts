// log-no-rotation (JS/TS): winston's File transport without `maxsize`, `maxFiles` or a rotating
// stream: the log file grows for as long as the service runs, and so does winston's write buffer
// when the disk is slower than the log.
import type { Node } from 'web-tree-sitter';
import { Detection, Rule, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { insertAt } from '../text';
import { CodeFix } from '../types';

const LIMITS = ['maxsize', 'maxFiles', 'stream', 'zippedArchive'];
const FIX = 'maxsize: 100 * 1024 * 1024, maxFiles: 3';

export const jsLogNoRotation: Rule = {
  id: 'log-no-rotation',
  family: 'js',
  collect: ['new_expression'],
  detect(context) {
    const fileTransports = winstonFileNames(context);
    const detections: Detection[] = [];
    for (const expression of context.index.nodes('new_expression')) {
      const constructor = field(expression, 'constructor')?.text.replace(/\s+/g, '') ?? '';
      if (!fileTransports.has(constructor)) continue;
      const options = namedChildren(field(expression, 'arguments') ?? expression)[0];
      if (options?.type !== 'object' || hasLimit(options)) continue;
      detections.push({
        anchor: expression,
        scope: context.root,
        message: 'This winston File transport has no `maxsize`/`maxFiles`: the log file grows without limit.',
        fixes: fixesFor(options),
      });
    }
    return detections;
  },
};

/** How this file can name winston's File transport: `winston.transports.File`, `transports.File`. */
function winstonFileNames(context: RuleContext): Set<string> {
  const names = new Set<string>();
  if (!/\bwinston\b/.test(context.index.code) && !/['"]winston['"]/.test(context.source.text)) return names;
  names.add('winston.transports.File');
  names.add('transports.File');
  return names;
}

function hasLimit(options: Node): boolean {
  return namedChildren(options).some((property) => {
    if (property.type === 'spread_element') return true;
    const key = property.type === 'pair' ? field(property, 'key')?.text : property.type === 'shorthand_property_identifier' ? property.text : undefined;
    return key !== undefined && LIMITS.includes(key.replace(/['"]/g, ''));
  });
}

function fixesFor(options: Node): CodeFix[] {
  const properties = namedChildren(options).filter((child) => child.type !== 'comment');
  const last = properties.at(-1);
  const at = last ? { line: last.endPosition.row, column: last.endPosition.column } : { line: options.startPosition.row, column: options.startPosition.column + 1 };
  return [{ title: `Rotate the file: ${FIX}`, isPreferred: true, edits: [insertAt(at, last ? `, ${FIX}` : ` ${FIX} `)] }];
}
