// "Open memory trace…" in the real VS Code: a file on disk is streamed from its path, a file of
// another scheme (a file system provider, as Remote-SSH or WSL give one) arrives as bytes and is
// parsed from them; each opens a panel of its own, and a malformed or special file opens none.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LeakscopeApi } from '../../src/api';

const SCHEME = 'leakscope-test-remote';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Files held in memory under SCHEME: what VS Code's remote file systems look like to an extension. */
class MemoryFileSystem implements vscode.FileSystemProvider {
  readonly files = new Map<string, Uint8Array>();
  readonly reads: string[] = [];
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.length };
  }
  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    this.reads.push(uri.path);
    return file;
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  dispose(): void {
    this.changes.dispose();
  }
}

function traceTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Memory: trace-'));
}

function csv(samples: number): string {
  const rows = Array.from({ length: samples }, (_, i) => `${1.7e12 + i * 1000},${100e6 + i * 4096},4,12,0,1.5`);
  return `t_ms,rss_bytes,threads,fds,children_rss_bytes,cpu_percent\n${rows.join('\n')}\n`;
}

describe('Open memory trace in a real VS Code', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-it-traces-'));
  const remote = new MemoryFileSystem();
  let registration: vscode.Disposable | undefined;
  let leakscope: LeakscopeApi;

  before(async () => {
    const api = await vscode.extensions.getExtension<LeakscopeApi>('leakscope.leakscope')?.activate();
    assert.ok(api, 'the extension activates');
    leakscope = api;
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, remote, { isReadonly: true });
  });

  after(async () => {
    await vscode.window.tabGroups.close(traceTabs());
    registration?.dispose();
    remote.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const openPanels = (): number => leakscope.heldCounts()['panels.open'] ?? 0;

  async function openTrace(uri: vscode.Uri, label: string): Promise<void> {
    const before = openPanels();
    await vscode.commands.executeCommand('leakscope.openTrace', uri);
    await until(`the panel of ${label}`, () => (traceTabs().some((t) => t.label === `Memory: ${label}`) ? true : undefined));
    assert.equal(openPanels(), before + 1, 'one panel a trace');
  }

  it('opens a trace file from disk (streamed from its path) in a panel', async () => {
    const path = join(dir, 'trace-disk.csv');
    writeFileSync(path, csv(200_000));
    await openTrace(vscode.Uri.file(path), 'trace-disk.csv');
    assert.deepEqual(remote.reads, [], 'a local file is not read through a file system provider');
  });

  it('opens a trace of another scheme from the bytes its file system gives', async () => {
    remote.files.set('/runs/trace-remote.dat', new TextEncoder().encode('CMDLINE python3 app.py\nMEM 100.0 1700000000.0\nCHLD 0 5.0 1700000000.0\nMEM 101.5 1700000001.0\n'));
    await openTrace(vscode.Uri.from({ scheme: SCHEME, path: '/runs/trace-remote.dat' }), 'trace-remote.dat');
    assert.deepEqual(remote.reads, ['/runs/trace-remote.dat']);
  });

  it('a malformed trace, on disk or remote, and a special file open no panel', async () => {
    const bad = join(dir, 'trace-bad.csv');
    writeFileSync(bad, 't_ms,rss_bytes\n1000,104857600\n2000,abc\n');
    remote.files.set('/runs/trace-bad.jsonl', new TextEncoder().encode('{"t_ms":1,"rss_bytes":2}\n{"t_ms":2}\n'));
    const before = openPanels();
    const tabs = traceTabs().length;
    for (const uri of [vscode.Uri.file(bad), vscode.Uri.from({ scheme: SCHEME, path: '/runs/trace-bad.jsonl' }), vscode.Uri.file('/dev/zero')]) {
      // The command resolves once the file is read and refused (the message goes to a notification).
      await vscode.commands.executeCommand('leakscope.openTrace', uri);
    }
    assert.equal(openPanels(), before, 'no panel for a file that could not be read');
    assert.equal(traceTabs().length, tabs);
  });
});
