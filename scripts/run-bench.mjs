// Runs each benchmark (out/bench/*.js) in its own process, one after another, so that
// they do not disturb each other's timings. A bench prints its own figures and ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// Names pick the benches; flags (--tuning-only, --accuracy-only, ...) go to each of them.
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const dir = 'out/bench';
const benches = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.js') && (only.length === 0 || only.some((o) => f.includes(o)))).sort()
  : [];
if (benches.length === 0) {
  console.error('run-bench: no benchmarks built under out/bench');
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.replace(/\.js$/, '')} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', join(dir, bench), ...flags], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
