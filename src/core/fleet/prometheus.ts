// A read-only client for Prometheus's HTTP API: `query_range`, nothing else. It only asks; it
// never writes to Prometheus (no remote write, no admin API).
//
// Prometheus refuses a range query whose series would hold more than 11,000 points ("exceeded
// maximum resolution of 11,000 points per timeseries"), so a long range at a fine step is asked
// for in chunks of at most that many steps and the pieces of each series are stitched together.
import { FleetSeries, seriesKey } from './series';

/** Prometheus's own limit on points per series in one range query. */
export const MAX_POINTS_PER_QUERY = 11_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

export type PrometheusAuth = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; password: string };

export interface RangeQuery {
  /** The server's base URL, e.g. http://prometheus:9090 or https://host/prometheus (a path prefix is kept). */
  url: string;
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  auth?: PrometheusAuth;
  /** Per HTTP request (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Points per request at most (default MAX_POINTS_PER_QUERY; tests lower it to see the stitching). */
  maxPointsPerRequest?: number;
}

export interface RangeResult {
  series: FleetSeries[];
  /** Prometheus's own warnings (e.g. a partial response from a federated store). */
  warnings: string[];
  /** HTTP requests made: more than one when the range was split. */
  requests: number;
}

/** Anything that stops a query: unreachable, HTTP error, Prometheus's own error, an answer that is not Prometheus's. */
export class PrometheusError extends Error {
  constructor(message: string, readonly kind: 'unreachable' | 'timeout' | 'http' | 'prometheus' | 'bad-response' | 'auth') {
    super(message);
  }
}

/** Reads every series the query returns over [startMs, endMs] at stepMs, chunked under Prometheus's point limit. */
export async function queryRange(q: RangeQuery): Promise<RangeResult> {
  checkQuery(q);
  const stitched = new Map<string, { labels: Record<string, string>; tMs: number[]; values: number[] }>();
  const warnings: string[] = [];
  const chunks = rangeChunks(q.startMs, q.endMs, q.stepMs, q.maxPointsPerRequest ?? MAX_POINTS_PER_QUERY);
  for (const [startMs, endMs] of chunks) {
    const data = await requestChunk(q, startMs, endMs);
    warnings.push(...data.warnings);
    for (const item of data.result) appendSeries(stitched, item);
  }
  const series = [...stitched.values()].map((s) => ({ labels: s.labels, tMs: Float64Array.from(s.tMs), values: Float64Array.from(s.values) }));
  return { series, warnings: [...new Set(warnings)], requests: chunks.length };
}

function checkQuery(q: RangeQuery): void {
  if (!(q.stepMs > 0)) throw new RangeError(`step must be more than 0, got ${q.stepMs} ms`);
  if (!(q.endMs >= q.startMs)) throw new RangeError('the range ends before it starts');
  if (q.query.trim() === '') throw new RangeError('the query is empty');
}

/**
 * [start, end] cut into pieces of at most maxPoints steps each, on the same grid (start + k·step),
 * with no step in two pieces: stitching needs no de-duplication.
 */
export function rangeChunks(startMs: number, endMs: number, stepMs: number, maxPoints = MAX_POINTS_PER_QUERY): [number, number][] {
  const steps = Math.floor((endMs - startMs) / stepMs); // points = steps + 1
  const chunks: [number, number][] = [];
  for (let first = 0; first <= steps; first += maxPoints) {
    const last = Math.min(steps, first + maxPoints - 1);
    chunks.push([startMs + first * stepMs, startMs + last * stepMs]);
  }
  return chunks;
}

interface MatrixItem {
  metric: Record<string, string>;
  values: [number, string][];
}

interface MatrixData {
  result: MatrixItem[];
  warnings: string[];
}

async function requestChunk(q: RangeQuery, startMs: number, endMs: number): Promise<MatrixData> {
  const url = queryUrl(q.url, q.query, startMs, endMs, q.stepMs);
  const timeoutMs = q.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signals = [AbortSignal.timeout(timeoutMs), ...(q.signal ? [q.signal] : [])];
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers: requestHeaders(q.auth), signal: AbortSignal.any(signals), redirect: 'follow' });
    text = await response.text();
  } catch (error) {
    throw fetchFailure(error, q, timeoutMs);
  }
  return readBody(response, text, q.url);
}

export function queryUrl(base: string, query: string, startMs: number, endMs: number, stepMs: number): URL {
  let root: URL;
  try {
    root = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new RangeError(`not a URL: '${base}' (e.g. http://localhost:9090)`);
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') throw new RangeError(`not an http(s) URL: '${base}'`);
  if (root.username || root.password) throw new RangeError('the URL holds credentials: pass them through the environment instead (see --help)');
  const url = new URL('api/v1/query_range', root);
  url.searchParams.set('query', query);
  url.searchParams.set('start', seconds(startMs));
  url.searchParams.set('end', seconds(endMs));
  url.searchParams.set('step', seconds(stepMs));
  return url;
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

function requestHeaders(auth: PrometheusAuth | undefined): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth?.kind === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  if (auth?.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
  return headers;
}

/** fetch's own errors ("fetch failed", with the socket error as its cause) as one clear sentence. */
function fetchFailure(error: unknown, q: RangeQuery, timeoutMs: number): Error {
  if (q.signal?.aborted) return q.signal.reason instanceof Error ? q.signal.reason : new PrometheusError('stopped', 'unreachable');
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return new PrometheusError(`${q.url} did not answer within ${timeoutMs / 1000} s`, 'timeout');
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const why = cause?.code === 'ECONNREFUSED' ? 'connection refused' : cause?.code === 'ENOTFOUND' ? 'no such host' : cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new PrometheusError(`cannot reach ${q.url}: ${why}`, 'unreachable');
}

/** Prometheus answers errors (400, 422, 503) with a JSON body naming them: that message wins over the bare status. */
function readBody(response: Response, text: string, base: string): MatrixData {
  const body = parseJson(text);
  if (body && body.status === 'error') {
    throw new PrometheusError(`Prometheus says: ${String(body.error ?? 'error')}${body.errorType ? ` (${String(body.errorType)})` : ''}`, 'prometheus');
  }
  // Where credentials come from is the caller's to say (the CLI's environment, the extension's secret storage).
  if (response.status === 401 || response.status === 403) throw new PrometheusError(`${base} refused the request: HTTP ${response.status} ${response.statusText}`, 'auth');
  if (!response.ok) throw new PrometheusError(`${base} answered HTTP ${response.status} ${response.statusText}${snippet(text)}`, 'http');
  if (!body) throw new PrometheusError(`${base} did not answer with JSON, so it is probably not a Prometheus server (or the URL needs a path prefix)${snippet(text)}`, 'bad-response');
  return matrixOf(body, base);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  return line ? `: ${line}` : '';
}

function matrixOf(body: Record<string, unknown>, base: string): MatrixData {
  const data = body.data as { resultType?: unknown; result?: unknown } | undefined;
  if (body.status !== 'success' || !data || !Array.isArray(data.result)) {
    throw new PrometheusError(`${base} answered JSON that is not a Prometheus API response (no status "success" with data.result)`, 'bad-response');
  }
  if (data.resultType !== 'matrix') throw new PrometheusError(`expected a range vector (matrix) from query_range, got '${String(data.resultType)}'`, 'bad-response');
  const warnings = Array.isArray(body.warnings) ? body.warnings.map(String) : [];
  return { result: data.result.filter(isMatrixItem), warnings };
}

function isMatrixItem(item: unknown): item is MatrixItem {
  const candidate = item as Partial<MatrixItem> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.metric === 'object' && Array.isArray(candidate.values);
}

/** Adds one chunk's points of a series to what earlier chunks gave for it; NaN and ±Inf points are left out. */
function appendSeries(stitched: Map<string, { labels: Record<string, string>; tMs: number[]; values: number[] }>, item: MatrixItem): void {
  const key = seriesKey(item.metric);
  let entry = stitched.get(key);
  if (!entry) {
    entry = { labels: { ...item.metric }, tMs: [], values: [] };
    stitched.set(key, entry);
  }
  for (const [t, v] of item.values) {
    const value = Number(v);
    const tMs = Math.round(Number(t) * 1000);
    if (!Number.isFinite(value) || !Number.isFinite(tMs)) continue;
    if (entry.tMs.length && tMs <= entry.tMs[entry.tMs.length - 1]) continue; // chunks never overlap; a proxy's might
    entry.tMs.push(tMs);
    entry.values.push(value);
  }
}
