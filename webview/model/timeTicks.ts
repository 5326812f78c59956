// Time axis ticks on a linear axis of epoch ms, aligned to the clock (14:00, 14:05 …), so the
// webview needs no date adapter. Pure: tested in Node with an explicit time zone offset.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TICK_STEPS_MS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY,
] as const;

/** The smallest clock step that gives at most `maxTicks` ticks over the range. */
export function chooseTickStep(rangeMs: number, maxTicks: number): number {
  const wanted = rangeMs / Math.max(1, maxTicks);
  return TICK_STEPS_MS.find((step) => step >= wanted) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
}

/**
 * Tick values in [min, max] at multiples of `step` in local time. `tzOffsetMs` is local minus
 * UTC (e.g. +3,600,000 for UTC+1; the negation of Date#getTimezoneOffset in ms).
 */
export function timeTicks(min: number, max: number, step: number, tzOffsetMs: number): number[] {
  if (!(max >= min) || !(step > 0)) return [];
  const first = Math.ceil((min + tzOffsetMs) / step) * step - tzOffsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= max && ticks.length < 1000; t += step) ticks.push(t);
  return ticks;
}

/** Label for a tick: seconds only when the step needs them, the day when the step is ≥ 1 day. */
export function formatTick(ms: number, step: number, tzOffsetMs: number): string {
  const local = new Date(ms + tzOffsetMs);
  const hh = pad(local.getUTCHours());
  const mm = pad(local.getUTCMinutes());
  if (step >= DAY) return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  if (step < MINUTE) return `${hh}:${mm}:${pad(local.getUTCSeconds())}`;
  return `${hh}:${mm}`;
}

/** "14:03:27" for tooltips and the banner, in local time. */
export function formatClock(ms: number, tzOffsetMs: number): string {
  const local = new Date(ms + tzOffsetMs);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}

/** This machine's offset for a given instant (DST-aware), in the sign convention above. */
export function localOffsetMs(ms: number): number {
  return -new Date(ms).getTimezoneOffset() * MINUTE;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
