// The text parts of the panel: header, verdict banner, statistics table (the chart's text
// alternative), probe results and the error bar. Each renders from plain data, text only.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { MonitorDescriptor, MonitorState, ProbeReport } from '../../src/core/protocol';
import { formatBytes, formatDuration, formatSignedBytes } from '../../src/core/units';
import { PanelStats } from '../model/stats';
import { BannerContent } from '../model/verdictText';
import { codicon, el, h, setChildren } from './dom';

const STATE_LABELS: Record<MonitorState, string> = { running: 'running', paused: 'paused', exited: 'exited', detached: 'detached' };

export class Header {
  readonly root = h('header', { id: 'monitor-header' });
  private last = '';

  update(monitor: MonitorDescriptor | undefined, stats: PanelStats | undefined): void {
    if (!monitor) {
      if (this.last === 'waiting') return;
      this.last = 'waiting';
      setChildren(this.root, h('h1', {}, 'Leakscope'), h('span', { class: 'muted' }, 'Waiting for the monitor…'));
      return;
    }
    const facts = headerFacts(monitor, stats);
    // Rebuilt only when what it shows changed (it runs on every frame of live data), but then
    // at once: the observed time moves with every sample.
    const key = JSON.stringify([monitor, facts]);
    if (key === this.last) return;
    this.last = key;
    const state = monitor.kind === 'trace' ? 'recording' : STATE_LABELS[monitor.state];
    setChildren(
      this.root,
      // One line: a long command line is cut short before the state badge wraps under it.
      h(
        'div',
        { class: 'title-line' },
        h('h1', { title: monitor.command }, codicon(monitor.kind === 'trace' ? 'file' : 'pulse'), h('span', { class: 'title' }, monitor.title || monitor.command)),
        el('vscode-badge', { id: 'state', class: `state-${monitor.kind === 'trace' ? 'trace' : monitor.state}`, variant: 'default', 'data-state': monitor.kind === 'trace' ? 'recording' : monitor.state }, state),
      ),
      h('span', { class: 'facts muted', id: 'monitor-facts' }, facts.join(' · ')),
      monitor.summary ? h('span', { class: 'summary', id: 'state-summary' }, monitor.summary) : undefined,
    );
  }
}

/** "PID 48213 · every 1 s · watched 12 min": what the header says next to the title. */
export function headerFacts(monitor: MonitorDescriptor, stats: PanelStats | undefined): string[] {
  const facts: string[] = [];
  if (monitor.pid !== undefined) facts.push(`PID ${monitor.pid}`);
  if (monitor.kind === 'live') facts.push(`every ${formatDuration(monitor.intervalMs)}`);
  if (stats) {
    const span = stats.lastMs - Math.min(monitor.startedMs, stats.firstMs);
    if (monitor.kind === 'trace') facts.push(`${formatDuration(stats.spanMs)} recorded`);
    // The first sample is taken on attach: "0 s" would read as a stuck clock.
    else if (span >= 1000) facts.push(`watched ${formatDuration(span)}`);
    else facts.push('just attached');
  }
  return facts;
}

export class VerdictBanner {
  readonly root = h('section', { id: 'verdict', class: 'banner', role: 'status', 'aria-live': 'polite', 'aria-label': 'Growth verdict' });
  private last = '';

  update(content: BannerContent): void {
    const key = JSON.stringify(content);
    if (key === this.last) return;
    this.last = key;
    this.root.className = `banner tone-${content.tone}`;
    this.root.dataset.tone = content.tone;
    setChildren(
      this.root,
      h('span', { class: 'banner-icon' }, codicon(content.icon)),
      h(
        'div',
        { class: 'banner-body' },
        h('div', { class: 'banner-title' }, h('strong', { id: 'verdict-title' }, content.title), ...content.facts.flatMap((f) => [h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), h('span', { class: 'fact' }, f)])),
        h('div', { class: 'banner-explanation' }, content.explanation),
        content.growth
          ? h(
              'div',
              { class: 'banner-growth', id: 'growth-kind', 'data-kind': content.growth.kind },
              h('strong', {}, `${content.growth.label}. `),
              h('span', {}, content.growth.text),
              h('div', { class: 'banner-fix' }, content.growth.fix),
            )
          : undefined,
      ),
    );
  }
}

export class StatsTable {
  readonly root = h('table', { id: 'stats', class: 'data-table' });
  private cells = new Map<string, HTMLTableCellElement>();

  update(stats: PanelStats | undefined, monitor: MonitorDescriptor | undefined): void {
    const rows: [string, string][] = stats
      ? [
          ['Current RSS', formatBytes(stats.currentBytes)],
          ['Minimum', formatBytes(stats.minBytes)],
          ['Peak', formatBytes(stats.peakBytes)],
          ['Change', `${formatSignedBytes(stats.deltaBytes)} over ${formatDuration(stats.spanMs)}`],
          ['Mean slope', rate(stats.meanSlopeBytesPerS)],
          ['Recent slope (15 min)', rate(stats.recentSlopeBytesPerS)],
          ['Threads', String(stats.threads)],
          ['File descriptors', stats.fds < 0 ? 'not readable' : String(stats.fds)],
          ['Children', stats.childCount === 0 ? 'none' : `${stats.childCount} (${formatBytes(stats.childrenRssBytes)} RSS)`],
          // The time the samples cover, not the process's uptime (it may have run long before the attach).
          [monitor?.kind === 'trace' ? 'Duration' : 'Watched for', formatDuration(stats.lastMs - Math.min(monitor?.startedMs ?? stats.firstMs, stats.firstMs))],
          ['Samples', stats.samples.toLocaleString('en-US')],
        ]
      : [['Samples', 'none yet']];
    const limit = monitor?.limits.memoryBytes;
    // The table has room for the host's full description: which cgroup or ulimit, and what happens there.
    const description = monitor?.limits.memoryDescription;
    if (limit !== undefined) rows.splice(3, 0, ['Memory limit', description ? `${formatBytes(limit)}: ${description}` : formatBytes(limit)]);
    if (rows.map(([name]) => name).join() === [...this.cells.keys()].join()) {
      // Same rows as before: change the values' text only, no new elements per frame.
      for (const [name, value] of rows) {
        const cell = this.cells.get(name);
        if (cell && cell.textContent !== value) cell.textContent = value;
      }
      return;
    }
    this.cells = new Map(rows.map(([name, value]) => [name, h('td', {}, value)]));
    setChildren(
      this.root,
      h('caption', {}, 'Statistics'),
      h('tbody', {}, ...rows.map(([name]) => h('tr', {}, h('th', { scope: 'row' }, name), this.cells.get(name)))),
    );
  }
}

function rate(bytesPerS: number): string {
  return `${formatSignedBytes(bytesPerS * 60)}/min`;
}

export class ProbeTable {
  readonly root = h('section', { id: 'probe', 'aria-label': 'What is growing' });
  private last: ProbeReport | null | undefined;

  constructor(private readonly openLocation: (file: string, line: number) => void) {}

  private lastLive: boolean | undefined;

  update(probe: ProbeReport | null, live: boolean): void {
    // The empty text depends on whether the panel is live: the first render (before `init`)
    // does not know yet.
    if (probe === this.last && live === this.lastLive && this.root.childElementCount > 0) return;
    this.last = probe;
    this.lastLive = live;
    const heading = h('h2', {}, 'What is growing', probe?.status === 'running' ? h('span', { class: 'muted' }, ' — probing…') : undefined);
    if (!probe) {
      setChildren(this.root, heading, h('p', { class: 'muted empty' }, live ? 'Use “Find what is growing” to ask the live process which source lines hold the growing memory.' : 'No probe results in this recording.'));
      return;
    }
    setChildren(
      this.root,
      heading,
      probe.sites.length ? this.table(probe) : h('p', { class: 'muted empty' }, probe.status === 'running' ? 'Watching allocations…' : 'No growing allocation sites found.'),
      probe.notes.length ? h('ul', { class: 'notes' }, ...probe.notes.map((n) => h('li', {}, n))) : undefined,
    );
  }

  private table(probe: ProbeReport): HTMLTableElement {
    const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Site'), h('th', { scope: 'col' }, 'Location'), h('th', { scope: 'col', class: 'num' }, 'Growth'), h('th', { scope: 'col', class: 'num' }, 'Count')));
    const rows = probe.sites.map((site) =>
      h(
        'tr',
        {},
        h('td', { class: 'fn' }, site.function || '(module)'),
        h('td', {}, this.link(site.file, site.line)),
        h('td', { class: 'num' }, formatSignedBytes(site.bytes)),
        h('td', { class: 'num' }, site.count.toLocaleString('en-US')),
      ),
    );
    return h('table', { id: 'probe-sites', class: 'data-table' }, head, h('tbody', {}, ...rows));
  }

  private link(file: string, line: number): HTMLElement {
    const label = `${basename(file)}:${line}`;
    if (!file || line < 1) return h('span', {}, label);
    const a = h('a', { href: '#', class: 'location', title: `${file}:${line}`, 'data-file': file, 'data-line': String(line) }, label);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      this.openLocation(file, line);
    });
    return a;
  }
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export class ErrorBar {
  readonly root = h('div', { id: 'error', class: 'error-bar', role: 'alert', hidden: true });

  show(text: string): void {
    const dismiss = h('button', { class: 'icon-button', title: 'Dismiss', 'aria-label': 'Dismiss error' }, codicon('close'));
    dismiss.addEventListener('click', () => this.hide());
    setChildren(this.root, codicon('error'), h('span', { class: 'error-text' }, text), dismiss);
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
