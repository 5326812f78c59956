// `leakscope` — the headless CLI over the same core as the extension.
import { createInterface } from 'node:readline/promises';
import { CliCommand, CliError, CliIo, STOP_SIGNALS } from './io';
import { describeWriteError } from './files';
import { errnoCode } from '../core/discovery/errors';
import { watchCommand } from './watch';
import { runProgramCommand } from './run';
import { classifyCommand } from './classify';
import { scanCommand } from './scan';
import { probeCommand } from './probe';
import { explainCommand } from './explain';
import { fleetCommand } from './fleet';

const commands: CliCommand[] = [watchCommand, runProgramCommand, classifyCommand, scanCommand, probeCommand, explainCommand, fleetCommand];

function usage(): string {
  const lines = ['Usage: leakscope <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', 'Run `leakscope <command> --help` for the options of one command.');
  return lines.join('\n');
}

/**
 * stdout as a guarded channel: a reader that went away (`| head -1`, EPIPE) stops the command
 * quietly; any other write failure (ENOSPC on `> /dev/full`) stops it with one line and exit 1.
 */
class Stdout {
  private broken = false;
  failure: string | undefined;

  constructor(private readonly abort: AbortController) {
    process.stdout.on('error', (error) => this.onError(error));
    process.stderr.on('error', () => undefined); // nowhere left to say anything
  }

  write(text: string): void {
    if (!this.broken) process.stdout.write(text);
  }

  private onError(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    if (errnoCode(error) !== 'EPIPE') this.failure = `cannot write to standard output: ${describeWriteError(error)}`;
    this.abort.abort('stdout closed');
  }
}

function processIo(signal: AbortSignal, stdout: Stdout): CliIo {
  return {
    out: (line) => stdout.write(line + '\n'),
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
  const abort = new AbortController();
  const stdout = new Stdout(abort);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`leakscope: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(command.help + '\n');
    return 0;
  }
  const code = await runCommand(command, rest, processIo(abort.signal, stdout), abort);
  if (stdout.failure === undefined) return code;
  process.stderr.write(`leakscope ${name}: ${stdout.failure}\n`);
  return code === 0 ? 1 : code;
}

async function runCommand(command: CliCommand, argv: string[], io: CliIo, abort: AbortController): Promise<number> {
  const onSignal = (signal: NodeJS.Signals) => abort.abort(signal);
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  try {
    return await command.run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`leakscope ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
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
