// One scan of a generated file, for a CPU profile of the rules engine on a big file:
//   node scripts/build.mjs --tests && node --cpu-prof --cpu-prof-dir=DIR out/bench/tools/scanOnce.js [ts|python] [MB]
import { RuleEngine } from '../../src/core/rules';
import { fromRoot } from '../../test/helpers/paths';
import { fileOf, generatedPython, generatedTs } from '../rules/generated';

async function main(): Promise<void> {
  const language = process.argv[2] === 'python' ? 'python' : 'typescript';
  const bytes = Number(process.argv[3] ?? 4) * 1024 * 1024;
  const text = fileOf(bytes, language === 'python' ? generatedPython : generatedTs);
  const engine = await RuleEngine.create(fromRoot('dist/grammars'));
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const findings = engine.scan(text, language, { maxBytes: text.length + 1 });
    const used = process.cpuUsage(cpu);
    console.log(`${language} ${(text.length / 1024 / 1024).toFixed(1)} MB: ${((performance.now() - started) / 1000).toFixed(2)} s (cpu ${((used.user + used.system) / 1e6).toFixed(2)} s), ${findings.length} findings`);
  }
}

void main();
