// Old-style classes: fields set in a constructor function, filled by methods on its prototype
// anywhere in the file. They live as long as the instance, like a class's fields.
var crypto = require('crypto');

function Resolver(servers) {
  this.servers = servers;
  this.lookupCache = {};
  this.history = [];
}

Resolver.prototype.resolve = function (key) {
  if (this.lookupCache[key]) return this.lookupCache[key];
  var digest = crypto.createHash('md5').update(key).digest('hex');
  var server = this.servers[parseInt(digest.slice(0, 8), 16) % this.servers.length];
  this.history.push({ key: key, server: server, at: Date.now() }); // expect: unbounded-collection
  return (this.lookupCache[key] = server); // expect: unbounded-cache
};

// Look-alikes: the same fields, evicted and trimmed by the methods that fill them.
function BoundedResolver(servers) {
  this.servers = servers;
  this.answerCache = new Map();
  this.samples = [];
}

BoundedResolver.prototype.resolve = function (key) {
  var server = this.servers[key.length % this.servers.length];
  this.samples.push(server.length);
  if (this.samples.length > 100) this.samples.shift();
  this.answerCache.set(key, server);
  if (this.answerCache.size > 500) this.answerCache.delete(this.answerCache.keys().next().value);
  return server;
};

// Look-alike: a lower-case factory is not a constructor; its object is made per call and dropped.
function summarise(rows) {
  this.totals = [];
  rows.forEach(function (row) { this.totals.push(row.amount); }, this);
  return this.totals;
}

module.exports = { Resolver: Resolver, BoundedResolver: BoundedResolver, summarise: summarise };
