// Entry point that VS Code's extension host loads from `extensionTestsPath` (see
// scripts/run-vscode-tests.mjs): runs every out/test/integration/**/*.test.js with mocha (bdd:
// describe/it) inside the real extension host, where `vscode` is the real API.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { performance } from 'node:perf_hooks';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { LeakscopeApi } from '../../src/api';
import { ENGINES_AT_ACTIVATION_ENV, loadedEngineBundles } from './extensionHost';

/** Marks this run's own output among the workbench log lines the runner receives (see run-vscode-tests.mjs). */
export const OUTPUT_MARK = '[leakscope-test] ';

/** The workbench forwards console arguments unformatted, so format here, one marked line per line. */
function report(...args: unknown[]): void {
  for (const line of format(...args).split('\n')) console.log(OUTPUT_MARK + line);
}

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTestFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

/**
 * Activates Leakscope before any test does and reports the extension's own times (evaluating its
 * bundle, and activate() itself: the API's `activation`) and the host's wall time from the
 * activate call to its promise settling (which adds the host's own work: reading the bundle,
 * making the ExtensionContext, which waits on the workbench, and whatever else a fresh host is
 * busy with); and whether
 * anything had activated it before: the workbench opens no file and runs no command first.
 * bench/extensionLoad.ts reads the line; nothing here asserts a time.
 */
async function reportActivation(): Promise<void> {
  const extension = vscode.extensions.getExtension<LeakscopeApi>('leakscope.leakscope');
  if (!extension) throw new Error('the Leakscope extension is not installed in this extension host');
  const activeBefore = extension.isActive;
  const start = performance.now();
  const api = await extension.activate();
  const wallMs = performance.now() - start;
  // The test files are bundles of their own; the environment is what they share with this one.
  process.env[ENGINES_AT_ACTIVATION_ENV] = loadedEngineBundles().join(',');
  report(
    activeBefore
      ? 'activation: already active before any command or file (an activation event fired at startup)'
      : `activation: module ${api.activation.moduleMs.toFixed(1)} ms + activate() ${api.activation.activateMs.toFixed(1)} ms; CPU module ${api.activation.moduleCpuMs.toFixed(1)} ms + activate() ${api.activation.activateCpuMs.toFixed(1)} ms; host wall time ${wallMs.toFixed(1)} ms; not active before`,
  );
}

/** Resolves when every test passed; rejects otherwise, which makes the workbench exit with 1. */
export async function run(): Promise<void> {
  await reportActivation();
  // The console of the extension host reaches the runner line by line: no colours, no cursor tricks.
  Mocha.reporters.Base.consoleLog = report;
  // LEAKSCOPE_TEST_GREP runs only the tests whose titles match (e.g. "debuggee"), for a quick check.
  const grep = process.env.LEAKSCOPE_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  const files = findTestFiles(__dirname).sort();
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const { passes, failures } = await new Promise<{ passes: number; failures: number }>((done) => {
    const runner = mocha.run(() => done({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
  });
  // The plain line CI and scripts/test.sh read; the runner also finds it in the forwarded log.
  report(`integration: ${passes} passed, ${failures} failed`);
  if (files.length === 0) throw new Error(`no integration test files under ${__dirname}`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
