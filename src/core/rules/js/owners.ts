// Which class a container's name belongs to where it occurs (JS/TS). Two old-style classes
// (`function Ring() { this.cache = new Map(); }` with methods on `Ring.prototype`) or two classes'
// static fields may each bind a member of the same name: `this.cache` in Ring's methods is not
// Pool's, so a store, a removal or a size check there says nothing about Pool's. A class's family
// (containerOwners.ts) counts as one owner.
import type { Node } from 'web-tree-sitter';
import { BaseTable, classFamily } from '../containerOwners';
import { RuleContext } from '../rule';
import { ancestors, field, groupBy, namedChildren, normalizeRef } from '../syntax';

export interface OwnedJsContainer {
  name: string;
  /** The class or constructor function whose member it is; undefined for a module's or a closure's name. */
  home?: string;
  /** Whether an occurrence of the name (its start offset) may be this container; absent: every one in scope. */
  reaches?: (start: number) => boolean;
}

const RECEIVER_BEFORE = /([A-Za-z_$][\w$]*)\s*\.\s*$/;
const CLASSES = new Set(['class_declaration', 'class', 'abstract_class_declaration']);
const NAMED_FUNCTIONS = new Set(['function_declaration', 'function_expression']);
const PROTOTYPE_OF = /^([A-Za-z_$][\w$]*)\.prototype\b/;
/** Calls that set one old-style class's prototype from another's: `util.inherits(B, A)`, `Object.setPrototypeOf(B.prototype, A.prototype)`. */
const INHERITS = /(?:^|\.)(?:inherits|setPrototypeOf)$/;

/**
 * Gives each container whose name another class of the file also binds (`this.name = …`, a
 * field) a test that keeps only the occurrences that may be this one. Compiled TypeScript classes
 * (`__extends(Child, _super)`) hide their bases: there every occurrence still counts.
 */
export function separateJsOwners(context: RuleContext, containers: readonly OwnedJsContainer[]): void {
  if (context.index.names.within('__extends').length > 0) return;
  for (const container of containers) {
    const binders = bindersOf(context, container.name);
    // Cheapest first: most names have one owner, and a family costs a walk of the file's classes.
    if (binders.every((owner) => owner === container.home)) continue;
    const family = container.home ? familyOf(context, container.home) : new Set<string>();
    const others = new Set(binders.filter((owner) => !family.has(owner)));
    if (others.size === 0) continue;
    container.reaches = (start) => reachesAt(context, family, others, start);
  }
}

function familyOf(context: RuleContext, home: string): ReadonlySet<string> {
  const known = context.memo('js.classFamilies', () => new Map<string, ReadonlySet<string>>());
  let family = known.get(home);
  if (!family) known.set(home, (family = classFamily(baseTable(context), home)));
  return family;
}

/** `this.name` and `Owner.name` belong to their owner; a bare name or another object's member may be anyone's. */
function reachesAt(context: RuleContext, family: ReadonlySet<string>, others: ReadonlySet<string>, start: number): boolean {
  const receiver = RECEIVER_BEFORE.exec(context.index.names.code.slice(Math.max(0, start - 80), start))?.[1];
  const owner = receiver === 'this' ? ownerAt(context, start) : receiver;
  return owner === undefined || family.has(owner) || !others.has(owner);
}

/** Classes and constructor functions that bind `name` on `this` or as a field. */
function bindersOf(context: RuleContext, name: string): readonly string[] {
  const known = context.memo('js.bindersByName', () => new Map<string, readonly string[]>());
  let binders = known.get(name);
  if (!binders) known.set(name, (binders = readBinders(context, name)));
  return binders;
}

function readBinders(context: RuleContext, name: string): string[] {
  const byTarget = context.memo('js.assignmentsByTarget', () => groupBy(context.index.nodes('assignment_expression'), (assignment) => {
    const left = field(assignment, 'left');
    return left?.type === 'member_expression' ? normalizeRef(left.text) : undefined;
  }));
  const onThis = (byTarget.get(`this.${name}`) ?? []).map((assignment) => ownerOf(assignment));
  const byName = context.memo('js.fieldsByName', () => groupBy(['field_definition', 'public_field_definition'].flatMap((type) => context.index.nodes(type)), (definition) => (field(definition, 'property') ?? field(definition, 'name'))?.text));
  const fields = (byName.get(name) ?? []).map((definition) => ownerOf(definition));
  return [...onThis, ...fields].filter((owner): owner is string => owner !== undefined);
}

function ownerAt(context: RuleContext, offset: number): string | undefined {
  const node = context.root.descendantForIndex(offset);
  return node ? ownerOf(node) : undefined;
}

/**
 * Whose `this` a node sees: the innermost class around it, a constructor function (named with a
 * capital), or the old-style class whose prototype a function is assigned to (`Ring.prototype.get = function…`).
 */
function ownerOf(node: Node): string | undefined {
  for (const ancestor of ancestors(node)) {
    if (CLASSES.has(ancestor.type)) return field(ancestor, 'name')?.text;
    if (NAMED_FUNCTIONS.has(ancestor.type) && /^[A-Z]/.test(field(ancestor, 'name')?.text ?? '')) return field(ancestor, 'name')?.text;
    if (ancestor.type === 'assignment_expression') {
      const prototypeOf = PROTOTYPE_OF.exec(normalizeRef(field(ancestor, 'left')?.text ?? ''))?.[1];
      if (prototypeOf) return prototypeOf;
    }
  }
  return undefined;
}

/** `class B extends A`, `util.inherits(B, A)`, `Object.setPrototypeOf(B.prototype, A.prototype)`, `B.prototype = Object.create(A.prototype)`. */
function baseTable(context: RuleContext): BaseTable {
  return context.memo('js.baseTable', () => {
    const bases = new Map<string, string[]>();
    const add = (child: string | undefined, parent: string | undefined) => {
      if (child && parent) bases.set(child, [...(bases.get(child) ?? []), parent]);
    };
    for (const type of CLASSES) {
      for (const cls of context.index.nodes(type)) {
        const heritage = namedChildren(cls).find((child) => child.type === 'class_heritage');
        add(field(cls, 'name')?.text, heritage?.text.match(/\bextends\s+(?:[\w$]+\.)*([\w$]+)/)?.[1]);
      }
    }
    for (const call of context.index.nodes('call_expression')) {
      if (!INHERITS.test(field(call, 'function')?.text ?? '')) continue;
      const [child, parent] = namedChildren(field(call, 'arguments') ?? call).map((arg) => arg.text.replace(/\.prototype$/, ''));
      add(child, parent);
    }
    for (const assignment of context.index.nodes('assignment_expression')) {
      const child = /^([\w$]+)\.prototype$/.exec(normalizeRef(field(assignment, 'left')?.text ?? ''))?.[1];
      add(child, child ? /Object\.create\(\s*([\w$]+)\.prototype/.exec(field(assignment, 'right')?.text ?? '')?.[1] : undefined);
    }
    return bases;
  });
}
