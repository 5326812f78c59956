// Spiky, Node: a batch worker that every --every-s seconds reads a --temp-mb batch into a
// Buffer, checksums it, holds it for --hold-s (a slow downstream step) and drops it; the
// Buffer lives outside the V8 heap and is freed at the next GC, so RSS falls back.
//   node node_batch_temps.js --every-s 4 --temp-mb 150 --hold-s 1 [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const everyS = option('every-s', 4);
const tempMb = option('temp-mb', 150);
const holdS = option('hold-s', 1);
const seconds = option('seconds', 900);
let checksum = 0;
function batch() {
  let buf = Buffer.allocUnsafe(tempMb * 2 ** 20);
  for (let i = 0; i < buf.length; i += 4096) buf[i] = (i >> 12) & 0xff; // fill (touch every page)
  for (let i = 0; i < buf.length; i += 4096) checksum = (checksum + buf[i]) & 0xffff;
  setTimeout(() => { buf = null; }, holdS * 1000);
}
batch();
const timer = setInterval(batch, everyS * 1000);
setTimeout(() => { clearInterval(timer); process.exit(0); }, seconds * 1000);
