// The same page cache as node_cache_unbounded.js, bounded as an LRU (a Map in recency order,
// oldest evicted past --max entries): it fills to about --max x --entry-kb, then plateaus.
//   node node_cache_lru.js --port 18205 --entry-kb 64 --max 600
'use strict';
const { serve, option } = require('./nodeserve');

const entryKb = option('entry-kb', 64);
const max = option('max', 600);
const pageCache = new Map();

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
  if (page === undefined) page = render(req.url);
  pageCache.delete(req.url);
  pageCache.set(req.url, page);
  if (pageCache.size > max) pageCache.delete(pageCache.keys().next().value);
  res.setHeader('Content-Type', 'application/json');
  res.end(page.slice(0, 256));
});
