// playwright-core lives in tools/ (installed under Node 24 next to code-server, not a devDependency
// of the extension), so it is loaded at run time from there. These interfaces are the small part
// of its API the tests use; keeping them here lets `tsc` check the tests without tools/ installed.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

/** What the tests read from DOM elements in `evaluateAll` (the tests compile without the DOM lib). */
export interface DomElement {
  id: string;
  className: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

export interface Locator {
  count(): Promise<number>;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  click(options?: { timeout?: number }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  locator(selector: string, options?: LocatorOptions): Locator;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  waitFor(options?: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  getAttribute(name: string): Promise<string | null>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  isVisible(): Promise<boolean>;
  scrollIntoViewIfNeeded(options?: { timeout?: number }): Promise<void>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
  screenshot(options: { path: string }): Promise<unknown>;
  evaluateAll<R>(fn: (elements: DomElement[]) => R): Promise<R>;
}

export interface LocatorOptions {
  hasText?: string | RegExp;
}

export interface Frame {
  url(): string;
  locator(selector: string, options?: LocatorOptions): Locator;
}

export interface Page {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number }): Promise<unknown>;
  exposeFunction(name: string, callback: (...args: unknown[]) => unknown): Promise<unknown>;
  locator(selector: string, options?: LocatorOptions): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  frames(): Frame[];
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  waitForTimeout(ms: number): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Browser {
  newContext(options?: { viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

interface BrowserType {
  launch(options: { executablePath: string; headless: boolean; args: string[]; timeout?: number }): Promise<Browser>;
}

/** playwright-core's chromium launcher, from tools/node_modules. */
export function loadChromium(): BrowserType {
  const toolsRequire = createRequire(join(repoRoot(), 'tools', 'package.json'));
  let playwright: { chromium: BrowserType };
  try {
    playwright = toolsRequire('playwright-core') as { chromium: BrowserType };
  } catch (error) {
    throw new Error(`playwright-core is not installed in tools/: run \`bash scripts/ensure-tools.sh\` (${String(error)})`, { cause: error });
  }
  return playwright.chromium;
}
