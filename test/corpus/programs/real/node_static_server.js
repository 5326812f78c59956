// Flat: a static-file style server. At start it builds 200 small "files" (2-20 KB Buffers) in a
// Map; each request serves one of them by path. Nothing is allocated that outlives a request.
//   node node_static_server.js --port 18353
'use strict';
const { serve } = require('./nodeserve');

const files = new Map();
for (let i = 0; i < 200; i++) files.set(`/static/f${i}.txt`, Buffer.alloc(2048 + (i % 10) * 2048, 65 + (i % 26)));
serve((req, res) => {
  const f = files.get(req.url.split('?')[0]);
  if (!f) { res.statusCode = 404; res.end(); return; }
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('Content-Length', f.length);
  res.end(f);
});
