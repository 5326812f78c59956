// Telling Python and Node processes (and the wrappers that start them) from everything else,
// from what /proc shows: the executable, the command line and the kernel's name.
import { basename } from 'node:path';
import { Runtime } from '../model';

const PYTHON_EXE = /^(?:python|pypy)(\d+(?:\.\d+)?)?[a-z]?(?:-dbg)?$/;
const NODE_EXE = /^(?:node|nodejs)$/;

/** Node programs that only start another process: resolve through them to the real target. */
const NODE_WRAPPER_SCRIPTS = /(?:^|[/\\])(?:npm|npx|yarn|pnpm|nodemon)(?:-cli)?(?:\.c?js)?$|[/\\]node_modules[/\\](?:npm|yarn|pnpm|nodemon)[/\\]/;
/** Python tools that run the user's program as a child process. */
const PYTHON_WRAPPER_SCRIPTS = /(?:^|[/\\])(?:poetry|pipenv|pdm|hatch|tox|nox|pyenv)$/;

export interface RuntimeGuess {
  runtime: Runtime;
  /** "Python 3.11", "Python", "Node 20", "Node", or '' for other runtimes. */
  interpreter: string;
}

/**
 * What runs in a process. The executable decides when it can be read (a shebang script's comm is
 * the script's name, but its exe is python); otherwise argv[0] and then comm.
 */
export function guessRuntime(exe: string, argv: readonly string[], comm: string): RuntimeGuess {
  const candidates = [exe, argv[0] ?? '', comm].filter((c) => c !== '').map((c) => basename(c));
  for (const name of exe !== '' ? candidates.slice(0, 1) : candidates) {
    const python = PYTHON_EXE.exec(name);
    if (python) return { runtime: 'python', interpreter: python[1]?.includes('.') ? `Python ${python[1]}` : 'Python' };
    if (NODE_EXE.test(name)) return { runtime: 'node', interpreter: nodeLabel(exe) };
  }
  return { runtime: 'other', interpreter: '' };
}

/** "Node 20" when the version is cheaply known: our own node, or an nvm/fnm-style path. */
function nodeLabel(exe: string): string {
  if (exe !== '' && exe === process.execPath) return `Node ${process.versions.node.split('.')[0]}`;
  const versioned = /[/\\]v?(\d+)\.\d+\.\d+[/\\]/.exec(exe);
  return versioned ? `Node ${versioned[1]}` : 'Node';
}

/**
 * A process that only starts the real program: a shell, `npm run`, a pyenv shim still in bash,
 * `poetry run`... Anything that is not a Python or Node interpreter counts as one, and so do the
 * interpreters running a known launcher script.
 */
export function isWrapper(runtime: Runtime, argv: readonly string[]): boolean {
  if (runtime === 'other') return true;
  const pattern = runtime === 'node' ? NODE_WRAPPER_SCRIPTS : PYTHON_WRAPPER_SCRIPTS;
  // npm sets process.title, which rewrites the whole command line to "npm run start".
  const retitled = (argv[0] ?? '').split(' ')[0];
  const script = firstScriptArgument(argv);
  return pattern.test(retitled) || (script !== undefined && pattern.test(script));
}

/** Programs that only launch another: shells, env-style runners, init shims for containers. */
const LAUNCHER_PROGRAMS = /^(?:sh|bash|dash|zsh|ksh|mksh|fish|env|nohup|timeout|time|nice|ionice|setsid|stdbuf|taskset|chrt|tini|dumb-init|pyenv|uv|conda|mamba|pipx|npm|npx|yarn|pnpm)$/;

/**
 * A wrapper Leakscope may follow down to an interpreter: a shell, a launcher or one of the
 * interpreter-run wrappers of isWrapper. Unlike isWrapper, an unknown program (init, a terminal,
 * a supervisor) is not one: what runs below it is another job, not its program.
 */
export function isLaunchWrapper(info: { runtime: Runtime; argv: readonly string[]; exe: string; name: string }): boolean {
  if (info.runtime !== 'other') return isWrapper(info.runtime, info.argv);
  return [info.exe, info.argv[0] ?? '', info.name].some((n) => n !== '' && LAUNCHER_PROGRAMS.test(basename(n)));
}

/** argv[1] unless it is an option (`node --inspect app.js`, `python -u x.py`). */
function firstScriptArgument(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith('-'));
}
