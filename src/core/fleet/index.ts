// A fleet read from Prometheus: its series, classified in place (classifyFleet) or off the
// calling thread (classifyFleetOffThread), listed leaking first.
export { queryRange, rangeChunks, queryUrl, PrometheusError, MAX_POINTS_PER_QUERY } from './prometheus';
export type { PrometheusAuth, RangeQuery, RangeResult } from './prometheus';
export { classifyFleet, classifyOne, seriesNames, seriesKey, seriesTrace, sortRows } from './series';
export type { FleetRow, FleetSeries } from './series';
export { classifyFleetOffThread, defaultThreads, readFleetOffThread, readSeriesOffThread, splitByPoints, WORKER_BUNDLE } from './pool';
export type { PoolOptions } from './pool';
