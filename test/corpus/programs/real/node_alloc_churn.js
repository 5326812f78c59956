// Flat, Node: an allocation-heavy worker. Every --tick-ms it builds a batch of --records small
// objects and strings (a parsed page of rows), aggregates it and drops it; only a running
// total survives. The young generation's scavenges free each batch.
//   node node_alloc_churn.js --tick-ms 50 --records 20000 [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const tickMs = option('tick-ms', 50);
const records = option('records', 20000);
const seconds = option('seconds', 900);
const totals = { rows: 0, amount: 0 };
setInterval(() => {
  const batch = [];
  for (let i = 0; i < records; i++) batch.push({ id: i, name: `user-${Math.random().toFixed(6)}`, amount: Math.random() * 100, tags: [String(i % 7)] });
  totals.rows += batch.length;
  totals.amount += batch.filter((r) => r.tags[0] !== '3').reduce((s, r) => s + r.amount, 0);
}, tickMs);
setTimeout(() => process.exit(0), seconds * 1000);
