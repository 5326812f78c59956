// Spiky, Node: a JSON ingest worker. Each POST carries a multi-MB JSON document; the worker
// parses it, aggregates per-tag counts, keeps only the aggregate and drops the document.
//   node node_json_worker.js --port 18206
'use strict';
const { serve, readBody } = require('./nodeserve');

const tagCounts = new Map();
const totals = { docs: 0, records: 0, score: 0 };
serve(async (req, res) => {
  res.setHeader('Content-Type', 'application/json');
  if (req.method !== 'POST') { res.end(JSON.stringify(totals)); return; }
  const doc = JSON.parse((await readBody(req)).toString('utf8'));
  const byUser = new Map();
  for (const r of doc.records) {
    for (const t of r.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
    const k = r.user.slice(0, 3);
    if (!byUser.has(k)) byUser.set(k, []);
    byUser.get(k).push(r.score);
    totals.score += r.score;
  }
  totals.docs += 1;
  totals.records += doc.records.length;
  const top = [...byUser].map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]).sort((a, b) => b[1] - a[1]).slice(0, 5);
  res.end(JSON.stringify({ n: doc.records.length, top }));
});
