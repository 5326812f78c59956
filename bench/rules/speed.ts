// Scan time of one big file (100 KB, 1 MB, 4 MB) of generated code with a container per function
// group, the shape where per-container work over the whole file used to make scans quadratic.
import { Language, RuleEngine } from '../../src/core/rules';
import { fileOf } from './generated';

const SIZES: ReadonlyArray<[string, number]> = [['100 KB', 100 * 1024], ['1 MB', 1024 * 1024], ['4 MB', 4 * 1024 * 1024]];
const LIMIT_MS: Readonly<Record<string, number>> = { '1 MB': 1000, '4 MB': 4000 };

export interface Generators {
  python(seed: number): string;
  ts(seed: number): string;
}

interface Timing {
  wall: number;
  /** This process's CPU time: on a loaded machine the wall time mostly measures the other processes. */
  cpu: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function bestOf(runs: number, run: () => void): Timing {
  let best: Timing = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const startedCpu = cpuMs();
    run();
    const timing = { wall: performance.now() - started, cpu: cpuMs() - startedCpu };
    if (timing.wall < best.wall) best = timing;
  }
  return best;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Prints the time per size and language; true when 1 MB <= 1 s and 4 MB <= 4 s. */
export async function fileSpeed(engine: RuleEngine, generators: Generators): Promise<boolean> {
  let ok = true;
  console.log('\nsingle-file scan time (best of 2; CPU time of this process beside it; parse-only time in brackets, and the scan as a multiple of it)');
  for (const [language, generate] of [['python', generators.python], ['typescript', generators.ts]] as const) {
    for (const [label, bytes] of SIZES) {
      const text = fileOf(bytes, generate);
      const options = { maxBytes: text.length + 1 };
      const scan = bestOf(2, () => engine.scan(text, language as Language, options));
      // The broad hint tier (issue 13) must keep the same targets when it is on.
      const withHints = bestOf(2, () => engine.scan(text, language as Language, { ...options, hints: true }));
      const parse = bestOf(2, () => engine.parsesCleanly(text, language as Language));
      const limit = LIMIT_MS[label];
      if (limit !== undefined && Math.max(scan.wall, withHints.wall) > limit) ok = false;
      console.log(
        `  ${language.padEnd(10)} ${label.padStart(6)}: ${seconds(scan.wall)} (cpu ${seconds(scan.cpu)}), with hints ${seconds(withHints.wall)} (cpu ${seconds(withHints.cpu)})  [${seconds(parse.wall)} (cpu ${seconds(parse.cpu)}); x${(scan.cpu / parse.cpu).toFixed(1)} cpu, x${(withHints.cpu / parse.cpu).toFixed(1)} with hints]` +
          (limit !== undefined ? `  (target <= ${limit / 1000} s)` : ''),
      );
    }
  }
  return ok;
}
