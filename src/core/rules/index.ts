// The rule engine's public surface: what the CLI and the VS Code adapter import.
export * from './types';
export { RULES, ruleDoc } from './catalogue';
export { languageForPath, languageForVscodeId, SCANNED_EXTENSIONS } from './languages';
export { RuleEngine } from './engine';
export { applyEdits } from './text';
export { scanPaths, scanFile } from './scan-paths';
export type { ScanResult, ScanPathsOptions } from './scan-paths';
export { preferredFix } from './fixes';
