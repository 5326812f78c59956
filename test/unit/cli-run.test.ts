// `leakscope run -- CMD`: the built CLI starting real Python programs. The slow tests (a leak
// verdict, a program that runs its course) run side by side, as each mostly waits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { fromRoot } from '../helpers/paths';
import { fixtureProgram, startProcess, SYSTEM_PYTHON, Teardown, TestProcess } from '../helpers/processes';
import { parseRunArgs } from '../../src/cli/run';

const CLI = fromRoot('dist', 'cli.js');
const KB = 1024;
const MB = 1024 ** 2;

interface RunProcess extends TestProcess {
  stderr(): string;
  /** The pid of the program `run` started (from its "ready PID" line). */
  programPid(): Promise<number>;
}

/** `leakscope run ARGS -- python3 PROGRAM PROGRAM_ARGS`; the program is killed after the test whatever happens. */
async function startRun(t: Teardown, args: string[], program: string, programArgs: string[] = []): Promise<RunProcess> {
  const argv = [CLI, 'run', ...args, '--', SYSTEM_PYTHON, fixtureProgram(program), ...programArgs];
  const proc = await startProcess(t, process.execPath, argv, { ready: null, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const programPid = proc.waitForLine(/^ready \d+/, 30_000).then((line) => Number(line.split(' ')[1]));
  // The program runs in a process group of its own, which the helper's teardown does not reach.
  t.after(async () => killQuietly(await programPid.catch(() => 0)));
  return Object.assign(proc, { stderr: () => stderr, programPid: () => programPid });
}

function killQuietly(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the CSV written while watching (sample by sample) has a row with RSS above `bytes`, and at least `minRows` rows in all. */
async function csvRowAbove(path: string, bytes: number, timeoutMs = 30_000, minRows = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = () => {
    try {
      const rows = readFileSync(path, 'utf8').split('\n').slice(1).filter((row) => row !== '');
      return rows.length >= minRows && rows.some((row) => Number(row.split(',')[1]) > bytes);
    } catch {
      return false;
    }
  };
  while (!seen()) {
    if (Date.now() > deadline) throw new Error(`no ${minRows} samples with one above ${bytes} B in ${path} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function tempDir(t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface JunitCase {
  name: string;
  failure?: { message: string; type: string };
}

/** Validates against the JUnit schema in test/fixtures/junit, then reads its test cases. */
async function readJunit(path: string): Promise<JunitCase[]> {
  const xml = readFileSync(path, 'utf8');
  const schema = readFileSync(fromRoot('test', 'fixtures', 'junit', 'junit.xsd'), 'utf8');
  const result = await validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema: { fileName: 'junit.xsd', contents: schema } });
  assert.equal(result.valid, true, `${result.errors.map((e) => e.message).join('\n')}\n${xml}`);
  return [...xml.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)].map(([, name, body]) => {
    const failure = /<failure message="([^"]*)" type="([^"]*)"/.exec(body);
    return failure ? { name, failure: { message: unescapeXml(failure[1]), type: failure[2] } } : { name };
  });
}

function unescapeXml(s: string): string {
  return s.replace(/&#10;/g, '\n').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface Report {
  duration_ms: number;
  exit_code: number;
  gate_failure: string | null;
  program_exit: { code: number | null; signal: string | null };
  processes: { pid: number; rss_peak_bytes: number; leak: { class: string } | null; limits_reached: { kind: string }[]; iterations: { bytes_per_iteration: number; noun: string; text: string } | null }[];
}

function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

test('--help documents the options and exit codes', () => {
  const result = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' });
  assert.equal(result.status, 0);
  for (const option of ['--fail-on', '--kill-on-limit', '--warmup', '--min-duration', '--report', '--junit', '--markdown', '--iterations-from', '--limit', '--duration', '--interval', '--csv', '--trace-json']) {
    assert.ok(result.stdout.includes(option), option);
  }
  assert.match(result.stdout, /7 {11}a leak verdict was reached/);
  assert.match(result.stdout, /128 \+ the signal number/);
});

test('bad arguments exit 2 before anything starts; a missing command exits 127', () => {
  for (const args of [['--', ], ['python3'], ['--fail-on', 'sometimes', '--', 'true'], ['--warmup', 'soon', '--', 'true'], ['--iterations-from', '(', '--', 'true'], ['--junit', '/nonexistent/dir/j.xml', '--', 'true']]) {
    const result = spawnSync(process.execPath, [CLI, 'run', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^leakscope run: /);
  }
  const missing = spawnSync(process.execPath, [CLI, 'run', '--', 'no-such-command-leakscope'], { encoding: 'utf8' });
  assert.equal(missing.status, 127);
  assert.match(missing.stderr, /no-such-command-leakscope: command not found/);
});

test('parseRunArgs: the program after --, the warm-up of run, the gate conditions', () => {
  const o = parseRunArgs(['--fail-on', 'any', '--limit', '2G', '--', 'python3', 'train.py', '--epochs', '3']);
  assert.deepEqual(o.argv, ['python3', 'train.py', '--epochs', '3']);
  assert.deepEqual(o.failOn, ['leak', 'limit']);
  assert.equal(o.warmUpMs, 30_000);
  assert.equal(o.limitBytes, 2 * 1024 ** 3);
  assert.equal(parseRunArgs(['--warmup', '0', '--', 'x']).warmUpMs, 0);
  assert.equal(parseRunArgs(['--iterations-from', 'step (\\d+)', '--', 'x']).iterationsFrom?.source, 'step (\\d+)');
});

test('a program that exits 3 by itself makes run exit 3 (its stdin is the terminal\'s)', async (t) => {
  const run = await startRun(t, ['--interval', '100ms'], 'controlled.py');
  await run.programPid();
  run.child.stdin?.write('exit 3\n');
  assert.equal(await run.exited, 3, run.stderr());
  assert.match(run.stderr(), /exited with code 3 after/);
});

test('a program that ends sooner than --min-duration with code 0 exits 8', () => {
  const result = spawnSync(process.execPath, [CLI, 'run', '--min-duration', '1h', '--', SYSTEM_PYTHON, '-c', 'pass'], { encoding: 'utf8' });
  assert.equal(result.status, 8, result.stderr);
  assert.match(result.stderr, /too short to judge \(exit 8\)/);
});

test('SIGINT to leakscope run reaches the program, and the traces and reports are written', async (t) => {
  const dir = tempDir(t);
  const [trace, junit, csv] = ['trace.json', 'junit.xml', 'trace.csv'].map((f) => join(dir, f));
  const run = await startRun(t, ['--interval', '100ms', '--trace-json', trace, '--junit', junit, '--csv', csv], 'controlled.py');
  const pid = await run.programPid();
  await run.command('alloc 20');
  // A sample has seen it, and the trace has two (the first can already be above 20 MB).
  await csvRowAbove(csv, 20 * MB, 30_000, 2);
  run.child.kill('SIGINT'); // to leakscope only: the program is in another process group
  assert.equal(await run.exited, 130, run.stderr());
  assert.match(run.stderr(), /passing SIGINT on to .*python3 \(pid \d+\)/);
  assert.match(run.stderr(), /KeyboardInterrupt/, 'the program got it');
  assert.match(run.stderr(), /was ended by SIGINT after/);
  assert.equal(isRunning(pid), false);
  const saved = JSON.parse(readFileSync(trace, 'utf8')) as { pid: number; samples: { t_ms: number[]; rss_bytes: number[] } };
  assert.equal(saved.pid, pid);
  assert.ok(saved.samples.t_ms.length >= 2);
  assert.ok(Math.max(...saved.samples.rss_bytes) > 20 * MB, 'the allocation is in the trace');
  assert.ok(readFileSync(csv, 'utf8').split('\n').length > 2);
  const cases = await readJunit(junit);
  assert.equal(cases.length, 1);
  assert.equal(cases[0].failure, undefined);
});

test('--kill-on-limit stops a runaway program at the memory limit; --fail-on limit exits 3', async (t) => {
  const dir = tempDir(t);
  const report = join(dir, 'report.json');
  const run = await startRun(t, ['--interval', '100ms', '--limit', '150M', '--kill-on-limit', '--report', report], 'leak.py', ['50', '4000']);
  const pid = await run.programPid();
  assert.equal(await run.exited, 128 + 15, run.stderr()); // SIGTERM ended it: the program's own code
  assert.match(run.stderr(), /has reached the 150 MB memory limit \(--kill-on-limit\)\. Stopping the program/);
  // Said at the start as `watch` says it: the session's limit, the user's when it is the nearest.
  assert.match(run.stderr(), new RegExp(`^leakscope run: pid ${pid}: nearest memory limit: your 150 MB limit\\.$`, 'm'));
  assert.equal(isRunning(pid), false);
  const found = readReport(report);
  assert.deepEqual(found.processes[0].limits_reached.map((l) => l.kind), ['memory']);
  assert.ok(found.processes[0].rss_peak_bytes < 400 * MB, `stopped near the limit, peak ${found.processes[0].rss_peak_bytes}`);

  const gate = await startRun(t, ['--interval', '100ms', '--limit', '150M', '--fail-on', 'limit'], 'leak.py', ['50', '4000']);
  const gatePid = await gate.programPid();
  assert.equal(await gate.exited, 3, gate.stderr());
  assert.equal(isRunning(gatePid), false);
});

test('a wrapper CMD is watched with the interpreter it starts, which the gate judges too', async (t) => {
  const dir = tempDir(t);
  const [report, junit] = ['report.json', 'junit.xml'].map((f) => join(dir, f));
  const script = `${SYSTEM_PYTHON} ${fixtureProgram('leak.py')} 50 4000; true`; // `; true`: bash forks, not execs
  const proc = await startProcess(t, process.execPath, [CLI, 'run', '--interval', '100ms', '--limit', '150M', '--fail-on', 'limit', '--report', report, '--junit', junit, '--', 'bash', '-c', script], { ready: null, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const pythonPid = Number((await proc.waitForLine(/^ready \d+/, 30_000)).split(' ')[1]);
  t.after(() => killQuietly(pythonPid));
  assert.equal(await proc.exited, 3, stderr);
  assert.match(stderr, new RegExp(`is a wrapper; also watching the Python 3\\.11 it started, pid ${pythonPid}, through bash \\(\\d+\\) → python3 \\(${pythonPid}\\)`));
  assert.equal(isRunning(pythonPid), false, 'stopped with its process group');
  const limitLines = stderr.match(/^leakscope run: pid \d+: nearest memory limit: .*$/gm) ?? [];
  assert.equal(limitLines.length, 2, `bash's and python's limit, each once: ${stderr}`);
  assert.ok(limitLines.some((line) => line.startsWith(`leakscope run: pid ${pythonPid}: nearest memory limit: your 150 MB limit.`)), stderr);
  const found = readReport(report);
  assert.deepEqual(found.processes.map((p) => p.limits_reached.length), [0, 1], 'bash stays small; python reaches the limit');
  const cases = await readJunit(junit);
  assert.deepEqual(cases.map((c) => c.failure?.type), [undefined, 'memory-limit']);
});

describe('run verdicts on real programs', { concurrency: true }, () => {
  test('a Node program run starts gets a paced full GC and nothing in its globals; --no-gc-pacing leaves it alone', async (t) => {
    const start = async (options: string[]) => {
      const proc = await startProcess(t, process.execPath, [CLI, 'run', ...options, '--', process.execPath, fixtureProgram('gc_watch.js')], { ready: null, stdio: ['pipe', 'pipe', 'pipe'] });
      const pid = Number((await proc.waitForLine(/^ready \d+/, 30_000)).split(' ')[1]);
      t.after(() => killQuietly(pid)); // its own process group: the helper's teardown does not reach it
      return proc;
    };
    const [paced, plain] = await Promise.all([start([]), start(['--no-gc-pacing'])]);
    assert.match(await paced.waitForLine(/^node-options /, 30_000), /--require ".*\/gcPacer\.js"$/);
    assert.equal(await paced.waitForLine(/^global-gc /, 30_000), 'global-gc undefined', 'the collector is reached without exposing gc to the program');
    await paced.waitForLine(/^forced gc$/, 90_000); // the first after ~10 s
    assert.doesNotMatch(await plain.waitForLine(/^node-options /, 30_000), /gcPacer/);
    assert.ok(!plain.lines.includes('forced gc'), 'no forced GC in the same time without the pacer');
  });

  test('a program leaking ~1 MB/s fails --fail-on leak with exit 7 within 90 s; its JUnit test case fails naming the verdict and slope', async (t) => {
    const dir = tempDir(t);
    const [junit, report, markdown] = ['junit.xml', 'report.json', 'summary.md'].map((f) => join(dir, f));
    const run = await startRun(t, ['--interval', '250ms', '--fail-on', 'leak', '--junit', junit, '--report', report, '--markdown', markdown, '--duration', '170s', '--fail-on', 'leak'], 'leak.py', ['1', '4000']);
    const pid = await run.programPid();
    assert.equal(await run.exited, 7, run.stderr());
    assert.equal(isRunning(pid), false, 'the leaking program was stopped');
    assert.match(run.stderr(), /a leak \(--fail-on leak\): (steady|stepwise)-leak/);
    const found = readReport(report);
    t.diagnostic(`leak gate failed after ${found.duration_ms} ms`);
    // The acceptance bound: the 30-s warm-up and the classifier's ~45 s of unbroken growth fit well inside it.
    assert.ok(found.duration_ms < 90_000, `${found.duration_ms} ms`);
    assert.equal(found.gate_failure, 'leak');
    const cases = await readJunit(junit);
    assert.equal(cases.length, 1);
    assert.match(cases[0].name, /memory of pid \d+: .*leak\.py 1 4000/);
    assert.match(cases[0].failure?.type ?? '', /^(steady|stepwise)-leak$/);
    const message = /^(steady|stepwise)-leak \(confidence 0\.\d\d, ([\d.]+) MB\/min\): /.exec(cases[0].failure?.message ?? '');
    assert.ok(message, cases[0].failure?.message);
    const mbPerMin = Number(message[2]);
    assert.ok(mbPerMin > 40 && mbPerMin < 80, `the slope of a 1 MB/s leak: ${mbPerMin} MB/min`);
    const md = readFileSync(markdown, 'utf8');
    assert.match(md, /^## Leakscope: ❌ failed/);
    assert.match(md, /\n<svg [^\n]*<polyline [^\n]*points="[\d., ]+"[^\n]*<\/svg>\n/, 'the chart, inline on one line');
  });

  test('a plateauing program runs to its end and exits 0 with a passed test case', async (t) => {
    const dir = tempDir(t);
    const junit = join(dir, 'junit.xml');
    const run = await startRun(t, ['--interval', '250ms', '--fail-on', 'leak', '--junit', junit], 'plateau.py', ['60', '5', '40']);
    assert.equal(await run.exited, 0, run.stderr());
    assert.ok(run.lines.includes('done'), 'it ran to its end');
    const cases = await readJunit(junit);
    assert.equal(cases.length, 1);
    assert.equal(cases[0].failure, undefined, run.stderr());
  });

  test('--iterations-from reads "step N" and reports bytes per step within 10% of what the program keeps', async (t) => {
    const dir = tempDir(t);
    const report = join(dir, 'report.json');
    const run = await startRun(t, ['--interval', '250ms', '--iterations-from', 'step (\\d+)', '--report', report], 'steps.py', ['256', '10', '200']);
    assert.equal(await run.exited, 0, run.stderr());
    assert.ok(run.lines.includes('step 200'), 'the output is passed through');
    const iterations = readReport(report).processes[0].iterations;
    assert.ok(iterations, run.stderr());
    const truth = 256 * KB;
    const error = Math.abs(iterations.bytes_per_iteration - truth) / truth;
    t.diagnostic(`${iterations.bytes_per_iteration.toFixed(0)} B per step against ${truth}: ${(error * 100).toFixed(1)}% off`);
    assert.ok(error < 0.1, `${iterations.bytes_per_iteration} B per step`);
    assert.equal(iterations.noun, 'step');
    assert.match(run.stderr(), /growth per iteration: \+2\d\d KB per step/);
  });
});
