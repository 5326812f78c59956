'use strict';
// Inventory RPC client: a pricing service talks to an inventory backend over a
// persistent TCP connection using newline-delimited JSON with correlation ids.
// Calls time out after a deadline; reads of SKU data are cached in a small LRU.
// The backend (simulated on 127.0.0.1) sheds a share of requests under load.
//
// Run: node js_rpc_client.js

const net = require('net');
const crypto = require('crypto');

const CONFIG = {
  host: '127.0.0.1',
  callsPerSecond: 12,
  timeoutMs: 1500,
  dropRate: 0.25,          // backend never answers these
  reservationBytes: 20 * 1024,
  cacheSize: 500,
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'pricing', ...a);

// ---------------------------------------------------------------- backend (simulated)

function startBackend() {
  let seen = 0;
  const server = net.createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const req = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        seen += 1;
        if (Math.random() < CONFIG.dropRate) continue;   // shed
        const result = req.method === 'getSku'
          ? { sku: req.params.sku, stock: seen % 97, price: (seen % 5000) / 100 }
          : { reserved: true, bytes: req.params.data.length };
        setTimeout(() => sock.write(JSON.stringify({ id: req.id, result }) + '\n'), 5);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, CONFIG.host, () => resolve(server.address().port)));
}

// ---------------------------------------------------------------- client

class LruCache {
  constructor(max) { this.max = max; this.map = new Map(); }
  get(k) {
    if (!this.map.has(k)) return undefined;
    const v = this.map.get(k);
    this.map.delete(k);
    this.map.set(k, v);
    return v;
  }
  set(k, v) {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }
}

class RpcClient {
  constructor(port) {
    this.port = port;
    this.nextId = 1;
    this.pending = new Map();
    this.stats = { sent: 0, ok: 0, timeouts: 0, errors: 0 };
    this.inflightByMethod = { getSku: 0, reserve: 0 };
    this.socket = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const sock = net.connect(this.port, CONFIG.host, () => resolve());
      sock.setEncoding('utf8');
      let buf = '';
      sock.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          this.onResponse(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
      });
      sock.on('error', (err) => { this.failAll(err); reject(err); });
      sock.on('close', () => this.failAll(new Error('connection closed')));
      this.socket = sock;
    });
  }

  call(method, params) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const entry = { id, method, params, resolve, reject, sentAt: Date.now(), timer: null };
      entry.timer = setTimeout(() => this.fail(id, new Error(`rpc ${method} #${id} timed out`)), CONFIG.timeoutMs);
      this.pending.set(id, entry);
      this.inflightByMethod[method] += 1;
      this.stats.sent += 1;
      this.socket.write(JSON.stringify({ id, method, params }) + '\n');
    }).finally(() => { this.inflightByMethod[method] -= 1; });
  }

  onResponse(msg) {
    const entry = this.pending.get(msg.id);
    if (!entry) return;                       // late answer after a timeout
    clearTimeout(entry.timer);
    this.pending.delete(msg.id);
    this.stats.ok += 1;
    entry.resolve(msg.result);
  }

  fail(id, err) {
    const entry = this.pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    entry.reject(err);
  }

  failAll(err) {
    for (const id of [...this.pending.keys()]) this.fail(id, err);
  }
}

class PricingService {
  constructor(rpc) {
    this.rpc = rpc;
    this.cache = new LruCache(CONFIG.cacheSize);
  }

  async sku(sku) {
    const hit = this.cache.get(sku);
    if (hit) return hit;
    const value = await this.rpc.call('getSku', { sku });
    this.cache.set(sku, value);
    return value;
  }

  async quote(order) {
    const lines = [];
    for (const sku of order.skus) {
      const info = await this.sku(sku);
      lines.push(info.price);
    }
    await this.rpc.call('reserve', { order: order.id, data: order.blob });
    return lines.reduce((a, b) => a + b, 0);
  }
}

// ---------------------------------------------------------------- load

async function main() {
  const port = await startBackend();
  const rpc = new RpcClient(port);
  await rpc.connect();
  const pricing = new PricingService(rpc);
  log(`backend on ${port}`);
  setInterval(() => {
    log(`sent=${rpc.stats.sent} ok=${rpc.stats.ok} timeouts=${rpc.stats.timeouts} errors=${rpc.stats.errors} ` +
      `pending=${rpc.pending.size} cache=${pricing.cache.map.size}`);
  }, CONFIG.statsEveryMs).unref();
  let n = 0;
  setInterval(() => {
    n += 1;
    const order = {
      id: `ord-${n}`,
      skus: [`SKU-${n % 300}`, `SKU-${(n * 7) % 300}`],
      blob: crypto.randomBytes(CONFIG.reservationBytes / 2).toString('hex'),
    };
    pricing.quote(order).catch((err) => {
      if (/timed out/.test(err.message)) rpc.stats.timeouts += 1; else rpc.stats.errors += 1;
    });
  }, 1000 / CONFIG.callsPerSecond);
}

main();
