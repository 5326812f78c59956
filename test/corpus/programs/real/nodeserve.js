// Shared by the Node servers here: --name value options, and an http server on 127.0.0.1
// that exits after --seconds.
'use strict';
const http = require('node:http');

exports.option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0 || process.argv[at + 1] === undefined) return fallback;
  const v = process.argv[at + 1];
  return typeof fallback === 'number' ? Number(v) : v;
};

exports.serve = (handler) => {
  const port = exports.option('port', 0);
  const seconds = exports.option('seconds', 900);
  const server = http.createServer(handler);
  server.listen(port, '127.0.0.1');
  setTimeout(() => process.exit(0), seconds * 1000).unref();
  return server;
};

exports.readBody = (req) => new Promise((resolve) => {
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => resolve(Buffer.concat(parts)));
});
