// Parameters whose values come from a finite domain: a cache keyed by them is bounded by that
// domain (two flag values, a clock's hours, the classes and literals of the program's own code),
// not by what the process is asked to do.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { ancestors, field, namedChildren } from '../syntax';
import { callsByName, classOfMethod, enclosingFunction, functionName, parameterNames } from './syntax';

const FLAG_DEFAULTS = new Set(['True', 'False', '0', '1']);
/** A clock's hour or minute, a weekday, a sign: a few dozen values at most (`hour_str`, `sign`). */
const SMALL_DOMAIN_NAME = /^_*(?:hours?|minutes?|weekday|sign)(?:_(?:str|string|text|value|num|number|idx|index))?$/;
const LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'generator_expression', 'dictionary_comprehension']);
/** How far a value is followed back through locals, loops and comprehensions. */
const MAX_HOPS = 6;

/** A parameter that switches behaviour (`terse=False`, `verbose: bool`): two values at most. */
export function isFlag(fn: Node, name: string): boolean {
  const parameter = parameterNode(fn, name);
  if (!parameter) return false;
  const value = field(parameter, 'value');
  const type = field(parameter, 'type');
  return (value !== undefined && FLAG_DEFAULTS.has(value.text)) || type?.text === 'bool';
}

/**
 * A parameter that takes few values whoever calls: a flag, or one named for a clock field or a
 * sign; or, for a function internal to its file, one that every call in the file fills from the
 * program's own code (a literal, a class, the fields a class declares).
 */
export function hasFiniteDomain(context: RuleContext, fn: Node, name: string): boolean {
  return isFlag(fn, name) || SMALL_DOMAIN_NAME.test(name) || filledFromCode(context, fn, name);
}

/** `x.__class__`, `f.__name__`, `type(x).__qualname__`: a class of the program or the name of its code. */
const CODE_NAME = /\.\s*(?:__class__|__name__|__qualname__)$/;

/**
 * A key whose values come from a finite domain: fixed by the code (a literal, a class, what a
 * class declares, the name of a class or function), a parameter with a finite domain, or a tuple
 * of those. A container stored into only under such keys is bounded by that domain.
 */
export function isFiniteKey(context: RuleContext, fn: Node, key: Node): boolean {
  if (key.type === 'tuple' || key.type === 'parenthesized_expression') return namedChildren(key).every((part) => isFiniteKey(context, fn, part));
  if (key.type === 'identifier' && parameterNames(fn).includes(key.text)) return hasFiniteDomain(context, fn, key.text);
  if (key.type === 'attribute' && CODE_NAME.test(key.text)) return true;
  return fromCode(key, MAX_HOPS);
}

function parameterNode(fn: Node, name: string): Node | undefined {
  return namedChildren(field(fn, 'parameters') ?? fn).find((p) => (field(p, 'name') ?? p).text === name);
}

/**
 * A module-level function that only its own file calls (a private name, or left out of a
 * declared `__all__`), called there at least once, and given at `name` only values drawn from
 * the code: the file's calls are all its calls.
 */
function filledFromCode(context: RuleContext, fn: Node, name: string): boolean {
  const fnName = functionName(fn);
  if (!fnName || classOfMethod(fn) || fn.parent?.type !== 'module' || !isInternal(context, fnName)) return false;
  const position = parameterNames(fn).indexOf(name);
  const calls = callsByName(context).get(fnName) ?? [];
  if (position < 0 || calls.length === 0) return false;
  return calls.every((call) => {
    const argument = argumentFor(call, name, position);
    return argument === 'default' || (argument !== undefined && fromCode(argument, MAX_HOPS));
  });
}

function isInternal(context: RuleContext, name: string): boolean {
  if (/^_[^_]/.test(name)) return true;
  const exported = context.memo('python.dunderAll', () => declaredAll(context.root));
  return exported !== undefined && !exported.has(name);
}

/** The names a module lists in `__all__` (assigned, extended or added to), or undefined without one. */
function declaredAll(root: Node): Set<string> | undefined {
  let declared = false;
  const names = new Set<string>();
  for (const statement of namedChildren(root)) {
    if (statement.type !== 'expression_statement' || !/^__all__\b/.test(statement.text)) continue;
    declared = true;
    for (const literal of statement.descendantsOfType('string_content')) if (literal) names.add(literal.text);
  }
  return declared ? names : undefined;
}

/** The argument a call passes for a parameter: 'default' when it passes none, undefined when it cannot be told (`*args`). */
function argumentFor(call: Node, name: string, position: number): Node | 'default' | undefined {
  const args = namedChildren(field(call, 'arguments') ?? call);
  if (args.some((arg) => arg.type === 'list_splat' || arg.type === 'dictionary_splat')) return undefined;
  const keyword = args.find((arg) => arg.type === 'keyword_argument' && field(arg, 'name')?.text === name);
  if (keyword) return field(keyword, 'value');
  const positional = args.filter((arg) => arg.type !== 'keyword_argument');
  return positional[position] ?? 'default';
}

/**
 * A value the code itself fixes: a literal, a class (`type(obj)`, `cls`), what a class declares
 * (`cls._fields_`, `field[0]` of one of them), or a local, loop variable or comprehension built
 * only from those.
 */
function fromCode(node: Node, hops: number): boolean {
  if (hops <= 0) return false;
  if (LITERALS.has(node.type)) return node.descendantsOfType('interpolation').length === 0;
  switch (node.type) {
    case 'parenthesized_expression':
    case 'tuple':
    case 'list':
      return namedChildren(node).every((child) => fromCode(child, hops - 1));
    case 'attribute':
    case 'subscript': {
      const base = field(node, node.type === 'attribute' ? 'object' : 'value');
      const index = node.type === 'subscript' ? field(node, 'subscript') : undefined;
      return base !== undefined && fromCode(base, hops - 1) && (index === undefined || fromCode(index, hops - 1));
    }
    case 'call':
      return field(node, 'function')?.text === 'type';
    case 'identifier':
      return identifierFromCode(node, hops);
    default:
      return COMPREHENSIONS.has(node.type) && comprehensionFromCode(node, hops);
  }
}

/** `[f[0] for f in cls._fields_]`: every element is made from what the loops walk. */
function comprehensionFromCode(node: Node, hops: number): boolean {
  const clauses = namedChildren(node).filter((child) => child.type === 'for_in_clause');
  const bound = new Set(clauses.flatMap((clause) => identifiers(field(clause, 'left'))));
  const body = node.namedChild(0);
  if (!body || clauses.length === 0) return false;
  const free = identifiers(body).filter((name) => !bound.has(name));
  return free.length === 0 && clauses.every((clause) => {
    const iterable = field(clause, 'right');
    return iterable !== undefined && fromCode(iterable, hops - 1);
  });
}

/**
 * A name bound by an enclosing comprehension's loop, or by the assignments and loops of its
 * function before the use; `cls` of a class method is a class.
 */
function identifierFromCode(id: Node, hops: number): boolean {
  const name = id.text;
  for (const ancestor of ancestors(id)) {
    if (ancestor.type === 'function_definition') break;
    if (!COMPREHENSIONS.has(ancestor.type)) continue;
    const clause = namedChildren(ancestor).find((child) => child.type === 'for_in_clause' && identifiers(field(child, 'left')).includes(name));
    const iterable = clause ? field(clause, 'right') : undefined;
    if (iterable) return fromCode(iterable, hops - 1);
  }
  const fn = enclosingFunction(id);
  if (!fn) return false;
  if (name === 'cls' && parameterNames(fn)[0] === 'cls') return true;
  const sources = bindingsBefore(fn, name, id);
  return sources.length > 0 && sources.every((source) => fromCode(source, hops - 1));
}

/** What `name` is bound to in `fn` before `use`: assigned values and the iterables of loops over it; none for parameters. */
function bindingsBefore(fn: Node, name: string, use: Node): Node[] {
  if (parameterNames(fn).includes(name)) return [];
  const body = field(fn, 'body');
  const sources: Node[] = [];
  for (const binding of body?.descendantsOfType(['assignment', 'for_statement', 'augmented_assignment']) ?? []) {
    if (!binding || binding.startIndex >= use.startIndex || enclosingFunction(binding)?.id !== fn.id) continue;
    const target = field(binding, 'left');
    if (!target || !identifiers(target).includes(name)) continue;
    const source = field(binding, 'right');
    // A name unpacked from a tuple or augmented in place cannot be followed to one value.
    if (!source || binding.type === 'augmented_assignment' || (binding.type === 'assignment' && target.type !== 'identifier')) return [];
    sources.push(source);
  }
  return sources;
}

function identifiers(node: Node | undefined): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  return node.descendantsOfType('identifier').flatMap((id) => (id && id.parent?.type !== 'keyword_argument' && !(id.parent?.type === 'attribute' && field(id.parent, 'attribute')?.id === id.id) ? [id.text] : []));
}
