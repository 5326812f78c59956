// Every hint the broad tier gives on the clean tuning code, with its line, for grouping them by why
// they are wrong (the bench prints only the judged sample). Tuning half only:
//   node scripts/build.mjs --tests && LEAKSCOPE_CLEAN_TUNE_ONLY=1 node out/bench/tools/listHints.js [rule]
import { readFileSync } from 'node:fs';
import { languageForPath, RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { sources } from '../rules/clean';

async function main(): Promise<void> {
  process.env.LEAKSCOPE_CLEAN_TUNE_ONLY = '1';
  const only = process.argv[2];
  const engine = await RuleEngine.create(fromRoot('dist/grammars'));
  for (const source of sources().filter((s) => s.half === 'tuning')) {
    for (const file of source.files) {
      const text = readFileSync(file.path, 'utf8');
      const lines = text.split('\n');
      for (const f of engine.scan(text, languageForPath(file.path)!, { maxBytes: 8 * 1024 * 1024, hints: true })) {
        if (!f.broad || (only && f.rule !== only)) continue;
        console.log(`${file.key}:${f.range.startLine + 1}:${f.rule}\t${(lines[f.range.startLine] ?? '').trim().slice(0, 160)}`);
      }
    }
  }
}

void main();
