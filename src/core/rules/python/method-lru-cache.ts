// method-lru-cache: `functools.lru_cache`/`cache` on an instance method (the cache holds every
// `self` it was called with), or a cache with no size limit at all; and a library memoizer with
// no size limit (memoizers.ts: funcy/toolz `memoize`, `cached({})`) on an instance method.
import type { Node } from 'web-tree-sitter';
import { Detection, Rule, RuleContext } from '../rule';
import { endOf, field, namedChildren, nodeRange, startOf } from '../syntax';
import { insertLinesBefore, replaceRange } from '../text';
import { CodeFix, TextEdit } from '../types';
import { isInstanceMethod, returnsNothing, takesOpenEndedArguments, unboundedLibraryMemoizer } from './memoizers';
import { addImports, classOfMethod, decoratorsOf, functionName, importedFrom, insertAfterStatement, parameterNames } from './syntax';

const BOUNDED = 'maxsize=128';

interface CacheDecorator {
  decorator: Node;
  /** How the decorator names functools: `functools.` or '' for `from functools import …`. */
  prefix: string;
  unbounded: boolean;
}

export const methodLruCache: Rule = {
  id: 'method-lru-cache',
  family: 'python',
  collect: ['decorator', 'call'],
  detect(context) {
    const fromFunctools = importedFrom(context.root, 'functools');
    const detections: Detection[] = [];
    for (const decorator of context.index.nodes('decorator')) {
      const cache = readCacheDecorator(decorator, fromFunctools);
      const fn = field(decorator.parent ?? decorator, 'definition');
      if (!fn || fn.type !== 'function_definition') continue;
      if (!cache) {
        const library = isInstanceMethod(fn) ? libraryMemoizedMethod(context, decorator, fn) : undefined;
        if (library) detections.push(library);
        continue;
      }
      const method = isInstanceMethod(fn);
      if (!method && (!cache.unbounded || !takesOpenEndedArguments(context, fn) || returnsNothing(fn))) continue;
      detections.push({
        anchor: decorator,
        scope: decorator.parent ?? decorator,
        message: method
          ? `The cache on method \`${functionName(fn)}\` keys on \`self\`, so it keeps every instance it was called on alive${cache.unbounded ? ', and it never evicts' : ''}.`
          : `\`${functionName(fn)}\` is cached with no size limit, so the cache keeps every argument and result it has seen.`,
        fixes: method ? methodFixes(context, fn, cache) : [boundFix(context, cache)],
      });
    }
    return detections;
  },
};

/** A library memoizer with no size limit (funcy/toolz `memoize`, `cached({})`) on a method: its memo keys hold every `self`. */
function libraryMemoizedMethod(context: RuleContext, decorator: Node, fn: Node): Detection | undefined {
  const memoizer = unboundedLibraryMemoizer(context, decorator);
  if (!memoizer) return undefined;
  return {
    anchor: decorator,
    scope: decorator.parent ?? decorator,
    message: `The \`${memoizer.name}\` memo on method \`${functionName(fn)}\` keys on \`self\` and never evicts, so it keeps every instance it was called on alive.`,
    // A bounded memo on the method would still hold up to its size in instances: the fixes are
    // functools' (a static method, or a cache per instance), as for an unbounded functools cache.
    fixes: methodFixes(context, fn, { decorator, prefix: 'functools.', unbounded: true }),
  };
}

function readCacheDecorator(decorator: Node, fromFunctools: ReadonlySet<string>): CacheDecorator | undefined {
  const expression = decorator.namedChild(0);
  if (!expression) return undefined;
  const call = expression.type === 'call' ? expression : undefined;
  const callee = call ? field(call, 'function') : expression;
  const name = callee?.text ?? '';
  const prefix = name.startsWith('functools.') ? 'functools.' : '';
  const bare = name.slice(prefix.length);
  if (bare !== 'lru_cache' && bare !== 'cache') return undefined;
  if (!prefix && !fromFunctools.has(bare)) return undefined;
  const args = call ? namedChildren(field(call, 'arguments') ?? call) : [];
  const maxsize = args.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'maxsize');
  const unbounded = bare === 'cache' || field(maxsize ?? decorator, 'value')?.type === 'none' || args[0]?.type === 'none';
  return { decorator, prefix, unbounded };
}

/** Replaces the decorator by `lru_cache(maxsize=128)`, importing it when only `cache` was imported. */
function boundFix(context: RuleContext, cache: CacheDecorator): CodeFix {
  const expression = cache.decorator.namedChild(0) ?? cache.decorator;
  const edits: TextEdit[] = [{ range: nodeRange(expression), newText: `${cache.prefix}lru_cache(${BOUNDED})` }];
  const importEdit = !cache.prefix ? (importedFrom(context.root, 'functools').has('lru_cache') ? undefined : addFromImport(context)) : addImports(context, ['functools']);
  if (importEdit) edits.push(importEdit);
  return { title: `Bound the cache: ${cache.prefix}lru_cache(${BOUNDED})`, isPreferred: true, edits };
}

function addFromImport(context: RuleContext): TextEdit | undefined {
  const edit = addImports(context, ['functools']);
  if (!edit) return undefined;
  return { ...edit, newText: edit.newText.replace('import functools', 'from functools import lru_cache') };
}

function methodFixes(context: RuleContext, fn: Node, cache: CacheDecorator): CodeFix[] {
  const fixes: CodeFix[] = [];
  // Under @property (or any other decorator) the name no longer holds a plain method: rewriting
  // it would change what the other decorators see. @property over the cache has its own fix.
  if (decoratorsOf(fn).length > 1) {
    const cached = cachedPropertyFix(context, fn, cache);
    return cached ? [cached] : fixes;
  }
  const staticFix = staticMethodFix(context, fn, cache);
  if (staticFix) fixes.push(staticFix);
  const perInstance = perInstanceFix(context, fn, cache);
  if (perInstance) fixes.push({ ...perInstance, isPreferred: fixes.length === 0 });
  return fixes;
}

/** When the method never uses `self`: a static method, whose cache holds no instance. */
function staticMethodFix(context: RuleContext, fn: Node, cache: CacheDecorator): CodeFix | undefined {
  const body = field(fn, 'body');
  const parameters = field(fn, 'parameters');
  const self = parameters?.namedChild(0);
  if (!body || !parameters || !self || /\bself\b/.test(context.index.codeOf(body))) return undefined;
  const next = parameters.namedChild(1);
  const edits: TextEdit[] = [
    next ? replaceRange(startOf(self), startOf(next), '') : replaceRange(startOf(self), endOf(self), ''),
  ];
  const first = decoratorsOf(fn)[0] ?? cache.decorator;
  edits.push(insertLinesBefore(context.source, first.startPosition.row, context.source.indentOf(first.startPosition.row), ['@staticmethod']));
  if (cache.unbounded) {
    const bound = boundFix(context, cache);
    edits.push(...bound.edits);
  }
  return { title: `Make ${functionName(fn)} a static method so its cache holds no instances`, isPreferred: true, edits };
}

/**
 * A cache per instance, built in `__init__`: `self.f = functools.lru_cache(maxsize=128)(self.f)`.
 * It dies with its instance (the cycle it forms is collected), instead of holding every instance.
 */
function perInstanceFix(context: RuleContext, fn: Node, cache: CacheDecorator): CodeFix | undefined {
  const cls = classOfMethod(fn);
  // With __slots__ an instance has no room for the per-instance cache attribute.
  if (!cls || /\b__slots__\b/.test(context.index.codeOf(cls))) return undefined;
  const init = cls && namedChildren(field(cls, 'body') ?? cls).map(unwrapDecorated).find((d) => d?.type === 'function_definition' && functionName(d) === '__init__');
  const initBody = init ? field(init, 'body') : undefined;
  const last = initBody ? namedChildren(initBody).filter((s) => s.type !== 'comment').at(-1) : undefined;
  if (!last || last.type === 'return_statement' || !context.source.startsLine(last.startPosition.row, last.startPosition.column)) return undefined;
  const line = cache.decorator.startPosition.row;
  const alone = context.source.startsLine(line, cache.decorator.startPosition.column) && context.source.endsLine(line, cache.decorator.endPosition.column, '#');
  if (!alone || cache.decorator.endPosition.row !== line) return undefined;
  const name = functionName(fn);
  const edits: TextEdit[] = [
    replaceRange({ line, column: 0 }, { line: line + 1, column: 0 }, ''),
    insertAfterStatement(context.source, last, [`self.${name} = functools.lru_cache(${BOUNDED})(self.${name})`]),
  ];
  const importEdit = addImports(context, ['functools']);
  if (importEdit) edits.push(importEdit);
  return { title: `Give each instance its own bounded cache of ${name} (in __init__)`, isPreferred: false, edits };
}

/**
 * `@property` over `@lru_cache()`: `functools.cached_property` keeps the value on the instance,
 * so it dies with it. Needs an instance __dict__ (no __slots__).
 */
function cachedPropertyFix(context: RuleContext, fn: Node, cache: CacheDecorator): CodeFix | undefined {
  const decorators = decoratorsOf(fn);
  const property = decorators[0];
  const cls = classOfMethod(fn);
  if (decorators.length !== 2 || decorators[1]?.id !== cache.decorator.id || property?.namedChild(0)?.text !== 'property') return undefined;
  if (!cls || /\b__slots__\b/.test(context.index.codeOf(cls)) || parameterNames(fn).length !== 1) return undefined;
  const line = cache.decorator.startPosition.row;
  if (cache.decorator.endPosition.row !== line || !context.source.startsLine(line, cache.decorator.startPosition.column)) return undefined;
  const edits: TextEdit[] = [
    { range: nodeRange(property.namedChild(0) ?? property), newText: 'functools.cached_property' },
    replaceRange({ line, column: 0 }, { line: line + 1, column: 0 }, ''),
  ];
  const importEdit = addImports(context, ['functools']);
  if (importEdit) edits.push(importEdit);
  return { title: `Use functools.cached_property for ${functionName(fn)} (cached per instance)`, isPreferred: true, edits };
}

function unwrapDecorated(node: Node): Node | undefined {
  return node.type === 'decorated_definition' ? field(node, 'definition') : node;
}
