// The structure checks that `npm run lint` runs: the import-cycle check must fail on a cycle
// (a check that cannot fail keeps nothing), and the tree as it is has none.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot, repoRoot } from '../helpers/paths';

function checkCycles(...folders: string[]) {
  return spawnSync(process.execPath, [fromRoot('scripts', 'check-cycles.mjs'), ...folders], { cwd: repoRoot(), encoding: 'utf8' });
}

describe('the import-cycle check', () => {
  it('fails on a cycle through an index module, type-only imports included, and names its files', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'leakscope-cycles-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'index.ts'), "export { decimate } from './decimate';\n");
    writeFileSync(join(dir, 'model', 'decimate.ts'), "import type { Point } from '../series';\nexport const decimate = (p: Point) => p;\n");
    writeFileSync(join(dir, 'series.ts'), "import { decimate } from './model';\nexport interface Point { x: number }\nexport const s = decimate;\n");
    writeFileSync(join(dir, 'leaf.ts'), "import { s } from './series';\nexport const leaf = s;\n");
    const result = checkCycles(dir);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /import cycle: .*model\/decimate\.ts <-> .*model\/index\.ts <-> .*series\.ts/);
    assert.doesNotMatch(result.stderr, /leaf\.ts/, 'a module that only imports the cycle is not in it');
  });

  it('passes over src/ and webview/ as they are', () => {
    const result = checkCycles('src', 'webview');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no import cycles among \d+ modules/);
  });
});
