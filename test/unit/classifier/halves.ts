// The classifier's two corpora. Tuning: the synthetic corpus and the first real recordings
// (written together with the classifier: a regression floor), the recorded programs marked
// `half: "tune"`, and traces generated from the text alone by someone who had not read
// the classifier (test/corpus/traces/tune-spec and tune-spec2, when present: the tuning half's own
// spec-written sets, so that tuning meets what the evaluation's kind of set holds). Evaluation, never tuned on:
// traces generated from a written specification by someone else who had not read the classifier
// (test/corpus/traces/eval-spec), and the recorded programs marked `half: "eval"` (all
// recordings of one program sit in one half).
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

/** A generated set's manifest entry: its half, when given, must be the set's. */
type GeneratedEntry = Omit<RecordedEntry, 'half'> & { half?: RecordedEntry['half'] };

export interface Halves {
  tune: LabelledTrace[];
  evaluation: LabelledTrace[];
  notes: string[];
}

export interface HalvesOptions {
  /** Leave the evaluation half out entirely (not even generated): for the measuring done while tuning. */
  tuningOnly?: boolean;
}

export function corpusHalves(perClass = 40, options: HalvesOptions = {}): Halves {
  const notes: string[] = [];
  const recorded = recordedCorpus(notes);
  return {
    tune: [...fullCorpus(perClass), ...recorded.filter((r) => r.half === 'tune').map((r) => r.trace), ...generatedCorpus('tune-spec', 'tune', notes), ...generatedCorpus('tune-spec2', 'tune', notes)],
    evaluation: options.tuningOnly ? [] : [...generatedCorpus('eval-spec', 'eval', notes), ...recorded.filter((r) => r.half === 'eval').map((r) => r.trace)],
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

/** A set generated from a written specification, and the half it belongs to. */
type GeneratedSet = 'tune-spec' | 'tune-spec2' | 'eval-spec';

/**
 * Runs a specification's generator (test/corpus/traces/<set>/generate.mjs) into a temporary
 * folder and reads what it wrote. Every entry must say it belongs to `half`: a case moved between
 * halves would be caught here, not silently counted twice.
 */
function generatedCorpus(set: GeneratedSet, half: 'tune' | 'eval', notes: string[]): LabelledTrace[] {
  const generator = fromRoot(...TRACES_DIR, set, 'generate.mjs');
  if (!existsSync(generator)) {
    notes.push(`no ${set} corpus (test/corpus/traces/${set}/generate.mjs missing)`);
    return [];
  }
  const out = mkdtempSync(join(tmpdir(), `leakscope-${set}-`));
  try {
    const run = spawnSync(process.execPath, [generator, out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${set} generator failed: ${run.stderr}`);
    const all = listOf<GeneratedEntry>(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const misplaced = all.filter((e) => e.half !== undefined && e.half !== half);
    if (misplaced.length) throw new Error(`${set}: ${misplaced.length} traces are not marked half "${half}"`);
    const entries = all.filter((e) => !e.ambiguous);
    notes.push(`${set} corpus: ${entries.length} traces (${all.length - entries.length} marked ambiguous left out)`);
    return entries.map((e) => fromFile(`${set}/${e.file}`, e.class, join(out, e.file), 'synthetic'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Manifests list traces as an array, or as `{ traces | files | cases: [...] }` / `{ traces: { file: entry } }`. */
function listOf<T extends { file: string }>(parsed: unknown): T[] {
  const root = parsed as { traces?: unknown; files?: unknown; cases?: unknown };
  const list = Array.isArray(parsed) ? parsed : root.traces ?? root.files ?? root.cases;
  if (Array.isArray(list)) return list as T[];
  if (list && typeof list === 'object') return Object.entries(list as Record<string, Omit<T, 'file'>>).map(([file, e]) => ({ ...e, file }) as T);
  throw new Error('a trace manifest must list traces');
}
