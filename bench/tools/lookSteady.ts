// The CPU of a look in a long watch (issue 16): the sampling bench's minutes 8–10, where the
// product profile found a look at a steady process costing ~170 µs while lookCostAB's warmed look
// cost a fraction of that. 100 live classifiers (a WatchSession's options: quiet looks, warm-up)
// read processes at 1 Hz in lockstep, trace time fast-forwarded (the classifier has no clock):
// clock times as a session stamps them (Date.now, a few ms of jitter) and a constant RSS, as the
// bench's `sleep`s hold; with --wander every tenth process moves between a few pages instead (a
// second shape of trace). Prints the CPU of the pushes and looks from trace second FROM to SECONDS
// divided by the looks (process.cpuUsage: V8's compiler threads included), and the wall time of
// the classifier's own calls a look.
//   --rounds N   fresh sets of classifiers, one after another in the same process: the first is
//                what a watch sees (its code met as the trace grows), later ones warm code
//   --slice N    also each N seconds of trace on its own (a transition: the 512-s coarsening)
//   --thrash MB  sweep MB of memory between two classifiers' calls, as the rest of the product
//                does between two looks: the look then starts from cold caches (the CPU figure
//                then counts the sweeps; read the wall time of the calls)
//   --heap       bytes allocated a look (V8's sampling heap profiler; it slows the CPU figure)
//   --profile    self time a look by function (V8's sampling profiler; it slows everything)
//   --watched N  classifiers read in lockstep (default 100, the bench's; more for a steadier profile)
//   --mark       print "@@ S" where each slice starts (trace second S), to split a --trace-deopt log
//   node scripts/build.mjs --tests && node out/bench/tools/lookSteady.js [--seconds 600] [--from 480] [--rounds 1] [...]
import { HeapNode, heapTotal, numberOption, post, Profile, selfTimes, startProfilers, sweepCache, sweptSum, watchClassifier } from './harness';
import { steadyReading, steadyStamp } from './steadyTrace';

const flag = (name: string): boolean => process.argv.includes(name);
const SECONDS = numberOption('--seconds', 600);
/** Classifiers read in lockstep: 100 as the bench watches; more give a profile enough samples. */
const WATCHED = numberOption('--watched', 100);
const FROM = numberOption('--from', 480);
const ROUNDS = numberOption('--rounds', 1);
const SLICE = numberOption('--slice', 0);
const THRASH_MB = numberOption('--thrash', 0);
const WANDER = flag('--wander');
const HEAP = flag('--heap');
const PROFILE = flag('--profile');
/** Bytes between two samples of the heap profiler; µs between two of the CPU profiler. */
const HEAP_SAMPLING_BYTES = 1024;
const CPU_SAMPLING_US = 100;
const sweep = new Float64Array((THRASH_MB * 1024 * 1024) / 8);

class Watch {
  readonly classifiers = Array.from({ length: WATCHED }, () => watchClassifier());
  /** Wall time of the classifiers' own calls (pushes, verdicts, the looks they make), ms. */
  callsMs = 0;
  /** Sweeps (--thrash) run only in the measured seconds: before them they only cost time. */
  measuring = false;

  looks(): number {
    return this.classifiers.reduce((sum, c) => sum + c.lookCount, 0);
  }

  read(from: number, to: number): void {
    for (let second = from; second < to; second++) {
      this.classifiers.forEach((classifier, watched) => {
        const start = performance.now();
        classifier.push(steadyStamp(second, watched), steadyReading(second, watched, WANDER));
        classifier.verdict();
        this.callsMs += performance.now() - start;
        if (THRASH_MB && this.measuring) sweepCache(sweep);
      });
    }
  }
}

/** Reads [FROM, SECONDS) in slices, returning a line per slice: CPU and wall µs a look. */
function readMeasured(watch: Watch): { cpuUs: number; wallUs: number; looks: number; slices: string[] } {
  const slices: string[] = [];
  watch.measuring = true;
  const [cpu, looksBefore, wallBefore] = [process.cpuUsage(), watch.looks(), watch.callsMs];
  for (let from = FROM; from < SECONDS; from += SLICE || SECONDS) {
    const to = Math.min(SECONDS, from + (SLICE || SECONDS));
    if (flag('--mark')) console.log(`@@ ${from}`);
    const [sliceCpu, sliceLooks, sliceWall] = [process.cpuUsage(), watch.looks(), watch.callsMs];
    watch.read(from, to);
    const used = process.cpuUsage(sliceCpu);
    const looks = Math.max(1, watch.looks() - sliceLooks);
    slices.push(`${from}–${to} s: ${((used.user + used.system) / looks).toFixed(0)} (${(((watch.callsMs - sliceWall) * 1000) / looks).toFixed(0)})`);
  }
  const used = process.cpuUsage(cpu);
  return { cpuUs: used.user + used.system, wallUs: (watch.callsMs - wallBefore) * 1000, looks: watch.looks() - looksBefore, slices };
}

async function round(index: number): Promise<void> {
  const watch = new Watch();
  watch.read(0, FROM);
  const session = await startProfilers({ heapSamplingBytes: HEAP ? HEAP_SAMPLING_BYTES : undefined, cpuSamplingUs: PROFILE ? CPU_SAMPLING_US : undefined });
  const { cpuUs, wallUs, looks, slices } = readMeasured(watch);
  let heap = '';
  let functions: [string, number][] = [];
  if (session && HEAP) {
    const { profile } = await post<{ profile: { head: HeapNode } }>(session, 'HeapProfiler.stopSampling');
    heap = `, ${(heapTotal(profile.head) / looks / 1024).toFixed(1)} KB a look (heap profiler on)`;
  }
  if (session && PROFILE) {
    const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
    functions = [...selfTimes(profile)].sort((a, b) => b[1] - a[1]).slice(0, 20);
  }
  session?.disconnect();
  console.log(`round ${index}: ${looks} looks in trace seconds ${FROM}–${SECONDS}: ${(cpuUs / looks).toFixed(1)} µs CPU a look (with its pushes), ${(wallUs / looks).toFixed(1)} µs wall in the classifier's calls${heap}`);
  if (SLICE) console.log(`  by slice, µs CPU (wall) a look: ${slices.join(', ')}`);
  for (const [name, us] of functions) console.log(`  ${(us / looks).toFixed(1).padStart(7)} µs  ${name}`);
}

async function main(): Promise<void> {
  for (let r = 0; r < ROUNDS; r++) await round(r);
  if (sweptSum() < 0) console.log(sweptSum()); // keeps the sweeps from being optimized away
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
