// Profiling aid (issue 16): 100 sleepers watched by the sampling engine alone (default
// ProcessMonitors) or with --bare a loop of ProcfsSampler.sampleSync on the shared 1-s timer, for
// `--seconds`; prints this process's pid at once so that perf or strace can attach to it.
//   node --perf-basic-prof out/bench/tools/engineAlone.js [--bare] [--seconds N] & perf record -g -p PID
import { ProcessMonitor } from '../../src/core/monitor';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';
import { onTick } from '../../src/core/sampling/ticker';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { runTool, startSleepers } from '../lib/sleepers';
import { numberOption } from './harness';

async function main(): Promise<void> {
  console.log(`pid ${process.pid}`);
  const { pids, stop } = await startSleepers(100);
  let end: () => void;
  if (process.argv.includes('--bare')) {
    const samplers = pids.map((pid) => ProcfsSampler.open(pid));
    const ticks = onTick(1000, () => samplers.forEach((s) => s.sampleSync()), true);
    end = () => ticks.dispose();
  } else {
    const monitors = pids.map((pid) => new ProcessMonitor(readLinuxProcessInfo(pid), { intervalMs: 1000 }));
    await Promise.all(monitors.map((m) => m.start()));
    end = () => monitors.forEach((m) => m.dispose());
  }
  // A line every 10 s: under --trace-opt/--trace-deopt, V8's lines fall between them.
  const marks = setInterval(() => console.log(`MARK ${Math.round(process.uptime())} s`), 10_000);
  await new Promise((resolve) => setTimeout(resolve, numberOption('--seconds', 100) * 1000));
  clearInterval(marks);
  end();
  await stop();
}

runTool(main);
