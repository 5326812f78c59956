// unbounded-collection (Python), through an alias: a function takes a list out of a long-lived
// mapping (`attrs = HTML_ATTRIBUTES.get(kind, [])`) and extends it in place (`attrs += [...]`).
// `+=` on a list mutates it, so the mapping's list grows by the same items on every call. The
// resolver says that `attrs` is the function's own variable, assigned once, and that the mapping
// is the module's (an import or a global) or the class's, not a local that shares its name.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { ScopeResolver, scopesOf } from '../scopes';
import { field, nodeRange } from '../syntax';
import { CodeFix } from '../types';
import { enclosingFunction } from './syntax';

const LISTS = new Set(['list', 'list_comprehension']);
const LOOKUPS = new Set(['get', 'setdefault']);
const LONG_LIVED = new Set(['import', 'module', 'class']);

export function sharedListsExtended(context: RuleContext): Detection[] {
  const detections: Detection[] = [];
  for (const growth of context.index.nodes('augmented_assignment')) {
    const left = field(growth, 'left');
    const right = field(growth, 'right');
    if (field(growth, 'operator')?.text !== '+=' || left?.type !== 'identifier' || !right || !LISTS.has(right.type)) continue;
    const fn = enclosingFunction(growth);
    if (!fn) continue;
    // Built only for a file that has such a `+=`: most scans never need the resolver.
    const scopes = scopesOf(context);
    const binding = scopes.bindingOf(left);
    if (binding.kind !== 'local' || binding.scope?.id !== fn.id || !binding.value || assignmentsTo(fn, left.text) !== 1) continue;
    const mapping = mappingLookedUp(scopes, binding.value);
    if (!mapping) continue;
    detections.push({
      anchor: growth,
      scope: fn,
      message: `\`${left.text}\` is the list kept in \`${mapping}\`, and \`+=\` extends that list in place on every call, so it grows for as long as the process runs.`,
      fixes: copyFix(growth, left.text, right),
    });
  }
  return detections;
}

/** `M.get(k, …)`, `M.setdefault(k, …)` or `M[k]` on a mapping that outlives the call: the mapping's text. */
function mappingLookedUp(scopes: ScopeResolver, value: Node): string | undefined {
  let mapping: Node | undefined;
  if (value.type === 'subscript') mapping = field(value, 'value');
  else if (value.type === 'call') {
    const callee = field(value, 'function');
    if (callee?.type === 'attribute' && LOOKUPS.has(field(callee, 'attribute')?.text ?? '')) mapping = field(callee, 'object');
  }
  if (!mapping) return undefined;
  if (mapping.type === 'attribute' && scopes.memberOf(mapping)) return mapping.text;
  return mapping.type === 'identifier' && LONG_LIVED.has(scopes.bindingOf(mapping).kind) ? mapping.text : undefined;
}

/** How many plain assignments bind `name` in the function's own body (a reassigned alias may be a copy). */
function assignmentsTo(fn: Node, name: string): number {
  return (field(fn, 'body')?.descendantsOfType('assignment') ?? []).filter((a) => a !== null && enclosingFunction(a)?.id === fn.id && field(a, 'left')?.text === name).length;
}

/** `attrs = attrs + [...]`: a new list each call, the mapping's list untouched. */
function copyFix(growth: Node, name: string, items: Node): CodeFix[] {
  if (growth.startPosition.row !== growth.endPosition.row) return [];
  return [{ title: `Make a new list instead of extending the shared one (${name} = ${name} + …)`, isPreferred: true, edits: [{ range: nodeRange(growth), newText: `${name} = ${name} + ${items.text}` }] }];
}
