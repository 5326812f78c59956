// Composition root: wires the adapters together. Owned by the lead; kept thin.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('leakscope.attach', () => undefined),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
