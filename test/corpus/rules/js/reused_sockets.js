const dgram = require('dgram');
const { EventEmitter } = require('events');

// Each datagram looks its sender's socket up again and adds it four more listeners.
function createRelay(server, target) {
  const peers = {};
  server.on('message', (msg, sender) => {
    const key = `${sender.address}:${sender.port}`;
    let peer;
    if (key in peers) {
      peer = peers[key];
    } else {
      peer = dgram.createSocket('udp4');
      peers[key] = peer;
    }
    peer.on('message', (reply) => server.send(reply, sender.port, sender.address)); // expect: handler-not-cleared
    peer.send(msg, target.port, target.host);
  });
}

class Hub extends EventEmitter {
  constructor() {
    super();
    this.rooms = new Map();
  }

  // Called for every join: the room's emitter comes back from the table each time.
  join(roomId, member) {
    const room = this.rooms.get(roomId) || this.open(roomId);
    room.on('message', (message) => member.send(message)); // expect: handler-not-cleared
  }

  open(roomId) {
    const room = new EventEmitter();
    this.rooms.set(roomId, room);
    return room;
  }
}

// Look-alike: a socket made for this datagram, closed after its reply; its listener goes with it.
function forwardOnce(server, target) {
  server.on('message', (msg, sender) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (reply) => {
      server.send(reply, sender.port, sender.address);
      socket.close();
    });
    socket.send(msg, target.port, target.host);
  });
}

// Look-alike: the looked-up socket's old listener is removed before a new one is added.
function createStickyRelay(server, target) {
  const peers = new Map();
  server.on('message', (msg, sender) => {
    const key = `${sender.address}:${sender.port}`;
    const relay = peers.get(key) || dgram.createSocket('udp4');
    peers.set(key, relay);
    relay.removeAllListeners('message');
    relay.on('message', (reply) => server.send(reply, sender.port, sender.address));
    relay.send(msg, target.port, target.host);
  });
}

module.exports = { createRelay, Hub, forwardOnce, createStickyRelay };
