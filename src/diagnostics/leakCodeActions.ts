// Quick fixes for Leakscope diagnostics: the rule's own fixes (from the core, as text
// edits), the fixes the rules give a probe's lines with its evidence, and "ignore on this line".
import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { CodeFix, Finding } from '../core/rules/types';
import { DIAGNOSTIC_SOURCE, LeakDiagnostics, RUNTIME_CODE } from './leakDiagnostics';

export class LeakCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: LeakDiagnostics) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const findings = await this.diagnostics.findingsFor(doc);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const matching = diagnostic.code === RUNTIME_CODE
        ? await this.diagnostics.findingsForRuntimeLine(doc, diagnostic.range.start.line)
        : findings.filter((f) => sameFinding(f, diagnostic));
      for (const finding of matching) {
        for (const fix of finding.fixes) actions.push(toAction(doc, fix, finding, diagnostic));
      }
      if (typeof diagnostic.code === 'string' && diagnostic.code !== RUNTIME_CODE) actions.push(ignoreAction(doc, diagnostic.code, diagnostic));
    }
    return actions;
  }
}

function sameFinding(f: Finding, d: vscode.Diagnostic): boolean {
  return f.rule === d.code && f.range.startLine === d.range.start.line && f.range.startColumn === d.range.start.character;
}

function toAction(doc: vscode.TextDocument, fix: CodeFix, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) {
    const r = e.range;
    edit.replace(doc.uri, new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn), e.newText);
  }
  action.edit = edit;
  action.diagnostics = [diagnostic];
  action.isPreferred = fix.isPreferred;
  // The running process still runs the old code: offer to restart it and compare, not a "fixed" mark.
  action.command = { command: Commands.restartAndCompare, title: vscode.l10n.t('Restart and compare'), arguments: [{ file: doc.uri.fsPath, rule: finding.rule }] };
  return action;
}

/** A `leakscope: ignore[...]` directive in a comment on the line (the engine reads the first one only). */
const IGNORE_LIST = { python: /#.*?leakscope:\s*ignore\[([^\]]*)\]/, js: /\/\/.*?leakscope:\s*ignore\[([^\]]*)\]/ };

function ignoreAction(doc: vscode.TextDocument, rule: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const line = doc.lineAt(diagnostic.range.start.line);
  const comment = doc.languageId === 'python' ? '#' : '//';
  const action = new vscode.CodeAction(vscode.l10n.t('Ignore {0} on this line', rule), vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  const existing = IGNORE_LIST[comment === '#' ? 'python' : 'js'].exec(line.text);
  if (existing) {
    // A second directive after the first would be read as part of the first comment and do nothing:
    // add the rule to the list already there.
    const closing = existing.index + existing[0].length - 1;
    action.edit.insert(doc.uri, new vscode.Position(line.lineNumber, closing), existing[1].trim() ? `, ${rule}` : rule);
  } else {
    action.edit.insert(doc.uri, line.range.end, `  ${comment} leakscope: ignore[${rule}]`);
  }
  action.diagnostics = [diagnostic];
  return action;
}
