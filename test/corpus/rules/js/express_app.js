// Reporting API: express routes over a job queue.
'use strict';
const express = require('express');
const { EventEmitter } = require('events');
const { buildReport, compileTemplate, newId, queue } = require('./lib');

const app = express();
const updates = new EventEmitter();
const jobs = new EventEmitter();
const reportCache = new Map();
const sessionCache = new Map();
const templateCache = {};
const requestLog = [];
const recentErrors = [];
const MAX_SESSIONS = 10_000;

app.use(express.json());

app.use((req, res, next) => {
  requestLog.push({ method: req.method, path: req.path, at: Date.now() }); // expect: unbounded-collection
  res.on('finish', () => {
    if (res.statusCode >= 500) {
      recentErrors.push(req.path);
      if (recentErrors.length > 100) recentErrors.shift();
    }
  });
  next();
});

app.get('/report/:id', async (req, res) => {
  const key = req.params.id;
  if (reportCache.has(key)) return res.json(reportCache.get(key));
  const report = await buildReport(key);
  reportCache.set(key, report); // expect: unbounded-cache
  res.json(report);
});

app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  const send = (data) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  updates.on('update', send);
  req.on('close', () => updates.off('update', send));
});

app.post('/jobs', (req, res) => {
  const id = queue.add(req.body);
  jobs.on('done', (job) => { // expect: handler-not-cleared
    if (job.id === id) res.json(job);
  });
});

app.post('/login', (req, res) => {
  const id = newId();
  sessionCache.set(id, { user: req.body.user, at: Date.now() });
  if (sessionCache.size > MAX_SESSIONS) sessionCache.delete(sessionCache.keys().next().value);
  res.json({ id });
});

function renderTemplate(name, data) {
  if (!templateCache[name]) {
    templateCache[name] = compileTemplate(name); // expect: unbounded-cache
  }
  return templateCache[name](data);
}

app.get('/page/:name', (req, res) => res.send(renderTemplate(req.params.name, req.query)));

module.exports = app;
