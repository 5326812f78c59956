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

/** What one line of an mprof file says; shared with the streaming column reader (stream.ts). */
export type MprofLine =
  | { kind: 'mem'; tMs: number; rssBytes: number }
  | { kind: 'child'; bytes: number }
  | { kind: 'command'; command: string }
  | undefined;

/** `memCount` is the MEM lines so far: the sample limit is checked before the line is read. */
export function readMprofLine(raw: string, lineNo: number, memCount: number): MprofLine {
  const line = raw.trim();
  if (line === '') return undefined;
  const [tag, ...fields] = line.split(/\s+/);
  if (tag === 'CMDLINE') return { kind: 'command', command: line.slice('CMDLINE'.length).trim() };
  if (tag === 'MEM') {
    if (memCount >= MAX_TRACE_SAMPLES) throw new TraceParseError(lineNo, `too many samples: the limit is ${MAX_TRACE_SAMPLES.toLocaleString('en-US')}`);
    const [tMs, rssBytes] = readMem(fields, lineNo);
    return { kind: 'mem', tMs, rssBytes };
  }
  if (tag === 'CHLD') return { kind: 'child', bytes: readChild(fields, lineNo) };
  if (!/^[A-Z]+$/.test(tag)) {
    throw new TraceParseError(lineNo, `not an mprof line (expected MEM, CMDLINE, FUNC or CHLD): '${excerpt(line)}'`);
  }
  return undefined;
}

export function parseMprofTrace(lines: readonly string[]): Trace {
  const samples: MemorySample[] = [];
  let command: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const read = readMprofLine(lines[i], i + 1, samples.length);
    if (read?.kind === 'command') command = read.command;
    else if (read?.kind === 'mem') samples.push(makeSample(read.tMs, read.rssBytes));
    else if (read?.kind === 'child') addChild(samples, read.bytes);
  }
  if (samples.length === 0) throw new TraceParseError(0, 'the mprof file has no MEM lines');
  const trace: Trace = { samples: finishSamples(samples), events: [] };
  if (command) trace.command = command;
  return trace;
}

function readMem(fields: string[], lineNo: number): [number, number] {
  if (fields.length < 2) throw new TraceParseError(lineNo, `MEM needs a size in MiB and a time in seconds, found '${excerpt(fields.join(' '))}'`);
  const mib = mprofNumber(fields[0], 'MEM size (MiB)', lineNo);
  if (mib < 0) throw new TraceParseError(lineNo, `MEM size is negative: '${excerpt(fields[0])}'`);
  const seconds = mprofNumber(fields[1], 'MEM time (s)', lineNo);
  return [checkTime(Math.round(seconds * 1000), lineNo, 'MEM time'), Math.round(mib * MIB)];
}

/** A CHLD line's size in bytes, checked whole. */
function readChild(fields: string[], lineNo: number): number {
  if (fields.length < 3) throw new TraceParseError(lineNo, `CHLD needs an index, a size in MiB and a time, found '${excerpt(fields.join(' '))}'`);
  const mib = mprofNumber(fields[1], 'CHLD size (MiB)', lineNo);
  mprofNumber(fields[2], 'CHLD time (s)', lineNo);
  return Math.round(mib * MIB);
}

/** Children are summed into the sample they follow, like mprof's --include-children total. */
function addChild(samples: MemorySample[], bytes: number): void {
  const last = samples[samples.length - 1];
  if (!last) return;
  last.childrenRssBytes += bytes;
  last.childCount += 1;
}

function mprofNumber(field: string, what: string, lineNo: number): number {
  const value = parseDecimal(field);
  if (value === undefined) throw new TraceParseError(lineNo, `${what} is not a number: '${excerpt(field)}'`);
  return value;
}
