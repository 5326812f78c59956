// V8's sampling heap profiler says which function allocated, at the line where that function
// is declared. When the source is readable, this guesses the statement inside the function
// that keeps memory, so a diagnostic can sit on it. A heuristic, and reported as one.

export interface StatementGuess {
  /** 1-based */
  line: number;
  text: string;
  how: string;
}

/** Rules in order of evidence: calls that add to a container first, then creations. */
const RULES: { pattern: RegExp; how: string }[] = [
  { pattern: /\.(push|unshift|set|add)\s*\(/, how: 'first .push/.unshift/.set/.add call in the function' },
  { pattern: /\[[^\]]+\]\s*=(?!=)/, how: 'first index assignment in the function' },
  { pattern: /\+=|\.concat\s*\(/, how: 'first += or .concat in the function' },
  { pattern: /\bnew\s+[A-Za-z_$]|=\s*[[{]|\.(repeat|alloc|allocUnsafe|from)\s*\(/, how: 'first object, array or buffer creation in the function' },
];

/** Line range (0-based, inclusive) of the function body that starts at (line, column). */
export function functionBodyLines(lines: string[], line: number, column: number): { first: number; last: number } | undefined {
  let parens = 0;
  let depth = 0;
  let bodyStart: number | undefined;
  let quote: string | undefined;
  for (let l = line; l < lines.length; l++) {
    const text = lines[l];
    for (let c = l === line ? column : 0; c < text.length; c++) {
      const ch = text[c];
      if (quote) {
        if (ch === '\\') c++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '/' && text[c + 1] === '/') break;
      if (ch === '"' || ch === "'" || ch === '`') quote = ch;
      else if (ch === '(') parens++;
      else if (ch === ')') parens--;
      else if (bodyStart === undefined && parens === 0 && ch === '=' && text[c + 1] === '>') {
        const rest = text.slice(c + 2).trim();
        if (rest !== '' && !rest.startsWith('{')) return { first: l, last: l }; // expression body
      } else if (ch === '{' && (bodyStart !== undefined || parens === 0)) {
        bodyStart ??= l;
        depth++;
      } else if (ch === '}' && bodyStart !== undefined && --depth === 0) {
        return { first: bodyStart, last: l };
      }
    }
    if (quote !== '`') quote = undefined; // only template literals span lines
  }
  return undefined;
}

/**
 * The likely allocating statement of the function declared at 0-based (line, column), or
 * undefined when the body cannot be found or no rule matches.
 */
export function guessAllocatingStatement(source: string, line: number, column: number): StatementGuess | undefined {
  const lines = source.split('\n');
  const body = functionBodyLines(lines, line, column);
  if (!body) return undefined;
  for (const rule of RULES) {
    for (let l = body.first; l <= body.last; l++) {
      const code = lines[l].replace(/\/\/.*$/, '');
      // On the declaration line, only what follows the declaration counts.
      const scanned = l === line ? code.slice(column) : code;
      if (rule.pattern.test(l === line ? scanned.replace(/^[^{]*\{/, '') : scanned)) {
        return { line: l + 1, text: lines[l].trim(), how: rule.how };
      }
    }
  }
  return undefined;
}
