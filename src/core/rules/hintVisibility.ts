// Where the broad tier's hints (issue 13) are shown. On real leaks the tier finds about half,
// but on code that does not leak nearly all its hints are wrong (3 right of 80 judged), so by
// default a hint is shown only in a file a leaking process is known to run or grow memory in:
// there its recall helps and its noise on clean code does not appear. One decision, used by
// everything that shows a finding or offers its fix.
import type { Finding } from './types';

/** The values of the setting `leakscope.rules.hints` (package.json declares the same). */
export const HINT_SETTINGS = ['off', 'whenLeaking', 'always'] as const;
export type HintSetting = (typeof HINT_SETTINGS)[number];
export const DEFAULT_HINT_SETTING: HintSetting = 'whenLeaking';

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
