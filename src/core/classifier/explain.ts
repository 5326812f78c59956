// Numbers as the one-line explanations say them. Rates are per minute (memory leaks are read in
// MB/min), the uncertainty in the same unit with one significant digit, which also sets how many
// decimals the rate gets: "1.2 MB/min (±0.1)", "12 MB/min (±3)".
import { GrowthClass, isLeakClass } from '../model';
import { formatBytes, formatDuration } from '../units';
import { statedClass, statedConfidence } from '../shared/confidence';

const RATE_UNITS = [
  { unit: 'GB', bytes: 1024 ** 3 },
  { unit: 'MB', bytes: 1024 ** 2 },
  { unit: 'KB', bytes: 1024 },
  { unit: 'B', bytes: 1 },
];

/** Epoch times after 2001 are clock times; smaller ones are offsets (synthetic or relative traces). */
const EPOCH_THRESHOLD_MS = 1e12;

export function rateWithUncertainty(bytesPerS: number, uncertaintyBytesPerS: number): string {
  const perMin = bytesPerS * 60;
  const errPerMin = Math.abs(uncertaintyBytesPerS * 60);
  const scale = Math.max(Math.abs(perMin), errPerMin);
  const { unit, bytes } = RATE_UNITS.find((u) => scale >= u.bytes) ?? RATE_UNITS[RATE_UNITS.length - 1];
  const value = perMin / bytes;
  const err = errPerMin / bytes;
  const decimals = err > 0 ? Math.min(3, Math.max(0, -Math.floor(Math.log10(err)))) : 1;
  const shownValue = Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value;
  return `${shownValue.toFixed(decimals)} ${unit}/min (±${err.toFixed(decimals)})`;
}

export function bytes(n: number): string {
  return formatBytes(n);
}

export function duration(ms: number): string {
  return formatDuration(ms);
}

/** "since 14:02" for clock times, "since 2 min into the trace" for offsets. */
export function since(regimeStartMs: number, traceStartMs: number): string {
  if (regimeStartMs > EPOCH_THRESHOLD_MS) return `since ${clock(regimeStartMs)}`;
  const offset = regimeStartMs - traceStartMs;
  return offset <= 0 ? 'since the start' : `since ${formatDuration(offset)} into the trace`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** How an explanation names each class (the banner has its own, shorter titles). */
const HEADINGS: Record<GrowthClass, string> = {
  'steady-leak': 'Steady leak',
  'stepwise-leak': 'Stepwise leak',
  plateau: 'Plateau',
  flat: 'Flat',
  spiky: 'Spiky, no leak',
  unknown: 'Undecided',
};

/**
 * The one-line explanation of a verdict: "Steady leak: baseline grows …, 92% confidence". The
 * finding (what was seen) is fixed by the data; the heading and the percentage follow the
 * confidence stated with it, which the live calibration may restate ("Steady growth: …, 6% chance
 * of a leak").
 */
export function explanationOf(cls: GrowthClass, confidence: number, finding: string): string {
  if (cls === 'unknown') return `${HEADINGS.unknown}: ${finding}`;
  const isLeak = isLeakClass(cls);
  return `${statedClass(HEADINGS[cls], isLeak, confidence)}: ${finding}, ${statedConfidence(isLeak, confidence)}`;
}
