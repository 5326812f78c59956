'use strict';
// Request metrics: a fixed-bucket latency histogram per route (routes are a small
// known set) and a ring buffer of the most recent latencies for percentiles.

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

class Histogram {
  constructor() { this.counts = new Array(BUCKETS_MS.length + 1).fill(0); this.sum = 0; this.n = 0; }
  observe(ms) {
    let i = BUCKETS_MS.findIndex((b) => ms <= b);
    if (i < 0) i = BUCKETS_MS.length;
    this.counts[i] += 1;
    this.sum += ms;
    this.n += 1;
  }
}

class RingBuffer {
  constructor(size) { this.items = new Array(size); this.size = size; this.next = 0; this.filled = 0; }
  push(v) {
    this.items[this.next] = v;
    this.next = (this.next + 1) % this.size;
    this.filled = Math.min(this.filled + 1, this.size);
  }
  values() { return this.items.slice(0, this.filled); }
}

const byRoute = new Map();
const recent = new RingBuffer(1000);

function observe(route, ms) {
  if (!byRoute.has(route)) byRoute.set(route, new Histogram());
  byRoute.get(route).observe(ms);
  recent.push(ms);
}

function p95() {
  const v = recent.values().sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length * 0.95)] : 0;
}

function routes() {
  return [...byRoute.entries()].map(([r, h]) => `${r}:${h.n}`).join(' ');
}

module.exports = { observe, p95, routes };
