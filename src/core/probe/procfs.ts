// The few /proc readings the probes need. Synchronous on purpose: each is a small file
// read (microseconds), and the probes call them a handful of times per run.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fromSystemError } from './errors';

/**
 * A /proc reading of `pid` (readExe, readCmdline of discovery/procfs), its system errors turned
 * into the probe's: permission denied, or not running.
 */
export function probeRead<T>(pid: number, what: string, read: (pid: number) => T): T {
  try {
    return read(pid);
  } catch (error) {
    throw fromSystemError(error, pid, what);
  }
}

export function parseEnviron(raw: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** The environment the process was started with (later setenv calls are not visible). */
export function readEnviron(pid: number): Map<string, string> {
  try {
    return parseEnviron(readFileSync(`/proc/${pid}/environ`, 'utf8'));
  } catch (error) {
    throw fromSystemError(error, pid, 'read the environment of');
  }
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    throw fromSystemError(error, pid, 'read the status of');
  }
}

function statusField(status: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status);
  return match?.[1];
}

export interface ProcessIdentity {
  uid: number;
  gid: number;
  /** Start time since boot in clock ticks: with the pid it tells the process from a later one. */
  startTicks: number;
  /** Pid of a debugger already attached (ptrace), 0 when none. */
  tracerPid: number;
  threads: number;
}

export function readStartTicks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    throw fromSystemError(error, pid, 'read the state of');
  }
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[19]);
}

export function readIdentity(pid: number): ProcessIdentity {
  const status = readStatus(pid);
  const ids = (name: string) => (statusField(status, name) ?? '').split(/\s+/).map(Number);
  return {
    uid: ids('Uid')[1] ?? -1,
    gid: ids('Gid')[1] ?? -1,
    startTicks: readStartTicks(pid),
    tracerPid: Number(statusField(status, 'TracerPid') ?? 0),
    threads: Number(statusField(status, 'Threads') ?? 0),
  };
}

/** Resident set size in bytes (VmRSS: the same counter as statm's resident, in kB). */
export function readRssBytes(pid: number): number {
  const rss = statusField(readStatus(pid), 'VmRSS');
  if (rss === undefined) throw fromSystemError(Object.assign(new Error('no VmRSS'), { code: 'ESRCH' }), pid, 'read');
  return Number(rss.replace(/\s*kB$/, '')) * 1024;
}

/** True while the process with this pid is the one that started at `startTicks`. */
export function isSameProcess(pid: number, startTicks: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[0] !== 'Z' && Number(rest[19]) === startTicks;
  } catch {
    return false;
  }
}

export function readMapsPaths(pid: number): string[] {
  try {
    const paths = new Set<string>();
    for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
      const slash = line.indexOf('/');
      if (slash >= 0) paths.add(line.slice(slash));
    }
    return [...paths];
  } catch (error) {
    throw fromSystemError(error, pid, 'read the memory map of');
  }
}

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

function hexToIpv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

function hexToIpv6(hex: string): string {
  if (hex === '0'.repeat(32)) return '::';
  if (hex === '0'.repeat(24) + '01000000') return '::1';
  if (hex.startsWith('0000000000000000FFFF0000')) return hexToIpv4(hex.slice(24));
  return hex;
}

/** LISTEN sockets of a /proc/net/tcp or tcp6 table. */
export function parseTcpTable(text: string, ipv6: boolean): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== '0A') continue;
    const [addrHex, portHex] = cols[1].split(':');
    sockets.push({ address: ipv6 ? hexToIpv6(addrHex) : hexToIpv4(addrHex), port: parseInt(portHex, 16), inode: Number(cols[9]) });
  }
  return sockets;
}

/** Listening TCP sockets in the network namespace seen by `pid` (or by us with 'self'). */
export function listeningSockets(pid: number | 'self'): ListeningSocket[] {
  const read = (name: string) => {
    try {
      return readFileSync(`/proc/${pid}/net/${name}`, 'utf8');
    } catch {
      return '';
    }
  };
  return [...parseTcpTable(read('tcp'), false), ...parseTcpTable(read('tcp6'), true)];
}

/** Inodes of the sockets the process has open; undefined when its fds cannot be read. */
export function socketInodes(pid: number): Set<number> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<number>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** TCP ports the process listens on; undefined when its fds cannot be read. */
export function listeningPortsOf(pid: number): ListeningSocket[] | undefined {
  const inodes = socketInodes(pid);
  if (!inodes) return undefined;
  return listeningSockets(pid).filter((s) => inodes.has(s.inode));
}

/** Who listens on a local TCP port: pid and command name, as far as /proc tells. */
export function portHolder(port: number): { pid?: number; name?: string } | undefined {
  const sockets = listeningSockets('self').filter((s) => s.port === port);
  if (sockets.length === 0) return undefined;
  const wanted = new Set(sockets.map((s) => s.inode));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const inodes = socketInodes(Number(entry));
    if (inodes && [...wanted].some((i) => inodes.has(i))) {
      let name: string | undefined;
      try {
        name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      } catch {
        name = undefined;
      }
      return { pid: Number(entry), name };
    }
  }
  return {};
}
