// The one error a trace reader throws, so callers (the CLI, "Open memory trace…") can show the
// message as it is: it names the line, and carries the line for an editor to jump to.

export class TraceParseError extends Error {
  /**
   * @param line 1-based line of the problem; 0 when it is about the whole file (size, emptiness).
   * @param reason the problem without the line prefix.
   */
  constructor(readonly line: number, readonly reason: string) {
    super(line > 0 ? `line ${line}: ${reason}` : reason);
    this.name = 'TraceParseError';
  }
}

/** Limits that keep a mistaken file (a core dump, a log) from exhausting memory. */
export const MAX_TRACE_CHARS = 200 * 1024 * 1024;
export const MAX_TRACE_SAMPLES = 5_000_000;

/** A short, printable excerpt of what was found, for messages. */
export function excerpt(text: string, max = 40): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}

/** Decimal numbers only: `Number()` alone would accept '', ' ', '0x1f' and 'Infinity'. */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The largest time a JavaScript Date can hold, in ms either side of 1970 (ECMA-262 §21.4.1.22). */
export const MAX_DATE_MS = 8.64e15;

/** A t_ms that is not a date would reach the classifier and print as "Invalid Date" or NaN:NaN. */
export function checkTime(tMs: number, lineNo: number, what = 't_ms'): number {
  if (Math.abs(tMs) > MAX_DATE_MS) throw new TraceParseError(lineNo, `${what} is not a date: ${excerpt(String(tMs))} (epoch milliseconds must lie within ±8.64e15)`);
  return tMs;
}
