import { Language } from './types';

const EXTENSIONS: Readonly<Record<string, Language>> = {
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  // The JavaScript grammar parses JSX as well.
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
};

const VSCODE_IDS: Readonly<Record<string, Language>> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
};

/** File extensions the scanner looks at, with their dot. */
export const SCANNED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

export function languageForPath(path: string): Language | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (name.endsWith('.d.ts')) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return EXTENSIONS[name.slice(dot).toLowerCase()];
}

export function languageForVscodeId(id: string): Language | undefined {
  return VSCODE_IDS[id];
}

export function isPythonLanguage(language: Language): boolean {
  return language === 'python';
}
