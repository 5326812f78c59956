// The CLI under the conditions scripts and terminals create: signals other than Ctrl+C, a reader
// that goes away (`| head`), a full disk, an older trace at the output path. Real processes,
// real files, the built CLI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths';
import { startProcess, startPython, TestProcess } from '../helpers/processes';

const CLI = fromRoot('dist', 'cli.js');

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-robust-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startWatch(t: Parameters<typeof startProcess>[0], args: string[]): Promise<TestProcess & { stderr: () => string }> {
  const proc = await startProcess(t, process.execPath, [CLI, 'watch', ...args], { ready: null, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(proc, { stderr: () => stderr });
}

/** Runs the CLI through a shell pipeline or redirection; stderr and the CLI's own status. */
function shell(script: string): { stderr: string; status: number } {
  const result = spawnSync('bash', ['-c', `${script}; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 30_000 });
  const status = Number(/status=(\d+)/.exec(result.stderr)?.[1] ?? -1);
  return { stderr: result.stderr.replace(/status=\d+\n?/, ''), status };
}

function writeCsvTrace(dir: string, samples = 300): string {
  const path = join(dir, 't.csv');
  const rows = Array.from({ length: samples }, (_, i) => `${1_700_000_000_000 + i * 1000},${100_000_000 + i * 4096}`);
  writeFileSync(path, ['t_ms,rss_bytes', ...rows].join('\n') + '\n');
  return path;
}

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} stops watch like Ctrl+C: exit 0 and the JSON trace written over the older one`, async (t) => {
    const dir = tempDir(t);
    const json = join(dir, 't.json');
    writeFileSync(json, 'old\n');
    const target = await startPython(t, 'flat.py', ['5']);
    const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--json', '--trace-json', json]);
    await watch.waitForLine(/rss_bytes/, 5000);
    await watch.waitForLine(/rss_bytes/, 5000, 2);
    watch.child.kill(signal);
    assert.equal(await watch.exited, 0, watch.stderr());
    assert.match(watch.stderr(), new RegExp(`stopped \\(${signal}\\)\\. Watched`));
    const trace = JSON.parse(readFileSync(json, 'utf8')) as { samples: { t_ms: number[] } };
    assert.equal(trace.samples.t_ms.length, watch.lines.length);
  });
}

test('an older trace survives a watch killed before its first write, and no temporary file is left', async (t) => {
  const dir = tempDir(t);
  const json = join(dir, 't.json');
  writeFileSync(json, 'old\n');
  const target = await startPython(t, 'flat.py', ['5']);
  const watch = await startWatch(t, ['--pid', String(target.pid), '--interval', '50ms', '--json', '--trace-json', json]);
  await watch.waitForLine(/rss_bytes/, 5000);
  watch.child.kill('SIGKILL');
  await watch.exited;
  assert.equal(readFileSync(json, 'utf8'), 'old\n');
  assert.deepEqual(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.trim().split('\n'), ['t.json']);
});

test('a closed stdout ends classify, scan and watch quietly, without a stack', async (t) => {
  const dir = tempDir(t);
  const csv = writeCsvTrace(dir);
  const target = await startPython(t, 'flat.py', ['5']);
  for (const command of [`classify ${csv}`, 'scan --list-rules', `watch --pid ${target.pid} --interval 50ms`]) {
    const result = shell(`node ${CLI} ${command} | head -1 >/dev/null`);
    assert.doesNotMatch(result.stderr, /EPIPE|Error| {4}at /, command);
    assert.ok(result.status === 0 || (command.startsWith('scan') && result.status === 1), `${command}: ${result.status} ${result.stderr}`);
  }
});

test('a full disk gives one clear line and exit 1, not a stack: stdout, --csv, --trace-json', async (t) => {
  const dir = tempDir(t);
  const csv = writeCsvTrace(dir);
  const target = await startPython(t, 'flat.py', ['5']);
  const watch = `node ${CLI} watch --pid ${target.pid} --interval 50ms --duration 500ms`;
  const cases = [
    [`node ${CLI} classify ${csv} > /dev/full`, /^leakscope classify: cannot write to standard output: no space left on device \(ENOSPC\)$/m],
    [`node ${CLI} scan --list-rules > /dev/full`, /^leakscope scan: cannot write to standard output: no space left on device/m],
    [`${watch} --csv /dev/full > /dev/null`, /^leakscope watch: --csv: cannot write \/dev\/full: no space left on device \(ENOSPC\)/m],
    [`${watch} --trace-json /dev/full > /dev/null`, /^leakscope watch: --trace-json: cannot write \/dev\/full: no space left on device \(ENOSPC\)/m],
  ] as const;
  for (const [script, message] of cases) {
    const result = shell(script);
    assert.equal(result.status, 1, `${script}: ${result.stderr}`);
    assert.match(result.stderr, message, script);
    assert.doesNotMatch(result.stderr, / {4}at /, script);
  }
  assert.ok(existsSync('/dev/full'), '/dev/full is still the device');
});

test('special files are refused at once, not read: classify /dev/zero, classify and scan a FIFO', (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, 'x.py');
  spawnSync('mkfifo', [fifo]);
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 });
  for (const file of ['/dev/zero', fifo]) {
    const result = run(['classify', file]);
    assert.equal(result.signal, null, `classify ${file} hung`);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`^leakscope classify: ${file}: not a regular file \\((a device|a FIFO)\\)`));
  }
  const scan = run(['scan', fifo]);
  assert.equal(scan.signal, null, 'scan of a FIFO hung');
  assert.match(scan.stderr, /x\.py: skipped: not a regular file/);
  assert.equal(scan.status, 0, scan.stderr);
});

test('an interval past the longest timer is refused with one message, not a flood of warnings', () => {
  const result = spawnSync(process.execPath, [CLI, 'watch', '--pid', String(process.pid), '--interval', '25d'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stderr, 'leakscope watch: --interval must be at most 24d20h (2147483647 ms, the longest timer Node.js can set)\n');
});

test('watch and probe read --pid alike: plain decimal digits only; --limit 0 and --duration 0 are refused', () => {
  for (const pid of ['0x1', '1e0', ' 1', '1 ', '+1', '0', '1.0']) {
    for (const command of ['watch', 'probe']) {
      const result = spawnSync(process.execPath, [CLI, command, '--pid', pid], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 2, `${command} --pid '${pid}': ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^leakscope ${command}: --pid: not a process id`), `${command} --pid '${pid}'`);
    }
  }
  for (const [option, message] of [['--limit', /a memory limit must be more than 0/], ['--duration', /a time limit must be more than 0/]] as const) {
    const result = spawnSync(process.execPath, [CLI, 'watch', '--pid', String(process.pid), option, '0'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});
