// Walks files and folders for the CLI and the "scan workspace" command: recursive, skipping
// dependency, build and virtualenv folders, binary files and files over the size limit (each
// with a reason), never throwing for one bad file.
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes } from '../units';
import { RuleEngine } from './engine';
import { languageForPath } from './languages';
import { DEFAULT_MAX_BYTES, Finding, ScanOptions } from './types';
import { errorMessage } from '../errorMessage';

export type ScanResult =
  | { file: string; findings: Finding[] }
  /** `skipped` for files passed over on purpose (binary, too big); false for failures. */
  | { file: string; error: string; skipped: boolean };

export interface ScanPathsOptions extends ScanOptions {
  signal?: AbortSignal;
}

const SKIPPED_FOLDERS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'venv', '.venv', '__pycache__', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.next', 'coverage', '.vscode-test',
]);

export async function* scanPaths(engine: RuleEngine, paths: readonly string[], options: ScanPathsOptions = {}): AsyncGenerator<ScanResult> {
  for (const path of paths) {
    if (options.signal?.aborted) return;
    let stats;
    try {
      stats = await lstat(path);
    } catch (error) {
      yield { file: path, error: describe(error), skipped: false };
      continue;
    }
    if (stats.isDirectory()) yield* scanFolder(engine, path, options);
    else if (!languageForPath(path)) yield { file: path, error: 'not a Python, JavaScript or TypeScript file', skipped: true };
    else yield await scanFile(engine, path, options);
  }
}

async function* scanFolder(engine: RuleEngine, folder: string, options: ScanPathsOptions): AsyncGenerator<ScanResult> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    yield { file: folder, error: describe(error), skipped: false };
    return;
  }
  // A virtualenv under any name carries pyvenv.cfg.
  if (entries.some((e) => e.isFile() && e.name === 'pyvenv.cfg')) return;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (options.signal?.aborted) return;
    const path = join(folder, entry.name);
    // Symbolic links are not followed: they lead out of the tree or round in circles.
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) yield* scanFolder(engine, path, options);
    else if (entry.isFile() && languageForPath(entry.name)) yield await scanFile(engine, path, options);
  }
}

export async function scanFile(engine: RuleEngine, file: string, options: ScanOptions = {}): Promise<ScanResult> {
  const language = languageForPath(file);
  if (!language) return { file, error: 'not a Python, JavaScript or TypeScript file', skipped: true };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const bytes = await readRegularFile(file, maxBytes);
    if (typeof bytes === 'string') return { file, error: bytes, skipped: true };
    if (bytes.includes(0)) return { file, error: 'skipped: binary file (contains NUL bytes)', skipped: true };
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return { file, findings: engine.scan(text, language, { ...options, maxBytes: Number.MAX_SAFE_INTEGER }) };
  } catch (error) {
    return { file, error: describe(error), skipped: false };
  }
}

/**
 * The file's bytes, or why it is skipped. Only regular files: a FIFO named x.py would block the
 * scan forever and /dev/zero never ends. Opened non-blocking (a FIFO's open waits for a
 * writer), then checked on the open handle, so a file swapped after the check is caught too.
 */
async function readRegularFile(file: string, maxBytes: number): Promise<Buffer | string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return 'skipped: not a regular file (a FIFO, device or socket)';
    if (stats.size > maxBytes) return `skipped: ${formatBytes(stats.size)} is over the ${formatBytes(maxBytes)} limit`;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file or folder';
  return errorMessage(error);
}
