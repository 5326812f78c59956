'use strict';
// Chat gateway: clients connect over TCP, join a room, exchange a few newline-
// delimited JSON messages and disconnect. Presence changes are fanned out through
// a process-wide EventEmitter. A synthetic client population on 127.0.0.1 drives it.
//
// Run: node js_chat_gateway.js

const net = require('net');
const crypto = require('crypto');
const { EventEmitter } = require('events');

const CONFIG = {
  host: '127.0.0.1',
  clientsPerSecond: 6,
  messagesPerClient: 5,
  messageBytes: 2400,
  rooms: ['general', 'random', 'ops', 'support', 'sales'],
  statsEveryMs: 15000,
};

function logInfo(...args) {
  console.error(new Date().toISOString(), 'gateway', ...args);
}

// ---------------------------------------------------------------- hubs

class PresenceHub extends EventEmitter {
  constructor() {
    super();
    this.online = new Set();
    // Thousands of sessions listen here; silence the leak warning.
    this.setMaxListeners(0);
  }
  join(user) { this.online.add(user); this.emit('update', { user, online: true }); }
  leave(user) { this.online.delete(user); this.emit('update', { user, online: false }); }
}

class RoomHub extends EventEmitter {
  constructor(names) {
    super();
    this.setMaxListeners(0);
    this.names = names;
    this.counts = Object.fromEntries(names.map((n) => [n, 0]));
  }
  publish(room, msg) {
    this.counts[room] += 1;
    this.emit('message', room, msg);
    if (this.counts[room] % 200 === 0) this.emit('topic', room, `${room} #${this.counts[room]}`);
  }
}

// Subscribe for as long as the socket stays open.
function listenWhileOpen(socket, emitter, event, fn) {
  emitter.on(event, fn);
  socket.once('close', () => emitter.off(event, fn));
}

const presence = new PresenceHub();
const rooms = new RoomHub(CONFIG.rooms);

// ---------------------------------------------------------------- sessions

class Session {
  constructor(id, socket) {
    this.id = id;
    this.socket = socket;
    this.user = null;
    this.room = null;
    this.transcript = [];
    this.onRoomMessage = this.onRoomMessage.bind(this);
  }

  onRoomMessage(room, msg) {
    if (room === this.room && msg.from !== this.user && !this.socket.destroyed) {
      this.socket.write(JSON.stringify({ type: 'msg', room, from: msg.from, size: msg.text.length }) + '\n');
    }
  }

  handle(line) {
    const msg = JSON.parse(line);
    if (msg.type === 'hello') {
      this.user = msg.user;
      this.room = msg.room;
      rooms.on('message', this.onRoomMessage);
      listenWhileOpen(this.socket, rooms, 'topic', (room, topic) => {
        if (room === this.room) this.topic = topic;
      });
      presence.on('update', (evt) => {
        if (evt.user !== this.user && this.transcript.length > 0) this.lastPresence = evt;
      });
      presence.join(this.user);
    } else if (msg.type === 'say') {
      this.transcript.push(msg.text);
      rooms.publish(this.room, { from: this.user, text: msg.text });
    } else if (msg.type === 'bye') {
      this.socket.end(JSON.stringify({ type: 'bye', said: this.transcript.length }) + '\n');
    }
  }

  close() {
    rooms.off('message', this.onRoomMessage);
    if (this.user) presence.leave(this.user);
  }
}

class Gateway {
  constructor() {
    this.sessions = new Map();
    this.nextId = 1;
    this.stats = { connections: 0, messages: 0 };
    this.server = net.createServer((socket) => this.accept(socket));
  }

  accept(socket) {
    const session = new Session(this.nextId++, socket);
    this.sessions.set(session.id, session);
    this.stats.connections += 1;
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      pending += chunk;
      let idx;
      while ((idx = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, idx);
        pending = pending.slice(idx + 1);
        if (line) { this.stats.messages += 1; session.handle(line); }
      }
    });
    socket.once('close', () => {
      session.close();
      this.sessions.delete(session.id);
    });
    socket.on('error', () => socket.destroy());
  }

  listen() {
    return new Promise((resolve) => this.server.listen(0, CONFIG.host, () => resolve(this.server.address().port)));
  }
}

// ---------------------------------------------------------------- synthetic clients

function runClient(port, n) {
  return new Promise((resolve) => {
    const sock = net.connect(port, CONFIG.host);
    const room = CONFIG.rooms[n % CONFIG.rooms.length];
    sock.setEncoding('utf8');
    sock.on('data', (d) => { if (d.includes('"bye"')) sock.end(); });
    sock.on('close', resolve);
    sock.on('error', resolve);
    sock.write(JSON.stringify({ type: 'hello', user: `user-${n}`, room }) + '\n');
    for (let i = 0; i < CONFIG.messagesPerClient; i++) {
      const text = crypto.randomBytes(CONFIG.messageBytes / 2).toString('hex');
      sock.write(JSON.stringify({ type: 'say', text }) + '\n');
    }
    sock.write(JSON.stringify({ type: 'bye' }) + '\n');
  });
}

async function main() {
  const gateway = new Gateway();
  const port = await gateway.listen();
  logInfo(`listening on ${CONFIG.host}:${port}`);
  setInterval(() => {
    logInfo(`connections=${gateway.stats.connections} live=${gateway.sessions.size} messages=${gateway.stats.messages} ` +
      `online=${presence.online.size} roomListeners=${rooms.listenerCount('message')}`);
  }, CONFIG.statsEveryMs).unref();
  let n = 0;
  for (;;) {
    n += 1;
    await runClient(port, n);
    await new Promise((r) => setTimeout(r, 1000 / CONFIG.clientsPerSecond));
  }
}

main();
