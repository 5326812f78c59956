// Does (almost) nothing: a heartbeat once a second. (A heartbeat formatting an object every
// 100 ms was tried first: its RSS crept ~300 KB/min for minutes as V8's young generation grew,
// a real warm-up, but not "idle".)
'use strict';
const { runFor } = require('./node_common');

let beats = 0;
runFor(() => {
  beats++;
}, 1000);
