// Profiling aid (issue 16): 100 sleepers watched by the sampling engine alone (default
// ProcessMonitors) or with --bare a loop of ProcfsSampler.sampleSync on the shared 1-s timer, for
// `--seconds`; prints this process's pid at once so that perf or strace can attach to it.
//   node --perf-basic-prof out/bench/tools/engineAlone.js [--bare] [--seconds N] & perf record -g -p PID
import { runTool, startSleepers } from '../lib/sleepers';
import { numberOption, watchBare, watchWithMonitors } from './harness';

async function main(): Promise<void> {
  console.log(`pid ${process.pid}`);
  const { pids, stop } = await startSleepers(100);
  const end = process.argv.includes('--bare') ? watchBare(pids) : await watchWithMonitors(pids);
  // A line every 10 s: under --trace-opt/--trace-deopt, V8's lines fall between them.
  const marks = setInterval(() => console.log(`MARK ${Math.round(process.uptime())} s`), 10_000);
  await new Promise((resolve) => setTimeout(resolve, numberOption('--seconds', 100) * 1000));
  clearInterval(marks);
  end();
  await stop();
}

runTool(main);
