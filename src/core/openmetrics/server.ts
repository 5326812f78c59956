// A small HTTP server for `/metrics` in the OpenMetrics text format. It serves on loopback unless
// the caller has said, in so many words, that another interface is meant: what a process is
// called and how much memory it holds is not for the whole network by default.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { MetricFamily, OPENMETRICS_CONTENT_TYPE, serializeOpenMetrics } from './exposition';

export interface ListenAddress {
  host: string;
  port: number;
}

/** "127.0.0.1:9464", "localhost:9464", "[::1]:9464" (port 0: any free port). Throws RangeError otherwise. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new RangeError(`not HOST:PORT: '${text}' (e.g. 127.0.0.1:9464, or [::1]:9464)`);
  const host = match[1] ?? match[2];
  const port = Number(match[3]);
  if (port > 65535) throw new RangeError(`not a port: ${port}`);
  if (match[1] !== undefined && isIP(host) !== 6) throw new RangeError(`not an IPv6 address: [${host}]`);
  return { host, port };
}

/** 127.0.0.0/8, ::1 (and ::ffff:127.x) and the name localhost. 0.0.0.0 and :: are every interface. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export interface OpenMetricsServer {
  /** Where it listens, with the port chosen when 0 was asked. */
  readonly address: ListenAddress;
  /** http://HOST:PORT/metrics */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens at `address`; every scrape of /metrics calls `collect` for the families of that moment. */
export function startOpenMetricsServer(address: ListenAddress, collect: () => readonly MetricFamily[]): Promise<OpenMetricsServer> {
  const server = createServer((request, response) => respond(request, response, collect));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      const hostInUrl = address.host.includes(':') ? `[${address.host}]` : address.host;
      resolve({ address: { host: address.host, port }, url: `http://${hostInUrl}:${port}/metrics`, close: () => closeServer(server) });
    });
  });
}

function respond(request: IncomingMessage, response: ServerResponse, collect: () => readonly MetricFamily[]): void {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== '/metrics') return plain(response, 404, 'Not found: Leakscope serves /metrics only.\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return plain(response, 405, 'Method not allowed: GET /metrics.\n');
  }
  let body: string;
  try {
    body = serializeOpenMetrics(collect());
  } catch (error) {
    return plain(response, 500, `Leakscope could not write its metrics: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  response.writeHead(200, { 'Content-Type': OPENMETRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Stops listening and ends idle keep-alive connections (a scraper keeps one open), so the process can exit. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
