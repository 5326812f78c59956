// Spiky: every 4 s a round fills a 200 MiB scratch buffer for ~0.8 s and drops it, then does
// ordinary work (small short-lived objects). Buffers this size live outside the V8 heap and are
// freed when a GC finds their wrapper unreachable, which that work soon triggers.
'use strict';
const { runFor } = require('./node_common');

let scratch = null;
runFor(() => {
  scratch = Buffer.alloc(200 * 1024 * 1024, 1);
  setTimeout(() => {
    scratch = null;
    let rows = [];
    for (let i = 0; i < 300_000; i++) rows.push({ i, label: `row ${i}` });
    rows = null;
  }, 800);
}, 4000);
