// Does a look cost more when it meets cold caches (issue 16)? In the product a look at a steady
// process costs ~115 µs of CPU, in lookSteady's back-to-back looks ~35 µs. Here 100 live
// classifiers (a WatchSession's options) read like the sampling bench's `sleep`s at 1 Hz (trace
// time fast-forwarded, steadyTrace.ts), and each simulated tick also does the sampling engine's
// work for each process: a real /proc read of a real sleeping child (ProcfsSampler.sampleSync, as
// the monitor's tick does), and with --thrash KB a sweep of that much memory (the rest of the
// product: events, limits, history). Two orders of the same work within a tick, each on its own
// set of 100 classifiers in the same process (same code, same load; the sets take turns going
// first each tick):
//   inline     as today: each process is read, then pushed; a look that falls due runs inside
//              its push, between other processes' reads
//   deferred   every process is read first, then all are pushed: the due looks run back to back
//              (a push that does not look is O(1), so this is "looks after the tick's pushes")
// Prints, for trace seconds FROM to SECONDS, for each order: CPU of its blocks of a tick divided
// by its looks (the reads are the same work in both orders) and the wall time of the classifier's
// calls a look.
//   node scripts/build.mjs --tests && node --expose-gc out/bench/tools/lookInterleaved.js [--from 480] [--seconds 960] [--thrash KB] [--orders inline,deferred]
import { openSampler, ProcessSampler } from '../../src/core/sampling';
import { option, spawnSleepers, sweepCache, sweptSum, watchClassifier } from './harness';
import { steadyReading, steadyStamp } from './steadyTrace';

type Order = 'inline' | 'deferred';

const WATCHED = 100;
const FROM = Number(option('--from', '480'));
const SECONDS = Number(option('--seconds', '960'));
const THRASH_KB = Number(option('--thrash', '0'));
/** The two sets' orders; `--orders inline,inline` is the control (what the sets' turns alone make of it). */
const ORDERS = option('--orders', 'inline,deferred').split(',') as Order[];

const sweep = new Float64Array((THRASH_KB * 1024) / 8);

/** One set of 100 classifiers read in one order. */
class OrderedWatch {
  readonly classifiers = Array.from({ length: WATCHED }, () => watchClassifier());
  /** Wall time of the classifiers' own calls (pushes, verdicts, the looks they make), ms. */
  callsMs = 0;
  /** CPU of this set's blocks of the ticks, µs. */
  cpuUs = 0;
  readBytes = 0;

  constructor(readonly order: Order, private readonly samplers: ProcessSampler[]) {}

  looks(): number {
    return this.classifiers.reduce((sum, c) => sum + c.lookCount, 0);
  }

  tick(second: number): void {
    const cpu = process.cpuUsage();
    if (this.order === 'deferred') {
      for (let watched = 0; watched < WATCHED; watched++) this.engineWork(watched);
      for (let watched = 0; watched < WATCHED; watched++) this.push(second, watched);
    } else {
      for (let watched = 0; watched < WATCHED; watched++) {
        this.engineWork(watched);
        this.push(second, watched);
      }
    }
    const used = process.cpuUsage(cpu);
    this.cpuUs += used.user + used.system;
  }

  private engineWork(watched: number): void {
    const sampler = this.samplers[watched];
    if (!sampler.sampleSync) throw new Error('no /proc sampler here: Linux only');
    this.readBytes += sampler.sampleSync({}).rssBytes;
    if (THRASH_KB) sweepCache(sweep);
  }

  private push(second: number, watched: number): void {
    const classifier = this.classifiers[watched];
    const start = performance.now();
    classifier.push(steadyStamp(second, watched), steadyReading(second, watched, false));
    classifier.verdict();
    this.callsMs += performance.now() - start;
  }
}

async function sleepers(): Promise<{ samplers: ProcessSampler[]; stop: () => void }> {
  const { targets, stop } = await spawnSleepers(WATCHED);
  const samplers = targets.map((target) => openSampler(target));
  return {
    samplers,
    stop: () => {
      samplers.forEach((s) => s.dispose());
      stop();
    },
  };
}

async function main(): Promise<void> {
  const { samplers, stop } = await sleepers();
  try {
    const watches = ORDERS.map((order) => new OrderedWatch(order, samplers));
    const run = (second: number): void => (second % 2 === 0 ? watches : [...watches].reverse()).forEach((w) => w.tick(second));
    for (let second = 0; second < FROM; second++) run(second);
    const before = watches.map((w) => ({ looks: w.looks(), callsMs: w.callsMs, cpuUs: w.cpuUs }));
    for (let second = FROM; second < SECONDS; second++) run(second);
    console.log(`trace seconds ${FROM}–${SECONDS}${THRASH_KB ? `, ${THRASH_KB} KB swept a read` : ''}:`);
    watches.forEach((w, i) => {
      const looks = w.looks() - before[i].looks;
      const cpuUs = w.cpuUs - before[i].cpuUs;
      console.log(
        `  ${w.order.padEnd(8)} ${looks} looks; ${(cpuUs / (SECONDS - FROM)).toFixed(0)} µs CPU a tick (reads included), ` +
          `${(cpuUs / looks).toFixed(1)} µs CPU a look; ${(((w.callsMs - before[i].callsMs) * 1000) / looks).toFixed(1)} µs wall in the classifier's calls a look`,
      );
    });
  } finally {
    stop();
  }
  if (sweptSum() < 0) console.log(sweptSum()); // keeps the sweeps from being optimized away
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
