// Containers told apart by owner (issue 13), the part both languages share. Two classes of one
// file may each have a container of one name; where the name occurs, the language's owners.ts
// says whose it may be, and these read only the occurrences that may be the container's own.
//
// Classes of one file share their attributes with their family: the class, its subclasses in the
// file, and every base of those (the class's own bases, and the mixins a subclass combines it
// with). An instance of any of them may hold the class's attributes, so the family is one owner.
// Not a sibling that merely shares a base: ipaddress's `_BaseV4` and `_BaseV6` stay apart though
// both end up under `_BaseAddress`'s subclasses.
import type { Node } from 'web-tree-sitter';
import { NameOccurrences } from './references';

/** A container as the owner filters read it. */
export interface OwnedByName {
  name: string;
  /** Set when another class of the file binds the same name: whether an occurrence (by offset) may be this container. */
  reaches?: (start: number) => boolean;
}

/** The occurrences `counts` accepts that may be this container; undefined when every occurrence counts. */
export function ownOccurrences(container: OwnedByName, counts?: (start: number) => boolean): ((start: number) => boolean) | undefined {
  const reaches = container.reaches;
  if (!reaches) return counts;
  return counts ? (start) => reaches(start) && counts(start) : reaches;
}

/** A store or append (a node holding the container's name) that may be on this container. */
export function reachesUse(names: NameOccurrences, container: OwnedByName, use: Node): boolean {
  const reaches = container.reaches;
  const start = reaches ? names.within(container.name, use.startIndex, use.endIndex)[0] : undefined;
  return !reaches || start === undefined || reaches(start);
}

/** Class name to the same-file class names it names as bases. */
export type BaseTable = ReadonlyMap<string, readonly string[]>;

export function classFamily(bases: BaseTable, name: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const [child, parents] of bases) for (const parent of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
  const descendants = reachable([name], (cls) => children.get(cls) ?? []);
  return reachable([...descendants], (cls) => bases.get(cls) ?? []);
}

/** Every name reachable from `start` by `next`, the start included. */
function reachable(start: readonly string[], next: (name: string) => readonly string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const other of next(name)) {
      if (seen.has(other)) continue;
      seen.add(other);
      queue.push(other);
    }
  }
  return seen;
}
