const EventEmitter = require('events');
const http = require('http');

const bus = new EventEmitter();

class Session {
  constructor(id, store) {
    this.id = id;
    this.store = store;
    process.on('SIGTERM', () => this.flush()); // expect: handler-not-cleared
  }

  flush() {
    this.store.save(this.id);
  }
}

class CleanSession {
  constructor(id) {
    this.id = id;
    this.onExit = () => this.flush();
    process.on('exit', this.onExit);
  }

  flush() {}

  dispose() {
    process.removeListener('exit', this.onExit);
  }
}

const server = http.createServer((req, res) => {
  const body = [];
  bus.on('config', (cfg) => { // expect: handler-not-cleared
    res.write(JSON.stringify({ cfg, size: body.length }));
  });
  req.on('data', (chunk) => body.push(chunk));
  req.on('end', () => res.end('ok'));
});

function attachSocket(wss, state) {
  wss.on('connection', (ws) => {
    const snapshot = state.snapshot();
    bus.on('tick', (t) => ws.send(JSON.stringify({ t, snapshot }))); // expect: handler-not-cleared
  });
}

function attachSocketClean(wss, state) {
  wss.on('connection', (ws) => {
    const snapshot = state.snapshot();
    const onTick = (t) => ws.send(JSON.stringify({ t, snapshot }));
    bus.on('tick2', onTick);
    ws.on('close', () => bus.off('tick2', onTick));
  });
}

module.exports = { Session, CleanSession, server, attachSocket, attachSocketClean };
