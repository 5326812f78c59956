// memory_profiler's `mprof run` output (mprofile_*.dat). Lines, space separated:
//   CMDLINE <command line>
//   MEM <MiB> <epoch seconds>          the process (with --include-children: plus its children)
//   CHLD <index> <MiB> <epoch seconds> one child, with --multiprocess (written after its MEM line)
//   FUNC <name> <MiB> <s> <MiB> <s> [level]   a @profile'd function's entry and exit
// mprof's sizes are MiB (RSS / 2**20) and times seconds; we keep bytes and milliseconds.
// Like mprof's own reader, unknown upper-case tags are skipped (newer versions may add some).
import { MemorySample, Trace } from '../model';
import { MAX_TRACE_SAMPLES, TraceParseError, checkTime, excerpt, parseDecimal } from './parseError';
import { finishSamples, makeSample } from './samples';

const MIB = 1024 * 1024;

export const MPROF_TAG = /^(CMDLINE|MEM|FUNC|CHLD)(\s|$)/;

export function parseMprofTrace(lines: readonly string[]): Trace {
  const samples: MemorySample[] = [];
  let command: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const [tag, ...fields] = line.split(/\s+/);
    const lineNo = i + 1;
    if (tag === 'CMDLINE') command = line.slice('CMDLINE'.length).trim();
    else if (tag === 'MEM') {
      if (samples.length >= MAX_TRACE_SAMPLES) throw new TraceParseError(lineNo, `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
      samples.push(readMem(fields, lineNo));
    } else if (tag === 'CHLD') addChild(samples, fields, lineNo);
    else if (!/^[A-Z]+$/.test(tag)) {
      throw new TraceParseError(lineNo, `not an mprof line (expected MEM, CMDLINE, FUNC or CHLD): '${excerpt(line)}'`);
    }
  }
  if (samples.length === 0) throw new TraceParseError(0, 'the mprof file has no MEM lines');
  const trace: Trace = { samples: finishSamples(samples), events: [] };
  if (command) trace.command = command;
  return trace;
}

function readMem(fields: string[], lineNo: number): MemorySample {
  if (fields.length < 2) throw new TraceParseError(lineNo, `MEM needs a size in MiB and a time in seconds, found '${excerpt(fields.join(' '))}'`);
  const mib = mprofNumber(fields[0], 'MEM size (MiB)', lineNo);
  if (mib < 0) throw new TraceParseError(lineNo, `MEM size is negative: '${excerpt(fields[0])}'`);
  const seconds = mprofNumber(fields[1], 'MEM time (s)', lineNo);
  return makeSample(checkTime(Math.round(seconds * 1000), lineNo, 'MEM time'), Math.round(mib * MIB));
}

/** Children are summed into the sample they follow, like mprof's --include-children total. */
function addChild(samples: MemorySample[], fields: string[], lineNo: number): void {
  if (fields.length < 3) throw new TraceParseError(lineNo, `CHLD needs an index, a size in MiB and a time, found '${excerpt(fields.join(' '))}'`);
  const mib = mprofNumber(fields[1], 'CHLD size (MiB)', lineNo);
  mprofNumber(fields[2], 'CHLD time (s)', lineNo);
  const last = samples[samples.length - 1];
  if (!last) return;
  last.childrenRssBytes += Math.round(mib * MIB);
  last.childCount += 1;
}

function mprofNumber(field: string, what: string, lineNo: number): number {
  const value = parseDecimal(field);
  if (value === undefined) throw new TraceParseError(lineNo, `${what} is not a number: '${excerpt(field)}'`);
  return value;
}
