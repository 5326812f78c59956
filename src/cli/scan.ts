// `leakscope scan PATH... [--json] [--disable rule,...]`: the leak rules over files and folders.
import { join, relative, isAbsolute } from 'node:path';
import { existsSync } from 'node:fs';
import { CliCommand, CliError, CliIo } from './io';
import { DEFAULT_MAX_BYTES, Finding, isRuleId, RULES, RuleEngine, scanPaths } from '../core/rules';

const HELP = `Usage: leakscope scan PATH... [--json] [--disable RULE,...] [--max-bytes N] [--hints]
       leakscope scan --list-rules

Scans Python, JavaScript and TypeScript files for code shapes that leak memory (handlers
never removed, caches without eviction, intervals never cleared, ...). Folders are scanned
recursively, skipping node_modules, .git, virtualenvs, dist and out; binary files and files
over the size limit are skipped with a note on stderr.

Prints one line per finding, \`file:line:column rule message\` (1-based), then a summary.

Options:
  --json            print one JSON array of {file, line, column, rule, message, severity}
  --disable IDS     comma-separated rule ids to turn off (see --list-rules)
  --max-bytes N     skip files larger than N bytes (default ${DEFAULT_MAX_BYTES})
  --hints           also report the broad tier: weaker suspicions (a container nothing in the
                    file removes from, a registration never undone, a timer never cleared),
                    with severity hint, where the strict rule found nothing on the line
  --list-rules      print the rules, their default severity and what they look for

Silence one line with a comment on it or on the line above:
  # leakscope: ignore[unbounded-cache]     // leakscope: ignore

Exit status: 0 no findings, 1 findings, 2 usage error (bad option, unknown rule, missing path).`;

interface ScanArgs {
  paths: string[];
  json: boolean;
  disabled: string[];
  maxBytes: number;
  listRules: boolean;
  hints: boolean;
}

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'find leak-prone code (handlers, caches, timers, logs…) in files and folders',
  help: HELP,
  async run(argv, io) {
    const args = parseArgs(argv);
    if (args.listRules) return listRules(io);
    const missing = args.paths.filter((path) => !existsSync(path));
    if (missing.length > 0) throw new CliError(`no such file or folder: ${missing.join(', ')}`);
    const engine = await RuleEngine.create(grammarDir());
    try {
      return await scan(engine, args, io);
    } finally {
      engine.dispose();
    }
  },
};

function parseArgs(argv: readonly string[]): ScanArgs {
  const args: ScanArgs = { paths: [], json: false, disabled: [], maxBytes: DEFAULT_MAX_BYTES, listRules: false, hints: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new CliError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--json') args.json = true;
    else if (flag === '--list-rules') args.listRules = true;
    else if (flag === '--hints') args.hints = true;
    else if (flag === '--disable') args.disabled.push(...value().split(',').map((id) => id.trim()).filter(Boolean));
    else if (flag === '--max-bytes') args.maxBytes = positiveInteger(value());
    else if (flag.startsWith('-') && flag !== '-') throw new CliError(`unknown option ${flag}\n\n${HELP}`);
    else args.paths.push(arg);
  }
  const unknown = args.disabled.filter((id) => !isRuleId(id));
  if (unknown.length > 0) throw new CliError(`unknown rule id: ${unknown.join(', ')} (see --list-rules)`);
  if (!args.listRules && args.paths.length === 0) throw new CliError(`no path given\n\n${HELP}`);
  return args;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new CliError(`--max-bytes wants a positive whole number of bytes, not '${text}'`);
  return value;
}

/** The grammars ship next to the bundle: dist/cli.js and dist/grammars/. */
function grammarDir(): string {
  return join(__dirname, 'grammars');
}

function listRules(io: CliIo): number {
  for (const rule of RULES) io.out(`${rule.id.padEnd(22)}${rule.defaultSeverity.padEnd(13)}${rule.description}`);
  return 0;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: string;
}

async function scan(engine: RuleEngine, args: ScanArgs, io: CliIo): Promise<number> {
  const json: JsonFinding[] = [];
  let files = 0;
  let withFindings = 0;
  let skipped = 0;
  let total = 0;
  for await (const result of scanPaths(engine, args.paths, { disabledRules: args.disabled, maxBytes: args.maxBytes, hints: args.hints, signal: io.signal })) {
    const file = displayPath(result.file);
    if ('error' in result) {
      skipped++;
      io.err(`${file}: ${result.error}`);
      continue;
    }
    files++;
    if (result.findings.length > 0) withFindings++;
    total += result.findings.length;
    for (const finding of result.findings) {
      if (args.json) json.push(toJson(file, finding));
      else io.out(`${file}:${finding.range.startLine + 1}:${finding.range.startColumn + 1} ${finding.rule} ${finding.message}`);
    }
  }
  if (args.json) io.out(JSON.stringify(json, null, 2));
  else io.out(summary(total, withFindings, files, skipped));
  return total > 0 ? 1 : 0;
}

function toJson(file: string, finding: Finding): JsonFinding {
  return {
    file,
    line: finding.range.startLine + 1,
    column: finding.range.startColumn + 1,
    rule: finding.rule,
    message: finding.message,
    severity: finding.severity,
  };
}

function summary(total: number, withFindings: number, files: number, skipped: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const found = total === 0 ? 'No findings' : `${plural(total, 'finding')} in ${plural(withFindings, 'file')}`;
  return `${found} (${plural(files, 'file')} scanned${skipped ? `, ${skipped} skipped` : ''}).`;
}

/** Paths under the working folder print relative to it, like compilers do. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
