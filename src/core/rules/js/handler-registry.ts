// handler-not-cleared (JS/TS), registry form: a method that runs on every call stores a fresh
// callback into a long-lived handler table (`this.handlers[id] = fn`, `handlers.set(id, fn)`)
// and nothing ever deletes it: the table keeps every callback and what it captured.
import type { Node } from 'web-tree-sitter';
import { wrapRestInTryFinally } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { escapeRegExp } from '../text';
import { enclosingMethod, localBindings, moduleBindings, rootOf, runsRepeatedly, statementOf, FUNCTION_VALUES } from './syntax';

const REGISTRY = /(handlers?|callbacks?|listeners?|hooks?|subscribers?|waiters?)$/i;
const ONCE_METHODS = /^(constructor|init|initiali[sz]e|setup|start|register\w*|bootstrap|install|activate)$/;

interface Store {
  node: Node;
  table: Node;
  name: string;
  undo: string;
}

export const jsHandlerRegistry: Rule = {
  id: 'handler-not-cleared',
  family: 'js',
  collect: ['assignment_expression', 'call_expression'],
  detect(context) {
    const globals = moduleBindings(context.root);
    const stores = [...context.index.nodes('assignment_expression').map(subscriptStore), ...context.index.nodes('call_expression').map(mapStore)];
    const detections: Detection[] = [];
    for (const store of stores) {
      if (!store || !isRepeatedOnLongLived(store, globals) || isCleared(context, store)) continue;
      const statement = statementOf(store.node);
      const wrap = statement ? wrapRestInTryFinally(context, statement, [store.undo]) : undefined;
      // Stored as the function's last act, the callback is meant to be found and removed later.
      if (!wrap) continue;
      detections.push({
        anchor: store.node,
        scope: context.root,
        message: `A new callback is stored into \`${store.table.text}\` on every call and never deleted, so the table keeps every one and what it captured.`,
        fixes: [{ title: `Delete the callback when done (${store.undo})`, isPreferred: true, edits: [wrap] }],
      });
    }
    return detections;
  },
};

function tableName(table: Node): string {
  return table.type === 'member_expression' ? field(table, 'property')?.text ?? '' : table.text;
}

/** `table[key] = () => …` */
function subscriptStore(assignment: Node): Store | undefined {
  const left = field(assignment, 'left');
  const value = field(assignment, 'right');
  if (left?.type !== 'subscript_expression' || !value || !FUNCTION_VALUES.has(value.type)) return undefined;
  const table = field(left, 'object');
  const key = field(left, 'index');
  const name = table ? tableName(table) : '';
  if (!table || !key || !REGISTRY.test(name)) return undefined;
  return { node: assignment, table, name, undo: `delete ${table.text}[${key.text}];` };
}

/** `table.set(key, () => …)` */
function mapStore(call: Node): Store | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'member_expression' || field(callee, 'property')?.text !== 'set') return undefined;
  const table = field(callee, 'object');
  const [key, value] = namedChildren(field(call, 'arguments') ?? call).filter((a) => a.type !== 'comment');
  const name = table ? tableName(table) : '';
  if (!table || !key || !value || !FUNCTION_VALUES.has(value.type) || !REGISTRY.test(name)) return undefined;
  return { node: call, table, name, undo: `${table.text}.delete(${key.text});` };
}

function isRepeatedOnLongLived(store: Store, globals: ReadonlySet<string>): boolean {
  const root = rootOf(store.table);
  if (root === 'this') {
    const method = enclosingMethod(store.node);
    return method !== undefined && !ONCE_METHODS.test(method.name);
  }
  return root !== undefined && globals.has(root) && !localBindings(store.node).has(root) && runsRepeatedly(store.node);
}

function isCleared(context: RuleContext, store: Store): boolean {
  const name = escapeRegExp(store.name);
  return [
    `${name}(?<![\\w$]${name})\\s*\\.\\s*(?:delete|clear)\\s*\\(`,
    `\\bdelete\\s+(?:[\\w$]+\\.)*${name}\\s*\\[`,
    `${name}(?<![\\w$]${name})\\s*\\[[^\\]\\n]*\\]\\s*=\\s*(?:undefined|null)\\b`,
  ].some((source) => new RegExp(source).test(context.index.code));
}
