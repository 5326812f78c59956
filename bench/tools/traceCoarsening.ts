// Profiling aid (issue 16): the sampling bench's product (a WatchSession per sleeping process,
// real /proc readings and RSS decomposition) driven on an injected clock, a tick as fast as the
// readings allow, so that V8's traces around the classifier's coarsenings (256 s, 512 s… of 1-Hz
// samples) come in seconds rather than minutes. Marks each tick from --from on with the readings
// the classifiers hold, so the lines V8 prints (--trace-deopt, --trace-opt, --trace-generalization…)
// can be placed: 'marking dependent code … code dependencies' between `samples 256` and
// `samples 258` is optimized code thrown away by the first coarsening. A full collection comes
// first, as in the sampling bench and countProductWork: hidden classes that only dead objects used
// are dropped by it, so what V8 learnt at load before it does not carry over.
//   node scripts/build.mjs --tests && node --expose-gc --enable-source-maps --trace-deopt out/bench/tools/traceCoarsening.js [--ticks N] [--from N]
import { DECOMPOSITION_INTERVAL_MS } from '../../src/core/memory/decompositionSampler';
import { readLinuxProcessInfo } from '../../src/core/discovery/processes';
import { WatchSession } from '../../src/core/session';
import { ManualTicker, realReadingsOnClock } from '../../test/helpers/manualTicker';
import { productSessionOptions, runTool, startSleepers } from '../lib/sleepers';
import { numberOption } from './harness';

const TICKS = numberOption('--ticks', 300);
const MARK_FROM = numberOption('--from', 240);
const WATCHED = numberOption('--processes', 100);

/** Readings the first session's classifier holds (a private field, read for this mark only). */
function samplesOf(session: WatchSession): number {
  return (session as unknown as { classifier: { sampleCount: number } }).classifier.sampleCount;
}

/** A detail reading is async: the monitor is still sampling until it is in. */
function isSampling(session: WatchSession): boolean {
  return (session.monitor as unknown as { sampling: boolean }).sampling;
}

async function main(): Promise<void> {
  const { pids, stop } = await startSleepers(WATCHED);
  // As the sampling bench and countProductWork do before watching: a full collection.
  (globalThis as { gc?: () => void }).gc?.();
  let nowMs = Date.now();
  const ticker = new ManualTicker();
  const environment = realReadingsOnClock(ticker, () => nowMs);
  const options = { ...productSessionOptions(), environment, decompositionIntervalMs: DECOMPOSITION_INTERVAL_MS };
  const sessions = pids.map((pid) => new WatchSession(readLinuxProcessInfo(pid), options));
  await Promise.all(sessions.map((s) => s.start()));
  for (let tick = 1; tick <= TICKS; tick++) {
    if (tick >= MARK_FROM) console.log(`TICK ${tick} samples ${samplesOf(sessions[0])}`);
    nowMs += 1000;
    ticker.fire();
    // A detail reading (every 30 s) is async: wait for it, as a real second would, or the next
    // tick is skipped and the trace gets a gap the real one has not.
    do await new Promise((resolve) => setImmediate(resolve));
    while (sessions.some(isSampling));
  }
  console.log(`DONE ${TICKS} ticks; classes: ${[...new Set(sessions.map((s) => s.verdict.class))].join(', ')}`);
  for (const s of sessions) s.dispose();
  await stop();
}

runTool(main);
