// Public shapes of the rule engine: plain data, so the VS Code adapter and the CLI can turn
// findings and fixes into their own types without knowing anything about tree-sitter.

export type Language = 'python' | 'javascript' | 'typescript' | 'tsx';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const RULE_IDS = [
  'handler-not-cleared',
  'unbounded-cache',
  'method-lru-cache',
  'unbounded-collection',
  'missing-gc-after-free',
  'malloc-trim',
  'log-no-rotation',
  'cuda-cache',
  'trial-no-guard',
  'timer-not-cleared',
  'stream-no-drain',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** 0-based lines; columns in UTF-16 code units, as VS Code counts them. */
export interface TextRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A pure text edit against the scanned text (ranges refer to the original, unedited text). */
export interface TextEdit {
  range: TextRange;
  newText: string;
}

export interface CodeFix {
  title: string;
  isPreferred: boolean;
  /** Non-overlapping edits, all against the original text. */
  edits: TextEdit[];
}

export interface Finding {
  rule: RuleId;
  message: string;
  severity: Severity;
  range: TextRange;
  fixes: CodeFix[];
  /** Reported by the broad hint tier (ScanOptions.hints), not by a strict rule. */
  broad?: true;
}

export interface RuleDoc {
  id: RuleId;
  title: string;
  /** One sentence on the risk. */
  description: string;
  defaultSeverity: Severity;
  languages: readonly Language[];
  /** A few lines: when it fires, the fix, when the fix does not help. */
  docs: string;
}

export interface ScanOptions {
  disabledRules?: readonly string[];
  severityOverrides?: Readonly<Record<string, Severity>>;
  /** Texts longer than this (UTF-8 bytes for files, UTF-16 units for texts) are not scanned; default 1 MB. */
  maxBytes?: number;
  /**
   * 0-based lines a live probe named as growing. Runtime evidence stands in for the naming
   * hints some rules otherwise require (a list called `history`, a dict called `cache`).
   */
  evidenceLines?: readonly number[];
  /**
   * Also run the broad tier (issue 13): looser gates, reported with severity `hint` under the
   * strict rules' ids where no strict rule found anything on the line. Default off.
   */
  hints?: boolean;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

export function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'information' || value === 'hint';
}
