// "Open memory trace…" reads in a worker thread (traceOffThread.ts, dist/traceWorker.js): what
// comes back must be what reading in place gives (same thinned columns, verdict, events), the same
// refusal (a TraceParseError naming the line, or the file error), progress must reach the end of
// the file, and an abort must end the read at once, mid-file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TraceParseError } from '../../../src/core/trace/parseError';
import { openTraceBytes, openTraceFile } from '../../../src/panel/traceView';
import { openTraceBytesOffThread, openTraceFileOffThread } from '../../../src/panel/traceOffThread';
import { fromRoot } from '../../helpers/paths';
import { scratchDir } from '../../helpers/tempFiles';
import { writeWatchCsv } from '../../helpers/traceMemory';
import { CSV_CASES, JSON_CASES, MPROF_CASES } from './cases';

const workerScript = fromRoot('dist', 'traceWorker.js');
const { dir, write } = scratchDir('leakscope-off-thread-');

/** What a read gives, or how it fails (class, message, line), for comparing the two ways. */
async function outcome<T>(read: () => T | Promise<T>): Promise<T | { error: string; line?: number }> {
  try {
    return await read();
  } catch (error) {
    const line = error instanceof TraceParseError ? { line: error.line } : {};
    return { error: `${(error as Error).name}: ${(error as Error).message}`, ...line };
  }
}

test('every reader test file opens off the thread as in place: same trace, or the same refusal', async () => {
  for (const [name, content] of [...CSV_CASES, ...MPROF_CASES, ...JSON_CASES]) {
    const path = write(name, content);
    assert.deepEqual(await outcome(() => openTraceFileOffThread(path, { workerScript })), await outcome(() => openTraceFile(path)), `${name}: from the file`);
    const bytes = readFileSync(path);
    assert.deepEqual(await outcome(() => openTraceBytesOffThread(bytes, name, { workerScript })), await outcome(() => openTraceBytes(bytes, name)), `${name}: from bytes`);
    assert.deepEqual(bytes, readFileSync(path), `${name}: the caller's bytes are left as they were`);
  }
});

test('a missing file and a special file are refused off the thread with the in-place message', async () => {
  for (const path of [join(dir, 'no-such.csv'), '/dev/zero', dir]) {
    assert.deepEqual(await outcome(() => openTraceFileOffThread(path, { workerScript })), await outcome(() => openTraceFile(path)), path);
  }
});

test('progress is told in bytes up to the whole file, and an abort ends a read mid-file', async () => {
  const path = join(dir, 'big.csv');
  writeWatchCsv(path, 400_000);
  const seen: [number, number][] = [];
  const trace = await openTraceFileOffThread(path, { workerScript, onProgress: (read, total) => seen.push([read, total]) });
  assert.equal(trace.sampleCount, 400_000);
  assert.ok(seen.length >= 10, `${seen.length} progress reports`);
  const size = seen[0][1];
  assert.deepEqual(seen.at(-1), [size, size], 'the last report is the whole file');
  assert.ok(seen.every(([read], i) => i === 0 || read > seen[i - 1][0]), 'bytes read only grow');

  const abort = new AbortController();
  let firstReport = 0;
  const pending = openTraceFileOffThread(path, {
    workerScript,
    signal: abort.signal,
    onProgress: (read) => {
      firstReport ||= read;
      abort.abort(new Error('cancelled by the test'));
    },
  });
  await assert.rejects(pending, /cancelled by the test/);
  assert.ok(firstReport > 0 && firstReport < size, 'aborted after the first report, before the end');
});
