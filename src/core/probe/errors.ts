// Every way a probe can fail, each with a message that says what happened and what to do.

export type ProbeErrorCode =
  | 'no-consent'
  | 'permission-denied'
  | 'remote-debug-disabled'
  | 'process-exited'
  | 'timeout'
  | 'port-taken'
  | 'inspector-unavailable'
  | 'pid-mismatch'
  | 'unsupported'
  | 'injection-failed'
  | 'cancelled';

export const PROBE_ERROR_CODES: readonly ProbeErrorCode[] = [
  'no-consent', 'permission-denied', 'remote-debug-disabled', 'process-exited', 'timeout', 'port-taken',
  'inspector-unavailable', 'pid-mismatch', 'unsupported', 'injection-failed', 'cancelled',
];

export class ProbeError extends Error {
  override readonly name = 'ProbeError';

  constructor(readonly code: ProbeErrorCode, message: string, readonly detail?: string) {
    super(message);
  }
}

/**
 * By shape, not `instanceof`: the extension loads the probe engine as a bundle of its own
 * (dist/probe-engine.js), whose errors are made by its own copy of this class.
 */
export function isProbeError(value: unknown, code?: ProbeErrorCode): value is ProbeError {
  if (!(value instanceof Error) || value.name !== 'ProbeError' || !('code' in value)) return false;
  const actual = value.code as ProbeErrorCode;
  return PROBE_ERROR_CODES.includes(actual) && (code === undefined || actual === code);
}

/** The errno code of a Node system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function permissionDenied(pid: number, what: string): ProbeError {
  return new ProbeError(
    'permission-denied',
    `Not allowed to ${what} process ${pid}: it belongs to another user. ` +
      'Run Leakscope as that user (or as root) to probe it.',
  );
}

export function processExited(pid: number): ProbeError {
  return new ProbeError('process-exited', `Process ${pid} exited during the probe; nothing was measured.`);
}

export function cancelled(): ProbeError {
  return new ProbeError('cancelled', 'The probe was cancelled.');
}

export function notRunning(pid: number): ProbeError {
  return new ProbeError('process-exited', `Process ${pid} is not running (it exited, or the pid is wrong); nothing was measured.`);
}

/** Turns a failed system call about `pid` into the probe error a user understands. */
export function fromSystemError(error: unknown, pid: number, what: string): unknown {
  const code = errnoCode(error);
  if (code === 'EPERM' || code === 'EACCES') return permissionDenied(pid, what);
  if (code === 'ESRCH' || code === 'ENOENT') return notRunning(pid);
  return error;
}
