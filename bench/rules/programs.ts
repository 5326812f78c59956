// Leaking programs written from a specification by someone who had not read the rules
// (test/corpus/leaking-programs: an evaluation set, never tuned on). Each program really leaks
// (its author measured RSS with ps) and marks the lines that cause it and look-alike lines that
// must stay quiet; a fixed copy changes only the cause lines. This section scans them with the
// strict rules (the editor's default) and with the hints too, as `leakscope.rules.hints:
// whenLeaking` shows them in a leaking process's files; in the fixed copies, the strict rules.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Finding, languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { shareWithWilson } from './clean';

// LEAKSCOPE_PROGRAMS_DIR points at another checkout's copy (the set is written on its own branch).
export const PROGRAMS = process.env.LEAKSCOPE_PROGRAMS_DIR ?? fromRoot('test/corpus/leaking-programs');

export interface MarkedLine {
  file: string;
  line: number;
  why?: string;
  kind?: string;
}

export interface LeakingProgram {
  id: string;
  language: string;
  run: string;
  files: string[];
  fixed: string[];
  fixed_run?: string;
  leaks: MarkedLine[];
  lookalikes: MarkedLine[];
}

export function readPrograms(): LeakingProgram[] | undefined {
  const path = join(PROGRAMS, 'manifest.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { programs: LeakingProgram[] }).programs;
}

/** The fixed copy's command: `fixed_run`, else `run` with each file replaced by its fixed copy. */
export function fixedRun(program: LeakingProgram): string {
  if (program.fixed_run) return program.fixed_run;
  return program.files.reduce((command, file, i) => (program.fixed[i] ? command.split(file).join(program.fixed[i]) : command), program.run);
}

type Tier = 'strict' | 'strict+hints';

/** Decided before the first scan: "on the line" = a finding whose range covers the marked line; "near" = its first line within 2 lines of it. */
const onLine = (f: Finding, line: number) => f.range.startLine + 1 <= line && line <= f.range.endLine + 1;
const nearLine = (f: Finding, line: number) => Math.abs(f.range.startLine + 1 - line) <= 2;

interface Tally {
  leaks: number;
  found: number;
  foundNear: number;
  lookalikes: number;
  alarms: number;
  unmarked: number;
}

function scanFile(engine: RuleEngine, file: string, cache: Map<string, Finding[]>): Finding[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const path = join(PROGRAMS, file);
  const language = languageForPath(file);
  const findings = language && existsSync(path) ? engine.scan(readFileSync(path, 'utf8'), language, { hints: true }) : [];
  cache.set(file, findings);
  return findings;
}

function tallyLeaking(engine: RuleEngine, programs: readonly LeakingProgram[], tier: Tier, cache: Map<string, Finding[]>): Tally {
  const t: Tally = { leaks: 0, found: 0, foundNear: 0, lookalikes: 0, alarms: 0, unmarked: 0 };
  for (const program of programs) {
    const findingsOf = (file: string) => scanFile(engine, file, cache).filter((f) => tier === 'strict+hints' || !f.broad);
    for (const leak of program.leaks) {
      const findings = findingsOf(leak.file);
      t.leaks++;
      if (findings.some((f) => onLine(f, leak.line))) t.found++;
      if (findings.some((f) => nearLine(f, leak.line))) t.foundNear++;
    }
    for (const lookalike of program.lookalikes) {
      t.lookalikes++;
      if (findingsOf(lookalike.file).some((f) => onLine(f, lookalike.line))) t.alarms++;
    }
    const marked = [...program.leaks, ...program.lookalikes];
    for (const file of program.files) {
      t.unmarked += findingsOf(file).filter((f) => !marked.some((m) => m.file === file && nearLine(f, m.line))).length;
    }
  }
  return t;
}

function listFindings(engine: RuleEngine, files: readonly string[], cache: Map<string, Finding[]>, strictOnly: boolean): string[] {
  return files.flatMap((file) =>
    scanFile(engine, file, cache)
      .filter((f) => !strictOnly || !f.broad)
      .map((f) => `${file}:${f.range.startLine + 1}:${f.rule}${f.broad ? ' (hint)' : ''}`),
  );
}

export function leakingPrograms(engine: RuleEngine): void {
  const programs = readPrograms();
  if (!programs) {
    console.log('\nleaking programs: test/corpus/leaking-programs/manifest.json is not there; section skipped');
    return;
  }
  const cache = new Map<string, Finding[]>();
  console.log(`\nleaking programs written from a specification (evaluation only): ${programs.length} programs, ${programs.reduce((n, p) => n + p.leaks.length, 0)} marked causes, ${programs.reduce((n, p) => n + p.lookalikes.length, 0)} look-alike lines`);
  for (const tier of ['strict', 'strict+hints'] as const) {
    const t = tallyLeaking(engine, programs, tier, cache);
    console.log(`  ${tier.padEnd(12)} causes found ${t.found}/${t.leaks}: ${shareWithWilson(t.found, t.leaks)}; within 2 lines ${t.foundNear}/${t.leaks}; look-alikes flagged ${t.alarms}/${t.lookalikes}; precision on marked lines ${shareWithWilson(t.found, t.found + t.alarms)}; findings on unmarked lines ${t.unmarked}`);
  }
  const fixedFindings = listFindings(engine, programs.flatMap((p) => p.fixed), cache, true);
  console.log(`  fixed copies (not leaking), strict rules: ${fixedFindings.length} strict findings${fixedFindings.length ? `: ${fixedFindings.join(', ')}` : ''}`);
  if (process.env.LEAKSCOPE_PROGRAMS_LIST) {
    for (const program of programs) console.log(`  ${program.id}: ${listFindings(engine, program.files, cache, false).join(', ') || 'nothing'}`);
  }
  console.log('  (The editor shows the strict findings; hints only with leakscope.rules.hints "whenLeaking" in a leaking process\'s files, or "always".)');
}
