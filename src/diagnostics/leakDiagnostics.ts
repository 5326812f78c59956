// Diagnostics from the rule engine (static rules) and from deep probes (runtime evidence).
// Findings are cached per document version so code actions reuse them; the cache holds the hint
// tier's too, and which of them are shown is decided per file each time they are published.
import * as vscode from 'vscode';
import { readConfig } from '../config';
import { ProbeSite } from '../core/probe/types';
import type { RuleEngine } from '../core/rules/engine';
import { computesHints, isFindingShown } from '../core/rules/hintVisibility';
import { languageForPath, languageForVscodeId } from '../core/rules/languages';
import type { Finding, Language } from '../core/rules/types';
import { loadRuleEngine } from './ruleEngineLoader';
import { DisposableBase, toDisposable } from '../core/events';
import { formatBytes } from '../core/units';

export const DIAGNOSTIC_SOURCE = 'leakscope';
export const RUNTIME_CODE = 'runtime-growth';

/**
 * When no rule fires on a probe's lines, a static finding this many lines away is offered
 * instead: V8 names the function's line, the store sits somewhere in its body.
 */
const RUNTIME_NEIGHBOURHOOD = 15;

/** A probe's site, 0-based: the line it named and the statement guessed inside that function. */
interface RuntimeSite {
  line: number;
  statementLine?: number;
}

interface CachedScan {
  version: number | undefined;
  language: Language;
  findings: Finding[];
}

/** Why a file is raised in priority: a watched process that runs it is leaking. */
export interface LeakingFileNote {
  pid: number;
  summary: string;
}

/** A watched process whose verdict is a leak class, and the script files it runs. */
export interface LeakingProcess extends LeakingFileNote {
  scripts: readonly string[];
}

export class LeakDiagnostics extends DisposableBase implements vscode.Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('leakscope'));
  private readonly runtime = this.register(vscode.languages.createDiagnosticCollection('leakscope-runtime'));
  private readonly cache = new Map<string, CachedScan>();
  private leakingProcesses: readonly LeakingProcess[] = [];
  /** The last probe's sites by document URI, so quick fixes can use them as evidence. */
  private readonly runtimeSites = new Map<string, RuntimeSite[]>();
  /** The process the last probe watched: its sites' files leak while its verdict is a leak. */
  private probedPid: number | undefined;
  /** Files scanned from disk (workspace scan) whose diagnostics must follow setting changes too. */
  private readonly scannedFiles = new Set<string>();
  private enginePromise: Promise<RuleEngine> | undefined;

  constructor(private readonly grammarDir: string) {
    super();
    // Released after the document listeners: the engine goes once nothing asks it for scans.
    this.register(toDisposable(() => void this.enginePromise?.then((e) => e.dispose())));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => void this.scanDocument(d)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.scanDocument(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
    for (const doc of vscode.workspace.textDocuments) void this.scanDocument(doc);
  }

  engine(): Promise<RuleEngine> {
    this.enginePromise ??= loadRuleEngine(this.grammarDir);
    return this.enginePromise;
  }

  /** Re-reads settings and rescans every open document and every file the workspace scan read. */
  async refresh(): Promise<void> {
    this.cache.clear();
    if (!readConfig().rulesEnabled) {
      this.collection.clear();
      return;
    }
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const files = [...this.scannedFiles].filter((key) => !open.has(key)).map((key) => vscode.Uri.parse(key));
    await Promise.all([
      ...vscode.workspace.textDocuments.map((d) => this.scanDocument(d)),
      ...files.map((uri) => this.scanUri(uri).catch(() => {
        this.scannedFiles.delete(uri.toString());
        this.collection.delete(uri);
      })),
    ]);
  }

  /** The findings shown for the document (hints where {@link isFindingShown} says), after a fresh scan. */
  async scanDocument(doc: vscode.TextDocument): Promise<Finding[]> {
    return this.shown(doc.uri, await this.scanDocumentFully(doc));
  }

  /** Scans a file that may not be open (workspace scan); the findings shown, as {@link scanDocument}. */
  async scanUri(uri: vscode.Uri): Promise<Finding[]> {
    const language = languageForPath(uri.fsPath);
    if (!language) return [];
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.scanDocument(open);
    const bytes = await vscode.workspace.fs.readFile(uri);
    this.scannedFiles.add(uri.toString());
    if (bytes.includes(0)) return [];
    return this.shown(uri, await this.scanText(uri, Buffer.from(bytes).toString('utf8'), language, undefined));
  }

  /** Findings shown for the current version of a document (scanning if needed): what quick fixes may act on. */
  async findingsFor(doc: vscode.TextDocument): Promise<Finding[]> {
    const cached = this.cache.get(doc.uri.toString());
    if (cached && cached.version === doc.version) return this.shown(doc.uri, cached.findings);
    return this.scanDocument(doc);
  }

  /**
   * The processes judged leaking now: their scripts' findings are raised, and where the setting
   * is "whenLeaking" their hints appear. Republishes from the cache; nothing is rescanned.
   */
  setLeakingProcesses(processes: readonly LeakingProcess[]): void {
    this.leakingProcesses = processes;
    this.republish();
  }

  /**
   * The findings a runtime diagnostic at `line` stands for: what the rules make of the probe's
   * lines with its evidence (an unnamed list that grew is then a finding), else the static
   * findings around it.
   */
  async findingsForRuntimeLine(doc: vscode.TextDocument, line: number): Promise<Finding[]> {
    const language = languageOf(doc);
    const config = readConfig();
    if (!language || !config.rulesEnabled) return [];
    const sites = (this.runtimeSites.get(doc.uri.toString()) ?? []).filter((s) => s.line === line);
    const lines = [line, ...sites.flatMap((s) => (s.statementLine === undefined ? [] : [s.statementLine]))];
    const engine = await this.engine();
    const atLines = engine.findingsAtLines(doc.getText(), language, lines, { disabledRules: config.disabledRules, severityOverrides: config.ruleSeverity, hints: computesHints(config.ruleHints) });
    const shownAtLines = this.shown(doc.uri, atLines);
    if (shownAtLines.length > 0) return shownAtLines;
    return (await this.findingsFor(doc)).filter((f) => Math.abs(f.range.startLine - line) <= RUNTIME_NEIGHBOURHOOD);
  }

  /** Puts a probe's allocation sites as diagnostics on the lines that hold growing memory. */
  showRuntimeEvidence(pid: number, windowMs: number, sites: readonly ProbeSite[]): number {
    this.runtime.clear();
    this.runtimeSites.clear();
    this.probedPid = pid;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const site of sites.slice(0, 20)) {
      if (!site.file.startsWith('/') || site.line < 1 || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(site.file))) continue;
      const uri = vscode.Uri.file(site.file);
      const d = runtimeDiagnostic(uri, pid, windowMs, site);
      const list = byFile.get(site.file) ?? [];
      list.push(d);
      byFile.set(site.file, list);
      const known = this.runtimeSites.get(uri.toString()) ?? [];
      known.push({ line: site.line - 1, statementLine: site.statement ? site.statement.line - 1 : undefined });
      this.runtimeSites.set(uri.toString(), known);
    }
    for (const [file, list] of byFile) this.runtime.set(vscode.Uri.file(file), list);
    // The files that leak may have changed: the old probe's lose their reason, the new ones gain it.
    this.republish();
    void this.scanProbedFiles([...byFile.keys()]);
    return [...byFile.values()].reduce((n, l) => n + l.length, 0);
  }

  /**
   * Why the file counts as leaking, if it does: a leaking process runs it as its script, or the
   * last probe, of a process leaking now, found memory still alive that was allocated in it.
   * The one place that decides it (raised findings, hints shown, their quick fixes).
   */
  private leakingNote(uri: vscode.Uri): LeakingFileNote | undefined {
    // The last process listed that runs it, as the map of files this replaced kept.
    const runner = [...this.leakingProcesses].reverse().find((p) => p.scripts.includes(uri.fsPath));
    if (runner) return { pid: runner.pid, summary: runner.summary };
    if (!this.runtimeSites.has(uri.toString())) return undefined;
    const probed = this.leakingProcesses.find((p) => p.pid === this.probedPid);
    return probed && { pid: probed.pid, summary: probed.summary };
  }

  /** A probe's files nobody opened or scanned yet: scanned, so their hints can show while the process leaks. */
  private async scanProbedFiles(files: readonly string[]): Promise<void> {
    for (const file of files) {
      const uri = vscode.Uri.file(file);
      if (this.cache.has(uri.toString())) continue;
      await this.scanUri(uri).catch(() => undefined); // gone or unreadable: its runtime diagnostic stays
    }
  }

  private async scanDocumentFully(doc: vscode.TextDocument): Promise<Finding[]> {
    const language = languageOf(doc);
    if (!language || doc.uri.scheme === 'output' || doc.uri.scheme === 'git') return [];
    return this.scanText(doc.uri, doc.getText(), language, doc.version);
  }

  /** `note`: the file's leaking note when the caller has it already (publish needs both). */
  private shown(uri: vscode.Uri, findings: readonly Finding[], note = this.leakingNote(uri)): Finding[] {
    const setting = readConfig().ruleHints;
    return findings.filter((f) => isFindingShown(f, setting, note !== undefined));
  }

  private republish(): void {
    for (const [key, scan] of this.cache) this.publish(vscode.Uri.parse(key), scan.findings);
  }

  private async scanText(uri: vscode.Uri, text: string, language: Language, version: number | undefined): Promise<Finding[]> {
    const config = readConfig();
    if (!config.rulesEnabled) {
      this.collection.delete(uri);
      return [];
    }
    const engine = await this.engine();
    // Hints are computed whenever they may be shown: a change of leak state only republishes.
    const findings = engine.scan(text, language, { disabledRules: config.disabledRules, severityOverrides: config.ruleSeverity, hints: computesHints(config.ruleHints) });
    this.cache.set(uri.toString(), { version, language, findings });
    this.publish(uri, findings);
    return findings;
  }

  private publish(uri: vscode.Uri, findings: readonly Finding[]): void {
    const note = this.leakingNote(uri);
    this.collection.set(uri, this.shown(uri, findings, note).map((f) => toDiagnostic(f, note)));
  }
}

function languageOf(doc: vscode.TextDocument): Language | undefined {
  return languageForVscodeId(doc.languageId) ?? languageForPath(doc.uri.fsPath);
}

function runtimeDiagnostic(uri: vscode.Uri, pid: number, windowMs: number, site: ProbeSite): vscode.Diagnostic {
  const line = site.line - 1;
  const d = new vscode.Diagnostic(
    new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
    vscode.l10n.t('Still alive after a {0} s probe of pid {1}: {2} in {3} objects allocated here ({4}).', Math.round(windowMs / 1000), pid, formatBytes(site.bytes), site.count.toLocaleString('en-US'), site.function),
    vscode.DiagnosticSeverity.Warning,
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = RUNTIME_CODE;
  if (site.statement) {
    // V8 names the function's line; point at the statement that most likely keeps the memory.
    const at = new vscode.Location(uri, new vscode.Range(site.statement.line - 1, 0, site.statement.line - 1, Number.MAX_SAFE_INTEGER));
    d.relatedInformation = [new vscode.DiagnosticRelatedInformation(at, vscode.l10n.t('Likely statement ({0}): {1}', site.statement.how, site.statement.text.trim()))];
  }
  return d;
}

function toDiagnostic(f: Finding, leaking: LeakingFileNote | undefined): vscode.Diagnostic {
  const r = f.range;
  const message = leaking ? vscode.l10n.t('{0} (pid {1} runs this file and {2})', f.message, leaking.pid, leaking.summary) : f.message;
  const d = new vscode.Diagnostic(new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn), message, severity(f, leaking !== undefined));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.rule;
  return d;
}

/**
 * A leaking process raises its files' strict findings one step, at least to a warning. A hint
 * there is listed in the Problems view as information, not raised further: it is shown because
 * the file leaks, and it is still often wrong.
 */
function severity(f: Finding, raised: boolean): vscode.DiagnosticSeverity {
  if (f.broad) return raised ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Hint;
  const base = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint }[f.severity];
  return raised ? Math.max(vscode.DiagnosticSeverity.Error, Math.min(base - 1, vscode.DiagnosticSeverity.Warning)) : base;
}
