// `leakscope probe`: ask a live Node or Python process where its memory goes.
import {
  detectProbeRuntime,
  MemoryActionResult,
  probeProcess,
  ProbeResult,
  ProbeRuntime,
  programName,
  pythonProbeSupport,
  PythonProbeSupport,
  runGc,
  runMallocTrim,
} from '../core/probe';
import { CliCommand, CliError, CliIo, probeFailure } from './io';
import { parsePid } from './args';

export const EXIT_PROBE_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_NO_CONSENT = 3;

const HELP = `Usage: leakscope probe --pid N [--window 10s] [--yes] [--json] [--gc] [--malloc-trim]

Asks a running Node.js or Python process which lines allocate the memory that stays, over a
time window, and ranks them by bytes.

  Node.js   SIGUSR1 opens the process's inspector on 127.0.0.1:9229 (the process prints
            "Debugger listening on ws://127.0.0.1:9229/…"; while it is open any local user
            could connect). Allocations are sampled (HeapProfiler), then the inspector is
            closed. Lines are those of the allocating function's declaration.
  Python    A short piece of Python is run inside the process (Python 3.14+: sys.remote_exec;
            older, Linux x86-64: a thread idle in a system call is borrowed with ptrace;
            elsewhere: gdb). It starts a thread that runs tracemalloc for the window, writes
            the growing lines to a private temp file, and stops tracemalloc.

Options:
  --pid N          process to probe (required)
  --window T       how long to watch: 10s (default), 500ms, 2m, or plain seconds
  --yes, -y        do not ask for consent (otherwise asked on the terminal; without a
                   terminal the answer is no)
  --json           print JSON: {"pid","runtime","method","windowMs","durationMs",
                   "sites":[{"file","line","function","bytes","count",...}] (ranked, most
                   bytes first), "gc":{type: live objects} (Python), "gcGrowth",
                   "heap", "gcRun":{...} (--gc), "trim":{...} (--malloc-trim), "notes"}
  --gc             afterwards, run a full garbage collection and report RSS before/after
  --malloc-trim    afterwards, run malloc_trim(0) (Python, glibc): a big drop means
                   fragmentation, not a leak

Exit codes: 0 done, ${EXIT_PROBE_FAILED} the probe failed (the message says why), ${EXIT_USAGE} bad arguments,
${EXIT_NO_CONSENT} no consent (answered no, or no terminal and no --yes).`;

export interface ProbeArgs {
  pid: number;
  windowMs: number;
  yes: boolean;
  json: boolean;
  gc: boolean;
  mallocTrim: boolean;
}

/** "10s", "500ms", "2m", "1.5" (seconds) → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new CliError(`--window: '${text}' is not a duration (e.g. 10s, 500ms, 2m)`, EXIT_USAGE);
  const value = Number(match[1]);
  const ms = match[2] === 'ms' ? value : match[2] === 'm' ? value * 60_000 : value * 1000;
  if (ms < 100 || ms > 3_600_000) throw new CliError('--window must be between 100ms and 60m', EXIT_USAGE);
  return ms;
}

export function parseProbeArgs(argv: string[]): ProbeArgs {
  const args: ProbeArgs = { pid: 0, windowMs: 10_000, yes: false, json: false, gc: false, mallocTrim: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`, EXIT_USAGE);
      return v;
    };
    if (flag === '--pid') args.pid = parsePid(value(), EXIT_USAGE);
    else if (flag === '--window') args.windowMs = parseDuration(value());
    else if (flag === '--yes' || flag === '-y') args.yes = true;
    else if (flag === '--json') args.json = true;
    else if (flag === '--gc') args.gc = true;
    else if (flag === '--malloc-trim') args.mallocTrim = true;
    else throw new CliError(`unknown option '${argv[i]}' (see leakscope probe --help)`, EXIT_USAGE);
  }
  if (args.pid === 0) throw new CliError('--pid N is required (a process id)', EXIT_USAGE);
  return args;
}

/** What will happen to the process, said before asking for consent. */
export function consentText(args: ProbeArgs, runtime: ProbeRuntime, support?: PythonProbeSupport): string {
  const seconds = `${args.windowMs / 1000} s`;
  const lines =
    runtime === 'node'
      ? [
          `Leakscope will send SIGUSR1 to Node.js process ${args.pid}, which opens its inspector on 127.0.0.1:9229.`,
          `The process prints "Debugger listening on ws://127.0.0.1:9229/…" to its own output; while the port is open, any local user could run code in it.`,
          `Allocations are sampled for ${seconds}; then the inspector is closed.`,
        ]
      : [
          `Leakscope will run a short piece of Python inside process ${args.pid} (Python ${support?.version?.join('.') ?? '?'}) ${describeMethod(support)}.`,
          `It starts a thread that runs tracemalloc for ${seconds} (allocations are slower meanwhile), writes what grew to a private temp file, and stops tracemalloc.`,
        ];
  if (args.gc) lines.push('Afterwards it runs a full garbage collection in the process.');
  if (args.mallocTrim) lines.push('Afterwards it runs malloc_trim(0) in the process.');
  return lines.join('\n');
}

function describeMethod(support?: PythonProbeSupport): string {
  switch (support?.method) {
    case 'remote_exec':
      return 'with sys.remote_exec';
    case 'gdb':
      return 'with gdb (the process is paused for about half a second)';
    default:
      return 'by borrowing, with ptrace, one of its threads while it waits in a system call (for a few milliseconds)';
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function printText(io: CliIo, result: ProbeResult, gcRun?: MemoryActionResult, trim?: MemoryActionResult): void {
  io.out(`Process ${result.pid} (${result.runtime}, ${result.method}): ${result.sites.length} site(s) whose memory grew during ${result.windowMs / 1000} s`);
  for (const site of result.sites) {
    const where = `${site.file}:${site.line}`;
    const statement = site.statement ? `  (likely line ${site.statement.line}: ${site.statement.text})` : '';
    io.out(`  ${mib(site.bytes).padStart(10)} ${String(site.count).padStart(8)}  ${where}  ${site.function}${statement}`);
  }
  if (result.gcGrowth && Object.keys(result.gcGrowth).length > 0) {
    io.out(`Growing object types: ${Object.entries(result.gcGrowth).slice(0, 8).map(([t, n]) => `${t} +${n}`).join(', ')}`);
  }
  for (const action of [gcRun, trim]) {
    if (action) io.out(`${action.action}: RSS ${mib(action.beforeRssBytes)} → ${mib(action.afterRssBytes)}. ${action.interpretation}`);
  }
  if (result.notes.length) io.out(['Notes:', ...result.notes.map((n) => `  - ${n}`)].join('\n'));
}

function toJson(result: ProbeResult, gcRun?: MemoryActionResult, trim?: MemoryActionResult): string {
  const sites = result.sites.map((s) => ({
    file: s.file,
    line: s.line,
    function: s.function,
    bytes: s.bytes,
    count: s.count,
    lineIsFunctionStart: s.lineIsFunctionStart,
    ...(s.statement ? { statementLine: s.statement.line } : {}),
    ...(s.allocatedIn ? { allocatedIn: s.allocatedIn } : {}),
  }));
  const { pid, runtime, method, windowMs, durationMs, gc, gcGrowth, heap, notes } = result;
  return JSON.stringify({ pid, runtime, method, windowMs, durationMs, sites, gc, gcGrowth, heap, gcRun, trim, notes }, null, 2);
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseProbeArgs(argv);
  try {
    const runtime = detectProbeRuntime(args.pid);
    if (!runtime) throw new CliError(`process ${args.pid} (${programName(args.pid)}) is neither a Node.js nor a Python process`, EXIT_PROBE_FAILED);
    const support = runtime === 'python' ? await pythonProbeSupport(args.pid) : undefined;
    if (support?.method === 'none') throw new CliError(support.reason ?? 'this process cannot be probed', EXIT_PROBE_FAILED);
    io.err(consentText(args, runtime, support));
    if (!args.yes && !(await io.confirm(`Probe process ${args.pid}?`))) {
      io.err('Not probing: no consent was given. Answer y on a terminal, or pass --yes.');
      return EXIT_NO_CONSENT;
    }
    const onStatus = (s: { message: string }) => io.err(s.message);
    const result = await probeProcess(args.pid, { windowMs: args.windowMs, signal: io.signal, onStatus });
    const gcRun = args.gc ? await runGc(args.pid, { signal: io.signal, onStatus }) : undefined;
    const trim = args.mallocTrim ? await runMallocTrim(args.pid, { signal: io.signal, onStatus }) : undefined;
    if (args.json) io.out(toJson(result, gcRun, trim));
    else printText(io, result, gcRun, trim);
    return 0;
  } catch (error) {
    throw probeFailure(error, EXIT_PROBE_FAILED);
  }
}

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'ask a live Node or Python process which lines hold growing memory',
  help: HELP,
  run,
};
