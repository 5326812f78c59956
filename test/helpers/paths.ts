// Tests are bundled into out/, so __dirname is not next to the source: find the repo by its package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'leakscope') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repoRoot: no leakscope package.json above ${__dirname}`);
    dir = parent;
  }
}

export function fromRoot(...parts: string[]): string {
  return join(repoRoot(), ...parts);
}
