// Mutated trace files for the fuzz tests: seeds in every format the readers take, and the
// mutations (flip, insert a piece, delete, duplicate or drop a line, truncate) applied to them.
import { MemorySample } from '../../../src/core/model';
import { sampleToJsonLine, traceToCsv, traceToJson } from '../../../src/core/trace/format';

const PIECES = ['\n', ',', '{', '}', '[', ']', '"', ':', '-', '.', 'e', '9', '0', ' ', '\r', '#', 'null', 'NaN', '1e400', '9e15', '\u0000', '\uFEFF', 'MEM ', 'CHLD 1 ', 't_ms', 'rss_bytes', '['.repeat(5000)];

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
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

export function mutated(seed: string, random: Random): string {
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

export const TRACE_SEEDS: readonly [string, string][] = [
  ['t.csv', traceToCsv({ samples: samples(30), events: [] })],
  ['t.json', traceToJson({ pid: 42, command: 'python3 app.py', samples: samples(30), events: [{ tMs: 1_700_000_005_000, kind: 'fix-applied', label: 'fix' }] })],
  ['t.jsonl', samples(30).map(sampleToJsonLine).join('\n') + '\n'],
  ['mprofile_1.dat', 'CMDLINE python3 app.py\n' + samples(30).map((s) => `MEM ${(s.rssBytes / 2 ** 20).toFixed(4)} ${(s.tMs / 1000).toFixed(4)}\nCHLD 1 2.0 ${(s.tMs / 1000).toFixed(4)}`).join('\n') + '\nFUNC f 1.0 1.0 2.0 2.0\n'],
];

