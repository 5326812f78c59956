// The status-bar item: the focused monitor's RSS and trend. Hidden when nothing is watched.
import * as vscode from 'vscode';
import { Commands } from './commands';
import { DisposableBase, SerialDisposable, combinedDisposable } from './core/events';
import { ApplicableLimit } from './core/memory/applicableLimit';
import { hasMeasuredSlope, isLeakClass, MemorySample } from './core/model';
import { WatchSession } from './core/session';
import { formatBytes, formatRate } from './core/units';
import { MonitorManager } from './monitors/monitorManager';

export const STATUS_BAR_ID = 'leakscope.status';
/** Below this (bytes/s, ~0.06 MB/min) the trend reads as flat. */
const FLAT_SLOPE = 1024;

export class MemoryStatusBar extends DisposableBase implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** Listeners on the watched (focused) session only: replaced when the focus moves. */
  private readonly sessionListeners = this.register(new SerialDisposable());
  private watched: WatchSession | undefined;

  constructor(private readonly manager: MonitorManager) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 100));
    this.item.name = vscode.l10n.t('Leakscope memory');
    this.item.command = Commands.showPanel;
    this.register(manager.onDidChange(() => this.follow(manager.focused)));
    this.follow(manager.focused);
  }

  /** What the item shows, or undefined while hidden. */
  get visibleText(): string | undefined {
    return this.watched ? this.item.text : undefined;
  }

  get tooltipMarkdown(): string | undefined {
    const tooltip = this.item.tooltip;
    return this.watched ? (typeof tooltip === 'string' ? tooltip : tooltip?.value) : undefined;
  }

  /** The theme colour id of the item's background (warning, error), or undefined for none. */
  get backgroundColorId(): string | undefined {
    return this.watched ? this.item.backgroundColor?.id : undefined;
  }

  private follow(session: WatchSession | undefined): void {
    if (session !== this.watched) {
      this.watched = session;
      this.sessionListeners.set(
        session &&
          combinedDisposable(
            session.monitor.onSample(() => this.render()),
            session.onVerdict(() => this.render()),
            session.onLimit(() => this.render()),
            session.onApplicableLimit(() => this.render()),
          ),
      );
    }
    this.render();
  }

  private render(): void {
    const session = this.watched;
    if (!session) {
      this.item.hide();
      return;
    }
    const latest = session.monitor.history.latest();
    const state = session.monitor.state;
    const rss = latest ? formatBytes(latest.rssBytes) : '…';
    const slope = this.slope(session);
    const trend = state === 'running' && latest && hasMeasuredSlope(session.verdict) ? ` ${arrow(slope)} ${formatRate(Math.abs(slope))}` : '';
    const icon = state === 'exited' ? '$(debug-stop)' : state === 'paused' ? '$(debug-pause)' : '$(pulse)';
    const count = this.manager.all.length > 1 ? ` (+${this.manager.all.length - 1})` : '';
    this.item.text = `${icon} ${rss}${trend}${count}`;
    // The limit the session's watcher found, the one its notices name (a cgroup's, ulimit -v…).
    const limit = session.applicableLimit;
    this.item.tooltip = tooltip(session, latest, slope, limit);
    this.item.backgroundColor = this.background(session, latest, limit);
    this.item.accessibilityInformation = {
      label: trend
        ? vscode.l10n.t('Leakscope: process {0} uses {1}, {2} {3}, {4}', session.target.pid, rss, slope >= 0 ? vscode.l10n.t('growing') : vscode.l10n.t('shrinking'), formatRate(Math.abs(slope)), session.verdict.class)
        : vscode.l10n.t('Leakscope: process {0} uses {1}, {2}', session.target.pid, rss, session.verdict.class),
    };
    this.item.show();
  }

  /** The verdict's slope: the banner and the limit projection show the same number. */
  private slope(session: WatchSession): number {
    return session.verdict.slopeBytesPerS;
  }

  private background(session: WatchSession, latest: MemorySample | undefined, applicable: ApplicableLimit | undefined): vscode.ThemeColor | undefined {
    const limit = applicable?.bytes ?? session.limitOptions.memoryBytes;
    if (latest && limit && latest.rssBytes >= limit) return new vscode.ThemeColor('statusBarItem.errorBackground');
    const nearLimit = latest && limit && latest.rssBytes >= limit * session.limitOptions.warnAtFraction;
    if (nearLimit || isLeakClass(session.verdict.class)) return new vscode.ThemeColor('statusBarItem.warningBackground');
    return undefined;
  }
}

function arrow(slope: number): string {
  if (Math.abs(slope) < FLAT_SLOPE) return '→';
  return slope > 0 ? '↑' : '↓';
}

function tooltip(session: WatchSession, latest: MemorySample | undefined, slope: number, limit: ApplicableLimit | undefined): vscode.MarkdownString {
  const t = session.target;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Leakscope** · ${vscode.l10n.t('pid {0}', t.pid)} · ${t.interpreter || t.runtime}\n\n`);
  md.appendCodeblock(t.argv.join(' ').slice(0, 300), 'shell');
  if (latest) {
    md.appendMarkdown(
      `| | |\n|---|---|\n| ${vscode.l10n.t('RSS')} | ${formatBytes(latest.rssBytes)} |\n| ${vscode.l10n.t('Trend')} | ${hasMeasuredSlope(session.verdict) ? formatRate(slope) : vscode.l10n.t('not measured yet')} |\n` +
        `| ${vscode.l10n.t('Threads')} | ${latest.threads} |\n| ${vscode.l10n.t('Open files')} | ${latest.fds < 0 ? vscode.l10n.t('n/a') : latest.fds} |\n` +
        `| ${vscode.l10n.t('Children')} | ${latest.childCount} (${formatBytes(latest.childrenRssBytes)}) |\n` +
        (limit ? `| ${vscode.l10n.t('Limit')} | ${limit.description} |\n` : ''),
    );
  }
  md.appendMarkdown(`\n${session.verdict.explanation}\n\n[${vscode.l10n.t('Open memory panel')}](command:${Commands.showPanel})`);
  md.isTrusted = { enabledCommands: [Commands.showPanel] };
  return md;
}
