// Module tables filled by functions the code calls by name, keyed through a local chain or a
// fresh id per call: each call leaves an entry nobody takes out.
const dialogs = {};
const pendingById = new Map();
const setupSteps = {};
const sizes = new Map();
let nextId = 0;

function openDialog(info) {
  const id = 'dlg-' + crypto.randomUUID();
  info.key = id;
  dialogs[id] = info; // expect: unbounded-collection
  return id;
}

const api = {};
api.track = function (request) {
  const tag = request.headers['x-request-id'];
  const key = `req:${tag}`;
  pendingById.set(key, request); // expect: unbounded-collection
};

// Look-alikes: a set-up function runs once; a constant key stays one entry; an entry deleted when done.
function initSteps(config) {
  setupSteps[config.name] = config;
}

function recordSize(value) {
  sizes.set('last', value.length);
}

const running = new Map();
function runJob(job) {
  const id = ++nextId;
  running.set(id, job);
  job.on('done', () => running.delete(id));
}

module.exports = { openDialog, api, initSteps, recordSize, runJob };
