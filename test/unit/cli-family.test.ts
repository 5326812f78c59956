// `leakscope watch --family` on real pre-fork servers: a Python master forking 4 workers with
// os.fork and a Node cluster primary with 4 workers. In each, worker 3 leaks 1 MB/s and worker 2
// exits every 10 s and is forked again (max-requests recycling). The leaking worker must be named
// within 3 minutes of attaching, with the default 90-s warm-up of each process; the recycled
// worker must be followed. Both run side by side: each mostly waits for the classifier.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fromRoot } from '../helpers/paths';
import { eventually, fixtureProgram, startNode, startProcess, startPython, SYSTEM_PYTHON, TestProcess } from '../helpers/processes';

const CLI = fromRoot('dist', 'cli.js');
/** The acceptance figure: the leaking worker named within 3 minutes. */
const NAMED_WITHIN_MS = 180_000;

interface FamilyRecord {
  type: 'member' | 'family' | 'joined' | 'exited';
  slot?: number;
  pid?: number;
  replaced_pid?: number;
  class?: string;
  leaking_pids?: number[];
  summary?: string;
  total_rss_bytes?: number;
  rss_bytes?: number;
}

async function startWatch(t: Parameters<typeof startProcess>[0], args: string[]): Promise<TestProcess & { stderr: () => string; records: () => FamilyRecord[] }> {
  const proc = await startProcess(t, process.execPath, [CLI, 'watch', ...args], { ready: null, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(proc, { stderr: () => stderr, records: () => proc.lines.map((l) => JSON.parse(l) as FamilyRecord) });
}

/** Worker pids the server printed ("worker SLOT PID"), in fork order. */
function forks(server: TestProcess, slot: number): number[] {
  return server.lines.map((l) => /^worker (\d+) (\d+)$/.exec(l)).filter((m) => m !== null && Number(m[1]) === slot).map((m) => Number(m?.[2]));
}

test('--family refuses the options it cannot take yet', () => {
  const result = spawnSync(process.execPath, [CLI, 'watch', '--pid', '1', '--family', '--csv', 'x.csv'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--family does not take --csv/);
  const help = spawnSync(process.execPath, [CLI, 'watch', '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /--family {18}Watch N as the root of a family/);
});

test('--family names a memory limit once for the members that share it', async (t) => {
  // Two workers forked under the master's address-space limit: the master's line says it, and the
  // workers, whose sessions find the same limit, add no line of their own.
  const script = `ulimit -v 1048576 && exec ${SYSTEM_PYTHON} ${fixtureProgram('prefork.py')} 2 0 0`;
  const server = await startProcess(t, '/bin/sh', ['-c', script]);
  const workers = [...forks(server, 1), ...forks(server, 2)];
  assert.equal(workers.length, 2, server.lines.join('\n'));
  const watch = await startWatch(t, ['--pid', String(server.pid), '--family', '--json']);
  const joinedPids = () => new Set(watch.records().filter((r) => r.type === 'joined').map((r) => r.pid));
  await eventually(() => workers.every((pid) => joinedPids().has(pid)) || undefined, 30_000, 'both workers joined');
  const said = await eventually(() => /^leakscope watch: pid (\d+): nearest memory limit: (.+)\.$/m.exec(watch.stderr()) ?? undefined, 30_000, 'the limit line');
  assert.match(said[2], /address-space limit \(ulimit -v/);
  watch.child.kill('SIGINT');
  assert.equal(await watch.exited, 0, watch.stderr());
  assert.equal(watch.stderr().match(/nearest memory limit/g)?.length, 1, watch.stderr());
});

describe('watch --family names the leaking worker of a pre-fork server', { concurrency: true }, () => {
  const servers = { python: (t: Parameters<typeof startPython>[0]) => startPython(t, 'prefork.py', ['4', '3', '2', '100']), node: (t: Parameters<typeof startNode>[0]) => startNode(t, 'cluster.js', ['4', '3', '2', '100']) };
  for (const [kind, start] of Object.entries(servers)) {
    test(`${kind}: worker 3 named within 3 minutes, recycled worker 2 followed`, async (t) => {
      const server = await start(t);
      const leaker = forks(server, 3)[0];
      const attachedAt = Date.now();
      // No --fail-on: the first leak verdict of any member would end the watch, and a cluster
      // primary that keeps forking grows a little for a while (its verdict is the classifier's).
      const watch = await startWatch(t, ['--pid', String(server.pid), '--family', '--json', '--duration', '200s']);
      const named = await watch.waitForLine(new RegExp(`"type":"family".*"leaking_pids":\\[[\\d,]*\\b${leaker}\\b`), NAMED_WITHIN_MS + 30_000);
      const elapsedMs = Date.now() - attachedAt;
      const family = JSON.parse(named) as FamilyRecord;
      assert.equal(family.leaking_pids?.[0], leaker, `the fastest leaker is worker 3: ${family.summary}`);
      // Named first; another member may be called a slow leak beside it (see above).
      assert.match(family.summary ?? '', new RegExp(`^(Worker 3|\\d of \\d members (may )?leak, fastest first: worker 3) of 4 \\(pid ${leaker}\\): steady (leak|growth) [\\d.]+ MB/min`));
      assert.ok(elapsedMs <= NAMED_WITHIN_MS, `named after ${Math.round(elapsedMs / 1000)} s`);
      t.diagnostic(`${kind}: worker 3 named ${Math.round(elapsedMs / 1000)} s after attaching: ${family.summary}`);

      const records = watch.records();
      // Worker 2 was recycled (every 10 s) and each replacement joined in its slot, naming the one before.
      const slot2 = forks(server, 2);
      const joined2 = records.filter((r) => r.type === 'joined' && r.slot === 2 && r.replaced_pid !== undefined);
      assert.ok(joined2.length >= 3, `replacements followed: ${joined2.length}`);
      for (const r of joined2) assert.ok(slot2.indexOf(r.replaced_pid ?? -1) >= 0 && slot2.indexOf(r.pid ?? -1) > slot2.indexOf(r.replaced_pid ?? -1), `pid ${r.pid} replaced ${r.replaced_pid}`);
      const replacement = joined2[joined2.length - 2].pid;
      assert.ok(records.some((r) => r.type === 'member' && r.pid === replacement && (r.rss_bytes ?? 0) > 0), 'a replacement is sampled');
      assert.ok(records.some((r) => r.type === 'exited' && r.pid === replacement), 'and leaves when it exits');
      assert.ok(!records.some((r) => (r.slot ?? 0) > 4), 'replacements take the old slot, never a fifth');
      // The total counts every live member: the leaker as last read before it was named, and at
      // least two other workers (each an interpreter of a few MB; worker 2 may be between lives). Not a fixed figure: how
      // much the leaker holds depends on how soon the verdict comes.
      const namedAt = records.findIndex((r) => r.type === 'family' && r.leaking_pids?.includes(leaker));
      const leakerRss = records.slice(0, namedAt).filter((r) => r.type === 'member' && r.pid === leaker).at(-1)?.rss_bytes ?? 0;
      assert.ok(leakerRss > 30 * 1024 ** 2, `the leaker holds ${leakerRss} bytes when named`);
      assert.ok((family.total_rss_bytes ?? 0) >= leakerRss + 2 * 4 * 1024 ** 2, `total ${family.total_rss_bytes}, the leaker ${leakerRss}`);
      await watch.kill('SIGINT');
    });
  }
});
