// The sentence that names a family's leaking member: "worker 3 of 4 (pid 812): steady leak
// 2.1 MB/min; the others flat". Plain data in, so the CLI, the panel and tests say the same.
import { GrowthVerdict } from '../model';
import { isLeakAlert } from '../session';
import { isTentative, statedClass } from '../shared/confidence';
import { formatRate } from '../units';

/** What the summary needs of a member: where it sits, who it is, what its classifier says. */
export interface MemberStatus {
  /** 0 for the root (the master, the primary); workers count from 1. */
  slot: number;
  pid: number;
  /** The pid of the worker this one replaced in its slot (max-requests recycling). */
  replacedPid?: number;
  live: boolean;
  verdict: GrowthVerdict;
}

/** "master" or "worker 3": the member's name in its family, without the count. */
export function memberName(member: Pick<MemberStatus, 'slot'>): string {
  return member.slot === 0 ? 'master' : `worker ${member.slot}`;
}

/** "worker 3 (pid 812, replaced pid 790)". */
export function memberLabel(member: Pick<MemberStatus, 'slot' | 'pid' | 'replacedPid'>): string {
  const replaced = member.replacedPid === undefined ? '' : `, replaced pid ${member.replacedPid}`;
  return `${memberName(member)} (pid ${member.pid}${replaced})`;
}

/** A leak the family reports: the single process's alert rule. */
export function isNamedLeak(verdict: GrowthVerdict): boolean {
  return isLeakAlert(verdict);
}

/** "steady leak 2.1 MB/min", "stepwise growth 300 KB/min" (a leak below even odds), "flat", "undecided". */
export function verdictPhrase(verdict: GrowthVerdict): string {
  switch (verdict.class) {
    case 'steady-leak':
      return `${statedClass('steady leak', true, verdict.confidence).toLowerCase()} ${formatRate(verdict.slopeBytesPerS)}`;
    case 'stepwise-leak':
      return `${statedClass('stepwise leak', true, verdict.confidence).toLowerCase()} ${formatRate(verdict.slopeBytesPerS)}`;
    case 'unknown':
      return 'undecided';
    default:
      return verdict.class;
  }
}

/**
 * One sentence for the whole family: the leaking live members, fastest first, then what the
 * others do; a member that leaked and has since exited is mentioned after. `slotCount` is the
 * "of 4" in "worker 3 of 4": the workers the family has had slots for (a worker between its
 * exit and its replacement still counts); by default the live workers.
 */
export function familySummary(members: readonly MemberStatus[], slotCount?: number): string {
  const live = members.filter((m) => m.live);
  const workerCount = Math.max(slotCount ?? 0, live.filter((m) => m.slot > 0).length);
  const leaking = live.filter((m) => isNamedLeak(m.verdict)).sort((a, b) => b.verdict.slopeBytesPerS - a.verdict.slopeBytesPerS);
  const others = live.filter((m) => !leaking.includes(m));
  const named = leaking.map((m) => `${countedLabel(m, workerCount)}: ${verdictPhrase(m.verdict)}`);
  const parts: string[] = [];
  if (leaking.length === 0) parts.push(noLeak(others));
  else if (leaking.length === 1) parts.push(named[0]);
  else parts.push(`${leaking.length} of ${live.length} members ${leaking.some((m) => isTentative(m.verdict.confidence)) ? 'may leak' : 'leak'}, fastest first: ${named.join('; ')}`);
  if (leaking.length > 0 && others.length > 0) parts.push(`the others ${breakdown(others)}`);
  const gone = members.filter((m) => !m.live && isNamedLeak(m.verdict));
  if (gone.length > 0) parts.push(`exited while leaking: ${gone.map((m) => `${memberLabel(m)} ${verdictPhrase(m.verdict)}`).join(', ')}`);
  return capitalize(parts.join('; '));
}

/** "worker 3 of 4 (pid 812)", or "master (pid 800)". */
function countedLabel(member: MemberStatus, workerCount: number): string {
  if (member.slot === 0) return memberLabel(member);
  const replaced = member.replacedPid === undefined ? '' : `, replaced pid ${member.replacedPid}`;
  return `worker ${member.slot} of ${workerCount} (pid ${member.pid}${replaced})`;
}

/** "no leak: all 5 members flat", "no leak: 3 flat, 2 undecided". */
function noLeak(members: readonly MemberStatus[]): string {
  if (members.length === 0) return 'no member is running';
  const counts = phraseCounts(members);
  if (counts.size > 1) return `no leak: ${breakdown(members)}`;
  return members.length === 1 ? `no leak: the only member ${breakdown(members)}` : `no leak: all ${members.length} members ${breakdown(members)}`;
}

/** "flat" when all agree, else "2 flat, 1 undecided" (most common first). */
function breakdown(members: readonly MemberStatus[]): string {
  const counts = phraseCounts(members);
  if (counts.size === 1) return [...counts.keys()][0];
  return [...counts].sort((a, b) => b[1] - a[1]).map(([phrase, n]) => `${n} ${phrase}`).join(', ');
}

function phraseCounts(members: readonly MemberStatus[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of members) {
    const phrase = verdictPhrase(m.verdict);
    counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  return counts;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
