// Six hours of memory history of three services, as a Prometheus would hold it after scraping
// them every 15 s: api-2 leaks 10 KB/s, api-3 warms up by 200 MB in its first hour and then holds
// (a plateau), api-1 stays flat. Written into a test Prometheus before it starts
// (startPrometheus's backfill), for the fleet view's integration and e2e tests.
import { generate, SyntheticSpec } from '../unit/classifier/synthetic';
import type { BackfillSeries } from './prometheus';

const MB = 1024 * 1024;
export const FLEET_METRIC = 'process_resident_memory_bytes';
const HOURS = 6;

/** The services by instance, with the class the classifier must give each. */
export const FLEET_SERVICES: { instance: string; expected: string; spec: Partial<SyntheticSpec> }[] = [
  { instance: 'api-1:8000', expected: 'flat', spec: {} },
  { instance: 'api-2:8000', expected: 'steady-leak', spec: { leak: { bytesPerS: 10 * 1024 } } },
  { instance: 'api-3:8000', expected: 'plateau', spec: { warmup: { riseBytes: 200 * MB, durationS: 3600, shape: 'exp' } } },
];

/** Their history, ending at `endMs` (a little before now, so every point is in the past). */
export function fleetHistory(endMs: number): BackfillSeries[] {
  return FLEET_SERVICES.map(({ instance, spec }, i) => {
    const { tMs, rssBytes } = generate({ durationS: HOURS * 3600, intervalS: 15, startMs: endMs - HOURS * 3600_000, levelBytes: 300 * MB, noiseSigmaBytes: 0.5 * MB, ...spec }, i + 1);
    return { labels: { __name__: FLEET_METRIC, job: 'api', instance }, tMs, values: rssBytes.map(Math.round) };
  });
}
