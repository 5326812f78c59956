// The rules bench's single-file speed section alone (bench/rules/speed.ts: generated TS and Python
// files of 100 KB, 1 MB and 4 MB, scan, scan with hints and parse alone), for A/B runs against
// another build (bench/tools/speedAB.mjs).
//   node scripts/build.mjs --tests && node --expose-gc out/bench/tools/fileSpeedOnly.js
import { RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { generatedPython, generatedTs } from '../rules/generated';
import { fileSpeed } from '../rules/speed';

async function main(): Promise<void> {
  const engine = await RuleEngine.create(fromRoot('dist/grammars'));
  try {
    await fileSpeed(engine, { python: generatedPython, ts: generatedTs });
  } finally {
    engine.dispose();
  }
}

void main();
