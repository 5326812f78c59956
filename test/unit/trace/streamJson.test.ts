// A JSON trace document is streamed into typed columns (streamJson.ts) instead of JSON.parse'd
// whole. It may read only what the whole-text reader accepts, and must then give what that reader
// gives; anything else it hands back to the whole-text reader, whose refusal (line and words) the
// user sees. Documents bigger than the 64 KB read size are used, so that tokens straddle reads
// (numbers, strings, escapes, multi-byte characters), and the fuzz mutates them as the other
// readers' fuzz does (LEAKSCOPE_FUZZ_RUNS, 1,000 in npm test).
import test from 'node:test';
import assert from 'node:assert/strict';
import { MemorySample } from '../../../src/core/model';
import { samplesToColumns } from '../../../src/core/shared/columns';
import { traceToJson } from '../../../src/core/trace/format';
import { parseTrace } from '../../../src/core/trace/parse';
import { bytesSource, readTraceBytes } from '../../../src/core/trace/stream';
import { streamJsonDocument } from '../../../src/core/trace/streamJson';
import { mulberry32 } from '../../../src/core/random';
import { thinnedColumns } from '../../../src/panel/traceView';
import { mutated } from './mutations';

const RUNS = Number(process.env.LEAKSCOPE_FUZZ_RUNS ?? 1000);
const encoder = new TextEncoder();

function samples(count: number, random: () => number): MemorySample[] {
  return Array.from({ length: count }, (_, i) => ({
    tMs: 1_700_000_000_000 + i * 1000 + (random() < 0.05 ? -5000 : 0),
    rssBytes: Math.round(50e6 + i * 4096 + random() * 1e6) / (random() < 0.1 ? 3 : 1),
    deltaBytes: 0, threads: 2 + (i % 7), fds: 9, childrenRssBytes: 0, childCount: 0, cpuPercent: random() * 100,
    ...(i % 3 === 0 ? { ussBytes: 40_000_000 + i, pssBytes: 45_000_000.5 } : {}),
  }));
}

/** A document as the panel exports it, with text (multi-byte, escaped) and an unknown key padding it by `pad` characters. */
function document(count: number, pad: number, seed: number, pretty = false): string {
  const random = mulberry32(seed);
  const text = JSON.parse(traceToJson({ pid: 42, command: 'python3 "app.py" — café 🐍\n', samples: samples(count, random), events: [
    { tMs: 1_700_000_009_000, kind: 'fix-applied', label: 'fix \u2028 \\ done' },
    { tMs: 1_700_000_001_000, kind: 'gc', label: 'é'.repeat(40) },
  ] })) as Record<string, unknown>;
  const doc = { padding: 'x€'.repeat(pad), ...text, extra: { nested: [[[{ a: null, b: true, c: -0.5e-3 }]]], s: '\u0001'.repeat(3) } };
  return JSON.stringify(doc, null, pretty ? 2 : undefined);
}

/** Mutations that mostly keep a document valid: JSON whitespace after a comma or colon, a digit changed, a minus sign added. */
function gentlyMutated(text: string, random: () => number): string {
  let out = text;
  for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
    const at = Math.floor(random() * out.length);
    const c = out[at];
    if (c === ',' || c === ':') out = out.slice(0, at + 1) + [' ', '\n', '\t', '\r\n  '][Math.floor(random() * 4)] + out.slice(at + 1);
    else if (c >= '1' && c <= '9') out = out.slice(0, at) + String(1 + Math.floor(random() * 9)) + out.slice(at + 1);
    else if (c === '[') out = out.slice(0, at + 1) + '-' + out.slice(at + 1);
    else out = out.slice(0, at) + (random() < 0.5 ? 'e' : '0') + out.slice(at + 1);
  }
  return out;
}

interface Outcome {
  columns?: unknown;
  events?: unknown;
  pid?: number;
  command?: string;
  error?: string;
}

function outcome(read: () => Outcome): Outcome {
  try {
    return read();
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function wholeText(text: string): Outcome {
  return outcome(() => {
    const trace = parseTrace(text, 't.json');
    return { columns: samplesToColumns(trace.samples), events: trace.events, pid: trace.pid, command: trace.command };
  });
}

function streamed(bytes: Uint8Array): Outcome {
  return outcome(() => {
    const c = readTraceBytes(bytes, 't.json', { readings: true });
    return { columns: thinnedColumns(c, Infinity), events: c.events, pid: c.pid, command: c.command };
  });
}

test('valid documents over many reads are streamed (not read whole) and read as the whole-text reader reads them', () => {
  let count = 0;
  for (const pretty of [false, true]) {
    for (const pad of [0, 1, 7, 13, 100, 32_767, 32_768, 32_769, 40_000]) {
      const text = document(4000, pad, pad + 1, pretty);
      for (const variant of [text, `\uFEFF${text}`, ` \r\n\t${text}\n\n `]) {
        const bytes = encoder.encode(variant);
        assert.ok(bytes.length > 3 * 65_536, `spans several reads: ${bytes.length} bytes`);
        assert.ok(streamJsonDocument(bytesSource(bytes)), `streamed: pad ${pad}, pretty ${pretty}`);
        assert.deepEqual(streamed(bytes), wholeText(new TextDecoder().decode(bytes)), `pad ${pad}, pretty ${pretty}`);
        count++;
      }
    }
  }
  assert.equal(count, 54);
});

test('odd but valid documents (a repeated key, __proto__, deep values) are read whole, as the whole-text reader reads them', () => {
  const base = document(10, 0, 1);
  const odd = [
    base.replace('{', '{"format":"other",'),
    base.replace('"samples":{', '"samples":{"t_ms":[1],'),
    base.replace('{', '{"__proto__":{"x":1},'),
    base.replace('"events":[', `"events":[{"t_ms":1,"label":${'['.repeat(100)}${']'.repeat(100)}},`),
    base.replace('{', `{"deep":${'['.repeat(20_000)}${']'.repeat(20_000)},`),
    base.replace('{', `{"long":"${'y'.repeat(3 << 20)}",`),
  ];
  for (const text of odd) {
    const bytes = encoder.encode(text);
    assert.deepEqual(streamed(bytes), wholeText(text), text.slice(0, 60));
  }
  // The repeated key and __proto__ are given up on; a long string and deep unknown values are skipped.
  assert.equal(streamJsonDocument(bytesSource(encoder.encode(odd[0]))), undefined);
  assert.ok(streamJsonDocument(bytesSource(encoder.encode(odd[4]))), 'a deep unknown value is skipped, not built');
});

test(`fuzz: ${RUNS} mutated documents over several reads are streamed as the whole-text reader reads them, or refused alike`, (t) => {
  const random = mulberry32(15_002);
  const seeds = [document(1500, 20_000, 7), document(600, 32_768, 8, true)];
  let accepted = 0;
  let streamedOnes = 0;
  for (let run = 0; run < RUNS; run++) {
    const seed = seeds[run % seeds.length];
    // Half the runs with the other readers' mutations (most break the JSON), half with ones that mostly keep it valid.
    const text = run % 4 < 2 ? mutated(seed, random) : gentlyMutated(seed, random);
    const bytes = encoder.encode(text);
    const expected = wholeText(new TextDecoder().decode(bytes));
    assert.deepEqual(streamed(bytes), expected, `run ${run}`);
    if (!expected.error) accepted++;
    if (streamJsonDocument(bytesSource(bytes))) {
      streamedOnes++;
      assert.ok(!expected.error, `run ${run}: streamed a document the whole-text reader refuses`);
    }
  }
  t.diagnostic(`${accepted} of ${RUNS} accepted, ${streamedOnes} of them streamed`);
  // Both outcomes, and the streaming path itself, must be exercised for the comparison to say anything.
  assert.ok(accepted > RUNS / 4 && accepted < RUNS - RUNS / 4, `${accepted} of ${RUNS} accepted`);
  assert.ok(streamedOnes > accepted / 2, `${streamedOnes} of ${accepted} accepted ones streamed`);
});
