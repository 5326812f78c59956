// ProcessFamily on real pre-fork servers: a Python master forking workers with os.fork and a Node
// cluster, each re-forking workers that exit into the same slot (max-requests recycling).
// Leak verdicts take minutes and are tested through the CLI (cli-family.test.ts); these check
// discovery, slots, recycling, the total and the bounds, which take seconds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readProcessInfo } from '../../../src/core/discovery';
import { FamilyMember, ProcessFamily } from '../../../src/core/family';
import { WatchSessionOptions } from '../../../src/core/session';
import { eventually, startNode, startPython, TestProcess } from '../../helpers/processes';

const session: WatchSessionOptions = { intervalMs: 200, detailIntervalMs: 0, maxSamples: 1000, memoryLimitBytes: undefined, durationLimitMs: undefined, warnAtFraction: 0.8 };

/** "worker SLOT PID" lines the fixture printed, slot → pids in order. */
function forkedPids(server: TestProcess): Map<number, number[]> {
  const bySlot = new Map<number, number[]>();
  for (const line of server.lines) {
    const match = /^worker (\d+) (\d+)$/.exec(line);
    if (match) bySlot.set(Number(match[1]), [...(bySlot.get(Number(match[1])) ?? []), Number(match[2])]);
  }
  return bySlot;
}

async function startFamily(t: { after(fn: () => unknown): void }, server: TestProcess, maxExited?: number): Promise<ProcessFamily> {
  const family = new ProcessFamily(await readProcessInfo(server.pid), { session, discoveryIntervalMs: 300, maxExited });
  t.after(() => family.dispose());
  await family.start();
  return family;
}

function workersOf(family: ProcessFamily): FamilyMember[] {
  return family.live.filter((m) => m.slot > 0);
}

describe('process families', { concurrency: true }, () => {
  for (const kind of ['python', 'node'] as const) {
    test(`a ${kind} master's workers are found, each watched, and a recycled worker keeps its slot`, async (t) => {
      // 4 workers; worker 2 exits after 15 ticks of 100 ms and is forked again, and again.
      const args = ['4', '0', '2', '15'];
      const server = kind === 'python' ? await startPython(t, 'prefork.py', args) : await startNode(t, 'cluster.js', args);
      const family = await startFamily(t, server, 3);
      const added: FamilyMember[] = [];
      family.onMemberAdded((m) => added.push(m));
      await eventually(() => (workersOf(family).length === 4 ? true : undefined), 20_000, 'four workers');
      assert.equal(family.root.slot, 0);
      assert.equal(family.root.pid, server.pid);
      assert.deepEqual(workersOf(family).map((m) => m.slot).sort(), [1, 2, 3, 4]);
      for (const m of family.live) assert.equal(m.session.target.runtime, kind);

      // A replacement: slot 2 held by a pid the fixture forked after the one it replaced.
      const replacement = await eventually(() => added.find((m) => m.slot === 2 && m.replacedPid !== undefined), 30_000, 'a recycled worker 2');
      // The family can see the new pid in /proc before the fixture's "worker 2 PID" line crosses the pipe.
      const slot2 = await eventually(() => {
        const forks = forkedPids(server).get(2) ?? [];
        return forks.includes(replacement.pid) ? forks : undefined;
      }, 10_000, `pid ${replacement.pid} printed as a fork of worker 2`);
      assert.ok(slot2.includes(replacement.replacedPid ?? -1) && slot2.indexOf(replacement.replacedPid ?? -1) < slot2.indexOf(replacement.pid), 'it replaced an earlier worker 2');
      assert.equal(family.live.filter((m) => m.slot === 2).length <= 1, true, 'one live member per slot');
      assert.ok(!added.some((m) => m.slot > 4), `no fifth slot for a replacement: ${added.map((m) => m.slot).join(',')}`);

      // Exited members keep their verdict, newest first, at most maxExited of them.
      await eventually(() => (family.members.filter((m) => !m.live).length === 3 ? true : undefined), 30_000, 'three exited members');
      await new Promise((resolve) => setTimeout(resolve, 1500)); // more recycling: still 3 remembered
      const exited = family.members.filter((m) => !m.live);
      assert.equal(exited.length, 3);
      for (const m of exited) {
        assert.equal(m.slot, 2);
        assert.ok(m.exit, 'an exit summary');
        assert.equal(typeof m.verdict.class, 'string');
        assert.equal(m.session.monitor.state, 'detached', 'its session is closed');
      }
    });
  }

  test('the total is the sum of the members and a batch holds every live member', async (t) => {
    const server = await startPython(t, 'prefork.py', ['3', '0', '0']);
    const family = await startFamily(t, server);
    await eventually(() => (workersOf(family).length === 3 ? true : undefined), 20_000, 'three workers');
    const batch = await new Promise<Parameters<Parameters<typeof family.onBatch>[0]>[0]>((resolve) => {
      const listener = family.onBatch((b) => {
        if (b.samples.length < 4) return;
        listener.dispose();
        resolve(b);
      });
    });
    assert.deepEqual(batch.samples.map((s) => s.member.pid).sort(), family.live.map((m) => m.pid).sort());
    const sum = family.live.reduce((total, m) => total + (m.latest?.rssBytes ?? 0), 0);
    assert.equal(batch.totalRssBytes, sum);
    assert.ok(family.totalHistory.tMs.length >= 1);
    assert.match(family.summary(), /^No leak: /);
  });

  test('the root exiting ends the family', async (t) => {
    const server = await startPython(t, 'prefork.py', ['2', '0', '0']);
    const family = await startFamily(t, server);
    await eventually(() => (workersOf(family).length === 2 ? true : undefined), 20_000, 'two workers');
    const ended = new Promise((resolve) => family.onRootExit(resolve));
    process.kill(server.pid, 'SIGKILL');
    await ended;
    assert.equal(family.root.live, false);
  });
});
