// Diagnostics from the rule engine (static rules) and from deep probes (runtime evidence).
// Findings are cached per document version so code actions reuse them.
import * as vscode from 'vscode';
import { readConfig, RuleSeverity } from '../config';
import { ProbeSite } from '../core/probe/types';
import type { RuleEngine } from '../core/rules/engine';
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

export class LeakDiagnostics extends DisposableBase implements vscode.Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('leakscope'));
  private readonly runtime = this.register(vscode.languages.createDiagnosticCollection('leakscope-runtime'));
  private readonly cache = new Map<string, CachedScan>();
  private readonly leakingFiles = new Map<string, LeakingFileNote>();
  /** The last probe's sites by document URI, so quick fixes can use them as evidence. */
  private readonly runtimeSites = new Map<string, RuntimeSite[]>();
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

  async scanDocument(doc: vscode.TextDocument): Promise<Finding[]> {
    const language = languageOf(doc);
    if (!language || doc.uri.scheme === 'output' || doc.uri.scheme === 'git') return [];
    return this.scanText(doc.uri, doc.getText(), language, doc.version);
  }

  /** Scans a file that may not be open (workspace scan). */
  async scanUri(uri: vscode.Uri): Promise<Finding[]> {
    const language = languageForPath(uri.fsPath);
    if (!language) return [];
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.scanDocument(open);
    const bytes = await vscode.workspace.fs.readFile(uri);
    this.scannedFiles.add(uri.toString());
    if (bytes.includes(0)) return [];
    return this.scanText(uri, Buffer.from(bytes).toString('utf8'), language, undefined);
  }

  /** Findings of the current version of a document (scanning if needed). */
  async findingsFor(doc: vscode.TextDocument): Promise<Finding[]> {
    const cached = this.cache.get(doc.uri.toString());
    if (cached && cached.version === doc.version) return cached.findings;
    return this.scanDocument(doc);
  }

  /** Raises the diagnostics of files a leaking process runs. */
  setLeakingFiles(files: Map<string, LeakingFileNote>): void {
    this.leakingFiles.clear();
    for (const [file, note] of files) this.leakingFiles.set(file, note);
    for (const [key, scan] of this.cache) this.publish(vscode.Uri.parse(key), scan.findings);
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
    const atLines = engine.findingsAtLines(doc.getText(), language, lines, { disabledRules: config.disabledRules, severityOverrides: config.ruleSeverity, hints: config.ruleHints });
    if (atLines.length > 0) return atLines;
    return (await this.findingsFor(doc)).filter((f) => Math.abs(f.range.startLine - line) <= RUNTIME_NEIGHBOURHOOD);
  }

  /** Puts a probe's allocation sites as diagnostics on the lines that hold growing memory. */
  showRuntimeEvidence(pid: number, windowMs: number, sites: readonly ProbeSite[]): number {
    this.runtime.clear();
    this.runtimeSites.clear();
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
    return [...byFile.values()].reduce((n, l) => n + l.length, 0);
  }

  private async scanText(uri: vscode.Uri, text: string, language: Language, version: number | undefined): Promise<Finding[]> {
    const config = readConfig();
    if (!config.rulesEnabled) {
      this.collection.delete(uri);
      return [];
    }
    const engine = await this.engine();
    const findings = engine.scan(text, language, { disabledRules: config.disabledRules, severityOverrides: config.ruleSeverity, hints: config.ruleHints });
    this.cache.set(uri.toString(), { version, language, findings });
    this.publish(uri, findings);
    return findings;
  }

  private publish(uri: vscode.Uri, findings: readonly Finding[]): void {
    const note = this.leakingFiles.get(uri.fsPath);
    this.collection.set(uri, findings.map((f) => toDiagnostic(f, note)));
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
  const d = new vscode.Diagnostic(new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn), message, severity(f.severity, leaking !== undefined));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.rule;
  return d;
}

/** A leaking process raises its files' findings one step, at least to a warning. */
function severity(s: RuleSeverity, raised: boolean): vscode.DiagnosticSeverity {
  const base = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint }[s];
  return raised ? Math.max(vscode.DiagnosticSeverity.Error, Math.min(base - 1, vscode.DiagnosticSeverity.Warning)) : base;
}
