// The broad hint tier (issue 13): looser gates than the strict rules, reported with severity
// `hint` under the strict rules' ids, only where no strict rule found anything on the
// line. Off unless the scan asks for it (ScanOptions.hints).
import { Detection, LanguageFamily, Rule, RuleContext } from '../rule';
import { RuleId } from '../types';

export interface HintDetection {
  rule: RuleId;
  detection: Detection;
}

/**
 * One hint rule per rule id and language; a part that reports under two ids (containers:
 * unbounded-cache or unbounded-collection) runs once per scan and each rule takes its own.
 */
export function hintRule(id: RuleId, family: LanguageFamily, collect: readonly string[], part: string, detect: (context: RuleContext) => HintDetection[]): Rule {
  return {
    id,
    family,
    collect,
    detect: (context) => context.memo(`hints.${family}.${part}`, () => detect(context)).filter((hint) => hint.rule === id).map((hint) => hint.detection),
  };
}
