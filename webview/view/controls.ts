// The toolbar: sampling, process actions, traces. Every button carries `data-action` with the
// protocol message it sends, which is also how tests find it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { FromWebviewMessage, MonitorDescriptor, SimpleAction } from '../../src/core/protocol';
import { PANEL_INTERVAL_CHOICES_MS } from '../../src/core/shared/samplingInterval';
import { formatDuration } from '../../src/core/units';
import { el, h } from './dom';


interface ButtonSpec {
  action: SimpleAction | 'exportCsv' | 'exportJson';
  icon: string;
  text: string;
  title: string;
}

const SAMPLING: ButtonSpec[] = [
  { action: 'pause', icon: 'debug-pause', text: 'Pause', title: 'Pause sampling (the process keeps running)' },
  { action: 'resume', icon: 'debug-continue', text: 'Resume', title: 'Resume sampling' },
  { action: 'detach', icon: 'debug-disconnect', text: 'Detach', title: 'Stop monitoring this process (it keeps running)' },
];

const PROCESS: ButtonSpec[] = [
  { action: 'runGc', icon: 'trash', text: 'Run GC', title: 'Run garbage collection in the process: memory that comes back was not leaked' },
  { action: 'runMallocTrim', icon: 'fold-down', text: 'malloc_trim', title: 'Call malloc_trim(0) in the process: returns freed heap pages to the system' },
  { action: 'markFixApplied', icon: 'check', text: 'Mark fix applied', title: 'Put a marker on the chart to compare before and after a fix' },
];

const TRACE: ButtonSpec[] = [
  { action: 'exportCsv', icon: 'export', text: 'CSV', title: 'Export the trace as CSV' },
  { action: 'exportJson', icon: 'json', text: 'JSON', title: 'Export the trace as JSON' },
  { action: 'openTrace', icon: 'folder-opened', text: 'Open…', title: 'Open a saved trace (Leakscope CSV/JSON, mprof .dat) in a new panel' },
  { action: 'compareTrace', icon: 'diff', text: 'Compare…', title: 'Overlay a saved trace on this one, aligned at the start' },
  { action: 'clearComparison', icon: 'close', text: 'Clear comparison', title: 'Remove the overlaid trace' },
];

export class Controls {
  /** Sampling and process actions: a toolbar row of their own, gone once the process is. */
  readonly root: HTMLElement;
  /** Trace files (export, open, compare): beside the header, for live panels and recordings alike. */
  readonly traceRoot: HTMLElement;
  private readonly buttons = new Map<string, HTMLElement>();
  /**
   * A native <select> in VS Code's dropdown colours: vscode-elements' single-select brought
   * ~40 KB (its option list, scrollable and styles) to a control with a handful of choices.
   */
  private readonly interval: HTMLSelectElement;
  private readonly samplingGroup: HTMLElement;
  private readonly processGroup: HTMLElement;

  constructor(private readonly post: (message: FromWebviewMessage) => void) {
    this.interval = h('select', { id: 'interval', 'aria-label': 'Sampling interval', title: 'Sampling interval' });
    this.interval.addEventListener('change', () => this.onIntervalChange());
    this.samplingGroup = h('div', { class: 'group', role: 'group', 'aria-label': 'Sampling' }, ...SAMPLING.map((b) => this.button(b)), h('span', { class: 'interval' }, this.interval));
    const find = el('vscode-button', { 'data-action': 'findGrowing', icon: 'search', title: 'Ask the live process which source lines hold the growing memory' }, 'Find what is growing');
    find.addEventListener('click', () => this.post({ type: 'findGrowing' }));
    this.buttons.set('findGrowing', find);
    this.processGroup = h('div', { class: 'group', role: 'group', 'aria-label': 'Process' }, find, ...PROCESS.map((b) => this.button(b)));
    this.traceRoot = h('div', { id: 'trace-actions', class: 'trace-actions', role: 'toolbar', 'aria-label': 'Trace file' }, ...TRACE.map((b) => this.button(b)));
    this.root = h('div', { id: 'controls', class: 'toolbar', role: 'toolbar', 'aria-label': 'Monitor actions' }, this.samplingGroup, this.processGroup);
  }

  update(monitor: MonitorDescriptor | undefined, hasComparison: boolean): void {
    const active = monitor?.kind === 'live' && (monitor.state === 'running' || monitor.state === 'paused');
    // An exited or detached process has nothing to pause or probe: those groups go away.
    this.samplingGroup.hidden = !active;
    this.processGroup.hidden = !active;
    this.root.hidden = !active;
    this.show('pause', active && monitor.state === 'running');
    this.show('resume', active && monitor.state === 'paused');
    this.show('clearComparison', hasComparison);
    for (const action of ['detach', 'findGrowing', 'runGc', 'runMallocTrim', 'markFixApplied']) this.enable(action, active);
    this.enable('exportCsv', monitor !== undefined);
    this.enable('exportJson', monitor !== undefined);
    this.interval.disabled = !active;
    if (monitor) this.setInterval(monitor.intervalMs);
  }

  private button(spec: ButtonSpec): HTMLElement {
    const button = el('vscode-toolbar-button', { 'data-action': spec.action, icon: spec.icon, label: spec.title, title: spec.title }, spec.text);
    button.addEventListener('click', () => {
      if (!button.hasAttribute('disabled')) this.post(toMessage(spec.action));
    });
    this.buttons.set(spec.action, button);
    return button;
  }

  private show(action: string, visible: boolean): void {
    const button = this.buttons.get(action);
    if (button) button.hidden = !visible;
  }

  private enable(action: string, enabled: boolean): void {
    const button = this.buttons.get(action);
    if (!button) return;
    button.toggleAttribute('disabled', !enabled);
    button.setAttribute('aria-disabled', String(!enabled));
  }

  private setInterval(ms: number): void {
    const choices: number[] = [...PANEL_INTERVAL_CHOICES_MS];
    if (!choices.includes(ms)) choices.push(ms);
    choices.sort((a, b) => a - b);
    const values = choices.map(String);
    const current = [...this.interval.options].map((o) => o.value);
    if (current.join() !== values.join()) {
      this.interval.replaceChildren(...choices.map((c) => h('option', { value: String(c) }, `every ${formatDuration(c)}`)));
    }
    if (this.interval.value !== String(ms)) this.interval.value = String(ms);
  }

  private onIntervalChange(): void {
    const ms = Number(this.interval.value);
    if (Number.isInteger(ms)) this.post({ type: 'setInterval', ms });
  }
}

function toMessage(action: ButtonSpec['action']): FromWebviewMessage {
  if (action === 'exportCsv') return { type: 'exportTrace', format: 'csv' };
  if (action === 'exportJson') return { type: 'exportTrace', format: 'json' };
  return { type: action };
}
