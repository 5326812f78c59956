// `leakscope run --markdown FILE`: a summary for CI job summaries and PR comments, one section per
// watched process with its verdict and an inline SVG chart of RSS over time.
import { judgedVerdict, processFailed, RunResult, verdictTitle, WatchedProcessResult, iterationText } from './runResult';
import { rssChartSvg } from './svgChart';
import { formatBytes, formatDuration } from '../units';

export function runToMarkdown(result: RunResult): string {
  const failed = result.gateFailure !== undefined;
  const lines = [
    `## Leakscope: ${failed ? '❌ failed' : '✅ passed'} — \`${inlineCode(result.argv.join(' '))}\``,
    '',
    `${escapeText(result.ending)}`,
    '',
    '| Process | Verdict | RSS start → end (peak) | Watched |',
    '| --- | --- | --- | --- |',
    ...result.processes.map(tableRow),
    '',
  ];
  for (const p of result.processes) lines.push(...section(p, result), '');
  return lines.join('\n');
}

function tableRow(p: WatchedProcessResult): string {
  const v = judgedVerdict(p);
  const verdict = v.class === 'unknown' ? 'none yet' : verdictTitle(v);
  const mark = processFailed(p) ? '❌' : '✅';
  const s = p.summary;
  return `| ${mark} pid ${p.pid} \`${inlineCode(p.command)}\` | ${escapeCell(verdict)} | ${formatBytes(s.startRssBytes)} → ${formatBytes(s.endRssBytes)} (${formatBytes(s.peakRssBytes)}) | ${formatDuration(s.durationMs)}, ${s.samples} samples |`;
}

function section(p: WatchedProcessResult, result: RunResult): string[] {
  const v = judgedVerdict(p);
  const lines = [`### pid ${p.pid}: \`${inlineCode(p.command)}\``, ''];
  lines.push(v.class === 'unknown' ? `**Verdict:** none yet. ${escapeText(v.explanation)}` : `**Verdict:** ${verdictTitle(v)}. ${escapeText(v.explanation)}`);
  const perIteration = iterationText(p.iterations);
  if (perIteration) lines.push('', `**Growth per iteration:** ${perIteration}.`);
  for (const limit of p.limitsReached) lines.push('', `**Limit reached:** ${escapeText(limit.message)}.`);
  const markers = [{ tMs: (p.samples[0]?.tMs ?? result.startedAtMs) + result.warmUpMs, label: 'warm-up ends' }, ...p.limitsReached.map((l) => ({ tMs: l.tMs, label: `${l.kind} limit` }))];
  // A blank line before and none inside: Markdown passes an HTML block through whole.
  lines.push('', rssChartSvg(p.samples, { title: `RSS of pid ${p.pid} over time`, alarming: processFailed(p), markers }));
  return lines;
}

/** Backticks cannot be escaped inside a code span: shown as a look-alike instead. */
function inlineCode(s: string): string {
  return s.replace(/`/g, 'ˋ').replace(/\n/g, ' ');
}

function escapeText(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function escapeCell(s: string): string {
  return escapeText(s);
}
