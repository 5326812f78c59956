// Runs every unit test (out/test/unit/**/*.test.js, built by `build.mjs --tests`)
// with Node's own test runner. Extra arguments go to `node --test` (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
let files = find('out/test/unit');
if (filter.length) files = files.filter((f) => filter.some((pattern) => f.includes(pattern)));
if (files.length === 0) {
  console.error('run-unit: no unit test files found under out/test/unit');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--enable-source-maps', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
