// Steady leak: listeners registered per request and never removed, each holding 48 KiB.
// ~48 KiB every 40 ms (~1.2 MiB/s).
'use strict';
const { EventEmitter } = require('node:events');
const { runFor } = require('./node_common');

const bus = new EventEmitter();
bus.setMaxListeners(0);
runFor(() => {
  const payload = Buffer.alloc(48 * 1024, 1);
  bus.on('config', () => payload.length); // never removed
}, 40);
