// Which probe sites are worth a warning. An allocation profile of a flat process still lists
// something (a few hundred bytes from the sampling loop's own `open()`): shown as "growing", that
// is noise dressed as evidence. A site counts only when it holds a meaningful share of what the
// process really gained over the window, and at least a floor that no bookkeeping reaches.
import { MemorySample } from '../model';
import { formatBytes } from '../units';
import { ProbeResult, ProbeSite } from './types';

/** Below this a site is interpreter bookkeeping, whatever the chart shows. */
export const MIN_SITE_BYTES = 64 * 1024;
/** A site must hold at least this share of the RSS the process gained over the probe window. */
export const MIN_SHARE_OF_GROWTH = 0.05;

/**
 * RSS gained over [fromMs, toMs] by the least-squares slope of the samples in it (the round-by-round
 * noise of a real program would make last-minus-first say anything), never below zero.
 */
export function rssGrowthOver(samples: readonly MemorySample[], fromMs: number, toMs: number): number {
  const inWindow = samples.filter((s) => s.tMs >= fromMs && s.tMs <= toMs);
  if (inWindow.length < 2) return 0;
  const n = inWindow.length;
  const meanT = inWindow.reduce((sum, s) => sum + s.tMs, 0) / n;
  const meanR = inWindow.reduce((sum, s) => sum + s.rssBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of inWindow) {
    num += (s.tMs - meanT) * (s.rssBytes - meanR);
    den += (s.tMs - meanT) ** 2;
  }
  return den > 0 ? Math.max(0, (num / den) * (toMs - fromMs)) : 0;
}

/** The smallest site that counts, given the RSS the process gained during the probe. */
export function significantSiteBytes(rssGrowthBytes: number): number {
  return Math.max(MIN_SITE_BYTES, MIN_SHARE_OF_GROWTH * rssGrowthBytes);
}

/**
 * The result with only the sites that count; the others are left out with a note that says how
 * many and how small, so "nothing grew" is an answer and not a hidden list.
 */
export function withSignificantSites(result: ProbeResult, rssGrowthBytes: number): ProbeResult {
  const floor = significantSiteBytes(rssGrowthBytes);
  const kept: ProbeSite[] = result.sites.filter((s) => s.bytes >= floor);
  const dropped = result.sites.length - kept.length;
  if (dropped === 0) return result;
  const droppedBytes = result.sites.filter((s) => s.bytes < floor).reduce((sum, s) => sum + s.bytes, 0);
  const note = `${dropped} site${dropped === 1 ? '' : 's'} under ${formatBytes(floor)} (${formatBytes(droppedBytes)} in all) left out as noise: `
    + `RSS grew ${formatBytes(rssGrowthBytes)} during the probe.`;
  return { ...result, sites: kept, notes: [...result.notes, note] };
}
