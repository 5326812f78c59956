// Steady leak, Node: each request subscribes a handler to a long-lived EventEmitter (the
// config store's 'reload' event) so that the request "sees" config changes; the handler
// closes over the request's context (a --kb Buffer) and is never removed. Memory grows by
// about --kb per request.
//   node node_listener_leak.js --port 18202 --kb 32
'use strict';
const { EventEmitter } = require('node:events');
const { serve, option } = require('./nodeserve');

const kb = option('kb', 32);
const configStore = new EventEmitter();
let config = { version: 1 };

serve((req, res) => {
  const ctx = { url: req.url, scratch: Buffer.alloc(kb * 1024, 7), cfg: config };
  // LEAK: added per request, never removed (no once(), no off() at 'close')
  configStore.on('reload', (next) => { ctx.cfg = next; });
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ url: ctx.url, version: ctx.cfg.version, listeners: configStore.listenerCount('reload') }));
});
setInterval(() => { config = { version: config.version + 1 }; }, 60_000).unref();
