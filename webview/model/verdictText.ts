// What the verdict banner says. The classifier's verdict when there is one; until then the
// plain slope and delta, labelled as such, so the panel never claims more than it knows.
// Pure: tested in Node.
import { GrowthClass, GrowthVerdict, hasMeasuredSlope, isLeakClass } from '../../src/core/model';
import { Diagnosis, DiagnosisKind, GROWTH_KIND_LABELS } from '../../src/core/shared/decomposition';
import { formatBytes, formatDuration, formatRate, formatSignedBytes } from '../../src/core/units';
import { limitFactName } from './limitText';
import { PanelStats } from './stats';
import { formatClock } from './timeTicks';
import { isTentative, statedClass, statedConfidence } from '../../src/core/shared/confidence';

export type BannerTone = 'leak' | 'warning' | 'ok' | 'info';

export interface BannerContent {
  tone: BannerTone;
  /** Codicon name. */
  icon: string;
  title: string;
  /** Short facts shown as a row: slope, since when, time to limit. */
  facts: string[];
  explanation: string;
  /** Which kind of growth a leak or plateau is (diagnose.ts), with its numbers, when known. */
  growth?: GrowthKindText;
}

export interface GrowthKindText {
  kind: DiagnosisKind;
  /** "Native memory growing outside the interpreter heap". */
  label: string;
  /** The diagnosis's sentence with its evidence numbers. */
  text: string;
  fix: string;
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
  /** Why RSS grows, from the host's decomposition; null or absent before one. */
  diagnosis?: Diagnosis | null;
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
    tone: verdictTone(v),
    icon: CLASS_ICONS[v.class],
    title: `${classTitle(v)} · ${statedConfidence(isLeakClass(v.class), v.confidence)}`,
    facts,
    explanation: v.explanation,
    ...growthKind(v, ctx.diagnosis),
  };
}

/**
 * A leak stated below even odds ("Steady growth · 6% chance of a leak") is more likely wrong
 * than right: shown in the warning colour, not the error colour a likely leak earns.
 */
function verdictTone(v: GrowthVerdict): BannerTone {
  if (isLeakClass(v.class)) return isTentative(v.confidence) ? 'warning' : 'leak';
  return v.class === 'spiky' ? 'warning' : v.class === 'unknown' ? 'info' : 'ok';
}

/** "Steady leak", or "Steady growth" while the leak is stated below even odds. */
function classTitle(v: GrowthVerdict): string {
  return statedClass(CLASS_LABELS[v.class], isLeakClass(v.class), v.confidence);
}

/**
 * For a leak or a plateau: which kind of growth it is. A named kind comes with the diagnosis's
 * own numbers; growth that /proc alone cannot place says where it is (anonymous or file-backed
 * pages) and what would tell the kinds apart; a flat reading says nothing.
 */
function growthKind(v: GrowthVerdict, diagnosis: Diagnosis | null | undefined): { growth?: GrowthKindText } {
  if (!diagnosis || !(isLeakClass(v.class) || v.class === 'plateau')) return {};
  const label = GROWTH_KIND_LABELS[diagnosis.kind];
  if (label) return { growth: { kind: diagnosis.kind, label, text: diagnosis.summary, fix: diagnosis.fix } };
  const e = diagnosis.evidence;
  if (diagnosis.kind !== 'unknown' || e.rss_growth_bytes === undefined || e.anon_growth_bytes === undefined) return {};
  return {
    growth: {
      kind: 'unknown',
      label: 'Kind of growth not known from outside',
      text: `RSS ${formatSignedBytes(e.rss_growth_bytes)} in ${formatDuration((e.window_s ?? 0) * 1000)}: anonymous memory ${formatSignedBytes(e.anon_growth_bytes)}, file-backed ${formatSignedBytes(e.file_growth_bytes ?? 0)}.`,
      fix: 'Live objects, memory the allocator keeps and native buffers all count as anonymous memory: "Find what is growing" reads inside the process to tell them apart.',
    },
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

function signedRate(bytesPerS: number): string {
  return bytesPerS > 0 ? `+${formatRate(bytesPerS)}` : formatRate(bytesPerS);
}
