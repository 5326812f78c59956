// Growth classifier: accuracy on the labelled corpus (confusion matrix), time to a correct leak
// verdict for a slow leak, and the cost per sample against recomputing a fit from scratch.
// Targets (issue 5): ≥ 95% overall, no leak verdict on a flat/plateau/spiky trace, a 1 MB/min
// leak on a 500 MB process with ±5 MB noise at 1 Hz called within 10 minutes of data.
import { performance } from 'node:perf_hooks';
import { GrowthClassifier, classifySeries } from '../src/core/classifier';
import { isLeakClass } from '../src/core/model';
import { LabelledTrace, Scored, confusion, formatConfusion, fullCorpus } from '../test/unit/classifier/corpus';
import { mulberry32 as rng } from '../src/core/random';
import { generate } from '../test/unit/classifier/synthetic';

const MB = 1024 * 1024;
let missed = false;

function target(ok: boolean, text: string): void {
  console.log(`${ok ? 'ok    ' : 'MISSED'} ${text}`);
  if (!ok) missed = true;
}

function onlineFinal(t: LabelledTrace): Scored {
  const c = new GrowthClassifier();
  for (let i = 0; i < t.tMs.length; i++) c.push(t.tMs[i], t.rssBytes[i]);
  return { trace: t, verdict: c.verdict() };
}

function accuracy(): void {
  const corpus = fullCorpus(60);
  const real = corpus.filter((t) => t.source === 'real').length;
  console.log(`corpus: ${corpus.length} traces (${real} real recordings, ${corpus.length - real} synthetic from a fixed seed)`);
  const files = confusion(corpus.map((t) => ({ trace: t, verdict: classifySeries(t.tMs, t.rssBytes) })));
  console.log('\nWhole-trace verdict (classifySeries, what `leakscope classify` prints):');
  console.log(formatConfusion(files));
  for (const w of files.wrong) console.log(`  wrong: ${w.trace.name} (${w.trace.label}) → ${w.verdict.explanation}`);
  const realOnly = confusion(corpus.filter((t) => t.source === 'real').map((t) => ({ trace: t, verdict: classifySeries(t.tMs, t.rssBytes) })));
  console.log(`real recordings alone: ${realOnly.correct}/${realOnly.total} correct`);
  const live = confusion(corpus.map(onlineFinal));
  console.log('\nOnline verdict at the end of each trace (GrowthClassifier, with hysteresis):');
  console.log(formatConfusion(live));
  console.log('');
  target(files.correct / files.total >= 0.95, `overall accuracy ${((100 * files.correct) / files.total).toFixed(1)}% (target ≥ 95%)`);
  target(files.falseLeaks.length === 0 && live.falseLeaks.length === 0, `leak verdicts on flat/plateau/spiky traces: ${files.falseLeaks.length} file, ${live.falseLeaks.length} online (target 0)`);
}

type Noise = 'gaussian σ=2.5 MB (±5 MB at 2σ)' | 'uniform ±5 MB' | 'gaussian σ=5 MB (harder)';

/** Minutes of data until the shown verdict is a leak and stays one to the end (60 min). */
function minutesToLeakVerdict(noise: Noise, seed: number): number {
  const durationS = 3600;
  const slope = MB / 60;
  const level = 500 * MB;
  const random = rng(seed);
  const clean = generate({ durationS, intervalS: 1, levelBytes: level, leak: { bytesPerS: slope } }, seed);
  const c = new GrowthClassifier();
  let since = Infinity;
  for (let i = 0; i < clean.tMs.length; i++) {
    c.push(clean.tMs[i], clean.rssBytes[i] + noiseSample(noise, random));
    const leak = isLeakClass(c.verdict().class);
    if (leak && since === Infinity) since = (clean.tMs[i] - clean.tMs[0]) / 60_000;
    if (!leak) since = Infinity;
  }
  return since;
}

function noiseSample(noise: Noise, random: () => number): number {
  if (noise === 'uniform ±5 MB') return (2 * random() - 1) * 5 * MB;
  const sigma = noise === 'gaussian σ=5 MB (harder)' ? 5 * MB : 2.5 * MB;
  return sigma * Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

function timeToVerdict(): void {
  console.log('\nTime to a correct leak verdict: 1 MB/min leak, 500 MB process, 1 Hz, 20 seeds each (minutes of data):');
  for (const noise of ['gaussian σ=2.5 MB (±5 MB at 2σ)', 'uniform ±5 MB', 'gaussian σ=5 MB (harder)'] as Noise[]) {
    const minutes = Array.from({ length: 20 }, (_, i) => minutesToLeakVerdict(noise, 1000 + i)).sort((a, b) => a - b);
    const median = minutes[10];
    const max = minutes[minutes.length - 1];
    console.log(`  ${noise.padEnd(34)} median ${median.toFixed(1)}  p90 ${minutes[17].toFixed(1)}  max ${max.toFixed(1)}`);
    if (noise !== 'gaussian σ=5 MB (harder)') target(max <= 10, `${noise}: every seed called within ${max.toFixed(1)} min (target ≤ 10)`);
  }
}

/** The naive alternative: a least-squares slope over the last hour, recomputed at each sample. */
function leastSquaresFromScratch(t: Float64Array, v: Float64Array, end: number, window: number): number {
  const from = Math.max(0, end - window);
  const n = end - from;
  let st = 0;
  let sv = 0;
  for (let i = from; i < end; i++) {
    st += t[i];
    sv += v[i];
  }
  const mt = st / n;
  const mv = sv / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = from; i < end; i++) {
    sxy += (t[i] - mt) * (v[i] - mv);
    sxx += (t[i] - mt) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

function costPerPush(): void {
  const day = generate({ durationS: 86_400, intervalS: 1, levelBytes: 800 * MB, noiseSigmaBytes: 3 * MB, leak: { bytesPerS: 3000 }, sawtooth: { amplitudeBytes: 20 * MB, periodS: 40 } }, 9);
  const t = Float64Array.from(day.tMs);
  const v = Float64Array.from(day.rssBytes);
  const n = t.length;
  const c = new GrowthClassifier();
  let start = performance.now();
  for (let i = 0; i < n; i++) {
    c.push(t[i], v[i]);
    c.verdict();
  }
  const ours = ((performance.now() - start) * 1000) / n;
  let sink = 0;
  start = performance.now();
  for (let i = 1; i <= n; i++) sink += leastSquaresFromScratch(t, v, i, 3600);
  const naive = ((performance.now() - start) * 1000) / n;
  const firstHour = new GrowthClassifier();
  start = performance.now();
  for (let i = 0; i < 3600; i++) {
    firstHour.push(t[i], v[i]);
    firstHour.verdict();
  }
  const early = ((performance.now() - start) * 1000) / 3600;
  const { perSample: firstMinutes, looks } = firstFiveMinutes(t, v);
  console.log(`\nCost per sample over a day at 1 Hz (${n.toLocaleString('en-US')} samples), push + verdict():`);
  console.log(`  GrowthClassifier                          ${ours.toFixed(2)} µs/sample (first hour alone: ${early.toFixed(2)} µs/sample)`);
  console.log(`  its busiest stretch, the first 5 minutes  ${firstMinutes.toFixed(2)} µs/sample (${looks} looks; × 100 processes = ${(firstMinutes / 100).toFixed(2)}% of a core)`);
  console.log(`  least squares over the last hour, redone  ${naive.toFixed(2)} µs/sample (${(naive / ours).toFixed(1)}× ours)${sink === 42 ? '' : ''}`);
  console.log(`  final verdict: ${c.verdict().explanation}`);
  target(ours < naive, 'cheaper per sample than recomputing a least-squares fit over the window');
}

/** 1-s buckets and a look every 5 s: the most a watched process costs. Median of 15 runs, JIT warm. */
function firstFiveMinutes(t: Float64Array, v: Float64Array): { perSample: number; looks: number } {
  const runs: number[] = [];
  let looks = 0;
  for (let run = 0; run < 15; run++) {
    const c = new GrowthClassifier();
    const start = performance.now();
    for (let i = 0; i < 300; i++) {
      c.push(t[i], v[i]);
      c.verdict();
    }
    runs.push(((performance.now() - start) * 1000) / 300);
    looks = c.lookCount;
  }
  runs.sort((a, b) => a - b);
  return { perSample: runs[runs.length >> 1], looks };
}

accuracy();
timeToVerdict();
costPerPush();
if (missed) process.exitCode = 1;
