// The panel's page. No `vscode` import: the headless-browser tests build the very same page
// with file: URLs, so the Content-Security-Policy they run under is the one users get.
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** webview.cspSource: where styles, fonts and the script may come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  title: string;
}

export function panelHtml(o: PanelHtmlOptions): string {
  // default-src 'none': no network, no frames, no workers. Scripts only with the nonce;
  // styles and fonts only from the extension's dist folder (cspSource). The codicon link
  // carries the nonce too, because vscode-elements copies it into its shadow roots.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.codiconsUri)}" id="vscode-codicon-stylesheet" nonce="${o.nonce}">
<link rel="stylesheet" href="${attr(o.styleUri)}" nonce="${o.nonce}">
<title>${text(o.title)}</title>
</head>
<body>
<main id="leakscope-panel"></main>
<script nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

/** 128 bits from the OS's CSPRNG, base64url: a nonce nobody can guess. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
