// Chart colours come from the VS Code theme: the webview gets every theme colour as a
// `--vscode-*` CSS variable, and canvas drawing needs them as strings, so they are read from
// computed styles and read again when the theme changes (VS Code swaps the body class and the
// variables on <html> in place, without reloading the page).
import { MonitorEventKind } from '../../src/core/model';
import { opaque } from '../model/colors';
import { SeriesKey } from '../model/series';
import { DecompositionPart } from '../../src/core/shared/decomposition';

export { opaque, withAlpha } from '../model/colors';

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  background: string;
  series: Record<SeriesKey, string>;
  /** The parts of RSS stacked under it, and swap. */
  parts: Record<DecompositionPart, string>;
  comparison: string;
  limit: string;
  projection: string;
  markers: Record<MonitorEventKind, string>;
  /** High-contrast themes: thicker lines, no fills. */
  highContrast: boolean;
}

// Fallbacks are VS Code's Dark Modern values, for a page opened outside VS Code.
const FALLBACK: Record<string, string> = {
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-errorForeground': '#f85149',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-terminal-ansiCyan': '#11a8cd',
  '--vscode-terminal-ansiMagenta': '#bc3fbc',
};

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const raw = (name: string): string => style.getPropertyValue(name).trim() || FALLBACK[name] || '#888888';
  // Lines are drawn opaque: some theme colours carry an alpha (charts.orange defaults to the
  // minimap's find-match highlight, about 50%), which turns a thin line into a faint smear.
  const v = (name: string): string => opaque(raw(name));
  const muted = v('--vscode-descriptionForeground');
  return {
    foreground: v('--vscode-charts-foreground'),
    muted,
    // Grid lines keep their alpha: they are meant to be faint.
    grid: raw('--vscode-charts-lines'),
    fontFamily: raw('--vscode-font-family'),
    fontSize: parseFloat(raw('--vscode-font-size')) || 13,
    background: v('--vscode-editor-background'),
    series: {
      rss: v('--vscode-charts-blue'),
      childrenRss: v('--vscode-charts-purple'),
      uss: v('--vscode-charts-green'),
      pss: v('--vscode-charts-yellow'),
      heap: v('--vscode-charts-orange'),
      gpu: v('--vscode-charts-red'),
      threads: v('--vscode-charts-foreground'),
      fds: v('--vscode-charts-orange'),
    },
    // Anonymous memory is most of RSS: the RSS hue, drawn as an area (the legend shows a block),
    // not a line. The bands use hues no sample series uses; the terminal's ANSI colours are
    // themed for dark, light and high contrast alike.
    parts: {
      anon: v('--vscode-charts-blue'),
      file: v('--vscode-terminal-ansiCyan'),
      shmem: v('--vscode-terminal-ansiMagenta'),
      swap: v('--vscode-charts-red'),
    },
    comparison: muted,
    limit: v('--vscode-charts-red'),
    projection: v('--vscode-editorWarning-foreground'),
    markers: {
      attach: v('--vscode-charts-foreground'),
      'limit-warning': v('--vscode-editorWarning-foreground'),
      'limit-reached': v('--vscode-errorForeground'),
      'fix-applied': v('--vscode-charts-green'),
      gc: v('--vscode-textLink-foreground'),
      'malloc-trim': v('--vscode-textLink-foreground'),
      probe: v('--vscode-charts-purple'),
      exec: muted,
      exit: muted,
      note: muted,
    },
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls back when VS Code changes the theme; returns a function that stops watching. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
