// timer-not-cleared: a setInterval (or a setTimeout that re-arms itself) started per instance,
// per connection or per effect whose handle is dropped or never cleared. The timer, its closure
// and whatever the closure reaches (often `this`) live as long as the process.
import type { Node } from 'web-tree-sitter';
import { freshName } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { endOf, field, namedChildren, startOf } from '../syntax';
import { escapeRegExp, insertAt, insertLinesBefore, replaceRange } from '../text';
import { CodeFix, TextEdit } from '../types';
import { teardownMethodOf } from './lifecycle';
import { clearedOnlyByItself, conditionalRearmOutlivingTeardown, holderReplacedBeforeClear, instanceReferences, rearmsAfterAsyncStep, sharedByInstances, storedAgainWithoutClear, teardownsLeaving } from './timer-flow';
import { scopesOf } from '../scopes';
import { callbackOf, closeableParameter, isEffectCall, enclosingClass, enclosingMethod, functionChain, functionNameOf, insertAfterStatement, isTypeScript, rootOf, standsAlone, statementOf } from './syntax';

interface Timer {
  call: Node;
  kind: 'Interval' | 'Timeout';
  statement: Node;
  /** `this.timer`, `timer`, or undefined when the handle is dropped. */
  handle: string | undefined;
  handleKind: 'dropped' | 'this' | 'local';
  /** The expression the handle is stored into (`this.timer`, `m[k].timer`, `timer`). */
  handleNode?: Node;
}

export const timerNotCleared: Rule = {
  id: 'timer-not-cleared',
  family: 'js',
  collect: ['call_expression'],
  detect(context) {
    const detections: Detection[] = [];
    for (const call of context.index.nodes('call_expression')) {
      const timer = readTimer(context, call);
      const detection = !timer ? conditionalRearm(context, call) : isCleared(context, timer) ? clearedButLost(context, timer) : neverCleared(context, timer);
      if (detection) detections.push(detection);
    }
    return detections;
  },
};

function neverCleared(context: RuleContext, timer: Timer): Detection | undefined {
  const byClass = classFix(context, timer);
  const byCallback = byClass ? undefined : effectFix(context, timer) ?? closeFix(context, timer);
  const byStopper = byClass || byCallback ? undefined : stopperFix(context, timer);
  const found = byClass ?? byCallback ?? byStopper;
  // Outside a class, an effect, a connection or a factory with a stop function there is no clear owner to tie the timer to.
  if (!found) return undefined;
  // A re-arm after asynchronous work also needs the stop check, or clearing the handle leaves a tick in flight to arm it again.
  const owner = byClass ? 'class' : byStopper ? 'factory' : undefined;
  const stopCheck = owner && timer.kind === 'Timeout' && rearmsAfterAsyncStep(context, timer.call) ? stopCheckEdits(context, timer, owner) : undefined;
  const fixes = stopCheck ? found.map((fix) => ({ ...fix, title: `${fix.title}, and stop re-arming once it has run`, edits: [...fix.edits, ...stopCheck.edits] })) : found;
  return {
    anchor: timer.call,
    scope: context.root,
    message:
      timer.kind === 'Interval'
        ? 'This setInterval is never cleared, so it runs forever and keeps its callback and everything it captures alive.'
        : 'This setTimeout re-arms itself and is never cleared, so it runs forever and keeps its callback and everything it captures alive.',
    fixes,
  };
}

/**
 * A setTimeout that re-arms itself only while its own work goes on, kept in a handle its owner's
 * teardown neither clears nor stops with a flag the re-arm reads (timer-flow.ts).
 */
function conditionalRearm(context: RuleContext, call: Node): Detection | undefined {
  const timer = timerKind(call) === 'Timeout' ? timerAt(call, 'Timeout') : undefined;
  const teardowns = timer?.handleNode ? conditionalRearmOutlivingTeardown(context, call, timer.handleNode) : undefined;
  const fix = timer?.handleNode && teardowns ? teardownClearFix(context, timer, timer.handleNode, teardowns) : undefined;
  if (!fix) return undefined;
  return {
    anchor: call,
    scope: context.root,
    message: `This setTimeout re-arms itself until its own work says stop; ${fix.name} neither clears it nor sets anything the re-arm checks, so an owner torn down before then keeps it polling (and keeps what it captures), or forever when the work never ends.`,
    fixes: fix.fixes,
  };
}


/** A timer whose handle is cleared somewhere, but not on every path that loses it (see timer-flow.ts). */
function clearedButLost(context: RuleContext, timer: Timer): Detection | undefined {
  const found = (message: string, fixes: CodeFix[] | undefined): Detection | undefined => (fixes ? { anchor: timer.call, scope: context.root, message, fixes } : undefined);
  if (timer.kind === 'Timeout' && rearmsAfterAsyncStep(context, timer.call)) {
    return found(
      'This setTimeout re-arms itself after asynchronous work with no stop check on the way, so a tick still running when the timer is cleared arms it again and it runs forever.',
      stopCheckFix(context, timer),
    );
  }
  const replaced = timer.handleNode ? holderReplacedBeforeClear(timer.handleNode, timer.call) : undefined;
  if (replaced && timer.handleNode) {
    return found(
      `The clear before this set${timer.kind} reads ${field(timer.handleNode, 'object')?.text ?? 'the holder'} after it was replaced, so the previous timer's handle is lost and that timer runs forever.`,
      clearBeforeReplacingFix(context, timer, timer.handleNode, replaced),
    );
  }
  const teardown = timer.handleKind === 'this' ? teardownOf(timer) : undefined;
  const cls = enclosingClass(timer.call);
  if (teardown && cls && timer.kind === 'Interval' && timer.handleNode && clearedOnlyByItself(context, timer.call, timer.handleNode, cls)) {
    return found(
      `This setInterval is cleared only inside its own callback, once its condition holds; ${teardown.name}() does not clear it, so a torn-down instance keeps polling (and keeps what it captures) until then, or forever.`,
      [{ title: `Clear the timer in ${teardown.name}() too`, isPreferred: true, edits: [insertAfterBrace(context, teardown.body, context.source.indentOf(teardown.method.startPosition.row) + unitOf(context), `clear${timer.kind}(${timer.handle});`)] }],
    );
  }
  const ownerLeft = timer.kind === 'Interval' && timer.handleNode && clearedOnlyByItself(context, timer.call, timer.handleNode, cls ?? context.root) ? teardownsLeaving(context, timer.call, timer.handleNode) : undefined;
  const clearInTeardown = ownerLeft && timer.handleNode ? teardownClearFix(context, timer, timer.handleNode, ownerLeft) : undefined;
  if (clearInTeardown) {
    return found(
      `This setInterval is cleared only inside its own callback, once its condition holds; ${clearInTeardown.name} does not clear it, so an owner torn down before then keeps it polling (and keeps what it captures) until then, or forever.`,
      clearInTeardown.fixes,
    );
  }
  if (timer.handleNode && sharedByInstances(context, timer.handleNode, timer.call)) {
    return found(
      `Every instance stores this set${timer.kind}'s handle in the one module-level ${timer.handle}, so a second instance loses the first one's timer and nothing can clear it.`,
      instanceHandleFix(context, timer, timer.handleNode),
    );
  }
  if (timer.kind === 'Interval' && timer.handleNode && storedAgainWithoutClear(context, timer.handleNode, timer.call)) {
    return found(
      `This code runs again and again and stores a new setInterval in ${timer.handle} without clearing the one it may hold, so that earlier timer can no longer be cleared and runs forever.`,
      clearBeforeStoreFix(context, timer),
    );
  }
  return undefined;
}

/**
 * Clear the handle in the first teardown that can name it: through a variable of the same name the
 * teardown declares itself (`var player = this.get(0)`: the clear goes after that line, as the
 * handle was written), or at its start through `this` (the owner's own member, or `self = this`
 * where the timer was set) or a variable the teardown can see.
 */
function teardownClearFix(context: RuleContext, timer: Timer, handle: Node, teardowns: readonly Node[]): { fixes: CodeFix[]; name: string } | undefined {
  const root = rootOf(handle);
  const rootNode = handle.type === 'identifier' ? handle : undefined;
  const binding = root && root !== 'this' ? scopesOf(context).bindingOf(rootNode ?? firstIdentifier(handle) ?? handle) : undefined;
  // `var self = this; self.poll = setInterval(…)`: in a teardown of the same object the slot is `this.poll`.
  const viaThis = binding?.value?.type === 'this' && handle.type === 'member_expression';
  const scope = viaThis ? undefined : binding?.scope;
  const clear = `clear${timer.kind}(${viaThis ? `this${handle.text.slice(root?.length ?? 0)}` : handle.text});`;
  for (const teardown of teardowns) {
    const body = field(teardown, 'body');
    if (body?.type !== 'statement_block' || body.startPosition.row === body.endPosition.row) continue;
    const name = teardownName(teardown);
    const declaration = namedChildren(body).find((s) => (s.type === 'variable_declaration' || s.type === 'lexical_declaration') && namedChildren(s).some((d) => field(d, 'name')?.text === root));
    if (declaration && standsAlone(declaration, context.source)) {
      return { name, fixes: [{ title: `Clear the timer in ${name} too`, isPreferred: true, edits: [insertAfterStatement(context, declaration, [`clear${timer.kind}(${handle.text});`])] }] };
    }
    if (root === 'this' || viaThis || (scope && scope.startIndex <= teardown.startIndex && teardown.endIndex <= scope.endIndex)) {
      return { name, fixes: [{ title: `Clear the timer in ${name} too`, isPreferred: true, edits: [insertAfterBrace(context, body, memberIndent(context, body), clear)] }] };
    }
  }
  return undefined;
}

function firstIdentifier(node: Node): Node | undefined {
  let current: Node | undefined = node;
  while (current && current.type === 'member_expression') current = field(current, 'object');
  return current?.type === 'identifier' ? current : undefined;
}

/** How the message names a teardown: `destroy()`, or `the effect's cleanup` for a returned function. */
function teardownName(fn: Node): string {
  const name = fn.type === 'method_definition' ? field(fn, 'name')?.text : functionNameOf(fn) || (fn.parent?.type === 'pair' ? field(fn.parent, 'key')?.text : undefined);
  return name ? `${name}()` : "the owner's cleanup";
}

/** The teardown method of the timer's class, with a block body to add to. */
function teardownOf(timer: Timer): { method: Node; body: Node; name: string } | undefined {
  const cls = enclosingClass(timer.call);
  const classBody = cls ? field(cls, 'body') : undefined;
  const method = classBody ? teardownMethodOf(classBody) : undefined;
  const body = method ? field(method, 'body') : undefined;
  return method && body?.type === 'statement_block' ? { method, body, name: field(method, 'name')?.text ?? 'dispose' } : undefined;
}

function readTimer(context: RuleContext, call: Node): Timer | undefined {
  const kind = timerKind(call);
  if (!kind || (kind === 'Timeout' && !rearms(call) && !rearmsAfterAsyncStep(context, call))) return undefined;
  return timerAt(call, kind);
}

/** The longest callee that can name a timer (`globalThis.setInterval`): longer ones are not read as text. */
const TIMER_CALLEE_MAX_LENGTH = 'globalThis.setInterval'.length;

function timerKind(call: Node): Timer['kind'] | undefined {
  const callee = field(call, 'function');
  if (!callee || callee.endIndex - callee.startIndex > TIMER_CALLEE_MAX_LENGTH) return undefined;
  const match = /^(?:(?:window|globalThis|global)\.)?set(Interval|Timeout)$/.exec(callee.text);
  return match?.[1] === 'Interval' ? 'Interval' : match?.[1] === 'Timeout' ? 'Timeout' : undefined;
}

/** Where the timer's handle goes: dropped, a `this.x`/holder slot, or a variable. */
function timerAt(call: Node, kind: Timer['kind']): Timer | undefined {
  const parent = call.parent;
  const statement = statementOf(call);
  if (!parent || !statement) return undefined;
  if (parent.type === 'expression_statement') return { call, kind, statement, handle: undefined, handleKind: 'dropped' };
  if (parent.type === 'assignment_expression' && field(parent, 'right')?.id === call.id) {
    const left = field(parent, 'left');
    const text = left?.text ?? '';
    return { call, kind, statement, handle: text, handleKind: text.startsWith('this.') ? 'this' : 'local', handleNode: left };
  }
  if (parent.type === 'variable_declarator' && field(parent, 'value')?.id === call.id) {
    const name = field(parent, 'name');
    return name?.type === 'identifier' ? { call, kind, statement, handle: name.text, handleKind: 'local', handleNode: name } : undefined;
  }
  return undefined;
}

/** A setTimeout whose callback calls the function that set it, with no condition around it. */
function rearms(call: Node): boolean {
  const outer = functionChain(call)[0];
  const name = outer ? (outer.type === 'method_definition' ? field(outer, 'name')?.text : functionNameOf(outer)) : undefined;
  const callback = namedChildren(field(call, 'arguments') ?? call)[0];
  if (!outer || !name || !callback) return false;
  if (!callsOuter(callback, name)) return false;
  for (let node = call.parent; node && node.id !== outer.id; node = node.parent) {
    if (node.type === 'if_statement' || node.type === 'ternary_expression' || node.type === 'binary_expression') return false;
  }
  return true;
}

/**
 * The callback calls the outer function unconditionally: `setTimeout(tick)`, `() => this.poll()`,
 * or a block whose own statements re-arm with no `if` or `return` that could stop it.
 */
function callsOuter(callback: Node, name: string): boolean {
  const call = new RegExp(`^(?:this\\.)?${escapeRegExp(name)}\\s*\\(`);
  if (callback.type === 'identifier') return callback.text === name;
  if (callback.type !== 'arrow_function' && callback.type !== 'function_expression' && callback.type !== 'function') return false;
  const body = field(callback, 'body');
  if (!body) return false;
  if (body.type !== 'statement_block') return call.test(body.text);
  const statements = namedChildren(body);
  if (statements.some((s) => s.type === 'if_statement' || s.type === 'return_statement' || s.type === 'try_statement')) return false;
  return statements.some((s) => s.type === 'expression_statement' && call.test(s.text));
}

function isCleared(context: RuleContext, timer: Timer): boolean {
  if (!timer.handle) return false;
  const last = timer.handle.split('.').at(-1) ?? timer.handle;
  // `this.timer` is cleared within its own class; another class's `clearTimeout(this.timer)` does not count.
  const cls = timer.handleKind === 'this' ? enclosingClass(timer.call) : undefined;
  const code = cls ? context.index.codeOf(cls) : context.index.code;
  return new RegExp(`clear(?:Interval|Timeout)\\s*\\([^)]*(?<![\\w$])${escapeRegExp(last)}(?![\\w$])`).test(code);
}

/** In a class: keep the handle on `this` and clear it in the class's dispose (added when missing). */
function classFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  const cls = enclosingClass(timer.call);
  const body = cls ? field(cls, 'body') : undefined;
  if (!cls || !body || !enclosingMethod(timer.call) || timer.handleKind === 'local') return undefined;
  const edits: TextEdit[] = [];
  let handle = timer.handle;
  if (!handle) {
    const name = freshName(context.index.codeOf(cls), timer.kind === 'Interval' ? 'interval' : 'timer');
    handle = `this.${name}`;
    edits.push(insertAt(startOf(timer.call), `${handle} = `));
    if (isTypeScript(context)) edits.push(insertAfterBrace(context, body, memberIndent(context, body), `private ${name}: ReturnType<typeof set${timer.kind}> | undefined;`));
  }
  const clear = `clear${timer.kind}(${handle});`;
  const disposer = teardownMethodOf(body);
  const disposerBody = disposer ? field(disposer, 'body') : undefined;
  if (disposer && disposerBody) {
    edits.push(insertAfterBrace(context, disposerBody, context.source.indentOf(disposer.startPosition.row) + unitOf(context), clear));
  } else {
    const added = addMethod(context, body, isTypeScript(context) ? 'dispose(): void {' : 'dispose() {', clear);
    if (!added) return undefined;
    edits.push(added);
  }
  const where = disposer ? `${field(disposer, 'name')?.text}()` : 'a new dispose()';
  return [{ title: `Keep the timer's handle and clear it in ${where}`, isPreferred: true, edits }];
}

/** In a React effect: return the cleanup that clears the timer. */
function effectFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  const effect = functionChain(timer.call)[0];
  const call = effect ? callbackOf(effect) : undefined;
  const body = effect ? field(effect, 'body') : undefined;
  if (!effect || !call || !isEffectCall(call) || body?.type !== 'statement_block' || timer.handleKind === 'this') return undefined;
  if (namedChildren(body).some((s) => s.type === 'return_statement') || timer.statement.parent?.id !== body.id) return undefined;
  if (!standsAlone(timer.statement, context.source)) return undefined;
  const edits: TextEdit[] = [];
  const handle = timer.handle ?? freshName(context.index.code, 'timer');
  if (!timer.handle) edits.push(insertAt(startOf(timer.call), `const ${handle} = `));
  const last = namedChildren(body).filter((s) => s.type !== 'comment').at(-1) ?? timer.statement;
  edits.push(insertAfterStatement(context, last, [`return () => clear${timer.kind}(${handle});`]));
  return [{ title: 'Clear the timer in the effect\'s cleanup', isPreferred: true, edits }];
}

/** In a connection or request callback: clear the timer when it closes. */
function closeFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  const owner = closeableParameter(timer.call);
  if (!owner || timer.handleKind === 'this' || !standsAlone(timer.statement, context.source)) return undefined;
  const edits: TextEdit[] = [];
  const handle = timer.handle ?? freshName(context.index.code, 'timer');
  if (!timer.handle) edits.push(insertAt(startOf(timer.call), `const ${handle} = `));
  edits.push(insertAfterStatement(context, timer.statement, [`${owner}.on('close', () => clear${timer.kind}(${handle}));`]));
  return [{ title: `Clear the timer when ${owner} closes`, isPreferred: true, edits }];
}

/**
 * In a factory that hands out a stop function (`function stop() {...}` or `const stop = () => {...}`
 * beside the timer's function, as in `return { start, stop }`): the stop function is how the
 * caller ends the work, so it must clear the timer. The handle goes to a variable of the factory.
 */
function stopperFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  if (timer.handleKind === 'this' || !standsAlone(timer.statement, context.source)) return undefined;
  const chain = functionChain(timer.call);
  for (const factory of chain.slice(1)) {
    const stopper = stopFunctionIn(factory);
    if (!stopper) continue;
    if (timer.handle && !declaredDirectlyIn(factory, timer.handle)) return undefined;
    const edits: TextEdit[] = [];
    const handle = timer.handle ?? freshName(context.index.code, 'timer');
    if (!timer.handle) {
      const type = isTypeScript(context) ? `: ReturnType<typeof set${timer.kind}> | undefined` : '';
      edits.push(insertLinesBefore(context.source, stopper.statement.startPosition.row, context.source.indentOf(stopper.statement.startPosition.row), [`let ${handle}${type};`]));
      edits.push(insertAt(startOf(timer.call), `${handle} = `));
    }
    edits.push(insertAfterBrace(context, stopper.body, context.source.indentOf(stopper.statement.startPosition.row) + unitOf(context), `clear${timer.kind}(${handle});`));
    return [{ title: `Keep the timer's handle and clear it in ${stopper.name}()`, isPreferred: true, edits }];
  }
  return undefined;
}

/**
 * A re-arm that waits on asynchronous work: a flag the teardown sets, read just before the timer
 * is armed again, ends the cycle a tick in flight would otherwise restart.
 */
function stopCheckFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  const check = stopCheckEdits(context, timer, timer.handleKind === 'this' ? 'class' : 'factory');
  return check ? [{ title: `Stop re-arming once ${check.stopper}() has run`, isPreferred: true, edits: check.edits }] : undefined;
}

/** In a class the flag is a field its teardown method sets; in a factory, a variable its stop function sets. */
function stopCheckEdits(context: RuleContext, timer: Timer, owner: 'class' | 'factory'): { edits: TextEdit[]; stopper: string } | undefined {
  if (timer.statement.parent?.type !== 'statement_block' || !standsAlone(timer.statement, context.source)) return undefined;
  const row = timer.statement.startPosition.row;
  const indent = context.source.indentOf(row);
  if (owner === 'class') {
    const cls = enclosingClass(timer.call);
    const body = cls ? field(cls, 'body') : undefined;
    const teardown = teardownOf(timer);
    if (!cls || !body || !teardown) return undefined;
    const flag = freshName(context.index.codeOf(cls), 'disposed');
    const edits = [
      insertLinesBefore(context.source, row, indent, [`if (this.${flag}) return;`]),
      insertAfterBrace(context, teardown.body, context.source.indentOf(teardown.method.startPosition.row) + unitOf(context), `this.${flag} = true;`),
    ];
    if (isTypeScript(context)) edits.push(insertAfterBrace(context, body, memberIndent(context, body), `private ${flag} = false;`));
    return { edits, stopper: teardown.name };
  }
  const stopper = functionChain(timer.call).slice(1).map(stopFunctionIn).find((found) => found !== undefined);
  if (!stopper) return undefined;
  const flag = freshName(context.index.code, 'stopped');
  const stopperRow = stopper.statement.startPosition.row;
  const edits = [
    insertLinesBefore(context.source, stopperRow, context.source.indentOf(stopperRow), [`let ${flag} = false;`]),
    insertAfterBrace(context, stopper.body, context.source.indentOf(stopperRow) + unitOf(context), `${flag} = true;`),
    insertLinesBefore(context.source, row, indent, [`if (${flag}) return;`]),
  ];
  return { edits, stopper: stopper.name };
}

/** Clear the old handle before its holder is replaced (`?.`: the first time there is no holder yet). */
function clearBeforeReplacingFix(context: RuleContext, timer: Timer, handle: Node, replacement: Node): CodeFix[] | undefined {
  const statement = statementOf(replacement);
  const holder = field(handle, 'object');
  const key = handle.type === 'member_expression' ? `?.${field(handle, 'property')?.text ?? ''}` : `?.[${field(handle, 'index')?.text ?? ''}]`;
  if (!statement || statement.type !== 'expression_statement' || !holder || !standsAlone(statement, context.source)) return undefined;
  const row = statement.startPosition.row;
  const edits = [insertLinesBefore(context.source, row, context.source.indentOf(row), [`clear${timer.kind}(${holder.text}${key});`])];
  return [{ title: `Clear the previous timer before ${holder.text} is replaced`, isPreferred: true, edits }];
}

/** Clear whatever the slot holds before storing the new handle in it. */
function clearBeforeStoreFix(context: RuleContext, timer: Timer): CodeFix[] | undefined {
  if (timer.statement.parent?.type !== 'statement_block' || !standsAlone(timer.statement, context.source)) return undefined;
  const row = timer.statement.startPosition.row;
  const edits = [insertLinesBefore(context.source, row, context.source.indentOf(row), [`clear${timer.kind}(${timer.handle});`])];
  return [{ title: `Clear the previous timer in ${timer.handle} first`, isPreferred: true, edits }];
}

/** Keep the handle on the instance: every reference to the module variable becomes `this.x`. */
function instanceHandleFix(context: RuleContext, timer: Timer, handle: Node): CodeFix[] | undefined {
  const cls = enclosingClass(timer.call);
  const body = cls ? field(cls, 'body') : undefined;
  const references = cls ? instanceReferences(context, handle, cls) : undefined;
  if (!cls || !body || !references?.length) return undefined;
  const edits: TextEdit[] = references.map((reference) => replaceRange(startOf(reference), endOf(reference), `this.${handle.text}`));
  if (isTypeScript(context)) edits.push(insertAfterBrace(context, body, memberIndent(context, body), `private ${handle.text}: ReturnType<typeof set${timer.kind}> | undefined;`));
  return [{ title: `Keep the timer's handle on each instance (this.${handle.text})`, isPreferred: true, edits }];
}

const STOPPERS = /^(stop|dispose|close|destroy|teardown|shutdown|cancel|unsubscribe)\w*$/i;

/** A stop-like function declared as a statement of the factory's body, with a block body. */
function stopFunctionIn(factory: Node): { statement: Node; body: Node; name: string } | undefined {
  const block = field(factory, 'body');
  if (block?.type !== 'statement_block') return undefined;
  for (const statement of namedChildren(block)) {
    const named = namedFunction(statement);
    const body = named ? field(named.fn, 'body') : undefined;
    if (named && STOPPERS.test(named.name) && body?.type === 'statement_block' && body.startPosition.row < body.endPosition.row) return { statement, body, name: named.name };
  }
  return undefined;
}

/** `function stop() {...}`, `const stop = () => {...}` or `const stop = function () {...}`. */
function namedFunction(statement: Node): { fn: Node; name: string } | undefined {
  if (statement.type === 'function_declaration') {
    const name = field(statement, 'name')?.text;
    return name ? { fn: statement, name } : undefined;
  }
  if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return undefined;
  const declarator = namedChildren(statement).find((child) => child.type === 'variable_declarator');
  const value = declarator ? field(declarator, 'value') : undefined;
  const name = declarator ? field(declarator, 'name')?.text : undefined;
  return name && value && (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function') ? { fn: value, name } : undefined;
}

function declaredDirectlyIn(factory: Node, name: string): boolean {
  const block = field(factory, 'body');
  return namedChildren(block ?? factory).some((statement) => (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') && namedChildren(statement).some((d) => d.type === 'variable_declarator' && field(d, 'name')?.text === name));
}

function unitOf(context: RuleContext): string {
  return context.source.indentUnit('  ');
}

function memberIndent(context: RuleContext, body: Node): string {
  const first = namedChildren(body)[0];
  if (first && first.startPosition.row > body.startPosition.row) return context.source.indentOf(first.startPosition.row);
  return context.source.indentOf(body.startPosition.row) + unitOf(context);
}

/** A new line right after a block's opening brace. */
function insertAfterBrace(context: RuleContext, block: Node, indent: string, text: string): TextEdit {
  return insertAt({ line: block.startPosition.row, column: block.startPosition.column + 1 }, context.source.eol + indent + text);
}

/** A method appended to a class body whose closing brace starts its own line. */
function addMethod(context: RuleContext, body: Node, header: string, statement: string): TextEdit | undefined {
  const closeLine = body.endPosition.row;
  const source = context.source;
  if (closeLine === body.startPosition.row || !source.startsLine(closeLine, body.endPosition.column - 1)) return undefined;
  const indent = memberIndent(context, body);
  const unit = unitOf(context);
  return insertLinesBefore(source, closeLine, '', ['', indent + header, indent + unit + statement, indent + '}']);
}

/** This rule's fixes for a timer that is never cleared, for the broad tier's hints (broad/timers.ts). */
export function neverClearedFixes(context: RuleContext, call: Node): CodeFix[] {
  const kind = timerKind(call);
  const timer = kind ? timerAt(call, kind) : undefined;
  if (!timer) return [];
  return classFix(context, timer) ?? effectFix(context, timer) ?? closeFix(context, timer) ?? stopperFix(context, timer) ?? [];
}
