'use strict';
// Export job scheduler: tenants request CSV exports; a pool of workers picks jobs
// up, holds a lease on each job (renewed by a heartbeat), builds the CSV in
// chunks and hands it to storage. A watchdog fails jobs that run too long.
// Synthetic tenants submit jobs continuously.
//
// Run: node js_export_scheduler.js

const crypto = require('crypto');
const { EventEmitter } = require('events');

const CONFIG = {
  jobsPerSecond: 5,
  workers: 3,
  heartbeatMs: 2000,
  watchdogMs: 10000,
  rowsPerJob: 60,
  pollMs: 50,
  keepResults: 200,
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'exports', ...a);

class LeaseStore {
  constructor() { this.leases = new Map(); this.renewals = 0; }
  acquire(jobId, worker) { this.leases.set(jobId, { worker, renewedAt: Date.now(), progress: 0 }); }
  renew(jobId, progress) {
    const lease = this.leases.get(jobId);
    if (lease) { lease.renewedAt = Date.now(); lease.progress = progress; this.renewals += 1; }
  }
  release(jobId) { this.leases.delete(jobId); }
}

class Storage {
  constructor(keep) { this.keep = keep; this.recent = []; this.bytes = 0; }
  put(key, csv) {
    this.bytes += csv.length;
    this.recent.push({ key, size: csv.length, at: Date.now() });
    if (this.recent.length > this.keep) this.recent.shift();
  }
}

// Per-tenant export counts for the current minute (25 tenants; reset every window).
class TenantQuota {
  constructor(limitPerMinute) {
    this.limit = limitPerMinute;
    this.counts = new Map();
    this.windowStart = Date.now();
  }
  allow(tenant) {
    if (Date.now() - this.windowStart > 60000) { this.counts.clear(); this.windowStart = Date.now(); }
    const used = (this.counts.get(tenant) || 0) + 1;
    this.counts.set(tenant, used);
    return used <= this.limit;
  }
}

class ExportJob extends EventEmitter {
  constructor(id, tenant, query) {
    super();
    this.id = id;
    this.tenant = tenant;
    this.query = query;
    this.state = 'queued';
    this.progress = 0;
    this.rows = [];
    this.heartbeat = null;
    this.watchdog = null;
  }

  start(worker, leases) {
    this.state = 'running';
    this.leases = leases;
    leases.acquire(this.id, worker);
    this.heartbeat = setInterval(() => {
      if (this.state === 'running') this.leases.renew(this.id, this.progress);
    }, CONFIG.heartbeatMs);
    this.watchdog = setTimeout(() => this.fail(new Error('watchdog: export took too long')), CONFIG.watchdogMs);
  }

  finish() {
    this.state = 'done';
    clearTimeout(this.watchdog);
    this.leases.release(this.id);
    this.emit('done', this);
  }

  fail(err) {
    this.state = 'failed';
    this.error = err.message;
    this.leases.release(this.id);
    this.emit('failed', this);
  }
}

class Worker {
  constructor(name, queue, leases, storage) {
    this.name = name;
    this.queue = queue;
    this.leases = leases;
    this.storage = storage;
    this.busy = false;
    this.done = 0;
    this.poller = null;
  }

  startPolling() {
    this.poller = setInterval(() => {
      if (!this.busy && this.queue.length) this.run(this.queue.shift());
    }, CONFIG.pollMs);
  }

  stop() {
    clearInterval(this.poller);
    this.poller = null;
  }

  async run(job) {
    this.busy = true;
    job.start(this.name, this.leases);
    const header = 'id,tenant,sku,amount,note';
    for (let i = 0; i < CONFIG.rowsPerJob; i++) {
      job.rows.push(`${i},${job.tenant},${job.query.sku}-${i},${(i * 13.7).toFixed(2)},` +
        crypto.randomBytes(80).toString('base64'));
      job.progress = (i + 1) / CONFIG.rowsPerJob;
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    const csv = [header, ...job.rows].join('\n');
    this.storage.put(`${job.tenant}/${job.id}.csv`, csv);
    job.finish();
    this.done += 1;
    this.busy = false;
  }
}

function main() {
  const queue = [];
  const leases = new LeaseStore();
  const storage = new Storage(CONFIG.keepResults);
  const workers = Array.from({ length: CONFIG.workers }, (_, i) => new Worker(`w${i}`, queue, leases, storage));
  workers.forEach((w) => w.startPolling());
  let n = 0;
  const failures = [];
  const quota = new TenantQuota(1000);
  const submitter = setInterval(() => {
    n += 1;
    const job = new ExportJob(`exp-${n}`, `tenant-${n % 25}`, { sku: `S${n % 1000}`, from: Date.now() - 86400000 });
    job.once('failed', (j) => { failures.push(j.id); if (failures.length > 50) failures.shift(); });
    if (quota.allow(job.tenant)) queue.push(job);
  }, 1000 / CONFIG.jobsPerSecond);
  setInterval(() => {
    log(`submitted=${n} done=${workers.reduce((a, w) => a + w.done, 0)} queued=${queue.length} ` +
      `leases=${leases.leases.size} renewals=${leases.renewals} stored=${(storage.bytes / 1e6).toFixed(1)}MB`);
  }, CONFIG.statsEveryMs);
  process.once('SIGINT', () => { clearInterval(submitter); workers.forEach((w) => w.stop()); process.exit(0); });
}

main();
