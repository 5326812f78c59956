// `leakscope classify TRACE`: the growth verdict of a recorded trace, for a person or (--json)
// for a script. Reads what `leakscope watch` and the panel export write, JSON lines, and mprof.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { GrowthClassifier, compareSlopes } from '../core/classifier';
import type { Analysis, SlopeComparison } from '../core/classifier';
import { GrowthVerdict, isLeakClass } from '../core/model';
import { TraceParseError } from '../core/trace/parse';
import { TraceColumns, readTraceColumns } from '../core/trace/stream';
import { analyzeTrace } from '../core/trace/analyze';
import { MAX_DATE_MS } from '../core/trace/parseError';
import { formatBytes, formatDuration, formatRate } from '../core/units';
import { errorMessage } from '../core/errorMessage';

const HELP = `Usage: leakscope classify TRACE [--json] [--replay] [--fix-at T_MS] [--fail-on-leak]

Reads a memory trace and says how its memory grows: flat, plateau (grew, then levelled off),
spiky (large temporary allocations over a steady baseline), steady-leak, stepwise-leak (grows
in steps that never level off) or unknown (not enough data yet, with how much more is needed).
The verdict comes from the baseline (the troughs memory returns to), so GC sawtooth and
temporary spikes do not count as growth.

TRACE is a Leakscope CSV (header t_ms,rss_bytes,…; what \`leakscope watch --csv\` writes), a
Leakscope JSON trace (the panel's export), JSON lines (\`leakscope watch --json\`), or an mprof
.dat file (memory_profiler's \`mprof run\`). Samples out of time order are sorted.

When the trace has a "fix applied" marker (or --fix-at is given), the slopes before and after
it are compared and the result says whether the leak is gone.

Options:
  --json            Print one JSON object: class, confidence (0–1), slope_bytes_per_s,
                    slope_uncertainty_bytes_per_s, regime_start_ms (epoch ms), plateau_bytes
                    (null unless plateau), explanation, samples, span_ms, and fix (or null).
  --replay          Feed the trace to the live classifier sample by sample, as if it were being
                    watched, and print the verdict each time it changes (with --json one object
                    per change: t_ms, class, confidence, slope_bytes_per_s), the last line the
                    final one. The live verdict is the whole-file verdict of the trace so far,
                    shown once two looks in a row agree (looks every 2 s, later every 1/64 of
                    the trace's span).
  --fix-at T_MS     Compare before/after this time (epoch ms, as in the trace).
  --fail-on-leak    Exit 1 when the verdict is a leak (for CI).

Exit codes: 0 verdict printed, 1 leak with --fail-on-leak, 2 bad arguments or unreadable trace
(the message names the line).`;

interface ClassifyOptions {
  file: string;
  json: boolean;
  fixAtMs: number | undefined;
  failOnLeak: boolean;
  replay: boolean;
}

export const classifyCommand: CliCommand = {
  name: 'classify',
  summary: 'Say how a recorded trace grows: flat, plateau, spiky, steady or stepwise leak',
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const options = readOptions(argv);
    const trace = loadTrace(options.file);
    if (options.replay) return replay(io, trace, options);
    const analysis = analyzeTrace(trace);
    const fix = fixComparison(trace, options.fixAtMs);
    if (options.json) io.out(JSON.stringify(toJson(analysis, fix)));
    else printHuman(io, options.file, trace, analysis, fix);
    return options.failOnLeak && isLeakClass(analysis.class) ? 1 : 0;
  },
};

function readOptions(argv: string[]): ClassifyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, replay: { type: 'boolean' }, 'fix-at': { type: 'string' }, 'fail-on-leak': { type: 'boolean' } },
    });
  } catch (error) {
    throw new CliError(errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'no trace given (leakscope classify TRACE)' : `one trace at a time, got ${positionals.length}`);
  let fixAtMs: number | undefined;
  if (values['fix-at'] !== undefined) {
    fixAtMs = Number(values['fix-at']);
    if (!Number.isFinite(fixAtMs) || Math.abs(fixAtMs) > MAX_DATE_MS) throw new CliError(`--fix-at wants a time in epoch ms, got '${values['fix-at']}'`);
  }
  return { file: positionals[0], json: values.json === true, fixAtMs, failOnLeak: values['fail-on-leak'] === true, replay: values.replay === true };
}

/** The online verdict as it would have evolved: one line per change of class, the last one final. */
function replay(io: CliIo, trace: TraceColumns, options: ClassifyOptions): number {
  const classifier = new GrowthClassifier();
  // The columns come in time order (stable for equal times), as the sorted samples did.
  const { tMs: times, rssBytes } = trace;
  let shown: GrowthVerdict | undefined;
  let lastTMs = NaN;
  const print = (tMs: number, v: GrowthVerdict): void => {
    if (options.json) io.out(JSON.stringify({ t_ms: tMs, class: v.class, confidence: round(v.confidence, 3), slope_bytes_per_s: round(v.slopeBytesPerS, 2), explanation: v.explanation }));
    else io.out(`${formatDuration(tMs - times[0]).padStart(9)}  ${v.explanation}`);
  };
  for (let i = 0; i < times.length; i++) {
    classifier.push(times[i], rssBytes[i]);
    const v = classifier.verdict();
    lastTMs = times[i];
    if (shown && v.class === shown.class) continue;
    shown = v;
    print(times[i], v);
  }
  const final = classifier.verdict();
  if (times.length && final !== shown) print(lastTMs, final);
  return options.failOnLeak && isLeakClass(final.class) ? 1 : 0;
}

/** Columns, not samples: a CSV or mprof trace is streamed into them (16 bytes a sample). */
function loadTrace(file: string): TraceColumns {
  try {
    return readTraceColumns(file);
  } catch (error) {
    if (error instanceof TraceParseError) throw new CliError(`${file}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file}: is a directory, not a trace`);
    throw new CliError(`${file}: cannot read: ${errorMessage(error)}`);
  }
}

/** compareAroundMarker on columns: they are in time order, so each side is one slice (no copy). */
function fixComparison(trace: TraceColumns, fixAtMs: number | undefined): SlopeComparison | undefined {
  const marker = fixAtMs ?? trace.events.filter((e) => e.kind === 'fix-applied').pop()?.tMs;
  if (marker === undefined) return undefined;
  let split = 0;
  while (split < trace.tMs.length && trace.tMs[split] < marker) split++;
  return compareSlopes(
    { tMs: trace.tMs.subarray(0, split), rssBytes: trace.rssBytes.subarray(0, split) },
    { tMs: trace.tMs.subarray(split), rssBytes: trace.rssBytes.subarray(split) },
  );
}

function toJson(a: Analysis, fix: SlopeComparison | undefined): Record<string, unknown> {
  return {
    class: a.class,
    confidence: round(a.confidence, 3),
    slope_bytes_per_s: round(a.slopeBytesPerS, 2),
    slope_uncertainty_bytes_per_s: round(a.slopeUncertaintyBytesPerS, 2),
    regime_start_ms: a.regimeStartMs,
    plateau_bytes: a.plateauBytes ?? null,
    explanation: a.explanation,
    samples: a.samples,
    span_ms: a.spanMs,
    fix: fix
      ? {
          outcome: fix.outcome,
          leak_gone: fix.leakGone,
          before_bytes_per_s: round(fix.beforeBytesPerS, 2),
          before_uncertainty_bytes_per_s: round(fix.beforeUncertaintyBytesPerS, 2),
          after_bytes_per_s: round(fix.afterBytesPerS, 2),
          after_uncertainty_bytes_per_s: round(fix.afterUncertaintyBytesPerS, 2),
          explanation: fix.explanation,
        }
      : null,
  };
}

function printHuman(io: CliIo, file: string, trace: TraceColumns, a: Analysis, fix: SlopeComparison | undefined): void {
  const who = trace.pid !== undefined || trace.command ? ` (${[trace.pid !== undefined ? `pid ${trace.pid}` : '', trace.command ?? ''].filter(Boolean).join(': ')})` : '';
  io.out(`${file}: ${a.samples} samples over ${formatDuration(a.spanMs)}${who}`);
  io.out(a.explanation);
  io.out(`  class        ${a.class}${a.class === 'unknown' ? '' : ` (confidence ${round(a.confidence, 2)})`}`);
  io.out(`  slope        ${formatRate(a.slopeBytesPerS)} ± ${formatRate(a.slopeUncertaintyBytesPerS)} (${round(a.slopeBytesPerS, 1)} B/s)`);
  io.out(`  regime from  ${new Date(a.regimeStartMs).toISOString()} (t_ms ${a.regimeStartMs})`);
  if (a.plateauBytes !== undefined) io.out(`  plateau at   ${formatBytes(a.plateauBytes)}`);
  if (fix) io.out(fix.explanation);
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
