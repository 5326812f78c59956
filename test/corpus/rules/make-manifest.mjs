// Regenerates manifest.json from the `expect: rule-id` markers written by hand at the end of
// the corpus lines where a finding is expected (a comment, so no rule reads it as code).
// Run after editing the corpus: node test/corpus/rules/make-manifest.mjs
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = /\.(py|js|mjs|cjs|jsx|ts|tsx)$/;
const MARKER = /(?:#|\/\/|\/\*)[^\n]*?\bexpect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : SOURCE.test(name) ? [path] : [];
  });
}

const expected = [];
const corpus = [...files(join(here, "python")), ...files(join(here, "js"))];
for (const path of corpus) {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((text, index) => {
    const match = MARKER.exec(text);
    if (!match) return;
    for (const rule of match[1].split(',').map((r) => r.trim())) {
      expected.push({ file: relative(here, path), line: index + 1, rule });
    }
  });
}
const manifest = {
  about: 'Expected findings of the leak rules over this corpus (1-based lines). Generated from `expect:` markers by make-manifest.mjs; every other line must stay quiet.',
  files: corpus.map((path) => relative(here, path)),
  expected,
};
writeFileSync(join(here, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`manifest.json: ${expected.length} expected findings in ${manifest.files.length} files`);
