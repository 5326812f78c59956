import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemorySample, Trace } from '../../../src/core/model';
import { sampleToJsonLine, traceToCsv, traceToJson } from '../../../src/core/trace/format';
import { MAX_TRACE_CHARS, TraceParseError, parseTrace } from '../../../src/core/trace/parse';

function sample(tMs: number, rssBytes: number, extra: Partial<MemorySample> = {}): MemorySample {
  return { tMs, rssBytes, deltaBytes: 0, threads: 1, fds: 5, childrenRssBytes: 0, childCount: 0, cpuPercent: 0, ...extra };
}

function withDeltas(samples: MemorySample[]): MemorySample[] {
  return samples.map((s, i) => ({ ...s, deltaBytes: i === 0 ? 0 : s.rssBytes - samples[i - 1].rssBytes }));
}

function parseError(text: string, fileName = 'trace.csv'): TraceParseError {
  try {
    parseTrace(text, fileName);
  } catch (error) {
    assert.ok(error instanceof TraceParseError, `expected TraceParseError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the trace to be rejected');
}

test('CSV as format.ts writes it reads back', () => {
  const trace: Trace = { samples: withDeltas([sample(1000, 5_000_000), sample(2000, 5_100_000, { cpuPercent: 12.5 }), sample(3000, 4_900_000)]), events: [] };
  assert.deepEqual(parseTrace(traceToCsv(trace), 'x.csv'), trace);
});

test('CSV: only t_ms and rss_bytes, in any order, extra columns ignored, CRLF and comments tolerated', () => {
  const text = '# recorded by hand\r\nrss_bytes,note,t_ms\r\n100,a,1\r\n\r\n200,b,2\r\n';
  const trace = parseTrace(text, 'hand.csv');
  assert.deepEqual(trace.samples.map((s) => [s.tMs, s.rssBytes, s.deltaBytes, s.fds]), [[1, 100, 0, -1], [2, 200, 100, -1]]);
});

test('CSV errors name the line', () => {
  const bad = 't_ms,rss_bytes\n1,100\n2,200\n3,300\n4,400\n5,500\n6,abc\n';
  const error = parseError(bad);
  assert.equal(error.line, 7);
  assert.equal(error.message, "line 7: rss_bytes is not a number: 'abc'");
  assert.equal(parseError('t_ms,rss_bytes\n1,100\n2\n').message, 'line 3: expected 2 values (t_ms,rss_bytes), found 1');
  assert.equal(parseError('t_ms,rss_bytes\n1,-5\n').line, 2);
  assert.equal(parseError('t_ms,rss_bytes\n,5\n').message, 'line 2: t_ms is empty');
  assert.equal(parseError('t_ms,rss_bytes\n1,0x10\n').line, 2);
  assert.equal(parseError('t_ms,threads,rss_bytes\n1,many,5\n').message, "line 2: threads is not a number: 'many'");
  assert.match(parseError('1000,5000\n2000,6000\n').message, /^line 1: no CSV header/);
  assert.match(parseError('time,rss\n1,2\n').message, /^line 1: the CSV header has no t_ms column/);
  assert.match(parseError('\n\nt_ms,rss_bytes\n').message, /^line 3: a header but no samples/);
});

test('time that goes backwards is sorted, stably, and deltas follow the sorted order', () => {
  const trace = parseTrace('t_ms,rss_bytes\n3,30\n1,10\n2,20\n2,25\n', 'x.csv');
  assert.deepEqual(trace.samples.map((s) => [s.tMs, s.rssBytes, s.deltaBytes]), [[1, 10, 0], [2, 20, 10], [2, 25, 5], [3, 30, 5]]);
});

test('empty, unknown and oversized files are refused with a clear message', () => {
  assert.equal(parseError('').message, 'the file is empty');
  assert.equal(parseError('  \n\n').line, 0);
  assert.match(parseError('hello world\n', 'notes.txt').message, /^line 1: unknown trace format/);
  assert.match(parseError('\n\x00\x01binary', 'core').message, /^line 2: unknown trace format: .*'\?\?binary'/);
  const huge = { length: MAX_TRACE_CHARS + 1, charCodeAt: () => 0 } as unknown as string;
  assert.match(parseError(huge).message, /^the trace is too large/);
});

test('JSON as format.ts writes it reads back, with events, pid, command and optional columns', () => {
  const samples = withDeltas([sample(10, 1000, { ussBytes: 900 }), sample(20, 1500, { childCount: 2, childrenRssBytes: 77 }), sample(30, 1200, { ussBytes: 950, heapUsedBytes: 10 })]);
  const trace: Trace = { pid: 42, command: 'python train.py', samples, events: [{ tMs: 15, kind: 'fix-applied', label: 'Fix applied' }] };
  assert.deepEqual(parseTrace(traceToJson(trace), 'export.json'), trace);
});

test('JSON errors name the line', () => {
  const pretty = JSON.stringify({ format: 'leakscope-trace', version: 1, samples: { t_ms: [1, 2], rss_bytes: [1, 'x'] }, events: [] }, null, 2);
  const error = parseError(pretty, 'x.json');
  assert.match(error.message, /^line \d+: samples\.rss_bytes\[1\] is not a number: "x"$/);
  assert.equal(pretty.split('\n')[error.line - 1].trim(), '"rss_bytes": [');
  assert.equal(parseError('{"format": "leakscope-trace",\n"version": 1,\n"samples": {,}}', 'x.json').line, 3);
  assert.match(parseError('{"format":"other"}', 'x.json').message, /not a Leakscope trace/);
  assert.match(parseError('{"format":"leakscope-trace","version":9,"samples":{}}', 'x.json').message, /unsupported trace version 9/);
  assert.match(parseError('{"format":"leakscope-trace","version":1,"samples":{"t_ms":[1],"rss_bytes":[1,2]}}').message, /has 2 values but samples.t_ms has 1/);
  assert.match(parseError('[1,2]', 'x.json').message, /not an object/);
});

test('JSON lines as `watch --json` prints them read back; a bad line is named', () => {
  const samples = withDeltas([sample(1, 100), sample(2, 300)]);
  const text = samples.map(sampleToJsonLine).join('\n') + '\n';
  assert.deepEqual(parseTrace(text, 'watch.jsonl').samples, samples);
  assert.equal(parseError(`${sampleToJsonLine(samples[0])}\n{"t_ms": 2, "rss_bytes": "lots"}\n`, 'w.jsonl').message, 'line 2: rss_bytes is not a number: "lots"');
  assert.equal(parseError(`${sampleToJsonLine(samples[0])}\n{"t_ms": 2,\n`, 'w.jsonl').line, 2);
});

test('mprof .dat: MiB become bytes, seconds milliseconds, children summed, FUNC skipped', () => {
  const text = [
    'CMDLINE python3 leak.py --rounds 3',
    'MEM 10.500000 1700000000.0000',
    'CHLD 0 2.000000 1700000000.0100',
    'CHLD 1 1.000000 1700000000.0110',
    'MEM 11.000000 1700000000.1000',
    'FUNC __main__.work 10.5 1700000000.0 11.0 1700000000.1 1',
    'MEM 12.250000 1700000000.2005',
  ].join('\n');
  const trace = parseTrace(text, 'mprofile_20240101.dat');
  assert.equal(trace.command, 'python3 leak.py --rounds 3');
  assert.deepEqual(trace.samples.map((s) => [s.tMs, s.rssBytes, s.childrenRssBytes, s.childCount]), [
    [1_700_000_000_000, 10.5 * 1048576, 3 * 1048576, 2],
    [1_700_000_000_100, 11 * 1048576, 0, 0],
    [1_700_000_000_201, 12.25 * 1048576, 0, 0],
  ]);
});

test('mprof errors name the line', () => {
  assert.equal(parseError('CMDLINE x\nMEM 1.0 100.0\nMEM lots 101.0\n', 'm.dat').message, "line 3: MEM size (MiB) is not a number: 'lots'");
  assert.equal(parseError('MEM 1.0 100.0\nMEM 2.0\n', 'm.dat').line, 2);
  assert.equal(parseError('MEM 1.0 100.0\nmem 2.0 3.0\n', 'm.dat').line, 2);
  assert.equal(parseError('CMDLINE x\n', 'm.dat').message, 'the mprof file has no MEM lines');
  assert.match(parseError('garbage\n', 'm.dat').message, /^line 1: not an mprof line/);
});

const sampleArb = fc.record({
  tMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  rssBytes: fc.integer({ min: 0, max: 2 ** 45 }),
  threads: fc.integer({ min: 0, max: 5000 }),
  fds: fc.integer({ min: -1, max: 100_000 }),
  childrenRssBytes: fc.integer({ min: 0, max: 2 ** 40 }),
  childCount: fc.integer({ min: 0, max: 64 }),
  cpuPercent: fc.integer({ min: 0, max: 80_000 }).map((x) => x / 100),
});

function sortedTrace(raw: { tMs: number; rssBytes: number; threads: number; fds: number; childrenRssBytes: number; childCount: number; cpuPercent: number }[]): Trace {
  const sorted = [...raw].sort((a, b) => a.tMs - b.tMs).map((s) => ({ ...s, deltaBytes: 0 }));
  return { samples: withDeltas(sorted), events: [] };
}

test('fuzz: whatever format.ts writes reads back the same (CSV drops child_count)', () => {
  fc.assert(
    fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 50 }), (raw) => {
      const trace = sortedTrace(raw);
      assert.deepEqual(parseTrace(traceToJson(trace), 't.json'), trace);
      const csvExpected = { ...trace, samples: trace.samples.map((s) => ({ ...s, childCount: 0 })) };
      assert.deepEqual(parseTrace(traceToCsv(trace), 't.csv'), csvExpected);
    }),
    { numRuns: 300 },
  );
});

test('fuzz: any text either parses or throws a TraceParseError, never anything else', () => {
  const pieces = fc.constantFrom('t_ms', 'rss_bytes', ',', '\n', '\r\n', 'MEM ', 'CMDLINE ', 'CHLD ', '{', '}', '[', ']', '"', ':', '1', '-1', '1e400', 'NaN', ' ', '#', 'null', '"format":"leakscope-trace"', '"samples":', '"t_ms":[1]', '\uFEFF');
  const texts = fc.oneof(fc.string({ maxLength: 200 }), fc.array(pieces, { maxLength: 60 }).map((p) => p.join('')));
  const names = fc.constantFrom('', 'a.csv', 'a.json', 'a.jsonl', 'mprofile_1.dat', 'trace');
  fc.assert(
    fc.property(texts, names, (text, name) => {
      try {
        const trace = parseTrace(text, name);
        assert.ok(trace.samples.length > 0);
        for (const s of trace.samples) assert.ok(Number.isFinite(s.tMs) && Number.isFinite(s.rssBytes) && s.rssBytes >= 0);
      } catch (error) {
        if (!(error instanceof TraceParseError)) throw error;
      }
    }),
    { numRuns: 3000 },
  );
});

test('a time that is not a date (|t_ms| > 8.64e15) is refused with the line named, in every format', () => {
  assert.equal(parseError('t_ms,rss_bytes\n1000,5\n8640000000000001,6\n').message, 'line 3: t_ms is not a date: 8640000000000001 (epoch milliseconds must lie within ±8.64e15)');
  assert.equal(parseError('{"t_ms":1,"rss_bytes":1}\n{"t_ms":9e15,"rss_bytes":1}\n', 't.jsonl').line, 2);
  assert.equal(parseError('MEM 1.0 100.0\nMEM 1.0 9e12\n', 'm.dat').message, 'line 2: MEM time is not a date: 9000000000000000 (epoch milliseconds must lie within ±8.64e15)');
  const doc = '{"format":"leakscope-trace","version":1,\n"samples":{\n"t_ms":[1,-9e15],\n"rss_bytes":[1,2]}}';
  assert.match(parseError(doc, 't.json').message, /^line 3: samples\.t_ms\[1\] is not a date/);
  assert.doesNotThrow(() => parseTrace('t_ms,rss_bytes\n8640000000000000,1\n-8640000000000000,2\n'));
});

test('deeply nested JSON values are refused at their line, not with a stack overflow', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.equal(parseError(`{"t_ms":1,"rss_bytes":1}\n{"t_ms":${deep},"rss_bytes":1}\n`, 't.jsonl').message, 'line 2: t_ms is not a number: an array');
  assert.equal(parseError(`{"t_ms":1,"rss_bytes":1}\n{"t_ms":2,"rss_bytes":1,"fds":${deep}}\n`, 't.jsonl').message, 'line 2: fds is not a number: an array');
  const doc = `{"format":"leakscope-trace","version":1,\n"samples":{"t_ms":[1],"rss_bytes":[1]},\n"events":[{"t_ms":1,"kind":${deep}}]}`;
  assert.deepEqual(parseTrace(doc, 't.json').events.map((e) => [e.kind, e.label]), [['note', '']]);
  assert.equal(parseError(`{"format":${deep}}`, 't.json').message, 'line 1: not a Leakscope trace: format is an array, expected "leakscope-trace"');
});
