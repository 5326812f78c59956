// `leakscope` — the headless CLI over the same core as the extension.
import { createInterface } from 'node:readline/promises';
import { CliCommand, CliError, CliIo } from './io';
import { watchCommand } from './watch';
import { classifyCommand } from './classify';
import { scanCommand } from './scan';
import { probeCommand } from './probe';
import { explainCommand } from './explain';

const commands: CliCommand[] = [watchCommand, classifyCommand, scanCommand, probeCommand, explainCommand];

function usage(): string {
  const lines = ['Usage: leakscope <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', 'Run `leakscope <command> --help` for the options of one command.');
  return lines.join('\n');
}

function processIo(signal: AbortSignal): CliIo {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    signal,
    async confirm(question) {
      if (!process.stdin.isTTY) return false;
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`leakscope: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await command.run(rest, processIo(abort.signal));
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`leakscope ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`leakscope: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
