// Which binding a name refers to, by scope rather than by spelling: a module global, an import, a
// parameter or local of one function, or (for `this.x` / `self.x`) an attribute of one class. A
// removal, a `del` or a `clear()` counts only when it reaches the same binding as the registration
// or the container: a parameter of another function that happens to share the name (minified code
// reuses `e` and `t` everywhere) is another variable.
//
// One pass over the declarations of a file (one `descendantsOfType` query, each declaration filed
// under its scope by walking its ancestors); a reference is resolved on demand by walking its own
// ancestors, so a scan pays for the names the rules ask about, not for every identifier.
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './rule';
import { field, namedChildren } from './syntax';

export type BindingKind = 'import' | 'module' | 'parameter' | 'local' | 'class' | 'global';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The node whose scope declares it; undefined for a name nothing in the file declares (`process`, `window`, a builtin). */
  scope: Node | undefined;
  /** The first declaring node (an identifier), when the file declares it. */
  declaration: Node | undefined;
  /** The value first assigned where it is declared (`x = require('y')`, `cache = {}`), when there is one. */
  value: Node | undefined;
}

/** An attribute of one class's instances (`this.x` in its methods, `self.x` in Python), or of the class itself. */
export interface Member {
  owner: Node;
  name: string;
}

interface Scope {
  node: Node;
  names: Map<string, Binding>;
  /** Python: names a function declares `global` / `nonlocal`. */
  globals?: Set<string>;
  nonlocals?: Set<string>;
}

const JS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']);
const JS_BLOCKS = new Set(['statement_block', 'for_statement', 'for_in_statement', 'catch_clause', 'class_declaration', 'class', 'switch_body']);
const JS_DECLARATIONS = ['variable_declarator', 'function_declaration', 'generator_function_declaration', 'class_declaration', 'import_statement', 'formal_parameters', 'arrow_function', 'catch_clause', 'function_expression', 'function', 'class', 'for_in_statement'];

const PY_FUNCTIONS = new Set(['function_definition', 'lambda']);
const PY_COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const PY_DECLARATIONS = ['function_definition', 'class_definition', 'parameters', 'lambda_parameters', 'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern', 'except_clause', 'import_statement', 'import_from_statement', 'global_statement', 'nonlocal_statement', 'named_expression', 'with_item'];

export class ScopeResolver {
  private readonly scopes = new Map<number, Scope>();

  constructor(
    private readonly root: Node,
    private readonly family: LanguageFamily,
  ) {
    this.scopes.set(root.id, { node: root, names: new Map() });
    const types = family === 'python' ? PY_DECLARATIONS : JS_DECLARATIONS;
    for (const node of root.descendantsOfType(types)) if (node) this.declare(node);
  }

  /** The binding an identifier refers to (or declares). */
  bindingOf(identifier: Node): Binding {
    const name = identifier.text;
    const found = this.family === 'python' ? this.lookupPython(identifier, name) : this.lookupJs(identifier, name);
    return found ?? { name, kind: 'global', scope: undefined, declaration: undefined, value: undefined };
  }

  /** True when both identifiers refer to one variable. */
  sameBinding(a: Node, b: Node): boolean {
    return a.text === b.text && bindingKey(this.bindingOf(a)) === bindingKey(this.bindingOf(b));
  }

  /**
   * The class attribute a `this.x` / `self.x` (or `cls.x`, `ClassName.x`) denotes, or undefined
   * when the object is not the enclosing class's instance or the class itself.
   */
  memberOf(access: Node): Member | undefined {
    const object = field(access, 'object');
    const property = field(access, this.family === 'python' ? 'attribute' : 'property');
    if (!object || !property) return undefined;
    const owner = this.family === 'python' ? this.pythonOwner(object) : this.jsOwner(object);
    return owner ? { owner, name: property.text } : undefined;
  }

  /** True when two `this.x` / `self.x` accesses denote the same attribute of the same class. */
  sameMember(a: Node, b: Node): boolean {
    const first = this.memberOf(a);
    const second = this.memberOf(b);
    return first !== undefined && second !== undefined && first.owner.id === second.owner.id && first.name === second.name;
  }

  /** The binding or member an expression's root denotes, as a key: equal keys, same variable. */
  referenceKey(expression: Node): string | undefined {
    if (expression.type === 'identifier') return bindingKey(this.bindingOf(expression));
    if (expression.type === 'member_expression' || expression.type === 'attribute') {
      const member = this.memberOf(expression);
      if (member) return `member:${member.owner.id}:${member.name}`;
      const object = field(expression, 'object');
      const property = field(expression, this.family === 'python' ? 'attribute' : 'property');
      const inner = object ? this.referenceKey(object) : undefined;
      return inner && property ? `${inner}.${property.text}` : undefined;
    }
    return undefined;
  }

  // --- declarations --------------------------------------------------------------------------

  private declare(node: Node): void {
    if (this.family === 'python') this.declarePython(node);
    else this.declareJs(node);
  }

  private scopeFor(node: Node): Scope {
    let scope = this.scopes.get(node.id);
    if (!scope) this.scopes.set(node.id, (scope = { node, names: new Map() }));
    return scope;
  }

  private add(scopeNode: Node, identifier: Node | undefined, kind: BindingKind, value?: Node): void {
    if (!identifier) return;
    const names = this.scopeFor(scopeNode).names;
    if (!names.has(identifier.text)) names.set(identifier.text, { name: identifier.text, kind, scope: scopeNode, declaration: identifier, value });
  }

  private declareJs(node: Node): void {
    switch (node.type) {
      case 'variable_declarator': {
        const declaration = node.parent;
        const functionScoped = declaration?.type === 'variable_declaration';
        const scope = functionScoped ? this.jsFunctionScope(node) : this.jsBlockScope(node);
        const value = field(node, 'value');
        const kind = isRequire(value) ? 'import' : this.jsKindAt(scope, 'local');
        for (const id of patternNames(field(node, 'name'))) this.add(scope, id, kind, value);
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
        this.add(this.jsFunctionScope(node), field(node, 'name'), this.jsKindAt(this.jsFunctionScope(node), 'local'), node);
        return;
      case 'class_declaration':
        this.add(this.jsBlockScope(node), field(node, 'name'), this.jsKindAt(this.jsBlockScope(node), 'local'), node);
        return;
      case 'function_expression':
      case 'function':
      case 'class':
        // A named function or class expression binds its name inside itself only.
        this.add(node, field(node, 'name'), 'local', node);
        return;
      case 'import_statement':
        for (const id of node.descendantsOfType('identifier')) {
          if (id && importedName(id)) this.add(this.root, id, 'import', node);
        }
        return;
      case 'formal_parameters': {
        const fn = node.parent;
        if (fn) for (const parameter of namedChildren(node)) for (const id of patternNames(parameter)) this.add(fn, id, 'parameter');
        return;
      }
      case 'arrow_function': {
        const single = field(node, 'parameter');
        if (single?.type === 'identifier') this.add(node, single, 'parameter');
        return;
      }
      case 'catch_clause':
        for (const id of patternNames(field(node, 'parameter'))) this.add(node, id, 'local');
        return;
      case 'for_in_statement': {
        const left = field(node, 'left');
        if (left && node.children.some((c) => c !== null && (c.type === 'let' || c.type === 'const'))) for (const id of patternNames(left)) this.add(node, id, 'local');
        else if (left && node.children.some((c) => c !== null && c.type === 'var')) for (const id of patternNames(left)) this.add(this.jsFunctionScope(node), id, 'local');
        return;
      }
    }
  }

  private jsFunctionScope(node: Node): Node {
    for (let current = node.parent; current; current = current.parent) if (JS_FUNCTIONS.has(current.type)) return current;
    return this.root;
  }

  private jsBlockScope(node: Node): Node {
    for (let current = node.parent; current; current = current.parent) {
      // A class declaration's name belongs to the block around the class, not the class.
      if (JS_FUNCTIONS.has(current.type) || (JS_BLOCKS.has(current.type) && !(current.type.startsWith('class') && field(current, 'name')?.id === node.id))) return current;
    }
    return this.root;
  }

  /** Declared in the program (or a block of it, outside any function): the module's own. */
  private jsKindAt(scope: Node, otherwise: BindingKind): BindingKind {
    if (scope.id === this.root.id) return 'module';
    for (let current: Node | null = scope; current; current = current.parent) if (JS_FUNCTIONS.has(current.type)) return otherwise;
    return 'module';
  }

  private declarePython(node: Node): void {
    switch (node.type) {
      case 'function_definition':
      case 'class_definition': {
        const scope = this.pyScopeOf(node);
        this.add(scope, field(node, 'name'), this.pyKindAt(scope), node);
        return;
      }
      case 'parameters':
      case 'lambda_parameters': {
        const fn = node.parent;
        if (fn) for (const parameter of namedChildren(node)) this.add(fn, parameterName(parameter), 'parameter');
        return;
      }
      case 'assignment':
      case 'augmented_assignment': {
        const scope = this.pyScopeOf(node);
        const value = node.type === 'assignment' ? field(node, 'right') : undefined;
        for (const id of pyTargets(field(node, 'left'))) this.add(scope, id, this.pyKindAt(scope), value);
        return;
      }
      case 'for_statement':
        for (const id of pyTargets(field(node, 'left'))) this.add(this.pyScopeOf(node), id, this.pyKindAt(this.pyScopeOf(node)));
        return;
      case 'for_in_clause': {
        const comprehension = node.parent;
        if (comprehension) for (const id of pyTargets(field(node, 'left'))) this.add(comprehension, id, 'local');
        return;
      }
      case 'as_pattern': {
        const alias = field(node, 'alias');
        for (const id of alias ? pyTargets(alias.type === 'as_pattern_target' ? (alias.namedChild(0) ?? undefined) : alias) : []) this.add(this.pyScopeOf(node), id, this.pyKindAt(this.pyScopeOf(node)));
        return;
      }
      case 'except_clause': {
        // Older grammars: `except E as e` without an as_pattern; the name follows `as`.
        const children = node.children.filter((c): c is Node => c !== null);
        const as = children.findIndex((c) => c.type === 'as');
        const name = as >= 0 ? children[as + 1] : undefined;
        if (name?.type === 'identifier') this.add(this.pyScopeOf(node), name, this.pyKindAt(this.pyScopeOf(node)));
        return;
      }
      case 'with_item':
        return; // its `as` target is an as_pattern, declared above
      case 'import_statement':
      case 'import_from_statement':
        for (const id of pyImportedNames(node)) this.add(this.pyScopeOf(node), id, this.pyScopeOf(node).id === this.root.id ? 'import' : 'local', node);
        return;
      case 'named_expression': {
        let scope = this.pyScopeOf(node);
        while (PY_COMPREHENSIONS.has(scope.type)) scope = this.pyScopeOf(scope);
        this.add(scope, field(node, 'name'), this.pyKindAt(scope));
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement': {
        const scope = this.scopeFor(this.pyScopeOf(node));
        const set = node.type === 'global_statement' ? (scope.globals ??= new Set()) : (scope.nonlocals ??= new Set());
        for (const id of namedChildren(node)) if (id.type === 'identifier') set.add(id.text);
        return;
      }
    }
  }

  /** The function, class, comprehension or module a Python statement's names belong to. */
  private pyScopeOf(node: Node): Node {
    for (let current = node.parent; current; current = current.parent) {
      if (PY_FUNCTIONS.has(current.type) || PY_COMPREHENSIONS.has(current.type)) return current;
      if (current.type === 'class_definition' && field(current, 'name')?.id !== node.id) return current;
    }
    return this.root;
  }

  private pyKindAt(scope: Node): BindingKind {
    if (scope.id === this.root.id) return 'module';
    return scope.type === 'class_definition' ? 'class' : 'local';
  }

  // --- references ----------------------------------------------------------------------------

  private lookupJs(identifier: Node, name: string): Binding | undefined {
    for (let current: Node | null = identifier.parent; current; current = current.parent) {
      const binding = this.scopes.get(current.id)?.names.get(name);
      if (binding) return binding;
    }
    return this.scopes.get(this.root.id)?.names.get(name);
  }

  private lookupPython(identifier: Node, name: string): Binding | undefined {
    // A def's or class's own name belongs to the scope around it.
    const parent = identifier.parent;
    let current: Node | null = parent && (parent.type === 'function_definition' || parent.type === 'class_definition') && field(parent, 'name')?.id === identifier.id ? parent.parent : parent;
    let insideFunction = false;
    for (; current; current = current.parent) {
      const scope = this.scopes.get(current.id);
      const isFunction = PY_FUNCTIONS.has(current.type) || PY_COMPREHENSIONS.has(current.type);
      // A class body's names are not visible from the functions defined in it.
      if (scope && !(current.type === 'class_definition' && insideFunction)) {
        if (scope.globals?.has(name)) return this.scopes.get(this.root.id)?.names.get(name);
        if (!scope.nonlocals?.has(name)) {
          const binding = scope.names.get(name);
          if (binding) return binding;
        }
      }
      if (isFunction) insideFunction = true;
    }
    return this.scopes.get(this.root.id)?.names.get(name);
  }

  /** The class (or constructor function) `this` stands for at a `this.x`. */
  private jsOwner(object: Node): Node | undefined {
    if (object.type !== 'this') return undefined;
    for (let current: Node | null = object.parent; current; current = current.parent) {
      if (current.type === 'arrow_function' || !JS_FUNCTIONS.has(current.type)) continue;
      if (current.type === 'method_definition') return current.parent?.parent ?? undefined; // class_body → class
      // `Widget.prototype = { show: function () { this.x } }`: the constructor `Widget`.
      const literal = current.parent?.type === 'pair' ? current.parent.parent?.parent : undefined;
      if (literal?.type === 'assignment_expression' && isPrototype(field(literal, 'left'))) return this.constructorOf(field(literal, 'left')!) ?? current;
      const assigned = current.parent?.type === 'assignment_expression' ? field(current.parent, 'left') : undefined;
      // `this.destroy = function () { this.x }` in a constructor: the same instance.
      if (assigned?.type === 'member_expression' && field(assigned, 'object')?.type === 'this') continue;
      // `Widget.prototype.show = function () { this.x }`: the constructor `Widget`.
      const prototypeOf = assigned?.type === 'member_expression' ? field(assigned, 'object') : undefined;
      if (isPrototype(prototypeOf)) return this.constructorOf(prototypeOf!) ?? current;
      return current;
    }
    return undefined;
  }

  /** The function declared as `Widget`, for `Widget.prototype`. */
  private constructorOf(prototype: Node): Node | undefined {
    const constructor = field(prototype, 'object');
    return constructor?.type === 'identifier' ? this.bindingOf(constructor).value : undefined;
  }

  /** The class `self` / `cls` / the class's own name stands for at a `self.x`. */
  private pythonOwner(object: Node): Node | undefined {
    if (object.type !== 'identifier') return undefined;
    const binding = this.bindingOf(object);
    if (binding.value?.type === 'class_definition') return binding.value;
    if (binding.kind !== 'parameter' || !binding.scope || binding.scope.type !== 'function_definition') return undefined;
    const parameters = field(binding.scope, 'parameters');
    const first = parameters ? namedChildren(parameters)[0] : undefined;
    if (!first || parameterName(first)?.id !== binding.declaration?.id) return undefined;
    const owner = binding.scope.parent?.type === 'decorated_definition' ? binding.scope.parent.parent?.parent : binding.scope.parent?.parent;
    return owner?.type === 'class_definition' ? owner : undefined;
  }
}

export function bindingKey(binding: Binding): string {
  return `${binding.scope?.id ?? 'global'}:${binding.name}`;
}

/** The scope resolver of a scan, built once and shared by the rules that ask. */
export function scopesOf(context: { root: Node; language: string; memo<T>(key: string, compute: () => T): T }): ScopeResolver {
  return context.memo('scopes', () => new ScopeResolver(context.root, context.language === 'python' ? 'python' : 'js'));
}

function isRequire(value: Node | undefined): boolean {
  if (value?.type === 'await_expression') value = value.namedChild(0) ?? undefined;
  while (value?.type === 'member_expression' || (value?.type === 'call_expression' && field(value, 'function')?.type === 'member_expression')) {
    value = field(value, value.type === 'member_expression' ? 'object' : 'function') ?? undefined;
    if (value?.type === 'member_expression') value = field(value, 'object') ?? undefined;
  }
  return value?.type === 'call_expression' && field(value, 'function')?.text === 'require';
}

/** The identifiers a JS declaration pattern binds: `a`, `{ a, b: c, d = 1, ...e }`, `[f, , g]`, TS parameters. */
function patternNames(pattern: Node | undefined): Node[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern];
    case 'required_parameter':
    case 'optional_parameter':
      return patternNames(field(pattern, 'pattern'));
    case 'assignment_pattern':
    case 'object_assignment_pattern':
      return patternNames(field(pattern, 'left'));
    case 'pair_pattern':
      return patternNames(field(pattern, 'value'));
    case 'rest_pattern':
      return patternNames(pattern.namedChild(0) ?? undefined);
    case 'object_pattern':
    case 'array_pattern':
      return namedChildren(pattern).flatMap(patternNames);
    default:
      return [];
  }
}

/** In an import statement, the identifiers that become local names (`b` in `import { a as b }`, not `a`). */
function importedName(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'import_specifier') return field(parent, 'alias') ? field(parent, 'alias')?.id === id.id : true;
  return parent.type === 'import_clause' || parent.type === 'namespace_import';
}

function parameterName(parameter: Node): Node | undefined {
  switch (parameter.type) {
    case 'identifier':
      return parameter;
    case 'default_parameter':
    case 'typed_default_parameter':
      return field(parameter, 'name');
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return namedChildren(parameter).find((child) => child.type === 'identifier');
    default:
      return undefined;
  }
}

/** The names a Python assignment target binds (`a`, `a, b`, `[a, *b]`); attributes and subscripts bind none. */
function pyTargets(target: Node | undefined): Node[] {
  if (!target) return [];
  if (target.type === 'identifier') return [target];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'expression_list', 'tuple', 'list'].includes(target.type)) return namedChildren(target).flatMap(pyTargets);
  return [];
}

/** `import a.b` binds `a`; `import a.b as c` and `from m import x as c` bind `c`; `from m import x` binds `x`. */
function pyImportedNames(node: Node): Node[] {
  const module = field(node, 'module_name');
  return namedChildren(node).flatMap((child) => {
    if (module && child.id === module.id) return [];
    if (child.type === 'aliased_import') return field(child, 'alias') ? [field(child, 'alias')!] : [];
    if (child.type === 'dotted_name') return child.namedChild(0) ? [child.namedChild(0)!] : [];
    return [];
  });
}

/** `Widget.prototype`. */
function isPrototype(node: Node | undefined): boolean {
  return node?.type === 'member_expression' && field(node, 'property')?.text === 'prototype';
}
