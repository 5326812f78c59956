// Memoizing decorators of well-known Python libraries whose memo has no size limit, as facts
// about those libraries (what each keeps when nothing bounds it):
// - funcy `@memoize` (funcy docs, calc.rst: "Memoizes decorated function results, trading memory
//   for performance"; the memo is a plain dict, exposed as `f.memory`). funcy's `@cache(timeout)`
//   drops entries as they expire: not reported.
// - toolz / cytoolz `@memoize` (toolz.functoolz.memoize(func, cache=None, key=None): a new dict
//   when no cache is passed).
// - cachetools `@cached(cache)` and boltons.cacheutils `@cached(cache)`: bounded by the mapping
//   they are given, so only a plain `{}` / `dict()` is unbounded.
// methodtools' `lru_cache` keeps one cache per instance and is bounded (maxsize=128) by default:
// not one of these. functools' own `cache`/`lru_cache` are read by method-lru-cache.
// Reported by unbounded-cache when the memoized function is a plain function with open-ended
// arguments (a request, an object), and by method-lru-cache when it is an instance method (the
// memo's keys hold every `self`). The readers of a memoized function (instance method?
// open-ended arguments? returns nothing?) live here, shared with method-lru-cache.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren, nodeRange } from '../syntax';
import { CodeFix, TextEdit } from '../types';
import { hasFiniteDomain } from './finite-domain';
import { addImports, classOfMethod, decoratorsOf, enclosingFunction, functionName, importedFrom, importedModules, parameterNames } from './syntax';

const BOUNDED = 'maxsize=128';

interface MemoizerFact {
  modules: readonly string[];
  name: string;
  /** Unbounded only when given this mapping (`cached({})`); unbounded by default otherwise. */
  unboundedWhenGivenDict: boolean;
}

const MEMOIZERS: readonly MemoizerFact[] = [
  { modules: ['funcy', 'funcy.calc'], name: 'memoize', unboundedWhenGivenDict: false },
  { modules: ['toolz', 'toolz.functoolz', 'toolz.curried', 'cytoolz', 'cytoolz.functoolz'], name: 'memoize', unboundedWhenGivenDict: false },
  { modules: ['cachetools'], name: 'cached', unboundedWhenGivenDict: true },
  { modules: ['boltons.cacheutils'], name: 'cached', unboundedWhenGivenDict: true },
];

export interface LibraryMemoizer {
  decorator: Node;
  /** The decorator as written, without its arguments: `memoize`, `funcy.memoize`. */
  name: string;
  /** The library module the decorator comes from. */
  module: string;
  /** The `{}` / `dict()` handed to `cached(...)`, which the fix replaces by a bounded cache. */
  dict?: Node;
}

/** The decorator when it is one of the library memoizers above, used so that nothing bounds it. */
export function unboundedLibraryMemoizer(context: RuleContext, decorator: Node): LibraryMemoizer | undefined {
  const expression = decorator.namedChild(0);
  if (!expression) return undefined;
  const call = expression.type === 'call' ? expression : undefined;
  const callee = call ? field(call, 'function') : expression;
  const name = callee?.text.replace(/\s+/g, '') ?? '';
  // Most decorators (`@property`, `@staticmethod`, routes) name none of them: read no imports for those.
  if (!/(?:^|\.)(?:memoize|cached)$/.test(name)) return undefined;
  const fact = MEMOIZERS.find((candidate) => moduleNaming(context, candidate, name));
  const module = fact && moduleNaming(context, fact, name);
  if (!fact || !module) return undefined;
  const args = call ? namedChildren(field(call, 'arguments') ?? call) : [];
  if (!fact.unboundedWhenGivenDict) {
    // toolz: `memoize(cache=some_bounded_mapping)` is bounded by what it is given.
    const cache = args.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'cache');
    const given = cache ? field(cache, 'value') : undefined;
    return given && !isEmptyDict(given) ? undefined : { decorator, name, module };
  }
  const cacheArgument = args.find((a) => a.type !== 'keyword_argument') ?? field(args.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'cache') ?? expression, 'value');
  return cacheArgument && isEmptyDict(cacheArgument) ? { decorator, name, module, dict: cacheArgument } : undefined;
}

/** The module of the fact that `name` (as the decorator writes it) comes from, given the file's imports. */
function moduleNaming(context: RuleContext, fact: MemoizerFact, name: string): string | undefined {
  const modules = context.memo('python.importedModules', () => importedModules(context.root));
  const fromImports = (module: string) => context.memo(`python.importedFrom.${module}`, () => importedFrom(context.root, module));
  return fact.modules.find((module) => (name === `${module}.${fact.name}` && modules.has(module)) || (name === fact.name && fromImports(module).has(fact.name)));
}

function isEmptyDict(value: Node): boolean {
  return (value.type === 'dictionary' && value.namedChildCount === 0) || value.text.replace(/\s+/g, '') === 'dict()';
}

/** Plain functions (not instance methods) memoized without bound whose arguments are open-ended. */
export function memoizedFunctionDetections(context: RuleContext): Detection[] {
  if (!/\b(?:memoize|cached)\b/.test(context.index.code)) return [];
  const detections: Detection[] = [];
  for (const decorator of context.index.nodes('decorator')) {
    const fn = field(decorator.parent ?? decorator, 'definition');
    if (fn?.type !== 'function_definition' || isInstanceMethod(fn)) continue;
    const memoizer = unboundedLibraryMemoizer(context, decorator);
    if (!memoizer || !takesOpenEndedArguments(context, fn) || returnsNothing(fn)) continue;
    detections.push({
      anchor: decorator,
      scope: decorator.parent ?? decorator,
      message: `\`${functionName(fn)}\` is memoized by \`${memoizer.name}\` with no size limit, so the memo keeps every argument it has been called with (each request or object passed) and its result.`,
      fixes: [boundMemoizerFix(context, memoizer)],
    });
  }
  return detections;
}

/** `cached({})` gets a bounded LRU mapping of the same library; a memoize decorator becomes `functools.lru_cache(maxsize=128)`. */
export function boundMemoizerFix(context: RuleContext, memoizer: LibraryMemoizer): CodeFix {
  if (memoizer.dict) {
    const bounded = memoizer.module === 'cachetools' ? `cachetools.LRUCache(${BOUNDED})` : 'boltons.cacheutils.LRU(max_size=128)';
    return withImport(context, memoizer.module, { title: `Bound the memo: ${bounded}`, isPreferred: true, edits: [{ range: nodeRange(memoizer.dict), newText: bounded }] });
  }
  const expression = memoizer.decorator.namedChild(0) ?? memoizer.decorator;
  return withImport(context, 'functools', { title: `Bound the memo: functools.lru_cache(${BOUNDED})`, isPreferred: true, edits: [{ range: nodeRange(expression), newText: `functools.lru_cache(${BOUNDED})` }] });
}

function withImport(context: RuleContext, module: string, fix: CodeFix): CodeFix {
  const importEdit: TextEdit | undefined = addImports(context, [module]);
  return importEdit ? { ...fix, edits: [...fix.edits, importEdit] } : fix;
}

/**
 * An unbounded cache on a function grows only with its arguments: with none, or only ones of a
 * finite domain (`verbose=False`, a clock's hour and minute), it holds one entry per combination.
 */
export function takesOpenEndedArguments(context: RuleContext, fn: Node): boolean {
  return parameterNames(fn).some((name) => name !== '' && name !== 'self' && name !== 'cls' && !hasFiniteDomain(context, fn, name));
}

/**
 * A cached function that returns nothing (no `return value`, no `yield`) keeps no results: its
 * cache is a once-per-argument guard (`warn once about this path`), the code's own way to say the
 * side effect must not repeat, and an entry holds only the arguments it was called with.
 */
export function returnsNothing(fn: Node): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  const ownReturns = body.descendantsOfType(['return_statement', 'yield']).filter((node): node is Node => node !== null && enclosingFunction(node)?.id === fn.id);
  return ownReturns.every((node) => node.type === 'return_statement' && (node.namedChild(0) === null || node.namedChild(0)?.type === 'none'));
}

export function isInstanceMethod(fn: Node): boolean {
  if (!classOfMethod(fn)) return false;
  const decorators = decoratorsOf(fn).map((d) => d.namedChild(0)?.text ?? '');
  if (decorators.some((d) => d === 'staticmethod' || d === 'classmethod')) return false;
  return parameterNames(fn)[0] === 'self';
}
