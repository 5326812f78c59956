// Unbounded response cache, Node: each rendered page (a --entry-kb string on the V8 heap) is
// kept in a Map keyed by the request URL (query string included) that nothing evicts. Unique
// URLs grow memory by about --entry-kb per request; a bounded key set stops once all are cached.
//   node node_cache_unbounded.js --port 18204 --entry-kb 64
'use strict';
const { serve, option } = require('./nodeserve');

const entryKb = option('entry-kb', 64);
const pageCache = new Map(); // LEAK: no bound, no TTL

function render(url) {
  const rows = [];
  let len = 0;
  for (let i = 0; len < entryKb * 1024; i++) {
    const row = JSON.stringify({ id: i, url, v: Math.random() });
    rows.push(row);
    len += row.length + 1;
  }
  return rows.join('\n');
}

serve((req, res) => {
  let page = pageCache.get(req.url);
  if (page === undefined) { page = render(req.url); pageCache.set(req.url, page); }
  res.setHeader('Content-Type', 'application/json');
  res.end(page.slice(0, 256));
});
