// Drawn over the datasets: the memory limit line, the time-to-limit projection and the event
// markers. A plugin rather than datasets, so none of it goes through decimation or widens the
// data range, and labels can avoid each other.
import type { Chart, ChartArea, Plugin } from 'chart.js';
import { MonitorEvent } from '../../src/core/model';
import { formatBytes, formatDuration } from '../../src/core/units';
import { Projection } from '../model/projection';
import { ChartTheme } from './theme';

export interface OverlayState {
  theme: ChartTheme;
  events: readonly MonitorEvent[];
  limitBytes?: number;
  /** False when the limit is far above the data: then only a label says where it is. */
  limitOnScale: boolean;
  projection?: Projection;
}

const LABEL_ROW_HEIGHT = 14;
const MAX_LABEL_ROWS = 3;
/** A marker near the right edge still gets this much label (shifted left of its line). */
const MIN_LABEL_PX = 120;

export function overlayPlugin(state: () => OverlayState): Plugin<'line'> {
  return {
    id: 'leakscopeOverlays',
    afterDatasetsDraw(chart) {
      const s = state();
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `${Math.round(s.theme.fontSize * 0.85)}px ${s.theme.fontFamily}`;
      ctx.textBaseline = 'top';
      drawLimit(chart, s);
      drawProjection(chart, s);
      drawMarkers(chart, s);
      ctx.restore();
    },
  };
}

function drawLimit(chart: Chart<'line'>, s: OverlayState): void {
  if (s.limitBytes === undefined) return;
  const { ctx, chartArea: area } = chart;
  const label = `limit ${formatBytes(s.limitBytes)}`;
  ctx.fillStyle = s.theme.limit;
  if (!s.limitOnScale) {
    ctx.textAlign = 'right';
    ctx.fillText(`${label} ↑ (off scale)`, area.right - 4, area.top + 2);
    return;
  }
  const y = chart.scales.y.getPixelForValue(s.limitBytes);
  if (y < area.top || y > area.bottom) return;
  ctx.strokeStyle = s.theme.limit;
  ctx.lineWidth = s.theme.highContrast ? 2 : 1.5;
  ctx.setLineDash([6, 4]);
  line(ctx, area.left, y, area.right, y);
  ctx.setLineDash([]);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, area.right - 4, y - 2);
  ctx.textBaseline = 'top';
}

function drawProjection(chart: Chart<'line'>, s: OverlayState): void {
  const p = s.projection;
  if (!p) return;
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x;
  const y = chart.scales.y;
  const x0 = x.getPixelForValue(p.fromX);
  const y0 = y.getPixelForValue(p.fromY);
  const x1 = x.getPixelForValue(p.toX);
  const y1 = y.getPixelForValue(p.toY);
  if (x1 <= area.left || x0 >= area.right) return;
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
  const label = `limit in ${formatDuration(p.limitAtMs - p.fromX)}`;
  ctx.fillStyle = s.theme.projection;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, Math.min(x1, area.right - 4), Math.max(area.top + 14, Math.min(y1, y0) - 4));
  ctx.textBaseline = 'top';
}

/** Vertical lines with labels along the top, in up to three rows so that they do not overlap. */
function drawMarkers(chart: Chart<'line'>, s: OverlayState): void {
  const { ctx, chartArea: area } = chart;
  const x = chart.scales.x;
  const rowEnds: number[] = new Array<number>(MAX_LABEL_ROWS).fill(-Infinity);
  ctx.textAlign = 'left';
  for (const event of s.events) {
    const px = x.getPixelForValue(event.tMs);
    if (px < area.left || px > area.right) continue;
    const color = s.theme.markers[event.kind];
    ctx.strokeStyle = color;
    ctx.lineWidth = s.theme.highContrast ? 2 : 1;
    ctx.setLineDash(event.kind === 'gc' || event.kind === 'malloc-trim' ? [3, 3] : []);
    line(ctx, px, area.top, px, area.bottom);
    ctx.setLineDash([]);
    // As much of the label as fits between the line and the right edge (at most a third of
    // the chart, so neighbours keep room), ellipsized; the full text is in the event list.
    const room = Math.max(MIN_LABEL_PX, Math.min(area.right - px - 6, (area.right - area.left) / 3));
    const text = fitText(ctx, event.label, room);
    const width = ctx.measureText(text).width;
    const left = Math.max(area.left + 2, Math.min(px + 3, area.right - width - 2));
    const row = rowEnds.findIndex((end) => end < left);
    if (row < 0) continue;
    rowEnds[row] = left + width + 6;
    const top = area.top + 2 + row * LABEL_ROW_HEIGHT;
    ctx.fillStyle = s.theme.background;
    ctx.fillRect(left - 2, top - 1, width + 4, LABEL_ROW_HEIGHT - 1);
    ctx.fillStyle = color;
    ctx.fillText(text, left, top);
  }
}

/** `text`, or its longest prefix that fits `maxWidth` pixels with an ellipsis. */
export function fitText(ctx: Pick<CanvasRenderingContext2D, 'measureText'>, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid).trimEnd()}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
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
