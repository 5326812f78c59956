// What a CLI command may touch of the outside world, passed in so tests can capture it.
import { isProbeError } from '../core/probe/errors';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks a yes/no question on the terminal; false when there is no terminal. */
  confirm(question: string): Promise<boolean>;
  /** Aborted on Ctrl+C. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments or input: printed without a stack, exit code 2 unless given. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** Each stops a command the way Ctrl+C does (`leakscope run` passes them on to its program). */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** A probe's failure as the CLI reports it ("message [code]", exit `exitCode`); anything else unchanged. */
export function probeFailure(error: unknown, exitCode: number): unknown {
  return isProbeError(error) ? new CliError(`${error.message} [${error.code}]`, exitCode) : error;
}
