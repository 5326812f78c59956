// How the panel names the memory limit. The name is the one the host sent (the core made it
// beside the notices' description, e.g. "cgroup limit 256 MB"); the panel never works out a
// name of its own, and says just "limit 600 MB" when it was sent none. Pure: tested in Node.
import { formatBytes } from '../../src/core/units';

export interface LimitNaming {
  /** Where the line is: the RSS at which the limit is hit. */
  bytes: number;
  /** The host's short name of the limit, if it sent one. */
  label?: string;
}

/** The plain form, at the line's own value: also the fallback where a name finds no room. */
function plain(limit: LimitNaming): string {
  return `limit ${formatBytes(limit.bytes)}`;
}

/** Texts for the chart's limit label, longest first (see labelLayout: the first that fits wins). */
export function limitLineTexts(limit: LimitNaming, onScale: boolean): string[] {
  const texts = onScale ? [limit.label, plain(limit)] : [limit.label && `${limit.label} ↑ (off scale)`, limit.label && `${limit.label} ↑`, `${plain(limit)} ↑ (off scale)`, `${plain(limit)} ↑`];
  return [...new Set(texts.filter((t): t is string => t !== undefined))];
}

/** The limit in a banner fact: "cgroup limit 256 MB", or "600 MB limit" when unnamed. */
export function limitFactName(limit: LimitNaming): string {
  return limit.label ?? `${formatBytes(limit.bytes)} limit`;
}
