// What activate() returns: a small read-only view for tests and other extensions.
import { LeakDiagnostics } from './diagnostics/leakDiagnostics';
import { MonitorManager } from './monitors/monitorManager';
import { MemoryStatusBar } from './statusBar';

export interface SessionView {
  id: string;
  pid: number;
  state: string;
  samples: number;
  latestRssBytes: number | undefined;
  verdict: string;
}

export interface LeakscopeApi {
  sessions(): SessionView[];
  /** The status-bar item's text, or undefined while it is hidden. */
  statusBarText(): string | undefined;
  /** Its background's theme colour id (`statusBarItem.warningBackground`…), undefined for none. */
  statusBarBackground(): string | undefined;
  /** Resolves once the rule engine (tree-sitter grammars) is loaded. */
  rulesReady(): Promise<void>;
}

export function createApi(manager: MonitorManager, statusBar: MemoryStatusBar, diagnostics: LeakDiagnostics): LeakscopeApi {
  return {
    sessions: () => manager.all.map((s) => ({
      id: s.id,
      pid: s.target.pid,
      state: s.monitor.state,
      samples: s.monitor.history.length,
      latestRssBytes: s.monitor.history.latest()?.rssBytes,
      verdict: s.verdict.class,
    })),
    statusBarText: () => statusBar.visibleText,
    statusBarBackground: () => statusBar.backgroundColorId,
    rulesReady: async () => { await diagnostics.engine(); },
  };
}
