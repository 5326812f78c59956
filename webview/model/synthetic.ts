// Synthetic memory traces for development, screenshots and the bench (like
// vscode-js-profile-visualizer's realtimeTestData): a GC sawtooth over a slow leak, with
// noise from a seeded generator so every run draws the same curve.
import { SampleColumns } from '../../src/core/shared/columns';
import { mulberry32 } from '../../src/core/random';
import { DecompositionColumns, emptyDecomposition } from '../../src/core/shared/decomposition';

export interface SyntheticOptions {
  samples: number;
  startMs: number;
  intervalMs: number;
  baseBytes: number;
  leakBytesPerS: number;
  /** Height of one GC sawtooth tooth, and its period in samples. */
  sawBytes: number;
  sawPeriod: number;
  seed: number;
  /** Every n-th sample gets USS/PSS (the slow detail cadence); 0 for none. */
  detailEvery: number;
}

export const DAY_AT_1HZ: SyntheticOptions = {
  samples: 86_400,
  startMs: Date.UTC(2026, 0, 5, 8, 0, 0),
  intervalMs: 1000,
  baseBytes: 420 * 2 ** 20,
  leakBytesPerS: 2 * 2 ** 10,
  sawBytes: 96 * 2 ** 20,
  sawPeriod: 90,
  seed: 7,
  detailEvery: 30,
};

export function syntheticTrace(options: Partial<SyntheticOptions> = {}): SampleColumns {
  const o = { ...DAY_AT_1HZ, ...options };
  const random = mulberry32(o.seed);
  const c: SampleColumns = { t: [], rss: [], threads: [], fds: [], childrenRss: [], childCount: [], cpu: [], uss: [], pss: [] };
  for (let i = 0; i < o.samples; i++) {
    const t = o.startMs + i * o.intervalMs;
    const tooth = ((i % o.sawPeriod) / o.sawPeriod) * o.sawBytes;
    const noise = (random() - 0.5) * 4 * 2 ** 20;
    const rss = Math.round(o.baseBytes + (o.leakBytesPerS * i * o.intervalMs) / 1000 + tooth + noise);
    c.t.push(t);
    c.rss.push(rss);
    c.threads.push(12 + Math.floor(i / 20_000));
    c.fds.push(40 + Math.floor(i / 5_000));
    c.childrenRss.push(Math.round(180 * 2 ** 20 + tooth / 4));
    c.childCount.push(2);
    c.cpu.push(Math.round(random() * 4000) / 100);
    const detail = o.detailEvery > 0 && i % o.detailEvery === 0;
    c.uss?.push(detail ? Math.round(rss * 0.82) : null);
    c.pss?.push(detail ? Math.round(rss * 0.88) : null);
  }
  if (o.detailEvery === 0) {
    delete c.uss;
    delete c.pss;
  }
  return c;
}


/**
 * The decomposition of a synthetic trace as the host reads it, every `every`-th sample (5 s at
 * 1 Hz): most of RSS anonymous, the libraries file-backed, a little shared memory, no swap.
 */
export function syntheticDecomposition(trace: SampleColumns, every = 5): DecompositionColumns {
  const d = emptyDecomposition();
  for (let i = 0; i < trace.t.length; i += every) {
    const rss = trace.rss[i];
    const file = 38 * 2 ** 20;
    const shmem = 6 * 2 ** 20;
    d.t.push(trace.t[i]);
    d.anon.push(Math.max(0, rss - file - shmem));
    d.file.push(file);
    d.shmem.push(shmem);
    d.swap.push(0);
  }
  return d;
}
