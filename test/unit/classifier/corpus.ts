// The labelled corpus: real recordings listed in test/corpus/traces/manifest.json, plus the
// synthetic traces. Shared by the unit tests and bench/classifier.ts.
import { existsSync, readFileSync } from 'node:fs';
import { GROWTH_CLASSES, GrowthClass, GrowthVerdict, isLeakClass } from '../../../src/core/model';
import { readTraceFile } from '../../../src/core/trace/parse';
import { fromRoot } from '../../helpers/paths';
import { syntheticCorpus } from './synthetic';

export interface LabelledTrace {
  name: string;
  label: GrowthClass;
  source: 'real' | 'synthetic';
  tMs: ArrayLike<number>;
  rssBytes: ArrayLike<number>;
}

export interface ManifestEntry {
  class: GrowthClass;
  program?: string;
  note?: string;
}

export const TRACES_DIR = ['test', 'corpus', 'traces'];

export function readManifest(): Record<string, ManifestEntry> {
  const path = fromRoot(...TRACES_DIR, 'manifest.json');
  if (!existsSync(path)) return {};
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('manifest.json is not an object');
  const entries = (parsed as { traces?: unknown }).traces;
  if (typeof entries !== 'object' || entries === null) throw new Error('manifest.json has no "traces" object');
  return entries as Record<string, ManifestEntry>;
}

export function realCorpus(): LabelledTrace[] {
  return Object.entries(readManifest()).map(([file, entry]) => {
    const trace = readTraceFile(fromRoot(...TRACES_DIR, file));
    return {
      name: file,
      label: entry.class,
      source: 'real' as const,
      tMs: trace.samples.map((s) => s.tMs),
      rssBytes: trace.samples.map((s) => s.rssBytes),
    };
  });
}

export function fullCorpus(perClass = 40): LabelledTrace[] {
  const synthetic = syntheticCorpus(perClass).map((t) => ({ name: t.name, label: t.label, source: 'synthetic' as const, tMs: t.tMs, rssBytes: t.rssBytes }));
  return [...realCorpus(), ...synthetic];
}

export interface Scored {
  trace: LabelledTrace;
  verdict: GrowthVerdict;
}

export interface Confusion {
  /** matrix[expected][got] */
  matrix: Record<GrowthClass, Record<GrowthClass, number>>;
  correct: number;
  total: number;
  /** Leak verdicts on traces labelled flat, plateau or spiky: must be none. */
  falseLeaks: Scored[];
  wrong: Scored[];
}

export function confusion(scored: readonly Scored[]): Confusion {
  const matrix = Object.fromEntries(GROWTH_CLASSES.map((e) => [e, Object.fromEntries(GROWTH_CLASSES.map((g) => [g, 0]))])) as Confusion['matrix'];
  const result: Confusion = { matrix, correct: 0, total: scored.length, falseLeaks: [], wrong: [] };
  for (const s of scored) {
    matrix[s.trace.label][s.verdict.class]++;
    if (s.trace.label === s.verdict.class) result.correct++;
    else result.wrong.push(s);
    if (isLeakClass(s.verdict.class) && ['flat', 'plateau', 'spiky'].includes(s.trace.label)) result.falseLeaks.push(s);
  }
  return result;
}

export function formatConfusion(c: Confusion): string {
  const short: Record<GrowthClass, string> = { flat: 'flat', plateau: 'plat', spiky: 'spiky', 'steady-leak': 'steady', 'stepwise-leak': 'steps', unknown: 'unkn' };
  const lines = [`${'expected \\ got'.padEnd(15)}${GROWTH_CLASSES.map((g) => short[g].padStart(7)).join('')}   accuracy`];
  for (const e of GROWTH_CLASSES) {
    const row = c.matrix[e];
    const total = GROWTH_CLASSES.reduce((a, g) => a + row[g], 0);
    if (total === 0) continue;
    lines.push(`${e.padEnd(15)}${GROWTH_CLASSES.map((g) => String(row[g]).padStart(7)).join('')}   ${((100 * row[e]) / total).toFixed(1)}% of ${total}`);
  }
  lines.push(`overall ${((100 * c.correct) / c.total).toFixed(1)}% (${c.correct}/${c.total}); leak verdicts on flat/plateau/spiky: ${c.falseLeaks.length}`);
  return lines.join('\n');
}
