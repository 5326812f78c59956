// Shared by the bench page (browser) and bench/chart.ts (Node, no DOM types): keep DOM-free.

export type Variant = 'ours' | 'chartjs-plugin' | 'chartjs-plugin-in-place' | 'no-decimation' | 'uplot';

export interface BenchResult {
  variant: Variant;
  points: number;
  updates: number;
  medianMs: number;
  p90Ms: number;
  /** The first draw of the day's points, before the updates. */
  firstDrawMs: number;
}
