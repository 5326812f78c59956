// Argument readers shared by the CLI commands, so `watch --pid` and `probe --pid` accept and
// refuse the same things.
import { CliError } from './io';

/** The longest delay Node's timers take (2^31 − 1 ms, ~24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Plain decimal digits only: Number() would also take '0x1', '1e0' and ' 1'. */
export function parsePid(text: string, exitCode = 2): number {
  if (!/^[0-9]+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`--pid: not a process id: '${text}' (a positive whole number, in decimal)`, exitCode);
  }
  return Number(text);
}

/** A sampling interval Node can actually wait: past MAX_TIMER_MS the timer would fire at once, forever. */
export function checkTimerInterval(option: string, ms: number, minMs: number): number {
  if (ms < minMs) throw new CliError(`${option} must be at least ${minMs}ms`);
  if (ms > MAX_TIMER_MS) throw new CliError(`${option} must be at most 24d20h (${MAX_TIMER_MS} ms, the longest timer Node.js can set)`);
  return ms;
}
