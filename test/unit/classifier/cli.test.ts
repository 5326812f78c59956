// `leakscope classify` as a user runs it: the built CLI on files written by format.ts's writers
// (what `leakscope watch --csv` and the panel's export produce) and on a real mprof recording.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySample, Trace } from '../../../src/core/model';
import { csvHeader, sampleToCsvRow, traceToJson } from '../../../src/core/trace/format';
import { fromRoot } from '../../helpers/paths';
import { generate } from './synthetic';

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'leakscope-classify-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [fromRoot('dist', 'cli.js'), 'classify', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function samples(tMs: number[], rss: number[]): MemorySample[] {
  return tMs.map((t, i) => ({ tMs: t, rssBytes: rss[i], deltaBytes: i ? rss[i] - rss[i - 1] : 0, threads: 4, fds: 12, childrenRssBytes: 0, childCount: 0, cpuPercent: 3.5 }));
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('classify --json on a CSV streamed the way `leakscope watch --csv` writes it', () => {
  const g = generate({ durationS: 1800, intervalS: 1, levelBytes: 500 * MB, noiseSigmaBytes: 2 * MB, leak: { bytesPerS: (3 * MB) / 60 } }, 1);
  const rows = [csvHeader(), ...samples(g.tMs, g.rssBytes).map(sampleToCsvRow)];
  const r = cli(write('watch.csv', rows.join('\n') + '\n'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const out: unknown = JSON.parse(r.stdout);
  assert.ok(typeof out === 'object' && out !== null);
  const v = out as Record<string, unknown>;
  assert.equal(v.class, 'steady-leak');
  assert.ok(typeof v.confidence === 'number' && v.confidence >= 0.9 && v.confidence <= 1);
  assert.ok(typeof v.slope_bytes_per_s === 'number' && Math.abs(v.slope_bytes_per_s - (3 * MB) / 60) < 5000);
  assert.ok(typeof v.slope_uncertainty_bytes_per_s === 'number' && v.slope_uncertainty_bytes_per_s > 0);
  assert.equal(v.regime_start_ms, g.tMs[0]);
  assert.equal(v.plateau_bytes, null);
  assert.equal(v.samples, g.tMs.length);
  assert.match(String(v.explanation), /^Steady leak: baseline grows 3\.\d+ MB\/min/);
  assert.equal(v.fix, null);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'one JSON object');
});

test('classify on a panel JSON export with a fix marker compares before and after', () => {
  const before = generate({ durationS: 1800, intervalS: 1, levelBytes: 300 * MB, noiseSigmaBytes: MB, leak: { bytesPerS: (4 * MB) / 60 } }, 2);
  const fixAt = before.tMs[before.tMs.length - 1] + 5000;
  const after = generate({ durationS: 1800, intervalS: 1, startMs: fixAt, levelBytes: 300 * MB, noiseSigmaBytes: MB, warmup: { riseBytes: 50 * MB, durationS: 60, shape: 'linear' } }, 3);
  const trace: Trace = {
    pid: 4242,
    command: 'python serve.py',
    samples: samples([...before.tMs, ...after.tMs], [...before.rssBytes, ...after.rssBytes]),
    events: [{ tMs: fixAt, kind: 'fix-applied', label: 'Fix applied' }],
  };
  const path = write('export.json', traceToJson(trace));
  const json = JSON.parse(cli(path, '--json').stdout) as { class: string; fix: { outcome: string; leak_gone: boolean; before_bytes_per_s: number } };
  assert.equal(json.fix.outcome, 'gone');
  assert.equal(json.fix.leak_gone, true);
  assert.ok(json.fix.before_bytes_per_s > 50_000);
  const human = cli(path);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /^.*export\.json: 3\d{3} samples over 1 h \(pid 4242: python serve\.py\)\n/);
  assert.match(human.stdout, /\nLeak gone: before 4\.\d+ MB\/min/);
});

test('classify reads a real mprof recording (memory_profiler 0.61, `mprof run`)', () => {
  const r = cli(fromRoot('test', 'corpus', 'traces', 'real', 'py-leak-steps-mprof.dat'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout) as { class: string; slope_bytes_per_s: number };
  assert.equal(v.class, 'stepwise-leak');
  assert.ok(v.slope_bytes_per_s > 1 * MB / 60);
});

test('human output: explanation first, then the numbers; --fail-on-leak exits 1 on a leak', () => {
  const g = generate({ durationS: 900, intervalS: 1, levelBytes: 100 * MB, noiseSigmaBytes: 0.2 * MB }, 4);
  const path = write('flat.csv', [csvHeader(), ...samples(g.tMs, g.rssBytes).map(sampleToCsvRow)].join('\n'));
  const r = cli(path, '--fail-on-leak');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[1], /^Flat: baseline steady at [\d.]+ MB/);
  assert.match(lines[2], /^ {2}class +flat \(confidence (0\.\d+|1)\)$/);
  const leak = generate({ durationS: 900, intervalS: 1, levelBytes: 100 * MB, noiseSigmaBytes: 0.2 * MB, leak: { bytesPerS: 50_000 } }, 4);
  const leakPath = write('leak.csv', [csvHeader(), ...samples(leak.tMs, leak.rssBytes).map(sampleToCsvRow)].join('\n'));
  assert.equal(cli(leakPath, '--fail-on-leak').status, 1);
});

test('a malformed trace: exit 2 and a message naming the file and the line', () => {
  const path = write('bad.csv', 't_ms,rss_bytes\n1,100\n2,200\n3,300\n4,400\n5,500\n6,abc\n');
  const r = cli(path);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim(), `leakscope classify: ${path}: line 7: rss_bytes is not a number: 'abc'`);
  const missing = cli(join(dir, 'nope.csv'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.csv: no such file/);
  assert.equal(cli().status, 2);
  assert.match(cli(path, '--fix-at', 'soon').stderr, /--fix-at wants a time in epoch ms/);
});

test('classify --replay --json: one object per change of the live verdict, in time order, the last one final and equal to the whole-file verdict', () => {
  const g = generate({ durationS: 900, intervalS: 1, levelBytes: 300 * MB, noiseSigmaBytes: 1 * MB, leak: { bytesPerS: (6 * MB) / 60, onsetS: 300 } }, 4);
  const path = write('replay.csv', [csvHeader(), ...samples(g.tMs, g.rssBytes).map(sampleToCsvRow)].join('\n') + '\n');
  const r = cli(path, '--replay', '--json');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t_ms: number; class: string; confidence: number; slope_bytes_per_s: number });
  assert.ok(lines.length >= 2, r.stdout);
  for (const l of lines) {
    assert.equal(typeof l.t_ms, 'number');
    assert.equal(typeof l.confidence, 'number');
    assert.equal(typeof l.slope_bytes_per_s, 'number');
  }
  assert.ok(lines.every((l, i) => i === 0 || l.t_ms >= lines[i - 1].t_ms), 'in time order');
  assert.equal(lines[0].class, 'unknown', 'a replay starts undecided');
  const whole = JSON.parse(cli(path, '--json').stdout) as { class: string };
  // Both a leak; steady and stepwise may differ by a look of hysteresis at the end.
  assert.ok(lines[lines.length - 1].class.endsWith('-leak'), lines[lines.length - 1].class);
  assert.ok(['steady-leak', 'stepwise-leak'].includes(whole.class), whole.class);
  // The leak starts at 5 min: the replay must not have called it before it began.
  const firstLeak = lines.find((l) => l.class.endsWith('-leak'));
  assert.ok(firstLeak && firstLeak.t_ms - g.tMs[0] > 300_000, JSON.stringify(firstLeak));
});
