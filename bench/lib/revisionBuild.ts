// Another revision's code, built now and loaded beside this build's, so that a bench measures a
// change against its baseline in the same run (the same load, the same processes watched).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = process.cwd(); // run-bench.mjs runs from the repository's root

/** `entry` (a path under the repository) as it is at `revision`, bundled and required. */
export async function buildAtRevision<T>(revision: string, entry: string): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'leakscope-baseline-'));
  execFileSync('bash', ['-c', 'git -C "$1" archive "$2" src | tar -x -C "$3"', 'archive', root, revision, work]);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const outfile = join(work, 'baseline.js');
  await esbuild.build({ entryPoints: [join(work, entry)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', external: ['vscode'] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file built just now
  return require(outfile) as T;
}
