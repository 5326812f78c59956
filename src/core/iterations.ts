// Growth per iteration: what a leak costs per step, epoch or request, read from the program's own
// output ("step 1200"). A leak per iteration is what a user fixes; per minute depends on speed.
//
// RSS is sampled on a clock and the counter printed at the program's pace, so each RSS sample is
// paired with the counter interpolated at its time (within the span the counter was seen: never
// extrapolated). The pairs are grouped into at most MAX_POINTS runs of consecutive samples, each
// run reduced to its median counter and median RSS (a GC sawtooth averages out), and a Theil–Sen
// line is fitted through those: a spike or a drop cannot tilt it, unlike least squares.
import { median, theilSen } from './classifier/robust';

/** A counter value and when it was read, epoch ms. */
export interface IterationMark {
  tMs: number;
  iteration: number;
}

export interface IterationGrowth {
  /** Slope of RSS against the counter, bytes per iteration. */
  bytesPerIteration: number;
  firstIteration: number;
  lastIteration: number;
  /** RSS samples that fell within the counter's span. */
  samples: number;
}

/** At most this many points go into the Theil–Sen fit (≤ 2,016 pairwise slopes). */
const MAX_POINTS = 64;
/** Fewer paired samples than this give no slope. */
const MIN_PAIRED_SAMPLES = 5;
/** Counters printed faster than this are kept one per interval (the latest), bounding memory. */
const MIN_MARK_SPACING_MS = 100;
const FALLBACK_NOUN = 'iteration';

/**
 * The counter a line carries, when `pattern` matches it: the first capture group if the pattern
 * has one (and it holds a number), else the first integer in the matched text.
 */
export function readIteration(pattern: RegExp, line: string): number | undefined {
  const match = pattern.exec(line);
  if (!match) return undefined;
  const text = match.length > 1 && match[1] !== undefined ? match[1] : match[0];
  const number = /-?\d+(?:[,_]\d{3})*/.exec(text);
  if (!number) return undefined;
  const value = Number(number[0].replace(/[,_]/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** What is counted, for "+3.1 MB per 1,000 steps": the last word before the number in the match ("step 12" → "step"). */
export function iterationNoun(pattern: RegExp, line: string): string {
  const match = pattern.exec(line);
  if (!match) return FALLBACK_NOUN;
  const before = match[0].split(/\d/)[0];
  const words = before.match(/[A-Za-z]+/g);
  return words ? words[words.length - 1].toLowerCase() : FALLBACK_NOUN;
}

/**
 * The counter's readings over a run, thinned to one per MIN_MARK_SPACING_MS so a program printing
 * thousands of lines a second for hours costs kilobytes. A counter that goes back (a new phase
 * restarting at 0) is ignored until it passes its highest value again: growth is per step taken.
 */
export class IterationLog {
  private readonly list: IterationMark[] = [];
  private highest = -Infinity;

  add(tMs: number, iteration: number): void {
    if (!Number.isFinite(tMs) || !Number.isFinite(iteration) || iteration < this.highest) return;
    this.highest = iteration;
    const last = this.list[this.list.length - 1];
    if (last && tMs - last.tMs < MIN_MARK_SPACING_MS && this.list.length > 1) {
      last.tMs = tMs;
      last.iteration = iteration;
      return;
    }
    this.list.push({ tMs, iteration });
  }

  get marks(): readonly IterationMark[] {
    return this.list;
  }
}

/** Robust growth of RSS per iteration; undefined while the counter has not moved over enough samples. */
export function growthPerIteration(tMs: ArrayLike<number>, rssBytes: ArrayLike<number>, marks: readonly IterationMark[]): IterationGrowth | undefined {
  const pairs = pairWithCounter(tMs, rssBytes, marks);
  if (pairs.iterations.length < MIN_PAIRED_SAMPLES) return undefined;
  const first = pairs.iterations[0];
  const last = pairs.iterations[pairs.iterations.length - 1];
  if (!(last > first)) return undefined;
  const points = groupMedians(pairs.iterations, pairs.rss, MAX_POINTS);
  const fit = theilSen(points.x, points.y);
  return { bytesPerIteration: fit.slope, firstIteration: first, lastIteration: last, samples: pairs.iterations.length };
}

/** Each sample within the marks' span, with the counter interpolated linearly at its time. */
function pairWithCounter(tMs: ArrayLike<number>, rssBytes: ArrayLike<number>, marks: readonly IterationMark[]): { iterations: number[]; rss: number[] } {
  const iterations: number[] = [];
  const rss: number[] = [];
  if (marks.length < 2) return { iterations, rss };
  let m = 0;
  for (let i = 0; i < Math.min(tMs.length, rssBytes.length); i++) {
    const t = tMs[i];
    if (t < marks[0].tMs || t > marks[marks.length - 1].tMs) continue;
    while (m < marks.length - 2 && marks[m + 1].tMs < t) m++;
    const a = marks[m];
    const b = marks[m + 1];
    const share = b.tMs > a.tMs ? (t - a.tMs) / (b.tMs - a.tMs) : 1;
    iterations.push(a.iteration + share * (b.iteration - a.iteration));
    rss.push(rssBytes[i]);
  }
  return { iterations, rss };
}

/** Consecutive runs of (x, y), at most `maxPoints` of them, each reduced to its medians. */
function groupMedians(x: readonly number[], y: readonly number[], maxPoints: number): { x: Float64Array; y: Float64Array } {
  const groups = Math.min(maxPoints, x.length);
  const outX = new Float64Array(groups);
  const outY = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * x.length) / groups);
    const to = Math.floor(((g + 1) * x.length) / groups);
    outX[g] = median(x.slice(from, to));
    outY[g] = median(y.slice(from, to));
  }
  return { x: outX, y: outY };
}
