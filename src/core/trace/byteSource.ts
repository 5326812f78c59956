// Where a trace's bytes come from, for the streaming readers (stream.ts, streamJson.ts): an open
// file, read by offset as it was when opened, or bytes already in memory (a remote file fetched whole).
import { readSync } from 'node:fs';

/** Read size: big enough that the system calls do not count, small next to any trace worth streaming. */
export const CHUNK_BYTES = 1 << 16;

/** Where a trace's bytes come from: an open file (as it was when opened) or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`, valid until the next call; fewer, or none, at the end. */
  read(offset: number, length: number): Uint8Array;
}

export function fileSource(fd: number, size: number): ByteSource {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  return { size, read: (offset, length) => buffer.subarray(0, readSync(fd, buffer, 0, Math.min(length, CHUNK_BYTES), offset)) };
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

