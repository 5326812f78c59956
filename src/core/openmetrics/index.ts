// OpenMetrics out: the text format (exposition.ts), what a watched process exposes
// (watchedMetrics.ts) and the loopback-by-default HTTP server (server.ts).
export { serializeOpenMetrics, escapeText, formatValue, statesetPoints, OPENMETRICS_CONTENT_TYPE } from './exposition';
export type { MetricFamily, MetricPoint, MetricType } from './exposition';
export { METRICS, watchedProcessFamilies, readingLabels, WatchedSessionMetrics } from './watchedMetrics';
export type { WatchedProcessReading } from './watchedMetrics';
export { isLoopbackHost, parseListenAddress, startOpenMetricsServer } from './server';
export type { ListenAddress, OpenMetricsServer } from './server';
