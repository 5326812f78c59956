// `leakscope fleet --prometheus URL`: every series of a memory metric in a Prometheus server,
// classified like a recorded trace, leaking first. It only reads (query_range); nothing is sent
// anywhere else, and credentials come from the environment, never from the command line.
import { parseArgs } from 'node:util';
import { CliCommand, CliError, CliIo } from './io';
import { parseOption, usageError } from './watchCommon';
import { classifyFleet, classifyFleetOffThread, FleetRow, FleetSeries, PrometheusAuth, PrometheusError, queryRange } from '../core/fleet';
import { formatBytes, formatDuration, formatRate, parseDuration } from '../core/units';
import { formatConfidence } from '../core/shared/confidence';

export const DEFAULT_QUERY = 'process_resident_memory_bytes';
/** Below this many points the pool's start-up (tens of ms a thread) costs more than it saves. */
const POOL_FROM_POINTS = 200_000;
const CREDENTIAL_VARIABLES = 'LEAKSCOPE_PROMETHEUS_TOKEN or LEAKSCOPE_PROMETHEUS_USER/_PASSWORD';

const HELP = `Usage: leakscope fleet --prometheus URL [--query Q] [--range 6h] [--step 15s] [--json]

Reads a memory metric of many processes from a Prometheus server (its HTTP API, query_range) and
classifies each series the way \`leakscope classify\` reads a trace: flat, plateau, spiky,
steady-leak, stepwise-leak or unknown. Lists the series leaking first, then by slope.
It only reads: nothing is written to Prometheus, and nothing is sent anywhere else.

Options:
  --prometheus URL     The server, e.g. http://localhost:9090 or https://host/prometheus.
  --query Q            PromQL giving one memory series (bytes) per instance, pod or process
                       (default ${DEFAULT_QUERY}, which Python's prometheus_client and
                       Node's prom-client export by default). For what \`leakscope watch
                       --openmetrics\` serves: leakscope_process_resident_memory_bytes.
  --range DURATION     How far back to read, ending now (default 6h), e.g. 30m, 1d.
  --step DURATION      Resolution of the series (default 15s). Ranges longer than 11,000 steps are
                       read in several requests (Prometheus's limit per series).
  --timeout DURATION   Per request (default 30s).
  --json               Print one JSON object: query, start_ms, end_ms, step_ms, and rows, each with
                       labels, name, class, confidence (0–1), slope_bytes_per_s, last_bytes,
                       points and explanation.

Authentication comes from the environment only, so no secret lands in your shell history:
  LEAKSCOPE_PROMETHEUS_TOKEN                      sent as "Authorization: Bearer …", or
  LEAKSCOPE_PROMETHEUS_USER, _PASSWORD            sent as HTTP basic authentication.

Exit codes: 0 listed (also when the query matched nothing), 2 bad arguments, 3 Prometheus could
not be read (unreachable, refused, an error from Prometheus, or not a Prometheus answer).`;

export const FLEET_EXIT = { listed: 0, usage: 2, unreadable: 3 } as const;

interface FleetOptions {
  url: string;
  query: string;
  rangeMs: number;
  stepMs: number;
  timeoutMs: number;
  json: boolean;
}

export const fleetCommand: CliCommand = {
  name: 'fleet',
  summary: 'classify the memory series of many processes read from Prometheus',
  help: HELP,
  run: (argv, io) => fleet(parseFleetArgs(argv), io, process.env),
};

export function parseFleetArgs(argv: string[]): FleetOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { prometheus: { type: 'string' }, query: { type: 'string' }, range: { type: 'string' }, step: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
    }));
  } catch (error) {
    throw usageError(error);
  }
  if (values.prometheus === undefined) throw new CliError('--prometheus URL is required (see --help)');
  const options = {
    url: values.prometheus,
    query: values.query ?? DEFAULT_QUERY,
    rangeMs: parseOption('--range', values.range ?? '6h', positiveDuration),
    stepMs: parseOption('--step', values.step ?? '15s', positiveDuration),
    timeoutMs: parseOption('--timeout', values.timeout ?? '30s', positiveDuration),
    json: values.json ?? false,
  };
  if (options.query.trim() === '') throw new CliError('--query: empty');
  if (options.stepMs > options.rangeMs) throw new CliError(`--step (${formatDuration(options.stepMs)}) is longer than --range (${formatDuration(options.rangeMs)})`);
  return options;
}

function positiveDuration(text: string): number {
  const ms = parseDuration(text);
  if (!(ms > 0)) throw new RangeError(`must be more than 0, got '${text}'`);
  return ms;
}

/** Credentials from the environment: a bearer token, or a user and password; both is ambiguous. */
export function authFromEnvironment(env: NodeJS.ProcessEnv): PrometheusAuth | undefined {
  const token = env.LEAKSCOPE_PROMETHEUS_TOKEN;
  const user = env.LEAKSCOPE_PROMETHEUS_USER;
  const password = env.LEAKSCOPE_PROMETHEUS_PASSWORD;
  if (token && (user || password)) throw new CliError('both LEAKSCOPE_PROMETHEUS_TOKEN and LEAKSCOPE_PROMETHEUS_USER/_PASSWORD are set: keep one');
  if (token) return { kind: 'bearer', token };
  if (user === undefined && password === undefined) return undefined;
  if (!user) throw new CliError('LEAKSCOPE_PROMETHEUS_PASSWORD is set without LEAKSCOPE_PROMETHEUS_USER');
  return { kind: 'basic', user, password: password ?? '' };
}

async function fleet(options: FleetOptions, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const auth = authFromEnvironment(env);
  const endMs = Date.now();
  const startMs = endMs - options.rangeMs;
  let rows: FleetRow[];
  try {
    rows = await classify(await readSeries(options, startMs, endMs, auth, io), io.signal);
  } catch (error) {
    // Ctrl+C (or a closed stdout) while reading or classifying: stopped, as `watch` stops.
    if (io.signal.aborted) throw new CliError('stopped.', FLEET_EXIT.listed);
    throw error;
  }
  if (options.json) io.out(JSON.stringify({ query: options.query, start_ms: startMs, end_ms: endMs, step_ms: options.stepMs, rows: rows.map(rowJson) }));
  else printTable(io, rows);
  if (rows.length === 0) io.err(`leakscope fleet: the query matched no series in the last ${formatDuration(options.rangeMs)}: ${options.query}`);
  return FLEET_EXIT.listed;
}

async function readSeries(options: FleetOptions, startMs: number, endMs: number, auth: PrometheusAuth | undefined, io: CliIo): Promise<FleetSeries[]> {
  try {
    const result = await queryRange({ url: options.url, query: options.query, startMs, endMs, stepMs: options.stepMs, auth, timeoutMs: options.timeoutMs, signal: io.signal });
    for (const warning of result.warnings) io.err(`leakscope fleet: Prometheus warns: ${warning}`);
    return result.series;
  } catch (error) {
    if (error instanceof PrometheusError) throw new CliError(error.kind === 'auth' ? `${error.message} (check ${CREDENTIAL_VARIABLES})` : error.message, FLEET_EXIT.unreadable);
    if (error instanceof RangeError) throw new CliError(`--prometheus: ${error.message}`);
    throw error;
  }
}

/** Large fleets go to the worker pool; a handful of series is quicker classified here. */
function classify(series: FleetSeries[], signal: AbortSignal): Promise<FleetRow[]> {
  const points = series.reduce((sum, s) => sum + s.tMs.length, 0);
  return points >= POOL_FROM_POINTS ? classifyFleetOffThread(series, { signal }) : Promise.resolve(classifyFleet(series));
}

function rowJson(row: FleetRow): Record<string, unknown> {
  return {
    labels: row.labels,
    name: row.name,
    class: row.class,
    confidence: round(row.confidence, 3),
    slope_bytes_per_s: round(row.slopeBytesPerS, 2),
    slope_uncertainty_bytes_per_s: round(row.slopeUncertaintyBytesPerS, 2),
    last_bytes: Number.isFinite(row.lastBytes) ? row.lastBytes : null,
    points: row.points,
    explanation: row.explanation,
  };
}

const COLUMNS: [string, number][] = [['CLASS', 13], ['CONF', 4], ['SLOPE', 14], ['LAST', 9], ['POINTS', 6], ['SERIES', 0]];

function printTable(io: CliIo, rows: FleetRow[]): void {
  io.out(formatRow(COLUMNS.map(([name]) => name)));
  for (const row of rows) {
    const confidence = row.class === 'unknown' ? '–' : formatConfidence(row.confidence);
    io.out(formatRow([row.class, confidence, formatRate(row.slopeBytesPerS), formatBytes(row.lastBytes), String(row.points), row.name]));
  }
}

/** The class and the series name are left-aligned (the name last, unpadded); numbers right-aligned. */
function formatRow(cells: string[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(COLUMNS[i][1]) : i === cells.length - 1 ? cell : cell.padStart(COLUMNS[i][1]))).join('  ');
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
