// Argument readers shared by the CLI commands, so `watch --pid` and `probe --pid` accept and
// refuse the same things.
import { ENGINE_INTERVAL_MS } from '../core/shared/samplingInterval';
import { CliError } from './io';

/** Plain decimal digits only: Number() would also take '0x1', '1e0' and ' 1'. */
export function parsePid(text: string, exitCode = 2): number {
  if (!/^[0-9]+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`--pid: not a process id: '${text}' (a positive whole number, in decimal)`, exitCode);
  }
  return Number(text);
}

/** A sampling interval the engine takes: past Node's longest timer it would fire at once, forever. */
export function checkSamplingInterval(option: string, ms: number): number {
  const { min, max } = ENGINE_INTERVAL_MS;
  if (ms < min) throw new CliError(`${option} must be at least ${min}ms`);
  if (ms > max) throw new CliError(`${option} must be at most 24d20h (${max} ms, the longest timer Node.js can set)`);
  return ms;
}
