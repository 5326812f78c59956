// A scratch directory for one test file, removed when its tests end, and a writer whose names
// never collide (a counter prefix), so cases that reuse a name do not overwrite each other.
import test from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDir {
  readonly dir: string;
  /** Writes `content` to a new file named after `name` and returns its path. */
  write(name: string, content: string | Buffer): string;
}

export function scratchDir(prefix: string): ScratchDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  let fileCount = 0;
  return {
    dir,
    write(name, content) {
      const path = join(dir, `${fileCount++}-${name}`);
      writeFileSync(path, content);
      return path;
    },
  };
}
