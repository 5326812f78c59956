// The memory limit that will really stop a process, found without asking: its cgroups, its
// rlimits, V8's heap limit (when known) and the machine's available memory. Each is turned into
// the RSS at which it is hit, so that the nearest can be the limit projection's target; the
// user's own setting wins when it is lower.
import { readSmallProcFile } from '../discovery/procfs';
import { formatBytes } from '../units';
import { CgroupLimit, cgroupOwner, ProcCgroups, readProcCgroups } from './cgroups';
import { MachineLimitFacts } from './machineLimitFacts';
import { ProcMemory, readProcMemory } from './procMemory';

export type LimitSource =
  | 'setting'
  | 'cgroup-v2-max'
  | 'cgroup-v2-high'
  | 'cgroup-v1'
  | 'rlimit-as'
  | 'rlimit-data'
  | 'v8-heap'
  | 'machine';

export interface ApplicableLimit {
  /** The RSS at which this limit is hit: the projection's target. */
  bytes: number;
  /** The limit as it is set (for an rlimit, on virtual size; for V8, on its heap). */
  limitBytes: number;
  source: LimitSource;
  /** Names the limit for a banner: "the container's 2 GiB limit (memory.max of /docker/…)". */
  description: string;
  /**
   * The same limit in a few words for the chart's limit line and the banner's facts
   * ("container limit 2 GiB"). Made here, beside the description, so every display names a
   * limit the same way and none derives a name of its own from `source`.
   */
  label: string;
}

export interface LimitOptions {
  /** The user's own limit on RSS (setting or --limit). */
  userLimitBytes?: number;
  /** /proc/PID/status as just read by the caller (a watch session's decomposition), else read here. */
  memory?: ProcMemory;
  /** V8's heap_size_limit and the heap now, when the inspector is open. */
  v8?: { heapSizeLimitBytes: number; usedHeapBytes: number };
  /** The process's cgroups and rlimits as the caller keeps them (a limit watcher), else read here. */
  facts?: ProcessLimitFacts;
  /** The machine's memory and the cgroup chains, shared by every watched process; else read here. */
  machine?: MachineLimitFacts;
}

/**
 * Between two reads of a watched process's own limit files: its cgroups and rlimits change only
 * when someone moves the process or calls prlimit, while a lookup runs every 30 s for the usage
 * figures that do move (the cgroup's charge, the machine's available memory). Reading the two
 * per-process files at every lookup was two thirds of a lookup's ~84 µs.
 */
export const PROCESS_LIMIT_FACTS_REFRESH_MS = 300_000;

/** A process's cgroups and rlimits, read at first use and again once they are `refreshMs` old. */
export class ProcessLimitFacts {
  private read: { atMs: number; cgroups: ProcCgroups | undefined; rlimits: Map<string, number | undefined> | undefined } | undefined;

  constructor(readonly pid: number, private readonly refreshMs = PROCESS_LIMIT_FACTS_REFRESH_MS, private readonly now: () => number = Date.now) {}

  /** Undefined when unreadable (gone, or another user's without the right). */
  get cgroups(): ProcCgroups | undefined {
    return this.current().cgroups;
  }

  /** The soft rlimits that stop allocations, by line name; undefined when unreadable. */
  get rlimits(): Map<string, number | undefined> | undefined {
    return this.current().rlimits;
  }

  private current(): NonNullable<ProcessLimitFacts['read']> {
    const nowMs = this.now();
    if (!this.read || nowMs - this.read.atMs >= this.refreshMs || nowMs < this.read.atMs) {
      this.read = { atMs: nowMs, cgroups: attempt(() => readProcCgroups(this.pid)), rlimits: attempt(() => parseProcLimits(readSmallProcFile(`/proc/${this.pid}/limits`), RLIMIT_LINES)) };
    }
    return this.read;
  }
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Soft limits of /proc/PID/limits by name ("Max address space"); undefined when unlimited. With
 * `only`, just the lines of those names are parsed (the limit watcher wants 2 of ~17).
 */
export function parseProcLimits(text: string, only?: readonly string[]): Map<string, number | undefined> {
  const limits = new Map<string, number | undefined>();
  for (const line of text.split('\n')) {
    if (only && !only.some((name) => line.startsWith(name))) continue;
    const match = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (match) limits.set(match[1], match[2] === 'unlimited' ? undefined : Number(match[2]));
  }
  return limits;
}

/**
 * A limit before it is named. A lookup runs every 30 s per watched process and only the nearest
 * limit is shown: its sizes and paths are formatted for it alone.
 */
interface Candidate extends Pick<ApplicableLimit, 'bytes' | 'limitBytes' | 'source'> {
  name(): Pick<ApplicableLimit, 'description' | 'label'>;
}

function named(candidate: Candidate): ApplicableLimit {
  return { bytes: candidate.bytes, limitBytes: candidate.limitBytes, source: candidate.source, ...candidate.name() };
}

function rlimitCandidates(limits: Map<string, number | undefined> | undefined, mem: ProcMemory): Candidate[] {
  if (!limits) return [];
  const found: Candidate[] = [];
  for (const rlimit of RLIMITS) {
    const limitBytes = limits.get(rlimit.line);
    if (limitBytes === undefined) continue;
    const usedBytes = mem[rlimit.usage];
    found.push({
      // The line is drawn at the RSS where it is hit, not at the size it is set on.
      bytes: mem.rssBytes + Math.max(0, limitBytes - usedBytes),
      limitBytes,
      source: rlimit.source,
      name: () => ({
        description: `the ${formatBytes(limitBytes)} ${rlimit.name} limit (${rlimit.command}, ${rlimit.constant}; ${rlimit.usageName} is ${formatBytes(usedBytes)} now): allocations fail when it is reached`,
        label: `${rlimit.command} (${formatBytes(limitBytes)} ${rlimit.usageShort})`,
      }),
    });
  }
  return found;
}

/** The rlimits that stop allocations, each against the part of the process's memory it counts. */
const RLIMITS = [
  { line: 'Max address space', source: 'rlimit-as', name: 'address-space', command: 'ulimit -v', constant: 'RLIMIT_AS', usage: 'virtualBytes', usageName: 'virtual size', usageShort: 'virtual' },
  { line: 'Max data size', source: 'rlimit-data', name: 'data-size', command: 'ulimit -d', constant: 'RLIMIT_DATA', usage: 'dataBytes', usageName: 'data', usageShort: 'data' },
] as const satisfies readonly RlimitKind[];
const RLIMIT_LINES = RLIMITS.map((rlimit) => rlimit.line);

interface RlimitKind {
  /** Its line in /proc/PID/limits. */
  line: string;
  source: LimitSource;
  name: string;
  command: string;
  constant: string;
  /** The part of the process's memory the limit counts, and what to call it. */
  usage: keyof ProcMemory;
  usageName: string;
  usageShort: string;
}

function cgroupCandidate(limit: CgroupLimit, mem: ProcMemory): Candidate {
  // The cgroup is charged for its other processes and page cache too: what is left is headroom.
  const headroom = limit.usageBytes === undefined ? limit.bytes - mem.rssBytes : limit.bytes - limit.usageBytes;
  const source: LimitSource = limit.version === 1 ? 'cgroup-v1' : limit.file === 'memory.max' ? 'cgroup-v2-max' : 'cgroup-v2-high';
  return {
    bytes: Math.min(limit.bytes, mem.rssBytes + Math.max(0, headroom)),
    limitBytes: limit.bytes,
    source,
    name: () => cgroupLimitName(limit),
  };
}

function cgroupLimitName(limit: CgroupLimit): Pick<ApplicableLimit, 'description' | 'label'> {
  const owner = cgroupOwner(limit.cgroup);
  const what = limit.file === 'memory.high' ? 'memory.high throttling threshold (reclaim slows the process down there)' : 'memory limit (the OOM killer stops it there)';
  return {
    description: `${owner} ${formatBytes(limit.bytes)} ${what}, ${limit.file} of ${limit.cgroup}`,
    label: `${owner === "the container's" ? 'container' : 'cgroup'} ${limit.file === 'memory.high' ? 'memory.high' : 'limit'} ${formatBytes(limit.bytes)}`,
  };
}

function machineCandidate(machine: MachineLimitFacts, mem: ProcMemory): Candidate | undefined {
  try {
    const { totalBytes, availableBytes: available } = machine.memory();
    if (!Number.isFinite(available)) return undefined;
    return {
      bytes: mem.rssBytes + available,
      limitBytes: totalBytes,
      source: 'machine',
      name: () => ({ description: `the machine's available memory, ${formatBytes(available)} of ${formatBytes(totalBytes)}`, label: 'machine memory' }),
    };
  } catch {
    return undefined;
  }
}

function v8Candidate(v8: NonNullable<LimitOptions['v8']>, mem: ProcMemory): Candidate {
  return {
    bytes: mem.rssBytes + Math.max(0, v8.heapSizeLimitBytes - v8.usedHeapBytes),
    limitBytes: v8.heapSizeLimitBytes,
    source: 'v8-heap',
    name: () => ({
      description: `V8's ${formatBytes(v8.heapSizeLimitBytes)} heap limit (--max-old-space-size): the process dies with "JavaScript heap out of memory" there`,
      label: `V8 heap limit (${formatBytes(v8.heapSizeLimitBytes)} heap)`,
    }),
  };
}

/** Every limit that applies to `pid`, unnamed and in no order. */
function candidates(pid: number, options: LimitOptions): Candidate[] {
  const mem = options.memory ?? readProcMemory(pid);
  const facts = options.facts ?? new ProcessLimitFacts(pid);
  const machineFacts = options.machine ?? new MachineLimitFacts();
  const cgroups = facts.cgroups;
  const found = [...(cgroups ? machineFacts.cgroupLimits(cgroups) : []).map((l) => cgroupCandidate(l, mem)), ...rlimitCandidates(facts.rlimits, mem)];
  if (options.v8) found.push(v8Candidate(options.v8, mem));
  const machine = machineCandidate(machineFacts, mem);
  if (machine) found.push(machine);
  const user = options.userLimitBytes;
  if (user && user > 0) found.push({ bytes: user, limitBytes: user, source: 'setting', name: () => ({ description: `your ${formatBytes(user)} limit`, label: `limit ${formatBytes(user)}` }) });
  return found;
}

/** Nearest first; a tie goes to the limit the system enforces: it is the one that stops the process. */
function nearerFirst(a: Candidate, b: Candidate): number {
  return a.bytes - b.bytes || Number(a.source === 'setting') - Number(b.source === 'setting');
}

/** Every limit that applies to `pid`, nearest first. */
export function applicableLimits(pid: number, options: LimitOptions = {}): ApplicableLimit[] {
  return candidates(pid, options).sort(nearerFirst).map(named);
}

/** The nearest limit: the projection's target, named. Undefined when nothing is known (not Linux). */
export function findApplicableLimit(pid: number, userLimitBytes?: number, options: Omit<LimitOptions, 'userLimitBytes'> = {}): ApplicableLimit | undefined {
  let nearest: Candidate | undefined;
  for (const candidate of candidates(pid, { ...options, userLimitBytes })) if (!nearest || nearerFirst(candidate, nearest) < 0) nearest = candidate;
  return nearest && named(nearest);
}

/** What the caller already holds: the process's /proc/PID/status just read, its limit facts, the machine's. */
export type KnownProcess = Pick<LimitOptions, 'memory' | 'facts' | 'machine'>;

/** The nearest limit for `pid` (the user's included); undefined when nothing can be read. */
export type LimitFinder = (pid: number, userLimitBytes?: number, known?: KnownProcess) => ApplicableLimit | undefined;

/** findApplicableLimit that never throws: a process gone, or not Linux, leaves the user's limit. */
export function findLimitSafely(pid: number, userLimitBytes?: number, known: KnownProcess = {}): ApplicableLimit | undefined {
  try {
    return findApplicableLimit(pid, userLimitBytes, known);
  } catch {
    return undefined;
  }
}
