// The rule engine: tree-sitter parsers loaded once per engine, one parse per scan, the tree
// freed before `scan` returns (wasm memory never shrinks, so a leaked tree is a leak for good).
import { join } from 'node:path';
import type { Tree } from 'web-tree-sitter';
// `require`, not `import`: bundlers then pick the package's CommonJS build, whose Node loader
// works inside a bundle (the ES build reads `import.meta.url`, which a CJS bundle empties).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import TreeSitter = require('web-tree-sitter');
import { ruleDoc } from './catalogue';
import { Detection, familyOf, Rule, RuleContext } from './rule';
import { ALL_RULES } from './registry';
import { HINT_RULES } from './broad';
import { isSuppressed, readSuppressions } from './suppression';
import { clearOfParseErrors, parseErrorSpans } from './parseErrors';
import { SyntaxIndex } from './syntax';
import { rangeOf, SourceText } from './text';
import { DEFAULT_MAX_BYTES, Finding, Language, ScanOptions, TextRange } from './types';

const LANGUAGES: readonly Language[] = ['python', 'javascript', 'typescript', 'tsx'];
const COMMENT_TYPES: Record<'python' | 'js', readonly string[]> = { python: ['comment'], js: ['comment'] };
const BLANK_TYPES: Record<'python' | 'js', ReadonlySet<string>> = {
  python: new Set(['comment', 'string']),
  js: new Set(['comment', 'string', 'template_string', 'regex']),
};

/** Emscripten's module object: web-tree-sitter fills in its heap views after init. */
interface RuntimeModule {
  locateFile(name: string): string;
  HEAP8?: Int8Array;
}

let runtime: { module: RuntimeModule; ready: Promise<void> } | undefined;

/** The wasm runtime is one per process; the first grammar folder given locates it. */
function initRuntime(grammarDir: string): { module: RuntimeModule; ready: Promise<void> } {
  if (!runtime) {
    const module: RuntimeModule = { locateFile: (name) => join(grammarDir, name) };
    const ready = TreeSitter.Parser.init(module);
    runtime = { module, ready };
    ready.catch(() => { runtime = undefined; });
  }
  return runtime;
}

export class RuleEngine {
  /** Errors thrown by individual rules in the last scan (a rule bug costs its findings, not the scan). */
  lastRuleErrors: Error[] = [];
  private disposed = false;

  private constructor(
    private readonly parsers: ReadonlyMap<Language, TreeSitter.Parser>,
    private readonly module: RuntimeModule,
  ) {}

  static async create(grammarDir: string): Promise<RuleEngine> {
    const { module, ready } = initRuntime(grammarDir);
    await ready;
    const parsers = new Map<Language, TreeSitter.Parser>();
    try {
      for (const language of LANGUAGES) {
        const grammar = await TreeSitter.Language.load(join(grammarDir, `tree-sitter-${language}.wasm`));
        const parser = new TreeSitter.Parser();
        parsers.set(language, parser);
        parser.setLanguage(grammar);
      }
    } catch (error) {
      for (const parser of parsers.values()) parser.delete();
      throw error;
    }
    return new RuleEngine(parsers, module);
  }

  scan(text: string, language: Language, options: ScanOptions = {}): Finding[] {
    if (this.disposed) throw new Error('RuleEngine: scan after dispose');
    if (text.length > (options.maxBytes ?? DEFAULT_MAX_BYTES)) return [];
    const rules = enabledRules(ALL_RULES, language, options);
    const hintRules = options.hints ? enabledRules(HINT_RULES, language, options) : [];
    this.lastRuleErrors = [];
    if (rules.length === 0 && hintRules.length === 0) return [];
    const tree = this.parse(text, language);
    if (!tree) return [];
    try {
      return this.runRules(tree, text, language, { strict: rules, hints: hintRules }, options);
    } finally {
      tree.delete();
    }
  }

  /**
   * The findings on 0-based lines a live probe named as growing. The runtime evidence stands
   * in for the naming hints and the "something evicts it somewhere" checks, so a store into a
   * dict called `_handlers` or a cache whose eviction never runs is still reported there.
   */
  findingsAtLines(text: string, language: Language, lines: readonly number[], options: ScanOptions = {}): Finding[] {
    const evidenceLines = [...(options.evidenceLines ?? []), ...lines];
    const wanted = new Set(lines);
    return this.scan(text, language, { ...options, evidenceLines }).filter((finding) => wanted.has(finding.range.startLine));
  }

  /** True when the text parses without ERROR or MISSING nodes (used to check fixes). */
  parsesCleanly(text: string, language: Language): boolean {
    const tree = this.parse(text, language);
    if (!tree) return false;
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  /** Bytes of wasm heap in use by the runtime: it grows when trees leak, and never shrinks. */
  wasmHeapBytes(): number {
    return this.module.HEAP8?.length ?? 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const parser of this.parsers.values()) parser.delete();
  }

  private parse(text: string, language: Language): Tree | null {
    const parser = this.parsers.get(language);
    if (!parser) throw new Error(`RuleEngine: no parser for ${language}`);
    return parser.parse(text);
  }

  private runRules(tree: Tree, text: string, language: Language, rules: { strict: readonly Rule[]; hints: readonly Rule[] }, options: ScanOptions): Finding[] {
    const family = familyOf(language);
    const source = new SourceText(text);
    const collect = new Set<string>(COMMENT_TYPES[family]);
    for (const rule of [...rules.strict, ...rules.hints]) for (const type of rule.collect) collect.add(type);
    const index = new SyntaxIndex(tree, text, { collect, blank: BLANK_TYPES[family] });
    const context: RuleContext = {
      language,
      source,
      index,
      root: tree.rootNode,
      evidenceLines: new Set(options.evidenceLines ?? []),
      memo: memoizer(),
    };
    const suppressions = readSuppressions(index.nodes('comment'), source);
    const findings: Finding[] = [];
    const errorSpans = parseErrorSpans(tree.rootNode);
    // Hints run after the strict rules; a hint never stands on a line where a strict rule reported
    // (the same store seen twice, once with more certainty).
    for (const [tier, tierRules] of [['strict', rules.strict], ['hint', rules.hints]] as const) {
      for (const rule of tierRules) {
        for (const detection of this.detect(rule, context)) {
          // Evidence read from a span with syntax errors may be wrong: precision first.
          if (!clearOfParseErrors(detection, errorSpans, index.code)) continue;
          const range = anchorRange(detection, source);
          if (isSuppressed(suppressions, range.startLine, rule.id)) continue;
          const finding: Finding = { rule: rule.id, message: detection.message, severity: 'hint', range, fixes: detection.fixes };
          if (tier === 'hint') finding.broad = true;
          else finding.severity = options.severityOverrides?.[rule.id] ?? ruleDoc(rule.id).defaultSeverity;
          findings.push(finding);
        }
      }
    }
    return withoutShadowedHints(dedupe(findings)).sort((a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn);
  }

  private detect(rule: Rule, context: RuleContext): Detection[] {
    try {
      return rule.detect(context);
    } catch (error) {
      this.lastRuleErrors.push(error instanceof Error ? error : new Error(String(error)));
      return [];
    }
  }
}

function memoizer(): RuleContext['memo'] {
  const values = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    if (!values.has(key)) values.set(key, compute());
    return values.get(key) as T;
  };
}

function enabledRules(all: readonly Rule[], language: Language, options: ScanOptions): Rule[] {
  const disabled = new Set(options.disabledRules ?? []);
  const family = familyOf(language);
  return all.filter((rule) => rule.family === family && !disabled.has(rule.id));
}

/** The anchor's range, cut to its first line so a long call is not underlined whole. */
function anchorRange(detection: Detection, source: SourceText): TextRange {
  const start = detection.anchor.startPosition;
  const end = detection.anchor.endPosition;
  if (end.row === start.row) return rangeOf({ line: start.row, column: start.column }, { line: end.row, column: end.column });
  const firstLine = source.lineText(start.row).trimEnd();
  return rangeOf({ line: start.row, column: start.column }, { line: start.row, column: Math.max(firstLine.length, start.column) });
}

/** Drops a hint on a line that holds a strict finding: a Map flagged as an unbounded cache is not also an unbounded collection. */
function withoutShadowedHints(findings: Finding[]): Finding[] {
  const strictLines = new Set(findings.filter((f) => !f.broad).map((f) => f.range.startLine));
  return findings.filter((f) => !f.broad || !strictLines.has(f.range.startLine));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}:${finding.range.startLine}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
