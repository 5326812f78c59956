// Fuzz: mutated inputs for every trace reader (CSV, JSON, JSON lines, mprof) and for the rule
// engine behind `leakscope scan`. No crash (only TraceParseError, naming a line), no hang (each
// input well under a second). LEAKSCOPE_FUZZ_RUNS sets inputs per target (default 1,000;
// `npm run test:fuzz` runs 10,000). Seeded: a failure prints the seed and input to replay.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random';
import { MemorySample } from '../../src/core/model';
import { sampleToJsonLine, traceToCsv, traceToJson } from '../../src/core/trace/format';
import { parseTrace, TraceParseError } from '../../src/core/trace/parse';
import { Language } from '../../src/core/rules';
import { CORPUS, sharedEngine } from './rules/support';

const RUNS = Number(process.env.LEAKSCOPE_FUZZ_RUNS ?? 1000);
const SLOW_MS = 1000;
const PIECES = ['\n', ',', '{', '}', '[', ']', '"', ':', '-', '.', 'e', '9', '0', ' ', '\r', '#', 'null', 'NaN', '1e400', '9e15', '\u0000', '\uFEFF', 'MEM ', 'CHLD 1 ', 't_ms', 'rss_bytes', '['.repeat(5000)];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** One of: flip a char, insert a piece, delete a range, duplicate or drop a line, truncate. */
function mutate(text: string, random: Random): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + pick(random, PIECES) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + Math.floor(random() * 40));
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      lines.splice(Math.floor(random() * lines.length), 1);
      return lines.join('\n');
    }
    default:
      return text.slice(0, at);
  }
}

function mutated(seed: string, random: Random): string {
  let text = seed;
  for (let n = 1 + Math.floor(random() * 4); n > 0; n--) text = mutate(text, random);
  return text;
}

function samples(count: number): MemorySample[] {
  return Array.from({ length: count }, (_, i) => ({
    tMs: 1_700_000_000_000 + i * 1000, rssBytes: 50_000_000 + i * 4096, deltaBytes: 0, threads: 2, fds: 9,
    childrenRssBytes: 0, childCount: 0, cpuPercent: 1.5, ...(i % 3 === 0 ? { ussBytes: 40_000_000, pssBytes: 45_000_000 } : {}),
  }));
}

const TRACE_SEEDS: readonly [string, string][] = [
  ['t.csv', traceToCsv({ samples: samples(30), events: [] })],
  ['t.json', traceToJson({ pid: 42, command: 'python3 app.py', samples: samples(30), events: [{ tMs: 1_700_000_005_000, kind: 'fix-applied', label: 'fix' }] })],
  ['t.jsonl', samples(30).map(sampleToJsonLine).join('\n') + '\n'],
  ['mprofile_1.dat', 'CMDLINE python3 app.py\n' + samples(30).map((s) => `MEM ${(s.rssBytes / 2 ** 20).toFixed(4)} ${(s.tMs / 1000).toFixed(4)}\nCHLD 1 2.0 ${(s.tMs / 1000).toFixed(4)}`).join('\n') + '\nFUNC f 1.0 1.0 2.0 2.0\n'],
];

/** Parses, or refuses with a TraceParseError on a line of the input (0: the whole file). */
function checkTrace(name: string, text: string): void {
  try {
    const trace = parseTrace(text, name);
    assert.ok(trace.samples.length > 0, 'a parsed trace has samples');
    for (const s of trace.samples) assert.ok(Number.isFinite(s.tMs) && Math.abs(s.tMs) <= 8.64e15 && s.rssBytes >= 0);
  } catch (error) {
    if (!(error instanceof TraceParseError)) throw error;
    assert.doesNotMatch(error.message, /could not read the trace/, 'a reader bug, caught by the safety net');
    const lines = text.split(/\r?\n|\r/).length;
    assert.ok(Number.isInteger(error.line) && error.line >= 0 && error.line <= lines, `line ${error.line} of ${lines}`);
    if (error.line === 0) assert.match(error.message, /empty|too large|no samples|no MEM lines|header but no/, error.message);
  }
}

for (const [name, seed] of TRACE_SEEDS) {
  test(`fuzz: ${RUNS} mutated ${name} traces parse or are refused at a line`, () => {
    const random = mulberry32(name.length * 7919);
    for (let run = 0; run < RUNS; run++) {
      const text = mutated(seed, random);
      const started = performance.now();
      try {
        checkTrace(name, text);
      } catch (error) {
        assert.fail(`run ${run}: ${String(error)}\ninput: ${JSON.stringify(text.slice(0, 400))}`);
      }
      assert.ok(performance.now() - started < SLOW_MS, `run ${run} took ${Math.round(performance.now() - started)} ms`);
    }
  });
}

function corpusFiles(): [string, Language][] {
  const python = readdirSync(join(CORPUS, 'python')).filter((f) => f.endsWith('.py')).map((f): [string, Language] => [join(CORPUS, 'python', f), 'python']);
  const js = readdirSync(join(CORPUS, 'js')).filter((f) => /\.[jt]s$/.test(f)).map((f): [string, Language] => [join(CORPUS, 'js', f), f.endsWith('.ts') ? 'typescript' : 'javascript']);
  return [...python, ...js];
}

test(`fuzz: ${RUNS} mutated source files scan without a crash or a hang`, async () => {
  const engine = await sharedEngine();
  const files = corpusFiles().map(([file, language]) => ({ file, language, text: readFileSync(file, 'utf8') }));
  const random = mulberry32(4242);
  for (let run = 0; run < RUNS; run++) {
    const { file, language, text } = pick(random, files);
    const input = mutated(text, random);
    const started = performance.now();
    const findings = engine.scan(input, language);
    assert.ok(Array.isArray(findings), `run ${run} (${file})`);
    for (const f of findings) assert.ok(f.range.startLine >= 0 && f.range.startLine <= input.split('\n').length, `run ${run}: finding off the file`);
    assert.ok(performance.now() - started < SLOW_MS, `run ${run} (${file}) took ${Math.round(performance.now() - started)} ms`);
  }
});
