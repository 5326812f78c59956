// A toy session service that leaks memory the way real Node services do.
//
// Every request stores its session in a Map that nothing ever evicts, and every new
// "connection" starts a heartbeat setInterval that is never cleared. RSS grows by about
// 4 MB per second (half on the V8 heap, half in Buffers) until --cap-mb (500 by default),
// then stays flat; the program ends after --duration seconds. --fixed shows the flat line.
//
//   node session_cache.js [--fixed] [--cap-mb 500] [--duration 900]
'use strict';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
}

const fixed = process.argv.includes('--fixed');
const capMb = option('cap-mb', 500);
const durationS = option('duration', 900);
const REQUESTS_PER_TICK = 4;
const MAX_SESSIONS = 64;

const sessions = new Map(); // LEAK: no eviction, no TTL
const heartbeats = [];
let nextId = 0;

function handleRequest(id) {
  sessions.set(`session:${id}`, {
    id,
    scores: new Array(32 * 1024).fill(id), // ~256 KB on the V8 heap
    payload: Buffer.alloc(256 * 1024, id % 256), // 256 KB outside it
    createdAt: Date.now(),
  });
  if (fixed && sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value); // the fix: bounded
}

function connect(id) {
  // LEAK: the timer (and the closure holding the session id) outlives the connection.
  const timer = setInterval(() => sessions.get(`session:${id}`)?.createdAt, 60_000);
  if (fixed) clearInterval(timer);
  else heartbeats.push(timer);
}

function rssMb() {
  return process.memoryUsage.rss() / 2 ** 20;
}

console.log(`session_cache: pid ${process.pid}, ${fixed ? 'fixed' : 'leaking'}, cap ${capMb} MB, stops in ${durationS} s`);
setInterval(() => {
  if (rssMb() >= capMb) return;
  for (let i = 0; i < REQUESTS_PER_TICK; i++) {
    const id = nextId++;
    handleRequest(id);
    connect(id);
  }
  if (nextId % 80 === 0) console.log(`requests ${nextId}: rss ${rssMb().toFixed(0)} MB, ${sessions.size} sessions`);
}, 500);
setTimeout(() => {
  console.log('session_cache: done');
  process.exit(0);
}, durationS * 1000);
