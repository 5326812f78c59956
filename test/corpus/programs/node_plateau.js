// Plateau: warms a 100k-entry cache over ~10 s, then only reads it (small garbage per tick).
'use strict';
const { runFor } = require('./node_common');

const cache = new Map();
let filled = 0;
runFor(() => {
  if (filled < 100_000) {
    for (let i = 0; i < 1000; i++, filled++) cache.set(`key-${filled}`, { id: filled, body: 'x'.repeat(512) + filled });
    return;
  }
  let total = 0;
  for (let i = 0; i < 500; i++) total += JSON.stringify(cache.get(`key-${(i * 37) % 100_000}`)).length;
  return total;
}, 100);
