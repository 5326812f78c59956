// A toy session service that leaks memory the way real Node services do.
//
// Twenty connections a second: each request stores its session in a Map keyed by the session id
// that nothing ever evicts, and each connection starts a heartbeat setInterval that is never
// cleared when the socket closes, so the timer keeps the socket (and its 4 KB read buffer) alive.
// RSS climbs by about 14 MB a minute, steadily, with the sawtooth of the garbage collector on
// top (each tick also builds a short-lived response). Thirty minutes of it stay well under 1 GB;
// it stops growing at --cap-mb anyway and ends after --duration seconds.
//
// Leakscope's rules underline both leaks. Apply both quick fixes, restart the program, and the
// next run levels off within a minute: the cache then holds at most 1000 sessions (~8 MB).
//
//   node session_cache.js [--cap-mb 900] [--duration 1800]
'use strict';
const { EventEmitter } = require('node:events');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
}

const capMb = option('cap-mb', 900);
const durationS = option('duration', 1800);
const TICK_MS = 250;
const REQUESTS_PER_TICK = 5;

const sessionCache = new Map(); // LEAK: no eviction, no TTL
let nextId = 0;

function handleRequest(id) {
  sessionCache.set(`session:${id}`, {
    id,
    scores: new Array(512).fill(id + 0.5), // ~4 KB on the V8 heap
    payload: Buffer.alloc(4 * 1024, id % 256), // 4 KB outside it
    createdAt: Date.now(),
  });
}

// Connections arrive as events, like a net.Server's: each gets a socket that closes after its request.
const server = new EventEmitter();
server.on('connection', (socket) => {
  handleRequest(socket.id);
  // LEAK: the heartbeat timer (and the closure holding the socket) outlives the socket.
  setInterval(() => socket.readBuffer.length + (sessionCache.get(`session:${socket.id}`)?.createdAt ?? 0), 60_000);
});

function connect(id) {
  const socket = new EventEmitter();
  socket.id = id;
  socket.readBuffer = Buffer.alloc(4 * 1024);
  server.emit('connection', socket);
  socket.emit('close');
}

/** A response built and thrown away: garbage for the collector, the noise around the trend. */
function renderResponse() {
  const rows = Math.floor(Math.random() * 20_000);
  return JSON.stringify(Array.from({ length: rows }, (_, i) => ({ i, score: Math.random() }))).length;
}

function rssMb() {
  return process.memoryUsage.rss() / 2 ** 20;
}

console.log(`session_cache: pid ${process.pid}, cap ${capMb} MB, stops in ${durationS} s`);
setInterval(() => {
  if (rssMb() >= capMb) return;
  for (let i = 0; i < REQUESTS_PER_TICK; i++) {
    connect(nextId++);
  }
  renderResponse();
  if (nextId % 1200 === 0) console.log(`requests ${nextId}: rss ${rssMb().toFixed(0)} MB, ${sessionCache.size} sessions`);
}, TICK_MS);
setTimeout(() => {
  console.log('session_cache: done');
  process.exit(0);
}, durationS * 1000);
