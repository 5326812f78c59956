import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, listProcesses, readProcessInfo, resolveInterpreter, shortCommand } from '../../../src/core/discovery/processes';
import { guessRuntime, isWrapper } from '../../../src/core/discovery/runtime';
import { mapProcError, PermissionDeniedError, ProcessGoneError } from '../../../src/core/discovery/errors';
import { parsePasswd } from '../../../src/core/discovery/users';
import { fromRoot } from '../../helpers/paths';
import { eventually, fixtureProgram, PYENV_SHIM, startNode, startProcess, startPython, SYSTEM_PYTHON } from '../../helpers/processes';

test('listProcesses finds Python and Node processes with interpreter, user, argv and RSS', async (t) => {
  const [python, node] = await Promise.all([startPython(t, 'flat.py', ['10']), startNode(t, 'flat.js', ['10'])]);
  const listed = await listProcesses({ excludePids: [process.pid], markPids: [node.pid] });
  const py = listed.find((p) => p.pid === python.pid);
  const js = listed.find((p) => p.pid === node.pid);
  assert.ok(py && js, 'both listed');
  assert.equal(py.runtime, 'python');
  assert.equal(py.interpreter, 'Python 3.11');
  assert.equal(py.user, 'root');
  assert.equal(py.uid, 0);
  assert.deepEqual(py.argv, [SYSTEM_PYTHON, fixtureProgram('flat.py'), '10']);
  assert.ok(py.rssBytes > 10 * 1024 ** 2);
  assert.ok(py.startTicks > 0);
  assert.equal(py.ppid, process.pid);
  assert.equal(py.marked, false);
  assert.equal(py.wrapper, false);
  assert.equal(js.runtime, 'node');
  assert.equal(js.interpreter, `Node ${process.versions.node.split('.')[0]}`);
  assert.equal(js.marked, true);
  assert.ok(!listed.some((p) => p.pid === process.pid), 'excluded');
  assert.ok(listed.every((p) => p.runtime !== 'other'));
  for (let i = 1; i < listed.length; i++) assert.ok(listed[i - 1].rssBytes >= listed[i].rssBytes, 'largest first');
});

test('listProcesses({ all }) includes other programs', async (t) => {
  const sleeper = await startProcess(t, 'sleep', ['30'], { ready: null });
  const listed = await listProcesses({ all: true });
  assert.equal(listed.find((p) => p.pid === sleeper.pid)?.runtime, 'other');
});

test('readProcessInfo of a missing pid: ProcessGoneError not-found', async () => {
  await assert.rejects(readProcessInfo(4_000_000), (e: unknown) => e instanceof ProcessGoneError && e.reason === 'not-found');
  await assert.rejects(readProcessInfo(-1), RangeError);
});

test('resolveInterpreter descends from a bash -c wrapper through the pyenv shim to python', async (t) => {
  // `; true` keeps bash alive as the parent instead of exec-ing the shim.
  const wrapper = await startProcess(t, 'bash', ['-c', `${PYENV_SHIM} ${fixtureProgram('controlled.py')}; true`]);
  const resolved = await resolveInterpreter(wrapper.pid);
  assert.ok(resolved);
  assert.notEqual(resolved.pid, wrapper.pid);
  assert.equal(resolved.runtime, 'python');
  assert.match(resolved.exe, /\/\.pyenv\/versions\/3\.11\.\d+\/bin\/python3\.11$/);
  assert.equal(resolved.interpreter, 'Python 3.11');
  assert.ok((await descendants(wrapper.pid)).includes(resolved.pid));
});

test('resolveInterpreter of a pyenv shim started directly gives the interpreter it became', async (t) => {
  const shim = await startProcess(t, PYENV_SHIM, [fixtureProgram('controlled.py')]);
  const resolved = await resolveInterpreter(shim.pid);
  assert.equal(resolved?.runtime, 'python');
  // The shim's bash execs pyenv, which execs python: same pid, now the interpreter.
  const answer = await shim.command('spawn 0 0');
  assert.equal(answer, 'ok');
  assert.equal(resolved?.pid, shim.pid);
});

test('resolveInterpreter goes through `npm run` (node → sh -c → node) to the program', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-npm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { target: `node ${fixtureProgram('controlled.js')}` } }));
  const npm = await startProcess(t, 'npm', ['run', '--silent', 'target'], { cwd: dir, ready: /^ready/ });
  const resolved = await resolveInterpreter(npm.pid);
  assert.ok(resolved);
  assert.equal(resolved.runtime, 'node');
  assert.ok(resolved.argv.includes(fixtureProgram('controlled.js')), resolved.argv.join(' '));
  assert.notEqual(resolved.pid, npm.pid);
  const listedNpm = (await listProcesses()).find((p) => p.pid === npm.pid);
  assert.equal(listedNpm?.wrapper, true, 'npm itself is listed as a wrapper');
});

test('resolveInterpreter of a shell with no interpreter below is undefined', async (t) => {
  const shell = await startProcess(t, 'bash', ['-c', 'echo ready; sleep 30; true'], { ready: /^ready/ });
  await eventually(async () => ((await descendants(shell.pid)).length > 0 ? true : undefined));
  assert.equal(await resolveInterpreter(shell.pid), undefined);
});

test('guessRuntime: executable first (shebang scripts), then argv[0] and comm', () => {
  assert.deepEqual(guessRuntime('/usr/bin/python3.11', ['/home/u/train.py'], 'train.py'), { runtime: 'python', interpreter: 'Python 3.11' });
  assert.deepEqual(guessRuntime('', ['python3', 'x.py'], 'python3'), { runtime: 'python', interpreter: 'Python' });
  assert.deepEqual(guessRuntime('/opt/pypy/bin/pypy3.10', [], 'pypy3.10'), { runtime: 'python', interpreter: 'Python 3.10' });
  assert.deepEqual(guessRuntime('/home/u/.nvm/versions/node/v18.19.0/bin/node', ['node'], 'node'), { runtime: 'node', interpreter: 'Node 18' });
  assert.deepEqual(guessRuntime('/usr/bin/nodejs', ['nodejs'], 'nodejs'), { runtime: 'node', interpreter: 'Node' });
  assert.deepEqual(guessRuntime('/usr/bin/bash', ['bash', '-c', 'python3 x.py'], 'bash'), { runtime: 'other', interpreter: '' });
  assert.deepEqual(guessRuntime('/usr/bin/bash', ['python3'], 'python3'), { runtime: 'other', interpreter: '' }, 'a readable exe decides');
});

test('isWrapper: launchers are wrappers, programs are not', () => {
  assert.ok(isWrapper('node', ['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'start']));
  assert.ok(isWrapper('node', ['node', '/usr/bin/npx', 'ts-node', 'x.ts']));
  assert.ok(isWrapper('node', ['npm run start']), 'npm retitles itself');
  assert.ok(isWrapper('python', ['/usr/bin/python3', '/home/u/.local/bin/poetry', 'run', 'python', 'x.py']));
  assert.ok(isWrapper('other', ['bash']));
  assert.ok(!isWrapper('node', ['node', '--inspect', 'server.js']));
  assert.ok(!isWrapper('python', ['python3', '-u', 'train.py']));
  assert.ok(!isWrapper('python', ['python3']));
});

test('shortCommand cuts paths to base names and long lines with an ellipsis', () => {
  assert.equal(shortCommand({ argv: ['/usr/bin/python3', '/home/u/proj/train.py', '--epochs', '3'], name: 'python3' }), 'python3 train.py --epochs 3');
  assert.equal(shortCommand({ argv: [], name: 'kworker' }), 'kworker');
  assert.equal(shortCommand({ argv: ['node', 'x'.repeat(100)], name: 'node' }, 20).length, 20);
});

test('parsePasswd maps uids to names', () => {
  const names = parsePasswd('root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n# comment\n');
  assert.equal(names.get(0), 'root');
  assert.equal(names.get(65534), 'nobody');
});

test('mapProcError: ENOENT/ESRCH mean gone, EACCES/EPERM a permission message', () => {
  const gone = mapProcError(Object.assign(new Error('x'), { code: 'ESRCH' }), 5, 'status');
  assert.ok(gone instanceof ProcessGoneError && gone.reason === 'exited');
  const denied = mapProcError(Object.assign(new Error('x'), { code: 'EPERM' }), 5, 'open files');
  assert.ok(denied instanceof PermissionDeniedError);
  const other = new Error('EIO');
  assert.equal(mapProcError(other, 5, 'status'), other);
});

test("as another user: fds read as -1, detail and fd errors say whose process it is, the listing still knows it's Python", async (t) => {
  const target = await startPython(t, 'controlled.py');
  const helper = fromRoot('out', 'test', 'helpers', 'readAsOtherUser.js');
  const output = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, helper, String(target.pid)], { encoding: 'utf8' });
  const result = JSON.parse(output) as {
    uid: number;
    rawFdError: { code: string };
    mappedFdError: { name: string; message: string };
    sample: { fds: number; rssBytes: number; threads: number; ussBytes: number | null };
    detailError: { name: string; message: string };
    info: { exe: string; runtime: string; user: string };
    listedRuntime: string;
  };
  assert.equal(result.uid, 65534);
  assert.equal(result.rawFdError.code, 'EACCES');
  assert.equal(result.mappedFdError.name, 'PermissionDeniedError');
  assert.equal(result.mappedFdError.message, `Not allowed to read the open files of process ${target.pid}: it belongs to another user. Run Leakscope as the same user as the process (or as root) to watch it.`);
  assert.equal(result.sample.fds, -1);
  assert.ok(result.sample.rssBytes > 0 && result.sample.threads >= 1);
  assert.equal(result.sample.ussBytes, null, 'detail skipped, not fatal, in a sample');
  assert.equal(result.detailError.name, 'PermissionDeniedError');
  assert.match(result.detailError.message, /memory details of process \d+: it belongs to another user/);
  assert.equal(result.info.exe, '');
  assert.equal(result.info.runtime, 'python');
  assert.equal(result.info.user, 'root');
  assert.equal(result.listedRuntime, 'python');
});
