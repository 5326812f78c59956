'use strict';
// Shipping quote API: POST /quote with origin, destination, parcel and a
// requested pickup time; the service geocodes both ends, prices the lanes for
// each carrier and answers with a breakdown. Expensive pure steps are memoised.
// A synthetic storefront calls it over HTTP on 127.0.0.1.
//
// Run: node js_shipping_quotes.js

const http = require('http');
const crypto = require('crypto');

const CONFIG = {
  host: '127.0.0.1',
  requestsPerSecond: 10,
  carriers: ['dhl', 'ups', 'fedex', 'postnl', 'royalmail', 'colissimo'],
  currencies: ['EUR', 'GBP', 'USD', 'JPY'],
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'quotes', ...a);

// ---------------------------------------------------------------- memoisation helpers

function memoize(fn, { max = Infinity, key = (...args) => JSON.stringify(args) } = {}) {
  const cache = new Map();
  const wrapped = (...args) => {
    const k = key(...args);
    if (cache.has(k)) {
      const v = cache.get(k);
      if (max !== Infinity) { cache.delete(k); cache.set(k, v); }
      return v;
    }
    const v = fn(...args);
    cache.set(k, v);
    if (cache.size > max) cache.delete(cache.keys().next().value);
    return v;
  };
  wrapped.cache = cache;
  return wrapped;
}

// Per-request derived data lives only as long as the request object does.
const requestMeta = new WeakMap();
function metaFor(req) {
  let meta = requestMeta.get(req);
  if (!meta) {
    meta = { id: crypto.randomUUID(), started: process.hrtime.bigint() };
    requestMeta.set(req, meta);
  }
  return meta;
}

// ---------------------------------------------------------------- domain

function geocodeRaw(postcode) {
  const h = crypto.createHash('md5').update(postcode).digest();
  return { lat: (h[0] / 255) * 10 + 45, lon: (h[1] / 255) * 15 - 5 };
}
const geocode = memoize(geocodeRaw, { max: 2000 });

function exchangeRateRaw(currency) {
  return { EUR: 1, GBP: 0.86, USD: 1.08, JPY: 161.2 }[currency];
}
const exchangeRate = memoize(exchangeRateRaw);

function distanceKm(a, b) {
  const dx = (a.lat - b.lat) * 111;
  const dy = (a.lon - b.lon) * 73;
  return Math.sqrt(dx * dx + dy * dy);
}

function computeQuote(origin, destination, parcel, pickupAt, currency) {
  const from = geocode(origin);
  const to = geocode(destination);
  const km = distanceKm(from, to);
  const rate = exchangeRate(currency);
  const lanes = CONFIG.carriers.map((carrier, i) => {
    const base = 4 + i * 0.7 + km * 0.012 + parcel.weightKg * (1.1 + i * 0.05);
    const surcharge = parcel.fragile ? 3.5 : 0;
    const price = Math.round((base + surcharge) * rate * 100) / 100;
    const legs = [];
    for (let leg = 0; leg < 8; leg++) {
      legs.push({ hub: `${carrier.toUpperCase()}-${(leg * 31 + i) % 97}`, etaHours: 6 + leg * 5 + i,
        note: `${carrier} leg ${leg} ${origin}->${destination} pickup ${pickupAt} ${'.'.repeat(48)}` });
    }
    return { carrier, price, currency, legs };
  });
  return { km: Math.round(km), pickupAt, lanes, cheapest: lanes.reduce((a, b) => (a.price <= b.price ? a : b)).carrier };
}
const quoteFor = memoize(computeQuote);

// ---------------------------------------------------------------- HTTP

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch (e) { reject(e); }
    });
    req.on('error', reject);
  });
}

const stats = { requests: 0, errors: 0, totalMs: 0 };

const server = http.createServer(async (req, res) => {
  const meta = metaFor(req);
  try {
    if (req.method !== 'POST' || req.url !== '/quote') { res.writeHead(404).end(); return; }
    const body = await readJson(req);
    const quote = quoteFor(body.origin, body.destination, body.parcel, body.pickupAt, body.currency);
    const payload = JSON.stringify({ requestId: meta.id, ...quote });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  } catch (err) {
    stats.errors += 1;
    res.writeHead(400).end(JSON.stringify({ error: err.message }));
  } finally {
    stats.requests += 1;
    stats.totalMs += Number(process.hrtime.bigint() - meta.started) / 1e6;
  }
});

// ---------------------------------------------------------------- storefront (load)

function postQuote(port, agent, body) {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: CONFIG.host, port, path: '/quote', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', resolve);
    req.end(data);
  });
}

function randomPostcode(n) {
  return `${String(1000 + (n * 7919) % 8999)} ${'ABCDEFGH'[n % 8]}${'KLMNPRST'[(n >> 3) % 8]}`;
}

server.listen(0, CONFIG.host, async () => {
  const { port } = server.address();
  log(`listening on ${CONFIG.host}:${port}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  setInterval(() => {
    log(`requests=${stats.requests} errors=${stats.errors} avg=${(stats.totalMs / Math.max(1, stats.requests)).toFixed(2)}ms ` +
      `geocode=${geocode.cache.size} rates=${exchangeRate.cache.size}`);
  }, CONFIG.statsEveryMs).unref();
  for (let n = 1; ; n++) {
    await postQuote(port, agent, {
      origin: randomPostcode(n % 500),
      destination: randomPostcode((n * 13) % 500),
      parcel: { weightKg: 1 + (n % 20), fragile: n % 3 === 0 },
      pickupAt: new Date(Date.now() + 3600000).toISOString(),
      currency: CONFIG.currencies[n % CONFIG.currencies.length],
    });
    await new Promise((r) => setTimeout(r, 1000 / CONFIG.requestsPerSecond));
  }
});
