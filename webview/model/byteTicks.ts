// Memory axis ticks at round binary sizes (256 MB, 512 MB, 1 GB …) instead of chart.js's
// round decimal numbers of bytes, which print as "954 MB". Powers of two only: sizes are
// shown in binary units, where a step of 100 MB would soon print as "1000 MB" or "1.07 GB".
// Pure: tested in Node.

const UNITS = [1, 2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40];
const MULTIPLES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

const STEPS: number[] = UNITS.flatMap((unit) => MULTIPLES.map((m) => m * unit)).sort((a, b) => a - b);

/** The smallest round step that needs at most `maxTicks` intervals to reach `max`. */
export function niceByteStep(max: number, maxTicks: number): number {
  const wanted = max / Math.max(1, maxTicks);
  return STEPS.find((step) => step >= wanted) ?? STEPS[STEPS.length - 1];
}

/** `max` rounded up to a whole step, so the top grid line has a label. */
export function roundUpToStep(max: number, maxTicks: number): number {
  if (!(max > 0)) return 1;
  const step = niceByteStep(max, maxTicks);
  return Math.ceil(max / step) * step;
}

/** 0, step, 2·step … up to max. */
export function byteTicks(max: number, maxTicks: number): number[] {
  if (!(max > 0)) return [0];
  const step = niceByteStep(max, maxTicks);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9 && ticks.length <= 100; v += step) ticks.push(v);
  return ticks;
}
