// Leak patterns the author has looked at and silenced.
const { EventEmitter } = require('events');

const bus = new EventEmitter();
const lookupCache = new Map();

function handleRequest(req) {
  // leakscope: ignore[handler-not-cleared] -- bus is recreated per request in tests only
  bus.on('reload', () => req.reload());
  lookupCache.set(req.id, req.body); /* leakscope: ignore */
}

module.exports = { handleRequest };
