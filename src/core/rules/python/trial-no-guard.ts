// trial-no-guard: an Optuna objective that never prunes itself on elapsed time or memory, so a
// stuck or leaking trial runs until the machine gives out (the seed runbook's incident).
import type { Node } from 'web-tree-sitter';
import { appendArguments, indentUnitFor } from '../fixes';
import { Detection, Rule, RuleContext } from '../rule';
import { field, namedChildren } from '../syntax';
import { insertLinesBefore } from '../text';
import { CodeFix, TextEdit } from '../types';
import { addImports, functionName, isDocstring, parameterNames } from './syntax';

const PRUNES = /\bTrialPruned\b/;
const LIMITS = /\btime\s*\.\s*(?:time|monotonic|perf_counter)\s*\(|\b(?:monotonic|perf_counter)\s*\(|max_trial_duration|memory_info|\bpsutil\b|\brss\b|getrusage|max_rss|memory_allocated/;
const LOOPS = new Set(['for_statement', 'while_statement']);

export const trialNoGuard: Rule = {
  id: 'trial-no-guard',
  family: 'python',
  collect: ['function_definition', 'call'],
  detect(context) {
    if (!/\boptuna\b/.test(context.index.code)) return [];
    const optimizeCalls = context.index.nodes('call').filter((call) => /\.optimize$/.test(field(call, 'function')?.text ?? ''));
    const objectives = objectiveNames(optimizeCalls);
    const guarded = guardHelpers(context);
    const detections: Detection[] = unseenObjectiveCalls(context, optimizeCalls);
    for (const fn of context.index.nodes('function_definition')) {
      const name = functionName(fn);
      const isObjective = objectives.has(name) || (name === 'objective' && parameterNames(fn)[0] === 'trial');
      if (!isObjective || isGuarded(context, fn, guarded)) continue;
      const calls = optimizeCalls.filter((call) => objectiveOf(call) === name);
      const fix = guardFix(context, fn, calls);
      detections.push({
        anchor: fn,
        scope: fn,
        message: `Objective \`${name}\` has no time or memory limit, so a stuck or leaking trial runs until the machine runs out.`,
        fixes: fix ? [fix] : [],
      });
    }
    return detections;
  },
};

/**
 * `study.optimize(objective, ...)` where the objective is no function of this file (an instance
 * of a class from another module, `objective = XgboostObjective(...)`): its guards are out of
 * sight, so the call itself must bound memory across trials, with `gc_after_trial=True`.
 * A `timeout=` bounds time only.
 */
function unseenObjectiveCalls(context: RuleContext, optimizeCalls: readonly Node[]): Detection[] {
  const local = new Set(context.index.nodes('function_definition').map(functionName));
  const classes = callableClasses(context);
  const guarded = guardHelpers(context);
  const detections: Detection[] = [];
  for (const call of optimizeCalls) {
    const args = field(call, 'arguments');
    const receiver = field(field(call, 'function') ?? call, 'object')?.text ?? '';
    const objective = objectiveOf(call);
    if (!args || !objective || local.has(objective) || !/study/i.test(receiver) || /\bgc_after_trial\s*=\s*True\b/.test(args.text)) continue;
    if (/\*\*/.test(args.text)) continue;
    const objectiveClass = classes.get(objective);
    if (objectiveClass && isGuarded(context, objectiveClass, guarded)) continue;
    detections.push({
      anchor: call,
      scope: call,
      message: objectiveClass
        ? `Each trial runs \`${objective}.__call__\`, which has no time or memory limit, and nothing frees what a trial leaves behind: memory grows across trials until the machine runs out.`
        : `\`${objective}\` is defined elsewhere, and nothing here frees what each trial leaves behind: memory grows across trials until the machine runs out.`,
      fixes: [{ title: 'Collect garbage after each trial (gc_after_trial=True)', isPreferred: true, edits: [appendArguments(args, ['gc_after_trial=True'])] }],
    });
  }
  return detections;
}

/** Classes of this file with a `__call__`: an instance of one is a class-based objective (`optimize(Objective(data))`). */
function callableClasses(context: RuleContext): Map<string, Node> {
  const classes = new Map<string, Node>();
  for (const fn of context.index.nodes('function_definition')) {
    if (functionName(fn) !== '__call__') continue;
    const owner = fn.parent?.parent;
    const name = owner?.type === 'class_definition' ? field(owner, 'name')?.text : undefined;
    if (owner && name) classes.set(name, owner);
  }
  return classes;
}

/** The function a `study.optimize(...)` call runs: `optimize(objective)`, `func=objective`, `lambda t: objective(t, …)`, `Objective(data)`. */
function objectiveOf(call: Node): string | undefined {
  const args = namedChildren(field(call, 'arguments') ?? call);
  const keyword = args.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'func');
  let target = keyword ? field(keyword, 'value') : args.find((a) => a.type !== 'keyword_argument');
  if (target?.type === 'lambda') {
    const body = field(target, 'body');
    target = body?.type === 'call' ? field(body, 'function') : undefined;
  }
  // An instance made on the spot: the class is the objective (its `__call__` runs each trial).
  if (target?.type === 'call') target = field(target, 'function');
  if (target?.type === 'attribute') return field(target, 'attribute')?.text;
  return target?.type === 'identifier' ? target.text : undefined;
}

function objectiveNames(calls: readonly Node[]): Set<string> {
  return new Set(calls.map(objectiveOf).filter((name): name is string => name !== undefined));
}

function hasGuard(code: string): boolean {
  return PRUNES.test(code) && LIMITS.test(code);
}

/** Functions of this file that contain a guard, so calling one from the objective counts. */
function guardHelpers(context: RuleContext): string[] {
  return context.index.nodes('function_definition').filter((fn) => hasGuard(context.index.codeOf(fn))).map(functionName);
}

function isGuarded(context: RuleContext, fn: Node, helpers: readonly string[]): boolean {
  const code = context.index.codeOf(fn);
  return hasGuard(code) || helpers.some((helper) => helper !== functionName(fn) && new RegExp(`\\b${helper}\\s*\\(`).test(code));
}

/**
 * The seed runbook's guard: the clock starts before the objective's main loop and each pass
 * checks elapsed time and RSS first; with no loop, the checks open the function body.
 */
function guardFix(context: RuleContext, fn: Node, optimizeCalls: readonly Node[]): CodeFix | undefined {
  const body = field(fn, 'body');
  if (!body) return undefined;
  const source = context.source;
  const unit = indentUnitFor(context);
  const statements = namedChildren(body).filter((s) => s.type !== 'comment');
  const first = statements[0];
  if (!first || first.startPosition.row === fn.startPosition.row) return undefined;
  const loop = statements.find((s) => LOOPS.has(s.type));
  const loopFirst = loop ? namedChildren(field(loop, 'body') ?? loop).filter((s) => s.type !== 'comment')[0] : undefined;
  const useLoop = loop && loopFirst && loopFirst.startPosition.row > loop.startPosition.row;
  const setup = ['trial_start_time = time.time()', 'max_trial_duration = 30 * 60  # seconds'];
  const checks = [
    'elapsed_time = time.time() - trial_start_time',
    'if elapsed_time > max_trial_duration:',
    `${unit}raise optuna.TrialPruned(f"Trial timeout: {elapsed_time / 60:.1f} min")`,
    'rss_gb = psutil.Process().memory_info().rss / 1024**3',
    'if rss_gb > 12.0:',
    `${unit}raise optuna.TrialPruned(f"Memory limit exceeded: {rss_gb:.1f} GB")`,
  ];
  const edits: TextEdit[] = [];
  if (useLoop && loop && loopFirst) {
    edits.push(insertLinesBefore(source, loop.startPosition.row, source.indentOf(loop.startPosition.row), setup));
    edits.push(insertLinesBefore(source, loopFirst.startPosition.row, source.indentOf(loopFirst.startPosition.row), checks));
  } else {
    const at = isDocstring(first) ? statements[1] : first;
    if (!at) return undefined;
    edits.push(insertLinesBefore(source, at.startPosition.row, source.indentOf(at.startPosition.row), [...setup, ...checks]));
  }
  for (const call of optimizeCalls) {
    const args = field(call, 'arguments');
    if (args && !/\bgc_after_trial\s*=/.test(args.text)) edits.push(appendArguments(args, ['gc_after_trial=True']));
  }
  const importEdit = addImports(context, ['time', 'psutil', 'optuna']);
  if (importEdit) edits.push(importEdit);
  return { title: 'Prune the trial past 30 min or 12 GB RSS, and collect garbage after each trial', isPreferred: true, edits };
}
