// What the integration tests read of the extension host they run in: the Leakscope API, its open
// fds, and a poll for a condition (shared by the attach and attach/detach-cycle suites).
import * as assert from 'node:assert/strict';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import type { LeakscopeApi } from '../../src/api';

function extension(): vscode.Extension<LeakscopeApi> {
  const ext = vscode.extensions.getExtension<LeakscopeApi>('leakscope.leakscope');
  assert.ok(ext, 'the Leakscope extension is installed');
  return ext;
}

export async function api(): Promise<LeakscopeApi> {
  return extension().activate();
}

/**
 * Whether a script (by file path) is the extension's own bundled code (dist/extension.js, the rule
 * engine…), as opposed to the tests' (out/) or VS Code's. Node names a module by its real path.
 */
export function isExtensionScript(): (path: string) => boolean {
  const dist = realpathSync(join(extension().extensionPath, 'dist')) + sep;
  return (path) => path.startsWith(dist);
}

/**
 * The lazily loaded engine bundles (dist/rules-engine.js, dist/probe-engine.js) that this host has
 * loaded so far, by base name: one module cache serves the extension and the tests.
 */
export function loadedEngineBundles(): string[] {
  return Object.keys(require.cache)
    .filter((path) => /[\\/]dist[\\/](rules|probe)-engine\.js$/.test(path))
    .map((path) => path.slice(path.lastIndexOf(sep) + 1))
    .sort();
}

/** Set by index.ts right after activation, before any test: the engines activation loaded. */
export const ENGINES_AT_ACTIVATION_ENV = 'LEAKSCOPE_ENGINES_AT_ACTIVATION';

/** Polls `probe` until it gives something other than undefined or false, within `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What each open fd of this process (the extension host) points at. */
export function openFds(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '(closed while listing)';
    }
  });
}

/** The fds in `after` that were not in `before`, as a multiset difference. */
export function newFds(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((target) => {
    const i = left.indexOf(target);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
