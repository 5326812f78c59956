// Flat, Node: a worker that keeps each tick's results for a while (a window of the last
// --keep-ticks ticks, e.g. for deduplication) and then lets them go. The kept objects outlive the
// young generation and are promoted; old space fills until a major GC frees the expired ones: a
// GC sawtooth around a level that does not grow.
// --resident-mb is state loaded at start and kept (a lookup table of Float64Arrays).
//   node node_gc_sawtooth.js --tick-ms 20 --objects 2000 --keep-ticks 50 [--resident-mb 0] [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const tickMs = option('tick-ms', 20);
const objects = option('objects', 2000);
const keepTicks = option('keep-ticks', 50);
const seconds = option('seconds', 900);
const resident = Array.from({ length: option('resident-mb', 0) }, (_, i) => new Float64Array(2 ** 17).fill(i));
const recent = [];
let seen = 0;
setInterval(() => {
  const tick = [];
  for (let i = 0; i < objects; i++) tick.push({ key: `k${seen + i}`, at: Date.now(), body: 'x'.repeat(64) + i });
  seen += objects;
  recent.push(tick);
  tick.push({ key: 'probe', at: resident.length ? resident[seen % resident.length][0] : 0, body: '' });
  if (recent.length > keepTicks) recent.shift();
}, tickMs);
setTimeout(() => process.exit(0), seconds * 1000);
