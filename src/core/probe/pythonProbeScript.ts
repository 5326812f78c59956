// The code Leakscope runs inside a Python target. The injector executes it with a fresh
// globals dict (never __main__'s), and it does its work in a thread of its own, so the
// borrowed thread is handed back at once. It reports through files in a directory that
// Leakscope owns: deleting the directory tells the thread to stop (and it always stops
// tracemalloc if it started it). Python 3.6+ syntax.

export type PythonProbeMode = 'trace' | 'gc' | 'trim' | 'state' | 'extension';

export interface PythonProbeConfig {
  /** Directory as the target sees it; results are written there. */
  dir: string;
  /** Path of this script as the target sees it: its own allocations are left out. */
  script: string;
  mode: PythonProbeMode;
  windowS: number;
  /** Frames tracemalloc keeps per allocation (when Leakscope starts it). */
  frames: number;
  maxSites: number;
  /** Count gc-tracked objects by type at both ends of the window. */
  gcTypes: boolean;
  /** Mode 'extension': Python source defining measure(cfg) -> dict, for readings that live in
   * their own modules (src/core/memory) but reuse this injection and its clean-up. */
  extension?: string;
}

/** A Python literal for JSON-like data (JSON strings are valid Python string literals). */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`pyLiteral: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`).join(', ')}}`;
  }
  throw new Error(`pyLiteral: unsupported ${typeof value}`);
}

export function buildProbeScript(config: PythonProbeConfig): string {
  return `${PROBE_HEADER}\nCONFIG = ${pyLiteral(config)}\n${PROBE_BODY}`;
}

/**
 * The one expression the injector runs with PyRun_SimpleString (in __main__): builtins are
 * reached through __import__ so that a script shadowing open/exec/compile cannot interfere,
 * nothing is bound in __main__, and it does nothing if the script is gone (Leakscope gave up
 * before the target got to run it).
 */
export function execExpression(scriptPath: string): string {
  const path = JSON.stringify(scriptPath);
  return (
    "(lambda b, o, p: o.path.exists(p) and b.exec(b.compile(b.open(p, 'rb').read(), p, 'exec'), {'__name__': '__leakscope_probe__'}))" +
    `(__import__('builtins'), __import__('os'), ${path})`
  );
}

const PROBE_HEADER = String.raw`# Leakscope probe (see src/core/probe/pythonProbeScript.ts). Safe to delete.
import _thread`;

const PROBE_BODY = String.raw`

def _rss():
    import os
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def _enclosing_function(filename, lineno, cache):
    """Qualified name of the def/class around a line, from indentation (no ast: cheap, 3.6+)."""
    import linecache, re
    lines = cache.get(filename)
    if lines is None:
        lines = cache[filename] = linecache.getlines(filename)
    if not lines or lineno > len(lines):
        return ''
    def indent(text):
        return len(text) - len(text.lstrip())
    limit = indent(lines[lineno - 1]) if lines[lineno - 1].strip() else 1 << 30
    names = []
    for i in range(lineno - 2, -1, -1):
        text = lines[i]
        stripped = text.strip()
        if not stripped or stripped.startswith('#') or indent(text) >= limit:
            continue
        match = re.match(r'(?:async\s+)?(?:def|class)\s+(\w+)', stripped)
        if match:
            names.append(match.group(1))
            limit = indent(text)
        elif stripped.startswith(('if ', 'for ', 'while ', 'with ', 'try', 'else', 'elif ', 'except', 'finally', 'async ')):
            limit = indent(text)
        if limit == 0:
            break
    return '.'.join(reversed(names)) or '<module>'


def _type_counts():
    import gc
    counts = {}
    for obj in gc.get_objects():
        name = type(obj).__name__
        counts[name] = counts.get(name, 0) + 1
    return counts


def _trace(cfg, alive):
    import os, sys, time, tracemalloc
    stdlib = os.path.dirname(os.__file__) + os.sep
    own = cfg['script']
    newest_first = sys.version_info < (3, 7)  # 3.7 turned tracebacks oldest-first

    def is_library(name):
        return name.startswith('<') or name.startswith(stdlib) or 'site-packages' in name or 'dist-packages' in name

    def group(snapshot):
        sites = {}
        for trace in snapshot.traces:
            tb = list(trace.traceback)
            if not newest_first:
                tb.reverse()
            if not tb or any(f.filename == own for f in tb) or tb[0].filename.endswith('tracemalloc.py'):
                continue  # Leakscope's own allocations
            site = next((f for f in tb if not is_library(f.filename)), tb[0])
            key = (site.filename, site.lineno)
            entry = sites.get(key)
            if entry is None:
                entry = sites[key] = [0, 0, (tb[0].filename, tb[0].lineno)]
            entry[0] += trace.size
            entry[1] += 1
        return sites

    started = False
    if not tracemalloc.is_tracing():
        tracemalloc.start(cfg['frames'])
        started = True
    try:
        counts_before = _type_counts() if cfg['gcTypes'] else None
        before = tracemalloc.take_snapshot()
        deadline = time.time() + cfg['windowS']
        while time.time() < deadline:
            if not alive():
                return None
            time.sleep(max(0.0, min(0.2, deadline - time.time())))
        after = tracemalloc.take_snapshot()
        traced, peak = tracemalloc.get_traced_memory()
        frames = tracemalloc.get_traceback_limit()
    finally:
        if started:
            tracemalloc.stop()

    old, new = group(before), group(after)
    growth = []
    for key, (size, count, allocated) in new.items():
        prev = old.get(key, (0, 0, None))
        if size - prev[0] > 0:
            growth.append((size - prev[0], count - prev[1], key, allocated))
    # Dropped before counting objects: otherwise they count as if the program had grown them.
    del before, after, old, new
    counts_after = _type_counts() if cfg['gcTypes'] else None
    growth.sort(key=lambda g: -g[0])
    cache = {}
    sites = []
    for size, count, (filename, lineno), allocated in growth[:cfg['maxSites']]:
        site = {'file': filename, 'line': lineno, 'function': _enclosing_function(filename, lineno, cache), 'bytes': size, 'count': count}
        if allocated != (filename, lineno):
            site['allocatedIn'] = {'file': allocated[0], 'line': allocated[1]}
        sites.append(site)
    result = {
        'sites': sites, 'growthBytes': sum(g[0] for g in growth), 'tracedBytes': traced,
        'peakTracedBytes': peak, 'frames': frames, 'startedTracing': started,
    }
    if counts_after is not None:
        top = sorted(counts_after.items(), key=lambda kv: -kv[1])[:cfg['maxSites']]
        result['gc'] = dict(top)
        deltas = [(k, v - counts_before.get(k, 0)) for k, v in counts_after.items()]
        result['gcGrowth'] = dict(sorted([d for d in deltas if d[1] > 0], key=lambda kv: -kv[1])[:cfg['maxSites']])
    return result


def _collect():
    import gc
    before = _rss()
    collected = gc.collect()
    return {'collected': collected, 'beforeRss': before, 'afterRss': _rss()}


def _trim():
    import ctypes, os, sys
    if not sys.platform.startswith('linux'):
        return {'skipped': 'malloc_trim exists only on Linux'}
    try:
        libc = os.confstr('CS_GNU_LIBC_VERSION') or ''
    except (ValueError, OSError):
        libc = ''
    if not libc.startswith('glibc'):
        return {'skipped': 'the C library is not glibc'}
    trim = ctypes.CDLL(None).malloc_trim
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    before = _rss()
    released = trim(0)
    return {'released': bool(released), 'beforeRss': before, 'afterRss': _rss()}


def _state():
    import sys, threading, tracemalloc
    main = vars(sys.modules['__main__'])
    return {
        'tracing': tracemalloc.is_tracing(),
        'threads': [t.name for t in threading.enumerate()],
        'mainNames': sorted(k for k in main if 'leakscope' in k.lower()),
    }


def _run(cfg):
    import json, os, time
    out = cfg['dir']

    def alive():
        # Leakscope deletes the directory when it gives up: then nothing more is done.
        return os.path.isdir(out)

    def write(name, obj):
        path = os.path.join(out, name)
        # 0600: what the probe found (file names, object counts) is for Leakscope's user only.
        fd = os.open(path + '.tmp', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            json.dump(obj, f)
        os.rename(path + '.tmp', path)  # atomic: the reader never sees half a file

    if not alive():
        return
    try:
        write('started.json', {'pid': os.getpid(), 'thread': _thread.get_ident(), 'time': time.time()})
        mode = cfg['mode']
        if mode == 'trace':
            result = _trace(cfg, alive)
        elif mode == 'gc':
            result = _collect()
        elif mode == 'trim':
            result = _trim()
        elif mode == 'extension':
            namespace = {'__name__': '__leakscope_extension__'}
            exec(cfg['extension'], namespace)
            result = namespace['measure'](cfg)
        else:
            result = _state()
    except BaseException as error:  # report it; never raise into the target
        result = {'error': '%s: %s' % (type(error).__name__, error)}
    if result is not None and alive():
        try:
            write('result.json', result)
        except OSError:
            pass


_thread.start_new_thread(_run, (CONFIG,))
`;
