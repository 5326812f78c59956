// Line arithmetic over the scanned text, and the small edit builders every fix uses.
import { TextEdit, TextRange } from './types';

export interface Position {
  line: number;
  column: number;
}

export class SourceText {
  readonly lineStarts: number[];
  readonly eol: string;

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    const next = this.lineStarts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    const raw = this.text.slice(start, end);
    return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  }

  lineEnd(line: number): Position {
    return { line, column: this.lineText(line).length };
  }

  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))?.[0] ?? '';
  }

  /** True when only whitespace precedes `column` on `line`. */
  startsLine(line: number, column: number): boolean {
    return this.lineText(line).slice(0, column).trim() === '';
  }

  /** True when only whitespace or a comment follows `column` on `line`. */
  endsLine(line: number, column: number, commentPrefix: string): boolean {
    const rest = this.lineText(line).slice(column).trim();
    return rest === '' || rest === ';' || rest.startsWith(commentPrefix);
  }

  /**
   * The file's indentation step: the smallest positive difference between a line's indent and
   * the one before it, so inserted blocks match the author's style.
   */
  indentUnit(fallback: string): string {
    this.detectedIndent ??= this.detectIndent() ?? null;
    return this.detectedIndent ?? fallback;
  }

  private detectedIndent: string | null | undefined;

  private detectIndent(): string | undefined {
    let best: string | undefined;
    let previous = '';
    for (let line = 0; line < this.lineCount; line++) {
      const text = this.lineText(line);
      if (text.trim() === '') continue;
      const indent = this.indentOf(line);
      if (indent.length > previous.length && indent.startsWith(previous)) {
        const step = indent.slice(previous.length);
        if (best === undefined || step.length < best.length) best = step;
        if (best.length === 1 && best === '\t') break;
      }
      previous = indent;
    }
    return best && best.length <= 8 ? best : undefined;
  }
}

export function rangeOf(start: Position, end: Position): TextRange {
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

export function insertAt(at: Position, newText: string): TextEdit {
  return { range: rangeOf(at, at), newText };
}

export function replaceRange(start: Position, end: Position, newText: string): TextEdit {
  return { range: rangeOf(start, end), newText };
}

/** Lines to insert after `line`, each prefixed by `indent`, at the end of that line. */
export function insertLinesAfter(source: SourceText, line: number, indent: string, lines: readonly string[]): TextEdit {
  const text = lines.map((l) => source.eol + (l === '' ? '' : indent + l)).join('');
  return insertAt(source.lineEnd(line), text);
}

/** Lines to insert before `line`, each prefixed by `indent`. */
export function insertLinesBefore(source: SourceText, line: number, indent: string, lines: readonly string[]): TextEdit {
  const text = lines.map((l) => (l === '' ? '' : indent + l) + source.eol).join('');
  return insertAt({ line, column: 0 }, text);
}

/** Applies edits made against `text` (last first, so earlier ranges stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const source = new SourceText(text);
  const offset = (line: number, column: number) => (source.lineStarts[line] ?? text.length) + column;
  // Ties keep VS Code's order: of two inserts at one position, the first listed comes first.
  const sorted = edits
    .map((edit, index) => ({ edit, index, at: offset(edit.range.startLine, edit.range.startColumn) }))
    .sort((a, b) => b.at - a.at || b.index - a.index);
  let result = text;
  for (const { edit } of sorted) {
    const start = offset(edit.range.startLine, edit.range.startColumn);
    const end = offset(edit.range.endLine, edit.range.endColumn);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }
  return result;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
