// Does (almost) nothing: a heartbeat that formats a small status object.
'use strict';
const { runFor } = require('./node_common');

let beats = 0;
runFor(() => JSON.stringify({ beats: ++beats, at: Date.now() }), 100);
