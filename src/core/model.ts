// Shared data shapes of the core. Everything here is plain data: it crosses to the
// webview (through protocol.ts), to the CLI's JSON output, and into trace files.

/** One reading of a watched process. Times are epoch milliseconds, sizes bytes. */
export interface MemorySample {
  tMs: number;
  rssBytes: number;
  /** RSS change since the previous sample (0 for the first). */
  deltaBytes: number;
  threads: number;
  /** Open file descriptors; -1 when they cannot be read (another user's process). */
  fds: number;
  /** Summed RSS of all descendants (worker processes). */
  childrenRssBytes: number;
  childCount: number;
  /** CPU use since the previous sample, percent of one core. */
  cpuPercent: number;
  /** Taken at the slower detail cadence only. */
  ussBytes?: number;
  pssBytes?: number;
  /** Supplied by a deep probe (Node heap, Python traced memory). */
  heapUsedBytes?: number;
  gpuBytes?: number;
}

export type Runtime = 'python' | 'node' | 'other';

/** A process as discovery sees it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Kernel's name for it (comm). */
  name: string;
  /** Resolved executable (/proc/PID/exe), empty when unreadable. */
  exe: string;
  argv: string[];
  runtime: Runtime;
  /** e.g. "Python 3.11" or "Node" when it can be told from the executable. */
  interpreter: string;
  uid: number;
  user: string;
  /** Start time since boot in clock ticks: with the pid, identifies a process across pid reuse. */
  startTicks: number;
  rssBytes: number;
}

export type GrowthClass = 'flat' | 'plateau' | 'spiky' | 'steady-leak' | 'stepwise-leak' | 'unknown';

export const GROWTH_CLASSES: readonly GrowthClass[] = ['flat', 'plateau', 'spiky', 'steady-leak', 'stepwise-leak', 'unknown'];

export function isLeakClass(c: GrowthClass): boolean {
  return c === 'steady-leak' || c === 'stepwise-leak';
}

export interface GrowthVerdict {
  class: GrowthClass;
  /** 0..1 */
  confidence: number;
  /** Slope of the baseline (troughs), bytes per second, and its standard uncertainty. */
  slopeBytesPerS: number;
  slopeUncertaintyBytesPerS: number;
  /** When the current regime began, epoch ms. */
  regimeStartMs: number;
  /** Level the memory settled at, for `plateau`. */
  plateauBytes?: number;
  /** One line a person can read. */
  explanation: string;
}

/**
 * Whether the verdict's slope is a measurement: before the classifier has fitted one (too few
 * samples) an undecided verdict carries 0 ± 0, which must not be shown as "flat".
 */
export function hasMeasuredSlope(verdict: Pick<GrowthVerdict, 'class' | 'slopeUncertaintyBytesPerS'>): boolean {
  return verdict.class !== 'unknown' || verdict.slopeUncertaintyBytesPerS > 0;
}

/** Something that happened during a monitor's life, drawn as a marker on the chart. */
export type MonitorEventKind = 'attach' | 'limit-warning' | 'limit-reached' | 'fix-applied' | 'gc' | 'malloc-trim' | 'probe' | 'exec' | 'exit' | 'note';

export interface MonitorEvent {
  tMs: number;
  kind: MonitorEventKind;
  label: string;
}

/** A source line that a deep probe found holding growing memory. */
export interface AllocationSite {
  file: string;
  /** 1-based */
  line: number;
  function: string;
  bytes: number;
  count: number;
}

/** A recording: what `leakscope watch` writes, the panel exports, and both can open again. */
export interface Trace {
  pid?: number;
  command?: string;
  samples: MemorySample[];
  events: MonitorEvent[];
}
