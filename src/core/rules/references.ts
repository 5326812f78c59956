// Where each name occurs in the code (comments and strings blanked), built in one pass per scan.
// Rules ask what surrounds the occurrences of one container's name inside its scope (its class,
// or the file) instead of running a regular expression per container over the whole file, which
// made a file with many containers scan in quadratic time.
import type { Node } from 'web-tree-sitter';

const WORD = /[A-Za-z_$][\w$]*/g;
/** How far back a prefix pattern may look: `del self.stats.by_key[` fits, a paragraph does not. */
const LOOK_BEHIND = 120;

export class NameOccurrences {
  private readonly starts = new Map<string, number[]>();

  constructor(readonly code: string) {
    for (const match of code.matchAll(WORD)) {
      const list = this.starts.get(match[0]);
      if (list) list.push(match.index);
      else this.starts.set(match[0], [match.index]);
    }
  }

  /** Start offsets of `name` as a whole word within [from, to), in order. */
  within(name: string, from = 0, to = this.code.length): number[] {
    const all = this.starts.get(name) ?? [];
    const first = lowerBound(all, from);
    const result: number[] = [];
    for (let i = first; i < all.length && all[i]! < to; i++) result.push(all[i]!);
    return result;
  }

  /** True when, at some occurrence of `name` in `scope`, the code right after it matches `after` (sticky). */
  anyFollowedBy(name: string, scope: Node | undefined, after: RegExp, counts: (start: number) => boolean = () => true): boolean {
    const sticky = new RegExp(after.source, 'y' + after.flags.replace(/[gy]/g, ''));
    return this.inScope(name, scope).some((start) => {
      if (!counts(start)) return false;
      sticky.lastIndex = start + name.length;
      return sticky.test(this.code);
    });
  }

  /** True when the code right before some occurrence matches `before` (which should end in `$`). */
  anyPrecededBy(name: string, scope: Node | undefined, before: RegExp): boolean {
    return this.inScope(name, scope).some((start) => before.test(this.code.slice(Math.max(0, start - LOOK_BEHIND), start)));
  }

  /** Occurrences with both a prefix and a suffix pattern around them. */
  anyAround(name: string, scope: Node | undefined, before: RegExp, after: RegExp, counts: (start: number) => boolean = () => true): boolean {
    const sticky = new RegExp(after.source, 'y' + after.flags.replace(/[gy]/g, ''));
    return this.inScope(name, scope).some((start) => {
      if (!counts(start)) return false;
      sticky.lastIndex = start + name.length;
      return sticky.test(this.code) && before.test(this.code.slice(Math.max(0, start - LOOK_BEHIND), start));
    });
  }

  count(name: string, scope: Node | undefined, after: RegExp, counts: (start: number) => boolean = () => true): number {
    const sticky = new RegExp(after.source, 'y' + after.flags.replace(/[gy]/g, ''));
    return this.inScope(name, scope).filter((start) => {
      if (!counts(start)) return false;
      sticky.lastIndex = start + name.length;
      return sticky.test(this.code);
    }).length;
  }

  private inScope(name: string, scope: Node | undefined): number[] {
    return scope ? this.within(name, scope.startIndex, scope.endIndex) : this.within(name);
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
