// Issue 6's acceptance in a real VS Code: the leak rules' diagnostics on open and save, every
// quick fix of the corpus applied through the `vscode` API on a real file of the workspace (then
// saved, re-parsed by the core engine, and rescanned by the extension), "Ignore <rule> on this
// line", the rule settings, and "Scan workspace for leak patterns" on files nobody opened.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Finding, languageForPath, RULES, RuleEngine, Severity } from '../../src/core/rules';

const SOURCE = 'leakscope';
const RUNTIME_CODE = 'runtime-growth';
const WAIT_MS = 8_000;
/**
 * Workspace settings for this file, restored afterwards. code-server auto-saves after a delay by
 * default, and an auto-save racing the test's own save makes `doc.save()` return false. The
 * built-in TypeScript quick-fix provider waits 500 ms on every code action request while its own
 * diagnostics of a freshly opened file are pending; its validation is not under test here.
 */
const TEST_SETTINGS: readonly (readonly [string, string, unknown])[] = [
  ['files', 'autoSave', 'off'],
  ['javascript', 'validate.enable', false],
  ['typescript', 'validate.enable', false],
];

interface Expected {
  file: string;
  line: number;
  rule: string;
}
interface Manifest {
  files: string[];
  expected: Expected[];
}
interface ScanSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through scripts/run-vscode-tests.mjs`);
  return value;
}

const REPO = env('LEAKSCOPE_REPO');
const WORKSPACE = env('LEAKSCOPE_TEST_WORKSPACE');
const CORPUS = join(REPO, 'test/corpus/rules');
/** Everything this file writes into the workspace lives below here. */
const ROOT = join(WORKSPACE, 'rules-it');
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Manifest;
const expectedOf = (file: string): Expected[] => manifest.expected.filter((e) => e.file === file);
const withFindings = manifest.files.filter((f) => expectedOf(f).length > 0);
const lookalikes = manifest.files.filter((f) => expectedOf(f).length === 0);

let engine: RuleEngine | undefined;
function rules(): RuleEngine {
  assert.ok(engine, 'the core engine is loaded in before()');
  return engine;
}

// ---- diagnostics -------------------------------------------------------------------------------

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && d.code !== RUNTIME_CODE);
}

/** "line:rule", 1-based, sorted: the shape of the manifest. */
function keys(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`).sort();
}

function expectedKeys(file: string): string[] {
  return expectedOf(file).map((e) => `${e.line}:${e.rule}`).sort();
}

/** Runs `trigger` and resolves with our diagnostics once the extension has (re)published them for `uri`. */
async function published(uri: vscode.Uri, trigger: () => Thenable<unknown>, what: string): Promise<vscode.Diagnostic[]> {
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const changed = new Promise<void>((resolve, reject) => {
    subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) resolve();
    });
    timer = setTimeout(() => reject(new Error(`no diagnostics published for ${basename(uri.fsPath)} after ${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  try {
    await trigger();
    await changed;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
  return ours(uri);
}

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ---- files, editors, code actions --------------------------------------------------------------

/** A fresh copy of a corpus file at ROOT/<folder>/<same name>: a real file in the workspace folder. */
function copyCorpus(file: string, folder: string): vscode.Uri {
  const target = join(ROOT, folder, basename(file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(CORPUS, file), target);
  return vscode.Uri.file(target);
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-');
}

let editorQueue: Promise<unknown> = Promise.resolve();

/** One editor opens at a time: an open that overlaps another fails ("Could NOT open editor"). */
function serially<T>(work: () => Thenable<T>): Promise<T> {
  const result = editorQueue.then(() => work());
  editorQueue = result.then(() => undefined, () => undefined);
  return result;
}

/**
 * Opens the file (and shows it in an editor unless `show` is false), resolving with our diagnostics
 * once the open-triggered scan published them.
 */
async function openAndScan(uri: vscode.Uri, show = true): Promise<{ doc: vscode.TextDocument; diagnostics: vscode.Diagnostic[] }> {
  let doc: vscode.TextDocument | undefined;
  const diagnostics = await published(uri, async () => {
    doc = await vscode.workspace.openTextDocument(uri);
    const opened = doc;
    if (show) await serially(() => vscode.window.showTextDocument(opened, { preview: false }));
  }, 'open');
  assert.ok(doc);
  return { doc, diagnostics };
}

/**
 * Opens a file as a document without an editor, runs `body`, and saves it if a failure left it dirty.
 * The many fix cases do not show editors: rendering ~60 editors costs the headless workbench about
 * 30 s of CPU on two cores, and VS Code runs diagnostics and code action providers per document,
 * editor or not. The tests of 'diagnostics on open and on save' go through visible editors.
 */
async function withDocument(uri: vscode.Uri, body: (doc: vscode.TextDocument, diagnostics: vscode.Diagnostic[]) => Promise<void>): Promise<void> {
  const { doc, diagnostics } = await openAndScan(uri, false);
  try {
    await body(doc, diagnostics);
  } finally {
    if (doc.isDirty) await doc.save(); // a failed case: leave no dirty document behind
  }
}

/**
 * Runs every case in the background, `width` at a time, as soon as the suite starts; each `it`
 * then awaits its own case, so a failure is reported against the case that failed. Cases touch
 * only their own copy of a file, so they may overlap.
 */
function inParallel<T>(cases: readonly T[], run: (c: T) => Promise<void>, width = 4): Map<T, Promise<void>> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < width) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const results = new Map<T, Promise<void>>();
  for (const c of cases) {
    const result = acquire().then(() => run(c)).finally(release);
    result.catch(() => undefined); // reported by the case's own `it`
    results.set(c, result);
  }
  return results;
}

async function saveAndScan(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  return published(doc.uri, async () => {
    const wasDirty = doc.isDirty;
    const saved = await doc.save();
    assert.equal(saved, true, `save succeeded (dirty before: ${wasDirty}, after: ${doc.isDirty}, files.autoSave: ${String(vscode.workspace.getConfiguration('files').get('autoSave'))})`);
  }, 'save');
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // Only quick fixes, the kind under test (other kinds would also ask the TypeScript server for refactorings).
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return all.filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

/** The core's finding behind a diagnostic: same rule, same start. */
function findingAt(text: string, file: string, diagnostic: vscode.Diagnostic): Finding {
  const language = languageForPath(file);
  assert.ok(language, file);
  const finding = rules().scan(text, language).find((f) => f.rule === diagnostic.code && f.range.startLine === diagnostic.range.start.line && f.range.startColumn === diagnostic.range.start.character);
  assert.ok(finding, `the core engine has the finding ${keys([diagnostic]).join('')}`);
  return finding;
}

/**
 * The action VS Code offers for the finding's preferred fix (or its only fix, when the rule marks
 * none as preferred: then a quick fix is not the obvious choice and the user picks it by hand).
 */
function preferredAction(actions: readonly vscode.CodeAction[], finding: Finding): vscode.CodeAction {
  const preferred = finding.fixes.filter((f) => f.isPreferred);
  assert.ok(finding.fixes.length > 0, `${finding.rule} offers a fix`);
  assert.ok(preferred.length === 1 || finding.fixes.length === 1, `${finding.rule}: one preferred fix, or a single fix (fixes: ${finding.fixes.map((f) => f.title).join(' | ')})`);
  const fix = preferred[0] ?? finding.fixes[0];
  const matching = actions.filter((a) => a.title === fix.title);
  assert.equal(matching.length, 1, `one code action "${fix.title}" among: ${actions.map((a) => a.title).join(' | ')}`);
  const action = matching[0];
  assert.equal(action.isPreferred === true, fix.isPreferred, `isPreferred of "${fix.title}"`);
  assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value, 'kind QuickFix');
  assert.ok(action.edit, `"${fix.title}" carries an edit`);
  return action;
}

/** Where a 0-based line moves once the edits are applied (edits ending before it add or remove lines). */
function mapLine(edits: readonly vscode.TextEdit[], line: number, column: number): number {
  let shift = 0;
  for (const edit of edits) {
    const { start, end } = edit.range;
    if (end.line > line || (end.line === line && end.character > column)) continue;
    shift += (edit.newText.match(/\n/g)?.length ?? 0) - (end.line - start.line);
  }
  return line + shift;
}

function mappedKeys(diagnostics: readonly vscode.Diagnostic[], edits: readonly vscode.TextEdit[]): string[] {
  return diagnostics.map((d) => `${mapLine(edits, d.range.start.line, d.range.start.character) + 1}:${String(d.code)}`).sort();
}

function assertParses(doc: vscode.TextDocument, file: string): void {
  const language = languageForPath(file);
  assert.ok(language);
  assert.equal(readFileSync(doc.uri.fsPath, 'utf8'), doc.getText(), 'the saved file holds the edited text');
  assert.ok(rules().parsesCleanly(doc.getText(), language), `the edited ${file} re-parses without ERROR or MISSING nodes:\n${doc.getText()}`);
}

/**
 * Applies the preferred fix of `diagnostic`, saves, and checks the rescan: exactly that finding is
 * gone (the others moved with the edit), plus `appears` new ones. Returns the diagnostics after.
 */
async function applyPreferredFix(doc: vscode.TextDocument, file: string, diagnostic: vscode.Diagnostic, appears: (line: number) => string[] = () => []): Promise<{ after: vscode.Diagnostic[]; line: number }> {
  const before = ours(doc.uri);
  const finding = findingAt(doc.getText(), file, diagnostic);
  const action = preferredAction(await codeActions(doc.uri, diagnostic.range), finding);
  const edit = action.edit;
  assert.ok(edit);
  const edits = edit.get(doc.uri);
  assert.ok(edits.length > 0, 'the fix edits this file');
  const textBefore = doc.getText();
  assert.equal(await vscode.workspace.applyEdit(edit), true, `applyEdit("${action.title}")`);
  assert.notEqual(doc.getText(), textBefore, 'the fix changed the text');
  const after = await saveAndScan(doc);
  assertParses(doc, file);
  const line = mapLine(edits, diagnostic.range.start.line, diagnostic.range.start.character);
  const same = (d: vscode.Diagnostic) => d.code === diagnostic.code && d.range.start.isEqual(diagnostic.range.start);
  assert.equal(before.filter(same).length, 1, 'the diagnostic is there before the fix');
  // Every fix is local: a malloc_trim in one round leaves another round's finding (trim is counted per round).
  const others = before.filter((d) => !same(d));
  assert.deepEqual(keys(after), [...mappedKeys(others, edits), ...appears(line + 1)].sort(), `after "${action.title}" and save: ${String(diagnostic.code)} gone at line ${line + 1}, the rest moved with the edit`);
  return { after, line };
}

// ---- settings ----------------------------------------------------------------------------------

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SOURCE).update(key, value, vscode.ConfigurationTarget.Workspace);
}

function defaultSeverity(rule: string): vscode.DiagnosticSeverity {
  const doc = RULES.find((r) => r.id === rule);
  assert.ok(doc, rule);
  return toVscode(doc.defaultSeverity);
}

function toVscode(s: Severity): vscode.DiagnosticSeverity {
  return { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint }[s];
}

// ---- the cases -----------------------------------------------------------------------------------

/** On a fresh copy: open, apply the finding's preferred fix, save, check the rescan and the parse. */
async function fixCase(e: Expected): Promise<void> {
  const uri = copyCorpus(e.file, join('fix', slug(`${e.file}-${e.line}-${e.rule}`)));
  await withDocument(uri, async (doc, diagnostics) => {
    assert.deepEqual(keys(diagnostics), expectedKeys(e.file), 'diagnostics on open match the manifest');
    const target = diagnostics.find((d) => d.range.start.line === e.line - 1 && d.code === e.rule);
    assert.ok(target);
    if (e.rule !== 'missing-gc-after-free') {
      await applyPreferredFix(doc, e.file, target);
      return;
    }
    // The known two-step: once gc.collect() runs after the `del`, the freed memory may still sit in
    // glibc's heap, so malloc-trim now fires on the same `del`; its own fix finishes the job.
    const { after, line } = await applyPreferredFix(doc, e.file, target, (l) => [`${l}:malloc-trim`]);
    const trim = after.find((d) => d.code === 'malloc-trim' && d.range.start.line === line);
    assert.ok(trim, 'malloc-trim appears on the del after the gc fix');
    // Its fix must not bring the gc finding back: applyPreferredFix checks that nothing else appears.
    await applyPreferredFix(doc, e.file, trim);
  });
}

/** On a fresh copy: "Ignore <rule> on this line" on every finding, save, nothing left, still parses. */
async function ignoreCase(file: string): Promise<void> {
  const uri = copyCorpus(file, join('ignore', slug(file)));
  await withDocument(uri, async (doc, diagnostics) => {
    assert.deepEqual(keys(diagnostics), expectedKeys(file));
    const ignores: vscode.CodeAction[] = [];
    for (const d of diagnostics) {
      const title = `Ignore ${String(d.code)} on this line`;
      const action = (await codeActions(uri, d.range)).find((a) => a.title === title);
      assert.ok(action?.edit, `"${title}" offered at line ${d.range.start.line + 1}`);
      assert.notEqual(action.isPreferred, true, 'ignoring is never the preferred fix');
      ignores.push(action);
    }
    // Each edit inserts on its own line without adding lines (the manifest has one finding per
    // line), so the edits computed on the pristine text stay valid when applied one after another.
    for (const action of ignores) {
      assert.ok(action.edit);
      assert.equal(await vscode.workspace.applyEdit(action.edit), true, action.title);
    }
    const after = await saveAndScan(doc);
    assertParses(doc, file);
    assert.deepEqual(keys(after), [], 'every finding is silenced');
    const comment = file.endsWith('.py') ? '#' : '//';
    for (const d of diagnostics) {
      // A new comment at the end of the line, or the rule added to a directive already there.
      const text = doc.lineAt(d.range.start.line).text;
      const list = new RegExp(`${comment}.*?leakscope: ignore\\[([^\\]]*)\\]`).exec(text)?.[1].split(',').map((id) => id.trim());
      assert.ok(list?.includes(String(d.code)), `line ${d.range.start.line + 1} ignores ${String(d.code)}: ${text}`);
    }
  });
}

// ---- the tests ---------------------------------------------------------------------------------

describe('Leak rules in a real VS Code', function () {
  this.timeout(20_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<{ rulesReady(): Promise<void> }>('leakscope.leakscope');
    assert.ok(extension, 'Leakscope is loaded');
    const api = await extension.activate();
    await api.rulesReady();
    engine = await RuleEngine.create(join(REPO, 'dist/grammars'));
    rmSync(ROOT, { recursive: true, force: true });
    for (const [section, key, value] of TEST_SETTINGS) await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    for (const [section, key] of TEST_SETTINGS) await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await closeAll();
    engine?.dispose();
    rmSync(ROOT, { recursive: true, force: true });
  });


  describe('every quick fix of the corpus, applied through the vscode API', () => {
    const cases = withFindings.flatMap((file) => expectedOf(file));
    let results = new Map<Expected, Promise<void>>();
    before(() => {
      results = inParallel(cases, (e) => fixCase(e));
    });
    for (const e of cases) {
      it(`${e.file}:${e.line} ${e.rule}: the preferred fix re-parses and the rule is gone after save`, () => results.get(e));
    }
  });

  it('a quick fix on a demo file offers "Restart and compare" for the program that runs it, not a "fix applied" mark', async () => {
    const uri = vscode.Uri.file(join(WORKSPACE, 'federated_server.py'));
    const { diagnostics } = await openAndScan(uri);
    const cache = diagnostics.find((d) => d.code === 'unbounded-cache');
    assert.ok(cache, 'the demo server has its unbounded-cache finding');
    const preferred = (await codeActions(uri, cache.range)).find((a) => a.isPreferred);
    assert.ok(preferred, 'a preferred quick fix');
    assert.equal(preferred.command?.command, 'leakscope.restartAndCompare');
    assert.deepEqual(preferred.command?.arguments, [{ file: uri.fsPath, rule: 'unbounded-cache' }]);
    await closeAll();
  });

  describe('"Ignore <rule> on this line"', () => {
    let results = new Map<string, Promise<void>>();
    before(() => {
      results = inParallel(withFindings, (file) => ignoreCase(file));
    });
    for (const file of withFindings) {
      it(`${file}: ignoring each finding silences it and the file still parses`, () => results.get(file));
    }
  });

  describe('diagnostics on open and on save', () => {
    afterEach(closeAll);

    it('on open: source "leakscope", code = rule id, on the construct, with the rule\'s severity', async () => {
      const file = 'python/fl_server.py';
      const { doc, diagnostics } = await openAndScan(copyCorpus(file, 'open'));
      assert.equal(vscode.window.activeTextEditor?.document, doc, 'shown in the active editor');
      assert.deepEqual(keys(diagnostics), expectedKeys(file));
      for (const d of diagnostics) {
        assert.equal(d.source, 'leakscope');
        assert.equal(d.severity, defaultSeverity(String(d.code)), `${String(d.code)} severity`);
        assert.ok(!d.range.isEmpty && d.range.isSingleLine, 'a non-empty range on the construct\'s line');
        assert.ok(d.message.length > 20, 'a message that explains the risk');
      }
    });

    for (const file of ['python/fl_server.py', 'js/ws_server.ts']) {
      it(`a quick fix applied in a visible editor (${file}): the editor shows the fix, the save rescans`, async () => {
        const { doc, diagnostics } = await openAndScan(copyCorpus(file, join('editor', slug(file))));
        const target = diagnostics.find((d) => d.code === 'handler-not-cleared');
        assert.ok(target);
        await applyPreferredFix(doc, file, target);
        assert.equal(vscode.window.activeTextEditor?.document.getText(), readFileSync(doc.uri.fsPath, 'utf8'), 'the active editor holds the fixed, saved text');
      });
    }

    it('on save: a file that starts clean gets its findings when leaking code is saved into it', async () => {
      const file = 'js/express_app.js';
      const uri = vscode.Uri.file(join(ROOT, 'save', 'express_app.js'));
      mkdirSync(dirname(uri.fsPath), { recursive: true });
      writeFileSync(uri.fsPath, '');
      const { doc, diagnostics } = await openAndScan(uri);
      assert.deepEqual(keys(diagnostics), []);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), readFileSync(join(CORPUS, file), 'utf8'));
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      assert.deepEqual(keys(await saveAndScan(doc)), expectedKeys(file));
    });

    for (const file of lookalikes) {
      it(`negative look-alike ${file}: no finding`, async () => {
        const { diagnostics } = await openAndScan(copyCorpus(file, join('negative', slug(file))));
        assert.deepEqual(keys(diagnostics), []);
      });
    }
  });

  describe('settings', () => {
    const file = 'python/fl_server.py';
    let uri: vscode.Uri;
    let round = 0;

    beforeEach(async () => {
      // A new path each time: a document closed a moment ago may still be open in the extension host.
      uri = copyCorpus(file, join('settings', String(++round)));
      const { diagnostics } = await openAndScan(uri);
      assert.deepEqual(keys(diagnostics), expectedKeys(file));
    });

    afterEach(async () => {
      for (const key of ['rules.disabled', 'rules.severity', 'rules.enabled']) await setSetting(key, undefined);
      await until('the findings back after restoring the settings', () => {
        const now = ours(uri);
        return keys(now).join() === expectedKeys(file).join() && now.every((d) => d.severity === defaultSeverity(String(d.code)));
      });
    });

    afterEach(closeAll);

    it('leakscope.rules.disabled turns a rule off in open files', async () => {
      await setSetting('rules.disabled', ['log-no-rotation']);
      const rest = expectedKeys(file).filter((k) => !k.endsWith(':log-no-rotation'));
      await until('log-no-rotation gone, the rest kept', () => keys(ours(uri)).join() === rest.join());
    });

    it('leakscope.rules.severity changes a rule\'s severity', async () => {
      await setSetting('rules.severity', { 'unbounded-collection': 'error', 'log-no-rotation': 'hint' });
      const severityOf = (rule: string) => ours(uri).find((d) => d.code === rule)?.severity;
      await until('the new severities', () => severityOf('unbounded-collection') === vscode.DiagnosticSeverity.Error && severityOf('log-no-rotation') === vscode.DiagnosticSeverity.Hint);
      assert.equal(severityOf('handler-not-cleared'), defaultSeverity('handler-not-cleared'), 'other rules keep theirs');
    });

    it('leakscope.rules.enabled: false clears the diagnostics, true brings them back', async () => {
      await setSetting('rules.enabled', false);
      await until('no leakscope diagnostics', () => ours(uri).length === 0);
      await setSetting('rules.enabled', true);
      await until('the findings back', () => keys(ours(uri)).join() === expectedKeys(file).join());
    });
  });

  describe('"Scan workspace for leak patterns"', () => {
    /** Corpus files copied under another name: .pyw and .mts are read by the engine and `leakscope scan` too. */
    const names: Record<string, string> = {
      'python/metrics_collector.py': 'metrics_collector.py',
      'js/metrics_store.ts': 'metrics_store.ts',
      'python/tune_lambda.py': 'tune_lambda.pyw',
      'js/rpc_client.ts': 'rpc_client.mts',
    };
    const unopened = Object.keys(names);
    let summary: ScanSummary;
    const uriOf = (file: string) => vscode.Uri.file(join(ROOT, 'unopened', names[file]));

    before(async () => {
      for (const file of unopened) {
        mkdirSync(join(ROOT, 'unopened'), { recursive: true });
        copyFileSync(join(CORPUS, file), uriOf(file).fsPath);
      }
      for (const file of lookalikes) copyCorpus(file, join('unopened', 'negative', slug(file)));
      summary = await vscode.commands.executeCommand<ScanSummary>('leakscope.scanWorkspace');
    });

    after(async () => {
      for (const key of ['rules.disabled', 'rules.enabled']) await setSetting(key, undefined);
    });

    it('returns a summary of the files it scanned', () => {
      assert.equal(summary.cancelled, false);
      const scanned = 2 + unopened.length + lookalikes.length;
      assert.ok(summary.files >= scanned, `scanned ${summary.files} files, at least ${scanned} expected`);
      assert.ok(summary.findings >= unopened.flatMap(expectedOf).length, `${summary.findings} findings`);
    });

    it('sets diagnostics on files that were never opened, none on the look-alikes', () => {
      for (const file of unopened) {
        const uri = uriOf(file);
        assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${file} is not open`);
        assert.deepEqual(keys(ours(uri)), expectedKeys(file), file);
      }
      for (const file of lookalikes) {
        assert.deepEqual(keys(ours(vscode.Uri.file(join(ROOT, 'unopened', 'negative', slug(file), basename(file))))), [], file);
      }
    });

    it('the demo gets exactly its intended findings: two per leaking program, none in the one that plateaus', () => {
      const rulesOf = (name: string) => ours(vscode.Uri.file(join(WORKSPACE, name))).map((d) => String(d.code)).sort();
      assert.deepEqual(rulesOf('federated_server.py'), ['handler-not-cleared', 'unbounded-cache']);
      assert.deepEqual(rulesOf('session_cache.js'), ['timer-not-cleared', 'unbounded-cache']);
      assert.deepEqual(rulesOf('warmup_worker.py'), []);
    });

    it('a disabled rule disappears from the files the scan found, and rules.enabled off/on clears and restores them', async () => {
      const ts = uriOf('js/metrics_store.ts');
      await setSetting('rules.disabled', ['unbounded-cache']);
      await until('unbounded-cache gone from the unopened file', () => keys(ours(ts)).join() === expectedKeys('js/metrics_store.ts').filter((k) => !k.endsWith(':unbounded-cache')).join());
      await setSetting('rules.disabled', undefined);
      await until('unbounded-cache back', () => keys(ours(ts)).join() === expectedKeys('js/metrics_store.ts').join());
      await setSetting('rules.enabled', false);
      await until('cleared', () => unopened.every((f) => ours(uriOf(f)).length === 0));
      await setSetting('rules.enabled', undefined);
      await until('restored', () => unopened.every((f) => keys(ours(uriOf(f))).join() === expectedKeys(f).join()));
    });
  });
});
