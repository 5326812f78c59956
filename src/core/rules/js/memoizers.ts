// Memoizers of well-known JS libraries whose memo has no size limit unless told, as facts about
// those libraries:
// - lodash `_.memoize` / `lodash.memoize` / `lodash/memoize` (lodash docs: the result is cached
//   in a `MapCache` exposed as `memoized.cache`, keyed by the first argument; nothing evicts;
//   lodash's own internal `memoizeCapped` clears that cache past 500 entries), and underscore's
//   `_.memoize` (a plain object, `memoized.cache`).
// - memoizee (`memoizee(fn)` keeps every result; its `max` option bounds the memo, `maxAge`
//   expires entries).
// - mem (a Map keyed by the first argument; `maxAge` expires entries, `cache` swaps the store).
// fast-memoize, p-memoize and moize are not read: the first two offer no in-place bound a fix
// could add, and moize bounds its memo to one entry by default.
// Reported by unbounded-cache when the memoized wrapper is made once for the module (a top-level
// declaration), so it lives as long as the process, and wraps a function that takes arguments
// (each distinct argument adds an entry). A wrapper made per instance or per call dies with it.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { field, namedChildren, nodeRange } from '../syntax';
import { insertAt } from '../text';
import { CodeFix } from '../types';
import { functionChain, FUNCTION_VALUES } from './syntax';

const CAP = 1000;

type Library = 'lodash' | 'underscore' | 'memoizee' | 'mem';

/** Packages whose namespace carries `.memoize`. */
const NAMESPACES: Readonly<Record<string, Library>> = { lodash: 'lodash', 'lodash-es': 'lodash', underscore: 'underscore' };
/** Packages that are the memoizer themselves. */
const DIRECT: Readonly<Record<string, Library>> = { 'lodash.memoize': 'lodash', 'lodash/memoize': 'lodash', 'lodash/memoize.js': 'lodash', 'lodash-es/memoize': 'lodash', memoizee: 'memoizee', mem: 'mem' };
/** Options that bound (or expire, or replace) the memo. */
const BOUNDING_OPTIONS: Readonly<Record<Library, readonly string[]>> = { lodash: [], underscore: [], memoizee: ['max', 'maxAge'], mem: ['maxAge', 'cache'] };

/** How this file names each memoizer: `memoize` → lodash, `_.memoize` → lodash, `memoizee` → memoizee. */
function memoizerNames(context: RuleContext): Map<string, Library> {
  return context.memo('js.memoizerNames', () => {
    const names = new Map<string, Library>();
    const text = context.source.text;
    const bindings = /(?:import\s+(?:\*\s+as\s+)?([\w$]+)\s+from|(?:const|let|var)\s+([\w$]+)\s*=\s*require\s*\()\s*['"]([^'"]+)['"]/g;
    for (const match of text.matchAll(bindings)) {
      const local = match[1] ?? match[2] ?? '';
      const module = match[3] ?? '';
      if (NAMESPACES[module]) names.set(`${local}.memoize`, NAMESPACES[module]);
      if (DIRECT[module]) names.set(local, DIRECT[module]);
    }
    const named = /(?:import\s*\{([^}]*)\}\s*from|(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\s*\()\s*['"]([^'"]+)['"]/g;
    for (const match of text.matchAll(named)) {
      const library = NAMESPACES[match[3] ?? ''];
      const memoize = /\bmemoize\b(?:\s*(?:as|:)\s*([\w$]+))?/.exec(match[1] ?? match[2] ?? '');
      if (library && memoize) names.set(memoize[1] ?? 'memoize', library);
    }
    return names;
  });
}

/** Top-level `const f = memoize(g)` (or `memoizee(g)`, `mem(g)`) where g takes arguments and nothing bounds the memo. */
export function memoizedWrapperDetections(context: RuleContext): Detection[] {
  if (!/memoize|\bmem\b/.test(context.index.code)) return [];
  const names = memoizerNames(context);
  if (names.size === 0) return [];
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call_expression')) {
    const library = names.get(field(call, 'function')?.text.replace(/\s+/g, '') ?? '');
    const declarator = call.parent?.type === 'variable_declarator' ? call.parent : undefined;
    const name = declarator ? field(declarator, 'name') : undefined;
    if (!library || !declarator || name?.type !== 'identifier' || functionChain(call).length > 0) continue;
    const args = namedChildren(field(call, 'arguments') ?? call);
    if (!takesArguments(context, args[0]) || isBounded(context, library, name.text, args[1])) continue;
    const fix = boundFix(library, name.text, call, args);
    detections.push({
      anchor: call,
      scope: declarator,
      message: `\`${name.text}\` memoizes with no size limit for the life of the module: its memo keeps every distinct argument (each request or object passed) and its result.`,
      fixes: fix ? [fix] : [],
    });
  }
  return detections;
}

/** The memoized function takes at least one parameter: written inline, or a function declared in the file. */
function takesArguments(context: RuleContext, fn: Node | undefined): boolean {
  if (!fn) return false;
  let definition: Node | undefined = fn;
  if (fn.type === 'identifier') {
    definition = context.index.nodes('function_declaration').find((declaration) => field(declaration, 'name')?.text === fn.text);
  }
  if (!definition || !(FUNCTION_VALUES.has(definition.type) || definition.type === 'function_declaration')) return false;
  const parameters = field(definition, 'parameters') ?? field(definition, 'parameter');
  return parameters !== undefined && (parameters.type === 'identifier' || parameters.namedChildCount > 0);
}

/** An option that bounds it, or (lodash, underscore) the memo's cache cleared, trimmed or replaced somewhere in the file. */
function isBounded(context: RuleContext, library: Library, name: string, options: Node | undefined): boolean {
  const keys = options?.type === 'object' ? namedChildren(options).map((property) => (property.type === 'pair' ? field(property, 'key')?.text : property.text)) : [];
  if (options && options.type !== 'object' && library !== 'lodash' && library !== 'underscore') return true;
  if (keys.some((key) => key === undefined || key.startsWith('...') || BOUNDING_OPTIONS[library].includes(key.replace(/['"]/g, '')))) return true;
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(`\\b${escaped}\\s*\\.\\s*cache\\s*(?:\\.\\s*(?:clear|delete)\\s*\\(|=[^=])|\\bmemoize\\s*\\.\\s*Cache\\s*=[^=]`).test(context.source.text);
}

/**
 * lodash/underscore: a key resolver that empties the memo past the cap (lodash's own
 * memoizeCapped does this); memoizee: `max`; mem: `maxAge`.
 */
function boundFix(library: Library, name: string, call: Node, args: readonly Node[]): CodeFix | undefined {
  const fn = args[0];
  if (!fn) return undefined;
  const end = { line: fn.endPosition.row, column: fn.endPosition.column };
  if (library === 'lodash' || library === 'underscore') {
    const key = args[1] ? `(${args[1].text}).apply(this, arguments)` : 'key';
    const size = library === 'lodash' ? `${name}.cache.size` : `Object.keys(${name}.cache).length`;
    const empty = library === 'lodash' ? `${name}.cache.clear();` : `${name}.cache = {};`;
    if (args.length > 2) return undefined;
    const resolver = `function (key) { if (${size} >= ${CAP}) ${empty} return ${key}; }`;
    const edit = args[1] ? { range: nodeRange(args[1]), newText: resolver } : insertAt(end, `, ${resolver}`);
    return { title: `Empty the memo of ${name} past ${CAP} entries`, isPreferred: true, edits: [edit] };
  }
  const option = library === 'memoizee' ? `max: ${CAP}` : 'maxAge: 60 * 1000';
  const options = args[1];
  if (!options) return { title: `Bound the memo of ${name}: { ${option} }`, isPreferred: true, edits: [insertAt(end, `, { ${option} }`)] };
  if (options.type !== 'object' || call.text.includes('\n')) return undefined;
  const last = namedChildren(options).at(-1);
  const at = last ? { line: last.endPosition.row, column: last.endPosition.column } : { line: options.startPosition.row, column: options.startPosition.column + 1 };
  return { title: `Bound the memo of ${name}: ${option}`, isPreferred: true, edits: [insertAt(at, last ? `, ${option}` : ` ${option} `)] };
}

