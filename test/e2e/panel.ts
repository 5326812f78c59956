// Reading the memory panel's webview from the e2e tests: which frame shows what, and what it
// shows (the data attributes and the statistics table, the chart's text alternative).
import { findWebviewFrame } from './workbench';
import { Frame, Page } from './playwright';
import type { DrawnLabels } from '../../webview/model/labelLayout';

export type PanelKind = 'live' | 'trace';

/** The webview frame of the memory panel that shows a live monitor or an opened recording. */
export function panelFrame(page: Page, kind: PanelKind, timeoutMs = 30_000): Promise<Frame> {
  return findWebviewFrame(page, `#leakscope-panel[data-kind="${kind}"]`, timeoutMs);
}

export interface PanelReading {
  /** Samples the webview holds (the chart's `data-points`). */
  points: number;
  firstMs: number;
  lastMs: number;
  /** running, paused, exited, detached or recording (the state badge). */
  state: string;
  badge: string;
  /** The header's facts line, e.g. "PID 123 · every 1 s · watched 12 s". */
  facts: string;
  verdict: string;
  /** The banner's title alone: "Steady leak · 99% confidence", "Plateau · …", "Undecided". */
  verdictTitle: string;
  /** The banner's second line: the classifier's explanation. */
  explanation: string;
  /** Statistics table, row name -> value. */
  stats: Record<string, string>;
}

export async function readPanel(frame: Frame): Promise<PanelReading> {
  const chart = frame.locator('#rss-chart').first();
  const number = async (name: string): Promise<number> => Number(await chart.getAttribute(name));
  const names = await frame.locator('#stats th').evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').trim()));
  const values = await frame.locator('#stats td').evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').trim()));
  return {
    points: await number('data-points'),
    firstMs: await number('data-first-ms'),
    lastMs: await number('data-last-ms'),
    state: (await frame.locator('#leakscope-panel').first().getAttribute('data-state')) ?? '',
    badge: ((await frame.locator('#state').first().textContent()) ?? '').trim(),
    facts: ((await frame.locator('#monitor-facts').first().textContent()) ?? '').trim(),
    verdict: ((await frame.locator('#verdict').first().textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    verdictTitle: ((await frame.locator('#verdict-title').first().textContent()) ?? '').trim(),
    explanation: ((await frame.locator('#verdict .banner-explanation').first().textContent()) ?? '').trim(),
    stats: Object.fromEntries(names.map((name, i) => [name, values[i] ?? ''])),
  };
}

/** Polls the panel until `done` holds for its reading; throws with the last reading if it never does. */
export async function waitForPanel(page: Page, frame: Frame, what: string, done: (r: PanelReading) => boolean, timeoutMs = 15_000): Promise<PanelReading> {
  const deadline = Date.now() + timeoutMs;
  let last = await readPanel(frame);
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`the panel never showed ${what} in ${timeoutMs / 1000} s; it showed ${JSON.stringify(last)}`);
    await page.waitForTimeout(250);
    last = await readPanel(frame);
  }
  return last;
}

/** Clicks a toolbar button of the panel by its protocol action (`data-action`). */
export async function clickAction(frame: Frame, action: string): Promise<void> {
  await frame.locator(`[data-action="${action}"]:not([hidden]):not([disabled])`).first().click({ timeout: 10_000 });
}

/** "83.4 MB" -> bytes, for comparing readings. */
export function parseBytes(text: string): number {
  const match = /^([\d.,]+)\s*(B|KB|MB|GB|TB)$/.exec(text.trim());
  if (!match) throw new Error(`not a size: "${text}"`);
  const power = ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(match[2]);
  return Number(match[1].replace(/,/g, '')) * 1024 ** power;
}

/** The label boxes the chart drew last (the overlay plugin puts them on the canvas as data). */
export async function chartLabels(frame: Frame): Promise<DrawnLabels> {
  const raw = await frame.locator('#rss-chart').first().getAttribute('data-labels');
  if (!raw) throw new Error('the chart has no data-labels: the overlay plugin did not draw');
  return JSON.parse(raw) as DrawnLabels;
}
