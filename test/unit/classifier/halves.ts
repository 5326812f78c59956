// The classifier's two corpora. Tuning: the synthetic corpus and the first real recordings
// (written together with the classifier: a regression floor), the recorded programs marked
// `half: "tune"`. Evaluation, never tuned on: traces generated from a written specification by
// someone who had not read the classifier (test/corpus/traces/eval-spec), and the recorded
// programs marked `half: "eval"` (all recordings of one program sit in one half).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrowthClass } from '../../../src/core/model';
import { readTraceFile } from '../../../src/core/trace/parse';
import { fromRoot } from '../../helpers/paths';
import { LabelledTrace, TRACES_DIR, fullCorpus } from './corpus';

interface RecordedEntry {
  file: string;
  class: GrowthClass;
  half: 'tune' | 'eval';
  ambiguous?: boolean;
}

export interface Halves {
  tune: LabelledTrace[];
  evaluation: LabelledTrace[];
  notes: string[];
}

export function corpusHalves(perClass = 40): Halves {
  const notes: string[] = [];
  const recorded = recordedCorpus(notes);
  return {
    tune: [...fullCorpus(perClass), ...recorded.filter((r) => r.half === 'tune').map((r) => r.trace)],
    evaluation: [...specCorpus(notes), ...recorded.filter((r) => r.half === 'eval').map((r) => r.trace)],
    notes,
  };
}

function fromFile(name: string, label: GrowthClass, path: string, source: LabelledTrace['source']): LabelledTrace {
  const trace = readTraceFile(path);
  return { name, label, source, tMs: trace.samples.map((s) => s.tMs), rssBytes: trace.samples.map((s) => s.rssBytes) };
}

function recordedCorpus(notes: string[]): { half: 'tune' | 'eval'; trace: LabelledTrace }[] {
  const dir = fromRoot(...TRACES_DIR, 'recorded');
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) {
    notes.push('no recorded programs (test/corpus/traces/recorded/manifest.json missing)');
    return [];
  }
  const entries = listOf<RecordedEntry>(JSON.parse(readFileSync(manifest, 'utf8')));
  const usable = entries.filter((e) => !e.ambiguous);
  notes.push(`recorded programs: ${usable.length} traces (${entries.length - usable.length} marked ambiguous left out)`);
  return usable.map((e) => ({ half: e.half, trace: fromFile(`recorded/${e.file}`, e.class, join(dir, e.file), 'real') }));
}

/** Runs the specification's generator into a temporary folder and reads what it wrote. */
function specCorpus(notes: string[]): LabelledTrace[] {
  const generator = fromRoot(...TRACES_DIR, 'eval-spec', 'generate.mjs');
  if (!existsSync(generator)) {
    notes.push('no specification corpus (test/corpus/traces/eval-spec/generate.mjs missing)');
    return [];
  }
  const out = mkdtempSync(join(tmpdir(), 'leakscope-eval-spec-'));
  try {
    const run = spawnSync(process.execPath, [generator, out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`eval-spec generator failed: ${run.stderr}`);
    const entries = listOf<RecordedEntry>(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).filter((e) => !e.ambiguous);
    notes.push(`specification corpus: ${entries.length} traces`);
    return entries.map((e) => fromFile(`eval-spec/${e.file}`, e.class, join(out, e.file), 'synthetic'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Manifests list traces as an array, or as `{ traces: [...] }` / `{ traces: { file: entry } }`. */
function listOf<T extends { file: string }>(parsed: unknown): T[] {
  const root = parsed as { traces?: unknown; files?: unknown };
  const list = Array.isArray(parsed) ? parsed : root.traces ?? root.files;
  if (Array.isArray(list)) return list as T[];
  if (list && typeof list === 'object') return Object.entries(list as Record<string, Omit<T, 'file'>>).map(([file, e]) => ({ ...e, file }) as T);
  throw new Error('a trace manifest must list traces');
}
