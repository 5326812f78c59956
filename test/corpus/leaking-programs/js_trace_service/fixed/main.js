'use strict';
// Profile service: a small JSON HTTP API (profiles, avatars, search) with
// tracing and metrics middleware. A synthetic client exercises it on 127.0.0.1.
//
// Run: node js_trace_service/main.js

const http = require('http');
const crypto = require('crypto');
const tracer = require('./tracer');
const metrics = require('./metrics');

const CONFIG = {
  host: '127.0.0.1',
  requestsPerSecond: 12,
  exportUrl: process.env.TRACE_EXPORT_URL || null,
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'profiles', ...a);

const ROUTES = [
  { method: 'GET', pattern: /^\/profiles\/(\d+)$/, name: 'getProfile' },
  { method: 'PUT', pattern: /^\/profiles\/(\d+)$/, name: 'putProfile' },
  { method: 'GET', pattern: /^\/search$/, name: 'search' },
];

const profiles = new Map();          // id -> profile, ids from a fixed range of 150 users

function route(req) {
  const path = req.url.split('?')[0];
  for (const r of ROUTES) {
    const m = r.method === req.method && path.match(r.pattern);
    if (m) return { ...r, params: m.slice(1) };
  }
  return null;
}

function readBody(req) {
  return new Promise((resolve) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

async function handle(r, body) {
  if (r.name === 'getProfile') return profiles.get(r.params[0]) || { id: r.params[0], missing: true };
  if (r.name === 'putProfile') {
    const doc = JSON.parse(body);
    profiles.set(r.params[0], { id: r.params[0], name: doc.name, bio: doc.bio.slice(0, 200) });
    return { ok: true };
  }
  const hits = [];
  for (const p of profiles.values()) { if (hits.length < 10 && p.name && p.name.endsWith('7')) hits.push(p.id); }
  return { hits };
}

function withTracing(handler) {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const body = await readBody(req);
    const span = tracer.startSpan(`${req.method} ${req.url}`, {
      traceId: req.headers['x-trace-id'],
      'http.method': req.method,
      'http.url': req.url,
      'http.user_agent': req.headers['user-agent'],
      'http.request_body': body,
    });
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      tracer.addEvent(span, 'response', { status: res.statusCode, ms });
      tracer.endSpan(span, res.statusCode >= 500 ? 'error' : 'ok');
    });
    await handler(req, res, body, span);
  };
}

const server = http.createServer(withTracing(async (req, res, body, span) => {
  const r = route(req);
  if (!r) { res.writeHead(404).end(); return; }
  const t0 = Date.now();
  try {
    const out = await handle(r, body);
    tracer.addEvent(span, 'handled', { route: r.name });
    const payload = JSON.stringify(out);
    res.writeHead(200, { 'content-type': 'application/json' }).end(payload);
  } catch (err) {
    res.writeHead(500).end(JSON.stringify({ error: err.message }));
  } finally {
    metrics.observe(r.name, Date.now() - t0);
  }
}));

function request(port, agent, method, path, body) {
  return new Promise((resolve) => {
    const req = http.request({ host: CONFIG.host, port, method, path, agent,
      headers: { 'x-trace-id': crypto.randomBytes(16).toString('hex'), 'user-agent': 'profile-client/1.4' } },
    (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', resolve);
    req.end(body);
  });
}

server.listen(0, CONFIG.host, async () => {
  const { port } = server.address();
  if (CONFIG.exportUrl) {
    tracer.setExporter((batch) => log(`would POST ${batch.length} spans to ${CONFIG.exportUrl}`));
  }
  tracer.startFlushing();
  log(`listening on ${port}; trace export ${CONFIG.exportUrl ? 'on' : 'off'}`);
  setInterval(() => {
    log(`tracer=${JSON.stringify(tracer.stats())} p95=${metrics.p95()}ms routes=${metrics.routes()} profiles=${profiles.size}`);
  }, CONFIG.statsEveryMs).unref();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  for (let n = 1; ; n++) {
    const id = String(n % 150);
    if (n % 3 === 0) {
      await request(port, agent, 'GET', `/profiles/${id}`);
    } else if (n % 3 === 1) {
      const bio = crypto.randomBytes(9000).toString('base64');
      await request(port, agent, 'PUT', `/profiles/${id}`, JSON.stringify({ name: `user${n}`, bio }));
    } else {
      await request(port, agent, 'GET', '/search?q=7');
    }
    await new Promise((r) => setTimeout(r, 1000 / CONFIG.requestsPerSecond));
  }
});
