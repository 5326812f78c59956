// Profiling aid (issue 13): time per rule on one generated file, each rule's `detect` wrapped with
// this thread's CPU time (a memo is paid by the first rule that asks for it), and how often the
// tree-sitter readers are called: childForFieldName calls against distinct (node, field) pairs.
//   node scripts/build.mjs --tests && node out/bench/tools/rulesTimed.js [ts|python] [MB] [--hints] [--runs=N] [--count] [--memo=type,text,…]
import { readFileSync } from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, as the engine loads it (src/core/rules/engine.ts)
import TreeSitter = require('web-tree-sitter');
import { RuleEngine } from '../../src/core/rules';
import { ALL_RULES } from '../../src/core/rules/registry';
import { HINT_RULES } from '../../src/core/rules/broad';
import { Rule } from '../../src/core/rules/rule';
import { fromRoot } from '../../test/helpers/paths';
import { fileOf, generatedPython, generatedTs } from '../rules/generated';

const spent = new Map<string, number>();
const calls = new Map<string, number>();
const pairs = new Set<string>();
const instanceReads = new WeakMap<object, Set<string>>();

function timeRules(rules: readonly Rule[], tier: string): void {
  for (const rule of rules) {
    const detect = rule.detect.bind(rule);
    const row = `${tier} ${rule.family} ${rule.id}`;
    (rule as { detect: Rule['detect'] }).detect = (context) => {
      const started = threadMs();
      try {
        return detect(context);
      } finally {
        spent.set(row, (spent.get(row) ?? 0) + threadMs() - started);
      }
    };
  }
}

function countReader(name: 'childForFieldName' | 'namedChildren' | 'children' | 'parent' | 'text' | 'type'): void {
  const prototype = TreeSitter.Node.prototype as unknown as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(TreeSitter.Node.prototype, name);
  if (!descriptor) return;
  if (descriptor.get) {
    const get = descriptor.get;
    const seen = new WeakSet<object>();
    Object.defineProperty(prototype, name, {
      get(this: TreeSitter.Node) {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        if (seen.has(this)) calls.set(`${name} again on the same Node`, (calls.get(`${name} again on the same Node`) ?? 0) + 1);
        seen.add(this);
        return get.call(this);
      },
    });
  } else {
    const original = descriptor.value as (this: TreeSitter.Node, field: string) => unknown;
    prototype[name] = function (this: TreeSitter.Node, field: string): unknown {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      pairs.add(`${this.id}:${field}`);
      const seen = instanceReads.get(this) ?? new Set<string>();
      instanceReads.set(this, seen);
      if (seen.has(field)) calls.set('same instance again', (calls.get('same instance again') ?? 0) + 1);
      seen.add(field);
      return original.call(this, field);
    };
  }
}

/** This thread's CPU time in ms (schedstat's run time): unlike wall time it ignores other processes, and unlike process.cpuUsage, V8's GC and compiler threads. */
function threadMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
}

function cpuMs(run: () => void): number {
  const started = threadMs();
  run();
  return threadMs() - started;
}

/**
 * What-if (not in the product): keeps each getter's value on the Node object, so a second read of
 * the same Node's type or text costs no crossing into wasm. Bounds what caching those reads could save.
 */
function memoizeGetters(names: readonly string[]): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(TreeSitter.Node.prototype, name);
    const get = descriptor?.get;
    if (!get) continue;
    const slot = Symbol(name);
    Object.defineProperty(TreeSitter.Node.prototype, name, {
      get(this: Record<symbol, unknown>) {
        let value = this[slot];
        if (value === undefined) this[slot] = value = get.call(this);
        return value;
      },
    });
  }
}

async function main(): Promise<void> {
  const memoized = process.argv.find((arg) => arg.startsWith('--memo='))?.slice(7);
  if (memoized) memoizeGetters(memoized.split(','));
  const language = process.argv[2] === 'python' ? 'python' : 'typescript';
  const bytes = Number(process.argv[3] ?? 4) * 1024 * 1024;
  const hints = process.argv.includes('--hints');
  const counting = process.argv.includes('--count');
  const text = fileOf(bytes, language === 'python' ? generatedPython : generatedTs);
  const engine = await RuleEngine.create(fromRoot('dist/grammars'));
  timeRules(ALL_RULES, 'strict');
  timeRules(HINT_RULES, 'hint');
  engine.scan(text, language, { maxBytes: text.length + 1, hints });
  if (counting) for (const name of ['childForFieldName', 'namedChildren', 'children', 'parent', 'text', 'type'] as const) countReader(name);
  // The best of `runs` scans (CPU time of this process: the machine is shared), and parses alone beside them.
  const runs = counting ? 1 : Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice(7) ?? 3);
  let best = { scan: Infinity, parse: Infinity, rules: Infinity, perRule: new Map<string, number>() };
  for (let run = 0; run < runs; run++) {
    spent.clear();
    const scan = cpuMs(() => engine.scan(text, language, { maxBytes: text.length + 1, hints }));
    const parse = cpuMs(() => engine.parsesCleanly(text, language));
    const rules = [...spent.values()].reduce((a, b) => a + b, 0);
    if (scan < best.scan) best = { ...best, scan, rules, perRule: new Map(spent) };
    best.parse = Math.min(best.parse, parse);
  }
  console.log(`${language} ${(text.length / 1024 / 1024).toFixed(1)} MB, best of ${runs} (main thread's cpu): scan ${best.scan.toFixed(0)} ms, parse ${best.parse.toFixed(0)} ms (x${(best.scan / best.parse).toFixed(2)}), rules ${best.rules.toFixed(0)} ms`);
  spent.clear();
  for (const [row, ms] of best.perRule) spent.set(row, ms);
  for (const [row, ms] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${row}`);
  if (counting) {
    for (const [name, count] of calls) console.log(`  ${name}: ${count} calls`);
    console.log(`  childForFieldName distinct (node, field): ${pairs.size}`);
  }
}

void main();
