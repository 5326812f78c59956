// Opens the code-server workbench in Debian's headless Chromium. Shared by the e2e tests and by
// scripts/run-vscode-tests.mjs (integration), which loads the bundled out/test/e2e/browser.js.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { Browser, Page, loadChromium } from './playwright';

export const CHROMIUM = process.env.LEAKSCOPE_CHROMIUM ?? '/usr/bin/chromium';

// Measured on these machines: no GPU, no QUIC, nothing that phones home or updates itself.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export interface WorkbenchHooks {
  /** The workbench's smoke-test log hook: extension-host output and workbench log lines. */
  onLog?: (level: string, messages: string[]) => void;
  /** Called by the workbench when an extensionTestsPath run ends (0 = all passed). */
  onExit?: (code: number) => void;
}

/** Where screenshots and logs go: git-ignored, kept after the run for people to look at. */
export function artifactsDir(...parts: string[]): string {
  const dir = join(process.env.LEAKSCOPE_ARTIFACTS ?? join(repoRoot(), '.test-artifacts'), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

/** Launches Chromium (a fresh profile each time) and loads `url`, with the smoke-test hooks in place. */
export async function openWorkbench(url: string, hooks: WorkbenchHooks = {}): Promise<Workbench> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`bash scripts/ensure-tools.sh\``);
  const browser = await loadChromium().launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // Hooks must exist before the workbench boots: it looks them up on window once.
  await page.exposeFunction('codeAutomationLog', (level: unknown, messages: unknown) => hooks.onLog?.(String(level), asStrings(messages)));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => hooks.onExit?.(Number(code)));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return {
    browser,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/** Waits for the workbench shell, so later steps do not race VS Code's startup. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').first().waitFor({ state: 'visible', timeout: timeoutMs });
}
