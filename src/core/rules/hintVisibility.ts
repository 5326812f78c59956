// Where the broad tier's hints (issue 13) are shown. On code that does not leak nearly all its
// hints are wrong (3 right of 80 judged); "whenLeaking" shows them only in files a leaking process
// runs or grows memory in. That gate was measured on leaking programs written apart from the rules
// (test/corpus/leaking-programs): in their files the hints found no cause the strict rules missed
// and flagged 8 of 74 look-alike lines and 24 unmarked ones: a leaking file does not make a given
// hint right. So hints are off by default. One decision, used by everything that shows a finding
// or offers its fix.
import type { Finding } from './types';

/** The values of the setting `leakscope.rules.hints` (package.json declares the same). */
export const HINT_SETTINGS = ['off', 'whenLeaking', 'always'] as const;
export type HintSetting = (typeof HINT_SETTINGS)[number];
export const DEFAULT_HINT_SETTING: HintSetting = 'off';

/**
 * The setting as stored: before the enum it was a boolean (true: hints everywhere, false: none),
 * and a value VS Code did not validate (hand-edited settings.json) falls back to the default.
 */
export function hintSettingOf(value: unknown): HintSetting {
  if (value === true) return 'always';
  if (value === false) return 'off';
  return HINT_SETTINGS.find((s) => s === value) ?? DEFAULT_HINT_SETTING;
}

/** Whether a scan computes the hints at all: unless off, so a change of leak state needs no rescan. */
export function computesHints(setting: HintSetting): boolean {
  return setting !== 'off';
}

/** Whether `finding` is shown (as a diagnostic, with its quick fixes) in a file that leaks or not. */
export function isFindingShown(finding: Pick<Finding, 'broad'>, setting: HintSetting, fileLeaks: boolean): boolean {
  if (!finding.broad) return true;
  return setting === 'always' || (setting === 'whenLeaking' && fileLeaks);
}
