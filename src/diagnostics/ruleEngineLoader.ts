// The rule engine (tree-sitter's runtime and the rules: 40% of the extension's bundle) is loaded
// the first time a file is scanned, not when the extension activates. scripts/build.mjs turns
// this dynamic import into dist/rules-engine.js, a bundle of its own beside dist/extension.js;
// elsewhere (tests, benches) it is an ordinary import.
import type { RuleEngine } from '../core/rules/engine';

export async function loadRuleEngine(grammarDir: string): Promise<RuleEngine> {
  const engine = await import('../core/rules/engine');
  return engine.RuleEngine.create(grammarDir);
}
