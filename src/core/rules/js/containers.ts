// Long-lived containers in JavaScript/TypeScript: Maps, plain objects and arrays bound at module
// level, as class fields, or on `this` in a constructor.
import type { Node } from 'web-tree-sitter';
import { RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { NameOccurrences } from '../references';
import { enclosingClass, enclosingMethod, functionChain, inLoop } from './syntax';

export interface JsContainer {
  name: string;
  access: readonly string[];
  value: Node;
  /** The constructor that declares it, if any: uses there are set-up, not growth. */
  owner: Node | undefined;
  /** Where code reaches it by name: its class for `this.x` fields, the whole file (undefined) otherwise. */
  scope: Node | undefined;
}

const FIELD_TYPES = new Set(['field_definition', 'public_field_definition']);

export function jsContainers(context: RuleContext, isContainer: (value: Node) => boolean): JsContainer[] {
  const found: JsContainer[] = [];
  for (const declarator of context.index.nodes('variable_declarator')) {
    const name = field(declarator, 'name');
    const value = field(declarator, 'value');
    const declaration = declarator.parent;
    const top = declaration?.parent?.type === 'export_statement' ? declaration.parent : declaration;
    if (name?.type === 'identifier' && value && isContainer(unwrapValue(value)) && top?.parent?.type === 'program') {
      found.push({ name: name.text, access: [name.text], value, owner: undefined, scope: undefined });
    }
  }
  for (const type of FIELD_TYPES) {
    for (const definition of context.index.nodes(type)) {
      const name = field(definition, 'property') ?? field(definition, 'name');
      const value = field(definition, 'value');
      if (!name || !value || !isContainer(unwrapValue(value))) continue;
      const className = field(enclosingClass(definition) ?? definition, 'name')?.text;
      const isStatic = definition.children.some((child) => child?.type === 'static');
      const access = isStatic && className ? [`${className}.${name.text}`, `this.${name.text}`] : [`this.${name.text}`];
      found.push({ name: name.text, access, value, owner: undefined, scope: isStatic ? undefined : enclosingClass(definition) });
    }
  }
  for (const assignment of context.index.nodes('assignment_expression')) {
    const left = field(assignment, 'left');
    const value = field(assignment, 'right');
    const method = enclosingMethod(assignment);
    if (left?.type !== 'member_expression' || field(left, 'object')?.type !== 'this' || !value || !isContainer(unwrapValue(value))) continue;
    if (method?.name !== 'constructor' || functionChain(assignment)[0]?.id !== method.method.id) continue;
    const name = field(left, 'property')?.text ?? '';
    found.push({ name, access: [`this.${name}`], value, owner: method.method, scope: enclosingClass(assignment) });
  }
  return found;
}

export function isRepeatedJsUse(container: JsContainer, use: Node): boolean {
  const chain = functionChain(use);
  if (chain.length === 0) return inLoop(use);
  const innermost = chain[0];
  // A field filled in the constructor is being set up, not growing.
  if (innermost?.type === 'method_definition' && field(innermost, 'name')?.text === 'constructor' && container.access.some((a) => a.startsWith('this.'))) return false;
  return !container.owner || innermost?.id !== container.owner.id;
}

export function refersToJs(container: JsContainer, node: Node | undefined): boolean {
  return node !== undefined && container.access.includes(node.text.replace(/\s+/g, '').replace(/!$/, ''));
}

/** Assignments to the name in its scope, declarations included (`cache = new Map()` in a reset counts). */
export function jsAssignmentCount(names: NameOccurrences, container: JsContainer): number {
  return names.count(container.name, container.scope, /\s*!?\s*(?::[^=\n;]+)?=(?![=>])/);
}

/** The container stored elsewhere or handed to a call: what happens to it then is out of sight. */
export function jsEscapes(names: NameOccurrences, container: JsContainer): boolean {
  return (
    names.anyAround(container.name, container.scope, /(?<![=!<>])=\s*(?:[\w$]+\.)*$/, /\s*(?:;|$)/m) ||
    names.anyAround(container.name, container.scope, /[(,]\s*(?:[\w$]+\.)*$/, /\s*[,)]/)
  );
}

/** A method called on the container in its scope: `cache.delete(`, `this.items.splice(`. */
export function jsCalledWith(names: NameOccurrences, container: JsContainer, methods: string): boolean {
  return names.anyFollowedBy(container.name, container.scope, new RegExp(`\\s*!?\\s*\\??\\.\\s*(?:${methods})\\s*\\(`));
}

export function jsDeclarationCount(containers: readonly JsContainer[], container: JsContainer): number {
  return containers.filter((c) => c.name === container.name).length;
}

export function isNewMap(value: Node): boolean {
  return value.type === 'new_expression' && field(value, 'constructor')?.text === 'Map';
}

export function isEmptyObject(value: Node): boolean {
  if (value.type === 'object') return namedChildren(value).length === 0;
  return value.type === 'call_expression' && value.text.replace(/\s+/g, '') === 'Object.create(null)';
}

export function isArray(value: Node): boolean {
  if (value.type === 'array') return true;
  return value.type === 'new_expression' && field(value, 'constructor')?.text === 'Array' && namedChildren(field(value, 'arguments') ?? value).length === 0;
}

/** `as` casts and `satisfies` wrap the value in TypeScript: look through them. */
export function unwrapValue(value: Node): Node {
  let current = value;
  while ((current.type === 'as_expression' || current.type === 'satisfies_expression' || current.type === 'parenthesized_expression') && current.namedChild(0)) {
    current = current.namedChild(0) ?? current;
  }
  return current;
}
