// Flat: a Node http server that answers each request with a small computed JSON document and
// keeps nothing. Under steady load RSS stays level once V8 has warmed up.
//   node node_http_flat.js --port 18201
'use strict';
const { serve } = require('./nodeserve');

const catalog = Array.from({ length: 2000 }, (_, i) => ({ sku: `sku${i}`, price: (i * 37) % 99 + 0.5, stock: i % 17 }));
serve((req, res) => {
  const url = new URL(req.url, 'http://x');
  let h = 0;
  for (const c of req.url) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const items = Array.from({ length: 20 }, (_, j) => catalog[(h + j) % catalog.length]);
  const total = items.reduce((s, it) => s + it.price, 0);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ q: Object.fromEntries(url.searchParams), items, total }));
});
