// Shared by the bench page (browser) and bench/chart.ts (Node, no DOM types): keep DOM-free.

export type Variant = 'ours' | 'chartjs-plugin' | 'chartjs-plugin-in-place' | 'no-decimation' | 'uplot';

/** The performance marks around each timed update (the bench reads CPU times between them). */
export const UPDATE_START_MARK = 'bench:update-start';
export const UPDATE_END_MARK = 'bench:update-end';

export interface BenchResult {
  variant: Variant;
  points: number;
  updates: number;
  medianMs: number;
  p90Ms: number;
  /** The first draw of the day's points, before the updates. */
  firstDrawMs: number;
  /** Each update's time, in the order they ran: a slow one every n-th update is work, not load. */
  timesMs: number[];
  /** A hash of the canvases' pixels after the updates (the chart's variants; not uPlot's). */
  pixels?: string;
}
