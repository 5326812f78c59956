// Flat, Node: a worker holding --resident-mb of Float64Array state loaded at start. In its first
// --settle-s it fills a small memo table of --settle-mb (a fixed key set, bounded by design), then
// it only churns: every --tick-ms it builds --records small objects, aggregates and drops them.
// The settle is small against the process (a few MB on hundreds); after it nothing is kept.
//   node node_settle_worker.js --resident-mb 150 --settle-mb 4 --settle-s 45 [--tick-ms 50] [--records 2000] [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const settleS = option('settle-s', 45);
const tickMs = option('tick-ms', 50);
const records = option('records', 2000);
const seconds = option('seconds', 900);
const resident = Array.from({ length: option('resident-mb', 150) }, (_, i) => new Float64Array(2 ** 17).fill(i));
const ENTRY = 16 * 1024;
const keys = Math.floor((option('settle-mb', 4) * 1024 * 1024) / ENTRY);
const memo = new Map();
const start = Date.now();
let total = 0;
setInterval(() => {
  const due = Math.min(keys, Math.floor((keys * (Date.now() - start)) / (settleS * 1000)) + 1);
  while (memo.size < due) memo.set(memo.size, Buffer.alloc(ENTRY, memo.size & 0xff));
  const batch = [];
  for (let i = 0; i < records; i++) batch.push({ id: i, v: Math.random(), tag: `t${i % 13}` });
  total += batch.reduce((a, r) => a + r.v, 0) + memo.get(Math.floor(Math.random() * memo.size)).length + resident[total % resident.length | 0][0];
}, tickMs);
setTimeout(() => process.exit(0), seconds * 1000);
