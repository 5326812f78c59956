// Sizes, durations and rates as people type and read them.
//
// Sizes are binary (1 KB = 1024 B, 1 GB = 1024³ B) and labelled "KB/MB/GB/TB", the way `ps`,
// `top`, `htop` and `psutil`-based scripts (`rss / 1024**3`) show memory: a limit typed as
// "12GB" is then the same number the user's own scripts compare against. "MiB"/"GiB" are
// accepted as input and mean the same.

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;
const KIB = 1024;

const SIZE_MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: KIB,
  m: KIB ** 2,
  g: KIB ** 3,
  t: KIB ** 4,
  p: KIB ** 5,
};

/** Three significant digits at most: "512 B", "12.3 MB", "1.24 GB", "124 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= KIB && unit < SIZE_UNITS.length - 1) {
    value /= KIB;
    unit++;
  }
  // 1023.6 KB would print as "1024 KB": show it as the next unit instead.
  if (unit < SIZE_UNITS.length - 1 && unit > 0 && roundToDisplay(value) >= KIB) {
    value /= KIB;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : trimZeros(value.toFixed(decimalsFor(value)));
  return `${sign}${text} ${SIZE_UNITS[unit]}`;
}

/** Like formatBytes with an explicit "+" for growth, for deltas. */
export function formatSignedBytes(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** "12G", "12 GB", "800MiB", "1.5g", "4096" (bytes). Throws on anything else. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgtp])(i)?(b)?|(b))?\s*$/i.exec(text);
  if (!match) throw new RangeError(`Not a size: "${text}" (try 12GB, 800MB or 1.5G)`);
  const [, number, prefix, binaryI, , bareB] = match;
  if (binaryI && !prefix) throw new RangeError(`Not a size: "${text}"`);
  const multiplier = SIZE_MULTIPLIERS[(prefix ?? bareB ?? '').toLowerCase()];
  return Math.round(Number(number) * multiplier);
}

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * "30m", "1h30m", "90s", "1s", "500ms", "2d", "1.5h"; a bare number is seconds, like sleep(1).
 * Throws on anything else.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const part = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/giy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * DURATION_UNITS_MS[match[2].toLowerCase()];
    consumed = part.lastIndex;
    while (trimmed[consumed] === ' ') consumed++;
    part.lastIndex = consumed;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    throw new RangeError(`Not a duration: "${text}" (try 30m, 1h30m, 90s or 500ms)`);
  }
  return Math.round(total);
}

/** "500 ms", "42 s", "43 min", "1 h 30 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return joinParts(hours, 'h', minutes % 60, 'min');
  const days = Math.floor(hours / 24);
  return joinParts(days, 'd', hours % 24, 'h');
}

/** Per minute, because memory leaks are read in MB/min: "12 MB/min", "-512 KB/min". */
export function formatRate(bytesPerS: number): string {
  return `${formatBytes(bytesPerS * 60)}/min`;
}

/** Per-iteration growth below this is shown per 10, 100, 1,000… iterations, to about a megabyte. */
const PER_ONE_MIN_BYTES = 64 * KIB;

/**
 * Growth per iteration of a counter named `noun` (singular): "+200 KB per step",
 * "+3.1 MB per 1,000 steps" (a small amount over a round number of iterations, as leaks are read).
 */
export function formatPerIteration(bytesPerIteration: number, noun: string): string {
  const size = Math.abs(bytesPerIteration);
  let count = 1;
  if (size > 0 && size < PER_ONE_MIN_BYTES) {
    while (size * count < KIB ** 2 && count < 1e9) count *= 10;
  }
  const amount = formatSignedBytes(bytesPerIteration * count);
  return count === 1 ? `${amount} per ${noun}` : `${amount} per ${count.toLocaleString('en-US')} ${plural(noun)}`;
}

function plural(noun: string): string {
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

function joinParts(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

function decimalsFor(value: number): number {
  if (value < 10) return 2;
  if (value < 100) return 1;
  return 0;
}

function roundToDisplay(value: number): number {
  const factor = 10 ** decimalsFor(value);
  return Math.round(value * factor) / factor;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
