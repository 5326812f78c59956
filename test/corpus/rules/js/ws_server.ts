// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// Price feed over WebSockets: one connection per browser tab.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

interface Tick {
  symbol: string;
  price: number;
  at: number;
}

const bus = new EventEmitter();
const server = createServer();
const wss = new WebSocketServer({ server });
const clients = new Set<WebSocket>();

// Module level: registered once, for the life of the process.
bus.on('tick', (tick: Tick) => {
  for (const client of clients) client.send(JSON.stringify(tick));
});

wss.on('connection', (ws: WebSocket) => {
  clients.add(ws);
  let lastSeen = Date.now();
  bus.on('halt', (symbol: string) => ws.send(JSON.stringify({ type: 'halt', symbol }))); // expect: handler-not-cleared
  process.on('SIGUSR2', () => ws.send('{"type":"reload"}')); // expect: handler-not-cleared
  setInterval(() => ws.ping(), 30_000); // expect: timer-not-cleared
  const idle = setInterval(() => {
    if (Date.now() - lastSeen > 60_000) ws.terminate();
  }, 5_000);
  ws.on('pong', () => {
    lastSeen = Date.now();
  });
  ws.on('message', (data) => {
    lastSeen = Date.now();
    const request = JSON.parse(String(data)) as { subscribe?: string };
    if (request.subscribe) ws.send(JSON.stringify({ ok: true }));
  });
  ws.once('close', () => {
    clients.delete(ws);
    clearInterval(idle);
  });
});

setInterval(() => {
  bus.emit('tick', { symbol: 'ACME', price: 100 + Math.random(), at: Date.now() });
}, 1_000);

server.listen(8080);
