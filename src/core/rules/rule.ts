// What a rule is to the engine: the node types it needs collected, and a detector that turns
// the indexed tree into detections (an anchor node, the scope its evidence came from, fixes).
import type { Node } from 'web-tree-sitter';
import { SyntaxIndex } from './syntax';
import { SourceText } from './text';
import { CodeFix, Language, RuleId } from './types';

export type LanguageFamily = 'python' | 'js';

export function familyOf(language: Language): LanguageFamily {
  return language === 'python' ? 'python' : 'js';
}

export interface RuleContext {
  language: Language;
  source: SourceText;
  index: SyntaxIndex;
  root: Node;
  /** 0-based lines a live probe named as growing: they stand in for naming hints. */
  evidenceLines: ReadonlySet<number>;
  /** Computes a value once per scan, shared by the rules that need it (use-site tables). */
  memo<T>(key: string, compute: () => T): T;
}

export interface Detection {
  /** Where the finding sits; a multi-line anchor is shown on its first line only. */
  anchor: Node;
  /** The span the evidence (including "nothing clears it") was read from; a syntax error in it may drop the detection (parseErrors.ts). */
  scope: Node;
  message: string;
  fixes: CodeFix[];
}

export interface Rule {
  id: RuleId;
  family: LanguageFamily;
  /** Node types the detector reads from the index. */
  collect: readonly string[];
  detect(context: RuleContext): Detection[];
}
