'use strict';
// Audit shipper: an admin API emits audit events (who changed what, with a
// before/after document); events are serialised to NDJSON and streamed to a
// remote audit sink. Access-log lines go to a second, lower-volume sink.
// The sinks are simulated as slow Writables (a remote endpoint that accepts
// one chunk every ~50 ms). Synthetic admin traffic drives it.
//
// Run: node js_audit_shipper.js

const crypto = require('crypto');
const { PassThrough, Writable, pipeline } = require('stream');
const { once } = require('events');

const CONFIG = {
  eventsPerSecond: 30,
  sinkLatencyMs: 50,
  accessSinkLatencyMs: 5,
  accessQueueMax: 1000,
  documentBytes: 5000,
  batchSize: 25,
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'audit', ...a);

// ---------------------------------------------------------------- sinks (simulated remote endpoints)

class RemoteSink extends Writable {
  constructor(name, latencyMs) {
    super({ highWaterMark: 64 * 1024 });
    this.name = name;
    this.latencyMs = latencyMs;
    this.inflight = new Set();
    this.acked = 0;
    this.bytes = 0;
  }

  _write(chunk, _enc, callback) {
    const id = ++this.acked;
    this.inflight.add(id);
    setTimeout(() => {
      this.inflight.delete(id);
      this.bytes += chunk.length;
      callback();
    }, this.latencyMs);
  }
}

// ---------------------------------------------------------------- shippers

class AuditShipper {
  constructor(sink) {
    this.stream = new PassThrough();
    this.sink = sink;
    this.sent = 0;
    this.dropped = 0;
    this.maxBuffered = 1024 * 1024;
    pipeline(this.stream, sink, (err) => { if (err) log('audit pipeline failed', err.message); });
  }

  ship(event) {
    const line = JSON.stringify(event) + '\n';
    this.stream.write(line);
    this.sent += 1;
  }

  buffered() {
    return this.stream.writableLength + this.stream.readableLength;
  }

  // Graceful shutdown: stop accepting events and wait until the sink has them all.
  async close(timeoutMs = 5000) {
    this.stream.end();
    await Promise.race([once(this.sink, 'finish'), new Promise((r) => setTimeout(r, timeoutMs))]);
    log(`audit closed: sent=${this.sent} acked=${this.sink.acked} dropped=${this.dropped}`);
  }
}

class AccessLogShipper {
  constructor(sink) {
    this.sink = sink;
    this.queue = [];
    this.dropped = 0;
    this.running = false;
  }

  log(line) {
    if (this.queue.length >= CONFIG.accessQueueMax) { this.dropped += 1; return; }
    this.queue.push(line);
    if (!this.running) this.drainLoop();
  }

  async drainLoop() {
    this.running = true;
    while (this.queue.length) {
      const line = this.queue.shift();
      if (!this.sink.write(line + '\n')) await once(this.sink, 'drain');
    }
    this.running = false;
  }
}

class Batcher {
  constructor(size, onBatch) { this.size = size; this.items = []; this.onBatch = onBatch; this.batches = 0; }
  add(item) {
    this.items.push(item);
    if (this.items.length >= this.size) {
      const batch = this.items;
      this.items = [];
      this.batches += 1;
      this.onBatch(batch);
    }
  }
}

// ---------------------------------------------------------------- admin API (synthetic)

const RESOURCES = ['user', 'role', 'policy', 'apikey', 'webhook'];
const ACTORS = Array.from({ length: 30 }, (_, i) => `admin-${i}`);

function fakeDocument(n) {
  return { id: `${RESOURCES[n % RESOURCES.length]}-${n % 900}`, rev: n,
    body: crypto.randomBytes(CONFIG.documentBytes / 2).toString('hex') };
}

function main() {
  const audit = new AuditShipper(new RemoteSink('audit', CONFIG.sinkLatencyMs));
  const access = new AccessLogShipper(new RemoteSink('access', CONFIG.accessSinkLatencyMs));
  const summaries = new Batcher(CONFIG.batchSize, (batch) => {
    const byActor = {};
    for (const e of batch) byActor[e.actor] = (byActor[e.actor] || 0) + 1;
    access.log(`summary ${JSON.stringify(byActor)}`);
  });
  let n = 0;
  const producer = setInterval(() => {
    n += 1;
    const actor = ACTORS[n % ACTORS.length];
    const before = fakeDocument(n);
    const after = { ...before, rev: before.rev + 1, body: before.body.slice(0, 200) };
    const event = { id: crypto.randomUUID(), at: new Date().toISOString(), actor,
      action: `${RESOURCES[n % RESOURCES.length]}.update`, before, after };
    audit.ship(event);
    access.log(`${event.at} ${actor} PUT /admin/${before.id} 200`);
    summaries.add({ actor, id: event.id });
  }, 1000 / CONFIG.eventsPerSecond);
  setInterval(() => {
    log(`events=${n} audit sent=${audit.sent} acked=${audit.sink.acked} buffered=${(audit.buffered() / 1e6).toFixed(1)}MB ` +
      `dropped=${audit.dropped} access queue=${access.queue.length} dropped=${access.dropped} batches=${summaries.batches}`);
  }, CONFIG.statsEveryMs).unref();
  process.once('SIGINT', async () => {
    clearInterval(producer);
    await audit.close();
    process.exit(0);
  });
}

main();
