// Steady leak, Node: every new connection starts a keep-alive ping setInterval (holding a
// --kb per-connection state Buffer) that is never cleared when the socket closes. The load
// opens one connection per request, so memory grows by about --kb per request.
//   node node_conn_timer_leak.js --port 18203 --kb 32
'use strict';
const { serve, option } = require('./nodeserve');

const kb = option('kb', 32);
let pings = 0;
const server = serve((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ ok: true, pings }));
});
server.on('connection', (socket) => {
  const state = { opened: Date.now(), buf: Buffer.alloc(kb * 1024, 1) };
  // LEAK: not cleared on socket 'close'
  setInterval(() => { pings += state.buf[0]; }, 30_000);
});
