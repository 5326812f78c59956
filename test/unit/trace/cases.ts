// Trace files for the reader tests, valid and malformed, in every format: the streaming readers
// must read each as the whole-text reader does, or refuse it with the same line and words.

/** A CSV longer than one read buffer, with `row(i)` as the i-th line after the header. */
function longCsv(rows: number, row: (i: number) => string, eol = '\n'): string {
  const lines = ['t_ms,rss_bytes,threads,cpu_percent'];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  return lines.join(eol) + eol;
}

export const CSV_CASES: readonly [string, string | Buffer][] = [
  ['plain.csv', 't_ms,rss_bytes\n1000,5\n2000,7\n'],
  ['bom-comments.csv', '\ufeff# recorded by hand\n\n  \nrss_bytes,t_ms,extra\n5,1000,x\n# note\n7,2000,y'],
  ['unsorted.csv', 't_ms,rss_bytes\n3000,1\n1000,2\n2000,3\n1000,4\n'],
  ['crlf-long.csv', longCsv(20_000, (i) => `${1e12 + i * 100},${1e8 + (i % 97) * 4096},4,1.5`, '\r\n')],
  ['cr-only-long.csv', longCsv(20_000, (i) => `${1e12 + i * 100},${1e8 + i},4,0`, '\r')],
  ['utf8-comments-long.csv', longCsv(30_000, (i) => (i % 7 === 0 ? `# mémoire ✓ ${i}` : `${1e12 + i},${i},1,2`))],
  ['bad-late-row.csv', longCsv(25_000, (i) => (i === 24_321 ? `${1e12 + i},oops,1,2` : `${1e12 + i},${i},1,2`))],
  ['bad-width.csv', longCsv(5_000, (i) => (i === 4_999 ? `${i},1` : `${i},1,2,3`))],
  ['bad-optional.csv', 't_ms,rss_bytes,fds\n1,2,three\n'],
  ['bad-time.csv', 't_ms,rss_bytes\n1e300,5\n'],
  ['negative.csv', 't_ms,rss_bytes\n1,-5\n'],
  ['no-header.csv', '1,2\n3,4\n'],
  ['no-rss.csv', 't_ms,heap\n1,2\n'],
  ['twice.csv', 't_ms,rss_bytes,t_ms\n1,2,3\n'],
  ['header-only.csv', '\n\nt_ms,rss_bytes\n\n'],
  ['comments-only.csv', '# nothing\n# here\n'],
  ['empty.csv', ' \n\r\n\t\n'],
  ['zero.csv', ''],
  ['unknown.txt', 'hello there\n'],
  ['binary.dat', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a, 0x80, 0x81])],
  ['readings.csv', 't_ms,rss_bytes,threads,fds,children_rss_bytes,child_count,cpu_percent,uss_bytes,pss_bytes,heap_used_bytes,gpu_bytes\n2,10,3,,5,1,0.5,,7,,\n1,11,,4,,,,8,,9,\n1,12,0,-1,0,0,0,,,,\n'],
  ['late-uss-long.csv', longCsv(20_000, (i) => `${1e12 + i},${i},${i % 4},${i >= 15_000 ? 0.25 : ''}`).replace('cpu_percent', 'uss_bytes')],
  ['widening-long.csv', longCsv(10_000, (i) => `${1e12 + i},${i},${i === 9_000 ? 2.5 : i === 9_001 ? '-0' : i % 4},${i === 9_500 ? 3e9 : 1}`)],
  ['bad-reading-late.csv', longCsv(9_000, (i) => `${1e12 + i},${i},${i === 8_500 ? '1e' : 2},3`)],
];

const mem = (i: number): string => `MEM ${(100 + i / 1000).toFixed(6)} ${(1.7e9 + i * 0.1).toFixed(4)}`;
const long: string[] = ['CMDLINE python leaky.py --n 3'];
for (let i = 0; i < 15_000; i++) long.push(mem(i), ...(i % 10 === 0 ? [`CHLD 1 ${i / 100} ${1.7e9 + i * 0.1}`] : []), ...(i % 500 === 0 ? [`FUNC f 1 2 3 4`] : []));
export const MPROF_CASES: readonly [string, string][] = [
  ['run.dat', 'CMDLINE python x.py\nMEM 1.5 1700000000.1\nCHLD 1 2.0 1700000000.1\nMEM 1.75 1700000000.2\n'],
  ['long.dat', long.join('\n')],
  ['renamed.txt', 'MEM 1.0 1.0\nMEM 2.0 0.5\n'],
  ['bad-tag.dat', `${long.slice(0, 9_000).join('\n')}\nmem 1 2\n`],
  ['bad-size.dat', 'MEM x 1\n'],
  ['short-chld.dat', 'MEM 1 1\nCHLD 1 2\n'],
  ['no-mem.dat', 'CMDLINE python x.py\nFUNC f 1 2 3 4\n'],
  ['unsorted-chld.dat', 'MEM 2 2\nCHLD 1 1 2\nCHLD 2 1 2\nMEM 1 1\nCHLD 1 3 1\n'],
];

/** JSON documents and JSON lines, and the refusals parse.test checks one by one. */
export const JSON_CASES: readonly [string, string][] = [
  ['trace.jsonl', '{"t_ms":1,"rss_bytes":2}\n{"t_ms":2,"rss_bytes":3}\n'],
  ['blank-first.jsonl', '\n\n  {"t_ms":3,"rss_bytes":2,"threads":4,"uss_bytes":7}\r\n\r\n{"t_ms":2,"rss_bytes":3,"fds":null}'],
  ['bad-late.jsonl', '{"t_ms":1,"rss_bytes":2}\n{"t_ms":2,"rss_bytes":-3}\n'],
  ['bad-json.jsonl', '{"t_ms":1,"rss_bytes":2}\n{"t_ms":2,"rss_bytes":3\n'],
  ['not-object.jsonl', '{"t_ms":1,"rss_bytes":2}\n[1,2]\n'],
  ['bad-time.jsonl', '{"t_ms":1,"rss_bytes":2}\n{"t_ms":9e15,"rss_bytes":2}\n'],
  ['trace.json', '{"format":"leakscope-trace","version":1,"pid":4,"command":"x","samples":{"t_ms":[2,1],"rss_bytes":[5,6],"uss_bytes":[null,3]},"events":[{"t_ms":1,"kind":"gc","label":"g"}]}'],
  ['pretty.json', '{\n  "format": "leakscope-trace",\n  "version": 1,\n  "samples": {\n    "t_ms": [1, 2],\n    "rss_bytes": [1, "x"]\n  }\n}'],
  ['syntax.json', '{"format": "leakscope-trace",\n"version": 1,\n"samples": {,}}'],
  ['other.json', '{"format":"other"}'],
  ['version.json', '{"format":"leakscope-trace","version":9,"samples":{}}'],
  ['array.json', '[1,2]'],
  ['deep.json', `{"format":${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
];
