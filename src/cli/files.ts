// Writing the CLI's files so that a failure never costs what was there: a trace is written to a
// temporary file beside its destination and renamed over it, and write errors become one line.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../core/discovery/errors';
import { errorMessage } from '../core/errorMessage';

/** "no space left on device" for ENOSPC and the like: the reason without the call or path. */
export function describeWriteError(error: unknown): string {
  const code = errnoCode(error);
  const reasons: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EPIPE: 'the reader has gone (broken pipe)',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    EISDIR: 'is a directory',
    ENOENT: 'no such folder',
  };
  if (code !== undefined && reasons[code]) return `${reasons[code]} (${code})`;
  return errorMessage(error);
}

/** Writes all of `text` (writeSync may write less than asked). */
export function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
}

function isRegularOrMissing(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Replaces `path` with `text` at once: written and synced to a temporary file in the same
 * folder, then renamed, so a crash, a kill or a full disk leaves the old file whole. A device
 * or FIFO (/dev/stdout, /dev/full) is written to directly: renaming over it would replace it.
 */
export function replaceFile(path: string, text: string): void {
  if (!isRegularOrMissing(path)) return writeDirectly(path, text);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeDirectly(temp, text, true);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw error;
  }
}

function writeDirectly(path: string, text: string, sync = false): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeAll(fd, text);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Fails early (before watching) when `path` cannot be written, without touching an old file. */
export function assertWritable(path: string): void {
  if (!isRegularOrMissing(path)) {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return;
  }
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.check`);
  closeSync(openSync(probe, 'wx'));
  unlinkSync(probe);
}
