// What a person does in the workbench, as steps the e2e tests share: the command palette, a
// quick pick, the webview panel, the status bar, the colour theme, screenshots.
import { join } from 'node:path';
import { artifactsDir } from './browser';
import { Frame, Locator, Page } from './playwright';

/** The DOM ids and selectors the e2e tests rely on (the contract with src/ and webview/). */
export const Selectors = {
  /** VS Code renders a status-bar item as an element whose id is `<extension id>.<item id>`, lower-case. */
  statusItem: '[id="leakscope.leakscope.leakscope.status"]',
  /** The root element of the memory panel's webview document (webview/). */
  panelRoot: '#leakscope-panel',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickInputRowLabel: '.quick-input-widget .quick-input-list .monaco-list-row .label-name',
} as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The label of a quick-input row (without its keybinding or description). */
function rowLabel(page: Page, label: RegExp): Locator {
  return page.locator(Selectors.quickInputRowLabel, { hasText: label }).first();
}

/**
 * Fills the open quick input and picks the row whose label matches `text` (or, with
 * `anywhere`, whose label, description or detail does).
 */
export async function pickQuickInputRow(page: Page, filter: string, text: RegExp, timeoutMs = 15_000, anywhere = false): Promise<void> {
  await page.locator(Selectors.quickInputBox).first().fill(filter, { timeout: timeoutMs });
  const row = anywhere ? page.locator(Selectors.quickInputRow, { hasText: text }).first() : rowLabel(page, text);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click({ timeout: timeoutMs });
}

/**
 * "Leakscope: Attach memory monitor", then the process with this pid. The picker closes when the
 * focus moves (a panel or notification taking it while the list loads), so the whole step is
 * retried until a row was clicked.
 */
export async function attachByPid(page: Page, pid: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand(page, 'Attach memory monitor');
    try {
      await pickQuickInputRow(page, String(pid), new RegExp(`\\b${pid}\\b`), 20_000, true);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * F1, then the command whose palette label is exactly `category: title`. The palette lists only
 * what is known when it opens, and an extension under development registers a little after the
 * workbench appears, so it is reopened until the command shows up.
 */
export async function runCommand(page: Page, title: string, category = 'Leakscope', timeoutMs = 60_000): Promise<void> {
  const label = new RegExp(`^${escapeRegExp(category ? `${category}: ${title}` : title)}$`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('.monaco-workbench').first().click();
    await page.keyboard.press('F1');
    try {
      // F1 can land in a webview that has just taken the focus: then the palette does not open, and is asked again.
      await page.locator(Selectors.quickInputBox).first().waitFor({ state: 'visible', timeout: 15_000 });
      await page.locator(Selectors.quickInputBox).first().fill(`>${title}`);
      await rowLabel(page, label).waitFor({ state: 'visible', timeout: 5_000 });
      await rowLabel(page, label).click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`the command palette never offered "${label.source}"`, { cause: error });
    }
  }
}

/** The webview frame (an iframe inside an iframe) whose document holds `selector`. */
export async function findWebviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const count = await frame.locator(selector).count().catch(() => 0);
      if (count > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame holds ${selector} after ${timeoutMs / 1000} s (${page.frames().length} frames)`);
}

/** Ids of the status-bar items on screen: printed when the expected item is missing. */
export async function statusBarItemIds(page: Page): Promise<string[]> {
  return page.locator('.part.statusbar .statusbar-item').evaluateAll((items) => items.map((item) => item.id).filter((id) => id !== ''));
}

export type Theme = 'dark' | 'light' | 'hc-dark' | 'hc-light';

/** Each theme's name in the picker and the class the workbench root gets with it. */
const THEMES: Record<Theme, { name: string; workbenchClass: string }> = {
  dark: { name: 'Dark Modern', workbenchClass: 'vs-dark' },
  light: { name: 'Light Modern', workbenchClass: 'vs' },
  'hc-dark': { name: 'Dark High Contrast', workbenchClass: 'hc-black' },
  'hc-light': { name: 'Light High Contrast', workbenchClass: 'hc-light' },
};

/** Switches the colour theme through its picker, as a person would, and waits for the repaint. */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  await runCommand(page, 'Color Theme', 'Preferences');
  const { name, workbenchClass } = THEMES[theme];
  await pickQuickInputRow(page, name, new RegExp(`^(Default )?${name}$`));
  await page.locator(`.monaco-workbench.${workbenchClass}`).first().waitFor({ state: 'attached', timeout: 15_000 });
  // The picker fades out; a screenshot taken at once shows its ghost over the editor.
  await page.locator(Selectors.quickInput).first().waitFor({ state: 'hidden', timeout: 15_000 });
  await page.waitForTimeout(500);
}

/** Saves a screenshot of the whole page under .test-artifacts/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifactsDir('screenshots'), `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** In an afterEach: a screenshot named after the test when it failed, its path logged. */
export async function screenshotIfFailed(test: Mocha.Test | undefined, page: Page | undefined, prefix = 'e2e-failed'): Promise<void> {
  if (test?.state !== 'failed' || !page) return;
  const name = `${prefix}-${(test.title ?? 'test').replace(/\W+/g, '-').slice(0, 60)}`;
  console.log(`      screenshot of the failure: ${await screenshot(page, name)}`);
}

/**
 * Parks the mouse on empty space of the explorer: where the last click was (a quick-pick row)
 * is often over the editor tab, whose hover would cover the panel's header in a screenshot.
 */
export async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(180, 560);
  await page.waitForTimeout(300);
}

/**
 * Answers a file dialog. In a browser workbench whose files live on the server, VS Code's
 * showSaveDialog/showOpenDialog are the "simple file dialog": a quick input holding a path.
 * Waits for it, optionally replaces the path, and accepts with Enter; returns the path the
 * dialog offered before that.
 */
export async function answerFileDialog(page: Page, path?: string, timeoutMs = 15_000): Promise<string> {
  const box = page.locator(Selectors.quickInputBox).first();
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  // The dialog fills its box in steps ("/tmp/", then the folder, then the file name) while it
  // lists folders: the offer is what stays put for a moment.
  const deadline = Date.now() + timeoutMs;
  let offered = await box.inputValue();
  let since = Date.now();
  while (Date.now() < deadline && (offered === '' || Date.now() - since < 800)) {
    await page.waitForTimeout(100);
    const value = await box.inputValue();
    if (value !== offered) {
      offered = value;
      since = Date.now();
    }
  }
  if (path !== undefined) {
    await box.fill(path);
    // The dialog reads the typed path (it may list that folder) before Enter means "this file".
    await page.waitForTimeout(400);
  }
  await page.keyboard.press('Enter');
  await page.locator(Selectors.quickInput).first().waitFor({ state: 'hidden', timeout: timeoutMs });
  return offered;
}

/**
 * A notification whose text matches, e.g. "trace saved to", read from the notification center:
 * with the smoke-test driver on (how the harness loads the extension), VS Code shows no toasts
 * (NotificationsToasts.addToast skips them), but the center lists every notification.
 */
export function findNotification(page: Page, text: RegExp, timeoutMs = 15_000): Promise<string> {
  return inNotificationCenter(page, text, `no notification matching ${text.source}`, timeoutMs, async (item) => {
    const found = (await item.innerText()).trim();
    await page.keyboard.press('Escape');
    await page.locator('.notifications-center').first().waitFor({ state: 'hidden', timeout: 5_000 });
    return found;
  });
}

/**
 * Clicks a button of the notification whose text matches, in the notification center, then hides
 * the center. `leaveOpen`: the button opens a modal dialog, which the palette's keys would dismiss.
 */
export function clickNotificationButton(page: Page, text: RegExp, button: string, timeoutMs = 15_000, leaveOpen = false): Promise<void> {
  return inNotificationCenter(page, text, `no notification matching ${text.source} with a "${button}" button`, timeoutMs, async (item) => {
    await item.hover(); // the buttons of a list item show on hover or focus
    await item.locator('.monaco-button', { hasText: button }).first().click({ timeout: 5_000 });
    if (!leaveOpen) await runCommand(page, 'Hide Notifications', 'Notifications');
  });
}

/** Opens the notification center until an item matches `text`, then hands it to `use` (retried until the deadline). */
async function inNotificationCenter<T>(page: Page, text: RegExp, failure: string, timeoutMs: number, use: (item: Locator) => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand(page, 'Show Notifications', 'Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 2_000 });
      return await use(item);
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(failure, { cause: error });
    }
  }
}

/** An environment variable the e2e runner sets (the code-server URLs, the workspace). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\``);
  return value;
}
