// The chart's frame: series toggles, "Follow live", reset, and the two canvases. The canvas
// is focusable: + and − zoom, ← and → pan, 0 resets and follows live again.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { LegendKey, PART_LABELS, SERIES_LABELS, MAIN_SERIES, STRIP_SERIES } from '../chart/memoryChart';
import { DECOMPOSITION_PARTS } from '../../src/core/shared/decomposition';
import { el, h } from './dom';

export interface ChartAreaHandlers {
  onFollowLive(on: boolean): void;
  onSeriesToggle(key: LegendKey, visible: boolean): void;
  onKey(key: 'zoomIn' | 'zoomOut' | 'left' | 'right' | 'reset'): void;
}

type Checkbox = HTMLElement & { checked: boolean };

/** The stacked parts are areas, swap a dashed line: their swatches say so. */
const SWATCH_CLASS: Partial<Record<LegendKey, string>> = { anon: 'swatch area', file: 'swatch area', shmem: 'swatch area', swap: 'swatch dashed' };

export class ChartArea {
  readonly root: HTMLElement;
  readonly mainCanvas = h('canvas', { id: 'rss-chart' });
  readonly stripCanvas = h('canvas', { id: 'threads-chart' });
  private readonly stripFrame = h('div', { class: 'strip-frame' }, this.stripCanvas);
  private readonly follow: Checkbox;
  private readonly toggles = new Map<LegendKey, Checkbox>();
  private readonly legend = h('div', { class: 'legend', role: 'group', 'aria-label': 'Series' });
  readonly description = h('p', { id: 'chart-description', class: 'visually-hidden' });
  private readonly comparisonText = h('span', {});
  private readonly comparison = h('span', { id: 'comparison-legend', class: 'series-toggle series-comparison', hidden: true }, h('span', { class: 'swatch dashed', 'aria-hidden': 'true' }), this.comparisonText);

  constructor(private readonly handlers: ChartAreaHandlers) {
    this.follow = el('vscode-checkbox', { id: 'follow-live', label: 'Follow live', checked: true }) as Checkbox;
    this.follow.addEventListener('change', () => handlers.onFollowLive(this.follow.checked));
    const reset = el('vscode-toolbar-button', { 'data-action': 'resetZoom', icon: 'screen-full', label: 'Show everything and follow live', title: 'Show everything and follow live (0)' }, 'Reset');
    reset.addEventListener('click', () => handlers.onKey('reset'));
    for (const key of MAIN_SERIES) this.legend.append(this.toggle(key, SERIES_LABELS[key]));
    for (const part of DECOMPOSITION_PARTS) this.legend.append(this.toggle(part, PART_LABELS[part], 'RSS decomposition: read from /proc every few seconds'));
    for (const key of STRIP_SERIES) this.legend.append(this.toggle(key, SERIES_LABELS[key]));
    this.legend.append(this.comparison);
    const frame = h(
      'div',
      { class: 'chart-frame', tabindex: '0', role: 'img', 'aria-describedby': 'chart-description', title: 'Wheel or +/− to zoom, drag or ←/→ to pan, Shift+drag to zoom to a range, 0 to reset' },
      this.mainCanvas,
    );
    frame.addEventListener('keydown', (e) => this.onKeyDown(e));
    this.root = h(
      'section',
      { id: 'chart-area', 'aria-label': 'Memory over time' },
      h('div', { class: 'chart-header' }, this.legend, h('div', { class: 'chart-actions' }, this.follow, reset)),
      frame,
      this.stripFrame,
      this.description,
    );
  }

  update(available: (key: LegendKey) => boolean, hidden: ReadonlySet<LegendKey>, followLive: boolean, description: string, comparisonLabel?: string): void {
    this.comparison.hidden = comparisonLabel === undefined;
    const text = `Comparison: ${comparisonLabel ?? ''} (aligned at start)`;
    if (this.comparisonText.textContent !== text) this.comparisonText.textContent = text;
    for (const [key, box] of this.toggles) {
      const present = available(key);
      (box.parentElement as HTMLElement).hidden = !present;
      if (box.checked === hidden.has(key)) box.checked = !hidden.has(key);
    }
    // A recording without thread or fd counts (a Prometheus series, an mprof file) has nothing
    // for the strip to draw: an empty framed chart would read as "zero threads".
    const stripHidden = !STRIP_SERIES.some((key) => available(key));
    if (this.stripFrame.hidden !== stripHidden) this.stripFrame.hidden = stripHidden;
    if (this.follow.checked !== followLive) this.follow.checked = followLive;
    if (this.description.textContent !== description) {
      this.description.textContent = description;
      this.mainCanvas.parentElement?.setAttribute('aria-label', description);
    }
  }

  /** Swatch colours follow the theme. */
  setColors(colors: Record<LegendKey, string>, comparison: string): void {
    for (const [key, box] of this.toggles) box.parentElement?.style.setProperty('--swatch', colors[key]);
    this.comparison.style.setProperty('--swatch', comparison);
  }

  private toggle(key: LegendKey, label: string, title?: string): HTMLElement {
    const box = el('vscode-checkbox', { 'data-series': key, label, checked: true }) as Checkbox;
    box.addEventListener('change', () => this.handlers.onSeriesToggle(key, box.checked));
    this.toggles.set(key, box);
    return h('span', { class: `series-toggle series-${key}`, ...(title ? { title } : {}) }, h('span', { class: SWATCH_CLASS[key] ?? 'swatch', 'aria-hidden': 'true' }), box);
  }

  private onKeyDown(e: KeyboardEvent): void {
    const map: Record<string, 'zoomIn' | 'zoomOut' | 'left' | 'right' | 'reset'> = {
      '+': 'zoomIn',
      '=': 'zoomIn',
      '-': 'zoomOut',
      ArrowLeft: 'left',
      ArrowRight: 'right',
      '0': 'reset',
      Home: 'reset',
    };
    const action = map[e.key];
    if (!action) return;
    e.preventDefault();
    this.handlers.onKey(action);
  }
}
