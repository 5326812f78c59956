// One esbuild script for every bundle: the extension host (Node, CommonJS), the CLI,
// the webview (browser), and, with --tests, the unit/integration/e2e tests and benches.
// Flags: --watch, --production (minify, no sourcemaps), --tests.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
const withTests = args.has('--tests');

/** Files below `dir` (relative to root) whose names match `pattern`. */
function findEntries(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const found = [];
  for (const name of readdirSync(abs)) {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'fixtures' && name !== 'corpus') found.push(...findEntries(relative(root, path), pattern));
    } else if (pattern.test(name)) {
      found.push(relative(root, path));
    }
  }
  return found;
}

/** Grammars and runtime wasm for the rule engine, codicons for the webview. */
function copyAssets() {
  const grammars = join(root, 'dist', 'grammars');
  mkdirSync(grammars, { recursive: true });
  cpSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(grammars, 'tree-sitter.wasm'));
  for (const lang of ['python', 'javascript', 'typescript', 'tsx']) {
    const file = `tree-sitter-${lang}.wasm`;
    cpSync(join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm', file), join(grammars, file));
  }
  const codicons = join(root, 'dist', 'codicons');
  mkdirSync(codicons, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    cpSync(join(root, 'node_modules/@vscode/codicons/dist', file), join(codicons, file));
  }
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

/**
 * The engines' dynamic imports (src/diagnostics/ruleEngineLoader.ts, src/probe/probeEngineLoader.ts)
 * stay requires of dist/rules-engine.js and dist/probe-engine.js at run time, so activation loads
 * neither tree-sitter and the rules nor the inspector client and the Python injector.
 */
const lazyEngines = {
  name: 'lazy-engines',
  setup(build) {
    for (const [filter, bundle] of [[/\/core\/rules\/engine$/, './rules-engine.js'], [/\/core\/probe$/, './probe-engine.js']]) {
      build.onResolve({ filter }, (args) => (args.kind === 'dynamic-import' ? { path: bundle, external: true } : undefined));
    }
  },
};

const configs = [
  { ...nodeCommon, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyEngines] },
  { ...nodeCommon, entryPoints: { 'rules-engine': 'src/core/rules/engine.ts', 'probe-engine': 'src/core/probe/index.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The fleet's worker thread (src/core/fleet/pool.ts starts it from beside the CLI or the extension).
  { ...nodeCommon, entryPoints: ['src/core/fleet/worker.ts'], outfile: 'dist/fleetWorker.js' },
  // "Open memory trace…"'s worker thread (src/panel/traceOffThread.ts starts it from beside the extension).
  { ...nodeCommon, entryPoints: ['src/panel/traceWorker.ts'], outfile: 'dist/traceWorker.js' },
  // Loaded into the Node programs `leakscope run` and "Run with memory monitor" start (src/core/gcPacing.ts).
  { ...nodeCommon, entryPoints: ['src/preload/gcPacer.ts'], outfile: 'dist/gcPacer.js', sourcemap: false },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    loader: { '.css': 'css' },
  },
];

/**
 * How tests and benches are bundled. bench/lib/revisionBuild.ts builds another revision's code
 * for a same-run baseline with the same options: bundled otherwise (node_modules inlined, no
 * source map), identical code measured ~20% dearer in the sampling bench.
 */
const testBundleOptions = JSON.parse(readFileSync(join(root, 'scripts/node-bundle-options.json'), 'utf8'));

if (withTests) {
  const testEntries = [
    ...findEntries('test/unit', /\.test\.ts$/),
    ...findEntries('test/integration', /\.ts$/),
    ...findEntries('test/e2e', /\.ts$/),
    ...findEntries('test/helpers', /\.ts$/),
    ...findEntries('bench', /\.ts$/),
  ];
  if (testEntries.length) {
    configs.push({
      ...nodeCommon,
      ...testBundleOptions,
      ...(production ? { sourcemap: false, minify: true } : {}),
      entryPoints: testEntries,
      outbase: '.',
      outdir: 'out',
    });
  }
}

copyAssets();
if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching for changes…');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
