// A live Python process's own view of its memory, read from inside through the deep probe's
// injection (src/core/probe: same routes, same consent, same clean-up): the interpreter's
// (tracemalloc when it is already tracing, sys.getallocatedblocks(), pymalloc's arenas from
// sys._debugmallocstats) and glibc's (mallinfo2: in use, free in the arenas, mmapped).
import { runInPythonTarget, PythonRunOptions } from '../probe/pythonProbe';

export interface PymallocStats {
  /** Arenas allocated now × arena size: pymalloc's whole footprint. */
  arenasBytes: number;
  /** Highest number of arenas ever held × arena size. */
  highwaterBytes: number;
  /** Bytes of blocks in use by live small objects. */
  allocatedBytes: number;
  /** Free blocks in used pools plus unused pools: freed, kept by pymalloc. */
  freeBytes: number;
}

export interface GlibcStats {
  /** uordblks: bytes in use in the malloc arenas (objects over 512 B, native code). */
  inUseBytes: number;
  /** fordblks: free bytes inside the arenas, resident until trimmed. */
  freeBytes: number;
  /** hblkhd: bytes in chunks mmapped on their own (big allocations), in use. */
  mmappedBytes: number;
  /** arena: bytes of the main arena obtained with brk/sbrk. */
  arenaBytes: number;
  /** keepcost: free bytes at the top that a plain trim would return. */
  topFreeBytes: number;
}

export interface PythonMemoryView {
  rssBytes: number;
  allocatedBlocks: number;
  /** tracemalloc's current and peak, only when the program was tracing already. */
  traced?: { currentBytes: number; peakBytes: number };
  pymalloc?: PymallocStats;
  glibc?: GlibcStats;
  version: string;
  durationMs: number;
  method: string;
}

/** Runs in the target (Python 3.6+). Fills a fresh namespace; returns plain numbers. */
export const PYTHON_MEMORY_SCRIPT = String.raw`
import ctypes, os, re, sys, tempfile

def _statm_rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')

def _mallinfo():
    names = ('arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks', 'keepcost')
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    # mallinfo2 (glibc 2.33+) has size_t fields; the old mallinfo wraps at 2 GiB.
    for fname, ctype, mask in (('mallinfo2', ctypes.c_size_t, (1 << 64) - 1), ('mallinfo', ctypes.c_int, (1 << 32) - 1)):
        fn = getattr(libc, fname, None)
        if fn is None:
            continue
        class Info(ctypes.Structure):
            _fields_ = [(n, ctype) for n in names]
        fn.restype = Info
        fn.argtypes = []
        info = fn()
        m = dict((n, getattr(info, n) & mask) for n in names)
        return {'inUseBytes': m['uordblks'], 'freeBytes': m['fordblks'], 'mmappedBytes': m['hblkhd'], 'arenaBytes': m['arena'], 'topFreeBytes': m['keepcost'], 'call': fname}
    return None

def _pymalloc(directory):
    # _debugmallocstats writes to the C stderr: point fd 2 at a file for the call only.
    if not hasattr(sys, '_debugmallocstats'):
        return None
    path = os.path.join(directory, 'mallocstats.txt')
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    saved = os.dup(2)
    try:
        sys.stderr.flush()
        os.dup2(fd, 2)
        sys._debugmallocstats()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(fd)
    with open(path) as f:
        text = f.read()
    os.unlink(path)
    def num(pattern):
        match = re.search(pattern, text, re.M)
        return int(match.group(1).replace(',', '')) if match else None
    arena_size = num(r'arenas \* (\d+) bytes/arena')
    current = num(r'# arenas allocated current\s*=\s*([\d,]+)')
    if arena_size is None or current is None:
        return None  # PYTHONMALLOC=malloc: no pymalloc
    unused = num(r'unused pools \* \d+ bytes\s*=\s*([\d,]+)') or 0
    return {
        'arenasBytes': current * arena_size,
        'highwaterBytes': (num(r'# arenas highwater mark\s*=\s*([\d,]+)') or current) * arena_size,
        'allocatedBytes': num(r'# bytes in allocated blocks\s*=\s*([\d,]+)') or 0,
        'freeBytes': (num(r'# bytes in available blocks\s*=\s*([\d,]+)') or 0) + unused,
    }

def measure(cfg):
    import tracemalloc
    out = {'allocatedBlocks': sys.getallocatedblocks(), 'version': '%d.%d.%d' % sys.version_info[:3]}
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        out['traced'] = {'currentBytes': current, 'peakBytes': peak}
    out['glibc'] = _mallinfo()
    out['pymalloc'] = _pymalloc(cfg['dir'])
    out['rssBytes'] = _statm_rss()
    return out
`;

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function numbers<T extends string>(value: unknown, keys: readonly T[]): Record<T, number> | undefined {
  const r = record(value);
  if (!r) return undefined;
  return Object.fromEntries(keys.map((k) => [k, num(r[k])])) as Record<T, number>;
}

const PYMALLOC_KEYS = ['arenasBytes', 'highwaterBytes', 'allocatedBytes', 'freeBytes'] as const;
const GLIBC_KEYS = ['inUseBytes', 'freeBytes', 'mmappedBytes', 'arenaBytes', 'topFreeBytes'] as const;

export function parsePythonMemory(result: Record<string, unknown>, durationMs: number, method: string): PythonMemoryView {
  const traced = numbers(result.traced, ['currentBytes', 'peakBytes'] as const);
  const pymalloc = numbers(result.pymalloc, PYMALLOC_KEYS);
  const glibc = numbers(result.glibc, GLIBC_KEYS);
  return {
    rssBytes: num(result.rssBytes),
    allocatedBlocks: num(result.allocatedBlocks),
    ...(traced ? { traced } : {}),
    ...(pymalloc ? { pymalloc } : {}),
    ...(glibc ? { glibc } : {}),
    version: typeof result.version === 'string' ? result.version : '',
    durationMs,
    method,
  };
}

/** One reading from inside the process (one injection; the caller has asked for consent). */
export async function readPythonMemory(pid: number, options: PythonRunOptions = {}): Promise<PythonMemoryView> {
  const run = await runInPythonTarget(pid, 'extension', { extension: PYTHON_MEMORY_SCRIPT }, options);
  return parsePythonMemory(run.result, run.durationMs, run.method);
}
