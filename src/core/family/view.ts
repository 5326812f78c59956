// What the panel draws of a family: each member's recent RSS (thinned, so a message stays small
// however long the watch), the total, and the summary sentence. Plain data (protocol.ts).
import { FamilyMemberView, FamilyView } from '../protocol';
import { FamilyMember, ProcessFamily } from './processFamily';
import { isNamedLeak, memberLabel, verdictPhrase } from './summary';

/** The panel's small multiple shows the last quarter hour of each member. */
export const FAMILY_VIEW_WINDOW_MS = 15 * 60_000;
/** Points per curve: a small multiple is a few hundred pixels wide. */
export const FAMILY_VIEW_POINTS = 300;
/** Exited members drawn after the live ones, newest first: recycling would fill the panel. */
const EXITED_SHOWN = 4;

export function familyView(family: ProcessFamily, windowMs = FAMILY_VIEW_WINDOW_MS, maxPoints = FAMILY_VIEW_POINTS): FamilyView {
  const sinceMs = Date.now() - windowMs;
  const exited = family.members.filter((m) => !m.live).slice(0, EXITED_SHOWN);
  const members = [...family.live, ...exited].map((m) => memberView(m, sinceMs, maxPoints));
  const totals = family.totalHistory;
  const from = firstAtOrAfter(totals.tMs, sinceMs);
  return {
    summary: family.summary(),
    leaking: family.live.some((m) => isNamedLeak(m.verdict)),
    members,
    total: thin(totals.tMs.slice(from), totals.rssBytes.slice(from), maxPoints),
  };
}

function memberView(member: FamilyMember, sinceMs: number, maxPoints: number): FamilyMemberView {
  const recent = member.session.monitor.history.recentRss(sinceMs);
  return {
    label: memberLabel(member),
    pid: member.pid,
    live: member.live,
    leaking: member.live && isNamedLeak(member.verdict),
    verdict: verdictPhrase(member.verdict),
    ...thin(recent.tMs, recent.rssBytes, maxPoints),
  };
}

/** Every k-th point, the last always kept: enough for a sparkline, whose trend is what it shows. */
function thin(t: readonly number[], rss: readonly number[], maxPoints: number): { t: number[]; rss: number[] } {
  if (t.length <= maxPoints) return { t: [...t], rss: [...rss] };
  const step = Math.ceil(t.length / maxPoints);
  const out = { t: [] as number[], rss: [] as number[] };
  for (let i = (t.length - 1) % step; i < t.length; i += step) {
    out.t.push(t[i]);
    out.rss.push(rss[i]);
  }
  return out;
}

function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
