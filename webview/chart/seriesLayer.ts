// The series drawn straight onto the chart's canvas from the decimated points, instead of through
// chart.js's datasets: its update made an element and resolved options per point, and its
// drawing went through those elements (together ~half of an update with a day of data, see
// bench/chart.ts). chart.js keeps the axes, grid, zoom and tooltip; the datasets keep the styles
// (colour, width, dash, fill, hidden), which this layer reads, so the theme code is unchanged.
// The paths follow chart.js's own line and fill drawing (its fast path for undashed lines, one
// vertical stroke per pixel column), so the picture is the one chart.js drew.
import type { Chart, ChartArea, ChartDataset, Plugin, Scale } from 'chart.js';
import { Point } from '../model/point';

type LineDataset = ChartDataset<'line', Point[]>;

/** What the layer draws: each dataset's style and points, by index; `active` false hands drawing back to chart.js. */
export interface SeriesLayerState {
  active: boolean;
  datasets: readonly LineDataset[];
  points: readonly (readonly Point[])[];
}

export function seriesLayerPlugin(state: () => SeriesLayerState): Plugin<'line'> {
  return {
    id: 'leakscopeSeries',
    // chart.js's datasets then hold at most their extent (for a scale fitted to the data): not drawn.
    beforeDatasetDraw: () => !state().active,
    beforeDatasetsDraw(chart) {
      const s = state();
      if (s.active) drawSeries(chart, s.datasets, s.points);
    },
  };
}

/** Later datasets first, each its fill then its line: chart.js's order, so RSS stays on top. */
function drawSeries(chart: Chart<'line'>, datasets: readonly LineDataset[], points: readonly (readonly Point[])[]): void {
  const x = chart.scales.x;
  const y = chart.scales.y;
  const pixels = points.map((p) => toPixels(p, x, y));
  const ctx = chart.ctx;
  for (let i = datasets.length - 1; i >= 0; i--) {
    const ds = datasets[i];
    const path = pixels[i];
    if (ds.hidden || !path || path.length === 0) continue;
    const below = fillTarget(ds.fill, pixels, y);
    if (below) fillBetween(ctx, chart.chartArea, path, below, String(ds.backgroundColor));
    strokeLine(ctx, lineClip(chart, Number(ds.borderWidth ?? 1)), path, ds);
  }
}

/** A line in pixels: x and y interleaved. */
type PixelPath = Float64Array;

function toPixels(points: readonly Point[], x: Scale, y: Scale): PixelPath {
  const toX = linearMapping(x);
  const toY = linearMapping(y);
  const out = new Float64Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    out[2 * i] = toPixel(toX, points[i].x);
    out[2 * i + 1] = toPixel(toY, points[i].y);
  }
  return out;
}

interface Mapping {
  value: number;
  pixel: number;
  pixelsPerUnit: number;
}

/**
 * A linear scale's value-to-pixel mapping read off two of its pixels: a call into chart.js per
 * coordinate was a fifth of an update (some 30,000 of them).
 */
function linearMapping(scale: Scale): Mapping {
  const from = scale.min;
  const to = scale.max > scale.min ? scale.max : scale.min + 1;
  const pixel = scale.getPixelForValue(from);
  return { value: from, pixel, pixelsPerUnit: (scale.getPixelForValue(to) - pixel) / (to - from) };
}

/** Clamped as chart.js clamps its pixels: a canvas drops paths with coordinates far outside it. */
function toPixel(m: Mapping, v: number): number {
  const p = m.pixel + (v - m.value) * m.pixelsPerUnit;
  return p < -32768 ? -32768 : p > 32767 ? 32767 : p;
}

/** The other edge of a dataset's area: the zero line, another dataset's line, or none. */
function fillTarget(fill: LineDataset['fill'], pixels: readonly PixelPath[], y: Scale): PixelPath | number | undefined {
  if (fill === 'origin') return y.getPixelForValue(0);
  if (typeof fill === 'number') return pixels[fill]?.length ? pixels[fill] : undefined;
  return undefined;
}

/** The area between the line and `below` (a pixel row or a line with the same times), within the plot. */
function fillBetween(ctx: CanvasRenderingContext2D, area: ChartArea, path: PixelPath, below: PixelPath | number, color: string): void {
  const first = path[0];
  const last = path[path.length - 2];
  ctx.save();
  ctx.beginPath();
  ctx.rect(Math.max(area.left, first), area.top, Math.min(area.right, last) - Math.max(area.left, first), area.bottom - area.top);
  ctx.clip();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(path[0], path[1]);
  traceFast(ctx, path, false);
  if (typeof below === 'number') {
    ctx.lineTo(last, below);
    ctx.lineTo(first, below);
  } else {
    traceFast(ctx, below, true);
  }
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

function strokeLine(ctx: CanvasRenderingContext2D, clip: ChartArea, path: PixelPath, ds: LineDataset): void {
  const dash = Array.isArray(ds.borderDash) ? ds.borderDash.filter((d): d is number => typeof d === 'number') : [];
  ctx.save();
  ctx.beginPath();
  ctx.rect(clip.left, clip.top, clip.right - clip.left, clip.bottom - clip.top);
  ctx.clip();
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  ctx.lineWidth = Number(ds.borderWidth ?? 1);
  ctx.strokeStyle = String(ds.borderColor);
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(path[0], path[1]);
  // chart.js draws dashed lines point by point (a dash pattern across a column's stroke would break up).
  if (dash.length) for (let i = 2; i < path.length; i += 2) ctx.lineTo(path[i], path[i + 1]);
  else traceFast(ctx, path, false);
  ctx.stroke();
  ctx.restore();
}

/**
 * A line through `path` drawn as chart.js draws a long line (its "fast path"): points that fall
 * in one pixel column after the first are not joined one by one; the column becomes a vertical
 * stroke over their y range, placed at their mean x, ending at the last one's y. A day's path is
 * then a few thousand segments, not one per point, and the picture is chart.js's.
 */
function traceFast(ctx: CanvasRenderingContext2D, path: PixelPath, reverse: boolean): void {
  const n = path.length / 2;
  const at = (k: number): number => (reverse ? n - 1 - k : k);
  let k = 0;
  while (k < n) {
    const first = at(k);
    const column = path[2 * first] | 0;
    ctx.lineTo(path[2 * first], path[2 * first + 1]);
    let end = k + 1;
    while (end < n && (path[2 * at(end)] | 0) === column) end++;
    if (end - k > 1) strokeColumn(ctx, path, k, end, at);
    k = end;
  }
}

/** The vertical stroke of the points [from, to) of one pixel column (see traceFast). */
function strokeColumn(ctx: CanvasRenderingContext2D, path: PixelPath, from: number, to: number, at: (k: number) => number): void {
  let top = path[2 * at(from) + 1];
  let bottom = top;
  let sumX = 0;
  for (let k = from + 1; k < to; k++) {
    const i = at(k);
    sumX += path[2 * i];
    top = Math.min(top, path[2 * i + 1]);
    bottom = Math.max(bottom, path[2 * i + 1]);
  }
  if (top === bottom) return;
  const x = sumX / (to - from - 1);
  ctx.lineTo(x, bottom);
  ctx.lineTo(x, top);
  ctx.lineTo(x, path[2 * at(to - 1) + 1]);
}

/**
 * Where chart.js clips a dataset's line: the plot, widened by half the line on an axis with no
 * fixed bounds (so a flat line at the top of a fitted axis is not cut in half).
 */
function lineClip(chart: Chart<'line'>, width: number): ChartArea {
  const area = chart.chartArea;
  const free = (scale: Scale): number => (scale.options.min === undefined || scale.options.max === undefined ? width / 2 : 0);
  const x = free(chart.scales.x);
  const y = free(chart.scales.y);
  return { left: area.left - x, right: area.right + x, top: area.top - y, bottom: area.bottom + y, width: area.width + 2 * x, height: area.height + 2 * y };
}

/** The lowest and highest points within [min, max]: all a fitted y axis needs of a series. */
export function extentPoints(points: readonly Point[], min: number, max: number): Point[] {
  let low: Point | undefined;
  let high: Point | undefined;
  for (const p of points) {
    if (p.x < min || p.x > max) continue;
    if (!low || p.y < low.y) low = p;
    if (!high || p.y > high.y) high = p;
  }
  if (!low || !high) return [];
  if (low === high) return [low];
  return low.x <= high.x ? [low, high] : [high, low];
}
