// Python shapes the rules share: enclosing functions and classes, statements a line can be
// inserted after, module imports and where to add one.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { ancestors, closest, field, groupBy, linesAfterStatement, namedChildren, statementStandsAlone, statementWithin } from '../syntax';
import { escapeRegExp, insertLinesAfter, insertLinesBefore, SourceText } from '../text';
import { TextEdit } from '../types';

const FUNCTION = new Set(['function_definition']);
const CLASS = new Set(['class_definition']);
const LOOPS = new Set(['for_statement', 'while_statement']);
const STATEMENT_PARENTS = new Set(['block', 'module']);

export const PYTHON_INDENT = '    ';
/** Methods that end an instance's life: what it handed out (handlers, timers) must be taken back there. */
export const TEARDOWN_METHODS = /^(close|aclose|stop|dispose|shutdown|cleanup|teardown|disconnect|destroy|release|terminate|kill|__exit__|__aexit__|__del__)$/;

export function enclosingFunction(node: Node): Node | undefined {
  return closest(node, FUNCTION);
}

export function functionName(fn: Node): string {
  return field(fn, 'name')?.text ?? '';
}

/**
 * Functions that run once in an object's or the program's life, by name: initialisers, entering
 * a context, starting a service, building or configuring an app. What they register, append or
 * declare is the object's one wiring, not one more per call. The one list every Python rule reads
 * set-up from (logger-handlers keeps its own: there `__init__` runs per instance of a logger's user).
 */
const RUNS_ONCE = /^(__init__|__post_init__|__new__|__enter__|__aenter__|setup|setUp|set_up|start|startup|init|initiali[sz]e|main|configure|bootstrap|install|register\w*|create_app|build|on_startup)$/;

export function runsOnce(fn: Node): boolean {
  return RUNS_ONCE.test(functionName(fn));
}

/**
 * The closure `node` names when it is a lambda or a function defined in `fn`: a new object on
 * every call of `fn`, holding that call's locals (and `self`). Undefined for anything else.
 */
export function freshClosure(node: Node, fn: Node): Node | undefined {
  if (node.type === 'lambda') return node;
  if (node.type !== 'identifier') return undefined;
  return (field(fn, 'body')?.descendantsOfType('function_definition') ?? []).find((inner) => inner !== null && functionName(inner) === node.text) ?? undefined;
}

export function isAsync(fn: Node): boolean {
  return fn.child(0)?.type === 'async';
}

/** The class a function is a method of (directly in its body, decorated or not). */
export function classOfMethod(fn: Node): Node | undefined {
  let holder = fn.parent;
  if (holder?.type === 'decorated_definition') holder = holder.parent;
  const owner = holder?.type === 'block' ? holder.parent : undefined;
  return owner && CLASS.has(owner.type) ? owner : undefined;
}

export function parameterNames(fn: Node): string[] {
  const parameters = field(fn, 'parameters');
  if (!parameters) return [];
  return namedChildren(parameters).map((p) => (p.type === 'identifier' ? p.text : (field(p, 'name')?.text ?? p.namedChild(0)?.text ?? '')));
}

export function decoratorsOf(fn: Node): Node[] {
  const holder = fn.parent;
  if (holder?.type !== 'decorated_definition') return [];
  return namedChildren(holder).filter((child) => child.type === 'decorator');
}

export function isInLoop(node: Node, within?: Node): boolean {
  for (const ancestor of ancestors(node)) {
    if (within && ancestor.id === within.id) return false;
    if (FUNCTION.has(ancestor.type)) return false;
    if (LOOPS.has(ancestor.type)) return true;
  }
  return false;
}

/** The innermost loop around a node, not looking past its function. */
export function enclosingLoop(node: Node): Node | undefined {
  for (const ancestor of ancestors(node)) {
    if (FUNCTION.has(ancestor.type)) return undefined;
    if (LOOPS.has(ancestor.type)) return ancestor;
  }
  return undefined;
}

/** The statement (a direct child of a block or module) that holds a node. */
export function statementOf(node: Node): Node | undefined {
  return statementWithin(node, STATEMENT_PARENTS);
}

/** A statement alone on its lines: new lines can go right after it at its indentation. */
export function standsAlone(statement: Node, source: SourceText): boolean {
  return statementStandsAlone(statement, STATEMENT_PARENTS, source, '#');
}

export function insertAfterStatement(source: SourceText, statement: Node, lines: readonly string[]): TextEdit {
  return linesAfterStatement(source, statement, lines);
}

/** Top-level `import a.b` (not aliased) statements, by module name. */
export function importedModules(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of namedChildren(root)) {
    if (statement.type !== 'import_statement') continue;
    for (const name of statement.childrenForFieldName('name')) {
      if (name?.type === 'dotted_name') names.add(name.text);
    }
  }
  return names;
}

/** Names bound by `from module import name` anywhere at the top level. */
export function importedFrom(root: Node, module: string): Set<string> {
  const names = new Set<string>();
  for (const statement of namedChildren(root)) {
    if (statement.type !== 'import_from_statement' || field(statement, 'module_name')?.text !== module) continue;
    for (const name of statement.childrenForFieldName('name')) {
      if (name?.type === 'dotted_name') names.add(name.text);
    }
  }
  return names;
}

/** True when `module.attr` can be written: `import module` or `import module.sub` is at the top. */
export function canReference(root: Node, module: string): boolean {
  for (const name of importedModules(root)) if (name === module || name.startsWith(module + '.')) return true;
  return false;
}

/**
 * One edit adding the missing `import x` lines after the last top-level import (or the module
 * docstring), so fixes can use `gc.collect()` and the like. Undefined when nothing is missing.
 */
export function addImports(context: RuleContext, modules: readonly string[]): TextEdit | undefined {
  const present = importedModules(context.root);
  const missing = modules.filter((module) => !present.has(module) && !(module === 'logging' && present.has('logging.handlers')));
  if (missing.length === 0) return undefined;
  const lines = [...new Set(missing)].map((module) => `import ${module}`);
  const statements = namedChildren(context.root).filter((s) => s.type !== 'comment');
  const imports = statements.filter((s) => s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement');
  const last = imports.at(-1);
  if (last) return insertLinesAfter(context.source, last.endPosition.row, '', lines);
  const first = statements[0];
  if (first && isDocstring(first)) return insertLinesAfter(context.source, first.endPosition.row, '', lines);
  return insertLinesBefore(context.source, first ? first.startPosition.row : 0, '', lines);
}

/** A string standing alone as a statement: a module's, class's or function's docstring. */
export function isDocstring(statement: Node): boolean {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.namedChild(0)?.type === 'string';
}

/** The receiver's root name: `self` for `self.server.x`, `cache` for `cache[k]`. */
export function rootName(node: Node): string | undefined {
  let current: Node | undefined = node;
  while (current) {
    if (current.type === 'identifier') return current.text;
    if (current.type === 'attribute') current = field(current, 'object');
    else if (current.type === 'subscript') current = field(current, 'value');
    else if (current.type === 'call') current = field(current, 'function');
    else return undefined;
  }
  return undefined;
}

/**
 * Objects another module made and this one imports by name (`from app.events import bus`, `... import
 * hub as events`): a module's objects live as long as the process, wherever they are defined. A
 * CapWords name is a class (`from qt import QTimer`), and a class's methods make things rather than
 * hold them, so those are left out.
 */
export function importedObjectNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of namedChildren(root)) {
    if (statement.type !== 'import_from_statement') continue;
    for (const name of statement.childrenForFieldName('name')) {
      const bound = name?.type === 'aliased_import' ? field(name, 'alias') : name;
      if (bound && /^[a-z_]/.test(bound.text) && !bound.text.includes('.')) names.add(bound.text);
    }
  }
  return names;
}

/** Names assigned at module level (`X = ...`), which live as long as the process. */
export function moduleLevelNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of namedChildren(root)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = field(assignment, 'left');
    if (left?.type === 'identifier') names.add(left.text);
  }
  return names;
}

/** Names bound inside a function: parameters, assignment targets, loop and with targets. */
export function localNames(fn: Node): Set<string> {
  const names = new Set(parameterNames(fn));
  const body = field(fn, 'body');
  if (!body) return names;
  for (const assignment of body.descendantsOfType(['assignment', 'for_statement', 'as_pattern_target', 'augmented_assignment', 'function_definition'])) {
    if (!assignment) continue;
    if (assignment.type === 'function_definition') {
      names.add(functionName(assignment));
      continue;
    }
    const target = assignment.type === 'as_pattern_target' ? assignment : field(assignment, 'left');
    if (!target) continue;
    if (target.type === 'identifier') names.add(target.text);
    else for (const id of target.descendantsOfType('identifier')) if (id && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript') names.add(id.text);
  }
  return names;
}

/**
 * `target`, or an object it hangs on (`self.dialog` of `self.dialog.clicked`), is assigned in `fn`
 * before `use`: a new object, so what is registered on it goes with it. `code` is the file's text
 * (blanked strings are fine: only names are compared).
 */
export function madeEarlierIn(code: string, fn: Node, use: Node, target: Node): boolean {
  // From the body: a parameter's default (`respondent=None`) makes nothing.
  const before = code.slice((field(fn, 'body') ?? fn).startIndex, use.startIndex);
  for (let node: Node | null = target; node && (node.type === 'attribute' || node.type === 'identifier'); node = node.type === 'attribute' ? field(node, 'object') ?? null : null) {
    if (node.text === 'self') return false;
    if (new RegExp(`${escapeRegExp(node.text)}\\s*(?::[^=\\n]+)?=(?!=)`).test(before)) return true;
  }
  return false;
}

/**
 * `node` runs under `if key not in table:` whose body stores `table[key] = …` (within `fn`): that
 * branch runs once per key while the entry stays, so what it does is per key, not per call.
 */
export function runsOncePerKey(node: Node, fn: Node): boolean {
  for (let current = node.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type !== 'if_statement') continue;
    const test = field(current, 'condition');
    const [key, table] = test?.type === 'comparison_operator' && /\bnot\s+in\b/.test(test.text) ? namedChildren(test) : [];
    if (!key || !table) continue;
    const stored = (field(current, 'consequence')?.descendantsOfType('assignment') ?? []).some((assignment) => {
      const left = assignment ? field(assignment, 'left') : undefined;
      return left?.type === 'subscript' && field(left, 'value')?.text === table.text && field(left, 'subscript')?.text === key.text;
    });
    if (stored) return true;
  }
  return false;
}

/** The file's calls by their callee's text (`limiter.allow(ip)` under `limiter.allow`), read once per file. */
export function callsByName(context: RuleContext): ReadonlyMap<string | undefined, Node[]> {
  return context.memo('python.callsByName', () => groupBy(context.index.nodes('call'), (call) => field(call, 'function')?.text));
}
