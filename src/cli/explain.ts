// `leakscope explain`: what a live process's RSS is made of, the limit that applies to it, and
// why it grows (leak, fragmentation, native growth or a high-water mark).
import { Explanation, explainProcess } from '../core/memory';
import { formatBytes, parseBytes, parseDuration } from '../core/units';
import { CliCommand, CliError, CliIo, probeFailure } from './io';
import { errorMessage } from '../core/errorMessage';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const HELP = `Usage: leakscope explain --pid N [--window 10s] [--yes] [--json] [--malloc-trim] [--limit SIZE]

Explains a live process's memory: RSS split into anonymous, file-backed and shared memory, swap
and the peak (from /proc, nothing injected); the largest anonymous mappings; the limit that
really applies (its cgroup's memory.max / memory.high / memory.limit_in_bytes, ulimit -v and -d,
V8's heap limit, the machine's available memory, or --limit when lower), named; and a diagnosis
of the growth over the window: leak, fragmentation, native-growth, high-water, flat or unknown,
with the numbers it rests on and the fix it points to.

With consent it also reads from inside, at both ends of the window:
  Python    tracemalloc (when already tracing), sys.getallocatedblocks(), pymalloc's arenas
            (sys._debugmallocstats) and glibc's mallinfo2, through the deep probe's injection
            (sys.remote_exec on 3.14+, a borrowed thread with ptrace, or gdb).
  Node.js   process.memoryUsage() and V8's heap statistics, after a full GC, through the
            inspector (SIGUSR1 opens it on 127.0.0.1:9229 for the window; then it is closed).
Before that, an attach doctor checks what would stop it (Yama ptrace_scope, capabilities,
another user or namespace, PYTHON_DISABLE_REMOTE_DEBUG, a taken inspector port).

Options:
  --pid N          process to explain (required)
  --window T       how long to watch the trend: 10s (default), 500ms, 2m
  --yes, -y        consent to read from inside (otherwise asked on the terminal; without a
                   terminal the answer is no, and what was skipped is said)
  --malloc-trim    at the end, run malloc_trim(0) in the process (Python, glibc) and measure
                   what it returns (needs consent)
  --limit SIZE     your own RSS limit (e.g. 12GB); it wins when lower than the system's
  --json           one JSON object: rss_bytes, anon_bytes, file_bytes, shmem_bytes, swap_bytes,
                   hwm_bytes, limit_bytes, limit_rss_bytes, limit_source, limit_description,
                   diagnosis, summary, evidence, fix, python, node, largest_mappings, trim,
                   doctor, skipped, notes

Exit codes: 0 explained, ${EXIT_FAILED} the process could not be read, ${EXIT_USAGE} bad arguments.`;

export interface ExplainArgs {
  pid: number;
  windowMs: number;
  yes: boolean;
  json: boolean;
  mallocTrim: boolean;
  limitBytes?: number;
}

function parseValue<T>(flag: string, text: string, parse: (t: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    throw new CliError(`${flag}: ${errorMessage(error)}`, EXIT_USAGE);
  }
}

export function parseExplainArgs(argv: string[]): ExplainArgs {
  const args: ExplainArgs = { pid: NaN, windowMs: 10_000, yes: false, json: false, mallocTrim: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`, EXIT_USAGE);
      return v;
    };
    if (flag === '--pid') args.pid = Number(value());
    else if (flag === '--window') args.windowMs = parseValue(flag, value(), parseDuration);
    else if (flag === '--limit') args.limitBytes = parseValue(flag, value(), parseBytes);
    else if (flag === '--yes' || flag === '-y') args.yes = true;
    else if (flag === '--json') args.json = true;
    else if (flag === '--malloc-trim') args.mallocTrim = true;
    else throw new CliError(`unknown option '${argv[i]}' (see leakscope explain --help)`, EXIT_USAGE);
  }
  if (!Number.isInteger(args.pid) || args.pid <= 0) throw new CliError('--pid N is required (a process id)', EXIT_USAGE);
  if (!(args.windowMs >= 500 && args.windowMs <= 3_600_000)) throw new CliError('--window must be between 500ms and 60m', EXIT_USAGE);
  return args;
}

function consentQuestion(pid: number, mallocTrim: boolean): string {
  const trim = mallocTrim ? ' and run malloc_trim(0) in it' : '';
  return `Read memory statistics from inside process ${pid} (Python: a short injected script; Node.js: its inspector, opened on 127.0.0.1 for the window)${trim}?`;
}

export function toJson(e: Explanation): Record<string, unknown> {
  return {
    pid: e.pid,
    runtime: e.runtime ?? null,
    rss_bytes: e.proc.rssBytes,
    anon_bytes: e.proc.anonBytes,
    file_bytes: e.proc.fileBytes,
    shmem_bytes: e.proc.shmemBytes,
    swap_bytes: e.proc.swapBytes,
    hwm_bytes: e.proc.hwmBytes,
    limit_bytes: e.limit?.limitBytes ?? null,
    limit_rss_bytes: e.limit?.bytes ?? null,
    limit_source: e.limit?.source ?? null,
    limit_description: e.limit?.description ?? null,
    limits: e.limits,
    diagnosis: e.diagnosis.kind,
    summary: e.diagnosis.summary,
    evidence: e.diagnosis.evidence,
    fix: e.diagnosis.fix,
    python: e.python ?? null,
    node: e.node ?? null,
    largest_mappings: e.mappings,
    trim: e.trim ?? null,
    doctor: e.doctor ?? null,
    skipped: e.skipped,
    notes: e.notes,
  };
}

const row = (label: string, bytes: number, note = '') => `  ${label.padEnd(16)}${formatBytes(bytes).padStart(10)}${note ? `   ${note}` : ''}`;

function printDecomposition(io: CliIo, e: Explanation): void {
  io.out(`Process ${e.pid}${e.runtime ? ` (${e.runtime})` : ''}: RSS ${formatBytes(e.proc.rssBytes)}`);
  io.out(row('anonymous', e.proc.anonBytes, 'heap, thread arenas, mmaps, stacks'));
  io.out(row('file-backed', e.proc.fileBytes, 'executable, libraries, mapped files'));
  io.out(row('shared', e.proc.shmemBytes));
  io.out(row('swap', e.proc.swapBytes));
  io.out(row('peak (VmHWM)', e.proc.hwmBytes));
}

function printInside(io: CliIo, e: Explanation): void {
  const p = e.python;
  if (p) {
    io.out(`Inside Python ${p.version}: ${p.allocatedBlocks.toLocaleString('en')} allocated blocks`);
    if (p.traced) io.out(row('tracemalloc', p.traced.currentBytes, `peak ${formatBytes(p.traced.peakBytes)}`));
    if (p.pymalloc) io.out(row('pymalloc arenas', p.pymalloc.arenasBytes, `live ${formatBytes(p.pymalloc.allocatedBytes)}, free ${formatBytes(p.pymalloc.freeBytes)}, peak ${formatBytes(p.pymalloc.highwaterBytes)}`));
    if (p.glibc) io.out(row('glibc in use', p.glibc.inUseBytes + p.glibc.mmappedBytes, `free in arenas ${formatBytes(p.glibc.freeBytes)}, mmapped ${formatBytes(p.glibc.mmappedBytes)}`));
  }
  const n = e.node;
  if (n) {
    io.out('Inside Node.js (after a full GC):');
    io.out(row('heapUsed', n.heapUsedBytes, `of heapTotal ${formatBytes(n.heapTotalBytes)}, V8 limit ${formatBytes(n.heapSizeLimitBytes)}`));
    io.out(row('external', n.externalBytes, `arrayBuffers ${formatBytes(n.arrayBuffersBytes)}`));
  }
  if (e.trim) io.out(`malloc_trim(0): RSS ${formatBytes(e.trim.beforeRssBytes)} → ${formatBytes(e.trim.afterRssBytes)} (returned ${formatBytes(e.trim.freedBytes)})`);
}

function printText(io: CliIo, e: Explanation): void {
  printDecomposition(io, e);
  printInside(io, e);
  if (e.mappings.length) {
    io.out('Largest anonymous mappings:');
    for (const m of e.mappings.slice(0, 5)) io.out(`  ${formatBytes(m.anonBytes).padStart(10)}  ${m.kind.padEnd(15)}${m.name || m.range}`);
  }
  if (e.limit) io.out(`Limit: ${e.limit.description}${e.limit.bytes !== e.limit.limitBytes ? ` (reached at RSS ≈ ${formatBytes(e.limit.bytes)})` : ''}`);
  io.out(`Diagnosis: ${e.diagnosis.kind}. ${e.diagnosis.summary}`);
  io.out(`  Fix: ${e.diagnosis.fix}`);
  const doctor = e.doctor?.findings.filter((f) => f.level !== 'ok') ?? [];
  for (const [title, lines] of [['Attach doctor', doctor.map((f) => f.message)], ['Skipped', e.skipped], ['Notes', e.notes]] as const) {
    if (lines.length) io.out([`${title}:`, ...lines.map((l) => `  - ${l}`)].join('\n'));
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseExplainArgs(argv);
  const inject = args.yes || (await io.confirm(consentQuestion(args.pid, args.mallocTrim)));
  try {
    const onStatus = (s: { message: string }) => io.err(s.message);
    const explanation = await explainProcess(args.pid, { windowMs: args.windowMs, inject, mallocTrim: args.mallocTrim, userLimitBytes: args.limitBytes, signal: io.signal, onStatus });
    if (args.json) io.out(JSON.stringify(toJson(explanation), null, 2));
    else printText(io, explanation);
    return 0;
  } catch (error) {
    throw probeFailure(error, EXIT_FAILED);
  }
}

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'what RSS is made of, the limit that applies, and why it grows',
  help: HELP,
  run,
};
