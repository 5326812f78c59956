// Plateau, Node: a lookup service that loads its dataset in --chunks chunks (Float64Arrays of
// --chunk-mb, one every --chunk-s seconds) and then only serves reads from it.
//   node node_loader.js --port 18207 --chunks 30 --chunk-mb 4 --chunk-s 1
'use strict';
const { serve, option } = require('./nodeserve');

const chunks = option('chunks', 30);
const chunkMb = option('chunk-mb', 4);
const chunkS = option('chunk-s', 1);
const table = [];
const loader = setInterval(() => {
  const a = new Float64Array((chunkMb * 2 ** 20) / 8);
  for (let i = 0; i < a.length; i++) a[i] = Math.random();
  table.push(a);
  if (table.length >= chunks) clearInterval(loader);
}, chunkS * 1000);

serve((req, res) => {
  const k = Number(new URL(req.url, 'http://x').searchParams.get('k') ?? 0);
  res.setHeader('Content-Type', 'application/json');
  if (!table.length) { res.statusCode = 503; res.end('{}'); return; }
  const c = table[k % table.length];
  res.end(JSON.stringify({ k, chunks: table.length, vals: Array.from(c.subarray(k % 1000, k % 1000 + 16)) }));
});
