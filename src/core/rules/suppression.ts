// `# leakscope: ignore[rule-id, other-id]` / `// leakscope: ignore` comments. A comment applies to
// its own line and, when it stands alone on its line, to the line below.
import type { Node } from 'web-tree-sitter';
import { SourceText } from './text';

const DIRECTIVE = /leakscope:\s*ignore(?:\[([^\]]*)\])?/;

/** Rule ids silenced per line; '*' silences every rule. */
export type Suppressions = ReadonlyMap<number, ReadonlySet<string>>;

export function readSuppressions(comments: readonly Node[], source: SourceText): Suppressions {
  const byLine = new Map<number, Set<string>>();
  for (const comment of comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const ids = match[1] === undefined ? ['*'] : match[1].split(',').map((id) => id.trim()).filter(Boolean);
    const line = comment.startPosition.row;
    const lines = source.startsLine(line, comment.startPosition.column) ? [line, comment.endPosition.row + 1] : [line];
    for (const target of lines) {
      let set = byLine.get(target);
      if (!set) byLine.set(target, (set = new Set()));
      for (const id of ids) set.add(id);
    }
  }
  return byLine;
}

export function isSuppressed(suppressions: Suppressions, line: number, rule: string): boolean {
  const ids = suppressions.get(line);
  return ids !== undefined && (ids.has('*') || ids.has(rule));
}
