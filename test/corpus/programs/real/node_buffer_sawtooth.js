// Flat, Node: a worker that renders each tick's output into a fresh --kb Buffer (filled, so its
// pages are touched), uses it and drops it. Buffers live outside the V8 heap; V8 frees them only
// when a collection finds them dead, and it collects when the external memory has grown by its
// own limit: RSS climbs for the whole cycle and falls at each collection (a GC sawtooth that
// fills the time), around a level that does not grow. --resident-mb is state loaded at start and kept.
//   node node_buffer_sawtooth.js --tick-ms 20 --kb 256 [--resident-mb 0] [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const tickMs = option('tick-ms', 20);
const kb = option('kb', 256);
const seconds = option('seconds', 900);
const resident = Array.from({ length: option('resident-mb', 0) }, (_, i) => new Float64Array(2 ** 17).fill(i));
let checksum = 0;
setInterval(() => {
  const out = Buffer.alloc(kb * 1024, checksum & 0xff);
  checksum = (checksum + out[out.length >> 1] + (resident.length ? resident[checksum % resident.length][0] : 0)) | 0;
}, tickMs);
setTimeout(() => process.exit(0), seconds * 1000);
