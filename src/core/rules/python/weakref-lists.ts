// unbounded-collection (Python): a long-lived list that gets `weakref.ref(obj)` appended per call.
// A weak reference lets its object go, but the reference itself stays in the list: once the object
// is collected the list holds a dead ref, and nothing takes it out. So the list grows by one dead
// ref per call unless the file drops refs by element (remove/pop/del/a slice), filters the list
// into itself, or the ref has a callback (`weakref.ref(obj, on_dead)`, which is how such lists are
// usually pruned). Setting the list back to empty (on a resize, a reset) is not pruning: between
// two resets every call adds one.
import type { Node } from 'web-tree-sitter';
import { reachesUse, ownOccurrences } from '../containerOwners';
import { Detection, RuleContext } from '../rule';
import { contains, field, groupBy, methodReceiver, namedChildren, usesOf } from '../syntax';
import { calledWith, Container, deletedFrom, escapes, isPythonList, isRepeatedUse, lengthChecked, longLivedContainers, refersTo } from './containers';
import { sharesAttributes } from './owners';
import { classOfMethod, enclosingFunction, importedFrom, standsAlone, statementOf } from './syntax';
import { insertLinesBefore } from '../text';

const APPENDS = new Set(['append', 'insert']);
const WEAK_REFS = ['ref', 'WeakMethod'];

export function weakrefListsGrowing(context: RuleContext): Detection[] {
  // Most files never name weakref: they need no list read.
  if (!context.source.text.includes('weakref')) return [];
  const makers = weakRefMakers(context);
  const appends = groupBy(context.index.nodes('call'), (call) => methodReceiver(call, APPENDS));
  const detections: Detection[] = [];
  for (const container of longLivedContainers(context, isPythonList)) {
    // An attribute its class's initialiser makes is the subclasses' too: their methods append to it.
    const fileWide = { ...container, scope: undefined };
    const append = usesOf(appends, container.access).find(
      (call) => appendsWeakRef(call, makers) && isRepeatedUse(container, call) && reachesUse(context.index.names, container, call) && inFamily(context, container, call),
    );
    const statement = append && statementOf(append);
    // Pruning is read file-wide too: a removal anywhere may be this list's.
    if (!statement || !standsAlone(statement, context.source) || isPruned(context, fileWide)) continue;
    const ref = container.access[0] ?? container.name;
    detections.push({
      anchor: append,
      scope: context.root,
      message: `\`${ref}\` gets a weak reference appended on every call; a weak reference lets its object go but stays in the list itself, and nothing here removes dead ones, so the list grows by one dead reference per call.`,
      fixes: [
        {
          title: `Drop dead references from ${ref} before appending`,
          isPreferred: true,
          edits: [insertLinesBefore(context.source, statement.startPosition.row, context.source.indentOf(statement.startPosition.row), [`${ref}[:] = [r for r in ${ref} if r() is not None]`])],
        },
      ],
    });
  }
  return detections;
}

/** The use is in the container's reach: its scope, or a method of a class in its home's family. */
function inFamily(context: RuleContext, container: Container, use: Node): boolean {
  if (!container.scope || contains(container.scope, use)) return true;
  const fn = enclosingFunction(use);
  const cls = fn && classOfMethod(fn);
  return cls !== undefined && container.home !== undefined && sharesAttributes(context, container.home, cls);
}

/** How the file writes a weak reference's constructor: `weakref.ref`, or `ref` imported from weakref. */
function weakRefMakers(context: RuleContext): Set<string> {
  const imported = importedFrom(context.root, 'weakref');
  return new Set([...WEAK_REFS.map((name) => `weakref.${name}`), ...WEAK_REFS.filter((name) => imported.has(name))]);
}

/** `list.append(weakref.ref(obj))`: one argument only, a ref with a callback prunes itself. */
function appendsWeakRef(append: Node, makers: ReadonlySet<string>): boolean {
  const item = namedChildren(field(append, 'arguments') ?? append).at(-1);
  if (item?.type !== 'call' || !makers.has(field(item, 'function')?.text.replace(/\s+/g, '') ?? '')) return false;
  return namedChildren(field(item, 'arguments') ?? item).length === 1;
}

/** Refs taken out one by one, the list filtered into a new one, measured, or handed to other code. */
function isPruned(context: RuleContext, container: Container): boolean {
  const names = context.index.names;
  return (
    calledWith(names, container, 'pop|popleft|remove') ||
    deletedFrom(names, container) ||
    lengthChecked(names, container) ||
    names.anyFollowedBy(container.name, container.scope, /\s*\[[^\]\n]*:[^\]\n]*\]\s*=(?!=)/, ownOccurrences(container)) ||
    escapes(names, container) ||
    context.index.nodes('assignment').some((assignment) => refersTo(container, field(assignment, 'left')) && !isEmptyList(field(assignment, 'right')))
  );
}

function isEmptyList(value: Node | undefined): boolean {
  if (value?.type === 'list') return value.namedChildCount === 0;
  return value?.type === 'call' && field(value, 'function')?.text === 'list' && namedChildren(field(value, 'arguments') ?? value).length === 0;
}
