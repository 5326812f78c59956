// The A/B tools' shared step (issue 16): a base revision's src checked out beside this tree, and a
// harness that imports both bundled and run in one process, so the two take turns on one machine.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The base revision's src in `work`/base, with this tree's node_modules; returns the folder. */
export function checkOutBase(work, base) {
  const baseDir = join(work, 'base');
  execFileSync('bash', ['-c', `mkdir -p "${baseDir}" && git -C "${root}" archive "${base}" src | tar -x -C "${baseDir}"`]);
  symlinkSync(join(root, 'node_modules'), join(baseDir, 'node_modules'));
  return baseDir;
}

/** Bundles `harness(baseDir)` (TypeScript source) and runs it, its output inherited; the temp folder goes after. */
export async function runHarnessAgainst(base, prefix, harness) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  try {
    writeFileSync(join(work, 'ab.ts'), harness(checkOutBase(work, base)));
    await esbuild.build({ entryPoints: [join(work, 'ab.ts')], outfile: join(work, 'ab.js'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
    execFileSync(process.execPath, [join(work, 'ab.js')], { stdio: 'inherit' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
