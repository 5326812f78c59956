// The sampling interval's bounds, each written once: the host, the CLI, the protocol and the
// panel read them from here, and a unit test holds package.json's setting to them.

/** What the sampling engine can do: from 10 ms up to Node's longest timer (2^31 − 1 ms, ~24.8 days; a longer one fires at once, every time). */
export const ENGINE_INTERVAL_MS = { min: 10, max: 2 ** 31 - 1 } as const;

/** What the extension offers (the `leakscope.sampling.intervalMs` setting and the panel): 100 ms to a minute. */
export const SETTING_INTERVAL_MS = { min: 100, max: 60_000 } as const;

/** The intervals the panel's menu offers (a monitor's own interval is added when it is not one of them). */
export const PANEL_INTERVAL_CHOICES_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

/** One sample a second, unless told otherwise. */
export const DEFAULT_INTERVAL_MS = 1000;

export function isEngineInterval(ms: number): boolean {
  return Number.isFinite(ms) && ms >= ENGINE_INTERVAL_MS.min && ms <= ENGINE_INTERVAL_MS.max;
}

/** A setting's or a trace's interval brought into the range the extension offers. */
export function clampToSettingInterval(ms: number): number {
  return Math.min(SETTING_INTERVAL_MS.max, Math.max(SETTING_INTERVAL_MS.min, ms));
}
