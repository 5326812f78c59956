// Stepwise leak: every 3 s a round allocates 40 MiB of temporaries and keeps 6 MiB of them
// in a module-level array.
'use strict';
const { runFor } = require('./node_common');

const kept = [];
runFor(() => {
  const batch = Array.from({ length: 40 }, () => Buffer.alloc(1024 * 1024, 1));
  kept.push(...batch.slice(0, 6)); // the leak
}, 3000);
