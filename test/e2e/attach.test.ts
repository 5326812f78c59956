// A person's first minute with Leakscope: start a leaking program, run "Attach memory monitor"
// from the command palette, pick the process by pid, see the panel and the status-bar item.
// Run by `node scripts/run-vscode-tests.mjs e2e`, which starts code-server and sets the env below.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { Workbench, openWorkbench, waitForWorkbench } from './browser';
import { Selectors, findWebviewFrame, runCommand, pickQuickInputRow, screenshot, setTheme, statusBarItemIds } from './workbench';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\``);
  return value;
}

interface DemoProgram {
  child: ChildProcess;
  /** The interpreter's own pid, as it prints it: `python3` may be a wrapper (a pyenv shim) around it. */
  pid: number;
}

/** The demo's leaking Python server, started by the test so its pid is known. */
async function startDemoProgram(workspace: string): Promise<DemoProgram> {
  const child = spawn('python3', ['federated_server.py', '--duration', '300'], {
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: the wrapper and the interpreter end together
  });
  const pid = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the demo printed no pid in 15 s: ${output}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before printing its pid: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /pid (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { child, pid };
}

describe('Attach memory monitor from the command palette', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  let demo: DemoProgram | undefined;
  const pageErrors: string[] = [];

  before(async () => {
    demo = await startDemoProgram(requiredEnv('LEAKSCOPE_E2E_WORKSPACE'));
    workbench = await openWorkbench(requiredEnv('LEAKSCOPE_E2E_URL'));
    workbench.page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForWorkbench(workbench.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      const name = `e2e-failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`;
      console.log(`      screenshot of the failure: ${await screenshot(workbench.page, name)}`);
    }
  });

  after(async () => {
    await workbench?.close();
    if (demo?.child.pid) process.kill(-demo.child.pid, 'SIGKILL');
  });

  it('opens the workbench with the demo workspace', async () => {
    const explorer = workbench.page.locator('.explorer-folders-view', { hasText: 'federated_server.py' }).first();
    await explorer.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(workbench.page, 'e2e-workbench');
  });

  it('runs "Attach memory monitor" and picks the demo process by its pid', async () => {
    assert.ok(demo, 'the demo program did not start');
    await runCommand(workbench.page, 'Attach memory monitor');
    await pickQuickInputRow(workbench.page, String(demo.pid), new RegExp(`\\b${demo.pid}\\b`), 30_000, true);
  });

  it('shows the memory panel', async () => {
    const panel = await findWebviewFrame(workbench.page, Selectors.panelRoot);
    await panel.locator(Selectors.panelRoot).first().waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('shows the status-bar item', async () => {
    const item = workbench.page.locator(Selectors.statusItem).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 15_000 });
    } catch (error) {
      const ids = await statusBarItemIds(workbench.page);
      throw new Error(`no ${Selectors.statusItem} in the status bar; items there: ${ids.join(', ')}`, { cause: error });
    }
    assert.notEqual((await item.innerText()).trim(), '');
  });

  it('looks right in the dark and the light theme', async () => {
    await workbench.page.waitForTimeout(5_000); // a few samples on the chart
    await setTheme(workbench.page, 'dark');
    const dark = await screenshot(workbench.page, 'e2e-attach-dark');
    await setTheme(workbench.page, 'light');
    const light = await screenshot(workbench.page, 'e2e-attach-light');
    console.log(`      screenshots: ${dark}, ${light}`);
    assert.deepEqual(pageErrors, []);
  });
});
