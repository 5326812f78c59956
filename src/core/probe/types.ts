// What the probes return: plain data for the panel, diagnostics and `leakscope probe --json`.
import { AllocationSite } from '../model';

export type ProbeRuntime = 'node' | 'python';

/** An allocation site, with what the evidence can and cannot say about its line. */
export interface ProbeSite extends AllocationSite {
  /**
   * True when `line` is where the enclosing function is declared, not the allocating
   * statement: V8's sampling heap profiler only records the function's position.
   */
  lineIsFunctionStart: boolean;
  /**
   * The likely allocating statement inside that function, found by reading the source file
   * (a heuristic: the first push/set/add/index assignment…); `how` says which rule matched.
   */
  statement?: { line: number; text: string; how: string };
  /** Python: where the memory was allocated when that is library code under `line`. */
  allocatedIn?: { file: string; line: number };
}

/** The effect of a "would it help?" action (gc, malloc_trim), measured on the live process. */
export interface MemoryActionResult {
  action: 'gc' | 'malloc-trim';
  beforeRssBytes: number;
  afterRssBytes: number;
  /** beforeRssBytes - afterRssBytes, can be negative when the process grew meanwhile. */
  freedBytes: number;
  /** Objects the collector found unreachable (Python's gc.collect() return value). */
  collected?: number;
  /** Node: heap use around the collection. */
  beforeHeapUsedBytes?: number;
  afterHeapUsedBytes?: number;
  /** One sentence on what the numbers mean (fragmentation, not a leak…). */
  interpretation: string;
  durationMs: number;
}

export interface NodeHeapUsage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface PythonTracedMemory {
  /** Memory traced by tracemalloc at the end of the window (allocated during it and alive). */
  tracedBytes: number;
  peakTracedBytes: number;
  /** Sum of the positive growth of all sites, not only the listed ones. */
  growthBytes: number;
}

export interface ProbeResult {
  pid: number;
  runtime: ProbeRuntime;
  /** Ranked, most bytes first. */
  sites: ProbeSite[];
  /** Python: live gc-tracked objects by type name at the end of the window (top N). */
  gc?: Record<string, number>;
  /** Python: change of those counts over the window (growing types first). */
  gcGrowth?: Record<string, number>;
  trim?: MemoryActionResult;
  heap?: NodeHeapUsage | PythonTracedMemory;
  /** How the probe reached the process: 'inspector', 'ptrace', 'gdb', 'remote_exec'. */
  method: string;
  windowMs: number;
  durationMs: number;
  /** Caveats a reader needs (sampling, heuristics, what was left running…). */
  notes: string[];
}

/** Progress of a probe, for a status bar or a terminal line. */
export interface ProbeStatus {
  /** 'waiting': the target has not run the probe yet (busy in a long C call, or no safe point). */
  state: 'connecting' | 'injecting' | 'waiting' | 'sampling' | 'reading' | 'closing';
  message: string;
}

export type StatusCallback = (status: ProbeStatus) => void;
