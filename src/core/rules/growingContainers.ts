// The policy of the rules that flag a long-lived container growing on every call
// (unbounded-cache and unbounded-collection, in Python and in JS): a container is flagged at the
// first place it grows on a repeated path when its name says what it holds (a cache, a history)
// and, where the language's rules can tell, it outlives the calls that fill it and grows under
// keys that come from outside per call; or its key comes from the calling function's arguments;
// and nothing in the file bounds it; a line a live probe saw growing is flagged whatever its name
// and whatever bounding code exists (that code did not run). The languages differ only in how
// they find the growth, read the name and spot bounding code, and in the fixes they offer.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from './rule';
import { CodeFix } from './types';

export interface GrowingContainer {
  name: string;
  access: readonly string[];
}

export interface GrowthPolicy<C extends GrowingContainer> {
  /** The first place `container` grows outside its initialiser, if any. */
  firstGrowth(container: C): Node | undefined;
  /** The name says what the container is for (`isCacheName`, `isRecordName`). */
  isNamedForIt(name: string): boolean;
  /**
   * Positive evidence a container named for it really grows without bound: it outlives the
   * calls that fill it (not an attribute of a per-call object) and `growth` stores under a key
   * that comes from outside per call. Optional: without it the name and no eviction suffice.
   */
  growsUnboundedAt?(container: C, growth: Node): boolean;
  /**
   * The growth is keyed by what the calling code passes in (a request's path, a user id): every
   * new value adds an entry, whatever the container is called. Optional: lists have no key.
   */
  isKeyedByCallData?(container: C, growth: Node): boolean;
  /** Code in the file trims, evicts or replaces the container. */
  isBounded(container: C): boolean;
  message(ref: string | undefined): string;
  fixes(container: C, growth: Node): CodeFix[];
}

export function detectGrowingContainers<C extends GrowingContainer>(context: RuleContext, containers: readonly C[], policy: GrowthPolicy<C>): Detection[] {
  const detections: Detection[] = [];
  for (const container of containers) {
    const growth = policy.firstGrowth(container);
    if (!growth) continue;
    const observed = context.evidenceLines.has(growth.startPosition.row);
    const named = policy.isNamedForIt(container.name) && (policy.growsUnboundedAt?.(container, growth) ?? true);
    const suspect = named || (policy.isKeyedByCallData?.(container, growth) ?? false);
    if (!observed && (!suspect || policy.isBounded(container))) continue;
    detections.push({ anchor: growth, scope: context.root, message: policy.message(container.access[0]), fixes: policy.fixes(container, growth) });
  }
  return detections;
}
