// Another revision's code, built now and loaded beside this build's, so that a bench measures a
// change against its baseline in the same run (the same load, the same processes watched).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = process.cwd(); // run-bench.mjs runs from the repository's root

/** buildAtRevision's revision for src as it is in the working tree now, uncommitted changes included. */
export const WORK_TREE = '(working tree)';

/**
 * `entry` (a path under the repository) as it is at `revision`, bundled and required. With
 * `entrySource`, `entry` is first written with that text (a module of the bench's own that
 * re-exports what it needs from that revision, so that they share one bundle's module state).
 */
export async function buildAtRevision<T>(revision: string, entry: string, entrySource?: string): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'leakscope-baseline-'));
  // Every process of a bench builds its own (the sampling bench: a dozen, ~3 MB each, a run).
  process.once('exit', () => rmSync(work, { recursive: true, force: true }));
  const copy = revision === WORK_TREE ? 'cp -r "$1/src" "$3/"' : 'git -C "$1" archive "$2" src | tar -x -C "$3"';
  execFileSync('bash', ['-c', copy, 'archive', root, revision, work]);
  if (entrySource !== undefined) writeFileSync(join(work, entry), entrySource);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  const outfile = join(work, 'baseline.js');
  // Bundled as this build's benches are (scripts/build.mjs): inlining node_modules and leaving out
  // the source map made identical code ~20% dearer in the sampling bench (0.81–0.88× in 5 runs).
  const options = JSON.parse(readFileSync(join(root, 'scripts/node-bundle-options.json'), 'utf8')) as esbuild.BuildOptions;
  await esbuild.build({ ...options, entryPoints: [join(work, entry)], outfile, logLevel: 'error' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file built just now
  return require(outfile) as T;
}
