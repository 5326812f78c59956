// Typed errors for reading another process, with messages a user can act on. Raw errno
// errors ("EACCES: permission denied, scandir '/proc/1/fd'") are mapped here once.

export type GoneReason = 'not-found' | 'exited' | 'pid-reused';

export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
  constructor(readonly pid: number, readonly reason: GoneReason = 'exited') {
    super(goneMessage(pid, reason));
  }
}

export class PermissionDeniedError extends Error {
  override readonly name = 'PermissionDeniedError';
  constructor(
    readonly pid: number,
    /** What could not be read, e.g. "open files" or "memory details". */
    readonly what: string,
    readonly code: string,
  ) {
    super(
      `Not allowed to read the ${what} of process ${pid}: it belongs to another user. ` +
        'Run Leakscope as the same user as the process (or as root) to watch it.',
    );
  }
}

function goneMessage(pid: number, reason: GoneReason): string {
  switch (reason) {
    case 'not-found':
      return `No process with pid ${pid} is running.`;
    case 'exited':
      return `Process ${pid} has exited.`;
    case 'pid-reused':
      return `Process ${pid} has exited and its pid now belongs to another process.`;
  }
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True for the errors /proc gives once a process is gone (ESRCH from a kept fd, ENOENT by path). */
export function isGoneError(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ESRCH';
}

export function isPermissionError(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * Turns an fs error from reading /proc/PID/... into ProcessGoneError or PermissionDeniedError;
 * anything else is returned unchanged.
 */
export function mapProcError(error: unknown, pid: number, what: string, goneReason: GoneReason = 'exited'): unknown {
  if (isGoneError(error)) return new ProcessGoneError(pid, goneReason);
  if (isPermissionError(error)) return new PermissionDeniedError(pid, what, errnoCode(error) ?? 'EACCES');
  return error;
}
