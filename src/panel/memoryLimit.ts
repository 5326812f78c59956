// The memory limit a live monitor's panel shows: where its line goes and what it is called.
// Both come from the core's ApplicableLimit, so the panel names the limit the notices and the
// status bar name; the webview draws these words and never works out a name of its own.
import type { ApplicableLimit } from '../core/memory/applicableLimit';
import { LIMITS, MonitorLimits } from '../core/protocol';

export type PanelMemoryLimit = Pick<MonitorLimits, 'memoryBytes' | 'memoryLabel' | 'memoryDescription'>;

/**
 * The limit that applies when one was found; else the user's own number, unnamed (the webview
 * then says just "limit 600 MB"), or nothing.
 */
export function panelMemoryLimit(applicable: ApplicableLimit | undefined, userLimitBytes: number | undefined): PanelMemoryLimit {
  if (applicable) {
    return {
      memoryBytes: applicable.bytes,
      // Cut rather than refused by the webview's validation: a long cgroup path must not cost the line its name.
      memoryLabel: applicable.label.slice(0, LIMITS.limitLabelLength),
      memoryDescription: applicable.description.slice(0, LIMITS.textLength),
    };
  }
  return userLimitBytes !== undefined ? { memoryBytes: userLimitBytes } : {};
}
