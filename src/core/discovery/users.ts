// User names for uids, from /etc/passwd (no `id` spawn, no native module).
import { readFileSync, statSync } from 'node:fs';

let cache: { mtimeMs: number; names: Map<number, string> } | undefined;

export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

/** The user's name, or the uid as text when /etc/passwd does not know it (LDAP, containers). */
export function userName(uid: number): string {
  return userNames().get(uid) ?? String(uid);
}

function userNames(): Map<number, string> {
  try {
    const mtimeMs = statSync('/etc/passwd').mtimeMs;
    if (cache?.mtimeMs !== mtimeMs) cache = { mtimeMs, names: parsePasswd(readFileSync('/etc/passwd', 'utf8')) };
    return cache.names;
  } catch {
    return new Map();
  }
}
