// Runtime evidence meets static findings: a live probe names a line that grows, and the
// adapter wants the finding (and its quick fix) for that line.
import { CodeFix, Finding } from './types';

/** Findings whose range starts on a 0-based line. */
export function findingsForLine(findings: readonly Finding[], line: number): Finding[] {
  return findings.filter((finding) => finding.range.startLine === line);
}

/** The fix to apply when only one is wanted: the preferred one, else the first. */
export function preferredFix(finding: Finding): CodeFix | undefined {
  return finding.fixes.find((fix) => fix.isPreferred) ?? finding.fixes[0];
}
