// The diagnosis on numbers (the branches the real-process tests do not reach), the parsers, and
// the limit cache the displays share.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diagnose, parseSmaps, parseStatusMemoryBytes, ProcMemory, STATUS_FIELDS, ProcReading, PythonMemoryView } from '../../../src/core/memory';

const MiB = 1024 * 1024;

function proc(rss: number, extra: Partial<ProcMemory> = {}): ProcMemory {
  return { rssBytes: rss, anonBytes: rss - 8 * MiB, fileBytes: 8 * MiB, shmemBytes: 0, swapBytes: 0, hwmBytes: rss, virtualBytes: 4 * rss, dataBytes: rss, ...extra };
}

function series(fromRss: number, toRss: number, seconds = 10, extra: Partial<ProcMemory> = {}): ProcReading[] {
  return Array.from({ length: seconds + 1 }, (_, i) => ({ tMs: i * 1000, proc: proc(fromRss + ((toRss - fromRss) * i) / seconds, extra) }));
}

function python(pymallocLive: number, glibcInUse: number, blocks: number, glibcFree = MiB): PythonMemoryView {
  return {
    rssBytes: 0,
    allocatedBlocks: blocks,
    pymalloc: { arenasBytes: pymallocLive + MiB, highwaterBytes: pymallocLive + MiB, allocatedBytes: pymallocLive, freeBytes: MiB },
    glibc: { inUseBytes: glibcInUse, freeBytes: glibcFree, mmappedBytes: 0, arenaBytes: glibcInUse + glibcFree, topFreeBytes: 0 },
    version: '3.11.2',
    durationMs: 1,
    method: 'ptrace',
  };
}

test('growth without the inside view: unknown, and says what would tell', () => {
  const d = diagnose({ readings: series(100 * MiB, 200 * MiB) });
  assert.equal(d.kind, 'unknown');
  assert.match(d.fix, /consent/);
  assert.equal(d.evidence.rss_growth_bytes, 100 * MiB);
});

test('flat without the inside view: flat, with the caveat', () => {
  const d = diagnose({ readings: series(100 * MiB, 100 * MiB) });
  assert.equal(d.kind, 'flat');
  assert.match(d.summary, /without reading inside/);
});

test('glibc memory growing without Python blocks is native (a C buffer), with them it is objects', () => {
  const readings = series(100 * MiB, 200 * MiB);
  const native = diagnose({ readings, python: { first: python(10 * MiB, 10 * MiB, 30_000), last: python(10 * MiB, 110 * MiB, 30_010) } });
  assert.equal(native.kind, 'native-growth');
  const objects = diagnose({ readings, python: { first: python(10 * MiB, 10 * MiB, 30_000), last: python(10 * MiB, 110 * MiB, 130_000) } });
  assert.equal(objects.kind, 'leak');
});

/** The oracle for the byte parser: the same lines read with a regular expression over the text. */
function parseStatusText(status: string): ProcMemory {
  const memory: ProcMemory = { rssBytes: 0, anonBytes: 0, fileBytes: 0, shmemBytes: 0, swapBytes: 0, hwmBytes: 0, virtualBytes: 0, dataBytes: 0 };
  for (const match of status.matchAll(/^(\w+):[ \t]*(\d+) kB$/gm)) {
    const field = STATUS_FIELDS[match[1]];
    if (field) memory[field] = Number(match[2]) * 1024;
  }
  return memory;
}

test('parsers: /proc/PID/status and smaps (thread arena, heap, shared anonymous)', () => {
  const status = 'VmPeak:\t  900 kB\nVmHWM:\t  800 kB\nVmRSS:\t  700 kB\nRssAnon:\t  500 kB\nRssFile:\t  150 kB\nRssShmem:\t  50 kB\nVmSwap:\t  0 kB\nVmSize:\t 9000 kB\nVmData:\t 3000 kB\n';
  const m = parseStatusMemoryBytes(Buffer.from(status, 'latin1'), status.length);
  assert.deepEqual(m, { rssBytes: 700 * 1024, anonBytes: 500 * 1024, fileBytes: 150 * 1024, shmemBytes: 50 * 1024, swapBytes: 0, hwmBytes: 800 * 1024, virtualBytes: 9000 * 1024, dataBytes: 3000 * 1024 });
  const maps = parseSmaps(
    '55d0c0000000-55d0c2000000 rw-p 00000000 00:00 0                          [heap]\nRss:               32768 kB\nAnonymous:         32768 kB\nSwap:                  0 kB\n' +
      '7f1200000000-7f1204000000 rw-p 00000000 00:00 0 \nRss:                1024 kB\nAnonymous:          1024 kB\n' +
      '7f1300000000-7f1300400000 rw-s 00000000 00:01 12                         /dev/zero (deleted)\nRss:                4096 kB\nAnonymous:             0 kB\n',
  );
  assert.deepEqual(maps.map((x) => [x.kind, x.anonBytes]), [['heap', 32 * MiB], ['thread-arena', MiB], ['shared-anonymous', 0]]);
});

test('the byte parser of /proc/PID/status reads what a regular expression over the text reads', () => {
  const cases = [
    readFileSync('/proc/self/status', 'latin1'),
    'VmPeak:\t  900 kB\nVmHWM:\t  800 kB\nVmRSS:\t  700 kB\nRssAnon:\t  500 kB\nRssFile:\t  150 kB\nRssShmem:\t  50 kB\nVmSwap:\t  0 kB\nVmSize:\t 9000 kB\nVmData:\t 3000 kB\n',
    // Last line unterminated; a repeated field (the later wins); lines that are not "N kB".
    'Name:\tx\nVmRSS:\t 1 kB\nVmRSS:\t 2 kB\nVmData:\t 3 MB\nRssAnon: 4 kB trailing\nRssFile:\t\nVmSwap:5 kB\nVmSizeX:\t 6 kB\nVmHWM:\t  7 kB',
    'VmRSS:\t  18446744073709 kB\n',
    '',
  ];
  for (const text of cases) {
    const bytes = Buffer.from(`${text}VmRSS:\t 99 kB\n`, 'latin1'); // bytes past `length` are not read
    assert.deepEqual(parseStatusMemoryBytes(bytes, text.length), parseStatusText(text), JSON.stringify(text.slice(0, 60)));
  }
  assert.equal(parseStatusMemoryBytes(Buffer.from(cases[2], 'latin1'), cases[2].length).rssBytes, 2048);
});
