var EventEmitter = require('events').EventEmitter;
var util = require('util');

var hub = new EventEmitter();

function Client(socket) {
  EventEmitter.call(this);
  this.socket = socket;
  this.pending = {};
}
util.inherits(Client, EventEmitter);

Client.prototype.send = function (msg) {
  var self = this;
  hub.on('reply', function (reply) { // expect: handler-not-cleared
    self.emit('reply', reply, msg);
  });
  this.socket.write(msg);
};

Client.prototype.close = function () {
  this.socket.destroy();
};

function Server() {
  this.clients = [];
}

Server.prototype.start = function () {
  hub.on('shutdown', this.stop.bind(this));
};

module.exports = Client;

function Discovery(opts) {
  var self = this;
  this.opts = opts;
  process.on('exit', self.stop.bind(this)); // expect: handler-not-cleared
}

Discovery.prototype.stop = function () {
  this.opts = null;
};

module.exports.Discovery = Discovery;
