// Evaluation aid: runs each program of test/corpus/leaking-programs (written from a specification
// by someone who had not read Leakscope) and its fixed copy under `leakscope run`, and prints
// whether and when the verdict called a leak. A leaking program should be called within the
// time given; a fixed copy never. Slow (minutes a program): run by hand, not in CI.
//   node scripts/build.mjs --tests && node out/bench/tools/runLeakingPrograms.js [--minutes 6] [--jobs 3] [--only id,id] [--watch-only] [--traces DIR]
// --watch-only runs each for the whole time (no --fail-on: "called" is then the run's first leak
// alert, kept in its report); --traces keeps each run's trace (--trace-json) in DIR to replay.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../test/helpers/paths';
import { fixedRun, LeakingProgram, PROGRAMS, readPrograms } from '../rules/programs';
import { numberOption, option } from './harness';

const MINUTES = numberOption('--minutes', 6);
const JOBS = numberOption('--jobs', 3);
const ONLY = new Set(option('--only', '').split(',').filter(Boolean));
const WATCH_ONLY = process.argv.includes('--watch-only');
const TRACES = option('--traces', '');
const CLI = fromRoot('dist/cli.js');
const LEAK_EXIT = 7;

interface Outcome {
  id: string;
  variant: 'leaking' | 'fixed';
  calledLeak: boolean;
  seconds: number;
  verdict: string;
  rssMb: string;
}

interface ReportVerdict {
  class: string;
  confidence: number;
  slope_bytes_per_s: number;
}

interface ReportProcess {
  verdict: ReportVerdict | null;
  leak: ReportVerdict | null;
  rss_start_bytes: number;
  rss_end_bytes: number;
}

const verdictText = (v: ReportVerdict) => `${v.class} ${(100 * v.confidence).toFixed(0)}% ${((v.slope_bytes_per_s * 60) / 1e6).toFixed(2)} MB/min`;

async function runOne(program: LeakingProgram, variant: Outcome['variant'], dir: string): Promise<Outcome> {
  const command = (variant === 'leaking' ? program.run : fixedRun(program)).split(/\s+/).filter(Boolean);
  const report = join(dir, `${program.id}-${variant}.json`);
  const gate = WATCH_ONLY ? [] : ['--fail-on', 'leak'];
  const trace = TRACES ? ['--trace-json', join(TRACES, `${program.id}-${variant}.json`)] : [];
  const args = [CLI, 'run', ...gate, ...trace, '--duration', `${MINUTES}m`, '--kill-on-limit', '--report', report, '--', ...command];
  const startedMs = Date.now();
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROGRAMS, stdio: 'ignore' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const seconds = (Date.now() - startedMs) / 1000;
  let verdict = '(no report)';
  let rssMb = '';
  let alerted = false;
  try {
    const watched = (JSON.parse(readFileSync(report, 'utf8')) as { processes: ReportProcess[] }).processes[0];
    alerted = Boolean(watched?.leak);
    // The first leak alert when there was one (the one that ended a gated run), and the last verdict.
    verdict = [watched?.leak && `alert ${verdictText(watched.leak)}`, watched?.verdict && `last ${verdictText(watched.verdict)}`].filter(Boolean).join('; ') || '(no verdict)';
    if (watched) rssMb = `${(watched.rss_start_bytes / 1e6).toFixed(0)}→${(watched.rss_end_bytes / 1e6).toFixed(0)} MB`;
  } catch {
    // The run ended without writing its report: the exit code says why.
  }
  return { id: program.id, variant, calledLeak: WATCH_ONLY ? alerted : exitCode === LEAK_EXIT, seconds, verdict, rssMb };
}

/** Runs `tasks` with at most JOBS at once, printing each outcome as it ends. */
async function runAll(tasks: Array<() => Promise<Outcome>>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const outcome = await tasks[next++]();
      outcomes.push(outcome);
      console.log(`${outcome.id.padEnd(36)} ${outcome.variant.padEnd(8)} ${outcome.calledLeak ? `leak called at ${outcome.seconds.toFixed(0)} s` : `no leak in ${outcome.seconds.toFixed(0)} s`.padEnd(20)}  ${outcome.verdict}  ${outcome.rssMb}`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  return outcomes;
}

async function main(): Promise<void> {
  const programs = (readPrograms() ?? []).filter((p) => ONLY.size === 0 || ONLY.has(p.id));
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-programs-'));
  console.log(`${programs.length} programs and their fixed copies under leakscope run${WATCH_ONLY ? '' : ' --fail-on leak'}, ${MINUTES} min each at most, ${JOBS} at once`);
  try {
    const tasks = programs.flatMap((p) => (['leaking', 'fixed'] as const).map((variant) => () => runOne(p, variant, dir)));
    const outcomes = await runAll(tasks);
    const leaking = outcomes.filter((o) => o.variant === 'leaking');
    const fixed = outcomes.filter((o) => o.variant === 'fixed');
    const called = leaking.filter((o) => o.calledLeak);
    const times = called.map((o) => o.seconds).sort((a, b) => a - b);
    console.log(`\nleaking programs called a leak: ${called.length}/${leaking.length}${times.length ? ` (median ${times[Math.floor(times.length / 2)].toFixed(0)} s, slowest ${times[times.length - 1].toFixed(0)} s)` : ''}`);
    console.log(`fixed copies called a leak: ${fixed.filter((o) => o.calledLeak).length}/${fixed.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
