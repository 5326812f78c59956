'use strict';
// Feature-flag client: polls a flag server for the current rule set, keeps an
// immutable snapshot, evaluates flags for incoming requests and notifies
// subscribers on change. A local flag server on 127.0.0.1 publishes a new rule
// set frequently (experiments re-allocate traffic), and a fake request loop
// evaluates flags continuously.
//
// Run: node js_flag_client.js

const http = require('http');
const crypto = require('crypto');
const { EventEmitter } = require('events');

const CONFIG = {
  host: '127.0.0.1',
  pollMs: 400,
  requestsPerSecond: 40,
  flagsPerRuleSet: 60,
  debugDiffs: process.env.FLAG_DEBUG === '1',
  keepHistory: 20,
  statsEveryMs: 15000,
};

const log = (...a) => console.error(new Date().toISOString(), 'flags', ...a);

// ---------------------------------------------------------------- flag server (simulated)

function startFlagServer() {
  let version = 0;
  const server = http.createServer((req, res) => {
    version += 1;
    const flags = {};
    for (let i = 0; i < CONFIG.flagsPerRuleSet; i++) {
      flags[`flag_${i}`] = {
        enabled: (version + i) % 3 !== 0,
        rollout: ((version * 7 + i * 13) % 100) / 100,
        segments: [`seg-${i % 7}`, `seg-${(i + version) % 11}`],
        salt: crypto.randomBytes(120).toString('hex'),
      };
    }
    const body = JSON.stringify({ version, flags });
    res.writeHead(200, { 'content-type': 'application/json', etag: `"v${version}"` });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, CONFIG.host, () => resolve(server.address().port)));
}

// ---------------------------------------------------------------- client

function diffKeys(a, b) {
  const changed = [];
  for (const k of Object.keys(b)) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) changed.push(k);
  return changed;
}

function bucket(flagName, userId, salt) {
  const h = crypto.createHash('sha1').update(`${flagName}:${userId}:${salt.slice(0, 16)}`).digest();
  return h.readUInt16BE(0) / 65536;
}

class FlagClient extends EventEmitter {
  constructor(port) {
    super();
    this.port = port;
    this.current = null;
    this.lastRaw = null;
    this.history = [];
    this.evalCache = new Map();
    this.stats = { polls: 0, changes: 0, evaluations: 0, cacheHits: 0 };
  }

  fetchRules() {
    return new Promise((resolve, reject) => {
      http.get({ host: CONFIG.host, port: this.port, path: '/rules' }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      }).on('error', reject);
    });
  }

  async poll() {
    this.stats.polls += 1;
    const raw = await this.fetchRules();
    this.lastRaw = raw;
    this.applySnapshot(JSON.parse(raw));
  }

  applySnapshot({ version, flags }) {
    const previous = this.current;
    if (previous && previous.version === version) return;
    const changedFlags = () => (previous ? diffKeys(previous.flags, flags) : Object.keys(flags));
    if (CONFIG.debugDiffs) log(`v${version} changed: ${changedFlags().join(',')}`);
    this.current = {
      version,
      flags,
      loadedAt: Date.now(),
      isEnabled: (name, user) => {
        const rule = flags[name];
        return !!rule && rule.enabled && rule.segments.includes(user.segment) && bucket(name, user.id, rule.salt) < rule.rollout;
      },
    };
    this.evalCache.clear();
    this.history.push({ version, at: Date.now() });
    if (this.history.length > CONFIG.keepHistory) this.history.shift();
    this.stats.changes += 1;
    this.emit('change', version);
  }

  isEnabled(name, user) {
    this.stats.evaluations += 1;
    const key = `${name}|${user.id}|${user.segment}`;
    if (this.evalCache.has(key)) { this.stats.cacheHits += 1; return this.evalCache.get(key); }
    const value = this.current ? this.current.isEnabled(name, user) : false;
    this.evalCache.set(key, value);
    return value;
  }

  onChange(fn) {
    this.on('change', fn);
    return () => this.off('change', fn);
  }
}

// ---------------------------------------------------------------- app

async function handleRequest(client, n) {
  const user = { id: `u${n % 5000}`, segment: `seg-${n % 7}` };
  let sawChange = false;
  const unsubscribe = client.onChange(() => { sawChange = true; });
  try {
    const features = [];
    for (let i = 0; i < 5; i++) {
      const name = `flag_${(n + i * 11) % CONFIG.flagsPerRuleSet}`;
      if (client.isEnabled(name, user)) features.push(name);
    }
    await new Promise((r) => setImmediate(r));
    return { user: user.id, features, sawChange };
  } finally {
    unsubscribe();
  }
}

async function main() {
  const port = await startFlagServer();
  const client = new FlagClient(port);
  await client.poll();
  const poller = setInterval(() => client.poll().catch((e) => log('poll failed', e.message)), CONFIG.pollMs);
  log(`flag server on ${port}; polling every ${CONFIG.pollMs}ms`);
  setInterval(() => {
    log(`polls=${client.stats.polls} changes=${client.stats.changes} evals=${client.stats.evaluations} ` +
      `hits=${client.stats.cacheHits} version=${client.current.version} cache=${client.evalCache.size} ` +
      `listeners=${client.listenerCount('change')}`);
  }, CONFIG.statsEveryMs).unref();
  process.once('SIGINT', () => { clearInterval(poller); process.exit(0); });
  let n = 0;
  for (;;) {
    n += 1;
    await handleRequest(client, n);
    await new Promise((r) => setTimeout(r, 1000 / CONFIG.requestsPerSecond));
  }
}

main();
