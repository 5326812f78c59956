// Profiling aid (issue 16): wall time of the sampling engine's parts per sample, timed inside the
// real setting (100 sleepers, default ProcessMonitors, real timers): the whole tick, the sampler's
// read, the history's push, each wrapped with performance.now(). Prints µs a sample every 20 s.
//   node --expose-gc out/bench/tools/engineTimed.js [--seconds N]
import { performance } from 'node:perf_hooks';
import { ProcessMonitor } from '../../src/core/monitor';
import { SampleHistory } from '../../src/core/history/sampleHistory';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';
import { ColumnStore } from '../../src/core/history/columns';
import { runTool, startSleepers } from '../lib/sleepers';
import { numberOption, watchWithMonitors } from './harness';

const spent = new Map<string, number>();
let samples = 0;

function timed<T extends object>(prototype: T, name: keyof T & string, row: string, counts = false): void {
  const original = prototype[name] as unknown as (...args: unknown[]) => unknown;
  (prototype as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      spent.set(row, (spent.get(row) ?? 0) + performance.now() - start);
      if (counts) samples++;
    }
  };
}

async function main(): Promise<void> {
  timed(SampleHistory.prototype, 'push', 'history.push', true);
  timed(ProcfsSampler.prototype, 'sampleSync', 'sampler.sampleSync');
  if (process.argv.includes('--columns')) {
    timed(ColumnStore.prototype, 'write', 'columns.write');
    timed(ColumnStore.prototype as unknown as Record<string, unknown>, 'writeOptional', 'columns.writeOptional');
  }
  timed(ProcessMonitor.prototype as unknown as Record<string, unknown>, 'onTick', 'monitor onTick (all of a tick)');
  const { pids, stop } = await startSleepers(100);
  const stopWatching = await watchWithMonitors(pids);
  const report = setInterval(() => {
    console.log(`${Math.round(process.uptime())} s: ${[...spent].map(([row, ms]) => `${row} ${((ms * 1000) / samples).toFixed(2)} µs`).join(', ')} (${samples} samples)`);
    spent.clear();
    samples = 0;
  }, 20_000);
  await new Promise((resolve) => setTimeout(resolve, numberOption('--seconds', 160) * 1000));
  clearInterval(report);
  stopWatching();
  await stop();
}

runTool(main);
