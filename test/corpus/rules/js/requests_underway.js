// Module-level tables of requests in flight, filled from a stream's callback with the outer
// request's id. One is emptied only when a caller aborts: completed requests stay.
const underway = {};

function abortRequest(request) {
  const entry = underway[request.id];
  if (!entry) return;
  entry.stream.destroy();
  delete underway[request.id];
}

function startRequest(request) {
  const stream = got.stream(request.url);
  return new Promise((resolve) => {
    stream.on('request', (req) => {
      underway[request.id] = { stream, req }; // expect: unbounded-collection
      resolve(req);
    });
  });
}

// The same table emptied when the request finishes (quiet).
const inFlight = {};

function startTracked(request) {
  const stream = got.stream(request.url);
  return new Promise((resolve) => {
    stream.on('request', (req) => {
      inFlight[request.id] = { stream, req };
      resolve(req);
    });
    stream.on('end', () => finishTracked(request));
  });
}

function finishTracked(request) {
  delete inFlight[request.id];
}

module.exports = { abortRequest, startRequest, startTracked };
