// The limit that applies to a real process: a memory cgroup made for the test (v2 where the
// memory controller is delegated to us, v1 otherwise), `ulimit -v`, and the user's own limit
// when lower; and the limit watcher naming it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { explainCommand } from '../../../src/cli/explain';
import { CliIo } from '../../../src/cli/io';
import { readLinuxProcessInfo } from '../../../src/core/discovery/processes';
import { MonitorLimitWatcher } from '../../../src/core/limits';
import { findApplicableLimit, findLimitSafely, MachineLimitFacts, MEMINFO_TTL_MS, parseCgroupMounts, parseProcCgroup, parseProcLimits, ProcessLimitFacts } from '../../../src/core/memory';
import { readSmallProcFile } from '../../../src/core/discovery/procfs';
import { ProcessMonitor } from '../../../src/core/monitor';
import { ManualTicker, realReadingsOnClock } from '../../helpers/manualTicker';
import { execFileSync } from 'node:child_process';
import { makeMemoryCgroup, removeCgroup, TestCgroup } from '../../helpers/cgroups';
import { formatBytes } from '../../../src/core/units';
import { startProcess, SYSTEM_PYTHON, Teardown, TestProcess } from '../../helpers/processes';

const MiB = 1024 * 1024;
const CGROUP_LIMIT = 256 * MiB;
const SLEEPER = `${SYSTEM_PYTHON} -c "print('ready', flush=True); import time; time.sleep(600)"`;

/** A sleeping Python started inside the cgroup (it moves its shell in before exec). */
async function startInCgroup(t: Teardown & { skip(reason: string): void }): Promise<{ proc: TestProcess; cgroup: TestCgroup } | undefined> {
  const cgroup = makeMemoryCgroup(CGROUP_LIMIT);
  if (typeof cgroup === 'string') {
    t.skip(cgroup);
    return undefined;
  }
  const proc = await startProcess(undefined, '/bin/sh', ['-c', `echo $$ > ${cgroup.dir}/cgroup.procs && exec ${SLEEPER}`]).catch(async (error: unknown) => {
    await removeCgroup(cgroup.dir);
    throw error;
  });
  t.after(async () => {
    await proc.kill();
    await removeCgroup(cgroup.dir);
  });
  return { proc, cgroup };
}

test('a process in a memory cgroup with a limit gets that limit as its target, named', async (t) => {
  const started = await startInCgroup(t);
  if (!started) return;
  const { proc, cgroup } = started;
  const limit = findApplicableLimit(proc.pid, 12 * 1024 * MiB);
  assert.ok(limit);
  assert.equal(limit.source, cgroup.version === 2 ? 'cgroup-v2-max' : 'cgroup-v1');
  assert.equal(limit.limitBytes, CGROUP_LIMIT);
  assert.ok(limit.bytes <= CGROUP_LIMIT && limit.bytes > 0);
  assert.match(limit.description, new RegExp(`the cgroup's ${formatBytes(CGROUP_LIMIT)} memory limit .*${cgroup.name}`));
  assert.equal(limit.label, `cgroup limit ${formatBytes(CGROUP_LIMIT)}`, 'short, for the chart line');
  // The user's setting still wins when lower.
  assert.equal(findApplicableLimit(proc.pid, 20 * MiB)?.source, 'setting');
});

test('the limit watcher and explain --json name the cgroup limit', async (t) => {
  const started = await startInCgroup(t);
  if (!started) return;
  const { proc, cgroup } = started;
  const monitor = new ProcessMonitor(readLinuxProcessInfo(proc.pid), { intervalMs: 50, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  await monitor.start();
  const watcher = new MonitorLimitWatcher(monitor, { memoryBytes: 12 * 1024 * MiB });
  t.after(() => watcher.dispose());
  assert.ok(watcher.memoryLimitBytes <= CGROUP_LIMIT);
  assert.match(watcher.memoryLimitName ?? '', new RegExp(cgroup.name));
  assert.match(watcher.projection(monitor.latest?.rssBytes ?? 0, MiB) ?? '', /reaches .* \(the cgroup's 256 MB memory limit.*\) in ~/);

  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: () => undefined, confirm: async () => false, signal: new AbortController().signal };
  assert.equal(await explainCommand.run(['--pid', String(proc.pid), '--window', '1s', '--json'], io), 0);
  const json = JSON.parse(out.join('\n')) as Record<string, unknown>;
  assert.equal(json.limit_bytes, CGROUP_LIMIT);
  assert.match(String(json.limit_source), /^cgroup-v[12]/);
});

test('ulimit -v: the address-space limit is the target, named; a lower setting wins and keeps its old wording', async (t) => {
  const proc = await startProcess(t, '/bin/sh', ['-c', `ulimit -v 1048576 && exec ${SLEEPER}`]);
  const limit = findApplicableLimit(proc.pid, 12 * 1024 * MiB);
  assert.ok(limit);
  assert.equal(limit.source, 'rlimit-as');
  assert.equal(limit.limitBytes, 1024 * MiB);
  assert.match(limit.description, /1 GB address-space limit \(ulimit -v, RLIMIT_AS/);
  assert.equal(limit.label, 'ulimit -v (1 GB virtual)');
  const monitor = new ProcessMonitor(readLinuxProcessInfo(proc.pid), { intervalMs: 50, detailIntervalMs: 0 });
  t.after(() => monitor.dispose());
  await monitor.start();
  const lower = new MonitorLimitWatcher(monitor, { memoryBytes: 5 * MiB, warnFraction: 0.5 });
  t.after(() => lower.dispose());
  assert.equal(lower.memoryLimitBytes, 5 * MiB);
  assert.equal(lower.memoryLimitName, undefined);
  const reached = await new Promise<string>((resolve) => lower.onReached((n) => resolve(n.message)));
  assert.match(reached, /has reached the 5 MB memory limit/);
});

test('a /proc/PID/status reading the caller has just taken is used, not read again', async (t) => {
  const proc = await startProcess(t, '/bin/sh', ['-c', `ulimit -d 524288 && exec ${SLEEPER}`]);
  const read = findApplicableLimit(proc.pid, 12 * 1024 * MiB);
  assert.ok(read);
  const memory = { rssBytes: 40 * MiB, anonBytes: 0, fileBytes: 0, shmemBytes: 0, swapBytes: 0, hwmBytes: 0, virtualBytes: 0, dataBytes: 100 * MiB };
  const given = findApplicableLimit(proc.pid, 12 * 1024 * MiB, { memory });
  assert.equal(given?.source, 'rlimit-data');
  assert.equal(given?.bytes, 40 * MiB + 412 * MiB, "the given reading's RSS plus what its data may still grow");
  assert.notEqual(given?.bytes, read.bytes);
});

test("a process's own limit files are read again only once its facts are old: a prlimit (lowering it) shows after the refresh", async (t) => {
  const proc = await startProcess(t, '/bin/sh', ['-c', `ulimit -v 1048576 && exec ${SLEEPER}`]);
  let nowMs = 0;
  const facts = new ProcessLimitFacts(proc.pid, 300_000, () => nowMs);
  assert.equal(findApplicableLimit(proc.pid, undefined, { facts })?.limitBytes, 1024 * MiB);
  execFileSync('prlimit', ['--pid', String(proc.pid), `--as=${512 * MiB}`]);
  nowMs = 299_999;
  assert.equal(findApplicableLimit(proc.pid, undefined, { facts })?.limitBytes, 1024 * MiB, 'held until the refresh');
  assert.equal(findApplicableLimit(proc.pid)?.limitBytes, 512 * MiB, 'a lookup without kept facts reads them');
  nowMs = 300_000;
  assert.equal(findApplicableLimit(proc.pid, undefined, { facts })?.limitBytes, 512 * MiB, 'read again once old');
  await proc.kill();
  nowMs = 600_000;
  assert.equal(facts.rlimits, undefined, 'a process gone reads as unknown, not as an error');
});

test('ulimit -d: the data-size limit is the target, drawn at the RSS where data reaches it', async (t) => {
  const proc = await startProcess(t, '/bin/sh', ['-c', `ulimit -d 524288 && exec ${SLEEPER}`]);
  const limit = findApplicableLimit(proc.pid, 12 * 1024 * MiB);
  assert.ok(limit);
  assert.equal(limit.source, 'rlimit-data');
  assert.equal(limit.limitBytes, 512 * MiB);
  assert.match(limit.description, /^the 512 MB data-size limit \(ulimit -d, RLIMIT_DATA; data is .+ now\): allocations fail when it is reached$/);
  assert.equal(limit.label, 'ulimit -d (512 MB data)');
  assert.ok(limit.bytes < 512 * MiB + readLinuxProcessInfo(proc.pid).rssBytes, 'RSS plus what data may still grow');
});

test('parsers: /proc/PID/limits, /proc/PID/cgroup, and a container whose cgroup root is mounted at /sys/fs/cgroup', () => {
  const limits = parseProcLimits(
    'Limit                     Soft Limit           Hard Limit           Units     \n' +
      'Max data size             unlimited            unlimited            bytes     \n' +
      'Max address space         1073741824           unlimited            bytes     \n',
  );
  assert.equal(limits.get('Max address space'), 1073741824);
  assert.equal(limits.get('Max data size'), undefined);
  const onlyData = parseProcLimits('Max address space         1073741824           unlimited            bytes     \nMax data size             524288               unlimited            bytes     \n', ['Max data size']);
  assert.deepEqual([...onlyData], [['Max data size', 524288]], 'only the lines asked for');
  assert.deepEqual(parseProcCgroup('12:memory:/docker/abc\n0::/docker/abc\n'), { v1Memory: '/docker/abc', v2: '/docker/abc' });
  const mounts = parseCgroupMounts('35 30 0:31 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n');
  assert.deepEqual(mounts, [{ version: 2, root: '/docker/abc', mountPoint: '/sys/fs/cgroup' }, { version: 1, root: '/', mountPoint: '/sys/fs/cgroup/memory' }]);
});

/** A MachineLimitFacts on `clock` that reads the real files and counts its reads of /proc/meminfo. */
function countingMachineFacts(clock: () => number): { facts: MachineLimitFacts; meminfoReads: () => number } {
  let reads = 0;
  const read = (path: string): string => {
    if (path === '/proc/meminfo') reads++;
    return readSmallProcFile(path);
  };
  return { facts: new MachineLimitFacts({ now: clock, read }), meminfoReads: () => reads };
}

test("one MachineLimitFacts serves every lookup: /proc/meminfo is read once per time to live, whatever the number of processes", () => {
  let nowMs = 1_000_000;
  const { facts, meminfoReads } = countingMachineFacts(() => nowMs);
  const lookUpAll = () => {
    for (let i = 0; i < 50; i++) assert.ok(findLimitSafely(process.pid, undefined, { machine: facts }), 'the machine\'s memory at least is a limit');
  };
  lookUpAll();
  assert.equal(meminfoReads(), 1, '50 lookups, one read');
  nowMs += MEMINFO_TTL_MS - 1;
  lookUpAll();
  assert.equal(meminfoReads(), 1, 'still within its time to live');
  nowMs += 1;
  lookUpAll();
  assert.equal(meminfoReads(), 2, 'read again once old');
  nowMs -= 5000;
  lookUpAll();
  assert.equal(meminfoReads(), 3, 'a clock that went back reads again');
});

test('limit watchers handed one MachineLimitFacts read /proc/meminfo once a refresh period between them', async (t) => {
  let nowMs = Date.UTC(2030, 0, 1, 0, 0, 7);
  const ticker = new ManualTicker();
  const environment = realReadingsOnClock(ticker, () => nowMs);
  const { facts, meminfoReads } = countingMachineFacts(() => nowMs);
  const watchers: MonitorLimitWatcher[] = [];
  for (let i = 0; i < 10; i++) {
    const monitor = new ProcessMonitor(readLinuxProcessInfo(process.pid), { intervalMs: 1000, detailIntervalMs: 0, environment });
    t.after(() => monitor.dispose());
    await monitor.start();
    const watcher = new MonitorLimitWatcher(monitor, { memoryBytes: 12 * 1024 * 1024 * MiB }, { slopeSource: () => 0, machine: facts });
    t.after(() => watcher.dispose());
    watchers.push(watcher);
  }
  assert.equal(meminfoReads(), 1, "ten watchers' first lookups");
  for (let second = 0; second < 90; second++) {
    nowMs += 1000;
    ticker.fire();
  }
  // Looked up again at 00:30, 01:00 and 01:30 (limits.ts, refreshPeriod): once each for all ten.
  assert.equal(meminfoReads(), 4);
  assert.ok(watchers.every((w) => w.applicableLimit !== undefined && w.applicableLimit.description === watchers[0].applicableLimit?.description));
});
