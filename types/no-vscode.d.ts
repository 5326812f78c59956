// Stands in for the `vscode` module in src/core and webview (see their tsconfig `paths`),
// so that any use of the VS Code API there fails to compile: the core must stay VS Code–free.
export declare const vscodeIsNotAvailableHere: never;
