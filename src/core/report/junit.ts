// `leakscope run --junit FILE`: the run as a JUnit XML report, the format CI systems read (GitLab's
// test reports, Jenkins, GitHub test-report actions). One test case per watched process: failed
// on a leak (the verdict and its slope in the message) or a reached limit, passed otherwise.
import { judgedVerdict, processFailed, RunResult, verdictTitle, WatchedProcessResult, iterationText } from './runResult';
import { formatBytes, formatDuration } from '../units';

export const JUNIT_CLASSNAME = 'leakscope.memory';

export function runToJunitXml(result: RunResult): string {
  const failures = result.processes.filter(processFailed).length;
  const tests = result.processes.length;
  const time = seconds(result.endedAtMs - result.startedAtMs);
  const name = `leakscope run: ${result.argv.join(' ')}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leakscope run" tests="${tests}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${attr(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${timestamp(result.startedAtMs)}">`,
    '    <properties>',
    `      <property name="command" value="${attr(result.argv.join(' '))}"/>`,
    `      <property name="fail-on" value="${attr(result.failOn.join(',') || 'none')}"/>`,
    `      <property name="exit-code" value="${result.exitCode}"/>`,
    '    </properties>',
    ...result.processes.map(testCase),
    `    <system-out>${text(result.ending)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(p: WatchedProcessResult): string {
  const open = `    <testcase name="${attr(`memory of pid ${p.pid}: ${p.command}`)}" classname="${JUNIT_CLASSNAME}" time="${seconds(p.summary.durationMs)}">`;
  return [open, ...failure(p), `      <system-out>${text(summaryText(p))}</system-out>`, '    </testcase>'].join('\n');
}

function failure(p: WatchedProcessResult): string[] {
  if (!processFailed(p)) return [];
  if (p.leak) {
    const message = `${verdictTitle(p.leak)}: ${p.leak.explanation}`;
    return [`      <failure message="${attr(message)}" type="${p.leak.class}">${text(failureDetails(p))}</failure>`];
  }
  const limit = p.limitsReached[0];
  return [`      <failure message="${attr(limit.message)}" type="${limit.kind}-limit">${text(failureDetails(p))}</failure>`];
}

function failureDetails(p: WatchedProcessResult): string {
  const lines = [summaryText(p), ...p.limitsReached.map((l) => `Limit reached: ${l.message}`)];
  return lines.join('\n');
}

/** What was watched and found, in a few lines. */
export function summaryText(p: WatchedProcessResult): string {
  const s = p.summary;
  const verdict = judgedVerdict(p);
  const lines = [
    `pid ${p.pid}: ${p.command}`,
    `Watched ${formatDuration(s.durationMs)}, ${s.samples} samples: RSS ${formatBytes(s.startRssBytes)} → ${formatBytes(s.endRssBytes)}, peak ${formatBytes(s.peakRssBytes)}.`,
    verdict.class === 'unknown' ? `Verdict: none. ${verdict.explanation}` : `Verdict: ${verdictTitle(verdict)}. ${verdict.explanation}`,
  ];
  const perIteration = iterationText(p.iterations);
  if (perIteration) lines.push(`Growth per iteration: ${perIteration}.`);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Local-time-free ISO 8601 (UTC, no zone), as Ant and Surefire write it. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** XML 1.0 forbids most control characters even escaped: a program's output may hold them. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
