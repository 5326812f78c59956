// Drawn over the datasets: the memory limit line, the time-to-limit projection and the event
// markers. A plugin rather than datasets, so none of it goes through decimation or widens the
// data range. All their labels go through one layout (model/labelLayout.ts): none overlaps
// another or leaves the plot, and none is cut short.
import type { Chart, ChartArea, Plugin } from 'chart.js';
import { MonitorEvent } from '../../src/core/model';
import { formatDuration } from '../../src/core/units';
import { Box, DrawnLabels, LabelRequest, layoutLabels } from '../model/labelLayout';
import { limitLineTexts } from '../model/limitText';
import { Projection } from '../model/projection';
import { ChartTheme } from './theme';

export interface OverlayState {
  theme: ChartTheme;
  events: readonly MonitorEvent[];
  limitBytes?: number;
  /** The host's short name of that limit ("cgroup limit 256 MB"), drawn on its line. */
  limitLabel?: string;
  /** False when the limit is far above the data: then only a label says where it is. */
  limitOnScale: boolean;
  projection?: Projection;
}

const LABEL_ROW_HEIGHT = 14;
const MAX_LABEL_ROWS = 4;
const PAD = 4;

export function overlayPlugin(state: () => OverlayState, onDrawn?: (drawn: DrawnLabels, canvas: HTMLCanvasElement) => void): Plugin<'line'> {
  return {
    id: 'leakscopeOverlays',
    afterDatasetsDraw(chart) {
      const s = state();
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `${Math.round(s.theme.fontSize * 0.85)}px ${s.theme.fontFamily}`;
      ctx.textBaseline = 'top';
      const limitY = drawLimitLine(chart, s);
      const projectionEnd = drawProjectionLine(chart, s);
      const markers = drawMarkerLines(chart, s);
      const area = chart.chartArea;
      const plot: Box = { left: area.left, top: area.top, width: area.right - area.left, height: area.bottom - area.top };
      // Most important first: the limit, then where the line meets it, then the newest events.
      const requests = [limitLabel(s, plot, limitY), projectionLabel(s, plot, projectionEnd), ...markers.reverse()]
        .filter((r): r is LabelRequest & { color: string } => r !== undefined);
      const colors = new Map(requests.map((r) => [r.id, r.color]));
      const placed = layoutLabels(requests, plot, (text) => ctx.measureText(text).width, LABEL_ROW_HEIGHT - 1);
      for (const label of placed) {
        ctx.fillStyle = s.theme.background;
        ctx.fillRect(label.box.left - 1, label.box.top, label.box.width + 2, label.box.height);
        ctx.fillStyle = colors.get(label.id) ?? s.theme.limit;
        ctx.textAlign = 'left';
        ctx.fillText(label.text, label.box.left, label.box.top + 1);
      }
      ctx.restore();
      onDrawn?.({ area: plot, labels: placed }, chart.canvas);
    },
  };
}

/** The limit line; returns its y, or undefined when it is off scale or not set. */
function drawLimitLine(chart: Chart<'line'>, s: OverlayState): number | undefined {
  if (s.limitBytes === undefined || !s.limitOnScale) return undefined;
  const { ctx, chartArea: area } = chart;
  const y = chart.scales.y.getPixelForValue(s.limitBytes);
  if (y < area.top || y > area.bottom) return undefined;
  ctx.strokeStyle = s.theme.limit;
  ctx.lineWidth = s.theme.highContrast ? 2 : 1.5;
  ctx.setLineDash([6, 4]);
  line(ctx, area.left, y, area.right, y);
  ctx.setLineDash([]);
  return y;
}

function limitLabel(s: OverlayState, plot: Box, y: number | undefined): (LabelRequest & { color: string }) | undefined {
  if (s.limitBytes === undefined) return undefined;
  const right = plot.left + plot.width - PAD;
  const h = LABEL_ROW_HEIGHT;
  const naming = { bytes: s.limitBytes, label: s.limitLabel };
  if (!s.limitOnScale) {
    return { id: 'limit', color: s.theme.limit, texts: limitLineTexts(naming, false), places: (w) => [0, 1, 2].map((row) => ({ left: right - w, top: plot.top + 2 + row * h })) };
  }
  if (y === undefined) return undefined;
  return {
    id: 'limit',
    color: s.theme.limit,
    // The name where it fits, else the plain "limit 250 MB": a long name never costs the line its label.
    texts: limitLineTexts(naming, true),
    // Above the line at the right, below it, then further left along it.
    places: (w) => [
      { left: right - w, top: y - h - 1 }, { left: right - w, top: y + 3 },
      { left: plot.left + PAD, top: y - h - 1 }, { left: plot.left + PAD, top: y + 3 },
    ],
  };
}

/** The dotted line from the last sample to the limit; returns where it ends, in pixels. */
function drawProjectionLine(chart: Chart<'line'>, s: OverlayState): { x: number; y: number } | undefined {
  const p = s.projection;
  if (!p) return undefined;
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x;
  const y = chart.scales.y;
  const x0 = x.getPixelForValue(p.fromX);
  const y0 = y.getPixelForValue(p.fromY);
  const x1 = x.getPixelForValue(p.toX);
  const y1 = y.getPixelForValue(p.toY);
  if (x1 <= area.left || x0 >= area.right) return undefined;
  ctx.save();
  clip(ctx, area);
  ctx.strokeStyle = s.theme.projection;
  ctx.lineWidth = s.theme.highContrast ? 2 : 1.5;
  ctx.setLineDash([2, 4]);
  line(ctx, x0, y0, x1, y1);
  ctx.setLineDash([]);
  if (p.reachesLimit) {
    ctx.fillStyle = s.theme.projection;
    ctx.beginPath();
    ctx.arc(x1, y1, 3, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
  return { x: Math.min(x1, area.right), y: Math.max(area.top, Math.min(y1, y0)) };
}

function projectionLabel(s: OverlayState, plot: Box, end: { x: number; y: number } | undefined): (LabelRequest & { color: string }) | undefined {
  const p = s.projection;
  if (!p || !end) return undefined;
  const h = LABEL_ROW_HEIGHT;
  return {
    id: 'projection',
    color: s.theme.projection,
    texts: [`limit in ${formatDuration(p.limitAtMs - p.fromX)}`],
    // Left of where the line ends, above it, then below, then a row further up or down.
    places: (w) => [-1, 1, -2, 2].map((row) => ({ left: Math.min(end.x - PAD, plot.left + plot.width - PAD) - w, top: row < 0 ? end.y + row * h - 2 : end.y + (row - 1) * h + 4 })),
  };
}

/** Short names of the event kinds, for a marker whose full label finds no room. */
const SHORT_LABELS: Record<MonitorEvent['kind'], string> = {
  attach: 'attach',
  'limit-warning': 'limit warning',
  'limit-reached': 'limit',
  gc: 'gc',
  'malloc-trim': 'trim',
  probe: 'probe',
  'fix-applied': 'fix',
  note: 'note',
  exit: 'exit',
  exec: 'exec',
};

/** The vertical lines of the events; their labels are laid out with the others. */
function drawMarkerLines(chart: Chart<'line'>, s: OverlayState): Array<LabelRequest & { color: string }> {
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x;
  const requests: Array<LabelRequest & { color: string }> = [];
  s.events.forEach((event, i) => {
    const px = x.getPixelForValue(event.tMs);
    if (px < area.left || px > area.right) return;
    const color = s.theme.markers[event.kind];
    ctx.strokeStyle = color;
    ctx.lineWidth = s.theme.highContrast ? 2 : 1;
    ctx.setLineDash(event.kind === 'gc' || event.kind === 'malloc-trim' ? [3, 3] : []);
    line(ctx, px, area.top, px, area.bottom);
    ctx.setLineDash([]);
    // A limit warning's text is a projection made then ("reaches 600 MB in ~1 min"), stale once
    // the growth stops: the marker says only that it was warned here (the toast had the rest).
    const texts = event.label === SHORT_LABELS[event.kind] || event.kind === 'limit-warning' ? [SHORT_LABELS[event.kind]] : [event.label, SHORT_LABELS[event.kind]];
    requests.push({
      id: `event-${i}`,
      color,
      texts,
      // Right of the line in the first free row, else left of it.
      places: (w) => [
        ...Array.from({ length: MAX_LABEL_ROWS }, (_, row) => ({ left: px + 3, top: area.top + 2 + row * LABEL_ROW_HEIGHT })),
        ...Array.from({ length: MAX_LABEL_ROWS }, (_, row) => ({ left: px - 3 - w, top: area.top + 2 + row * LABEL_ROW_HEIGHT })),
      ],
    });
  });
  return requests;
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function clip(ctx: CanvasRenderingContext2D, area: ChartArea): void {
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
}
