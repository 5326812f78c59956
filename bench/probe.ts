// Cost of the deep probe on live programs (test/fixtures/probe): what a user waits for beyond the
// sampling window, against the cheapest looks at a process measured in the same run (one read of
// /proc/PID/statm, the monitor's tick; and a `ps` spawn). Node: open + close of the inspector
// alone, a probe, a GC. Python (/usr/bin/python3): one injection round trip alone (ptrace, and
// gdb for older setups), a probe, gc.collect() and malloc_trim(0). Timings are reported, never
// failed on (they follow the machine's load); a probe that fails does fail the bench.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isPortOpen, NodeInspectorSession } from '../src/core/probe/nodeInspector';
import { probeNode, runNodeGc } from '../src/core/probe/nodeProbe';
import { probePython, pythonProbeState, runPythonGc, runPythonMallocTrim } from '../src/core/probe/pythonProbe';
import { pythonProbeSupport } from '../src/core/probe/pythonSupport';
import { fromRoot } from '../test/helpers/paths';
import { killAllStarted, startProcess, SYSTEM_PYTHON, TestProcess } from '../test/helpers/processes';

const REPS = 3;
const WINDOW_MS = 1000;

interface Timing {
  /** Median, min and max wall time, ms. */
  median: number;
  min: number;
  max: number;
  reps: number;
}

function summarize(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted[sorted.length - 1], reps: sorted.length };
}

/** Wall time of `fn`, `reps` times; `fn` may return the part of its time to leave out (the window). */
async function time(reps: number, fn: () => Promise<number | void> | number | void): Promise<Timing> {
  const values: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const excluded = (await fn()) ?? 0;
    values.push(performance.now() - start - excluded);
  }
  return summarize(values);
}

let baseline: Timing | undefined;

function row(name: string, t: Timing): void {
  const range = t.reps > 1 ? ` (${fmt(t.min)}–${fmt(t.max)}, ${t.reps} runs)` : ' (1 run)';
  const r = baseline && t !== baseline ? t.median / baseline.median : undefined;
  const ratio = r === undefined ? '' : r < 1 ? `  = 1/${(1 / r).toFixed(0)} of a ps spawn` : `  = ${r.toFixed(r < 10 ? 1 : 0)}× a ps spawn`;
  console.log(`${name.padEnd(62)} ${fmt(t.median).padStart(9)} ms${range}${ratio}`);
}

function fmt(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

function fixture(name: string): string {
  return fromRoot('test', 'fixtures', 'probe', name);
}

function start(command: string, args: string[]): Promise<TestProcess> {
  // stderr ignored: the Node target prints "Debugger listening…" at every probe.
  return startProcess(undefined, command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
}

async function baselines(pid: number): Promise<void> {
  const statm = await time(5, () => {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) readFileSync(`/proc/${pid}/statm`, 'utf8');
    return ((performance.now() - start) * 999) / 1000; // leave one read of the thousand
  });
  baseline = await time(10, () => void spawnSync('ps', ['-o', 'rss=', '-p', String(pid)]));
  console.log('Baselines on the same target:');
  row('  read /proc/PID/statm once (the monitor’s tick)', statm);
  row('  spawnSync ps -o rss= -p PID', baseline);
}

async function nodeCosts(): Promise<void> {
  if (await isPortOpen(9229, 500)) {
    console.log('\nNode: SKIPPED, port 9229 is in use (the inspector opens there).');
    return;
  }
  const target = await start(process.execPath, [fixture('node-leak.js')]);
  console.log(`\nNode target: pid ${target.pid}, ${process.version} (node-leak.js)`);
  const openClose = await time(REPS, async () => {
    const session = await NodeInspectorSession.open(target.pid);
    const report = await session.close();
    if (!report.portClosed) throw new Error('the inspector port stayed open');
  });
  let sites = 0;
  const probe = await time(REPS, async () => {
    const result = await probeNode(target.pid, { windowMs: WINDOW_MS });
    if (result.sites[0]?.function !== 'handleTick') throw new Error(`top Node site is ${result.sites[0]?.function}`);
    sites = result.sites.length;
    return result.windowMs;
  });
  const gc = await time(REPS, () => runNodeGc(target.pid).then(() => undefined));
  row('  inspector alone: SIGUSR1, /json/list, pid check, close', openClose);
  row(`  probe, ${WINDOW_MS} ms window excluded (${sites} sites)`, probe);
  row('  gc action (open, full GC with heap use around it, close)', gc);
  await target.kill();
}

async function pythonCosts(): Promise<void> {
  const target = await start(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const support = await pythonProbeSupport(target.pid);
  const version = execFileSync(SYSTEM_PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
  console.log(`\nPython target: pid ${target.pid}, ${SYSTEM_PYTHON} ${version} (py-leak.py), route: ${support.method}`);
  const inject = await time(REPS, () => pythonProbeState(target.pid, { support }).then(() => undefined));
  const untilTracing: number[] = [];
  const probe = await time(REPS, async () => {
    const started = performance.now();
    const result = await probePython(target.pid, {
      windowMs: WINDOW_MS,
      support,
      onStatus: (s) => s.state === 'sampling' && untilTracing.push(performance.now() - started),
    });
    if (result.sites[0]?.function !== 'handle_request') throw new Error(`top Python site is ${result.sites[0]?.function}`);
    return result.windowMs;
  });
  const gc = await time(REPS, () => runPythonGc(target.pid, { support }).then(() => undefined));
  const trim = await time(REPS, () => runPythonMallocTrim(target.pid, { support }).then(() => undefined));
  row(`  injection round trip alone (${support.method}, a script that only reports)`, inject);
  row('  probe: from the start until tracemalloc runs in the target', summarize(untilTracing));
  row(`  probe, ${WINDOW_MS} ms window excluded (snapshots, gc counts, read)`, probe);
  row('  gc.collect() action, RSS around it', gc);
  row('  malloc_trim(0) action, RSS around it', trim);
  await target.kill();
}

/**
 * The gdb route (used where the ptrace injector cannot run), on a target of its own: on some CPUs
 * gdb cannot restore the registers after its call (AMX state), and the target may not recover.
 */
async function gdbCosts(): Promise<void> {
  const gdbPath = spawnSync('sh', ['-c', 'command -v gdb'], { encoding: 'utf8' }).stdout.trim();
  if (!gdbPath) {
    console.log('  injection round trip through gdb: SKIPPED, no gdb on PATH');
    return;
  }
  const target = await start(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  const support = { ...(await pythonProbeSupport(target.pid)), method: 'gdb' as const, interpreter: gdbPath };
  try {
    row('  injection round trip through gdb (where the injector cannot run)', await time(2, () => pythonProbeState(target.pid, { support }).then(() => undefined)));
  } catch (error) {
    console.log(`  injection round trip through gdb: FAILS on this machine: ${error instanceof Error ? error.message : String(error)}`);
    // py-leak.py keeps ~4 MB a second: a target that stopped growing is stuck.
    const rss = () => Number(readFileSync(`/proc/${target.pid}/statm`, 'utf8').split(' ')[1]);
    const before = rss();
    await new Promise((r) => setTimeout(r, 1000));
    console.log(rss() > before ? '    the target recovered and runs on.' : '    WARNING: the target made no progress for 1 s afterwards (it is stuck, not only interrupted).');
  }
  await target.kill();
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Deep probe costs (wall time, median of runs); load average ${loadavg()[0].toFixed(2)}`);
  const reference = await start(SYSTEM_PYTHON, [fixture('py-leak.py')]);
  await baselines(reference.pid);
  await reference.kill();
  await nodeCosts();
  await pythonCosts();
  await gdbCosts();
  console.log(`\nThe Python round trip polls its result file every 50 ms, so up to ~50 ms of each Python figure is waiting.`);
  console.log(`bench/probe finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main()
  .catch((error: unknown) => {
    console.error(`bench/probe FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => killAllStarted());
