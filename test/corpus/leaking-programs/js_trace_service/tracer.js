'use strict';
// Minimal tracing SDK: spans are started by the HTTP middleware, ended when the
// response finishes, and batched to an exporter every few seconds. The exporter
// is configured from the environment (TRACE_EXPORT_URL); without one, flushing
// is skipped.

const crypto = require('crypto');

const MAX_BATCH = 256;
const FLUSH_MS = 5000;
const MAX_RECENT_ERRORS = 50;

const finished = [];
const activeSpans = new Map();
const recentErrors = [];
let exporter = null;
let flushTimer = null;
let exported = 0;

function setExporter(fn) {
  exporter = fn;
}

function startSpan(name, attributes = {}) {
  const span = {
    traceId: attributes.traceId || crypto.randomBytes(16).toString('hex'),
    spanId: crypto.randomBytes(8).toString('hex'),
    name,
    attributes,
    events: [],
    start: Date.now(),
    end: null,
    status: 'unset',
  };
  activeSpans.set(span.spanId, span);
  return span;
}

function addEvent(span, name, data) {
  span.events.push({ name, at: Date.now(), data });
}

function endSpan(span, status = 'ok') {
  span.end = Date.now();
  span.status = status;
  activeSpans.delete(span.spanId);
  if (status === 'error') {
    recentErrors.push({ name: span.name, at: span.end });
    if (recentErrors.length > MAX_RECENT_ERRORS) recentErrors.shift();
  }
  record(span);
}

function record(span) {
  finished.push(span);
}

function flush() {
  if (!exporter) return;
  while (finished.length) {
    const batch = finished.splice(0, MAX_BATCH);
    exporter(batch);
    exported += batch.length;
  }
}

function startFlushing() {
  if (!flushTimer) {
    flushTimer = setInterval(flush, FLUSH_MS);
    flushTimer.unref();
  }
}

function stopFlushing() {
  clearInterval(flushTimer);
  flushTimer = null;
}

function stats() {
  return { active: activeSpans.size, buffered: finished.length, exported, errors: recentErrors.length };
}

module.exports = { setExporter, startSpan, addEvent, endSpan, startFlushing, stopFlushing, stats };
