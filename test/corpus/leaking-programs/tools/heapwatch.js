'use strict';
// Diagnostic preload (node --expose-gc -r ./tools/heapwatch.js prog.js): every 10 s forces a full GC
// and prints live heap, external memory and RSS, to tell a live-set leak from heap growth that
// the collector has simply not reclaimed yet. Not part of any program.
const t0 = Date.now();
setInterval(() => {
  global.gc();
  const m = process.memoryUsage();
  const mb = (v) => (v / 1048576).toFixed(1);
  process.stdout.write(`heapwatch t=${Math.round((Date.now() - t0) / 1000)} heapUsed=${mb(m.heapUsed)} ` +
    `heapTotal=${mb(m.heapTotal)} external=${mb(m.external)} arrayBuffers=${mb(m.arrayBuffers)} rss=${mb(m.rss)}\n`);
}, 10000).unref();
