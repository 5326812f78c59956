// What the verdict banner says. The classifier's verdict when there is one; until then the
// plain slope and delta, labelled as such, so the panel never claims more than it knows.
// Pure: tested in Node.
import { GrowthClass, GrowthVerdict, hasMeasuredSlope, isLeakClass } from '../../src/core/model';
import { formatBytes, formatDuration, formatRate, formatSignedBytes } from '../../src/core/units';
import { limitFactName } from './limitText';
import { PanelStats } from './stats';
import { formatClock } from './timeTicks';

export type BannerTone = 'leak' | 'warning' | 'ok' | 'info';

export interface BannerContent {
  tone: BannerTone;
  /** Codicon name. */
  icon: string;
  title: string;
  /** Short facts shown as a row: slope, since when, time to limit. */
  facts: string[];
  explanation: string;
}

export const CLASS_LABELS: Record<GrowthClass, string> = {
  'steady-leak': 'Steady leak',
  'stepwise-leak': 'Stepwise leak',
  plateau: 'Plateau',
  flat: 'Flat',
  spiky: 'Spiky, no trend',
  unknown: 'Undecided',
};

const CLASS_ICONS: Record<GrowthClass, string> = {
  'steady-leak': 'warning',
  'stepwise-leak': 'warning',
  plateau: 'pass',
  flat: 'pass',
  spiky: 'pulse',
  unknown: 'question',
};

export interface BannerContext {
  verdict: GrowthVerdict | null;
  stats: PanelStats | undefined;
  /** Time to the memory limit on the current slope, if it will be reached. */
  timeToLimitMs?: number;
  limitBytes?: number;
  /** The host's short name of the limit; the banner says it as sent. */
  limitLabel?: string;
  tzOffsetMs: number;
}

export function bannerContent(ctx: BannerContext): BannerContent {
  const limitFact = limitText(ctx);
  if (!ctx.stats) {
    return { tone: 'info', icon: 'loading', title: 'Waiting for samples', facts: [], explanation: 'The first readings arrive after one sampling interval.' };
  }
  if (ctx.verdict?.class === 'unknown') return undecidedContent(ctx.verdict, ctx.stats, limitFact);
  if (ctx.verdict) return verdictContent(ctx.verdict, ctx, limitFact);
  return pendingContent(ctx.stats, limitFact);
}

/**
 * The classifier has spoken but not decided (too little data, or a rise that may still be a
 * plateau). The change so far, and the baseline slope it measured (the one the status bar shows),
 * with its uncertainty; with too few samples for a fit (uncertainty 0) no slope is claimed.
 */
function undecidedContent(v: GrowthVerdict, s: PanelStats, limitFact: string | undefined): BannerContent {
  const facts = [`${formatSignedBytes(s.deltaBytes)} over ${formatDuration(s.spanMs)}`];
  if (hasMeasuredSlope(v)) facts.push(`baseline ${signedRate(v.slopeBytesPerS)} ± ${formatRate(v.slopeUncertaintyBytesPerS)}`);
  if (limitFact) facts.push(limitFact);
  return {
    tone: limitFact ? 'warning' : 'info',
    icon: CLASS_ICONS.unknown,
    title: CLASS_LABELS.unknown,
    facts,
    explanation: v.explanation,
  };
}

function verdictContent(v: GrowthVerdict, ctx: BannerContext, limitFact: string | undefined): BannerContent {
  const since = ctx.stats ? ctx.stats.lastMs - v.regimeStartMs : 0;
  const facts = [
    `${signedRate(v.slopeBytesPerS)} ± ${formatRate(v.slopeUncertaintyBytesPerS)}`,
    `since ${formatClock(v.regimeStartMs, ctx.tzOffsetMs)} (${formatDuration(Math.max(0, since))})`,
  ];
  if (v.class === 'plateau' && v.plateauBytes !== undefined) facts.push(`settled at ${formatBytes(v.plateauBytes)}`);
  if (limitFact) facts.push(limitFact);
  return {
    tone: isLeakClass(v.class) ? 'leak' : v.class === 'spiky' ? 'warning' : v.class === 'unknown' ? 'info' : 'ok',
    icon: CLASS_ICONS[v.class],
    title: `${CLASS_LABELS[v.class]} · ${confidencePercent(v.confidence)}% confidence`,
    facts,
    explanation: v.explanation,
  };
}

/** Change and least-squares slope of the samples themselves: no model, no claim. */
function rawFacts(s: PanelStats, limitFact: string | undefined): string[] {
  const facts = [
    `${formatSignedBytes(s.deltaBytes)} over ${formatDuration(s.spanMs)}`,
    `${signedRate(s.recentSlopeBytesPerS)} (least squares, last ${formatDuration(Math.min(s.spanMs, 15 * 60_000))})`,
  ];
  if (limitFact) facts.push(limitFact);
  return facts;
}

function pendingContent(s: PanelStats, limitFact: string | undefined): BannerContent {
  return {
    tone: limitFact ? 'warning' : 'info',
    icon: 'graph-line',
    title: 'No verdict yet',
    facts: rawFacts(s, limitFact),
    explanation: 'The growth classifier has not judged this curve yet; these are the raw slope and change, not a diagnosis.',
  };
}

function limitText(ctx: BannerContext): string | undefined {
  if (ctx.limitBytes === undefined) return undefined;
  const name = limitFactName({ bytes: ctx.limitBytes, label: ctx.limitLabel });
  if (ctx.stats && ctx.stats.currentBytes >= ctx.limitBytes) return `over the ${name}`;
  if (ctx.timeToLimitMs === undefined) return undefined;
  return `${name} in ${formatDuration(ctx.timeToLimitMs)} at this slope`;
}

/** Rounded, but never "100%": a statistical verdict is never certain. */
export function confidencePercent(confidence: number): number {
  return Math.min(99, Math.round(confidence * 100));
}

function signedRate(bytesPerS: number): string {
  return bytesPerS > 0 ? `+${formatRate(bytesPerS)}` : formatRate(bytesPerS);
}
