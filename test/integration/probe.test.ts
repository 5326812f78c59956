// "Find what is growing", gc and malloc_trim in the real VS Code, on spawned leaking programs
// whose sources sit in the test workspace (so their sites become workspace diagnostics). The
// commands get their consent from the programmatic argument { id, consented } (the modal cannot
// be answered from here); `consented: false` stands for a user who declined.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MemoryActionResult, ProbeResult } from '../../src/core/probe';
import type { ProbeCommandFailure, ProbeCommandOutcome } from '../../src/probe/probeCommands';
import { loadedEngineBundles } from './extensionHost';

const SYSTEM_PYTHON = '/usr/bin/python3';
const INSPECTOR_PORT = 9229;
/** Printed so that the runner shows it (see test/integration/index.ts). */
const OUTPUT_MARK = '[leakscope-test] ';

function say(line: string): void {
  console.log(OUTPUT_MARK + line);
}

function repoRoot(): string {
  const repo = process.env.LEAKSCOPE_REPO;
  assert.ok(repo, 'LEAKSCOPE_REPO is set by scripts/run-vscode-tests.mjs');
  return repo;
}

function workspaceRoot(): string {
  const root = process.env.LEAKSCOPE_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'a workspace folder');
  return root;
}

/** 1-based line of the first line of `file` containing `marker`. */
function markerLine(file: string, marker: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  assert.ok(index >= 0, `${marker} in ${file}`);
  return index + 1;
}

function isFailure(value: unknown): value is ProbeCommandFailure {
  return typeof value === 'object' && value !== null && 'error' in value && 'reason' in value;
}

function succeeded<T>(outcome: ProbeCommandOutcome<T> | undefined, what: string): T {
  assert.ok(outcome !== undefined, `${what} returned something`);
  if (isFailure(outcome)) assert.fail(`${what} failed (${outcome.reason}): ${outcome.error}`);
  return outcome;
}

function refused(outcome: unknown, what: string): ProbeCommandFailure {
  assert.ok(isFailure(outcome), `${what} is refused with a reason, got ${JSON.stringify(outcome)?.slice(0, 300)}`);
  return outcome;
}

interface Target {
  child: ChildProcess;
  pid: number;
  stderr(): string;
}

/** Starts a program with a plain environment and resolves once it printed "ready". */
function startTarget(command: string, args: string[], children: ChildProcess[], env: NodeJS.ProcessEnv = {}, readyTimeoutMs = 15_000): Promise<Target> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: workspaceRoot(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} not ready after ${readyTimeoutMs} ms: ${err}`)), readyTimeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/^ready/m.test(out)) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid ?? -1, stderr: () => err });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited early (${code ?? signal}): ${err}`));
    });
  });
}

/** One-letter state from /proc/PID/stat ('R', 'S', 'T', 'Z'…), undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  } catch {
    return undefined;
  }
}

function assertRunning(pid: number): void {
  const state = processState(pid);
  assert.ok(state === 'R' || state === 'S' || state === 'D', `pid ${pid} still runs (state ${state ?? 'gone'})`);
}

/** 'connected', or the error code of a TCP connect to 127.0.0.1:port. */
function tcpConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

function threadCount(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

function probeDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('leakscope-probe-') || n.startsWith('leakscope-injector-'));
}

async function settle(what: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

function runtimeDiagnosticsAt(file: string, line: number): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'leakscope' && d.code === 'runtime-growth' && d.range.start.line === line - 1);
}

/**
 * The quick fixes VS Code offers at the runtime-growth diagnostic on a 1-based line, after
 * checking that no static rule flagged that growth on its own (so the fix comes from the probe).
 */
async function runtimeQuickFixes(file: string, line: number, rule: string): Promise<vscode.CodeAction[]> {
  const uri = vscode.Uri.file(file);
  await vscode.workspace.openTextDocument(uri);
  assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.code === rule).map((d) => d.message), [], `no static ${rule} finding in ${file}`);
  const [diagnostic] = runtimeDiagnosticsAt(file, line);
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  return all.filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

/** Applies a code action's edit, saves, and returns the file's new text. */
async function applyAndSave(file: string, action: vscode.CodeAction | undefined, offered: readonly vscode.CodeAction[]): Promise<string> {
  assert.ok(action?.edit, `the expected fix among: ${offered.map((a) => a.title).join('; ') || 'none'}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit applies');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  assert.ok(await doc.save(), 'saved');
  return doc.getText();
}

async function attach(pid: number): Promise<string> {
  const id = await vscode.commands.executeCommand<string | undefined>('leakscope.attachPid', pid);
  assert.ok(id, `attached to pid ${pid}`);
  return id;
}

function findGrowing(id: string, consented = true, windowSeconds = 2): Thenable<ProbeCommandOutcome<ProbeResult>> {
  return vscode.commands.executeCommand<ProbeCommandOutcome<ProbeResult>>('leakscope.findGrowing', { id, consented, windowSeconds });
}

function memoryAction(command: 'leakscope.runGc' | 'leakscope.runMallocTrim', id: string): Thenable<ProbeCommandOutcome<MemoryActionResult>> {
  return vscode.commands.executeCommand<ProbeCommandOutcome<MemoryActionResult>>(command, { id, consented: true });
}

describe('Deep probe commands', function () {
  this.timeout(90_000);
  const children: ChildProcess[] = [];
  let dir = '';
  let nodeLeak = '';
  let pyLeak = '';
  let pyFragment = '';

  before(async () => {
    // Inside the workspace, so that the sites are workspace files and get diagnostics.
    dir = join(workspaceRoot(), 'probe-targets');
    mkdirSync(dir, { recursive: true });
    [nodeLeak, pyLeak, pyFragment] = copyTargets();
    await vscode.extensions.getExtension('leakscope.leakscope')?.activate();
  });

  /** Copies the target programs into the workspace, over any quick fix a test applied. */
  function copyTargets(): string[] {
    return ['node-leak.js', 'py-leak.py', 'py-fragment.py'].map((name) => {
      const to = join(dir, name);
      copyFileSync(join(repoRoot(), 'test', 'fixtures', 'probe', name), to);
      return to;
    });
  }

  afterEach(async () => {
    copyTargets();
    await vscode.commands.executeCommand('leakscope.detachAll');
    await Promise.all(children.splice(0).map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    })));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The Node tests need the default inspector port free; say so rather than fail. */
  async function requireFreeInspectorPort(ctx: Mocha.Context): Promise<void> {
    const state = await tcpConnect(INSPECTOR_PORT);
    if (state !== 'ECONNREFUSED') {
      say(`SKIP: port ${INSPECTOR_PORT} is not free (${state}) before the test, so a Node inspector cannot be opened on it`);
      ctx.skip();
    }
  }

  it('Node: ranks the leaking function first, flags its line, closes the inspector, and the program runs on', async function () {
    await requireFreeInspectorPort(this);
    const target = await startTarget(process.execPath, [nodeLeak], children);
    const id = await attach(target.pid);
    const result = succeeded(await findGrowing(id), 'findGrowing');
    const line = markerLine(nodeLeak, 'function handleTick');
    const top = result.sites[0];
    assert.equal(result.runtime, 'node');
    assert.equal(result.method, 'inspector');
    assert.ok(top, 'at least one site');
    assert.equal(top.file, nodeLeak);
    assert.equal(top.line, line);
    assert.equal(top.function, 'handleTick');
    assert.equal(runtimeDiagnosticsAt(nodeLeak, line).length, 1, 'a runtime-growth diagnostic at the function line');
    // `kept` is named for nothing, so only the probe's evidence (the statement guessed in
    // handleTick) makes it a finding, and its fix is offered at the function's line.
    const nodeFixes = await runtimeQuickFixes(nodeLeak, line, 'unbounded-collection');
    const bounded = await applyAndSave(nodeLeak, nodeFixes.find((a) => a.title === 'Keep only the last 10000 items of kept'), nodeFixes);
    assert.match(bounded, /\/\/ LEAK-STATEMENT\n\s*if \(kept\.length > 10000\) kept\.splice\(0, kept\.length - 10000\);/);
    assert.match(target.stderr(), /Debugger listening on ws:\/\/127\.0\.0\.1:9229\//, 'the inspector was really opened');
    assert.equal(await tcpConnect(INSPECTOR_PORT), 'ECONNREFUSED', 'port 9229 closed afterwards');
    assertRunning(target.pid);

    // gc through the same consent path; malloc_trim is refused for Node before anything opens.
    const gc = succeeded(await memoryAction('leakscope.runGc', id), 'runGc');
    assert.equal(gc.action, 'gc');
    assert.ok((gc.beforeHeapUsedBytes ?? 0) > 0 && (gc.afterHeapUsedBytes ?? 0) > 0);
    assert.equal(await tcpConnect(INSPECTOR_PORT), 'ECONNREFUSED', 'port 9229 closed after the gc');
    const trim = refused(await memoryAction('leakscope.runMallocTrim', id), 'malloc_trim on Node');
    assert.equal(trim.reason, 'unsupported');
    assert.match(trim.error, /Python processes.*Node\.js/);
    assertRunning(target.pid);
  });

  it('Python: names the leaking line, flags it, and leaves no thread or file behind', async () => {
    const target = await startTarget(SYSTEM_PYTHON, [pyLeak], children);
    const id = await attach(target.pid);
    const dirsBefore = probeDirs();
    const result = succeeded(await findGrowing(id), 'findGrowing');
    assert.ok(loadedEngineBundles().includes('probe-engine.js'), 'the probe ran from its own bundle, loaded on first use');
    const line = markerLine(pyLeak, 'LEAK-LINE');
    const top = result.sites[0];
    assert.equal(result.runtime, 'python');
    assert.ok(top, 'at least one site');
    assert.equal(top.file, pyLeak);
    assert.equal(top.line, line);
    assert.equal(top.function, 'step');
    assert.equal(runtimeDiagnosticsAt(pyLeak, line).length, 1, 'a runtime-growth diagnostic at the leaking line');
    const pyFixes = await runtimeQuickFixes(pyLeak, line, 'unbounded-collection');
    const bounded = await applyAndSave(pyLeak, pyFixes.find((a) => a.isPreferred && /KEPT/.test(a.title)), pyFixes);
    assert.match(bounded, /KEPT = (collections\.)?deque\(maxlen=10000\)/);
    say(`  (Python ${SYSTEM_PYTHON} probed by ${result.method} in ${result.durationMs} ms, window ${result.windowMs} ms)`);
    await settle(() => threadCount(target.pid) === 1);
    assert.equal(threadCount(target.pid), 1, 'the probe thread is gone');
    assert.deepEqual(probeDirs(), dirsBefore, 'the probe files are removed');
    assertRunning(target.pid);
  });

  it('Python: malloc_trim on a fragmenting program shows the drop and calls it fragmentation', async () => {
    const target = await startTarget(SYSTEM_PYTHON, [pyFragment], children, {}, 60_000);
    const id = await attach(target.pid);
    const trim = succeeded(await memoryAction('leakscope.runMallocTrim', id), 'runMallocTrim');
    assert.equal(trim.action, 'malloc-trim');
    assert.ok(trim.freedBytes > 50 * 1024 * 1024, `freed ${trim.freedBytes} bytes (${trim.beforeRssBytes} → ${trim.afterRssBytes})`);
    assert.match(trim.interpretation, /fragmentation/);
    assertRunning(target.pid);
  });

  it('Python 3.14: the sys.remote_exec route names the leaking line', async function () {
    const python = findPython314();
    if (!python) {
      say('SKIP: no Python 3.14 interpreter on this machine (looked in pyenv, /usr/bin, /usr/local/bin): the sys.remote_exec route is not exercised');
      this.skip();
    }
    const target = await startTarget(python, [pyLeak], children);
    const id = await attach(target.pid);
    const result = succeeded(await findGrowing(id), 'findGrowing');
    assert.equal(result.method, 'remote_exec');
    assert.equal(result.sites[0]?.file, pyLeak);
    assert.equal(result.sites[0]?.line, markerLine(pyLeak, 'LEAK-LINE'));
  });

  it('refusal: declined consent opens and injects nothing', async () => {
    const target = await startTarget(SYSTEM_PYTHON, [pyLeak], children);
    const id = await attach(target.pid);
    const dirsBefore = probeDirs();
    for (const [what, outcome] of [
      ['findGrowing', await findGrowing(id, false)],
      ['runGc', await vscode.commands.executeCommand('leakscope.runGc', { id, consented: false })],
      ['runMallocTrim', await vscode.commands.executeCommand('leakscope.runMallocTrim', { id, consented: false })],
    ] as const) {
      const failure = refused(outcome, `${what} without consent`);
      assert.equal(failure.reason, 'no-consent');
      assert.match(failure.error, new RegExp(`declined, so nothing was opened in or injected into pid ${target.pid}`));
    }
    assert.equal(threadCount(target.pid), 1, 'no probe thread');
    assert.deepEqual(probeDirs(), dirsBefore, 'no probe files');
    assertRunning(target.pid);
  });

  it('refusal: a Python process killed during the window', async () => {
    const target = await startTarget(SYSTEM_PYTHON, [pyLeak], children);
    const id = await attach(target.pid);
    const probing = findGrowing(id, true, 4);
    setTimeout(() => target.child.kill('SIGKILL'), 1000);
    const failure = refused(await probing, 'a probe of an exited process');
    assert.equal(failure.reason, 'process-exited');
    assert.match(failure.error, new RegExp(`Process ${target.pid} exited during the probe`));
  });

  it('refusal: a Node process killed during the window', async function () {
    await requireFreeInspectorPort(this);
    const target = await startTarget(process.execPath, [nodeLeak], children);
    const id = await attach(target.pid);
    const probing = findGrowing(id, true, 4);
    await settle(() => /Debugger listening/.test(target.stderr()), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const exited = new Promise((resolve) => target.child.once('exit', resolve));
    target.child.kill('SIGKILL');
    const failure = refused(await probing, 'a probe of an exited process');
    assert.equal(failure.reason, 'process-exited');
    assert.match(failure.error, new RegExp(`${target.pid}.*(exited|not running)`));
    // The probe may notice the death (its WebSocket closing) before the kernel has finished
    // tearing the process down; once it is reaped, its listening socket is gone with it.
    await exited;
    assert.equal(await tcpConnect(INSPECTOR_PORT), 'ECONNREFUSED', 'nothing listens on 9229 afterwards');
  });

  it('refusal: a process that is neither Node nor Python, even from the UI path (no modal)', async () => {
    const target = spawn('sleep', ['100'], { stdio: 'ignore' });
    children.push(target);
    assert.ok(target.pid);
    const pid = target.pid;
    // Attach after the exec, as a user would: between fork and exec the pid still runs node.
    await settle(() => existsSync(`/proc/${pid}/exe`) && readlinkSync(`/proc/${pid}/exe`).endsWith('/sleep'));
    const id = await attach(pid);
    for (const arg of [{ id, consented: true }, id]) {
      const failure = refused(await vscode.commands.executeCommand('leakscope.findGrowing', arg), `probing sleep with ${JSON.stringify(arg)}`);
      assert.equal(failure.reason, 'unsupported');
      assert.match(failure.error, new RegExp(`pid ${target.pid} \\(sleep\\) is neither a Node\\.js nor a Python process`));
    }
    assertRunning(target.pid);
  });

  it('refusal: remote debugging disabled in the target', async () => {
    const target = await startTarget(SYSTEM_PYTHON, [pyLeak], children, { PYTHON_DISABLE_REMOTE_DEBUG: '1' });
    const id = await attach(target.pid);
    const failure = refused(await findGrowing(id), 'probing with PYTHON_DISABLE_REMOTE_DEBUG');
    assert.equal(failure.reason, 'remote-debug-disabled');
    assert.match(failure.error, /PYTHON_DISABLE_REMOTE_DEBUG/);
    assert.equal(threadCount(target.pid), 1);
  });

  it('refusal: an id that is not watched', async () => {
    const failure = refused(await findGrowing('no-such-session'), 'probing an unknown id');
    assert.equal(failure.reason, 'no-session');
    assert.match(failure.error, /no process is watched under the id "no-such-session"/);
  });
});

function findPython314(): string | undefined {
  const pyenv = '/root/.pyenv/versions';
  const fromPyenv = existsSync(pyenv)
    ? readdirSync(pyenv).filter((v) => v.startsWith('3.14.')).sort().map((v) => join(pyenv, v, 'bin', 'python3.14')).filter((p) => existsSync(p)).pop()
    : undefined;
  return fromPyenv ?? ['/usr/bin/python3.14', '/usr/local/bin/python3.14'].find((p) => existsSync(p));
}
