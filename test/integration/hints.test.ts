// The broad tier's hints (issue 13) in a real VS Code: off by default; with leakscope.rules.hints
// "whenLeaking" a hint in the script of a watched process is hidden while nothing says the
// process leaks, appears (as Information, saying which process leaks) once its verdict is a leak,
// its quick fix is offered only while it is shown, and the setting "off" takes it away again. A
// hint in a module the leaking process imports appears once a probe finds the growth there.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { ProbeResult } from '../../src/core/probe';
import type { ProbeCommandOutcome } from '../../src/probe/probeCommands';
import { api, until } from './extensionHost';

/**
 * A program whose list only ever grows (2.5 MB/s). The strict rules say nothing about it (a plain
 * name, nothing that says how often add_row runs); the hint tier does, on the append:
 * `node dist/cli.js scan --hints --json` gives one `hint` and no other finding.
 */
const ROWS_LEAK = [
  'import time',
  '',
  'ROWS = []',
  '',
  '',
  'def add_row(row):',
  '    ROWS.append(row)',
  '',
  '',
  'def main():',
  '    while True:',
  '        add_row(bytearray(256 * 1024))',
  '        time.sleep(0.1)',
  '',
  '',
  'main()',
  '',
].join('\n');
const HINT_LINE = ROWS_LEAK.split('\n').findIndex((l) => l.includes('ROWS.append'));

/** The same leak with its list in a module: the script says nothing, the module has the hint. */
const ROW_STORE = ['ROWS = []', '', '', 'def add_row(size):', '    ROWS.append(bytearray(size))', ''].join('\n');
const ROW_MAIN = ['import time', '', 'import row_store', '', 'print("ready", flush=True)', 'while True:', '    row_store.add_row(256 * 1024)', '    time.sleep(0.1)', ''].join('\n');
const STORE_HINT_LINE = ROW_STORE.split('\n').findIndex((l) => l.includes('ROWS.append'));

function workspaceRoot(): string {
  const root = process.env.LEAKSCOPE_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'a workspace folder');
  return root;
}

/** Starts the program and resolves once it printed "ready" (its imports are done). */
function startReady(command: string, args: string[], cwd: string, children: ChildProcess[]): Promise<number> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/^ready/m.test(out) && child.pid) resolve(child.pid);
    });
    child.once('exit', (code, signal) => reject(new Error(`${command} ${args.join(' ')} exited early (${code ?? signal})`)));
  });
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'leakscope');
}

/** Resolves the next time diagnostics are published for `uri` (an empty list included). */
function nextPublish(uri: vscode.Uri, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no diagnostics published for ${basename(uri.fsPath)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/** The quick fixes offered at `range` (the provider needs the document open: it is opened, not shown). */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(uri);
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return all.filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

describe('Hints where a leak is known to be (leakscope.rules.hints)', function () {
  const config = () => vscode.workspace.getConfiguration('leakscope');
  const children: ChildProcess[] = [];
  let dir: string | undefined;

  afterEach(async () => {
    await vscode.commands.executeCommand('leakscope.detachAll');
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await config().update('rules.hints', undefined, vscode.ConfigurationTarget.Workspace);
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('a hint in a watched script: hidden before a leak verdict, shown as Information with the leaking pid after, its fix offered; gone with "off"', async function () {
    // The verdict comes when the evidence suffices (tens of seconds here); the ceilings are
    // generous for a loaded machine, never a measure of speed.
    this.timeout(300_000);
    const leakscope = await api();
    assert.equal(config().get('rules.hints'), 'off', 'the default setting');
    await config().update('rules.hints', 'whenLeaking', vscode.ConfigurationTarget.Workspace);
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'leakscope-hints-')));
    const program = join(dir, 'rows_leak.py');
    writeFileSync(program, ROWS_LEAK);
    const uri = vscode.Uri.file(program);
    const child = spawn('python3', ['rows_leak.py'], { cwd: dir, stdio: 'ignore' });
    children.push(child);
    const pid = child.pid;
    assert.ok(pid);
    await until('Python to run the script', () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('rows_leak.py') && /python/.test(basename(readlinkSync(`/proc/${pid}/exe`))));

    // The attach scans the script and publishes what is shown of it: nothing, the hint is hidden.
    const scanned = nextPublish(uri, 60_000);
    const id = await vscode.commands.executeCommand<string>('leakscope.attachPid', pid);
    assert.ok(id);
    await scanned;
    const verdict = () => leakscope.sessions().find((s) => s.id === id)?.verdict ?? '';
    assert.doesNotMatch(verdict(), /-leak$/, 'the scan was published before any leak verdict');
    assert.deepEqual(ours(uri), [], 'no diagnostic in the script while it is not known to leak');

    await until('a leak verdict', () => {
      const leaking = /-leak$/.test(verdict());
      if (!leaking) assert.deepEqual(ours(uri), [], `no diagnostic before the leak verdict (verdict ${verdict()})`);
      return leaking;
    }, 240_000);
    const hint = await until('the hint shown', () => ours(uri).find((d) => d.range.start.line === HINT_LINE));
    assert.equal(hint.code, 'unbounded-collection');
    assert.match(hint.message, new RegExp(`\\(pid ${pid} runs this file and leaks [^)]+\\)$`));
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Information, 'shown because the file leaks, not raised to a warning');
    assert.equal(ours(uri).length, 1, 'the hint is the script\'s only finding');
    const fixes = await quickFixes(uri, hint.range);
    assert.ok(fixes.some((a) => a.command?.command === 'leakscope.restartAndCompare'), `the hint's own fix is offered: ${fixes.map((a) => a.title).join(', ')}`);

    await config().update('rules.hints', 'off', vscode.ConfigurationTarget.Workspace);
    await until('the hint gone with the setting "off"', () => ours(uri).length === 0, 60_000);
    assert.match(verdict(), /-leak$/, 'still leaking');
    const after = (await quickFixes(uri, hint.range)).filter((a) => a.command?.command === 'leakscope.restartAndCompare' || a.title.includes('unbounded-collection'));
    assert.deepEqual(after.map((a) => a.title), [], 'no quick fix for a hint that is not shown');
  });

  it('a hint in a module the leaking process imports: hidden after the leak verdict, shown once a probe finds the growth in that file', async function () {
    this.timeout(300_000);
    const leakscope = await api();
    await config().update('rules.hints', 'whenLeaking', vscode.ConfigurationTarget.Workspace);
    // In the workspace: a probe's sites count only in workspace files.
    dir = join(workspaceRoot(), 'hints-probe');
    mkdirSync(dir, { recursive: true });
    const store = join(dir, 'row_store.py');
    writeFileSync(store, ROW_STORE);
    writeFileSync(join(dir, 'row_main.py'), ROW_MAIN);
    const uri = vscode.Uri.file(store);
    const opened = nextPublish(uri, 60_000);
    await vscode.workspace.openTextDocument(uri);
    await opened;
    assert.deepEqual(ours(uri), [], 'the module\'s hint is hidden while nothing leaks');

    // By its absolute path, so Python names the module by its absolute path too.
    const pid = await startReady('/usr/bin/python3', [join(dir, 'row_main.py')], dir, children);
    const id = await vscode.commands.executeCommand<string>('leakscope.attachPid', pid);
    assert.ok(id);
    const verdict = () => leakscope.sessions().find((s) => s.id === id)?.verdict ?? '';
    await until('a leak verdict', () => /-leak$/.test(verdict()), 240_000);
    assert.deepEqual(ours(uri), [], 'the process leaks, but nothing yet places the leak in the module (it is not the script)');

    const result = await vscode.commands.executeCommand<ProbeCommandOutcome<ProbeResult>>('leakscope.findGrowing', { id, consented: true, windowSeconds: 3 });
    assert.ok(result && 'sites' in result, `the probe ran: ${JSON.stringify(result)?.slice(0, 300)}`);
    assert.ok(result.sites.some((s) => s.file === store), `a growth site in the module: ${result.sites.map((s) => `${s.file}:${s.line}`).join(', ')}`);
    const hint = await until('the module\'s hint shown', () => ours(uri).find((d) => d.code === 'unbounded-collection' && d.range.start.line === STORE_HINT_LINE), 60_000);
    assert.match(hint.message, new RegExp(`\\(pid ${pid} runs this file and leaks [^)]+\\)$`));
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Information);
  });
});
