// A toy session service that leaks memory the way real Node services do.
//
// Every request stores its session in a Map that nothing ever evicts, and every new
// "connection" starts a heartbeat setInterval that is never cleared. RSS grows by about
// 4 MB per second (half on the V8 heap, half in Buffers) until --cap-mb (500 by default),
// then stays flat; the program ends after --duration seconds. Leakscope's rules underline both
// leaks; apply the quick fixes, restart, and the line goes flat.
//
//   node session_cache.js [--cap-mb 500] [--duration 900]
'use strict';
const { EventEmitter } = require('node:events');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
}

const capMb = option('cap-mb', 500);
const durationS = option('duration', 900);
const REQUESTS_PER_TICK = 4;

const sessionCache = new Map(); // LEAK: no eviction, no TTL
let nextId = 0;

function handleRequest(id) {
  sessionCache.set(`session:${id}`, {
    id,
    scores: new Array(32 * 1024).fill(id), // ~256 KB on the V8 heap
    payload: Buffer.alloc(256 * 1024, id % 256), // 256 KB outside it
    createdAt: Date.now(),
  });
}

// Connections arrive as events, like a net.Server's: each gets a socket that closes after its request.
const server = new EventEmitter();
server.on('connection', (socket) => {
  handleRequest(socket.id);
  // LEAK: the heartbeat timer (and the closure holding the session id) outlives the socket.
  setInterval(() => sessionCache.get(`session:${socket.id}`)?.createdAt, 60_000);
});

function connect(id) {
  const socket = new EventEmitter();
  socket.id = id;
  server.emit('connection', socket);
  socket.emit('close');
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
  if (nextId % 80 === 0) console.log(`requests ${nextId}: rss ${rssMb().toFixed(0)} MB, ${sessionCache.size} sessions`);
}, 500);
setTimeout(() => {
  console.log('session_cache: done');
  process.exit(0);
}, durationS * 1000);
