// Fuzz: mutated inputs for every trace reader (CSV, JSON, JSON lines, mprof) and for the rule
// engine behind `leakscope scan`. No crash (only TraceParseError, naming a line), no hang (each
// input well under a second). LEAKSCOPE_FUZZ_RUNS sets inputs per target (default 1,000;
// `npm run test:fuzz` runs 10,000). Seeded: a failure prints the seed and input to replay.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random';
import { parseTrace, TraceParseError } from '../../src/core/trace/parse';
import { TRACE_SEEDS, mutated, pick } from './trace/mutations';
import { Language } from '../../src/core/rules';
import { CORPUS, sharedEngine } from './rules/support';

const RUNS = Number(process.env.LEAKSCOPE_FUZZ_RUNS ?? 1000);
const SLOW_MS = 1000;

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
