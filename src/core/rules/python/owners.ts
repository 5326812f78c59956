// Which class a container's name belongs to where it occurs. Two classes of one file may each bind
// an attribute of the same name (ipaddress's `_BaseV4._netmask_cache` and `_BaseV6._netmask_cache`):
// `self._netmask_cache` in the one is not the other's, so a store, a removal or a size check there
// says nothing about it. A class's family (containerOwners.ts) counts as one owner.
import type { Node } from 'web-tree-sitter';
import { BaseTable, classFamily } from '../containerOwners';
import { RuleContext } from '../rule';
import { field, groupBy, namedChildren, normalizeRef } from '../syntax';
import { classOfMethod, enclosingFunction } from './syntax';

/** The part of a container the owner test reads. */
export interface OwnedContainer {
  name: string;
  /** The class whose attribute it is; undefined for a module's name. */
  home: Node | undefined;
  /** Whether an occurrence of the name (its start offset) may be this container; absent: every one in scope. */
  reaches?: (start: number) => boolean;
}

const RECEIVERS = new Set(['self', 'cls']);
const RECEIVER_BEFORE = /([A-Za-z_]\w*)\s*\.\s*$/;

interface ClassTable {
  /** Classes in document order. */
  classes: readonly Node[];
  bases: BaseTable;
}

/**
 * Gives each container whose name another owner of the file also binds (a class attribute, a
 * `self.name = ...`) a test that keeps only the occurrences that may be this one. A name bound by
 * one owner only keeps every occurrence, as before: the test costs nothing there.
 */
export function separateOwners(context: RuleContext, containers: readonly OwnedContainer[]): void {
  for (const container of containers) {
    const home = container.home ? className(container.home) : undefined;
    const binders = bindersOf(context, container.name).map(className);
    // Cheapest first: most names have one owner, and a family costs a walk of the file's classes.
    if (binders.every((name) => name === home)) continue;
    const family = home !== undefined ? familyOf(context, home) : new Set<string>();
    const others = new Set(binders.filter((name) => !family.has(name)));
    if (others.size === 0) continue;
    // A module's name is not reached through the classes (and their families) that bind their own.
    const foreign = container.home ? undefined : bindingFamily(context, others);
    container.reaches = (start) => reachesAt(context, { family, others, foreign }, start);
  }
}

interface Owners {
  /** The container's class family (empty for a module's name). */
  family: ReadonlySet<string>;
  /** Other classes that bind the name themselves. */
  others: ReadonlySet<string>;
  /** For a module's name: the families of those classes. */
  foreign: ReadonlySet<string> | undefined;
}

function reachesAt(context: RuleContext, { family, others, foreign }: Owners, start: number): boolean {
  const code = context.index.names.code;
  const receiver = RECEIVER_BEFORE.exec(code.slice(Math.max(0, start - 80), start))?.[1];
  const around = innermostClass(context, start);
  const owns = (cls: string) => (foreign ? !foreign.has(cls) : family.has(cls));
  if (receiver && RECEIVERS.has(receiver)) return around === undefined || owns(className(around));
  if (receiver && classTable(context).bases.has(receiver)) return owns(receiver);
  // A bare name or another object's attribute: only another owner's own class-body declaration is not ours.
  return receiver !== undefined || around === undefined || !others.has(className(around)) || enclosingFunctionAt(context, start) !== undefined;
}

/** Classes of the file that bind `name` themselves: in their body, or on `self` in a method. */
function bindersOf(context: RuleContext, name: string): readonly Node[] {
  const byTarget = context.memo('python.assignmentsByTarget', () => groupBy(context.index.nodes('assignment'), (assignment) => {
    const left = field(assignment, 'left');
    return left && (left.type === 'identifier' || left.type === 'attribute') ? normalizeRef(left.text) : undefined;
  }));
  const known = context.memo('python.bindersByName', () => new Map<string, readonly Node[]>());
  let binders = known.get(name);
  if (binders) return binders;
  const inBody = (byTarget.get(name) ?? []).flatMap((assignment) => {
    const cls = assignment.parent?.parent?.parent;
    return cls?.type === 'class_definition' ? [cls] : [];
  });
  const onSelf = (byTarget.get(`self.${name}`) ?? []).flatMap((assignment) => {
    const fn = enclosingFunction(assignment);
    const cls = fn ? classOfMethod(fn) : undefined;
    return cls ? [cls] : [];
  });
  known.set(name, (binders = [...inBody, ...onSelf]));
  return binders;
}

/** The classes sharing attributes with any of `names`' classes. */
function bindingFamily(context: RuleContext, names: ReadonlySet<string>): Set<string> {
  return new Set([...names].flatMap((name) => [...familyOf(context, name)]));
}

/** Whether `cls` shares attributes with `home` (is in its family): a subclass's methods reach the attributes its base's initialiser makes. */
export function sharesAttributes(context: RuleContext, home: Node, cls: Node): boolean {
  return familyOf(context, className(home)).has(className(cls));
}

function familyOf(context: RuleContext, name: string): ReadonlySet<string> {
  const known = context.memo('python.classFamilies', () => new Map<string, ReadonlySet<string>>());
  let family = known.get(name);
  if (!family) known.set(name, (family = classFamily(classTable(context).bases, name)));
  return family;
}

function classTable(context: RuleContext): ClassTable {
  return context.memo('python.classTable', () => {
    const classes = context.index.nodes('class_definition');
    const names = new Set(classes.map(className));
    const bases = new Map<string, string[]>();
    for (const cls of classes) {
      const named = namedChildren(field(cls, 'superclasses') ?? cls).map((base) => base.text.split('.').at(-1) ?? '');
      bases.set(className(cls), [...(bases.get(className(cls)) ?? []), ...named.filter((base) => names.has(base))]);
    }
    return { classes, bases };
  });
}

/** The innermost class whose text holds `offset`: the last one starting before it that also ends after it. */
function innermostClass(context: RuleContext, offset: number): Node | undefined {
  const classes = classTable(context).classes;
  let low = 0;
  let high = classes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (classes[mid]!.startIndex <= offset) low = mid + 1;
    else high = mid;
  }
  for (let i = low - 1; i >= 0; i--) if (offset < classes[i]!.endIndex) return classes[i];
  return undefined;
}

function enclosingFunctionAt(context: RuleContext, offset: number): Node | undefined {
  const node = context.root.descendantForIndex(offset);
  return node ? enclosingFunction(node) : undefined;
}

function className(cls: Node): string {
  return field(cls, 'name')?.text ?? '';
}
