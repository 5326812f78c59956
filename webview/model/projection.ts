// Where the memory is heading: the dashed line from the last sample along the current slope
// toward the limit, and the axis ranges that keep both the data and the line readable.
// Pure: tested in Node.

export interface ProjectionInput {
  lastMs: number;
  lastBytes: number;
  slopeBytesPerS: number;
  limitBytes?: number;
}

export interface Projection {
  fromX: number;
  fromY: number;
  /** End of the drawn segment: at the limit, or cut at the right edge of the chart. */
  toX: number;
  toY: number;
  /** Epoch ms at which the limit is reached on this slope. */
  limitAtMs: number;
  /** True when the segment reaches the limit inside the drawn range. */
  reachesLimit: boolean;
}

/** The projection, or undefined when there is no limit, no growth, or the limit is passed. */
export function projectToLimit(input: ProjectionInput, rightEdgeMs: number): Projection | undefined {
  const { lastMs, lastBytes, slopeBytesPerS, limitBytes } = input;
  if (limitBytes === undefined || !(slopeBytesPerS > 0) || lastBytes >= limitBytes) return undefined;
  const limitAtMs = lastMs + ((limitBytes - lastBytes) / slopeBytesPerS) * 1000;
  const toX = Math.max(lastMs, Math.min(limitAtMs, rightEdgeMs));
  const toY = lastBytes + (slopeBytesPerS * (toX - lastMs)) / 1000;
  return { fromX: lastMs, fromY: lastBytes, toX, toY, limitAtMs, reachesLimit: limitAtMs <= rightEdgeMs };
}

/**
 * The slope to project along, or 0 when the growth has ended: a projection drawn on a slope the
 * last seconds no longer show ("limit in 31 s" while the line is already flat) is a false alarm.
 * Growing now means the latest slope keeps at least a quarter of the projected one.
 */
export function projectedSlope(slopeBytesPerS: number, latestSlopeBytesPerS: number): number {
  return slopeBytesPerS > 0 && latestSlopeBytesPerS >= slopeBytesPerS * 0.25 ? slopeBytesPerS : 0;
}

/** Time from the last sample to the limit on this slope, or undefined if it is never reached. */
export function timeToLimitMs(input: ProjectionInput): number | undefined {
  const p = projectToLimit(input, Infinity);
  return p ? p.limitAtMs - input.lastMs : undefined;
}

/**
 * The x range while following live: all samples, plus room on the right for the projection
 * (up to a quarter of the span, or to the limit if that comes sooner), so a user sees where
 * the line is heading without the data being squeezed into a corner.
 */
export function liveXRange(firstMs: number, lastMs: number, limitAtMs?: number): { min: number; max: number } {
  const span = Math.max(lastMs - firstMs, 10_000);
  const room = span * 0.25;
  const max = limitAtMs !== undefined && limitAtMs > lastMs ? Math.min(limitAtMs, lastMs + room) : lastMs;
  return { min: firstMs, max: Math.max(max, firstMs + 1) };
}

/**
 * The top of the y axis. The limit line is worth showing when the data or the projection
 * comes within reach of it; a 12 GB limit over a 200 MB process would flatten the curve, so
 * then it stays off-scale and the chart labels it instead.
 */
export function yAxisMax(dataMaxBytes: number, limitBytes: number | undefined, projectionTopBytes: number | undefined): {
  max: number;
  limitOnScale: boolean;
} {
  const top = Math.max(dataMaxBytes, projectionTopBytes ?? 0);
  if (limitBytes !== undefined && (top >= limitBytes * 0.5 || (projectionTopBytes ?? 0) >= limitBytes)) {
    return { max: Math.max(limitBytes, top) * 1.05, limitOnScale: true };
  }
  return { max: Math.max(top * 1.1, 1), limitOnScale: false };
}
