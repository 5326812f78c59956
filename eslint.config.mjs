// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeFree = { name: 'vscode', message: 'src/core and webview must stay VS Code–free: put VS Code code in an adapter under src/.' };

// The host/webview boundary (as vscode-hexeditor's shared/): what both sides need lives in the
// shared modules of src/core, namely the protocol, the domain model, units, random and
// src/core/shared/. The host never imports webview/, the webview imports nothing else of src/,
// and the shared modules import only each other, so the webview's share of core stays closed.
// Import cycles are checked by scripts/check-cycles.mjs (run by `npm run lint`).
const SHARED = '(protocol|model|units|random|shared/[\\w.-]+)';
const NO_WEBVIEW = { regex: '^(\\.\\./)+webview(/|$)', message: 'The host never imports webview/: move what both sides need into src/core/shared/.' };
const ONLY_SHARED = 'A shared module (the webview bundles it) imports only the other shared modules.';
const restrict = (paths, ...patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const boundary = [
  { files: ['src/**/*.ts'], rules: restrict([], NO_WEBVIEW) },
  { files: ['src/core/**/*.ts'], rules: restrict([vscodeFree], NO_WEBVIEW) },
  {
    files: ['webview/**/*.ts'],
    rules: restrict([vscodeFree], {
      regex: `^(\\.\\./)+src/(?!core/${SHARED}$)`,
      message: 'The webview imports only the shared modules of src/core (protocol, model, units, random, shared/).',
    }),
  },
  {
    files: ['src/core/protocol.ts', 'src/core/model.ts', 'src/core/units.ts', 'src/core/random.ts'],
    rules: restrict([vscodeFree], { regex: `^(?!\\./${SHARED}$)`, message: ONLY_SHARED }),
  },
  {
    files: ['src/core/shared/**/*.ts'],
    rules: restrict([vscodeFree], { regex: `^(?!\\./[\\w.-]+$|\\.\\./${SHARED}$)`, message: ONLY_SHARED }),
  },
];

// One owner per fact (issue 16): the limit that applies to a process is looked up by its session's
// limit watcher, and every display reads it there (WatchSession.applicableLimit); what all the
// lookups share lives in a MachineLimitFacts that whoever makes the sessions hands them. So the
// memory modules keep no module-level state (a `let`, or a Map or Set made at load), and nothing
// outside the core looks a limit up again.
const noModuleCaches = {
  files: ['src/core/memory/**/*.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: "Program > VariableDeclaration[kind='let']", message: 'No module-level state in src/core/memory: keep it in an object its owner makes and hands on (e.g. MachineLimitFacts).' },
      { selector: "Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap)$/]", message: 'No module-level cache in src/core/memory: keep it in an object its owner makes and hands on (e.g. MachineLimitFacts).' },
    ],
  },
};
const noSecondLimitLookup = {
  files: ['src/**/*.ts'],
  ignores: ['src/core/**'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: "ImportSpecifier[imported.name=/^(findLimitSafely|findApplicableLimit|applicableLimits|ApplicableLimitCache)$/]", message: "Read the limit the session's watcher found (WatchSession.applicableLimit): a second lookup names another limit on another clock." },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'tools/**', 'demo/**', 'test/corpus/**', '.test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundary,
  noModuleCaches,
  noSecondLimitLookup,
  {
    // Target programs the tests spawn: plain CommonJS scripts for Node.
    files: ['test/fixtures/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', Buffer: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
