// Evaluation aid: replays the traces runLeakingPrograms --traces DIR kept (each leaking program of
// test/corpus/leaking-programs and its fixed copy, recorded under `leakscope run`) through the
// classifier as a launched run judges them (its 30-s warm-up, a live session's cadence), and
// prints, per alert bar, how many leaking programs and how many fixed copies would alert and when,
// and each trace's last verdict. The shipped bar is LEAK_NOTIFY_CONFIDENCE; the others show what
// moving it would cost and buy on programs nobody here wrote. Evaluation only: never tune on it.
//   node out/bench/tools/replayProgramTraces.js DIR
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readTraceFile } from '../../src/core/trace/parse';
import { LAUNCHED_WARM_UP_MS, LEAK_NOTIFY_CONFIDENCE } from '../../src/core/session';
import { ALERT_BARS, firstLeakAt, LiveLook, replayLooks, SESSION_CADENCE } from '../lib/liveLooks';

interface Replayed {
  name: string;
  leaking: boolean;
  looks: LiveLook[];
  durationS: number;
}

function replay(dir: string, file: string): Replayed {
  const samples = readTraceFile(join(dir, file)).samples;
  const tMs = samples.map((s) => s.tMs);
  const rssBytes = samples.map((s) => s.rssBytes);
  const leaking = file.endsWith('-leaking.json');
  const trace = { name: file, label: leaking ? 'steady-leak' : 'flat', source: 'real', tMs, rssBytes } as const;
  // The run measures its warm-up from the process's start; its first sample is within a second of it.
  const looks = replayLooks(trace, { ...SESSION_CADENCE, leakNotBeforeMs: tMs[0] + LAUNCHED_WARM_UP_MS });
  return { name: file.replace(/\.json$/, ''), leaking, looks, durationS: (tMs[tMs.length - 1] - tMs[0]) / 1000 };
}

function summary(replays: readonly Replayed[], bar: number): string {
  const times = replays.map((r) => firstLeakAt(r.looks, bar)).filter(Number.isFinite).sort((a, b) => a - b);
  const when = times.length ? ` (median ${times[times.length >> 1].toFixed(0)} s, latest ${times[times.length - 1].toFixed(0)} s)` : '';
  return `${times.length}/${replays.length}${when}`;
}

function main(): void {
  const dir = process.argv[2];
  const replays = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => replay(dir, f));
  for (const r of replays) {
    const last = r.looks[r.looks.length - 1];
    const alerts = ALERT_BARS.map((bar) => `≥${bar}: ${Number.isFinite(firstLeakAt(r.looks, bar)) ? `${firstLeakAt(r.looks, bar).toFixed(0)} s` : '-'}`).join('  ');
    console.log(`${r.name.padEnd(32)} ${r.durationS.toFixed(0).padStart(4)} s  last ${last ? `${last.analysis.class} ${(100 * last.confidence).toFixed(0)}%` : 'unknown'}  alert ${alerts}`);
  }
  for (const bar of ALERT_BARS) {
    const shipped = bar === LEAK_NOTIFY_CONFIDENCE ? ' (shipped)' : '';
    console.log(`bar ≥ ${bar}${shipped}: leaking programs alerted ${summary(replays.filter((r) => r.leaking), bar)}; fixed copies alerted ${summary(replays.filter((r) => !r.leaking), bar)}`);
  }
  const lastRight = replays.filter((r) => { const last = r.looks[r.looks.length - 1]; return last && last.leak === r.leaking; });
  console.log(`last verdict a leak exactly for the leaking programs: ${lastRight.length}/${replays.length}`);
}

main();
